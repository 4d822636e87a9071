//! Continuity: the employee's action items (see, tick, export; the consultant
//! sees them at the next session) and follow-up bookings at a cadence.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use shared::auth::Caller;
use shared::error::{ApiError, ErrorBody};
use shared::http::{Json, Path, Query};
use shared::time;
use utoipa::{IntoParams, ToSchema};

use crate::BookingState;
use crate::booking::{self, load_for};
use crate::domain::booking::BookingId;
use crate::policy::{Action, authorize};
use crate::store::{self, ActionItem};

/// An action item.
#[derive(Serialize, ToSchema)]
pub struct ActionItemView {
    /// Id.
    pub id: String,
    /// What to do.
    pub text: String,
    /// Ticked.
    pub done: bool,
    /// The session it was agreed in.
    pub booking_id: BookingId,
    /// When it was agreed.
    pub created_at: DateTime<Utc>,
}

fn view(a: ActionItem) -> ActionItemView {
    ActionItemView {
        id: a.id,
        text: a.text,
        done: a.done_at.is_some(),
        booking_id: a.booking_id,
        created_at: time::from_db(a.created_at),
    }
}

/// Action items.
#[derive(Serialize, ToSchema)]
pub struct ActionItemList {
    /// Newest first.
    pub items: Vec<ActionItemView>,
}

/// Output format.
#[derive(Deserialize, IntoParams)]
pub struct ExportParams {
    /// `json` (default) or `csv`.
    pub format: Option<String>,
}

/// The signed-in employee's action items (`?format=csv` to export).
#[utoipa::path(get, path = "/api/v1/action-items", tag = "booking", security(("bearer" = [])), params(ExportParams),
    responses((status = 200, description = "Items", body = ActionItemList), (status = 403, description = "Employees only", body = ErrorBody)))]
pub async fn mine(
    State(state): State<BookingState>,
    caller: Caller,
    Query(p): Query<ExportParams>,
) -> Result<Response, ApiError> {
    authorize(&caller, Action::KeepActionItems)?;
    let mut conn = state.db.pool().acquire().await?;
    let items = store::action_items_of(&mut conn, caller.user_id).await?;
    match p.format.as_deref() {
        None | Some("json") => Ok(Json(ActionItemList {
            items: items.into_iter().map(view).collect(),
        })
        .into_response()),
        Some("csv") => {
            let mut out = String::from("\u{feff}text,done,agreed_at\r\n");
            for a in items {
                out.push_str(&format!(
                    "{},{},{}\r\n",
                    shared::csv::cell(&a.text),
                    a.done_at.is_some(),
                    time::from_db(a.created_at).to_rfc3339()
                ));
            }
            Ok((
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                    (
                        header::CONTENT_DISPOSITION,
                        "attachment; filename=\"action-items.csv\"",
                    ),
                ],
                out,
            )
                .into_response())
        }
        Some(_) => Err(ApiError::unprocessable(
            "invalid_parameter",
            "format must be json or csv",
        )),
    }
}

/// Ticking an item.
#[derive(Deserialize, ToSchema)]
pub struct TickBody {
    /// Done or not.
    pub done: bool,
}

/// Ticks or unticks one of the employee's action items.
#[utoipa::path(post, path = "/api/v1/action-items/{id}/done", tag = "booking", security(("bearer" = [])),
    params(("id" = String, Path, description = "Action item")), request_body = TickBody,
    responses((status = 204, description = "Saved"), (status = 403, description = "Not an employee", body = ErrorBody), (status = 404, description = "Not theirs", body = ErrorBody)))]
pub async fn tick(
    State(state): State<BookingState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(body): Json<TickBody>,
) -> Result<axum::http::StatusCode, ApiError> {
    authorize(&caller, Action::KeepActionItems)?;
    let mut conn = state.db.pool().acquire().await?;
    let at = body.done.then(|| time::to_db(time::now()));
    if !store::set_action_item_done(&mut conn, caller.user_id, &id, at).await? {
        return Err(ApiError::not_found());
    }
    Ok(axum::http::StatusCode::NO_CONTENT)
}

/// The action items this employee agreed with the consultant of a booking
/// (that consultant only, e.g. at the next session).
#[utoipa::path(get, path = "/api/v1/bookings/{id}/action-items", tag = "booking", security(("bearer" = [])),
    params(("id" = BookingId, Path, description = "Booking")),
    responses((status = 200, description = "Items", body = ActionItemList), (status = 403, description = "Not the consultant", body = ErrorBody), (status = 404, description = "Not theirs", body = ErrorBody)))]
pub async fn for_booking(
    State(state): State<BookingState>,
    caller: Caller,
    Path(id): Path<BookingId>,
) -> Result<Json<ActionItemList>, ApiError> {
    let mut conn = state.db.pool().acquire().await?;
    let booking = load_for(&caller, id, &mut conn).await?;
    authorize(&caller, Action::ConsultantOf(&booking))?;
    let items =
        store::action_items_with(&mut conn, booking.employee_id, booking.consultant_id).await?;
    Ok(Json(ActionItemList {
        items: items.into_iter().map(view).collect(),
    }))
}

/// A cadence of follow-up sessions.
#[derive(Deserialize, ToSchema)]
pub struct FollowUpBody {
    /// Weeks between sessions (1–12).
    pub every_weeks: u32,
    /// How many ahead (1–3).
    pub count: u32,
}

/// What happened to one follow-up.
#[derive(Serialize, ToSchema)]
pub struct FollowUpResult {
    /// Its start.
    pub starts_at: DateTime<Utc>,
    /// `confirmed`, or the error code (`slot_taken`, `not_bookable`, `no_credits`).
    pub status: String,
    /// The new booking, when confirmed.
    pub booking_id: Option<BookingId>,
}

/// The follow-ups, one result each.
#[derive(Serialize, ToSchema)]
pub struct FollowUps {
    /// In order.
    pub results: Vec<FollowUpResult>,
}

/// Books follow-ups at the same local time (in the consultant's zone) every
/// few weeks; each is checked and held like any booking, so some may fail.
#[utoipa::path(post, path = "/api/v1/bookings/{id}/follow-ups", tag = "booking", security(("bearer" = [])),
    params(("id" = BookingId, Path, description = "The booking to follow up")), request_body = FollowUpBody,
    responses(
        (status = 200, description = "One result per follow-up", body = FollowUps),
        (status = 403, description = "Only the booking's employee", body = ErrorBody),
        (status = 404, description = "Not theirs, or the consultant is no longer there to book", body = ErrorBody),
        (status = 409, description = "Cancelled or moved", body = ErrorBody),
        (status = 422, description = "Cadence out of range", body = ErrorBody),
    ))]
pub async fn follow_ups(
    State(state): State<BookingState>,
    caller: Caller,
    Path(id): Path<BookingId>,
    Json(body): Json<FollowUpBody>,
) -> Result<Json<FollowUps>, ApiError> {
    let planned = booking::book_follow_ups(
        &state,
        &caller,
        id,
        booking::Cadence {
            every_weeks: body.every_weeks,
            count: body.count,
        },
    )
    .await?;
    let results = planned
        .into_iter()
        .map(|f| match f.outcome {
            Ok(booking_id) => FollowUpResult {
                starts_at: f.starts_at,
                status: "confirmed".into(),
                booking_id: Some(booking_id),
            },
            Err(code) => FollowUpResult {
                starts_at: f.starts_at,
                status: code.into(),
                booking_id: None,
            },
        })
        .collect();
    Ok(Json(FollowUps { results }))
}
