//! Contracts reporting publishes.

use serde::{Deserialize, Serialize};

use super::Contract;

/// `reporting.taxonomy_changed.v1`: the theme taxonomy after an operator
/// changed it, whole. Booking keeps which codes a record may carry; a
/// version older than one already applied is ignored, so a redelivered
/// event never undoes a newer change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxonomyChanged {
    /// The taxonomy's version (it grows by one with each change).
    pub version: i64,
    /// Every theme, retired ones included.
    pub themes: Vec<TaxonomyTheme>,
}

impl Contract for TaxonomyChanged {
    const TOPIC: &'static str = "reporting.taxonomy_changed.v1";
}

/// One theme of the taxonomy, as records use it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxonomyTheme {
    /// The code records carry.
    pub code: String,
    /// Never in HR reports.
    pub sensitive: bool,
    /// No longer offered for new records.
    pub retired: bool,
}
