//! An employee rating a held session and deciding what may be shared.

use shared::auth::Caller;
use shared::contracts::SessionRated;
use shared::error::ApiError;
use shared::time;

use crate::domain::booking::BookingId;
use crate::policy::{Action, authorize};
use crate::{BookingState, OUTBOX, store};

/// What the employee says after a session, as sent.
#[derive(Clone, Copy, Debug)]
pub struct Rating {
    /// 1–5 (checked here, after who may rate).
    pub rating: i64,
    /// May a de-identified record of the session reach the org's report?
    pub share_with_org: bool,
    /// May the org's coarse cohort attributes go with it?
    pub cohort_consent: bool,
}

/// Stores the session's rating and sharing choice (once, after the session,
/// by its employee), closes the session for usage if the record has not,
/// hands the record off if it is due, and tells matching the rating.
#[tracing::instrument(name = "booking.rate", skip_all)]
pub async fn rate(
    state: &BookingState,
    caller: &Caller,
    id: BookingId,
    given: &Rating,
) -> Result<(), ApiError> {
    // Who may rate is decided before what they sent is judged.
    let mut tx = state.db.begin_write().await?;
    let booking = store::find_booking(&mut tx, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    authorize(caller, Action::EmployeeOf(&booking))?;
    let Some(rating) = u8::try_from(given.rating)
        .ok()
        .filter(|r| (1..=5).contains(r))
    else {
        return Err(ApiError::unprocessable(
            "invalid_rating",
            "rate from 1 to 5",
        ));
    };
    let now = time::now();
    if !booking.was_held(now) {
        return Err(ApiError::conflict(
            "not_held",
            "feedback is possible after a held session",
        ));
    }
    let at = time::to_db(now);
    if !store::insert_feedback(
        &mut tx,
        id,
        given.rating,
        given.share_with_org,
        given.cohort_consent,
        at,
    )
    .await?
    {
        return Err(ApiError::conflict(
            "feedback_exists",
            "this session is already rated",
        ));
    }
    super::close_held_session(&mut tx, state, &booking, at).await?;
    OUTBOX
        .publish(
            &mut tx,
            &SessionRated {
                consultant_id: booking.consultant_id,
                employee_id: booking.employee_id,
                rating,
            },
        )
        .await?;
    tx.commit().await?;
    state.wakeup.wake();
    Ok(())
}
