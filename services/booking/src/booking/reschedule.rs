//! Moving a booking to another time.

use chrono::{DateTime, Duration, Utc};
use shared::auth::Caller;
use shared::db::retry_conflicts;
use shared::error::ApiError;
use shared::time;

use super::{announce_availability, check_cutoff, load_for};
use crate::BookingState;
use crate::domain::booking::{BookingId, BookingStatus};
use crate::notify::{self, Kind};
use crate::policy::{Action, authorize};
use crate::reminders;
use crate::store::{self, BookingRecord};

/// Moves a booking to `starts_at` atomically: the new time is taken and the
/// old one freed, or nothing changes. The moved session is a new booking
/// (the old one points to it), one calendar event to its participants.
#[tracing::instrument(name = "booking.reschedule", skip_all)]
pub async fn reschedule(
    state: &BookingState,
    caller: &Caller,
    id: BookingId,
    starts_at: DateTime<Utc>,
) -> Result<BookingRecord, ApiError> {
    let starts_at = time::within_bounds(starts_at, "starts_at")?;
    let moved = retry_conflicts(|| reschedule_once(state, caller, id, starts_at)).await?;
    state.wakeup.wake();
    Ok(moved)
}

/// One attempt (calendar lock, then the bookings).
async fn reschedule_once(
    state: &BookingState,
    caller: &Caller,
    id: BookingId,
    starts_at: DateTime<Utc>,
) -> Result<BookingRecord, ApiError> {
    let mut tx = state.db.begin_write().await?;
    let booking = load_for(caller, id, &mut tx).await?;
    if booking.status != BookingStatus::Confirmed {
        return Err(ApiError::conflict(
            "not_reschedulable",
            "only a confirmed booking can be moved",
        ));
    }
    check_cutoff(state, caller, &booking)?;
    let standing = store::lock_consultant(&mut tx, booking.consultant_id).await?;
    authorize(
        caller,
        Action::UseCalendarOf {
            consultant: booking.consultant_id,
            standing: standing.as_ref(),
        },
    )?;
    let availability = store::load_availability(&mut tx, booking.consultant_id)
        .await?
        .ok_or_else(|| {
            ApiError::unprocessable("not_bookable", "this consultant has no availability")
        })?;
    let minutes = u32::try_from((booking.ends_at - booking.starts_at).num_minutes()).unwrap_or(60);
    let end = starts_at + Duration::minutes(i64::from(minutes));
    let now = time::now();
    let others: Vec<_> = store::busy(
        &mut tx,
        booking.consultant_id,
        starts_at - Duration::days(2),
        end + Duration::days(2),
    )
    .await?
    .into_iter()
    .filter(|b| !(b.start == booking.starts_at && b.end == booking.ends_at))
    .collect();
    if !availability.is_bookable(starts_at, minutes, &others, now) {
        return Err(if availability.is_bookable(starts_at, minutes, &[], now) {
            ApiError::conflict("slot_taken", "that time is taken; nothing changed")
        } else {
            ApiError::unprocessable(
                "not_bookable",
                "that time is outside the consultant's availability; nothing changed",
            )
        });
    }
    let moved = BookingRecord {
        id: BookingId::new(),
        starts_at,
        ends_at: end,
        idempotency_key: None,
        rescheduled_to: None,
        ..booking.clone()
    };
    let at = time::to_db(now);
    if !store::transition(
        &mut tx,
        id,
        BookingStatus::Confirmed,
        BookingStatus::Rescheduled,
        Some(moved.id),
        at,
    )
    .await?
    {
        return Err(ApiError::conflict(
            "not_reschedulable",
            "the booking changed meanwhile; nothing changed",
        ));
    }
    store::insert_booking(&mut tx, &moved, at).await?;
    announce_availability(&mut tx, booking.consultant_id).await?;
    notify::enqueue(&mut tx, id, Kind::Moved).await?;
    notify::enqueue(&mut tx, moved.id, Kind::Confirmed).await?;
    reminders::unschedule(&mut tx, id).await?;
    reminders::schedule(&mut tx, &moved, now).await?;
    tx.commit().await?;
    shared::telemetry::business::booking(shared::telemetry::business::BookingOutcome::Rescheduled);
    Ok(moved)
}
