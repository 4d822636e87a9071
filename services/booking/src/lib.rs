//! The booking service: availability, race-free confidential bookings, credits, notifications, and the de-identified hand-off to reporting.
//!
//! It is a library exposing its axum router and state; the `taiwa` binary
//! runs it in-process (the embedded default) or alone (`--service booking`).
//! Until issue #5 lands it serves only its status route.

use std::sync::Arc;

use axum::extract::{FromRef, State};
use shared::auth::TokenKeys;
use shared::db::Db;
use shared::error::{ApiError, ErrorBody};
use shared::events::{Inbox, Outbox};
use shared::http::{Json, ServiceStatus, service_status};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The booking service's migrations (`migrations/booking`); its tables are `booking_*`.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/booking");

/// Events this service emits, written in the same transaction as its changes.
pub const OUTBOX: Outbox = Outbox::new("booking_outbox");

/// Events this service has applied, for idempotent consumption.
pub const INBOX: Inbox = Inbox::new("booking_inbox");

/// What the booking handlers share.
#[derive(Clone, FromRef)]
pub struct BookingState {
    /// This service's database.
    pub db: Db,
    /// Verifies callers' access tokens.
    pub tokens: Arc<TokenKeys>,
}

/// The booking service's routes, with their OpenAPI description.
pub fn router(state: BookingState) -> OpenApiRouter {
    OpenApiRouter::new()
        .routes(routes!(status))
        .with_state(state)
}

/// Whether the booking service is up and its database answers.
#[utoipa::path(
    get,
    path = "/api/v1/booking/status",
    tag = "booking",
    responses(
        (status = 200, description = "The service is ready", body = ServiceStatus),
        (status = 503, description = "Its database does not answer", body = ErrorBody),
    )
)]
async fn status(State(db): State<Db>) -> Result<Json<ServiceStatus>, ApiError> {
    service_status("booking", &db).await
}
