//! Contracts booking publishes. What goes to reporting carries no employee,
//! consultant or booking id and no exact time: only the org, the month and
//! a pseudonym keyed per org and quarter.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Contract;
use super::identity::Cohort;
use crate::ids::{OrgId, UserId};

/// `booking.availability_changed.v1`: a consultant's next free time may have
/// moved (availability edited, a booking made, cancelled or moved); matching
/// uses it for "available soon".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AvailabilityChanged {
    /// Whose availability.
    pub consultant_id: UserId,
    /// The next bookable start within 30 days, if any.
    pub next_available_at: Option<DateTime<Utc>>,
}

impl Contract for AvailabilityChanged {
    const TOPIC: &'static str = "booking.availability_changed.v1";
}

/// `booking.session_rated.v1`: an employee rated a held session; matching
/// learns the consultant's rating and the ranking weights from it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRated {
    /// The consultant of the session.
    pub consultant_id: UserId,
    /// The employee who rated it.
    pub employee_id: UserId,
    /// 1–5.
    pub rating: u8,
}

impl Contract for SessionRated {
    const TOPIC: &'static str = "booking.session_rated.v1";
}

/// `booking.session_shared.v1`: the de-identified hand-off of one session's
/// record to reporting, sent only when the employee allowed sharing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionShared {
    /// The employee's org.
    pub org_id: OrgId,
    /// The month it counts in, `YYYY-MM` (the organisations' zone; the open quarter's
    /// month when the session's quarter was already released).
    pub period: String,
    /// A keyed hash of the employee within the org and quarter.
    pub pseudonym: String,
    /// Theme codes the consultant chose.
    pub themes: Vec<String>,
    /// The consultant's summary for the org, scrubbed of personal data.
    pub summary: String,
    /// Cohort attributes, only with the employee's cohort consent.
    #[serde(default)]
    pub cohort: Option<Cohort>,
    /// The employee agreed to the crisis path for a sensitive theme.
    #[serde(default)]
    pub crisis_path: bool,
}

impl Contract for SessionShared {
    const TOPIC: &'static str = "booking.session_shared.v1";
}

/// How a session ended, for usage counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// It took place.
    Held,
    /// The employee did not come.
    NoShow,
}

impl Outcome {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Held => "held",
            Self::NoShow => "no_show",
        }
    }
}

/// `booking.session_closed.v1`: a session was held or missed, whatever the
/// employee chose about sharing (usage and credits used), under a pseudonym
/// keyed apart from the hand-off's so the two cannot be joined.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionClosed {
    /// The employee's org.
    pub org_id: OrgId,
    /// The month it counts in, `YYYY-MM`.
    pub period: String,
    /// A keyed hash of the employee within the org and quarter.
    pub pseudonym: String,
    /// Held or missed.
    pub outcome: Outcome,
}

impl Contract for SessionClosed {
    const TOPIC: &'static str = "booking.session_closed.v1";
}
