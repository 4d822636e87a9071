//! `/api/v1/matches`: ten compatible consultants with reasons, the employee's
//! controls (topics, languages, weights, exclusions) and "ten more".

use std::collections::HashSet;

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
use crate::domain::profile::ConsultantId;
use crate::domain::ranking::{ReasonInput, Weights, reasons};
use crate::domain::taxonomy::{LANGUAGES, SPECIALTIES, mask, position};
use crate::index::MatchQuery;
use crate::policy::{Action, authorize};
use crate::routes::search::{ConsultantSummary, summary};
use crate::store::{self, Preferences};

/// Most candidates per page.
pub const MAX_LIMIT: usize = 50;
/// Most pages of "more".
pub const MAX_PAGE: usize = 20;
/// Fair-exposure boost used for employees.
pub const EXPOSURE_BOOST: f32 = 0.2;
/// MMR trade-off used for employees.
pub const MMR_LAMBDA: f32 = 0.85;

/// Paging and language.
#[derive(Deserialize, IntoParams)]
pub struct MatchParams {
    /// Candidates per page (1–50, default 10).
    pub limit: Option<usize>,
    /// 1 = a fresh shortlist; 2, 3, … = more, never repeating earlier pages.
    pub page: Option<usize>,
    /// `ja` or `en` for the reasons (default: Accept-Language, else ja).
    pub lang: Option<String>,
}

/// One proposed consultant.
#[derive(Serialize, ToSchema)]
pub struct Candidate {
    /// Who.
    pub consultant: ConsultantSummary,
    /// Compatibility, 0..1.
    pub score: f32,
    /// Why, in plain words (never empty).
    pub reasons: Vec<String>,
    /// Next free slot, when booking has told us.
    pub next_available_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// Candidates, best first.
#[derive(Serialize, ToSchema)]
pub struct MatchesResponse {
    /// The page of candidates.
    pub candidates: Vec<Candidate>,
    /// The page returned.
    pub page: usize,
}

fn bad(message: &str) -> ApiError {
    ApiError::unprocessable("invalid_parameter", message)
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
    let limit = params.limit.unwrap_or(10);
    let page = params.page.unwrap_or(1);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(bad("limit must be between 1 and 50"));
    }
    if !(1..=MAX_PAGE).contains(&page) {
        return Err(bad("page must be between 1 and 20"));
    }
    let lang = language(params.lang.as_deref(), &headers);
    let mut conn = state.db.pool().acquire().await?;
    let Some((_, vector)) = store::latest_vector(&mut conn, caller.user_id).await? else {
        return Err(ApiError::conflict(
            "assessment_required",
            "answer the values assessment first",
        ));
    };
    let prefs = store::preferences(&mut conn, caller.user_id).await?;
    let mut shortlist = if page == 1 {
        Vec::new()
    } else {
        store::shortlist(&mut conn, caller.user_id).await?
    };
    drop(conn);
    shortlist.truncate((page - 1) * limit);

    let employee = vector.matching_form();
    let topics = mask(&SPECIALTIES, &prefs.topics);
    let languages = if prefs.languages.is_empty() {
        mask(&LANGUAGES, &["ja"])
    } else {
        mask(&LANGUAGES, &prefs.languages)
    };
    let mut skip: HashSet<ConsultantId> = prefs.excluded.iter().copied().collect();
    skip.extend(shortlist.iter().copied());
    let now_ms = time::to_db(time::now());
    // Ranking reads the clock by the hour: within an hour the same employee
    // gets the same candidates, and nothing drifts while they read.
    let clock = now_ms - now_ms.rem_euclid(3_600_000);
    let query = MatchQuery {
        vector: employee,
        topics,
        languages,
        org: caller.org_id,
        skip,
        weights: prefs
            .weights
            .and_then(Weights::normalised)
            .unwrap_or(state.default_weights),
        now_ms: clock,
        want: page * limit - shortlist.len(),
        exposure_boost: EXPOSURE_BOOST,
        mmr_lambda: MMR_LAMBDA,
    };
    let ranked = state.index.rank(&query);
    let already = (page - 1) * limit - shortlist.len();
    shortlist.extend(ranked.iter().map(|r| r.entry.record.id));
    let mut tx = state.db.begin_write().await?;
    store::save_shortlist(&mut tx, caller.user_id, &shortlist, now_ms).await?;
    tx.commit().await?;

    // `ranked` continues the stored shortlist; this page is its last `limit`.
    let page_items: Vec<_> = ranked.into_iter().skip(already).collect();
    let shown: Vec<ConsultantId> = page_items.iter().map(|r| r.entry.record.id).collect();
    state.index.record_shown(&shown, now_ms);
    let candidates = page_items
        .into_iter()
        .map(|r| {
            let p = &r.entry.record.profile;
            let days = r
                .entry
                .record
                .next_available_at
                .map(|at| ((at - clock).max(0)) / 86_400_000);
            let why = reasons(
                &ReasonInput {
                    employee: &employee,
                    consultant: &r.vector,
                    features: r.features,
                    topics,
                    specialties: r.entry.specialties,
                    days_until_available: days,
                    rating: r.entry.rating(),
                    years_experience: p.years_experience,
                    qualification: &p.qualification,
                },
                lang,
            );
            Candidate {
                consultant: summary(&r.entry.record),
                score: (r.score * 1000.0).round() / 1000.0,
                reasons: why,
                next_available_at: r.entry.record.next_available_at.map(time::from_db),
            }
        })
        .collect();
    Ok(Json(MatchesResponse { candidates, page }))
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
    /// Consultants never to propose.
    #[serde(default)]
    pub excluded: Vec<ConsultantId>,
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
        excluded: p.excluded,
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
    if let Some(t) = body
        .topics
        .iter()
        .find(|t| position(&SPECIALTIES, t).is_none())
    {
        return Err(ApiError::unprocessable(
            "invalid_preferences",
            format!("unknown topic {t:?}"),
        ));
    }
    if body.topics.len() > 6 {
        return Err(ApiError::unprocessable(
            "invalid_preferences",
            "choose at most 6 topics",
        ));
    }
    if let Some(l) = body
        .languages
        .iter()
        .find(|l| position(&LANGUAGES, l).is_none())
    {
        return Err(ApiError::unprocessable(
            "invalid_preferences",
            format!("unknown language {l:?}"),
        ));
    }
    if body.excluded.len() > 1000 {
        return Err(ApiError::unprocessable(
            "invalid_preferences",
            "at most 1000 exclusions",
        ));
    }
    let weights = match body.weights {
        Some(w) => Some(w.normalised().ok_or_else(|| {
            ApiError::unprocessable(
                "invalid_preferences",
                "weights must be finite, not negative, and not all zero",
            )
        })?),
        None => None,
    };
    let mut topics = body.topics;
    topics.dedup();
    let prefs = Preferences {
        topics,
        languages: body.languages,
        excluded: body.excluded,
        weights,
    };
    let mut tx = state.db.begin_write().await?;
    store::save_preferences(&mut tx, caller.user_id, &prefs, time::to_db(time::now())).await?;
    tx.commit().await?;
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
    let mut tx = state.db.begin_write().await?;
    let mut prefs = store::preferences(&mut tx, caller.user_id).await?;
    if !prefs.excluded.contains(&body.consultant_id) {
        prefs.excluded.push(body.consultant_id);
        store::save_preferences(&mut tx, caller.user_id, &prefs, time::to_db(time::now())).await?;
    }
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
