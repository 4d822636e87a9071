//! What the index keeps about each consultant besides the vector.

use std::sync::Arc;

use crate::domain::profile::ApprovalStatus;
use crate::domain::ranking::bayesian_rating;
use crate::store::ConsultantRecord;

/// What the index keeps about a consultant besides the vector.
#[derive(Clone, Debug)]
pub struct Entry {
    /// The stored record (profile, status, next free slot).
    pub record: Arc<ConsultantRecord>,
    /// Specialties as a bitmask over `SPECIALTIES`.
    pub specialties: u32,
    /// Languages as a bitmask over `LANGUAGES`.
    pub languages: u32,
    /// Sum and count of session ratings.
    pub ratings: (f32, u32),
}

impl Entry {
    pub(super) fn eligible(&self) -> bool {
        self.record.status == ApprovalStatus::Approved && self.record.profile.accepting_clients
    }

    /// The Bayesian rating and number of ratings.
    pub fn rating(&self) -> (f32, u32) {
        (
            bayesian_rating(self.ratings.0, self.ratings.1),
            self.ratings.1,
        )
    }
}
