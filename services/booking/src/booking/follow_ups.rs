//! Follow-up sessions at the same local time every few weeks.

use chrono::{DateTime, Duration, TimeZone, Utc};
use shared::auth::Caller;
use shared::error::ApiError;

use super::{BookingRequest, book, load_for};
use crate::domain::booking::{BookingId, BookingStatus};
use crate::policy::{Action, authorize};
use crate::{BookingState, store};

/// How often, and how many.
#[derive(Clone, Copy, Debug)]
pub struct Cadence {
    /// Weeks between sessions (1–12).
    pub every_weeks: u32,
    /// Follow-ups to book (1–3).
    pub count: u32,
}

/// One follow-up asked for: its start, and the booking made or why not
/// (the error code a booking would have answered with).
#[derive(Clone, Debug)]
pub struct FollowUp {
    /// When it was asked for.
    pub starts_at: DateTime<Utc>,
    /// The booking, or the code of the refusal.
    pub outcome: Result<BookingId, &'static str>,
}

/// Books follow-ups of booking `id` (its employee only) at the same local
/// time in the consultant's zone every few weeks; each is checked and held
/// like any booking, so some may be refused while others are made.
#[tracing::instrument(name = "booking.follow_ups", skip_all)]
pub async fn book_follow_ups(
    state: &BookingState,
    caller: &Caller,
    id: BookingId,
    cadence: Cadence,
) -> Result<Vec<FollowUp>, ApiError> {
    if !(1..=12).contains(&cadence.every_weeks) || !(1..=3).contains(&cadence.count) {
        return Err(ApiError::unprocessable(
            "invalid_cadence",
            "every_weeks 1–12, count 1–3",
        ));
    }
    let mut conn = state.db.pool().acquire().await?;
    let booking = load_for(caller, id, &mut conn).await?;
    authorize(caller, Action::EmployeeOf(&booking))?;
    if !matches!(
        booking.status,
        BookingStatus::Confirmed | BookingStatus::Completed
    ) {
        return Err(ApiError::conflict(
            "not_followable",
            "only a confirmed or held session can be followed up",
        ));
    }
    // A consultant since suspended, or tied to the org, is not there to book.
    crate::standing::open_to(&mut conn, caller, booking.consultant_id).await?;
    let tz = store::load_availability(&mut conn, booking.consultant_id)
        .await?
        .map_or_else(shared::time::org_zone, |a| a.tz);
    drop(conn);
    let local = booking.starts_at.with_timezone(&tz).naive_local();
    let minutes = u32::try_from((booking.ends_at - booking.starts_at).num_minutes()).unwrap_or(60);
    let mut results = Vec::new();
    for k in 1..=cadence.count {
        let wall = local + Duration::weeks(i64::from(cadence.every_weeks * k));
        let Some(starts_at) = tz
            .from_local_datetime(&wall)
            .earliest()
            .map(|t| t.with_timezone(&Utc))
        else {
            results.push(FollowUp {
                starts_at: booking.starts_at + Duration::weeks(i64::from(cadence.every_weeks * k)),
                outcome: Err("not_bookable"),
            });
            continue;
        };
        let request = BookingRequest {
            employee: caller.user_id,
            org_id: booking.org_id,
            consultant_id: booking.consultant_id,
            starts_at,
            duration_minutes: minutes,
            agenda: None,
            nickname: booking.nickname.clone(),
            idempotency_key: None,
        };
        let outcome = match book(state, &request).await {
            Ok(b) => Ok(b.id),
            Err(ApiError::Expected { code, .. }) => Err(code),
            Err(other) => return Err(other),
        };
        results.push(FollowUp { starts_at, outcome });
    }
    Ok(results)
}
