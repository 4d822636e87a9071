//! Event contracts that cross services: one type per topic, its topic name
//! beside it, so a producer and its consumers cannot drift apart. Producers
//! hand a contract to [`crate::events::Outbox::publish`]; consumers receive
//! the typed value through [`crate::events::SubscribeTo::subscribe_to`].
//!
//! Versioning: a topic's payload may gain optional fields (consumers ignore
//! what they do not know, and old payloads parse because new fields default);
//! removing, renaming or retyping a field needs a new topic (`….v2`),
//! published beside the old one until every consumer has moved and the old
//! one's events have been delivered. `tests` below keeps one payload of
//! every topic as its producers wrote it; they must go on parsing.
//!
//! Topics private to one service (its own work queues) implement
//! [`Contract`] in that service.

use serde::Serialize;
use serde::de::DeserializeOwned;

pub mod booking;
pub mod identity;
pub mod matching;
pub mod reporting;

pub use booking::{AvailabilityChanged, Outcome, SessionClosed, SessionRated, SessionShared};
pub use identity::{Cohort, CohortSizes, ContactChanged, UserErased};
pub use matching::{ApprovalStatus, ConsultantChanged, ConsultantStanding};
pub use reporting::{TaxonomyChanged, TaxonomyTheme};

/// A payload published on one topic.
pub trait Contract: Serialize + DeserializeOwned + Send + Sync + 'static {
    /// The topic it travels on, `<producer>.<what happened>.v<n>`.
    const TOPIC: &'static str;
}

#[cfg(test)]
mod tests;
