//! Quarters, the periods organisational reports are released for, in Japan
//! time. A quarter is **released** [`RELEASE_DELAY_DAYS`] days after it ends;
//! from then on nothing about it may change: booking hands off a late record
//! into the quarter that is still open instead (with a pseudonym of that
//! quarter), and reporting refuses anything that still arrives for a
//! released quarter.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};

/// Days after a quarter ends before it is released.
pub const RELEASE_DELAY_DAYS: i64 = 7;

/// Japan's offset from UTC (no daylight saving).
const JST_HOURS: i64 = 9;

/// A calendar quarter, Japan time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    /// Year.
    pub year: i32,
    /// 1–4.
    pub q: u32,
}

impl Quarter {
    /// The quarter of an instant, Japan time.
    pub fn of(at: DateTime<Utc>) -> Self {
        let local = at + Duration::hours(JST_HOURS);
        Self {
            year: local.year(),
            q: local.month().div_ceil(3),
        }
    }

    /// The quarter of a month `YYYY-MM`.
    pub fn of_month(month: &str) -> Option<Self> {
        let (y, m) = month.split_once('-')?;
        let year: i32 = y.parse().ok()?;
        let m: u32 = m.parse().ok().filter(|m| (1..=12).contains(m))?;
        (month.len() == 7).then_some(Self {
            year,
            q: m.div_ceil(3),
        })
    }

    /// A quarter from `YYYY-Qn`.
    pub fn parse(s: &str) -> Option<Self> {
        let (y, q) = s.split_once("-Q")?;
        let year: i32 = y.parse().ok().filter(|y| (2000..=2200).contains(y))?;
        let q: u32 = q.parse().ok().filter(|q| (1..=4).contains(q))?;
        (s.len() == 7).then_some(Self { year, q })
    }

    /// A position on a line of quarters (consecutive quarters differ by one).
    pub fn index(self) -> i32 {
        self.year * 4 + self.q as i32 - 1
    }

    /// The quarter at [`Quarter::index`] `i`.
    pub fn from_index(i: i32) -> Self {
        Self {
            year: i.div_euclid(4),
            q: i.rem_euclid(4) as u32 + 1,
        }
    }

    /// Its first and last month, `YYYY-MM`.
    pub fn months(self) -> (String, String) {
        let first = self.q * 3 - 2;
        (
            format!("{:04}-{first:02}", self.year),
            format!("{:04}-{:02}", self.year, first + 2),
        )
    }

    /// `YYYY-Qn`.
    pub fn name(self) -> String {
        format!("{:04}-Q{}", self.year, self.q)
    }

    /// The next quarter.
    pub fn next(self) -> Self {
        if self.q == 4 {
            Self {
                year: self.year + 1,
                q: 1,
            }
        } else {
            Self {
                year: self.year,
                q: self.q + 1,
            }
        }
    }

    /// When the quarter is released: [`RELEASE_DELAY_DAYS`] after it ends
    /// (midnight, Japan time).
    pub fn released_at(self) -> DateTime<Utc> {
        let next = self.next();
        NaiveDate::from_ymd_opt(next.year, next.q * 3 - 2, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map_or(DateTime::<Utc>::MAX_UTC, |t| {
                t.and_utc() - Duration::hours(JST_HOURS) + Duration::days(RELEASE_DELAY_DAYS)
            })
    }

    /// Whether it is released at `now`.
    pub fn is_released(self, now: DateTime<Utc>) -> bool {
        now >= self.released_at()
    }
}

/// The month `YYYY-MM` (Japan time) of an instant.
pub fn month_of(at: DateTime<Utc>) -> String {
    let local = at + Duration::hours(JST_HOURS);
    format!("{:04}-{:02}", local.year(), local.month())
}

/// Where a record of something that happened at `happened` belongs when it
/// is handed off at `now`: its own month, unless that month's quarter is
/// already released — then the month of `now`, whose quarter is still open.
/// Returns the month and its quarter.
pub fn open_period(happened: DateTime<Utc>, now: DateTime<Utc>) -> (String, Quarter) {
    let own = Quarter::of(happened);
    if own.is_released(now) {
        (month_of(now), Quarter::of(now))
    } else {
        (month_of(happened), own)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap_or_default()
    }

    #[test]
    fn quarters_are_japan_time_and_released_a_week_after_they_end() {
        // 2026-09-30 16:00Z is already October 1st in Tokyo.
        assert_eq!(Quarter::of(at("2026-09-30T16:00:00Z")).name(), "2026-Q4");
        assert_eq!(Quarter::of(at("2026-09-30T14:59:59Z")).name(), "2026-Q3");
        let q3 = Quarter { year: 2026, q: 3 };
        // October 1st 00:00 JST + 7 days = 2026-10-07T15:00Z.
        assert_eq!(q3.released_at(), at("2026-10-07T15:00:00Z"));
        assert!(!q3.is_released(at("2026-10-07T14:59:59Z")));
        assert!(q3.is_released(at("2026-10-07T15:00:00Z")));
        let q4 = Quarter { year: 2026, q: 4 };
        assert_eq!(q4.next(), Quarter { year: 2027, q: 1 });
        assert_eq!(q4.released_at(), at("2027-01-07T15:00:00Z"));
        assert_eq!(Quarter::of_month("2026-11"), Some(q4));
        assert_eq!(Quarter::of_month("2026-13"), None);
        assert_eq!(Quarter::parse("2026-Q4"), Some(q4));
        assert_eq!(Quarter::parse("2026-Q5"), None);
        assert_eq!(
            Quarter::from_index(q4.index() + 1),
            Quarter { year: 2027, q: 1 }
        );
        assert_eq!(q4.months(), ("2026-10".to_owned(), "2026-12".to_owned()));
    }

    #[test]
    fn a_late_record_goes_to_the_open_quarter_and_a_timely_one_stays() {
        let session = at("2026-09-20T01:00:00Z");
        // Written before Q3's release: Q3, its own month.
        assert_eq!(
            open_period(session, at("2026-10-05T00:00:00Z")),
            ("2026-09".to_owned(), Quarter { year: 2026, q: 3 })
        );
        // Written after: the month it was written in.
        assert_eq!(
            open_period(session, at("2026-11-02T00:00:00Z")),
            ("2026-11".to_owned(), Quarter { year: 2026, q: 4 })
        );
    }
}
