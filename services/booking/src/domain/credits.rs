//! What HR (and anyone else outside a session) may see of an org's credits.
//!
//! The true balance moves the minute someone books or cancels, so showing it
//! would tell HR who booked ("only Sato was at her desk at 14:03"). What HR
//! needs is to know how much it has bought and when to buy more. So:
//! - **additions** (purchases, grants) — HR's and the operators' own acts —
//!   count at once;
//! - **uses** (a booking's credit, a cancellation's refund) count only up to
//!   a **week boundary** (Monday 00:00 in the organisations' zone), and only once the uses
//!   since the previous counted boundary come from at least `k` distinct
//!   people; until then the shown balance does not move at all;
//! - **running low** says the shown balance is at or below a low mark: it
//!   moves with HR's own additions and with a released batch, never with
//!   uses that are not shown (the true balance would betray a batch of one).
//!
//! Between week boundaries nothing one employee does changes any of it.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, Duration, Utc};
use shared::ids::UserId;

/// One ledger entry as the view needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LedgerEntry {
    /// Credits added (positive) or taken (negative).
    pub delta: i64,
    /// The person whose booking it is, for uses; `None` for additions.
    pub person: Option<UserId>,
    /// When.
    pub at: DateTime<Utc>,
}

impl LedgerEntry {
    fn is_use(&self) -> bool {
        self.person.is_some()
    }
}

/// The credits as shown outside sessions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreditView {
    /// Every addition, and uses counted up to `uses_counted_to`.
    pub balance: i64,
    /// The week boundary up to which uses are counted (`None`: none yet).
    pub uses_counted_to: Option<DateTime<Utc>>,
    /// The start of this week (Monday 00:00 in the organisations' zone).
    pub week_of: DateTime<Utc>,
    /// The shown balance is at or below the low mark.
    pub running_low: bool,
}

/// Monday 00:00 (in the organisations' zone) of the week holding `t`.
pub fn week_start(t: DateTime<Utc>) -> DateTime<Utc> {
    let zone = shared::time::org_zone();
    let local = t.with_timezone(&zone).date_naive();
    let monday = local - Duration::days(i64::from(local.weekday().num_days_from_monday()));
    shared::time::local_midnight(monday, zone)
}

/// The view of `entries` (any order) at `now`: uses counted in batches of
/// at least `k` distinct people, closed at week boundaries; running low when
/// the shown balance is at most `low_mark`.
pub fn view(entries: &[LedgerEntry], now: DateTime<Utc>, k: usize, low_mark: i64) -> CreditView {
    let week_of = week_start(now);
    let mut uses: Vec<&LedgerEntry> = entries.iter().filter(|e| e.is_use()).collect();
    uses.sort_by_key(|e| e.at);
    // Walk the week boundaries after the first use, up to this week's start,
    // closing a batch at a boundary once it holds k distinct people.
    let mut counted_to: Option<DateTime<Utc>> = None;
    if let Some(first) = uses.first() {
        let mut boundary = week_start(first.at) + Duration::weeks(1);
        let mut batch: BTreeSet<UserId> = BTreeSet::new();
        let mut next = 0;
        while boundary <= week_of {
            while next < uses.len() && uses[next].at < boundary {
                batch.extend(uses[next].person);
                next += 1;
            }
            if batch.len() >= k {
                counted_to = Some(boundary);
                batch.clear();
            }
            boundary += Duration::weeks(1);
        }
    }
    let additions: i64 = entries
        .iter()
        .filter(|e| !e.is_use())
        .map(|e| e.delta)
        .sum();
    let counted_uses: i64 = counted_to.map_or(0, |to| {
        uses.iter().filter(|e| e.at < to).map(|e| e.delta).sum()
    });
    let balance = additions + counted_uses;
    CreditView {
        balance,
        uses_counted_to: counted_to,
        week_of,
        running_low: balance <= low_mark,
    }
}

#[cfg(test)]
mod tests;
