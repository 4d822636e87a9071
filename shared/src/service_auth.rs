//! Service-to-service authentication in the distributed mode. The gateway
//! signs each forwarded request with a short-lived token (HS256, audience
//! `taiwa-service`, 60 s) in `X-Taiwa-Service-Token`; a process that runs one
//! service alone refuses `/api/` requests without a valid one, so the services
//! are reachable only through the gateway. The caller's own bearer token
//! travels unchanged and each service still verifies it: the service token
//! says "this came through the gateway", never who the person is.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::ApiError;

/// The header the token travels in.
pub const HEADER: &str = "x-taiwa-service-token";
/// The audience of service tokens (never accepted as an access token).
pub const AUDIENCE: &str = "taiwa-service";
const TTL: Duration = Duration::from_secs(60);

#[derive(Serialize, Deserialize)]
struct Claims {
    sub: String,
    iss: String,
    aud: String,
    iat: i64,
    exp: i64,
    typ: String,
}

/// Issues and checks service tokens, with a key derived from the signing
/// secret that every process shares (domain-separated from access tokens).
#[derive(Clone)]
pub struct ServiceTokens(Arc<(EncodingKey, DecodingKey, Validation)>);

impl std::fmt::Debug for ServiceTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ServiceTokens(…)")
    }
}

impl ServiceTokens {
    /// Keys from the shared signing secret.
    pub fn new(secret: &SecretString) -> Self {
        let mut hash = Sha256::new();
        hash.update(b"taiwa service tokens v1\0");
        hash.update(secret.expose_secret().as_bytes());
        let key = hash.finalize();
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_audience(&[AUDIENCE]);
        validation.set_issuer(&[crate::auth::ISSUER]);
        validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
        validation.leeway = 5;
        Self(Arc::new((
            EncodingKey::from_secret(&key),
            DecodingKey::from_secret(&key),
            validation,
        )))
    }

    /// A token for a request from `service`.
    pub fn issue(&self, service: &str) -> anyhow::Result<String> {
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            sub: service.to_owned(),
            iss: crate::auth::ISSUER.to_owned(),
            aud: AUDIENCE.to_owned(),
            iat: now,
            exp: now + TTL.as_secs() as i64,
            typ: "service".to_owned(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.0.0)
            .context("signing a service token")
    }

    /// Whether `token` is a valid, current service token.
    pub fn verify(&self, token: &str) -> bool {
        jsonwebtoken::decode::<Claims>(token, &self.0.1, &self.0.2)
            .is_ok_and(|data| data.claims.typ == "service")
    }
}

/// Middleware for a process running one service alone: `/api/` requests
/// must carry a service token (operations endpoints need none).
pub async fn require(
    State(tokens): State<ServiceTokens>,
    request: Request,
    next: Next,
) -> Response {
    if !request.uri().path().starts_with("/api/") {
        return next.run(request).await;
    }
    let ok = request
        .headers()
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| tokens.verify(t));
    if ok {
        next.run(request).await
    } else {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "service_token_required",
            "this service answers only requests forwarded by Taiwa's gateway",
        )
        .into_response()
    }
}

#[cfg(test)]
mod tests;
