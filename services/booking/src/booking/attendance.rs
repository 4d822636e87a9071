//! A consultant recording that the employee did not come.

use shared::auth::Caller;
use shared::contracts::Outcome;
use shared::error::ApiError;
use shared::time;

use super::load_for;
use crate::domain::booking::{BookingId, BookingRecord, BookingStatus};
use crate::handoff::session_closed;
use crate::policy::{Action, authorize};
use crate::{BookingState, store};

/// Marks a started session the employee missed (its consultant only); the
/// credit stays used, and the usage record goes to reporting. Marking twice
/// is harmless.
#[tracing::instrument(name = "booking.mark_no_show", skip_all)]
pub async fn mark_no_show(
    state: &BookingState,
    caller: &Caller,
    id: BookingId,
) -> Result<BookingRecord, ApiError> {
    let mut tx = state.db.begin_write().await?;
    let booking = load_for(caller, id, &mut tx).await?;
    authorize(caller, Action::ConsultantOf(&booking))?;
    match booking.status {
        BookingStatus::NoShow => return Ok(booking),
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
    Ok(updated)
}
