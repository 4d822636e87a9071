//! The HTTP edge every service shares: extractors whose rejections use the one
//! error shape, and the middleware stack (request ids, tracing, metrics, body
//! limit, timeout, panic guard, JSON error bodies for everything).

use std::time::Duration;

use axum::Router;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, FromRequest, FromRequestParts, Request};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use tower::ServiceExt as _;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};

use crate::error::{ApiError, error_response};
use crate::telemetry::{self, Metrics};

/// A JSON body (request or response) whose rejection is an [`ApiError`].
#[derive(Debug, Clone, Copy, Default, FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct Json<T>(pub T);

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            JsonRejection::JsonDataError(e) => {
                ApiError::unprocessable("invalid_body", e.body_text())
            }
            JsonRejection::JsonSyntaxError(_) => {
                ApiError::bad_request("malformed_json", "the request body is not valid JSON")
            }
            JsonRejection::MissingJsonContentType(_) => ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send JSON with Content-Type: application/json",
            ),
            JsonRejection::BytesRejection(_) => ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                "the request body could not be read or is too large",
            ),
            other => ApiError::bad_request("bad_request", other.body_text()),
        }
    }
}

/// Path parameters. A value that does not parse (e.g. not a UUID) names no
/// object, so it is a 404.
#[derive(Debug, Clone, Copy, Default, FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct Path<T>(pub T);

impl From<PathRejection> for ApiError {
    fn from(_: PathRejection) -> Self {
        ApiError::not_found()
    }
}

/// Query-string parameters with a 400 `invalid_query` rejection.
#[derive(Debug, Clone, Copy, Default, FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct Query<T>(pub T);

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        ApiError::bad_request("invalid_query", rejection.body_text())
    }
}

/// Pages load only Taiwa's own scripts, styles and images; no inline code;
/// never framed by another site.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Limits that apply to every request.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Largest body accepted.
    pub body_limit_bytes: usize,
    /// Longest a request may take.
    pub request_timeout: Duration,
    /// People reach Taiwa over HTTPS (its public URL): every response then
    /// carries `Strict-Transport-Security`.
    pub https: bool,
    /// Reverse proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: crate::client_addr::TrustedProxies,
}

/// HSTS for two years, subdomains included.
const STRICT_TRANSPORT_SECURITY: &str = "max-age=63072000; includeSubDomains";

/// Wraps a complete router (all routes) in the shared stack, with the
/// answer for an address no route serves: the JSON `not_found` error, or —
/// for a browser asking for a page outside `/api/` — `error_page` when the
/// web UI is served. Any other error a browser would get outside `/api/`
/// without a page of its own (a 405, a 413, a query or form the server
/// could not read, a timeout, a panic's 500) is also answered by
/// `error_page`, with the status as a `StatusCode` extension of the request
/// it is given (none: 404). The web UI is a client of the API and does not
/// depend on this crate, hence a type both know.
pub fn with_stack(
    router: Router,
    limits: Limits,
    metrics: Metrics,
    error_page: Option<Router>,
) -> Router {
    let request_id = HeaderName::from_static("x-request-id");
    let not_found_page = error_page.clone();
    router
        .route_layer(middleware::from_fn(telemetry::remember_route))
        .fallback(move |request: Request| not_found(request, not_found_page.clone()))
        .layer(DefaultBodyLimit::max(limits.body_limit_bytes))
        .layer(RequestBodyLimitLayer::new(limits.body_limit_bytes))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, limits.request_timeout))
        .layer(CatchPanicLayer::custom(|_| {
            error_response(StatusCode::INTERNAL_SERVER_ERROR, "internal", "something went wrong on our side", None)
        }))
        .layer(middleware::from_fn(refuse_long_uris))
        .layer(middleware::from_fn_with_state(error_page, ensure_error_body))
        .layer(middleware::from_fn_with_state(metrics, telemetry::observe))
        .layer(
            TraceLayer::new_for_http()
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO))
                .make_span_with(|request: &Request| {
                let id = request
                    .headers()
                    .get("x-request-id")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-");
                // The path only: query strings may hold search words or tokens.
                tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id = %id)
            }),
        )
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::if_not_present(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(tower::util::option_layer(limits.https.then(|| {
            SetResponseHeaderLayer::if_not_present(
                header::STRICT_TRANSPORT_SECURITY,
                HeaderValue::from_static(STRICT_TRANSPORT_SECURITY),
            )
        })))
        .layer(middleware::from_fn_with_state(
            limits.trusted_proxies,
            crate::client_addr::resolve,
        ))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
}

/// The answer for an address no route serves (see [`with_stack`]).
async fn not_found(request: Request, page: Option<Router>) -> Response {
    let Some(page) = page else {
        return ApiError::not_found().into_response();
    };
    let mut response = if wants_page(&request) {
        match page.oneshot(request).await {
            Ok(response) => response,
            Err(never) => match never {},
        }
    } else {
        ApiError::not_found().into_response()
    };
    // The same address answers a page or JSON, in the language of a cookie.
    response
        .headers_mut()
        .insert(header::VARY, HeaderValue::from_static("Accept, Cookie"));
    response
}

/// A browser's request for a page: outside `/api/`, accepting HTML.
fn wants_page(request: &Request) -> bool {
    let path = request.uri().path();
    path != "/api"
        && !path.starts_with("/api/")
        && request
            .headers()
            .get(header::ACCEPT)
            .and_then(|a| a.to_str().ok())
            .is_some_and(|a| a.contains("text/html"))
}

/// The longest request target (path and query) served; longer ones get 414
/// with the error body. (Targets over 64 KiB never get this far: the server
/// loop answers those, see [`crate::server`].)
pub const MAX_URI_BYTES: usize = 8 * 1024;

async fn refuse_long_uris(request: Request, next: Next) -> Response {
    let target = request
        .uri()
        .path_and_query()
        .map_or(0, |p| p.as_str().len());
    if target > MAX_URI_BYTES {
        return error_response(
            StatusCode::URI_TOO_LONG,
            "uri_too_long",
            "the address is too long (at most 8 KiB with its query)",
            None,
        );
    }
    next.run(request).await
}

/// Longest an error page may take before the JSON error is sent instead.
const ERROR_PAGE_DEADLINE: Duration = Duration::from_secs(3);

/// Gives every error response the JSON error shape, also those made by layers
/// and by axum itself (405, 408, 413, …); a browser asking for a page gets
/// `error_page` instead. HTML error pages are left alone.
async fn ensure_error_body(
    axum::extract::State(error_page): axum::extract::State<Option<Router>>,
    request: Request,
    next: Next,
) -> Response {
    // What the error page needs of the request (its address, cookies and
    // languages), kept only for a browser's request for a page.
    let page_request = error_page
        .as_ref()
        .filter(|_| wants_page(&request))
        .map(|_| {
            let mut copy = Request::new(axum::body::Body::empty());
            *copy.uri_mut() = request.uri().clone();
            *copy.headers_mut() = request.headers().clone();
            copy
        });
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if content_type.starts_with("text/html") {
        return response;
    }
    if let (Some(page), Some(mut page_request)) = (error_page, page_request) {
        page_request.extensions_mut().insert(status);
        // The page runs outside the stack's timeout and panic layers: it
        // gets its own deadline and task, and the JSON error stands in if
        // it fails or takes too long.
        let rendering = tokio::spawn(page.oneshot(page_request));
        if let Ok(Ok(Ok(mut rendered))) = tokio::time::timeout(ERROR_PAGE_DEADLINE, rendering).await
        {
            *rendered.status_mut() = status;
            keep_error_headers(&response, &mut rendered);
            rendered
                .headers_mut()
                .insert(header::VARY, HeaderValue::from_static("Accept, Cookie"));
            return rendered;
        }
    }
    if content_type.starts_with("application/json") {
        return response;
    }
    let (code, message) = match status {
        StatusCode::NOT_FOUND => ("not_found", "no such resource"),
        StatusCode::METHOD_NOT_ALLOWED => ("method_not_allowed", "this method is not allowed here"),
        StatusCode::REQUEST_TIMEOUT => ("timeout", "the request took too long"),
        StatusCode::PAYLOAD_TOO_LARGE => ("payload_too_large", "the request body is too large"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            "unsupported_media_type",
            "this content type is not accepted",
        ),
        StatusCode::UNPROCESSABLE_ENTITY => {
            ("invalid_body", "the request values are not acceptable")
        }
        s if s.is_server_error() => ("internal", "something went wrong on our side"),
        _ => ("bad_request", "the request could not be understood"),
    };
    let mut fixed = error_response(status, code, message, None);
    keep_error_headers(&response, &mut fixed);
    fixed
}

/// The headers of an error that its replacement keeps (`Allow`,
/// `WWW-Authenticate`, `Retry-After`).
fn keep_error_headers(from: &Response, to: &mut Response) {
    for (name, value) in from.headers() {
        if name == header::ALLOW || name == header::WWW_AUTHENTICATE || name == header::RETRY_AFTER
        {
            to.headers_mut().insert(name.clone(), value.clone());
        }
    }
}

/// What a service's status route answers.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ServiceStatus {
    /// The service's name.
    pub service: &'static str,
    /// Whether its database answers.
    pub ready: bool,
}

/// A service's status: 200 when its database answers, 503 otherwise.
pub async fn service_status(
    service: &'static str,
    db: &crate::db::Db,
) -> Result<Json<ServiceStatus>, ApiError> {
    if db.is_ready().await {
        Ok(Json(ServiceStatus {
            service,
            ready: true,
        }))
    } else {
        Err(ApiError::unavailable(format!(
            "the {service} service's database does not answer"
        )))
    }
}

#[cfg(test)]
mod tests;
