//! A booking as its two participants see it, in answers and in their data
//! export.

use chrono::{DateTime, Utc};
use serde::Serialize;
use shared::ids::UserId;
use utoipa::ToSchema;

use crate::domain::booking::{Agenda, BookingId, BookingRecord, BookingStatus};
use crate::rooms::Rooms;

/// A booking as its two participants see it.
#[derive(Serialize, ToSchema)]
pub struct BookingView {
    /// Id.
    pub id: BookingId,
    /// State.
    pub status: BookingStatus,
    /// Start (UTC).
    pub starts_at: DateTime<Utc>,
    /// End (UTC).
    pub ends_at: DateTime<Utc>,
    /// Consultant.
    pub consultant_id: UserId,
    /// Join link to this booking's own meeting room (while it is confirmed;
    /// the room opens 10 minutes before the start).
    pub join_url: Option<String>,
    /// The agenda card.
    pub agenda: Option<Agenda>,
    /// The name the employee chose to show the consultant.
    pub nickname: Option<String>,
    /// The booking this one was moved to.
    pub rescheduled_to: Option<BookingId>,
    /// Whether the employee has given feedback on this session: in the
    /// employee's own list and booking only (never the consultant's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feedback_given: Option<bool>,
    /// Until when the caller may still cancel or move it, while it is
    /// confirmed: an employee until the cancellation cutoff before the
    /// start (24 hours by default), the consultant until the start.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changeable_until: Option<DateTime<Utc>>,
    /// Whether the consultant flagged this session for the crisis path, so
    /// that its employee is offered support (`GET …/support`): on the
    /// employee's own booking only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub support_offered: Option<bool>,
}

/// The view of `b`, with its join link while the room may open.
pub fn view(rooms: &Rooms, b: BookingRecord) -> BookingView {
    BookingView {
        join_url: rooms.link_for(&b),
        id: b.id,
        status: b.status,
        starts_at: b.starts_at,
        ends_at: b.ends_at,
        consultant_id: b.consultant_id,
        agenda: b.agenda,
        nickname: b.nickname,
        rescheduled_to: b.rescheduled_to,
        feedback_given: None,
        changeable_until: None,
        support_offered: None,
    }
}
