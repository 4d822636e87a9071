//! Months and quarters, the periods organisational reports are counted and
//! released in, in the organisations' zone ([`crate::time::org_zone`], Japan
//! by default). `YYYY-MM` and `YYYY-Qn` are parsed and written here only. A quarter is **released** [`RELEASE_DELAY_DAYS`] days after it ends;
//! from then on nothing about it may change: booking hands off a late record
//! into the quarter that is still open instead (with a pseudonym of that
//! quarter), and reporting refuses anything that still arrives for a
//! released quarter.

use std::fmt;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};

use crate::time::{local_midnight, org_zone};

/// Days after a quarter ends before it is released.
pub const RELEASE_DELAY_DAYS: i64 = 7;

/// A calendar month in the organisations' zone, written `YYYY-MM`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: i32,
    month: u32,
}

impl Month {
    /// The month of an instant.
    pub fn of(at: DateTime<Utc>) -> Self {
        let local = at.with_timezone(&org_zone());
        Self {
            year: local.year(),
            month: local.month(),
        }
    }

    /// A month from `YYYY-MM` (four-digit year, two-digit month).
    pub fn parse(s: &str) -> Option<Self> {
        let (y, m) = s.split_once('-')?;
        if y.len() != 4 || m.len() != 2 || !s.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
            return None;
        }
        let year: i32 = y.parse().ok()?;
        let month: u32 = m.parse().ok().filter(|m| (1..=12).contains(m))?;
        Some(Self { year, month })
    }

    /// Its year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// The quarter it belongs to.
    pub fn quarter(self) -> Quarter {
        Quarter {
            year: self.year,
            q: self.month.div_ceil(3),
        }
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// A calendar quarter in the organisations' zone, written `YYYY-Qn`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    /// Year.
    pub year: i32,
    /// 1–4.
    pub q: u32,
}

impl Quarter {
    /// The quarter of an instant.
    pub fn of(at: DateTime<Utc>) -> Self {
        Month::of(at).quarter()
    }

    /// The quarter of a month `YYYY-MM`.
    pub fn of_month(month: &str) -> Option<Self> {
        Month::parse(month).map(Month::quarter)
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

    /// Its first and last month.
    pub fn months(self) -> (Month, Month) {
        let first = self.q * 3 - 2;
        (
            Month {
                year: self.year,
                month: first,
            },
            Month {
                year: self.year,
                month: first + 2,
            },
        )
    }

    /// `YYYY-Qn`.
    pub fn name(self) -> String {
        self.to_string()
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
    /// (midnight in the organisations' zone).
    pub fn released_at(self) -> DateTime<Utc> {
        let next = self.next();
        NaiveDate::from_ymd_opt(next.year, next.q * 3 - 2, 1)
            .map_or(DateTime::<Utc>::MAX_UTC, |d| {
                local_midnight(d, org_zone()) + Duration::days(RELEASE_DELAY_DAYS)
            })
    }

    /// Whether it is released at `now`.
    pub fn is_released(self, now: DateTime<Utc>) -> bool {
        now >= self.released_at()
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-Q{}", self.year, self.q)
    }
}

/// Where a record of something that happened at `happened` belongs when it
/// is handed off at `now`: its own month, unless that month's quarter is
/// already released — then the month of `now`, whose quarter is still open.
/// Returns the month and its quarter.
pub fn open_period(happened: DateTime<Utc>, now: DateTime<Utc>) -> (Month, Quarter) {
    let own = Quarter::of(happened);
    if own.is_released(now) {
        (Month::of(now), Quarter::of(now))
    } else {
        (Month::of(happened), own)
    }
}

#[cfg(test)]
mod tests;
