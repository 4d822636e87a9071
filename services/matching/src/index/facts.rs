//! What ranking needs to know about each consultant besides the vector.

use super::Entry;

/// One consultant's ranking inputs, compact and by position.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Facts {
    /// Languages as a bitmask, or 0 when the consultant takes no clients
    /// (not approved, or not accepting): never proposed.
    pub langs: u32,
    /// Specialties as a bitmask.
    pub specialties: u32,
    /// Next free slot (epoch ms), when booking has told us.
    pub next_available: Option<i64>,
    /// The rating feature: (Bayesian rating − 1) / 4.
    pub rating: f32,
    /// Times shown, as of the hour's exposure snapshot.
    pub shown: u32,
}

impl Facts {
    /// The facts of an entry.
    pub fn of(entry: &Entry) -> Self {
        Self {
            langs: if entry.eligible() { entry.languages } else { 0 },
            specialties: entry.specialties,
            next_available: entry.record.next_available_at,
            rating: (entry.rating().0 - 1.0) / 4.0,
            shown: 0,
        }
    }
}
