//! What HR (and anyone else outside a session) may see of an org's credits.
//!
//! The true balance moves the minute someone books or cancels, so showing it
//! would tell HR who booked ("only Sato was at her desk at 14:03"). What HR
//! needs is to know how much it has bought and when to buy more. So:
//! - **additions** (purchases, grants) — HR's and the operators' own acts —
//!   count at once;
//! - **uses** (a booking's credit, a cancellation's refund) count only up to
//!   a **week boundary** (Monday 00:00, Japan time), and only once the uses
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

/// Japan's offset from UTC.
const JST: Duration = Duration::hours(9);

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
    /// The start of this week (Monday 00:00, Japan time).
    pub week_of: DateTime<Utc>,
    /// The shown balance is at or below the low mark.
    pub running_low: bool,
}

/// Monday 00:00 (Japan time) of the week holding `t`.
pub fn week_start(t: DateTime<Utc>) -> DateTime<Utc> {
    let local = (t + JST).date_naive();
    let monday = local - Duration::days(i64::from(local.weekday().num_days_from_monday()));
    monday.and_hms_opt(0, 0, 0).map_or(t, |m| m.and_utc() - JST)
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
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap_or_default()
    }

    fn grant(n: i64, when: &str) -> LedgerEntry {
        LedgerEntry {
            delta: n,
            person: None,
            at: at(when),
        }
    }

    fn booking(person: u128, when: DateTime<Utc>) -> LedgerEntry {
        LedgerEntry {
            delta: -1,
            person: Some(UserId(uuid::Uuid::from_u128(person))),
            at: when,
        }
    }

    #[test]
    fn weeks_start_on_monday_midnight_in_japan() {
        // Sunday 2026-12-06 23:59 JST is still the week of Monday 11-30.
        assert_eq!(
            week_start(at("2026-12-06T14:59:00Z")),
            at("2026-11-29T15:00:00Z")
        );
        // Monday 2026-12-07 00:00 JST starts a new week.
        assert_eq!(
            week_start(at("2026-12-06T15:00:00Z")),
            at("2026-12-06T15:00:00Z")
        );
    }

    #[test]
    fn one_booking_moves_nothing_and_k_people_move_it_at_a_week_boundary() {
        let now = at("2026-12-03T03:00:00Z");
        let base = vec![grant(200, "2026-10-01T00:00:00Z")];
        let before = view(&base, now, 10, 5);
        assert_eq!(before.balance, 200);
        // One person books now: nothing moves, not the balance, not the flag.
        let mut one = base.clone();
        one.push(booking(1, now - Duration::minutes(1)));
        assert_eq!(view(&one, now, 10, 5), before);
        // Nine people last week: still nothing; the tenth makes a batch.
        let last_week = week_start(now) - Duration::days(3);
        let mut nine = base.clone();
        nine.extend((0..9).map(|p| booking(p, last_week)));
        assert_eq!(view(&nine, now, 10, 5).balance, 200);
        nine.push(booking(9, last_week));
        let counted = view(&nine, now, 10, 5);
        assert_eq!(counted.balance, 190);
        assert_eq!(counted.uses_counted_to, Some(week_start(now)));
        // HR's own grant shows at once.
        nine.push(grant(1, "2026-12-03T02:00:00Z"));
        assert_eq!(view(&nine, now, 10, 5).balance, 191);
    }

    #[test]
    fn running_low_moves_only_with_what_is_shown() {
        let now = at("2026-12-03T03:00:00Z");
        let entries = vec![grant(6, "2026-10-01T00:00:00Z")];
        assert!(!view(&entries, now, 10, 5).running_low);
        // One booking last week, one this week: nothing shown, so no flag —
        // the true balance (4) would betray a batch of one.
        let mut used = entries.clone();
        used.push(booking(1, week_start(now) - Duration::days(2)));
        used.push(booking(2, now - Duration::minutes(5)));
        assert!(!view(&used, now, 10, 5).running_low);
        assert!(!view(&used, now + Duration::weeks(1), 10, 5).running_low);
        // A released batch of ten people sets it (12 − 10 = 2 shown); HR's
        // own addition clears it at once.
        let mut batch = entries.clone();
        batch.push(grant(6, "2026-10-01T00:00:00Z"));
        batch.extend((0..10).map(|p| booking(p, week_start(now) - Duration::days(2))));
        assert_eq!(view(&batch, now, 10, 5).balance, 2);
        assert!(view(&batch, now, 10, 5).running_low);
        batch.push(grant(10, "2026-12-02T00:00:00Z"));
        assert!(!view(&batch, now, 10, 5).running_low);
    }

    proptest! {
        /// Whatever one employee does within a week — book, cancel, any
        /// number of times — changes nothing anyone else sees that week.
        #[test]
        fn one_person_s_acts_within_the_week_change_nothing(
            others in proptest::collection::vec((0u128..40, 0i64..60 * 24 * 7, prop::bool::ANY), 0..200),
            acts in proptest::collection::vec((0i64..60 * 24 * 3, prop::bool::ANY), 1..6),
            k in 5usize..12,
        ) {
            let now = at("2026-12-03T03:00:00Z");
            let mut entries = vec![grant(500, "2026-06-01T00:00:00Z")];
            for (p, minutes_ago, cancel) in others {
                let when = now - Duration::minutes(minutes_ago);
                entries.push(LedgerEntry { delta: if cancel { 1 } else { -1 }, ..booking(p, when) });
            }
            let seen = view(&entries, now, k, 480);
            let since_monday = (now - week_start(now)).num_minutes();
            for (minutes_ago, cancel) in acts {
                let when = now - Duration::minutes(minutes_ago.min(since_monday - 1));
                entries.push(LedgerEntry { delta: if cancel { 1 } else { -1 }, ..booking(999, when) });
            }
            // The low mark near the balance: the flag would flip if uses showed.
            prop_assert_eq!(view(&entries, now, k, 480), seen);
        }
    }
}
