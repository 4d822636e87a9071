//! Cancelling a booking.

use shared::auth::Caller;
use shared::db::retry_conflicts;
use shared::error::ApiError;
use shared::time;

use super::{announce_availability, check_cutoff, load_for};
use crate::BookingState;
use crate::domain::booking::{BookingId, BookingStatus};
use crate::notify::{self, Kind};
use crate::reminders;
use crate::store::{self, BookingRecord};

/// Cancels a booking the caller takes part in and frees its slot; the credit
/// goes back to the org and both participants are told. Cancelling twice is
/// harmless. Employees may cancel until the cutoff; consultants any time.
#[tracing::instrument(name = "booking.cancel", skip_all)]
pub async fn cancel(
    state: &BookingState,
    caller: &Caller,
    id: BookingId,
) -> Result<BookingRecord, ApiError> {
    let updated = retry_conflicts(|| cancel_once(state, caller, id)).await?;
    state.wakeup.wake();
    Ok(updated)
}

/// One attempt, in the store's lock order: the consultant's calendar, the
/// booking and the availability row, the org's balance last.
async fn cancel_once(
    state: &BookingState,
    caller: &Caller,
    id: BookingId,
) -> Result<BookingRecord, ApiError> {
    let mut tx = state.db.begin_write().await?;
    let booking = load_for(caller, id, &mut tx).await?;
    match booking.status {
        BookingStatus::Cancelled => return Ok(booking),
        BookingStatus::Confirmed => {}
        other => {
            return Err(ApiError::conflict(
                "not_cancellable",
                format!("a {} booking cannot be cancelled", other.as_str()),
            ));
        }
    }
    check_cutoff(state, caller, &booking)?;
    store::lock_consultant(&mut tx, booking.consultant_id).await?;
    let now = time::to_db(time::now());
    if !store::transition(
        &mut tx,
        id,
        BookingStatus::Confirmed,
        BookingStatus::Cancelled,
        None,
        now,
    )
    .await?
    {
        return Err(ApiError::conflict(
            "not_cancellable",
            "the booking changed meanwhile; reload it",
        ));
    }
    announce_availability(&mut tx, booking.consultant_id).await?;
    notify::enqueue(&mut tx, id, Kind::Cancelled).await?;
    reminders::unschedule(&mut tx, id).await?;
    store::add_credits(
        &mut tx,
        booking.org_id,
        1,
        "refund",
        Some(&id.to_string()),
        now,
    )
    .await?;
    let updated = store::find_booking(&mut tx, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    tx.commit().await?;
    shared::telemetry::business::booking(shared::telemetry::business::BookingOutcome::Cancelled);
    Ok(updated)
}
