//! What operators see across client orgs: emerging themes (clusters of
//! scrubbed summaries, as terms, never text) to curate the taxonomy, and the
//! sensitive themes HR never sees, counted per org and quarter under the
//! same anonymity rules. Callers decide access first (`policy`).

use serde::Serialize;
use shared::error::ApiError;
use shared::time;
use utoipa::ToSchema;

use crate::emerging::discover;
use crate::periods::Periods;
use crate::report::{Hidden, report};
use crate::theme_report::DIMENSIONS;
use crate::{ReportingState, store};

/// Most summaries clustered at once (the most recent ones).
pub const MAX_SUMMARIES: i64 = 800;

/// A cluster of summaries.
#[derive(Serialize, ToSchema)]
pub struct ClusterView {
    /// Summaries in it (at least k).
    pub size: usize,
    /// Its heaviest terms (Japanese and Latin words), each found in at
    /// least three of its summaries.
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

/// Clusters of the most recent summaries in `periods`.
#[tracing::instrument(name = "reporting.emerging_themes", skip_all)]
pub async fn emerging(
    state: &ReportingState,
    periods: &Periods,
) -> Result<EmergingThemes, ApiError> {
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
    Ok(match found {
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
    })
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

/// The sensitive themes (and the crisis-path flag) per org and released
/// quarter in `periods`.
#[tracing::instrument(name = "reporting.sensitive_themes", skip_all)]
pub async fn sensitive(
    state: &ReportingState,
    periods: &Periods,
) -> Result<SensitiveThemes, ApiError> {
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
    Ok(SensitiveThemes {
        k,
        released: periods.released.clone(),
        cells,
    })
}
