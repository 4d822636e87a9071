//! `GET /api/v1/orgs/{org_id}/reports/themes` (and `.csv`): HR of that org only.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use serde::{Deserialize, Serialize};
use shared::auth::Caller;
use shared::error::{ApiError, ErrorBody};
use shared::http::{Json, Path, Query};
use shared::ids::OrgId;
use utoipa::{IntoParams, ToSchema};

use crate::ReportingState;
pub use crate::periods::Periods;
use crate::policy::{Action, authorize};
use crate::releases::release;
use crate::report::Hidden;
use crate::theme_report::{self, ThemeQuery, ThemeReport};

/// Period and breakdown.
#[derive(Deserialize, IntoParams)]
pub struct ReportParams {
    /// First quarter, `YYYY-Qn`, or a month `YYYY-MM` (its quarter). Default:
    /// three quarters before `to`.
    pub from: Option<String>,
    /// Last quarter or month (default: the current quarter). Quarters are
    /// released 7 days after they end; later ones are listed as `pending`.
    pub to: Option<String>,
    /// Cohort dimension: `none` (default), `department` or `age_band`.
    pub by: Option<String>,
    /// Add differential-privacy noise to the released counts (spends
    /// `epsilon` of the org's yearly budget of 4; refused when spent).
    pub noise: Option<bool>,
    /// ε of this release, 0.1–4 (default 1; smaller is noisier).
    pub epsilon: Option<f64>,
    /// CSV only: `ja` or `en` labels the file for people (headers, theme
    /// names, groups, reasons); without it, codes.
    pub lang: Option<String>,
}

/// Access, then the use case: the report of `org` for HR of `org`.
async fn report(
    state: &ReportingState,
    caller: &Caller,
    org: OrgId,
    p: &ReportParams,
) -> Result<ThemeReport, ApiError> {
    authorize(caller, Action::ReportsOf(org))?;
    let query = ThemeQuery::parse(
        p.from.as_deref(),
        p.to.as_deref(),
        p.by.as_deref(),
        p.noise,
        p.epsilon,
    )?;
    theme_report::build(state, org, &query).await
}

/// Themes raised per closed quarter (distinct people), optionally by one
/// cohort dimension, under the anonymity rules of `crate::report`.
#[utoipa::path(get, path = "/api/v1/orgs/{org_id}/reports/themes", tag = "reporting", security(("bearer" = [])),
    params(("org_id" = OrgId, Path, description = "Org"), ReportParams),
    responses(
        (status = 200, description = "The report", body = ThemeReport),
        (status = 403, description = "Not HR", body = ErrorBody),
        (status = 404, description = "Another org", body = ErrorBody),
        (status = 422, description = "Bad period or breakdown", body = ErrorBody),
    ))]
pub async fn themes(
    State(state): State<ReportingState>,
    caller: Caller,
    Path(org): Path<OrgId>,
    Query(p): Query<ReportParams>,
) -> Result<Json<ThemeReport>, ApiError> {
    Ok(Json(report(&state, &caller, org, &p).await?))
}

/// The same report as CSV (suppressed cells say so instead of a count).
#[utoipa::path(get, path = "/api/v1/orgs/{org_id}/reports/themes.csv", tag = "reporting", security(("bearer" = [])),
    params(("org_id" = OrgId, Path, description = "Org"), ReportParams),
    responses(
        (status = 200, description = "CSV", content_type = "text/csv"),
        (status = 403, description = "Not HR", body = ErrorBody),
        (status = 404, description = "Another org", body = ErrorBody),
    ))]
#[tracing::instrument(name = "reporting.export_csv", skip_all)]
pub async fn themes_csv(
    State(state): State<ReportingState>,
    caller: Caller,
    Path(org): Path<OrgId>,
    Query(p): Query<ReportParams>,
) -> Result<Response, ApiError> {
    let report = report(&state, &caller, org, &p).await?;
    // Audited before the file leaves: an export that cannot be audited fails.
    let mut conn = state.db.pool().acquire().await?;
    crate::AUDIT
        .record(&mut conn, &caller, "report.export", &org.to_string())
        .await?;
    drop(conn);
    let labels = crate::report_csv::Labels::parse(p.lang.as_deref());
    let out = crate::report_csv::write(&report, labels);
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], out).into_response())
}

/// The period of a usage report.
#[derive(Deserialize, IntoParams)]
pub struct UsageParams {
    /// First quarter or month (default: three quarters before `to`).
    pub from: Option<String>,
    /// Last quarter or month (default: the current quarter).
    pub to: Option<String>,
}

/// One released quarter of usage.
#[derive(Serialize, ToSchema)]
pub struct UsageRow {
    /// Quarter.
    pub period: String,
    /// Distinct people who had a session (held or missed).
    pub people: usize,
    /// Sessions held.
    pub sessions_held: usize,
    /// Sessions missed.
    pub no_shows: usize,
    /// Credits used (held and missed sessions; cancellations are refunded).
    pub credits_used: usize,
}

/// A quarter whose usage is hidden.
#[derive(Serialize, ToSchema)]
pub struct UsageSuppressed {
    /// Quarter.
    pub period: String,
    /// `fewer_than_k`.
    pub reason: &'static str,
}

/// Usage per closed quarter.
#[derive(Serialize, ToSchema)]
pub struct UsageReport {
    /// Smallest number of people a released quarter covers.
    pub k: usize,
    /// First quarter asked for.
    pub from: String,
    /// Last quarter asked for.
    pub to: String,
    /// Quarters released.
    pub released: Vec<String>,
    /// Quarters not released yet.
    pub pending: Vec<String>,
    /// Released quarters.
    pub rows: Vec<UsageRow>,
    /// Quarters with fewer than k people.
    pub suppressed: Vec<UsageSuppressed>,
}

/// Sessions held and credits used per closed quarter (HR of that org), under
/// the same rules: a quarter is shown only when at least k distinct people
/// had sessions in it.
#[utoipa::path(get, path = "/api/v1/orgs/{org_id}/reports/usage", tag = "reporting", security(("bearer" = [])),
    params(("org_id" = OrgId, Path, description = "Org"), UsageParams),
    responses(
        (status = 200, description = "The usage report", body = UsageReport),
        (status = 403, description = "Not HR", body = ErrorBody),
        (status = 404, description = "Another org", body = ErrorBody),
        (status = 422, description = "Bad period", body = ErrorBody),
    ))]
#[tracing::instrument(name = "reporting.usage_report", skip_all)]
pub async fn usage(
    State(state): State<ReportingState>,
    caller: Caller,
    Path(org): Path<OrgId>,
    Query(p): Query<UsageParams>,
) -> Result<Json<UsageReport>, ApiError> {
    authorize(&caller, Action::ReportsOf(org))?;
    let periods = Periods::parse(p.from.as_deref(), p.to.as_deref())?;
    let mut k = state.settings.k.max(crate::report::MIN_K);
    let mut rows = Vec::new();
    let mut suppressed = Vec::new();
    for quarter in &periods.quarters {
        let released = release(&state, org, *quarter).await?;
        k = released.k;
        match released.usage {
            Some(u) => rows.push(UsageRow {
                period: quarter.name(),
                people: u.people,
                sessions_held: u.sessions_held,
                no_shows: u.no_shows,
                credits_used: u.sessions_held + u.no_shows,
            }),
            None => suppressed.push(UsageSuppressed {
                period: quarter.name(),
                reason: Hidden::FewerThanK.code(),
            }),
        }
    }
    let (from, to) = periods.names();
    Ok(Json(UsageReport {
        k,
        from,
        to,
        released: periods.released,
        pending: periods.pending,
        rows,
        suppressed,
    }))
}
