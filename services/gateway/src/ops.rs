//! Operations endpoints: liveness, readiness, metrics.
//!
//! The public address answers `/metrics` with a fixed exposition (the build
//! only): request counts by route and status would tell anyone, without
//! signing in, when people book or cancel. The full metrics — by method,
//! route template and status, never an org or a person — are served on a
//! private listener (`TAIWA_METRICS_ADDR`) for Prometheus to scrape.

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use serde_json::json;
use shared::db::Db;
use shared::error::ApiError;
use shared::events::Outbox;
use shared::http::Json;
use shared::telemetry::Metrics;
use taiwa_nats::NatsBus;

#[derive(Clone)]
struct OpsState {
    db: Db,
    metrics: Metrics,
    /// The outboxes of the services this process runs (their backlog is a metric).
    outboxes: Vec<Outbox>,
    nats: Option<Arc<NatsBus>>,
}

/// `/healthz`, `/readyz` (the database; NATS reported, not required),
/// and the public `/metrics` (the build only).
pub fn router(db: Db, metrics: Metrics, nats: Option<Arc<NatsBus>>) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(public_metrics))
        .with_state(OpsState {
            db,
            metrics,
            nats,
            outboxes: Vec::new(),
        })
}

/// The private listener's routes: the full `/metrics`, `/healthz`, `/readyz`.
pub fn private_router(
    db: Db,
    metrics: Metrics,
    nats: Option<Arc<NatsBus>>,
    outboxes: Vec<Outbox>,
) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics_text))
        .with_state(OpsState {
            db,
            metrics,
            nats,
            outboxes,
        })
}

/// What anyone may read: which build answers. Nothing here moves when
/// people use Taiwa.
async fn public_metrics() -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        format!(
            "# HELP taiwa_build_info The running build. Operational metrics are served on the private TAIWA_METRICS_ADDR.\n\
             # TYPE taiwa_build_info gauge\n\
             taiwa_build_info{{version=\"{}\"}} 1\n",
            env!("CARGO_PKG_VERSION")
        ),
    )
}

async fn healthz() -> Json<serde_json::Value> {
    Json(json!({ "status": "ok" }))
}

/// Ready when the database answers: that is what every request needs. NATS
/// is reported but does not decide readiness — while it is away, requests
/// are still served and their events wait in the outbox, so taking every
/// replica out of service would turn a delay into an outage.
async fn readyz(State(state): State<OpsState>) -> Result<Json<serde_json::Value>, ApiError> {
    if !state.db.is_ready().await {
        return Err(ApiError::unavailable("the database does not answer"));
    }
    let nats = match &state.nats {
        None => "not_used",
        Some(nats) if nats.is_connected() => "up",
        Some(_) => "down",
    };
    Ok(Json(
        json!({ "status": "ready", "checks": { "database": "up", "nats": nats } }),
    ))
}

/// Events written and not yet accepted by the bus, per outbox of this process.
async fn backlog(state: &OpsState) -> String {
    let mut out = String::from(
        "# HELP taiwa_outbox_backlog Events written and not yet delivered, by outbox.\n\
         # TYPE taiwa_outbox_backlog gauge\n",
    );
    // Counted side by side, each bounded: a database that does not answer
    // within two seconds shows as a missing sample, and the rest of the
    // scrape still arrives in time.
    let mut counts = tokio::task::JoinSet::new();
    for &outbox in &state.outboxes {
        let db = state.db.clone();
        counts.spawn(async move {
            let count =
                tokio::time::timeout(std::time::Duration::from_secs(2), outbox.pending_count(&db))
                    .await;
            (outbox.table(), count)
        });
    }
    let mut samples = std::collections::BTreeMap::new();
    while let Some(done) = counts.join_next().await {
        if let Ok((table, Ok(Ok(n)))) = done {
            samples.insert(table, n);
        }
    }
    for (table, n) in samples {
        out.push_str(&format!("taiwa_outbox_backlog{{outbox=\"{table}\"}} {n}\n"));
    }
    out
}

async fn metrics_text(State(state): State<OpsState>) -> impl IntoResponse {
    let backlog = backlog(&state).await;
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        format!(
            "{}{backlog}{}",
            state.metrics.render(),
            state.nats.as_ref().map_or_else(String::new, |nats| format!(
                "# HELP taiwa_nats_connected Whether this process is connected to NATS (events wait in the outbox while it is not).\n\
                 # TYPE taiwa_nats_connected gauge\n\
                 taiwa_nats_connected {}\n",
                u8::from(nats.is_connected())
            ))
        ),
    )
}
