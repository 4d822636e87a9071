//! The operator's views: emerging themes (clusters of scrubbed summaries
//! across client orgs, as terms, never text), to curate the taxonomy; and
//! the sensitive themes (health, harassment) that HR never sees, counted per
//! org and quarter under the same anonymity rules.

use axum::extract::State;
use serde::{Deserialize, Serialize};
use shared::auth::Caller;
use shared::error::{ApiError, ErrorBody};
use shared::http::{Json, Query};
use shared::time;
use utoipa::{IntoParams, ToSchema};

use crate::emerging::discover;
use crate::policy::{Action, authorize};
use crate::report::{Hidden, report};
use crate::routes::reports::Periods;
use crate::theme_report::DIMENSIONS;
use crate::{ReportingState, store};

/// Most summaries clustered at once (the most recent ones).
pub const MAX_SUMMARIES: i64 = 800;

/// The period to look at.
#[derive(Deserialize, IntoParams)]
pub struct EmergingParams {
    /// First quarter or month (default: three quarters before `to`).
    pub from: Option<String>,
    /// Last quarter or month (default: the current quarter).
    pub to: Option<String>,
}

/// A cluster of summaries.
#[derive(Serialize, ToSchema)]
pub struct ClusterView {
    /// Summaries in it (at least k).
    pub size: usize,
    /// Its heaviest terms (Japanese character bigrams and Latin words).
    pub top_terms: Vec<String>,
    /// The taxonomy theme most of its sessions carry.
    pub dominant_theme: Option<String>,
    /// That theme's share of the cluster.
    pub dominant_share: f64,
    /// No theme covers half of it: a candidate for a new theme.
    pub emerging: bool,
}

/// Emerging themes.
#[derive(Serialize, ToSchema)]
pub struct EmergingThemes {
    /// First quarter looked at.
    pub from: String,
    /// Last quarter looked at.
    pub to: String,
    /// Summaries clustered.
    pub documents: usize,
    /// Number of clusters chosen by silhouette (0 when too few summaries).
    pub k: usize,
    /// Mean silhouette of that choice.
    pub silhouette: f64,
    /// Clusters of at least k summaries, largest first.
    pub clusters: Vec<ClusterView>,
    /// Summaries in smaller clusters, not shown.
    pub hidden: usize,
}

/// Clusters of recent session summaries across orgs, with their top terms
/// and how well the taxonomy covers them (operators only).
#[utoipa::path(get, path = "/api/v1/operator/emerging-themes", tag = "reporting", security(("bearer" = [])),
    params(EmergingParams),
    responses(
        (status = 200, description = "Clusters", body = EmergingThemes),
        (status = 403, description = "Not an operator", body = ErrorBody),
        (status = 422, description = "Bad period", body = ErrorBody),
    ))]
pub async fn emerging_themes(
    State(state): State<ReportingState>,
    caller: Caller,
    Query(p): Query<EmergingParams>,
) -> Result<Json<EmergingThemes>, ApiError> {
    authorize(&caller, Action::PlatformThemes)?;
    let periods = Periods::parse(p.from.as_deref(), p.to.as_deref())?;
    let (first, last) = periods.months();
    let mut conn = state.db.pool().acquire().await?;
    let docs = store::summaries(&mut conn, &first, &last, MAX_SUMMARIES).await?;
    drop(conn);
    let k_anon = state.settings.k;
    let found = tokio::task::spawn_blocking(move || {
        let n = docs.len();
        (n, discover(&docs, k_anon))
    })
    .await
    .map_err(anyhow::Error::from)?;
    let (from, to) = periods.names();
    Ok(Json(match found {
        (n, None) => EmergingThemes {
            from,
            to,
            documents: n,
            k: 0,
            silhouette: 0.0,
            clusters: Vec::new(),
            hidden: n,
        },
        (_, Some(d)) => EmergingThemes {
            from,
            to,
            documents: d.documents,
            k: d.k,
            silhouette: d.silhouette,
            clusters: d
                .clusters
                .into_iter()
                .map(|c| ClusterView {
                    emerging: c.is_emerging(),
                    size: c.size,
                    top_terms: c.top_terms,
                    dominant_theme: c.dominant_theme,
                    dominant_share: c.dominant_share,
                })
                .collect(),
            hidden: d.hidden,
        },
    }))
}

/// One org's count of a sensitive theme in a quarter.
#[derive(Serialize, ToSchema)]
pub struct SensitiveCell {
    /// The org.
    pub org_id: String,
    /// `health`, `harassment`, or `crisis_path` (people whose record carries
    /// the consented crisis-path flag).
    pub theme: String,
    /// Quarter.
    pub period: String,
    /// Distinct people, when released.
    pub count: Option<usize>,
    /// Why hidden, when hidden.
    pub hidden_because: Option<&'static str>,
}

/// Sensitive themes per org and quarter.
#[derive(Serialize, ToSchema)]
pub struct SensitiveThemes {
    /// Smallest group a released count describes.
    pub k: usize,
    /// Quarters released.
    pub released: Vec<String>,
    /// Cells, released or hidden.
    pub cells: Vec<SensitiveCell>,
}

/// The sensitive themes HR never sees, per org and closed quarter, under the
/// same anonymity rules (operators only).
#[utoipa::path(get, path = "/api/v1/operator/sensitive-themes", tag = "reporting", security(("bearer" = [])),
    params(EmergingParams),
    responses(
        (status = 200, description = "Counts", body = SensitiveThemes),
        (status = 403, description = "Not an operator", body = ErrorBody),
        (status = 422, description = "Bad period", body = ErrorBody),
    ))]
pub async fn sensitive_themes(
    State(state): State<ReportingState>,
    caller: Caller,
    Query(p): Query<EmergingParams>,
) -> Result<Json<SensitiveThemes>, ApiError> {
    authorize(&caller, Action::PlatformThemes)?;
    let periods = Periods::parse(p.from.as_deref(), p.to.as_deref())?;
    let (first, last) = periods.months();
    let (from_q, to_q) = periods.names();
    let mut conn = state.db.pool().acquire().await?;
    // The sensitive themes, and the people whose record carries the
    // consented crisis-path flag.
    let sensitive: Vec<String> = store::themes(&mut conn)
        .await?
        .into_iter()
        .filter(|t| t.sensitive)
        .map(|t| t.code)
        .chain([crate::tally::CRISIS_PATH.to_owned()])
        .collect();
    let k = state.settings.k;
    let mut cells = Vec::new();
    for org in store::orgs_with_records(&mut conn, &first, &last).await? {
        let classes =
            store::classes_for_report(&mut conn, org, (&from_q, &to_q), time::to_db(time::now()))
                .await?;
        for c in report(
            &classes,
            &sensitive,
            &periods.released,
            &DIMENSIONS,
            None,
            k,
        ) {
            cells.push(SensitiveCell {
                org_id: org.to_string(),
                theme: c.theme,
                period: c.period,
                count: c.count.ok(),
                hidden_because: c.count.err().map(Hidden::code),
            });
        }
    }
    Ok(Json(SensitiveThemes {
        k,
        released: periods.released,
        cells,
    }))
}

/// Reporting's audit log of report exports (operators only).
#[utoipa::path(get, path = "/api/v1/reporting/audit", tag = "reporting", security(("bearer" = [])),
    responses((status = 200, description = "Entries", body = shared::audit::AuditList), (status = 403, description = "Not an operator", body = ErrorBody)))]
pub async fn audit(
    State(state): State<ReportingState>,
    caller: Caller,
) -> Result<Json<shared::audit::AuditList>, ApiError> {
    authorize(&caller, Action::ReadAudit)?;
    let mut conn = state.db.pool().acquire().await?;
    Ok(Json(shared::audit::AuditList {
        items: crate::AUDIT
            .newest(&mut conn, shared::audit::AuditLog::PAGE)
            .await?,
    }))
}
