//! "You said, we did": HR answers a released theme, and the org's employees
//! read the answers — the loop that shows people speaking up changed
//! something. HR can answer only themes the report released (≥ k people),
//! never a sensitive or hidden one.

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use shared::auth::Caller;
use shared::error::{ApiError, ErrorBody};
use shared::http::{Json, Path};
use shared::ids::OrgId;
use shared::time;
use utoipa::ToSchema;

use crate::answers::{ResponseView, answer_theme};
use crate::policy::{Action, authorize};
use crate::{ReportingState, store};

/// A response to publish.
#[derive(Deserialize, ToSchema)]
pub struct NewResponse {
    /// A theme released for `period`.
    pub theme: String,
    /// The quarter, `YYYY-Qn`.
    pub period: String,
    /// What the company did or will do (1–2,000 characters).
    pub message: String,
}

/// The org's responses, newest first.
#[derive(Serialize, ToSchema)]
pub struct ResponseList {
    /// Responses.
    pub items: Vec<ResponseView>,
}

/// Publishes a response to a theme released in a closed quarter (HR of that org).
#[utoipa::path(post, path = "/api/v1/orgs/{org_id}/responses", tag = "reporting", security(("bearer" = [])),
    params(("org_id" = OrgId, Path, description = "Org")),
    request_body = NewResponse,
    responses(
        (status = 201, description = "Published", body = ResponseView),
        (status = 403, description = "Not HR", body = ErrorBody),
        (status = 404, description = "Another org", body = ErrorBody),
        (status = 409, description = "`theme_not_released`: the theme was not released for that quarter", body = ErrorBody),
        (status = 422, description = "Bad quarter or message", body = ErrorBody),
    ))]
pub async fn publish(
    State(state): State<ReportingState>,
    caller: Caller,
    Path(org): Path<OrgId>,
    Json(body): Json<NewResponse>,
) -> Result<(StatusCode, Json<ResponseView>), ApiError> {
    authorize(&caller, Action::ReportsOf(org))?;
    let view = answer_theme(&state, org, &body.theme, &body.period, &body.message).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// The org's published responses (its HR and employees).
#[utoipa::path(get, path = "/api/v1/orgs/{org_id}/responses", tag = "reporting", security(("bearer" = [])),
    params(("org_id" = OrgId, Path, description = "Org")),
    responses(
        (status = 200, description = "Responses", body = ResponseList),
        (status = 403, description = "Consultants and operators", body = ErrorBody),
        (status = 404, description = "Another org", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<ReportingState>,
    caller: Caller,
    Path(org): Path<OrgId>,
) -> Result<Json<ResponseList>, ApiError> {
    authorize(&caller, Action::ResponsesOf(org))?;
    let mut conn = state.db.pool().acquire().await?;
    let items = store::responses(&mut conn, org)
        .await?
        .into_iter()
        .map(|(id, theme, period, message, at)| ResponseView {
            id,
            theme,
            period,
            message,
            published_at: time::from_db(at),
        })
        .collect();
    Ok(Json(ResponseList { items }))
}
