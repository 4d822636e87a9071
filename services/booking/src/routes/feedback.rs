//! `POST /api/v1/bookings/{id}/feedback`: the employee's rating and consent
//! after a held session, with a receipt of exactly what may be shared.

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use shared::auth::Caller;
use shared::error::{ApiError, ErrorBody};
use shared::http::{Json, Path};
use shared::time;
use utoipa::ToSchema;

use shared::contracts::{Outcome, SessionRated};

use crate::domain::booking::{BookingId, BookingStatus};
use crate::policy::{Action, authorize};
use crate::{BookingState, OUTBOX, store};

/// Feedback on a held session.
#[derive(Deserialize, ToSchema)]
pub struct FeedbackBody {
    /// 1–5.
    pub rating: i64,
    /// May a de-identified record of this session's themes reach the org's report?
    pub share_with_org: bool,
    /// May the org's coarse cohort attributes (e.g. department) go with it?
    pub cohort_consent: bool,
}

/// Exactly what will (and will not) be shared.
#[derive(Serialize, ToSchema)]
pub struct Receipt {
    /// Whether anything reaches the organisational report.
    pub shared_with_org: bool,
    /// What goes, if anything.
    pub shared: Vec<&'static str>,
    /// What never goes.
    pub never_shared: Vec<&'static str>,
}

/// The stored feedback and its receipt.
#[derive(Serialize, ToSchema)]
pub struct FeedbackResponse {
    /// The rating.
    pub rating: i64,
    /// The receipt.
    pub receipt: Receipt,
}

/// Rates a held session and decides what may be shared (employee, once,
/// after the session). The rating helps matching; it is never shown to HR.
#[utoipa::path(post, path = "/api/v1/bookings/{id}/feedback", tag = "booking", security(("bearer" = [])),
    params(("id" = BookingId, Path, description = "Booking")),
    request_body = FeedbackBody,
    responses(
        (status = 201, description = "Saved, with the receipt", body = FeedbackResponse),
        (status = 403, description = "Only the session's employee", body = ErrorBody),
        (status = 404, description = "Not yours or no such booking", body = ErrorBody),
        (status = 409, description = "Not held yet, cancelled, or already rated", body = ErrorBody),
        (status = 422, description = "Rating outside 1–5", body = ErrorBody),
    ))]
pub async fn feedback(
    State(state): State<BookingState>,
    caller: Caller,
    Path(id): Path<BookingId>,
    Json(body): Json<FeedbackBody>,
) -> Result<(StatusCode, Json<FeedbackResponse>), ApiError> {
    // Who may rate is decided before what they sent is judged.
    let mut tx = state.db.begin_write().await?;
    let booking = store::find_booking(&mut tx, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    authorize(&caller, Action::EmployeeOf(&booking))?;
    let Some(rating) = u8::try_from(body.rating)
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
        body.rating,
        body.share_with_org,
        body.cohort_consent,
        at,
    )
    .await?
    {
        return Err(ApiError::conflict(
            "feedback_exists",
            "this session is already rated",
        ));
    }
    // Whichever comes first, this or the consultant's record, closes the
    // session, and the usage record goes with it.
    if store::transition(
        &mut tx,
        id,
        BookingStatus::Confirmed,
        BookingStatus::Completed,
        None,
        at,
    )
    .await?
    {
        crate::handoff::session_closed(&mut tx, &state.master, &booking, Outcome::Held).await?;
    }
    crate::handoff::maybe_hand_off(&mut tx, &state.master, &booking).await?;
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
    let mut shared = Vec::new();
    if body.share_with_org {
        shared.extend([
            "your organisation and the month of the session",
            "the themes the consultant records (from a fixed list)",
            "a summary with names, contacts and ids removed",
        ]);
        if body.cohort_consent {
            shared
                .push("the coarse group your organisation set for you (e.g. department, age band)");
        }
    }
    let receipt = Receipt {
        shared_with_org: body.share_with_org,
        shared,
        never_shared: vec![
            "your name, email or any id",
            "who your consultant was",
            "the date and time",
            "your rating",
            "the consultant's private notes",
            "anything when fewer than the anonymity threshold of people are in a group",
        ],
    };
    Ok((
        StatusCode::CREATED,
        Json(FeedbackResponse {
            rating: body.rating,
            receipt,
        }),
    ))
}
