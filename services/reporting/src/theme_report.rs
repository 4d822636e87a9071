//! The theme report as HR reads it: the released cells of each quarter
//! asked for, the hidden ones with their reasons, and optional
//! differential-privacy noise paid from the org's yearly budget. Callers
//! decide access first (`policy`); this reads only released quarters.

use chrono::Datelike;
use hmac::{Hmac, Mac};
use rand::SeedableRng;
use serde::Serialize;
use shared::error::ApiError;
use shared::ids::OrgId;
use utoipa::ToSchema;

use crate::periods::Periods;
use crate::releases::{hidden_reason, release};
use crate::report::Hidden;
use crate::{ReportingState, noise, store};

/// What a report is asked for, parsed.
#[derive(Clone, Debug)]
pub struct ThemeQuery {
    /// The quarters, split into released and pending.
    pub periods: Periods,
    /// The cohort dimension, or `None` for the whole org.
    pub dimension: Option<&'static str>,
    /// ε of a noisy release, if one is asked for.
    pub epsilon: Option<f64>,
}

impl ThemeQuery {
    /// Parses the query string's parts; a bad one is a 422 naming it.
    pub fn parse(
        from: Option<&str>,
        to: Option<&str>,
        by: Option<&str>,
        noise: Option<bool>,
        epsilon: Option<f64>,
    ) -> Result<Self, ApiError> {
        let periods = Periods::parse(from, to)?;
        let dimension = match by.unwrap_or("none") {
            "none" => None,
            d => Some(DIMENSIONS.into_iter().find(|x| *x == d).ok_or_else(|| {
                ApiError::unprocessable(
                    "unknown_dimension",
                    format!("`by` must be none, {}", DIMENSIONS.join(" or ")),
                )
            })?),
        };
        let epsilon = match (noise.unwrap_or(false), epsilon) {
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
        Ok(Self {
            periods,
            dimension,
            epsilon,
        })
    }

    fn by(&self) -> &'static str {
        self.dimension.unwrap_or("none")
    }
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
    /// Each theme in the report as it was named when the last quarter
    /// asked for was released (a later rename does not change an old
    /// report); retired themes keep their names here.
    pub labels: Vec<ThemeLabel>,
}

/// A theme's name in a report.
#[derive(Clone, Serialize, ToSchema)]
pub struct ThemeLabel {
    /// Theme code.
    pub code: String,
    /// Japanese label.
    pub label_ja: String,
    /// English label.
    pub label_en: String,
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

/// Builds the report of `org` (access already decided).
#[tracing::instrument(name = "reporting.theme_report", skip_all, fields(quarters = query.periods.quarters.len()))]
pub async fn build(
    state: &ReportingState,
    org: OrgId,
    query: &ThemeQuery,
) -> Result<ThemeReport, ApiError> {
    let (mut rows, suppressed) = released_cells(state, org, query).await?;
    let noise = match query.epsilon {
        None => None,
        Some(epsilon) => Some(add_noise(state, org, query.by(), epsilon, &mut rows).await?),
    };
    let (from, to) = query.periods.names();
    let labels = labels_as_released(state, query, &rows, &suppressed).await?;
    shared::telemetry::business::report_built(noise.is_some());
    Ok(ThemeReport {
        labels,
        noise,
        k: state.settings.k.max(crate::report::MIN_K),
        from,
        to,
        by: query.by().to_owned(),
        released: query.periods.released.clone(),
        pending: query.periods.pending.clone(),
        rows,
        suppressed,
    })
}

/// The names of the report's themes when its last quarter was released
/// (or now, for a report of pending quarters only).
async fn labels_as_released(
    state: &ReportingState,
    query: &ThemeQuery,
    rows: &[Row],
    suppressed: &[Suppressed],
) -> Result<Vec<ThemeLabel>, ApiError> {
    let at = query
        .periods
        .quarters
        .iter()
        .map(|q| q.released_at())
        .max()
        .map_or_else(shared::time::now, |released| {
            released.min(shared::time::now())
        });
    let mut conn = state.db.pool().acquire().await?;
    let themes = store::taxonomy::themes_as_of(&mut conn, shared::time::to_db(at)).await?;
    let used = |code: &str| {
        rows.iter().any(|r| r.theme == code) || suppressed.iter().any(|s| s.theme == code)
    };
    Ok(themes
        .into_iter()
        .filter(|t| used(&t.code))
        .map(|t| ThemeLabel {
            code: t.code,
            label_ja: t.label_ja,
            label_en: t.label_en,
        })
        .collect())
}

/// The cells of every released quarter asked for, shown and hidden.
async fn released_cells(
    state: &ReportingState,
    org: OrgId,
    query: &ThemeQuery,
) -> Result<(Vec<Row>, Vec<Suppressed>), ApiError> {
    let mut rows = Vec::new();
    let mut suppressed = Vec::new();
    for quarter in &query.periods.quarters {
        let released = release(state, org, *quarter).await?;
        let period = quarter.name();
        for cell in released.views.get(query.by()).into_iter().flatten() {
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
    Ok((rows, suppressed))
}

/// Spends ε of the org's budget for this calendar year (in the org's zone) and adds
/// noise to the released counts; refused when the budget is spent.
async fn add_noise(
    state: &ReportingState,
    org: OrgId,
    by: &str,
    epsilon: f64,
    rows: &mut [Row],
) -> Result<NoiseApplied, ApiError> {
    let year = i64::from(
        chrono::Utc::now()
            .with_timezone(&shared::time::org_zone())
            .year(),
    );
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
    for row in rows {
        let mut rng = noise_for(state, org, by, row, epsilon);
        row.count = noise::noisy_count(row.count, epsilon, &mut rng);
    }
    Ok(NoiseApplied {
        epsilon,
        budget_left: left as f64 / 1000.0,
    })
}

/// A hidden cell's reason in words.
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
