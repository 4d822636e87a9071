//! Access tokens (RFC 8725): HS256 only, `exp`/`iat`/`iss`/`aud`/`sub`/`typ`
//! required and checked, leeway of 30 s, explicitly typed (`typ` header
//! `at+jwt` and `typ` claim `access`). The gateway issues them; every service
//! verifies them through the [`Caller`] extractor.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use anyhow::Context;
use axum::extract::{FromRef, FromRequestParts};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::ids::{OrgId, UserId};

mod key_files;

pub use key_files::{load_or_generate_key, load_or_generate_secret};

/// Token issuer.
pub const ISSUER: &str = "taiwa";
/// Audience of access tokens for the public API.
pub const AUDIENCE: &str = "taiwa-api";
/// The `typ` claim of access tokens.
pub const ACCESS_TYP: &str = "access";
/// The JOSE `typ` header of access tokens (RFC 9068).
pub const ACCESS_HEADER_TYP: &str = "at+jwt";
/// The error code of a token whose sign-in was revoked.
const REVOKED: &str = "session_revoked";
/// Clock skew we tolerate.
pub const LEEWAY_SECS: u64 = 30;

/// What a person may do in Taiwa.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Works at a client org; books sessions.
    Employee,
    /// Certified career consultant on the platform.
    Consultant,
    /// HR of a client org: invitations, credits, de-identified reports.
    Hr,
    /// Runs the platform.
    Operator,
}

impl Role {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Employee => "employee",
            Role::Consultant => "consultant",
            Role::Hr => "hr",
            Role::Operator => "operator",
        }
    }

    /// Whether people of this role must sign in with a second factor (and
    /// so may enrol one only with a one-time code from another operator,
    /// and never remove it): operators, who reach every org's settings.
    pub fn requires_second_factor(self) -> bool {
        self == Role::Operator
    }
}

impl std::str::FromStr for Role {
    type Err = anyhow::Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "employee" => Ok(Role::Employee),
            "consultant" => Ok(Role::Consultant),
            "hr" => Ok(Role::Hr),
            "operator" => Ok(Role::Operator),
            other => anyhow::bail!("unknown role {other:?}"),
        }
    }
}

/// The authenticated caller of a request, as every handler sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Caller {
    /// Who.
    pub user_id: UserId,
    /// In which role.
    pub role: Role,
    /// The org they belong to (none for consultants and operators).
    pub org_id: Option<OrgId>,
}

#[derive(Debug, Serialize, Deserialize)]
struct AccessClaims {
    sub: String,
    role: Role,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    org: Option<String>,
    iss: String,
    aud: String,
    iat: i64,
    exp: i64,
    jti: String,
    typ: String,
    /// How the login was authenticated (RFC 8176): `pwd`, plus `otp` when
    /// a one-time code was given.
    #[serde(default)]
    amr: Vec<String>,
}

/// Paths an operator may call before using a second factor: who am I, and
/// the enrolment of one.
fn open_before_second_factor(path: &str) -> bool {
    path == "/api/v1/me" || path == "/api/v1/me/mfa" || path.starts_with("/api/v1/me/mfa/")
}

/// A freshly issued access token.
#[derive(Debug)]
pub struct IssuedToken {
    /// The compact JWT.
    pub token: String,
    /// Seconds until it expires.
    pub expires_in: u64,
}

/// People whose access tokens stop working before they expire: an erased
/// person, a suspended consultant. Each entry refuses the tokens issued at or
/// before its instant; it is kept only as long as such a token could live.
#[derive(Debug, Default)]
struct Revocations {
    /// Person → the instant (Unix seconds) up to which their tokens are refused.
    by_user: RwLock<HashMap<UserId, i64>>,
}

impl Revocations {
    fn revoke(&self, user: UserId, at: i64, keep_for: i64) {
        let Ok(mut map) = self.by_user.write() else {
            return;
        };
        let now = chrono::Utc::now().timestamp();
        map.retain(|_, revoked_at| *revoked_at + keep_for >= now);
        let entry = map.entry(user).or_insert(at);
        *entry = (*entry).max(at);
    }

    /// Tokens issued up to the leeway after the revocation are refused too:
    /// another replica's clock may run that far ahead.
    fn refuses(&self, user: UserId, issued_at: i64) -> bool {
        self.by_user.read().map_or(true, |map| {
            map.get(&user)
                .is_some_and(|at| issued_at <= at.saturating_add(LEEWAY_SECS as i64))
        })
    }
}

/// Signs and verifies access tokens with one HS256 key.
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    ttl: Duration,
    revocations: Revocations,
}

impl std::fmt::Debug for TokenKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenKeys")
            .field("ttl", &self.ttl)
            .finish_non_exhaustive()
    }
}

impl TokenKeys {
    /// Keys from a secret of at least 32 bytes; tokens live `ttl`.
    pub fn new(secret: &SecretString, ttl: Duration) -> Self {
        let bytes = secret.expose_secret().as_bytes();
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_audience(&[AUDIENCE]);
        validation.set_issuer(&[ISSUER]);
        validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
        validation.leeway = LEEWAY_SECS;
        validation.validate_exp = true;
        Self {
            encoding: EncodingKey::from_secret(bytes),
            decoding: DecodingKey::from_secret(bytes),
            validation,
            ttl,
            revocations: Revocations::default(),
        }
    }

    /// Refuses, from now on, every access token of `user` issued at or before
    /// `at` (Unix seconds): an erased person's, a suspended consultant's.
    /// Every service of this process sees it at once (they share these keys);
    /// in the distributed mode the gateway, which every request passes,
    /// learns it from identity's events.
    pub fn revoke(&self, user: UserId, at: i64) {
        let keep_for =
            i64::try_from(self.ttl.as_secs()).unwrap_or(i64::MAX / 4) + LEEWAY_SECS as i64 + 60;
        self.revocations.revoke(user, at, keep_for);
    }

    /// How far back a revocation must reach to cover every token still alive.
    pub fn revocation_window(&self) -> Duration {
        self.ttl + Duration::from_secs(LEEWAY_SECS + 60)
    }

    /// Issues an access token for `caller`, whose login used a second factor
    /// when `second_factor` is set.
    pub fn issue_access(
        &self,
        caller: &Caller,
        second_factor: bool,
    ) -> anyhow::Result<IssuedToken> {
        let now = chrono::Utc::now().timestamp();
        let ttl = i64::try_from(self.ttl.as_secs()).context("token lifetime")?;
        let claims = AccessClaims {
            sub: caller.user_id.to_string(),
            role: caller.role,
            org: caller.org_id.map(|o| o.to_string()),
            iss: ISSUER.to_owned(),
            aud: AUDIENCE.to_owned(),
            iat: now,
            exp: now + ttl,
            jti: uuid::Uuid::new_v4().to_string(),
            typ: ACCESS_TYP.to_owned(),
            amr: if second_factor {
                vec!["pwd".to_owned(), "otp".to_owned()]
            } else {
                vec!["pwd".to_owned()]
            },
        };
        let mut header = Header::new(Algorithm::HS256);
        header.typ = Some(ACCESS_HEADER_TYP.to_owned());
        let token = jsonwebtoken::encode(&header, &claims, &self.encoding).context("signing")?;
        Ok(IssuedToken {
            token,
            expires_in: self.ttl.as_secs(),
        })
    }

    /// Whether `token` is a genuine token whose sign-in was revoked (the
    /// gateway refuses it before forwarding; other problems are left to the
    /// service, which knows whether its route needs a token at all).
    pub fn revoked(&self, token: &str) -> bool {
        matches!(
            self.verify(token),
            Err(ApiError::Expected { code: REVOKED, .. })
        )
    }

    /// Verifies a compact JWT and returns who it speaks for.
    pub fn verify_access(&self, token: &str) -> Result<Caller, ApiError> {
        self.verify(token).map(|(caller, _)| caller)
    }

    /// Verifies a compact JWT: who it speaks for, and whether their login
    /// used a second factor.
    pub fn verify(&self, token: &str) -> Result<(Caller, bool), ApiError> {
        let invalid = || ApiError::unauthorized("the access token is invalid or expired");
        let header = jsonwebtoken::decode_header(token).map_err(|_| invalid())?;
        if header.alg != Algorithm::HS256 || header.typ.as_deref() != Some(ACCESS_HEADER_TYP) {
            return Err(invalid());
        }
        let data = jsonwebtoken::decode::<AccessClaims>(token, &self.decoding, &self.validation)
            .map_err(|_| invalid())?;
        let claims = data.claims;
        if claims.typ != ACCESS_TYP {
            return Err(invalid());
        }
        // `iat` in the future (beyond the leeway) means a forged or broken clock.
        let now = chrono::Utc::now().timestamp();
        if claims.iat > now + LEEWAY_SECS as i64 {
            return Err(invalid());
        }
        let user_id = claims.sub.parse::<UserId>().map_err(|_| invalid())?;
        if self.revocations.refuses(user_id, claims.iat) {
            return Err(ApiError::new(
                axum::http::StatusCode::UNAUTHORIZED,
                REVOKED,
                "this sign-in no longer works; sign in again",
            ));
        }
        let org_id = match claims.org {
            Some(org) => Some(org.parse::<OrgId>().map_err(|_| invalid())?),
            None => None,
        };
        let second_factor = claims.amr.iter().any(|m| m == "otp");
        Ok((
            Caller {
                user_id,
                role: claims.role,
                org_id,
            },
            second_factor,
        ))
    }
}

/// The token of a request, before any role rule: who, and whether their
/// login used a second factor. For the few routes that must work before one
/// is set up (the enrolment); every other route takes [`Caller`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Authenticated {
    /// Who.
    pub caller: Caller,
    /// Whether the login used a one-time code.
    pub second_factor: bool,
}

impl<S> FromRequestParts<S> for Authenticated
where
    Arc<TokenKeys>: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let keys = Arc::<TokenKeys>::from_ref(state);
        let header = parts
            .headers
            .get(AUTHORIZATION)
            .ok_or_else(|| ApiError::unauthorized("sign in first: no Authorization header"))?;
        let value = header
            .to_str()
            .map_err(|_| ApiError::unauthorized("the Authorization header is not readable"))?;
        let token = value
            .strip_prefix("Bearer ")
            .or_else(|| value.strip_prefix("bearer "))
            .ok_or_else(|| ApiError::unauthorized("use Authorization: Bearer <token>"))?;
        let (caller, second_factor) = keys.verify(token.trim())?;
        Ok(Self {
            caller,
            second_factor,
        })
    }
}

impl<S> FromRequestParts<S> for Caller
where
    Arc<TokenKeys>: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Authenticated {
            caller,
            second_factor,
        } = Authenticated::from_request_parts(parts, state).await?;
        // Operators must use a second factor: without one, their token opens
        // only the enrolment, whatever the service. Checked here, once, so no
        // operator route can forget it.
        if caller.role.requires_second_factor() && !second_factor {
            let path = parts
                .extensions
                .get::<axum::extract::OriginalUri>()
                .map_or_else(|| parts.uri.path(), |original| original.0.path());
            if !open_before_second_factor(path) {
                return Err(ApiError::new(
                    axum::http::StatusCode::FORBIDDEN,
                    "mfa_required",
                    "operators must sign in with a one-time code: set one up at /api/v1/me/mfa/totp",
                ));
            }
        }
        Ok(caller)
    }
}

#[cfg(test)]
mod tests;
