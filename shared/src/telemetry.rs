//! Logs and metrics. Logs carry request ids, methods, route templates and
//! statuses; never bodies, query strings, tokens or personal data.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;
use crate::error::UnexpectedError;

pub mod business;

/// Starts logging to stderr. `TAIWA_LOG` (or `RUST_LOG`) sets the filter.
pub fn init_tracing(format: LogFormat) {
    let filter = std::env::var("TAIWA_LOG")
        .ok()
        .or_else(|| std::env::var("RUST_LOG").ok())
        .and_then(|f| EnvFilter::try_new(f).ok())
        .unwrap_or_else(|| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let result = match format {
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
        LogFormat::Text => builder.compact().try_init(),
    };
    // A second init (tests start many apps in one process) is harmless.
    drop(result);
}

const BUCKETS: [f64; 10] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    sum: f64,
    count: u64,
}

#[derive(Default)]
struct Inner {
    requests: BTreeMap<(String, String, u16), u64>,
    durations: BTreeMap<(String, String), Histogram>,
}

/// Request counters and latency histograms, rendered in Prometheus text format.
#[derive(Clone, Default)]
pub struct Metrics {
    inner: Arc<Mutex<Inner>>,
}

impl Metrics {
    fn observe(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        *inner
            .requests
            .entry((method.to_owned(), route.to_owned(), status))
            .or_default() += 1;
        inner
            .durations
            .entry((method.to_owned(), route.to_owned()))
            .or_default()
            .observe_in(&BUCKETS, seconds);
    }

    /// The Prometheus exposition.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let Ok(inner) = self.inner.lock() else {
            return out;
        };
        out.push_str(
            "# HELP taiwa_http_requests_total HTTP requests by method, route and status.\n",
        );
        out.push_str("# TYPE taiwa_http_requests_total counter\n");
        for ((method, route, status), n) in &inner.requests {
            let _ = writeln!(
                out,
                "taiwa_http_requests_total{{method=\"{method}\",route=\"{route}\",status=\"{status}\"}} {n}"
            );
        }
        out.push_str("# HELP taiwa_http_request_duration_seconds HTTP request latency.\n");
        out.push_str("# TYPE taiwa_http_request_duration_seconds histogram\n");
        for ((method, route), h) in &inner.durations {
            h.render_in(
                &BUCKETS,
                &mut out,
                "taiwa_http_request_duration_seconds",
                &format!("method=\"{method}\",route=\"{route}\""),
            );
        }
        drop(inner);
        business::render(&mut out);
        out
    }
}

/// The route template a request matched, carried on the response so the outer
/// middleware can label metrics without seeing raw paths (which hold ids).
#[derive(Clone)]
struct RouteLabel(String);

/// Inner middleware (installed with `route_layer`): remembers the matched route.
pub async fn remember_route(request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned());
    let mut response = next.run(request).await;
    if let Some(route) = route {
        response.extensions_mut().insert(RouteLabel(route));
    }
    response
}

/// Outer middleware: records metrics and logs unexpected errors once.
pub async fn observe(State(metrics): State<Metrics>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().as_str().to_owned();
    let response = next.run(request).await;
    let route = response
        .extensions()
        .get::<RouteLabel>()
        .map_or_else(|| "unmatched".to_owned(), |r| r.0.clone());
    if let Some(UnexpectedError(err)) = response.extensions().get::<UnexpectedError>() {
        tracing::error!(%method, %route, error = %format!("{err:#}"), "request failed unexpectedly");
    }
    metrics.observe(
        &method,
        &route,
        response.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    response
}

#[cfg(test)]
mod tests;
