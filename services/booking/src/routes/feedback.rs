//! `POST /api/v1/bookings/{id}/feedback`: the employee's rating and consent
//! after a held session, with a receipt of exactly what may be shared.

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use shared::auth::Caller;
use shared::error::{ApiError, ErrorBody};
use shared::http::{Json, Path};
use utoipa::ToSchema;

use crate::BookingState;
use crate::booking;
use crate::domain::booking::BookingId;

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
    booking::rate(
        &state,
        &caller,
        id,
        &booking::Rating {
            rating: body.rating,
            share_with_org: body.share_with_org,
            cohort_consent: body.cohort_consent,
        },
    )
    .await?;
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
