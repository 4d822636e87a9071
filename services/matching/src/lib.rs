//! The matching service: the values assessment, the consultant catalogue, ten compatible consultants with reasons, and search.
//!
//! It is a library exposing its axum router and state; the `taiwa` binary
//! runs it in-process (the embedded default) or alone (`--service matching`).
//! Until issue #4 lands it serves only its status route.

use std::sync::Arc;

use axum::extract::{FromRef, State};
use shared::auth::TokenKeys;
use shared::db::Db;
use shared::error::{ApiError, ErrorBody};
use shared::events::{Inbox, Outbox};
use shared::http::{Json, ServiceStatus, service_status};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The matching service's migrations (`migrations/matching`); its tables are `matching_*`.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/matching");

/// Events this service emits, written in the same transaction as its changes.
pub const OUTBOX: Outbox = Outbox::new("matching_outbox");

/// Events this service has applied, for idempotent consumption.
pub const INBOX: Inbox = Inbox::new("matching_inbox");

/// What the matching handlers share.
#[derive(Clone, FromRef)]
pub struct MatchingState {
    /// This service's database.
    pub db: Db,
    /// Verifies callers' access tokens.
    pub tokens: Arc<TokenKeys>,
}

/// The matching service's routes, with their OpenAPI description.
pub fn router(state: MatchingState) -> OpenApiRouter {
    OpenApiRouter::new()
        .routes(routes!(status))
        .with_state(state)
}

/// Whether the matching service is up and its database answers.
#[utoipa::path(
    get,
    path = "/api/v1/matching/status",
    tag = "matching",
    responses(
        (status = 200, description = "The service is ready", body = ServiceStatus),
        (status = 503, description = "Its database does not answer", body = ErrorBody),
    )
)]
async fn status(State(db): State<Db>) -> Result<Json<ServiceStatus>, ApiError> {
    service_status("matching", &db).await
}
