//! The stack's error answers: JSON for clients and `/api/`, the error page
//! for a browser's page, with the status and the headers that go with it.

use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::routing::get;
use tower::ServiceExt as _;

use super::{Limits, with_stack};
use crate::client_addr::TrustedProxies;
use crate::telemetry::Metrics;

/// An error page that says which status it was given.
fn error_page() -> Router {
    Router::new().fallback(|status: Option<axum::Extension<StatusCode>>| async move {
        let status = status.map_or(StatusCode::NOT_FOUND, |s| s.0);
        (
            status,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            format!("<p>page for {}</p>", status.as_u16()),
        )
    })
}

async fn panics() -> &'static str {
    panic!("a bug")
}

fn app() -> Router {
    let routes = Router::new()
        .route("/panics", get(panics))
        .route("/only-get", get(|| async { "ok" }))
        .route("/api/v1/only-get", get(|| async { "ok" }));
    let limits = Limits {
        body_limit_bytes: 1024,
        request_timeout: Duration::from_secs(5),
        https: false,
        trusted_proxies: TrustedProxies::parse("").expect("none"),
    };
    with_stack(routes, limits, Metrics::default(), Some(error_page()))
}

async fn answer(
    method: &str,
    path: &str,
    accept: &str,
    body: usize,
) -> (StatusCode, String, String, Option<String>) {
    let request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::ACCEPT, accept)
        .header(header::CONTENT_LENGTH, body)
        .body(Body::from(vec![b'x'; body]))
        .expect("request");
    let response = app().oneshot(request).await.expect("answer");
    let status = response.status();
    let content_type = response.headers()[header::CONTENT_TYPE]
        .to_str()
        .unwrap_or("")
        .to_owned();
    let allow = response
        .headers()
        .get(header::ALLOW)
        .map(|a| a.to_str().unwrap_or("").to_owned());
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .expect("body");
    (
        status,
        content_type,
        String::from_utf8_lossy(&bytes).into_owned(),
        allow,
    )
}

#[tokio::test]
async fn a_browser_gets_the_error_page_with_the_status_and_a_client_the_json_error() {
    let browser = "text/html,application/xhtml+xml,*/*;q=0.8";
    for (method, path, body, status) in [
        ("GET", "/no/such/page", 0, StatusCode::NOT_FOUND),
        ("DELETE", "/only-get", 0, StatusCode::METHOD_NOT_ALLOWED),
        ("POST", "/only-get", 4096, StatusCode::PAYLOAD_TOO_LARGE),
        ("GET", "/panics", 0, StatusCode::INTERNAL_SERVER_ERROR),
    ] {
        let (got, content_type, text, allow) = answer(method, path, browser, body).await;
        assert_eq!(got, status, "{method} {path}: {text}");
        assert!(
            content_type.starts_with("text/html"),
            "{method} {path}: {content_type}"
        );
        assert_eq!(text, format!("<p>page for {}</p>", status.as_u16()));
        if status == StatusCode::METHOD_NOT_ALLOWED {
            assert!(allow.is_some_and(|a| a.contains("GET")), "405 keeps Allow");
        }
        // A client that does not ask for HTML gets the JSON error.
        let (got, content_type, text, _) = answer(method, path, "application/json", body).await;
        assert_eq!(got, status, "{method} {path}");
        assert!(content_type.starts_with("application/json"), "{text}");
        let error: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        assert!(error["error"]["code"].is_string(), "{text}");
    }
    // The API's paths answer JSON even to a browser.
    let (got, content_type, _, allow) = answer("DELETE", "/api/v1/only-get", browser, 0).await;
    assert_eq!(got, StatusCode::METHOD_NOT_ALLOWED);
    assert!(content_type.starts_with("application/json"));
    assert!(allow.is_some());
}

/// An error page that fails — panics or never answers — leaves the JSON
/// error in its place, with the status.
#[tokio::test(start_paused = true)]
async fn an_error_page_that_fails_or_hangs_gives_way_to_the_json_error() {
    async fn panicking() -> &'static str {
        panic!("a broken error page")
    }
    async fn hanging() -> &'static str {
        std::future::pending().await
    }
    for page in [
        Router::new().fallback(panicking),
        Router::new().fallback(hanging),
    ] {
        let routes = Router::new().route("/only-get", get(|| async { "ok" }));
        let limits = Limits {
            body_limit_bytes: 1024,
            request_timeout: Duration::from_secs(5),
            https: false,
            trusted_proxies: TrustedProxies::parse("").expect("none"),
        };
        let app = with_stack(routes, limits, Metrics::default(), Some(page));
        let request = Request::builder()
            .method("DELETE")
            .uri("/only-get")
            .header(header::ACCEPT, "text/html")
            .body(Body::empty())
            .expect("request");
        let response = app.oneshot(request).await.expect("answer");
        assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
        let content_type = response.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap_or("")
            .to_owned();
        assert!(
            content_type.starts_with("application/json"),
            "{content_type}"
        );
    }
}
