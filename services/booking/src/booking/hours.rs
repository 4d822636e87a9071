//! A consultant's hours: the weekly availability, one date's override, and
//! the free slots they leave — the same computation the booking check uses.
//! Every change tells matching the consultant's next free time.

use chrono::{DateTime, Duration, DurationRound, NaiveDate, Utc};
use chrono_tz::Tz;
use shared::auth::Caller;
use shared::db::retry_conflicts;
use shared::error::ApiError;
use shared::ids::UserId;
use shared::time;

use super::announce_availability;
use crate::domain::availability::{Availability, Interval, Slot};
use crate::{BookingState, store};

/// Replaces the consultant's weekly availability and rules.
#[tracing::instrument(name = "booking.set_hours", skip_all)]
pub async fn set_weekly(
    state: &BookingState,
    consultant: UserId,
    availability: &Availability,
) -> Result<(), ApiError> {
    retry_conflicts(|| async {
        let mut tx = state.db.begin_write().await?;
        store::save_availability(&mut tx, consultant, availability, time::to_db(time::now()))
            .await?;
        announce_availability(&mut tx, consultant).await?;
        tx.commit().await?;
        Ok(())
    })
    .await?;
    state.wakeup.wake();
    Ok(())
}

/// Sets or clears one date (in the consultant's zone); 409
/// `availability_required` before the weekly hours exist.
#[tracing::instrument(name = "booking.set_override", skip_all)]
pub async fn set_override(
    state: &BookingState,
    consultant: UserId,
    date: NaiveDate,
    intervals: &[Interval],
) -> Result<(), ApiError> {
    retry_conflicts(|| async {
        let mut tx = state.db.begin_write().await?;
        if store::load_availability(&mut tx, consultant)
            .await?
            .is_none()
        {
            return Err(ApiError::conflict(
                "availability_required",
                "set the weekly availability first",
            ));
        }
        store::save_override(&mut tx, consultant, date, intervals).await?;
        announce_availability(&mut tx, consultant).await?;
        tx.commit().await?;
        Ok(())
    })
    .await?;
    state.wakeup.wake();
    Ok(())
}

/// The window slots are asked for: `from` (default now) to `to` (default
/// two weeks on, at most 92 days), sessions of `minutes` (default the
/// consultant's shortest).
#[derive(Clone, Copy, Debug)]
pub struct SlotWindow {
    /// Window start.
    pub from: Option<DateTime<Utc>>,
    /// Window end.
    pub to: Option<DateTime<Utc>>,
    /// Session length.
    pub minutes: Option<u32>,
}

/// The first whole hour at or after `t`: the horizon's end as answered, so
/// that it moves once an hour, like the slots, and not with every request.
fn hour_after(t: DateTime<Utc>) -> DateTime<Utc> {
    let hour = t.duration_trunc(Duration::hours(1)).unwrap_or(t);
    if hour < t {
        hour + Duration::hours(1)
    } else {
        hour
    }
}

/// A consultant's free slots in a window, with what a booking page needs
/// around them.
#[derive(Debug)]
pub struct FreeSlots {
    /// The consultant's zone.
    pub tz: Tz,
    /// The length of these slots, minutes.
    pub minutes: u32,
    /// Every length the consultant offers, minutes.
    pub offered: Vec<u32>,
    /// The end of the consultant's horizon, rounded up to the hour: nothing
    /// starts at or after it.
    pub bookable_until: DateTime<Utc>,
    /// The slots, earliest first.
    pub slots: Vec<Slot>,
}

/// A consultant's free slots in a window: 404 for one who is not open to
/// `caller` or has no hours, 422 for a bad window or a length they do not
/// offer.
#[tracing::instrument(name = "booking.free_slots", skip_all)]
pub async fn free_slots(
    state: &BookingState,
    caller: &Caller,
    consultant: UserId,
    window: SlotWindow,
) -> Result<FreeSlots, ApiError> {
    let mut conn = state.db.pool().acquire().await?;
    crate::standing::open_to(&mut conn, caller, consultant).await?;
    let a = store::load_availability(&mut conn, consultant)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let now = time::now();
    let from = time::within_bounds(window.from.unwrap_or(now), "from")?;
    let to = time::within_bounds(window.to.unwrap_or(from + Duration::days(14)), "to")?;
    if to <= from || to - from > Duration::days(92) {
        return Err(ApiError::unprocessable(
            "invalid_window",
            "`to` must be after `from` and at most 92 days later",
        ));
    }
    let duration = window
        .minutes
        .or_else(|| a.session_minutes.first().copied())
        .unwrap_or(60);
    if !a.session_minutes.contains(&duration) {
        return Err(ApiError::unprocessable(
            "invalid_duration",
            format!("this consultant offers {:?} minutes", a.session_minutes),
        ));
    }
    let busy = store::busy(
        &mut conn,
        consultant,
        from - Duration::days(2),
        to + Duration::days(2),
    )
    .await?;
    Ok(FreeSlots {
        tz: a.tz,
        minutes: duration,
        slots: a.slots(from, to, duration, &busy, now),
        offered: a.session_minutes,
        bookable_until: hour_after(now + Duration::days(i64::from(a.horizon_days))),
    })
}
