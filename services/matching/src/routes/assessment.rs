//! `/api/v1/assessment`: the instrument, answering it, the latest result.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::json;
use shared::auth::Caller;
use shared::error::{ApiError, ErrorBody};
use shared::http::Json;
use utoipa::ToSchema;

use crate::assessment::record_answers;
use crate::domain::instrument::{
    Answers, DIMENSIONS, Dimension, ITEMS, Item, SCALE_MAX, SCALE_MIN, VERSION,
};
use crate::policy::{Action, authorize};
use crate::{MatchingState, store};

/// The answer scale.
#[derive(Serialize, ToSchema)]
pub struct Scale {
    /// Lowest answer (全くそう思わない / strongly disagree).
    pub min: i64,
    /// Highest answer (とてもそう思う / strongly agree).
    pub max: i64,
}

/// The questionnaire.
#[derive(Serialize, ToSchema)]
pub struct InstrumentView {
    /// Instrument version.
    pub version: &'static str,
    /// Answer scale.
    pub scale: Scale,
    /// Value dimensions, in vector order.
    pub dimensions: Vec<Dimension>,
    /// Items to rate.
    pub items: Vec<Item>,
}

/// The values questionnaire (the same for employees and consultants).
#[utoipa::path(get, path = "/api/v1/assessment", tag = "matching",
    responses((status = 200, description = "The instrument", body = InstrumentView)))]
pub async fn instrument() -> Json<InstrumentView> {
    Json(InstrumentView {
        version: VERSION,
        scale: Scale {
            min: SCALE_MIN,
            max: SCALE_MAX,
        },
        dimensions: DIMENSIONS.to_vec(),
        items: ITEMS.to_vec(),
    })
}

/// One answer.
#[derive(Deserialize, ToSchema)]
pub struct AnswerInput {
    /// Item id.
    pub item_id: String,
    /// 1–6.
    pub value: i64,
}

/// All answers.
#[derive(Deserialize, ToSchema)]
pub struct ResponsesInput {
    /// One answer per item.
    pub answers: Vec<AnswerInput>,
}

/// A scored assessment.
#[derive(Serialize, ToSchema)]
pub struct AssessmentResult {
    /// Assessment id.
    pub id: String,
    /// `{dimension key: score in [-1, 1]}`.
    pub vector: BTreeMap<&'static str, f64>,
}

/// Answers the assessment and returns the values vector.
#[utoipa::path(post, path = "/api/v1/assessment/responses", tag = "matching", security(("bearer" = [])),
    request_body = ResponsesInput,
    responses(
        (status = 201, description = "Scored", body = AssessmentResult),
        (status = 403, description = "Only employees and consultants answer", body = ErrorBody),
        (status = 422, description = "An item is missing, unknown, repeated or out of range (named in details.item)", body = ErrorBody),
    ))]
pub async fn submit(
    State(state): State<MatchingState>,
    caller: Caller,
    Json(body): Json<ResponsesInput>,
) -> Result<(StatusCode, Json<AssessmentResult>), ApiError> {
    authorize(&caller, Action::AnswerAssessment)?;
    let raw: Vec<(String, i64)> = body
        .answers
        .into_iter()
        .map(|a| (a.item_id, a.value))
        .collect();
    let answers = Answers::parse(&raw).map_err(|e| {
        ApiError::unprocessable("invalid_answers", e.to_string())
            .with_details(json!({ "item": e.item() }))
    })?;
    let (id, vector) = record_answers(&state, &caller, &answers).await?;
    Ok((
        StatusCode::CREATED,
        Json(AssessmentResult {
            id,
            vector: vector.by_key(),
        }),
    ))
}

/// The caller's latest assessment result.
#[utoipa::path(get, path = "/api/v1/assessment/responses/latest", tag = "matching", security(("bearer" = [])),
    responses(
        (status = 200, description = "The latest result", body = AssessmentResult),
        (status = 403, description = "Only employees and consultants answer it", body = ErrorBody),
        (status = 404, description = "Not answered yet", body = ErrorBody),
    ))]
pub async fn latest(
    State(state): State<MatchingState>,
    caller: Caller,
) -> Result<Json<AssessmentResult>, ApiError> {
    authorize(&caller, Action::AnswerAssessment)?;
    let mut conn = state.db.pool().acquire().await?;
    let (id, vector) = store::latest_vector(&mut conn, caller.user_id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(AssessmentResult {
        id,
        vector: vector.by_key(),
    }))
}
