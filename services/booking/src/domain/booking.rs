//! The booking state machine. Transitions are compare-and-swap updates in
//! the store (`WHERE status = 'confirmed'`), so two racing changes cannot both
//! apply.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use shared::ids::{OrgId, UserId};
use utoipa::ToSchema;

shared::typed_id!(
    /// A booking.
    BookingId
);

/// Where a booking stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BookingStatus {
    /// Booked and holding its slot.
    Confirmed,
    /// Held.
    Completed,
    /// The employee did not come.
    NoShow,
    /// Cancelled; the slot is free again.
    Cancelled,
    /// Moved to another booking; this one no longer holds a slot.
    Rescheduled,
}

impl BookingStatus {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Confirmed => "confirmed",
            Self::Completed => "completed",
            Self::NoShow => "no_show",
            Self::Cancelled => "cancelled",
            Self::Rescheduled => "rescheduled",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "confirmed" => Some(Self::Confirmed),
            "completed" => Some(Self::Completed),
            "no_show" => Some(Self::NoShow),
            "cancelled" => Some(Self::Cancelled),
            "rescheduled" => Some(Self::Rescheduled),
            _ => None,
        }
    }

    /// Whether the booking holds its slot.
    pub fn holds_slot(self) -> bool {
        self == Self::Confirmed
    }
}

/// The kind of help the employee wants.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum HelpWanted {
    /// 「まずは聴いてほしい」
    JustListen,
    /// 「一緒に考えてほしい」
    ThinkWithMe,
    /// 「助言がほしい」
    AdviseMe,
}

/// The pre-session agenda card (visible to that consultant only).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Agenda {
    /// What the employee wants to talk about (up to 1,000 characters).
    pub topic: String,
    /// The kind of help wanted.
    pub help: HelpWanted,
}

impl Agenda {
    /// Checks the card.
    pub fn check(&self) -> Result<(), String> {
        let n = self.topic.trim().chars().count();
        if n == 0 || n > 1000 {
            return Err("the agenda topic must have 1–1000 characters".to_owned());
        }
        Ok(())
    }
}

/// A booking: who meets whom, when, and where it stands.
#[derive(Clone, Debug)]
pub struct BookingRecord {
    /// Id.
    pub id: BookingId,
    /// Consultant.
    pub consultant_id: UserId,
    /// Employee.
    pub employee_id: UserId,
    /// The employee's org (pays the credit).
    pub org_id: OrgId,
    /// Start.
    pub starts_at: DateTime<Utc>,
    /// End.
    pub ends_at: DateTime<Utc>,
    /// State.
    pub status: BookingStatus,
    /// Nickname shown to the consultant.
    pub nickname: Option<String>,
    /// Agenda card.
    pub agenda: Option<Agenda>,
    /// Idempotency key of the request that made it.
    pub idempotency_key: Option<String>,
    /// The booking it was moved to.
    pub rescheduled_to: Option<BookingId>,
}

impl BookingRecord {
    /// Whether the session took place: over, and neither cancelled nor moved.
    pub fn was_held(&self, now: DateTime<Utc>) -> bool {
        self.ends_at <= now
            && matches!(
                self.status,
                BookingStatus::Confirmed | BookingStatus::Completed
            )
    }
}

/// An instant as mails write it: the date and time in the organisations'
/// zone with its abbreviation, then the time in UTC
/// (`2026-12-07 10:00 JST / 01:00 UTC`).
pub fn local_and_utc(at: chrono::DateTime<chrono::Utc>) -> String {
    format!(
        "{} / {} UTC",
        at.with_timezone(&shared::time::org_zone())
            .format("%Y-%m-%d %H:%M %Z"),
        at.format("%H:%M")
    )
}
