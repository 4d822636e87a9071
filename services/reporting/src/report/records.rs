//! The records reports are counted from, and the folding of groups too
//! small to stand alone.

use std::collections::BTreeMap;

use crate::tally::Class;

/// One de-identified record.
#[derive(Clone, Debug)]
pub struct Record {
    /// `YYYY-MM`.
    pub month: String,
    /// Keyed per org and quarter.
    pub pseudonym: String,
    /// Theme codes.
    pub themes: Vec<String>,
    /// Consented cohort attributes (dimension → group).
    pub cohort: BTreeMap<String, String>,
}

/// Removes, from every class, the cohort groups with fewer than `min`
/// eligible employees (or of unknown size): their people join the unlisted
/// remainder, so a small department is never a group of its own.
pub fn fold_small_groups(
    classes: &mut [Class],
    sizes: &BTreeMap<String, BTreeMap<String, i64>>,
    min: usize,
) {
    for c in classes {
        c.cohort.retain(|dimension, group| {
            sizes
                .get(dimension)
                .and_then(|groups| groups.get(group))
                .is_some_and(|n| usize::try_from(*n).unwrap_or(0) >= min)
        });
    }
}

/// `2026-11` → `2026-Q4`.
pub fn quarter_of(month: &str) -> Option<String> {
    shared::quarters::Month::parse(month).map(|m| m.quarter().to_string())
}
