//! `/api/v1/bookings/{id}/record`: the consultant's session record — private
//! notes (encrypted, theirs alone), theme codes and an organisational summary.

use axum::extract::State;
use serde::{Deserialize, Serialize};
use shared::auth::Caller;
use shared::error::{ApiError, ErrorBody};
use shared::http::{Json, Path};
use utoipa::ToSchema;

use crate::BookingState;
use crate::booking;
use crate::domain::booking::BookingId;

/// A session record.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct RecordBody {
    /// The consultant's private notes (up to 20,000 characters); encrypted at rest, never shared.
    pub private_notes: String,
    /// Theme codes from the reporting taxonomy (up to 10, `snake_case`).
    pub themes: Vec<String>,
    /// A short summary for the organisational report (up to 2,000 characters);
    /// contact details are scrubbed before it leaves booking.
    pub org_summary: String,
    /// What the employee agreed to do (up to 10 items of 200 characters);
    /// they belong to the employee.
    #[serde(default)]
    pub action_items: Vec<String>,
    /// The employee agreed, in the session, to take a sensitive theme
    /// (health, harassment) further through the crisis path. Needs a
    /// sensitive theme; travels in the de-identified hand-off as a flag only.
    #[serde(default)]
    pub crisis_path: bool,
}

/// Writes (or rewrites) the record of a held session (its consultant only).
#[utoipa::path(post, path = "/api/v1/bookings/{id}/record", tag = "booking", security(("bearer" = [])),
    params(("id" = BookingId, Path, description = "Booking")),
    request_body = RecordBody,
    responses(
        (status = 200, description = "Saved", body = RecordBody),
        (status = 403, description = "Only the session's consultant", body = ErrorBody),
        (status = 404, description = "Not theirs or no such booking", body = ErrorBody),
        (status = 409, description = "The session has not been held", body = ErrorBody),
        (status = 422, description = "Too long, or bad theme codes", body = ErrorBody),
    ))]
pub async fn write(
    State(state): State<BookingState>,
    caller: Caller,
    Path(id): Path<BookingId>,
    Json(body): Json<RecordBody>,
) -> Result<Json<RecordBody>, ApiError> {
    let record = booking::SessionRecord::from(body);
    Ok(Json(RecordBody::from(
        booking::write_record(&state, &caller, id, record).await?,
    )))
}

/// The record of a session (its consultant only; notes decrypted for them).
#[utoipa::path(get, path = "/api/v1/bookings/{id}/record", tag = "booking", security(("bearer" = [])),
    params(("id" = BookingId, Path, description = "Booking")),
    responses(
        (status = 200, description = "The record", body = RecordBody),
        (status = 403, description = "Only the session's consultant", body = ErrorBody),
        (status = 404, description = "No record, or not theirs", body = ErrorBody),
    ))]
pub async fn read(
    State(state): State<BookingState>,
    caller: Caller,
    Path(id): Path<BookingId>,
) -> Result<Json<RecordBody>, ApiError> {
    Ok(Json(RecordBody::from(
        booking::read_record(&state, &caller, id).await?,
    )))
}

impl From<RecordBody> for booking::SessionRecord {
    fn from(b: RecordBody) -> Self {
        Self {
            private_notes: b.private_notes,
            themes: b.themes,
            org_summary: b.org_summary,
            action_items: b.action_items,
            crisis_path: b.crisis_path,
        }
    }
}

impl From<booking::SessionRecord> for RecordBody {
    fn from(r: booking::SessionRecord) -> Self {
        Self {
            private_notes: r.private_notes,
            themes: r.themes,
            org_summary: r.org_summary,
            action_items: r.action_items,
            crisis_path: r.crisis_path,
        }
    }
}
