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

use crate::report::{Cell, Hidden, report};
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

/// Days after a quarter ends before it is released.
pub const RELEASE_DELAY_DAYS: i64 = 7;

/// A quarter as (year, 1–4), from `YYYY-Qn` or `YYYY-MM`.
fn quarter(s: &str) -> Option<(i32, u32)> {
    let (y, rest) = s.split_once('-')?;
    let y: i32 = y.parse().ok().filter(|y| (2000..=2100).contains(y))?;
    if let Some(q) = rest.strip_prefix('Q') {
        let q: u32 = q.parse().ok().filter(|q| (1..=4).contains(q))?;
        return (s.len() == 7).then_some((y, q));
    }
    let m: u32 = rest.parse().ok().filter(|m| (1..=12).contains(m))?;
    (s.len() == 7).then_some((y, m.div_ceil(3)))
}

fn index((y, q): (i32, u32)) -> i32 {
    y * 4 + q as i32 - 1
}

/// The index of a quarter given as `YYYY-Qn`, if it is released now.
pub(crate) fn released_quarter(s: &str) -> Option<i32> {
    s.contains('Q')
        .then(|| quarter(s))
        .flatten()
        .map(index)
        .filter(|i| is_released(*i, chrono::Utc::now()))
}

/// The first and last month of quarter `i`, `YYYY-MM`.
pub(crate) fn months_of(i: i32) -> (String, String) {
    let (year, first) = (i.div_euclid(4), i.rem_euclid(4) * 3 + 1);
    (
        format!("{year:04}-{first:02}"),
        format!("{year:04}-{:02}", first + 2),
    )
}

/// A quarter's name (`YYYY-Qn`) from its index.
pub(crate) fn name(i: i32) -> String {
    format!("{:04}-Q{}", i.div_euclid(4), i.rem_euclid(4) + 1)
}

/// Whether quarter `i` is released at `now`: 7 days after it ends (Japan time).
fn is_released(i: i32, now: chrono::DateTime<chrono::Utc>) -> bool {
    let next = i + 1;
    let (y, q) = (next.div_euclid(4), next.rem_euclid(4) as u32);
    let Some(start_of_next) = chrono::NaiveDate::from_ymd_opt(y, q * 3 + 1, 1) else {
        return false;
    };
    let released_at = start_of_next.and_hms_opt(0, 0, 0).map(|t| {
        t.and_utc() - chrono::Duration::hours(9) + chrono::Duration::days(RELEASE_DELAY_DAYS)
    });
    released_at.is_some_and(|at| now >= at)
}

/// The quarters a request covers: its first and last (as indexes), and which
/// of them are released.
pub(crate) struct Periods {
    from: i32,
    to: i32,
    pub(crate) released: Vec<String>,
    pending: Vec<String>,
}

impl Periods {
    pub(crate) fn parse(from: Option<&str>, to: Option<&str>) -> Result<Self, ApiError> {
        let now = chrono::Utc::now();
        let bad = |which: &str| {
            ApiError::unprocessable(
                "invalid_period",
                format!("`{which}` must be a quarter like 2026-Q2 or a month like 2026-06"),
            )
        };
        let to = match to {
            Some(t) => index(quarter(t).ok_or_else(|| bad("to"))?),
            None => index((now.year(), now.month().div_ceil(3))),
        };
        let from = match from {
            Some(f) => index(quarter(f).ok_or_else(|| bad("from"))?),
            None => to - 3,
        };
        if !(0..8).contains(&(to - from)) {
            return Err(ApiError::unprocessable(
                "invalid_period",
                "`from` must not be after `to`, and at most 8 quarters apart",
            ));
        }
        let (released, pending): (Vec<i32>, Vec<i32>) =
            (from..=to).partition(|i| is_released(*i, now));
        Ok(Self {
            from,
            to,
            released: released.into_iter().map(name).collect(),
            pending: pending.into_iter().map(name).collect(),
        })
    }

    /// The first and last quarter's names.
    pub(crate) fn names(&self) -> (String, String) {
        (name(self.from), name(self.to))
    }

    /// The first and last month covered, `YYYY-MM`.
    pub(crate) fn months(&self) -> (String, String) {
        (months_of(self.from).0, months_of(self.to).1)
    }
}

/// Reports are for HR of the org: another org's HR gets 404, others 403.
pub(crate) fn hr_of(caller: &Caller, org: OrgId) -> Result<(), ApiError> {
    match caller.role {
        Role::Hr if caller.org_id == Some(org) => Ok(()),
        Role::Hr => Err(ApiError::not_found()),
        _ => Err(ApiError::forbidden()),
    }
}

async fn build(
    state: &ReportingState,
    caller: &Caller,
    org: OrgId,
    p: &ReportParams,
) -> Result<ThemeReport, ApiError> {
    hr_of(caller, org)?;
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
    let mut conn = state.db.pool().acquire().await?;
    let themes: Vec<String> = store::themes(&mut conn)
        .await?
        .into_iter()
        .filter(|t| !t.sensitive)
        .map(|t| t.code)
        .collect();
    let (first, last) = periods.names();
    let classes = store::classes_for_report(&mut conn, org, &first, &last).await?;
    let k = state.settings.k;
    let mut rows = Vec::new();
    let mut suppressed = Vec::new();
    for Cell {
        theme,
        period,
        group,
        count,
    } in report(
        &classes,
        &themes,
        &periods.released,
        &DIMENSIONS,
        dimension,
        k,
    ) {
        match count {
            Ok(count) => rows.push(Row {
                theme,
                period,
                group,
                count,
            }),
            Err(why) => suppressed.push(Suppressed {
                theme,
                period,
                group,
                reason: why.code(),
                explanation: match why {
                    Hidden::FewerThanK => format!("fewer than {k} people"),
                    Hidden::Homogeneous => format!(
                        "fewer than {k} people in this group did not raise it, so it would say too much about each"
                    ),
                    Hidden::Complementary => {
                        "hidden so that another hidden cell cannot be worked out by subtraction"
                            .to_owned()
                    }
                },
            }),
        }
    }
    let noise = match noise {
        None => None,
        Some(epsilon) => {
            // The Japanese calendar year (UTC+9).
            let year = i64::from((chrono::Utc::now() + chrono::Duration::hours(9)).year());
            drop(conn);
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
            let mut rng = rand::rng();
            for row in &mut rows {
                row.count = noise::noisy_count(row.count, epsilon, &mut rng);
            }
            Some(NoiseApplied {
                epsilon,
                budget_left: left as f64 / 1000.0,
            })
        }
    };
    Ok(ThemeReport {
        noise,
        k,
        from: name(periods.from),
        to: name(periods.to),
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
            csv_field(&r.group),
            r.count
        ));
    }
    for s in &report.suppressed {
        out.push_str(&format!(
            "{},{},{},,{}\r\n",
            s.theme,
            s.period,
            csv_field(&s.group),
            s.reason
        ));
    }
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], out).into_response())
}

/// Quotes a field for CSV, and defuses spreadsheet formulas (a group name
/// comes from HR's own data, but may start with `=`).
fn csv_field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
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
    hr_of(&caller, org)?;
    let periods = Periods::parse(p.from.as_deref(), p.to.as_deref())?;
    let (first, last) = periods.months();
    let mut conn = state.db.pool().acquire().await?;
    let records = store::usage(&mut conn, org, &first, &last).await?;
    let k = state.settings.k.max(crate::report::MIN_K);
    let mut rows = Vec::new();
    let mut suppressed = Vec::new();
    // One pass: per quarter, distinct people and sessions by outcome.
    let mut tally: std::collections::BTreeMap<
        String,
        (std::collections::BTreeSet<&str>, usize, usize),
    > = Default::default();
    for (month, pseudonym, outcome) in &records {
        let Some(quarter) = crate::report::quarter_of(month) else {
            continue;
        };
        let (people, held, missed) = tally.entry(quarter).or_default();
        people.insert(pseudonym.as_str());
        if outcome == "held" {
            *held += 1;
        } else {
            *missed += 1;
        }
    }
    for quarter in &periods.released {
        let (people, held, missed) = tally.remove(quarter).unwrap_or_default();
        if people.len() < k {
            suppressed.push(UsageSuppressed {
                period: quarter.clone(),
                reason: Hidden::FewerThanK.code(),
            });
        } else {
            rows.push(UsageRow {
                period: quarter.clone(),
                people: people.len(),
                sessions_held: held,
                no_shows: missed,
                credits_used: held + missed,
            });
        }
    }
    Ok(Json(UsageReport {
        k,
        from: name(periods.from),
        to: name(periods.to),
        released: periods.released,
        pending: periods.pending,
        rows,
        suppressed,
    }))
}
