//! Operations endpoints: liveness, readiness, metrics.

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use serde_json::json;
use shared::db::Db;
use shared::error::ApiError;
use shared::http::Json;
use shared::telemetry::Metrics;
use taiwa_nats::NatsBus;

#[derive(Clone)]
struct OpsState {
    db: Db,
    metrics: Metrics,
    nats: Option<Arc<NatsBus>>,
}

/// `/healthz`, `/readyz` (the database, and NATS in the distributed mode),
/// `/metrics`.
pub fn router(db: Db, metrics: Metrics, nats: Option<Arc<NatsBus>>) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics_text))
        .with_state(OpsState { db, metrics, nats })
}

async fn healthz() -> Json<serde_json::Value> {
    Json(json!({ "status": "ok" }))
}

async fn readyz(State(state): State<OpsState>) -> Result<Json<serde_json::Value>, ApiError> {
    if !state.db.is_ready().await {
        return Err(ApiError::unavailable("the database does not answer"));
    }
    if state.nats.as_ref().is_some_and(|nats| !nats.is_connected()) {
        return Err(ApiError::unavailable("NATS does not answer"));
    }
    Ok(Json(json!({ "status": "ready" })))
}

async fn metrics_text(State(state): State<OpsState>) -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.render(),
    )
}
