//! `/api/v1/matches`: ten compatible consultants with reasons, the employee's
//! controls (topics, languages, weights, exclusions) and "ten more".

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
use shared::auth::Caller;
use shared::error::{ApiError, ErrorBody};
use shared::http::{Json, Query};
use shared::time;
use utoipa::{IntoParams, ToSchema};

use super::language;
use crate::MatchingState;
use crate::candidates::{Candidate, Page, propose};
use crate::domain::profile::ConsultantId;
use crate::domain::ranking::Weights;
use crate::policy::{Action, authorize};
use crate::preferences;
use crate::store::{self, Preferences};

/// Paging and language.
#[derive(Deserialize, IntoParams)]
pub struct MatchParams {
    /// Candidates per page (1–50, default 10).
    pub limit: Option<usize>,
    /// 1 = the best candidates; 2, 3, … = more, never repeating earlier pages.
    pub page: Option<usize>,
    /// `ja` or `en` for the reasons (default: Accept-Language, else ja).
    pub lang: Option<String>,
}

/// Candidates, best first.
#[derive(Serialize, ToSchema)]
pub struct MatchesResponse {
    /// The page of candidates.
    pub candidates: Vec<Candidate>,
    /// The page returned.
    pub page: usize,
}

/// Compatible consultants for the signed-in employee, with reasons.
#[utoipa::path(get, path = "/api/v1/matches", tag = "matching", security(("bearer" = [])), params(MatchParams),
    responses(
        (status = 200, description = "Candidates, best first; exactly `limit` when that many are eligible", body = MatchesResponse),
        (status = 403, description = "Only employees get candidates", body = ErrorBody),
        (status = 409, description = "assessment_required: answer the assessment first", body = ErrorBody),
        (status = 422, description = "Bad limit or page", body = ErrorBody),
    ))]
pub async fn matches(
    State(state): State<MatchingState>,
    caller: Caller,
    headers: HeaderMap,
    Query(params): Query<MatchParams>,
) -> Result<Json<MatchesResponse>, ApiError> {
    authorize(&caller, Action::GetMatches)?;
    let page = Page::parse(params.limit, params.page)?;
    let lang = language(params.lang.as_deref(), &headers);
    let candidates = propose(&state, caller.user_id, caller.org_id, page, lang).await?;
    Ok(Json(MatchesResponse {
        candidates,
        page: page.number(),
    }))
}

/// An employee's matching preferences.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct PreferencesBody {
    /// Topics to talk about (specialty codes, at most 6).
    #[serde(default)]
    pub topics: Vec<String>,
    /// Languages for sessions (default `["ja"]`).
    #[serde(default)]
    pub languages: Vec<String>,
    /// Consultants never to propose. Left out of a `PUT`, the exclusions
    /// stay as they are (a form that changes topics or weights never undoes
    /// a "not for me" or a low rating made meanwhile); `[]` clears them.
    #[serde(default)]
    pub excluded: Option<Vec<ConsultantId>>,
    /// Relative weights of values, specialty, availability and rating (default: Taiwa's).
    #[serde(default)]
    pub weights: Option<Weights>,
}

fn to_body(p: Preferences) -> PreferencesBody {
    PreferencesBody {
        topics: p.topics,
        languages: if p.languages.is_empty() {
            vec!["ja".to_owned()]
        } else {
            p.languages
        },
        excluded: Some(p.excluded),
        weights: p.weights,
    }
}

/// The employee's preferences.
#[utoipa::path(get, path = "/api/v1/matches/preferences", tag = "matching", security(("bearer" = [])),
    responses((status = 200, description = "Preferences", body = PreferencesBody), (status = 403, description = "Employees only", body = ErrorBody)))]
pub async fn get_preferences(
    State(state): State<MatchingState>,
    caller: Caller,
) -> Result<Json<PreferencesBody>, ApiError> {
    authorize(&caller, Action::GetMatches)?;
    let mut conn = state.db.pool().acquire().await?;
    Ok(Json(to_body(
        store::preferences(&mut conn, caller.user_id).await?,
    )))
}

/// Replaces the employee's preferences (topics, languages, weights, exclusions).
#[utoipa::path(put, path = "/api/v1/matches/preferences", tag = "matching", security(("bearer" = [])),
    request_body = PreferencesBody,
    responses(
        (status = 200, description = "Saved", body = PreferencesBody),
        (status = 403, description = "Employees only", body = ErrorBody),
        (status = 422, description = "Unknown topic or language, or unusable weights", body = ErrorBody),
    ))]
pub async fn put_preferences(
    State(state): State<MatchingState>,
    caller: Caller,
    Json(body): Json<PreferencesBody>,
) -> Result<Json<PreferencesBody>, ApiError> {
    authorize(&caller, Action::GetMatches)?;
    let keep_exclusions = body.excluded.is_none();
    let mut prefs = preferences::check(
        body.topics,
        body.languages,
        body.excluded.unwrap_or_default(),
        body.weights,
    )?;
    let mut tx = state.db.begin_write().await?;
    if keep_exclusions {
        // Read under the row's lock, as a concurrent exclusion writes it.
        preferences::lock(&mut tx, &state.db, caller.user_id).await?;
        prefs.excluded = store::preferences(&mut tx, caller.user_id).await?.excluded;
    }
    store::save_preferences(&mut tx, caller.user_id, &prefs, time::to_db(time::now())).await?;
    state
        .employees
        .commit_then_forget(tx, caller.user_id)
        .await?;
    Ok(Json(to_body(prefs)))
}

/// A consultant to stop proposing.
#[derive(Deserialize, ToSchema)]
pub struct ExcludeBody {
    /// Who.
    pub consultant_id: ConsultantId,
}

/// "Try someone else": never propose this consultant again. Private to the
/// employee: HR never sees it and it never counts against the consultant.
#[utoipa::path(post, path = "/api/v1/matches/exclusions", tag = "matching", security(("bearer" = [])),
    request_body = ExcludeBody,
    responses((status = 204, description = "Excluded"), (status = 403, description = "Employees only", body = ErrorBody)))]
pub async fn exclude(
    State(state): State<MatchingState>,
    caller: Caller,
    Json(body): Json<ExcludeBody>,
) -> Result<StatusCode, ApiError> {
    authorize(&caller, Action::GetMatches)?;
    crate::preferences::exclude(&state, caller.user_id, body.consultant_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
