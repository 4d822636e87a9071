//! Operations endpoints: liveness, readiness, metrics.

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

#[derive(Clone)]
struct OpsState {
    db: Db,
    metrics: Metrics,
}

/// `/healthz`, `/readyz`, `/metrics`.
pub fn router(db: Db, metrics: Metrics) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics_text))
        .with_state(OpsState { db, metrics })
}

async fn healthz() -> Json<serde_json::Value> {
    Json(json!({ "status": "ok" }))
}

async fn readyz(State(state): State<OpsState>) -> Result<Json<serde_json::Value>, ApiError> {
    if state.db.is_ready().await {
        Ok(Json(json!({ "status": "ready" })))
    } else {
        Err(ApiError::unavailable("the database does not answer"))
    }
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
