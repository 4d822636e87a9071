//! The theme report: distinct people per theme and month, under anonymity
//! protection.
//!
//! Pseudonyms are keyed per org and month, so a person can be counted as one
//! only within a month; cells are therefore per month (a trend), never summed
//! across months (which would count one person several times and let a few
//! people fill a cell). A cell with fewer than `k` distinct people is
//! suppressed and its count is not sent. No totals are published, so a
//! suppressed cell cannot be recovered by subtraction. Sensitive themes never
//! appear.

use std::collections::{BTreeMap, BTreeSet};

/// Smallest group a released cell may describe.
pub const DEFAULT_K: usize = 10;

/// One cell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell {
    /// Theme code.
    pub theme: String,
    /// Month, `YYYY-MM`.
    pub period: String,
    /// Cohort group (`all` until orgs configure cohorts).
    pub group: String,
    /// Distinct people, or `None` when suppressed.
    pub count: Option<usize>,
}

/// Cells for `themes` over the records `(period, pseudonym, themes)`.
pub fn cells(records: &[(String, String, Vec<String>)], themes: &[String], k: usize) -> Vec<Cell> {
    let mut people: BTreeMap<(&str, &str), BTreeSet<&str>> = BTreeMap::new();
    for (period, pseudonym, raised) in records {
        for theme in raised {
            if themes.contains(theme) {
                people
                    .entry((theme.as_str(), period.as_str()))
                    .or_default()
                    .insert(pseudonym.as_str());
            }
        }
    }
    people
        .into_iter()
        .map(|((theme, period), who)| Cell {
            theme: theme.to_owned(),
            period: period.to_owned(),
            group: "all".to_owned(),
            count: (who.len() >= k).then_some(who.len()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(period: &str, who: &str, themes: &[&str]) -> (String, String, Vec<String>) {
        (
            period.into(),
            who.into(),
            themes.iter().map(|t| (*t).to_owned()).collect(),
        )
    }

    #[test]
    fn counts_distinct_people_per_month_and_suppresses_small_cells() {
        let mut records: Vec<_> = (0..12)
            .map(|i| r("2026-11", &format!("p{i}"), &["workload"]))
            .collect();
        records.push(r("2026-11", "p0", &["workload"])); // the same person again
        records.extend((0..3).map(|i| r("2026-11", &format!("q{i}"), &["pay"])));
        records.extend((0..9).map(|i| r("2026-12", &format!("s{i}"), &["workload"])));
        records.push(r("2026-11", "h", &["health"]));
        let themes: Vec<String> = ["workload", "pay"]
            .iter()
            .map(|t| (*t).to_owned())
            .collect();
        let out = cells(&records, &themes, 10);
        assert_eq!(
            out.iter()
                .find(|c| c.theme == "workload" && c.period == "2026-11")
                .and_then(|c| c.count),
            Some(12)
        );
        assert_eq!(
            out.iter()
                .find(|c| c.theme == "workload" && c.period == "2026-12")
                .map(|c| c.count),
            Some(None),
            "9 < 10"
        );
        assert_eq!(
            out.iter().find(|c| c.theme == "pay").map(|c| c.count),
            Some(None)
        );
        assert!(
            out.iter().all(|c| c.theme != "health"),
            "sensitive themes are not asked for"
        );
    }

    #[test]
    fn people_across_months_never_add_up_to_a_cell() {
        // Four people every month for three months: 12 person-months, 4 people.
        let records: Vec<_> = ["2026-10", "2026-11", "2026-12"]
            .iter()
            .flat_map(|m| (0..4).map(move |i| r(m, &format!("{m}-{i}"), &["pay"])))
            .collect();
        let out = cells(&records, &["pay".to_owned()], 10);
        assert!(out.iter().all(|c| c.count.is_none()), "{out:?}");
    }
}
