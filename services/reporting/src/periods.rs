//! The quarters a request asks about (`from`/`to` as `YYYY-Qn` or a month
//! `YYYY-MM`), and which of them are released (`shared::quarters`: 7 days
//! after they end, in the organisations' zone).

use shared::error::ApiError;
use shared::quarters::Quarter;

/// A quarter from `YYYY-Qn`, or the quarter of a month `YYYY-MM`.
pub fn parse_quarter(s: &str) -> Option<Quarter> {
    Quarter::parse(s).or_else(|| Quarter::of_month(s).filter(|q| (2000..=2200).contains(&q.year)))
}

/// The quarter given as `YYYY-Qn`, if it is released now.
pub fn released_quarter(s: &str) -> Option<Quarter> {
    Quarter::parse(s).filter(|q| q.is_released(shared::time::now()))
}

/// The quarters a request covers: its first and last, and which of them
/// are released.
#[derive(Clone, Debug)]
pub struct Periods {
    from: Quarter,
    to: Quarter,
    /// Released quarters, oldest first.
    pub quarters: Vec<Quarter>,
    /// Their names.
    pub released: Vec<String>,
    /// The names of the quarters asked for that are not released yet.
    pub pending: Vec<String>,
}

impl Periods {
    /// Reads `from` and `to` (default: the current quarter and the three
    /// before it); at most 8 quarters.
    pub fn parse(from: Option<&str>, to: Option<&str>) -> Result<Self, ApiError> {
        let now = shared::time::now();
        let bad = |which: &str| {
            ApiError::unprocessable(
                "invalid_period",
                format!("`{which}` must be a quarter like 2026-Q2 or a month like 2026-06"),
            )
        };
        let to = match to {
            Some(t) => parse_quarter(t).ok_or_else(|| bad("to"))?,
            None => Quarter::of(now),
        };
        let from = match from {
            Some(f) => parse_quarter(f).ok_or_else(|| bad("from"))?,
            None => Quarter::from_index(to.index() - 3),
        };
        if !(0..8).contains(&(to.index() - from.index())) {
            return Err(ApiError::unprocessable(
                "invalid_period",
                "`from` must not be after `to`, and at most 8 quarters apart",
            ));
        }
        let (quarters, pending): (Vec<Quarter>, Vec<Quarter>) = (from.index()..=to.index())
            .map(Quarter::from_index)
            .partition(|q| q.is_released(now));
        Ok(Self {
            from,
            to,
            released: quarters.iter().map(|q| q.name()).collect(),
            quarters,
            pending: pending.iter().map(|q| q.name()).collect(),
        })
    }

    /// The first and last quarter's names.
    pub fn names(&self) -> (String, String) {
        (self.from.name(), self.to.name())
    }

    /// The first and last month covered, `YYYY-MM`.
    pub fn months(&self) -> (String, String) {
        (
            self.from.months().0.to_string(),
            self.to.months().1.to_string(),
        )
    }
}
