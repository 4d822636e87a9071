//! The reporting service: de-identified organisational theme reports under anonymity protection.
//!
//! It is a library exposing its axum router and state; the `taiwa` binary
//! runs it in-process (the embedded default) or alone (`--service reporting`).
//! So far: the theme taxonomy, intake of booking's de-identified hand-off, and
//! the quarterly theme report by cohort under the rules in [`report`] (issue
//! #6 goes on: noise, usage, emerging themes).

pub mod answers;
#[cfg(any(test, feature = "bench"))]
pub mod bench;
#[cfg(any(test, feature = "demo"))]
pub mod demo;
pub mod emerging;
pub mod intake;
pub mod noise;
pub mod periods;
pub mod platform_themes;
pub mod policy;
pub mod releases;
pub mod report;
pub mod report_csv;
pub mod routes;
pub mod store;
pub mod tally;
pub mod taxonomy;
pub mod theme_report;

use std::sync::Arc;

use axum::extract::{FromRef, State};
use shared::auth::TokenKeys;
use shared::db::Db;
use shared::error::{ApiError, ErrorBody};
use shared::events::{Inbox, Outbox};
use shared::http::{Json, ServiceStatus, service_status};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The reporting service's migrations (`migrations/reporting`); its tables are `reporting_*`.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/reporting");

/// Events this service emits, written in the same transaction as its changes.
pub const OUTBOX: Outbox = Outbox::new("reporting_outbox");

/// Pins the organisations' zone in `reporting_settings` (see
/// [`shared::time::pin_org_zone`]): refused when this database was counted
/// in another.
pub async fn pin_time_zone(db: &Db, zone: chrono_tz::Tz) -> anyhow::Result<()> {
    let mut conn = db.pool().acquire().await?;
    shared::time::pin_org_zone(&mut conn, "reporting_settings", zone).await
}

/// Report exports, audited.
pub const AUDIT: shared::audit::AuditLog = shared::audit::AuditLog::new("reporting_audit");

/// Events this service has applied, for idempotent consumption.
pub const INBOX: Inbox = Inbox::new("reporting_inbox");

/// What the reporting handlers share.
#[derive(Clone, FromRef)]
pub struct ReportingState {
    /// This service's database.
    pub db: Db,
    /// Verifies callers' access tokens.
    pub tokens: Arc<TokenKeys>,
    /// Anonymity settings.
    pub settings: ReportingSettings,
    /// Keys the noise of noisy reports, so a cell's noise never changes
    /// (derived from the master key).
    pub noise_key: [u8; 32],
}

/// Anonymity settings.
#[derive(Clone, Copy, Debug)]
pub struct ReportingSettings {
    /// Smallest group a released cell describes (never below `report::MIN_K`).
    pub k: usize,
}

impl Default for ReportingSettings {
    fn default() -> Self {
        Self {
            k: report::DEFAULT_K,
        }
    }
}

/// Brings reporting's derived tables up to date after its migrations: a
/// database whose records predate the tallies gets them rebuilt once.
pub async fn prepare(db: &Db) -> anyhow::Result<()> {
    let mut tx = db.begin_write().await?;
    if store::tallies_missing(&mut tx).await? {
        let n = store::rebuild_tallies(&mut tx).await?;
        tracing::info!(records = n, "reporting: tallied the records once");
    }
    tx.commit().await?;
    Ok(())
}

/// The reporting service's routes, with their OpenAPI description.
pub fn router(state: ReportingState) -> OpenApiRouter {
    api_routes().with_state(state)
}

/// The routes before their state: what the gateway needs to know (which
/// paths this service answers, and their description) to reach it over HTTP.
pub fn api_routes() -> OpenApiRouter<ReportingState> {
    OpenApiRouter::new()
        .routes(routes!(status))
        .routes(routes!(routes::themes::list))
        .routes(routes!(routes::themes::taxonomy, routes::themes::add))
        .routes(routes!(routes::themes::rename))
        .routes(routes!(routes::themes::retire))
        .routes(routes!(routes::themes::reinstate))
        .routes(routes!(routes::reports::themes))
        .routes(routes!(routes::reports::themes_csv))
        .routes(routes!(routes::reports::usage))
        .routes(routes!(routes::responses::publish, routes::responses::list))
        .routes(routes!(routes::operator::emerging_themes))
        .routes(routes!(routes::operator::audit))
        .routes(routes!(routes::operator::sensitive_themes))
}

/// Whether the reporting service is up and its database answers.
#[utoipa::path(
    get,
    path = "/api/v1/reporting/status",
    tag = "reporting",
    responses(
        (status = 200, description = "The service is ready", body = ServiceStatus),
        (status = 503, description = "Its database does not answer", body = ErrorBody),
    )
)]
async fn status(State(db): State<Db>) -> Result<Json<ServiceStatus>, ApiError> {
    service_status("reporting", &db).await
}
