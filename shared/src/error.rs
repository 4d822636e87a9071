//! The one error body of `API.md`: `{"error": {"code": "…", "message": "…"}}`.
//!
//! Expected failures carry a status, a stable machine code and a message for
//! people. Unexpected ones (`ApiError::Unexpected`) become a 500 with no detail;
//! their cause chain is logged once, by the telemetry middleware.

use std::sync::Arc;

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// An error a handler returns.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// A failure the caller can understand and act on.
    #[error("{code}: {message}")]
    Expected {
        /// HTTP status.
        status: StatusCode,
        /// Stable machine-readable code, e.g. `slot_taken`.
        code: &'static str,
        /// Human-readable explanation (never personal data).
        message: String,
        /// Optional structured detail (e.g. per-row errors).
        details: Option<serde_json::Value>,
    },
    /// Anything else: a 500 with no detail sent.
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl ApiError {
    /// An expected error with a status, a code and a message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self::Expected {
            status,
            code,
            message: message.into(),
            details: None,
        }
    }

    /// Adds structured detail to an expected error.
    pub fn with_details(self, value: serde_json::Value) -> Self {
        match self {
            Self::Expected {
                status,
                code,
                message,
                ..
            } => Self::Expected {
                status,
                code,
                message,
                details: Some(value),
            },
            other => other,
        }
    }

    /// 400: the request could not be read.
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    /// 401: no token, or one we do not accept.
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    /// 403: the caller's role may not do this.
    pub fn forbidden() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "your role may not do this",
        )
    }

    /// 404: not found, also for objects the caller may not know exist.
    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", "no such resource")
    }

    /// 409: the request conflicts with the current state.
    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, code, message)
    }

    /// 422: well-formed, but the values are not acceptable.
    pub fn unprocessable(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
    }

    /// 429: too many attempts.
    pub fn too_many_requests(message: impl Into<String>) -> Self {
        Self::new(StatusCode::TOO_MANY_REQUESTS, "rate_limited", message)
    }

    /// 503: a dependency is not available.
    pub fn unavailable(message: impl Into<String>) -> Self {
        Self::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", message)
    }

    /// The HTTP status this error answers with.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::Expected { status, .. } => *status,
            Self::Unexpected(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// The serialized error body.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// Code, message and optional details of an error.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code.
    pub code: String,
    /// Human-readable message.
    pub message: String,
    /// Structured details, when there are any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<serde_json::Value>,
}

/// Marks a response that carries an unexpected error, so the telemetry
/// middleware can log its cause chain exactly once.
#[derive(Clone)]
pub struct UnexpectedError(pub Arc<anyhow::Error>);

/// Builds the standard error response for a status, code and message.
pub fn error_response(
    status: StatusCode,
    code: &str,
    message: &str,
    details: Option<serde_json::Value>,
) -> Response {
    let body = ErrorBody {
        error: ErrorDetail {
            code: code.to_owned(),
            message: message.to_owned(),
            details,
        },
    };
    let mut response = (status, Json(body)).into_response();
    if status == StatusCode::UNAUTHORIZED {
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    response
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            Self::Expected {
                status,
                code,
                message,
                details,
            } => error_response(status, code, &message, details),
            Self::Unexpected(err) if database_unreachable(&err) => error_response(
                StatusCode::SERVICE_UNAVAILABLE,
                "database_unavailable",
                "the database is not answering; try again shortly (nothing was changed)",
                None,
            ),
            Self::Unexpected(err) => {
                let mut response = error_response(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "something went wrong on our side; nothing you sent was lost",
                    None,
                );
                response
                    .extensions_mut()
                    .insert(UnexpectedError(Arc::new(err)));
                response
            }
        }
    }
}

/// Whether an error comes from the database being away (down, restarting,
/// unreachable) rather than from a fault of ours: the answer is then 503.
fn database_unreachable(err: &anyhow::Error) -> bool {
    err.chain()
        .any(|cause| match cause.downcast_ref::<sqlx::Error>() {
            Some(sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed) => true,
            // SQLSTATE class 08 (connection exception) and 57 (operator
            // intervention: shutdown, restart).
            Some(sqlx::Error::Database(db)) => db
                .code()
                .is_some_and(|code| code.starts_with("08") || code.starts_with("57")),
            _ => false,
        })
}

impl From<sqlx::Error> for ApiError {
    fn from(err: sqlx::Error) -> Self {
        Self::Unexpected(anyhow::Error::new(err).context("database call failed"))
    }
}
