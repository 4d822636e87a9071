//! `GET /api/v1/orgs/{org_id}/reports/themes` (and `.csv`): HR of that org only.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::Datelike;
use hmac::{Hmac, Mac};
use rand::SeedableRng;
use serde::{Deserialize, Serialize};
use shared::auth::Caller;
use shared::error::{ApiError, ErrorBody};
use shared::http::{Json, Path, Query};
use shared::ids::OrgId;
use utoipa::{IntoParams, ToSchema};

pub use crate::periods::Periods;
use crate::policy::{Action, authorize};
use crate::releases::{hidden_reason, release};
use crate::report::Hidden;
use crate::{ReportingState, noise, store};

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
}

/// A released cell.
#[derive(Serialize, ToSchema)]
pub struct Row {
    /// Theme code.
    pub theme: String,
    /// Quarter, `YYYY-Qn`.
    pub period: String,
    /// Cohort group (`all` for `by=none`).
    pub group: String,
    /// Distinct people who raised the theme that quarter.
    pub count: usize,
}

/// A suppressed cell: its count is not sent.
#[derive(Serialize, ToSchema)]
pub struct Suppressed {
    /// Theme code.
    pub theme: String,
    /// Quarter.
    pub period: String,
    /// Cohort group.
    pub group: String,
    /// `fewer_than_k`, `homogeneous` or `complementary`.
    pub reason: &'static str,
    /// The reason in words, for people.
    pub explanation: String,
}

/// The report.
#[derive(Serialize, ToSchema)]
pub struct ThemeReport {
    /// Smallest group a released cell describes.
    pub k: usize,
    /// First quarter asked for.
    pub from: String,
    /// Last quarter asked for.
    pub to: String,
    /// Breakdown.
    pub by: String,
    /// Quarters in the report (closed for at least 7 days).
    pub released: Vec<String>,
    /// Quarters asked for that are not released yet.
    pub pending: Vec<String>,
    /// Released cells.
    pub rows: Vec<Row>,
    /// Hidden cells.
    pub suppressed: Vec<Suppressed>,
    /// When the counts carry noise: its ε and the budget left this year.
    pub noise: Option<NoiseApplied>,
}

/// The noise a release carries.
#[derive(Serialize, ToSchema)]
pub struct NoiseApplied {
    /// ε of this release.
    pub epsilon: f64,
    /// ε the org can still spend this year.
    pub budget_left: f64,
}

/// The cohort dimensions reports may be broken down by (one at a time).
pub const DIMENSIONS: [&str; 2] = ["department", "age_band"];

fn explain(why: Hidden, k: usize) -> String {
    match why {
        Hidden::FewerThanK => format!("fewer than {k} people"),
        Hidden::Homogeneous => format!(
            "fewer than {k} people in this group did not raise it, so it would say too much about each"
        ),
        Hidden::Complementary => {
            "hidden so that another hidden cell cannot be worked out by subtraction".to_owned()
        }
    }
}

/// A generator seeded by the cell and ε under reporting's own key.
#[expect(clippy::expect_used, reason = "HMAC-SHA256 takes a key of any length")]
fn noise_for(
    state: &ReportingState,
    org: OrgId,
    by: &str,
    row: &Row,
    epsilon: f64,
) -> rand::rngs::StdRng {
    let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(&state.noise_key)
        .expect("HMAC takes any key length");
    for part in [
        org.to_string().as_str(),
        by,
        &row.period,
        &row.theme,
        &row.group,
        &((epsilon * 1000.0).round() as i64).to_string(),
    ] {
        mac.update(part.as_bytes());
        mac.update(b"\0");
    }
    rand::rngs::StdRng::from_seed(mac.finalize().into_bytes().into())
}

async fn build(
    state: &ReportingState,
    caller: &Caller,
    org: OrgId,
    p: &ReportParams,
) -> Result<ThemeReport, ApiError> {
    authorize(caller, Action::ReportsOf(org))?;
    let periods = Periods::parse(p.from.as_deref(), p.to.as_deref())?;
    let by = p.by.clone().unwrap_or_else(|| "none".to_owned());
    let dimension = match by.as_str() {
        "none" => None,
        d if DIMENSIONS.contains(&d) => Some(d),
        _ => {
            return Err(ApiError::unprocessable(
                "unknown_dimension",
                format!("`by` must be none, {}", DIMENSIONS.join(" or ")),
            ));
        }
    };
    let noise = match (p.noise.unwrap_or(false), p.epsilon) {
        (false, None) => None,
        (false, Some(_)) => {
            return Err(ApiError::unprocessable(
                "invalid_noise",
                "`epsilon` goes with noise=true",
            ));
        }
        (true, e) => {
            let e = e.unwrap_or(noise::DEFAULT_EPSILON);
            if !(0.1..=noise::DEFAULT_YEARLY_BUDGET).contains(&e) {
                return Err(ApiError::unprocessable(
                    "invalid_noise",
                    "`epsilon` must be between 0.1 and 4",
                ));
            }
            Some(e)
        }
    };
    let k = state.settings.k.max(crate::report::MIN_K);
    let view = dimension.unwrap_or("none");
    let mut rows = Vec::new();
    let mut suppressed = Vec::new();
    for quarter in &periods.quarters {
        let released = release(state, org, *quarter).await?;
        let period = quarter.name();
        for cell in released.views.get(view).into_iter().flatten() {
            match (cell.count, &cell.hidden) {
                (Some(count), _) => rows.push(Row {
                    theme: cell.theme.clone(),
                    period: period.clone(),
                    group: cell.group.clone(),
                    count,
                }),
                (None, hidden) => {
                    let why = hidden_reason(hidden.as_deref().unwrap_or_default());
                    suppressed.push(Suppressed {
                        theme: cell.theme.clone(),
                        period: period.clone(),
                        group: cell.group.clone(),
                        reason: why.code(),
                        explanation: explain(why, released.k),
                    });
                }
            }
        }
    }
    let noise = match noise {
        None => None,
        Some(epsilon) => {
            // The Japanese calendar year (UTC+9).
            let year = i64::from((chrono::Utc::now() + chrono::Duration::hours(9)).year());
            let mut tx = state.db.begin_write().await?;
            let left = store::spend_noise_budget(
                &mut tx,
                org,
                year,
                (epsilon * 1000.0).round() as i64,
                (noise::DEFAULT_YEARLY_BUDGET * 1000.0) as i64,
            )
            .await?;
            let Some(left) = left else {
                return Err(ApiError::conflict(
                    "privacy_budget_spent",
                    "this organisation's privacy budget for noisy reports is spent for the year",
                ));
            };
            tx.commit().await?;
            // The same noise for the same cell and ε every time: a released
            // quarter's answer never changes, so asking again tells nothing.
            for row in &mut rows {
                let mut rng = noise_for(state, org, &by, row, epsilon);
                row.count = noise::noisy_count(row.count, epsilon, &mut rng);
            }
            Some(NoiseApplied {
                epsilon,
                budget_left: left as f64 / 1000.0,
            })
        }
    };
    let (from, to) = periods.names();
    Ok(ThemeReport {
        noise,
        k,
        from,
        to,
        by,
        released: periods.released,
        pending: periods.pending,
        rows,
        suppressed,
    })
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
    // Audited before the file leaves: an export that cannot be audited fails.
    let mut conn = state.db.pool().acquire().await?;
    crate::AUDIT
        .record(&mut conn, &caller, "report.export", &org.to_string())
        .await?;
    drop(conn);
    let mut out = String::from("\u{feff}theme,period,group,count,hidden_because\r\n");
    for r in &report.rows {
        out.push_str(&format!(
            "{},{},{},{},\r\n",
            r.theme,
            r.period,
            shared::csv::cell(&r.group),
            r.count
        ));
    }
    for s in &report.suppressed {
        out.push_str(&format!(
            "{},{},{},,{}\r\n",
            s.theme,
            s.period,
            shared::csv::cell(&s.group),
            s.reason
        ));
    }
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
