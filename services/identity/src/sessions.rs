//! A login session: a short-lived access token plus a rotating refresh token
//! (stored hashed, single use; reusing a used one revokes the whole login).

use chrono::Duration;
use serde::Serialize;
use shared::auth::{Caller, Role};
use shared::error::ApiError;
use shared::time;
use sqlx::AnyConnection;
use utoipa::ToSchema;

use super::store::{self, UserRecord};
use super::{IdentityState, secrets};

/// What login, refresh and invitation acceptance return.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    /// JWT for `Authorization: Bearer`.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Seconds until the access token expires (at most 900).
    pub expires_in: u64,
    /// The person's role.
    pub role: Role,
    /// Opaque, single-use token for `POST /api/v1/auth/refresh`.
    pub refresh_token: String,
    /// Seconds until the refresh token expires.
    pub refresh_expires_in: u64,
}

/// The caller a user record speaks as.
pub fn caller_of(user: &UserRecord) -> Caller {
    Caller {
        user_id: user.id,
        role: user.role,
        org_id: user.org_id,
    }
}

/// How a login began: a new one (with or without a second factor), or the
/// continuation of an earlier one, which keeps how that one was made.
#[derive(Clone, Copy, Debug)]
pub enum Login<'a> {
    /// A new login; `second_factor` when a one-time code was given.
    New {
        /// Whether a one-time code was given.
        second_factor: bool,
    },
    /// A refresh within the login `family`.
    Continued {
        /// The login's family id.
        family: &'a str,
        /// Whether the login was made with a second factor.
        second_factor: bool,
    },
}

/// Issues tokens for `user`, continuing a login or starting one.
pub async fn issue(
    state: &IdentityState,
    conn: &mut AnyConnection,
    user: &UserRecord,
    login: Login<'_>,
) -> Result<TokenResponse, ApiError> {
    let (family, second_factor) = match login {
        Login::New { second_factor } => (None, second_factor),
        Login::Continued {
            family,
            second_factor,
        } => (Some(family), second_factor),
    };
    let access = state.tokens.issue_access(&caller_of(user), second_factor)?;
    let refresh = secrets::new_token();
    let now = time::now();
    let absolute =
        Duration::from_std(state.settings.refresh_token_ttl).map_err(anyhow::Error::from)?;
    let idle = Duration::from_std(state.settings.session_idle_ttl).map_err(anyhow::Error::from)?;
    // A login lasts at most `absolute` from when it began, and ends sooner
    // when no refresh comes within `idle`.
    let started = match family {
        Some(f) => store::login_started_at(conn, f)
            .await?
            .map_or(now, time::from_db),
        None => now,
    };
    let expires = (now + idle).min(started + absolute);
    let family = family.map_or_else(|| uuid::Uuid::new_v4().to_string(), str::to_owned);
    store::insert_refresh_token(
        conn,
        user.id,
        &family,
        &secrets::digest(&refresh),
        (time::to_db(now), time::to_db(expires)),
        second_factor,
    )
    .await?;
    Ok(TokenResponse {
        access_token: access.token,
        token_type: "Bearer",
        expires_in: access.expires_in,
        role: user.role,
        refresh_token: refresh,
        refresh_expires_in: u64::try_from((expires - now).num_seconds().max(0)).unwrap_or(0),
    })
}
