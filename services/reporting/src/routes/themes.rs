//! `/api/v1/themes`: the taxonomy records are tagged with (retired themes
//! left out); `/api/v1/operator/themes`: the operators' curation of it,
//! with every label each theme has had.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use shared::auth::Caller;
use shared::error::{ApiError, ErrorBody};
use shared::http::{Json, Query};
use utoipa::{IntoParams, ToSchema};

use crate::policy::{Action, authorize};
use crate::store::taxonomy::label_versions;
use crate::taxonomy::{Change, change};
use crate::{ReportingState, store};

/// A theme.
#[derive(Serialize, ToSchema)]
pub struct ThemeView {
    /// Code (consultants record these).
    pub code: String,
    /// Japanese label.
    pub label_ja: String,
    /// English label.
    pub label_en: String,
    /// Never in HR reports.
    pub sensitive: bool,
    /// Retired: no longer offered for new records (listed only with
    /// `include_retired=true`).
    pub retired: bool,
}

/// Which themes to list.
#[derive(Deserialize, IntoParams)]
pub struct ListParams {
    /// Also the retired themes (a record written before may carry one).
    #[serde(default)]
    pub include_retired: bool,
}

/// The themes a record can carry now (retired ones only when asked for).
#[utoipa::path(get, path = "/api/v1/themes", tag = "reporting", params(ListParams),
    responses((status = 200, description = "Themes", body = [ThemeView])))]
pub async fn list(
    State(state): State<ReportingState>,
    Query(p): Query<ListParams>,
) -> Result<Json<Vec<ThemeView>>, ApiError> {
    let mut conn = state.db.pool().acquire().await?;
    let themes = store::themes(&mut conn).await?;
    Ok(Json(
        themes
            .into_iter()
            .filter(|t| p.include_retired || t.retired_at.is_none())
            .map(|t| ThemeView {
                retired: t.retired_at.is_some(),
                code: t.code,
                label_ja: t.label_ja,
                label_en: t.label_en,
                sensitive: t.sensitive,
            })
            .collect(),
    ))
}

/// One label a theme has had.
#[derive(Serialize, ToSchema)]
pub struct LabelView {
    /// 1, 2, … per theme.
    pub version: i64,
    /// Japanese label.
    pub label_ja: String,
    /// English label.
    pub label_en: String,
    /// When it took effect (absent for the labels the taxonomy started with).
    pub valid_from: Option<chrono::DateTime<chrono::Utc>>,
}

/// A theme as operators curate it.
#[derive(Serialize, ToSchema)]
pub struct CuratedTheme {
    /// Code (kept for ever).
    pub code: String,
    /// Current Japanese label.
    pub label_ja: String,
    /// Current English label.
    pub label_en: String,
    /// Never in HR reports (fixed).
    pub sensitive: bool,
    /// When it was retired, if it is.
    pub retired_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Every label it has had, oldest first.
    pub versions: Vec<LabelView>,
}

/// The taxonomy.
#[derive(Serialize, ToSchema)]
pub struct Taxonomy {
    /// Grows by one with each change.
    pub version: i64,
    /// Every theme, retired ones included, by code.
    pub themes: Vec<CuratedTheme>,
}

/// The whole taxonomy with its history (operators only).
#[utoipa::path(get, path = "/api/v1/operator/themes", tag = "reporting", security(("bearer" = [])),
    responses(
        (status = 200, description = "The taxonomy", body = Taxonomy),
        (status = 403, description = "Not an operator", body = ErrorBody),
    ))]
pub async fn taxonomy(
    State(state): State<ReportingState>,
    caller: Caller,
) -> Result<Json<Taxonomy>, ApiError> {
    authorize(&caller, Action::CurateTaxonomy)?;
    Ok(Json(read(&state).await?))
}

async fn read(state: &ReportingState) -> Result<Taxonomy, ApiError> {
    let mut conn = state.db.pool().acquire().await?;
    let version = crate::store::taxonomy::version(&mut conn).await?;
    let mut versions = label_versions(&mut conn).await?;
    let instant = |ms: i64| (ms > 0).then(|| shared::time::from_db(ms));
    let themes = store::themes(&mut conn)
        .await?
        .into_iter()
        .map(|t| CuratedTheme {
            versions: versions
                .extract_if(.., |(code, _)| *code == t.code)
                .map(|(_, v)| LabelView {
                    version: v.version,
                    label_ja: v.label_ja,
                    label_en: v.label_en,
                    valid_from: instant(v.valid_from),
                })
                .collect(),
            retired_at: t.retired_at.map(shared::time::from_db),
            code: t.code,
            label_ja: t.label_ja,
            label_en: t.label_en,
            sensitive: t.sensitive,
        })
        .collect();
    Ok(Taxonomy { version, themes })
}

/// A new theme.
#[derive(Deserialize, ToSchema)]
pub struct NewTheme {
    /// 3–40 of a-z, 0-9 and `_`, starting with a letter; kept for ever.
    pub code: String,
    /// Japanese label (1–40 characters).
    pub label_ja: String,
    /// English label (1–40 characters).
    pub label_en: String,
}

/// New labels for a theme.
#[derive(Deserialize, ToSchema)]
pub struct ThemeLabels {
    /// Japanese label (1–40 characters).
    pub label_ja: String,
    /// English label (1–40 characters).
    pub label_en: String,
}

/// Adds a theme (never sensitive); records can carry it once booking has
/// the new taxonomy (an event, usually within a second).
#[utoipa::path(post, path = "/api/v1/operator/themes", tag = "reporting", security(("bearer" = [])),
    request_body = NewTheme,
    responses(
        (status = 201, description = "Added; the taxonomy", body = Taxonomy),
        (status = 403, description = "Not an operator", body = ErrorBody),
        (status = 409, description = "The code exists (`theme_exists`), another theme has the label (`label_taken`), or the taxonomy is full (`taxonomy_full`)", body = ErrorBody),
        (status = 422, description = "`invalid_code` or `invalid_label` (`details.field`)", body = ErrorBody),
    ))]
pub async fn add(
    State(state): State<ReportingState>,
    caller: Caller,
    Json(body): Json<NewTheme>,
) -> Result<(StatusCode, Json<Taxonomy>), ApiError> {
    let new = Change::Add {
        code: body.code.trim(),
        label_ja: &body.label_ja,
        label_en: &body.label_en,
    };
    change(&state, &caller, new).await?;
    Ok((StatusCode::CREATED, Json(read(&state).await?)))
}

/// Renames a theme: the earlier labels stay with the reports released under
/// them.
#[utoipa::path(put, path = "/api/v1/operator/themes/{code}", tag = "reporting", security(("bearer" = [])),
    params(("code" = String, Path, description = "The theme")),
    request_body = ThemeLabels,
    responses(
        (status = 200, description = "Renamed (or already so named); the taxonomy", body = Taxonomy),
        (status = 403, description = "Not an operator", body = ErrorBody),
        (status = 404, description = "No such theme", body = ErrorBody),
        (status = 409, description = "Another theme has the label (`label_taken`)", body = ErrorBody),
        (status = 422, description = "`invalid_label` (`details.field`)", body = ErrorBody),
    ))]
pub async fn rename(
    State(state): State<ReportingState>,
    caller: Caller,
    Path(code): Path<String>,
    Json(body): Json<ThemeLabels>,
) -> Result<Json<Taxonomy>, ApiError> {
    let renamed = Change::Rename {
        code: &code,
        label_ja: &body.label_ja,
        label_en: &body.label_en,
    };
    change(&state, &caller, renamed).await?;
    Ok(Json(read(&state).await?))
}

/// Retires a theme: no longer offered for new records, still in the records
/// and reports that have it. Sensitive themes cannot be retired.
#[utoipa::path(post, path = "/api/v1/operator/themes/{code}/retire", tag = "reporting", security(("bearer" = [])),
    params(("code" = String, Path, description = "The theme")),
    responses(
        (status = 200, description = "Retired (or already so); the taxonomy", body = Taxonomy),
        (status = 403, description = "Not an operator", body = ErrorBody),
        (status = 404, description = "No such theme", body = ErrorBody),
        (status = 409, description = "A sensitive theme (`sensitive_theme`)", body = ErrorBody),
    ))]
pub async fn retire(
    State(state): State<ReportingState>,
    caller: Caller,
    Path(code): Path<String>,
) -> Result<Json<Taxonomy>, ApiError> {
    change(&state, &caller, Change::Retire(&code)).await?;
    Ok(Json(read(&state).await?))
}

/// Offers a retired theme again.
#[utoipa::path(post, path = "/api/v1/operator/themes/{code}/reinstate", tag = "reporting", security(("bearer" = [])),
    params(("code" = String, Path, description = "The theme")),
    responses(
        (status = 200, description = "Offered again (or already so); the taxonomy", body = Taxonomy),
        (status = 403, description = "Not an operator", body = ErrorBody),
        (status = 404, description = "No such theme", body = ErrorBody),
    ))]
pub async fn reinstate(
    State(state): State<ReportingState>,
    caller: Caller,
    Path(code): Path<String>,
) -> Result<Json<Taxonomy>, ApiError> {
    change(&state, &caller, Change::Reinstate(&code)).await?;
    Ok(Json(read(&state).await?))
}

#[cfg(test)]
mod tests;
