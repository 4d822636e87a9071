//! The pages' way to the services: the same `/api/v1` contract any client
//! uses, called in-process on the gateway's API router (no socket, no
//! serialisation beyond the JSON body). Pages never touch a service's tables;
//! in distributed mode the router they call is the gateway's, which reaches
//! the services over HTTP.

use std::net::SocketAddr;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Method, Request, StatusCode, header};
use serde::de::DeserializeOwned;
use serde_json::Value;
use tower::ServiceExt;

/// What a call answered.
#[derive(Debug)]
pub struct Answer {
    /// The status.
    pub status: StatusCode,
    /// The body as JSON (`Null` when empty or not JSON).
    pub body: Value,
    /// The body as text, for CSV.
    pub text: String,
}

impl Answer {
    /// Whether the call succeeded.
    pub fn ok(&self) -> bool {
        self.status.is_success()
    }

    /// The error message of the API's error shape, if any.
    pub fn message(&self) -> String {
        self.body["error"]["message"]
            .as_str()
            .map_or_else(|| self.status.to_string(), str::to_owned)
    }

    /// The error code of the API's error shape, if any.
    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }

    /// The body as a typed value, or the API error.
    pub fn parse<T: DeserializeOwned>(self) -> Result<T, ApiFailure> {
        if !self.ok() {
            return Err(ApiFailure::from(self));
        }
        serde_json::from_value(self.body).map_err(|e| ApiFailure {
            status: StatusCode::BAD_GATEWAY,
            code: "unexpected_answer".to_owned(),
            message: format!("the service answered in an unexpected shape: {e}"),
        })
    }
}

/// An API call that did not succeed, for a page to show.
#[derive(Debug)]
pub struct ApiFailure {
    /// The status to answer with.
    pub status: StatusCode,
    /// The API's error code.
    pub code: String,
    /// The API's message.
    pub message: String,
}

impl From<Answer> for ApiFailure {
    fn from(a: Answer) -> Self {
        Self {
            status: a.status,
            code: a.code().to_owned(),
            message: a.message(),
        }
    }
}

/// The in-process client.
#[derive(Clone)]
pub struct Api {
    router: Router,
}

impl Api {
    /// A client of `router` (the gateway's `/api/v1` routes).
    pub fn new(router: Router) -> Self {
        Self { router }
    }

    /// Calls `method path` with the caller's access token and a JSON body.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
        peer: Option<SocketAddr>,
    ) -> Answer {
        let (content_type, bytes) = match body {
            Some(b) => ("application/json", b.to_string().into_bytes()),
            None => ("application/json", Vec::new()),
        };
        self.send(method, path, token, content_type, bytes, peer)
            .await
    }

    /// Calls with a raw body of `content_type` (CSV uploads).
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        content_type: &str,
        body: Vec<u8>,
        peer: Option<SocketAddr>,
    ) -> Answer {
        let mut request = Request::builder().method(method).uri(path);
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        if !body.is_empty() {
            request = request.header(header::CONTENT_TYPE, content_type);
        }
        let Ok(mut request) = request.body(Body::from(body)) else {
            return failure(StatusCode::BAD_REQUEST, "bad request");
        };
        if let Some(peer) = peer {
            request.extensions_mut().insert(ConnectInfo(peer));
        }
        let Ok(response) = self.router.clone().oneshot(request).await;
        let status = response.status();
        let Ok(bytes) = axum::body::to_bytes(response.into_body(), 8 * 1024 * 1024).await else {
            return failure(StatusCode::BAD_GATEWAY, "the answer could not be read");
        };
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Answer { status, body, text }
    }
}

fn failure(status: StatusCode, message: &str) -> Answer {
    Answer {
        status,
        body: serde_json::json!({"error": {"code": "web", "message": message}}),
        text: String::new(),
    }
}
