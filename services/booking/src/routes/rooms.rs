//! `GET /api/v1/rooms/{booking_id}/{key}`: the door to a booking's meeting
//! room. The join link the two participants receive carries the key; the
//! room's address is given out only around the session (see
//! [`crate::rooms`]).

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::json;
use shared::error::{ApiError, ErrorBody};
use shared::http::{Json, Path};
use shared::time;
use utoipa::ToSchema;

use crate::BookingState;
use crate::domain::booking::BookingId;
use crate::rooms::{CLOSES_AFTER, Door, OPENS_BEFORE};
use crate::store;

/// An open room.
#[derive(Serialize, ToSchema)]
pub struct OpenRoom {
    /// Where the session takes place.
    pub room_url: String,
    /// When the room opened.
    pub opens_at: DateTime<Utc>,
    /// When it closes.
    pub closes_at: DateTime<Utc>,
}

/// The meeting room of a booking, from its join link: answers with the room
/// from 10 minutes before the start to 30 minutes after the end; never for
/// a cancelled or moved booking. No sign-in: the key is the invitation.
#[utoipa::path(get, path = "/api/v1/rooms/{booking_id}/{key}", tag = "booking",
    params(("booking_id" = BookingId, Path, description = "Booking"), ("key" = String, Path, description = "The key from the join link")),
    responses(
        (status = 200, description = "The room is open", body = OpenRoom),
        (status = 404, description = "`room_not_found`: no such link", body = ErrorBody),
        (status = 409, description = "`room_not_open`: too early; `details.opens_at` says when", body = ErrorBody),
        (status = 410, description = "`room_closed`: the session is over, cancelled or moved", body = ErrorBody),
    ))]
pub async fn enter(
    State(state): State<BookingState>,
    Path((booking_id, key)): Path<(BookingId, String)>,
) -> Result<Json<OpenRoom>, ApiError> {
    let unknown = || {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "room_not_found",
            "this join link is not valid",
        )
    };
    if !state.rooms.key_matches(booking_id, &key) {
        return Err(unknown());
    }
    let mut conn = state.db.pool().acquire().await?;
    let booking = store::find_booking(&mut conn, booking_id)
        .await?
        .ok_or_else(unknown)?;
    let (opens_at, closes_at) = (
        booking.starts_at - OPENS_BEFORE,
        booking.ends_at + CLOSES_AFTER,
    );
    match state.rooms.door(&booking, time::now()) {
        Door::Open(room_url) => Ok(Json(OpenRoom {
            room_url,
            opens_at,
            closes_at,
        })),
        Door::NotYet(at) => Err(ApiError::conflict(
            "room_not_open",
            "the room opens 10 minutes before the session",
        )
        .with_details(json!({ "opens_at": at }))),
        Door::Closed => Err(ApiError::new(
            StatusCode::GONE,
            "room_closed",
            "this session is over, cancelled or moved",
        )),
    }
}
