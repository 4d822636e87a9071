//! The gateway's reach into services that run as their own processes
//! (`taiwa serve --service gateway` with `TAIWA_MATCHING_URL`,
//! `TAIWA_BOOKING_URL`, `TAIWA_REPORTING_URL`).
//!
//! Every path a service answers (read from its OpenAPI description, so it
//! cannot drift from the service's router) is forwarded to that service's
//! URL: method, path and query, body, the caller's headers (their bearer
//! token included: the service verifies it) and `X-Forwarded-For`, plus a
//! short-lived service token that proves the request came through the
//! gateway. A service that does not answer within the timeout gives 503 with
//! the error shape, never a hang. Idle connections are dropped before the
//! services would close them, and a safe request (GET, HEAD) that meets a
//! closed connection is sent once more.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderName, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use shared::auth::TokenKeys;
use shared::error::ApiError;
use shared::service_auth::{self, ServiceTokens};
use utoipa::openapi::OpenApi;

/// How long the gateway waits for a service.
pub const SERVICE_TIMEOUT: Duration = Duration::from_secs(10);

/// A service the gateway forwards to.
#[derive(Clone)]
struct Target {
    name: &'static str,
    base: String,
    client: reqwest::Client,
    tokens: ServiceTokens,
    /// The caller's tokens, checked for revocation (erasure, suspension):
    /// services learn of it only through this gateway.
    keys: Arc<TokenKeys>,
}

/// Headers that belong to one connection, not to the request.
const HOP_BY_HOP: [HeaderName; 6] = [
    header::CONNECTION,
    header::HOST,
    header::TRANSFER_ENCODING,
    header::TE,
    header::TRAILER,
    header::UPGRADE,
];

/// Routes forwarding every path of `doc` to the service `name` at `base`.
pub fn routes(
    name: &'static str,
    base: &str,
    doc: &OpenApi,
    tokens: ServiceTokens,
    keys: Arc<TokenKeys>,
) -> anyhow::Result<Router> {
    let client = reqwest::Client::builder()
        .timeout(SERVICE_TIMEOUT)
        .connect_timeout(Duration::from_secs(2))
        // Services close a kept-alive connection idle for
        // `HEADER_READ_TIMEOUT` (10 s): the pool lets go of one well before,
        // so a request is not sent down a connection the service is closing.
        .pool_idle_timeout(shared::server::HEADER_READ_TIMEOUT / 2)
        .build()?;
    let target = Target {
        name,
        base: base.trim_end_matches('/').to_owned(),
        client,
        tokens,
        keys,
    };
    let mut router = Router::new();
    for path in doc.paths.paths.keys() {
        router = router.route(path, any(forward));
    }
    Ok(router.with_state(target))
}

fn unavailable(name: &str) -> Response {
    ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "service_unavailable",
        format!("the {name} service is not answering; try again shortly"),
    )
    .into_response()
}

async fn forward(State(target): State<Target>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let bearer = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        });
    if bearer.is_some_and(|t| target.keys.revoked(t.trim())) {
        return ApiError::new(
            StatusCode::UNAUTHORIZED,
            "session_revoked",
            "this sign-in no longer works; sign in again",
        )
        .into_response();
    }
    let Ok(body) = axum::body::to_bytes(body, usize::MAX).await else {
        return ApiError::bad_request("unreadable_body", "the request body could not be read")
            .into_response();
    };
    let path = parts
        .uri
        .path_and_query()
        .map_or_else(|| parts.uri.path().to_owned(), |p| p.as_str().to_owned());
    let url = format!("{}{path}", target.base);
    let mut headers = HeaderMap::new();
    for (name, value) in &parts.headers {
        if !HOP_BY_HOP.contains(name)
            && name != header::CONTENT_LENGTH
            && name.as_str() != service_auth::HEADER
        {
            headers.append(name, value.clone());
        }
    }
    if let Some(ConnectInfo(peer)) = parts.extensions.get::<ConnectInfo<SocketAddr>>() {
        let forwarded = match parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
        {
            Some(earlier) => format!("{earlier}, {}", peer.ip()),
            None => peer.ip().to_string(),
        };
        if let Ok(value) = forwarded.parse() {
            headers.insert("x-forwarded-for", value);
        }
    }
    let Ok(token) = target.tokens.issue("gateway") else {
        return unavailable(target.name);
    };
    if let Ok(value) = token.parse() {
        headers.insert(service_auth::HEADER, value);
    }
    let send = || {
        target
            .client
            .request(parts.method.clone(), &url)
            .headers(headers.clone())
            .body(body.clone())
            .send()
    };
    let mut sent = send().await;
    // A connection that closed under a request that changes nothing (the
    // service ended it as the request went out) is tried once more on a
    // fresh one; a timeout is not, nor is anything that writes.
    if let Err(err) = &sent
        && parts.method.is_safe()
        && !err.is_timeout()
    {
        tracing::debug!(
            service = target.name,
            "a connection closed under a request; sending it again"
        );
        sent = send().await;
    }
    let answer = match sent {
        Ok(answer) => answer,
        Err(err) => {
            tracing::warn!(service = target.name, error = %err.without_url(), "a service did not answer");
            return unavailable(target.name);
        }
    };
    let status = answer.status();
    let mut out_headers = HeaderMap::new();
    for (name, value) in answer.headers() {
        if !HOP_BY_HOP.contains(name) && name != header::CONTENT_LENGTH {
            out_headers.append(name, value.clone());
        }
    }
    let bytes: Bytes = match answer.bytes().await {
        Ok(b) => b,
        Err(err) => {
            tracing::warn!(service = target.name, error = %err.without_url(), "a service's answer broke off");
            return unavailable(target.name);
        }
    };
    let mut response = Response::new(Body::from(bytes));
    *response.status_mut() = status;
    *response.headers_mut() = out_headers;
    response
}
