//! `POST /api/v1/bookings/{id}/no-show`: the consultant records that the
//! employee did not come. A held session is closed by its record instead
//! (`POST …/record` moves it to `completed`).

use axum::extract::State;
use shared::auth::Caller;
use shared::error::{ApiError, ErrorBody};
use shared::http::{Json, Path};

use crate::BookingState;
use crate::booking::{self, BookingView, view};
use crate::domain::booking::BookingId;

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
    let updated = booking::mark_no_show(&state, &caller, id).await?;
    Ok(Json(view(&state.rooms, updated)))
}
