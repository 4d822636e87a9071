//! `GET /api/v1/orgs/{org_id}/reports/themes` (and `.csv`): HR of that org only.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::Datelike;
use serde::{Deserialize, Serialize};
use shared::auth::{Caller, Role};
use shared::error::{ApiError, ErrorBody};
use shared::http::{Json, Path, Query};
use shared::ids::OrgId;
use utoipa::{IntoParams, ToSchema};

use crate::report::{Cell, DEFAULT_K, cells};
use crate::{ReportingState, store};

/// Period and breakdown.
#[derive(Deserialize, IntoParams)]
pub struct ReportParams {
    /// First month, `YYYY-MM` (default: five months before `to`).
    pub from: Option<String>,
    /// Last month, `YYYY-MM` (default: this month).
    pub to: Option<String>,
    /// Cohort dimension; only `none` until orgs configure cohorts.
    pub by: Option<String>,
}

/// A released cell.
#[derive(Serialize, ToSchema)]
pub struct Row {
    /// Theme code.
    pub theme: String,
    /// Month.
    pub period: String,
    /// Cohort group.
    pub group: String,
    /// Distinct people who raised the theme that month.
    pub count: usize,
}

/// A suppressed cell: its count is not sent.
#[derive(Serialize, ToSchema)]
pub struct Suppressed {
    /// Theme code.
    pub theme: String,
    /// Month.
    pub period: String,
    /// Cohort group.
    pub group: String,
    /// Why it is hidden.
    pub reason: String,
}

/// The report.
#[derive(Serialize, ToSchema)]
pub struct ThemeReport {
    /// Smallest group a released cell describes.
    pub k: usize,
    /// First month.
    pub from: String,
    /// Last month.
    pub to: String,
    /// Breakdown.
    pub by: String,
    /// Released cells.
    pub rows: Vec<Row>,
    /// Hidden cells.
    pub suppressed: Vec<Suppressed>,
}

fn month(s: &str) -> Option<(i32, u32)> {
    let (y, m) = s.split_once('-')?;
    let (y, m) = (y.parse().ok()?, m.parse().ok()?);
    (s.len() == 7 && (2000..=2100).contains(&y) && (1..=12).contains(&m)).then_some((y, m))
}

fn months_between(a: (i32, u32), b: (i32, u32)) -> i32 {
    (b.0 - a.0) * 12 + b.1 as i32 - a.1 as i32
}

async fn build(
    state: &ReportingState,
    caller: &Caller,
    org: OrgId,
    p: &ReportParams,
) -> Result<ThemeReport, ApiError> {
    match caller.role {
        Role::Hr if caller.org_id == Some(org) => {}
        Role::Hr => return Err(ApiError::not_found()),
        _ => return Err(ApiError::forbidden()),
    }
    let now = chrono::Utc::now();
    let to =
        p.to.clone()
            .unwrap_or_else(|| format!("{:04}-{:02}", now.year(), now.month()));
    let to_m = month(&to).ok_or_else(|| {
        ApiError::unprocessable("invalid_period", "`to` must be a month like 2026-06")
    })?;
    let from = match &p.from {
        Some(f) => f.clone(),
        None => {
            let total = to_m.0 * 12 + to_m.1 as i32 - 1 - 5;
            format!("{:04}-{:02}", total / 12, total % 12 + 1)
        }
    };
    let from_m = month(&from).ok_or_else(|| {
        ApiError::unprocessable("invalid_period", "`from` must be a month like 2026-01")
    })?;
    let span = months_between(from_m, to_m);
    if !(0..24).contains(&span) {
        return Err(ApiError::unprocessable(
            "invalid_period",
            "`from` must not be after `to`, and at most 24 months apart",
        ));
    }
    let by = p.by.clone().unwrap_or_else(|| "none".to_owned());
    if by != "none" {
        return Err(ApiError::unprocessable(
            "cohort_not_configured",
            "this organisation has no cohort attributes configured; use by=none",
        ));
    }
    let mut conn = state.db.pool().acquire().await?;
    let themes: Vec<String> = store::themes(&mut conn)
        .await?
        .into_iter()
        .filter(|t| !t.sensitive)
        .map(|t| t.code)
        .collect();
    let records = store::records(&mut conn, org, &from, &to).await?;
    let mut rows = Vec::new();
    let mut suppressed = Vec::new();
    for Cell {
        theme,
        period,
        group,
        count,
    } in cells(&records, &themes, DEFAULT_K)
    {
        match count {
            Some(count) => rows.push(Row {
                theme,
                period,
                group,
                count,
            }),
            None => suppressed.push(Suppressed {
                theme,
                period,
                group,
                reason: format!("fewer than {DEFAULT_K} people"),
            }),
        }
    }
    Ok(ThemeReport {
        k: DEFAULT_K,
        from,
        to,
        by,
        rows,
        suppressed,
    })
}

/// Themes raised per month, distinct people, with small cells suppressed.
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
    Ok(Json(build(&state, &caller, org, &p).await?))
}

/// The same report as CSV (suppressed cells say so instead of a count).
#[utoipa::path(get, path = "/api/v1/orgs/{org_id}/reports/themes.csv", tag = "reporting", security(("bearer" = [])),
    params(("org_id" = OrgId, Path, description = "Org"), ReportParams),
    responses(
        (status = 200, description = "CSV", content_type = "text/csv"),
        (status = 403, description = "Not HR", body = ErrorBody),
        (status = 404, description = "Another org", body = ErrorBody),
    ))]
pub async fn themes_csv(
    State(state): State<ReportingState>,
    caller: Caller,
    Path(org): Path<OrgId>,
    Query(p): Query<ReportParams>,
) -> Result<Response, ApiError> {
    let report = build(&state, &caller, org, &p).await?;
    let mut out = String::from("\u{feff}theme,period,group,count\r\n");
    for r in &report.rows {
        out.push_str(&format!(
            "{},{},{},{}\r\n",
            r.theme, r.period, r.group, r.count
        ));
    }
    for s in &report.suppressed {
        out.push_str(&format!(
            "{},{},{},suppressed\r\n",
            s.theme, s.period, s.group
        ));
    }
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], out).into_response())
}
