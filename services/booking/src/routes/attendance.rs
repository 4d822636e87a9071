//! `POST /api/v1/bookings/{id}/no-show`: the consultant records that the
//! employee did not come. A held session is closed by its record instead
//! (`POST …/record` moves it to `completed`).

use axum::extract::State;
use shared::auth::Caller;
use shared::contracts::Outcome;
use shared::error::{ApiError, ErrorBody};
use shared::http::{Json, Path};
use shared::time;

use crate::BookingState;
use crate::booking::load_for;
use crate::booking::{BookingView, view};
use crate::domain::booking::{BookingId, BookingStatus};
use crate::handoff::session_closed;
use crate::policy::{Action, authorize};
use crate::store;

/// Marks a session the employee missed (its consultant, once it has
/// started). The credit stays used, as the consultant's time was reserved.
/// Marking twice is harmless.
#[utoipa::path(post, path = "/api/v1/bookings/{id}/no-show", tag = "booking", security(("bearer" = [])),
    params(("id" = BookingId, Path, description = "Booking")),
    responses(
        (status = 200, description = "Marked no-show", body = BookingView),
        (status = 403, description = "Not the consultant", body = ErrorBody),
        (status = 404, description = "Not yours or no such booking", body = ErrorBody),
        (status = 409, description = "`not_started` yet, or already completed, cancelled or rescheduled", body = ErrorBody),
    ))]
pub async fn no_show(
    State(state): State<BookingState>,
    caller: Caller,
    Path(id): Path<BookingId>,
) -> Result<Json<BookingView>, ApiError> {
    let mut tx = state.db.begin_write().await?;
    let booking = load_for(&caller, id, &mut tx).await?;
    authorize(&caller, Action::ConsultantOf(&booking))?;
    match booking.status {
        BookingStatus::NoShow => return Ok(Json(view(&state.rooms, booking))),
        BookingStatus::Confirmed => {}
        other => {
            return Err(ApiError::conflict(
                "not_confirmed",
                format!("a {} booking cannot become a no-show", other.as_str()),
            ));
        }
    }
    let now = time::now();
    if booking.starts_at > now {
        return Err(ApiError::conflict(
            "not_started",
            "a session can be marked missed once it has started",
        ));
    }
    if !store::transition(
        &mut tx,
        id,
        BookingStatus::Confirmed,
        BookingStatus::NoShow,
        None,
        time::to_db(now),
    )
    .await?
    {
        return Err(ApiError::conflict(
            "not_confirmed",
            "the booking changed meanwhile; reload it",
        ));
    }
    session_closed(&mut tx, &state.master, &booking, Outcome::NoShow).await?;
    let updated = store::find_booking(&mut tx, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    tx.commit().await?;
    state.wakeup.wake();
    Ok(Json(view(&state.rooms, updated)))
}
