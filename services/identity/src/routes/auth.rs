//! `/api/v1/auth/*`: login, refresh, logout.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::Extensions;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use shared::error::{ApiError, ErrorBody};
use shared::http::Json;
use shared::time;
use utoipa::ToSchema;

use crate::sessions::{self, TokenResponse};
use crate::sign_in::{Credentials, sign_in};
use crate::{IdentityState, secrets, store};

/// Email and password.
#[derive(Deserialize, ToSchema)]
pub struct LoginRequest {
    /// The account's email.
    pub email: String,
    /// The password.
    pub password: String,
    /// The 6-digit code from an authenticator app, for accounts with a
    /// second factor (required for them; operators must have one).
    #[serde(default)]
    pub totp: Option<String>,
}

/// Signs in. Unknown email and wrong password give the same 401 in similar time.
#[utoipa::path(
    post,
    path = "/api/v1/auth/login",
    tag = "identity",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = TokenResponse),
        (status = 401, description = "Wrong email or password (`unauthorized`); a code is needed (`mfa_required`) or is wrong (`invalid_otp`)", body = ErrorBody),
        (status = 403, description = "`account_suspended`: a suspended consultant (after a correct password), with the notice", body = ErrorBody),
        (status = 429, description = "`rate_limited`: too many failed attempts on this account (from this address, or from anywhere); wait `Retry-After` seconds (delays grow, at most 15 minutes from one address and one minute for the account)", body = ErrorBody),
    )
)]
pub async fn login(
    State(state): State<IdentityState>,
    extensions: Extensions,
    Json(body): Json<LoginRequest>,
) -> Result<Response, ApiError> {
    // The client's address (never stored: only digests of it).
    let address = extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(peer)| peer.ip());
    let credentials = Credentials {
        email: &body.email,
        password: &body.password,
        totp: body.totp.as_deref(),
    };
    Ok(match sign_in(&state, &credentials, address).await? {
        Ok(tokens) => Json(tokens).into_response(),
        Err(wait) => wait.into_response(),
    })
}

/// A refresh token.
#[derive(Deserialize, ToSchema)]
pub struct RefreshRequest {
    /// The refresh token from login or the previous refresh.
    pub refresh_token: String,
}

/// What a suspended consultant sees when they sign in.
pub(crate) fn suspended_notice() -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "account_suspended",
        "この登録は運営により一時停止されています。今後の予約は取り消され、相談者には連絡済みです。詳しくは運営にお問い合わせください。 / Your registration is suspended by the platform: your future sessions were cancelled and your clients told. Please contact the platform's operators.",
    )
}

fn invalid_refresh() -> ApiError {
    ApiError::unauthorized("the refresh token is invalid, used or expired; sign in again")
}

/// Exchanges a refresh token for new tokens. Each refresh token works once;
/// presenting a used one again revokes the whole login (theft detection).
#[utoipa::path(
    post,
    path = "/api/v1/auth/refresh",
    tag = "identity",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "New tokens", body = TokenResponse),
        (status = 401, description = "Invalid, used, revoked or expired", body = ErrorBody),
    )
)]
#[tracing::instrument(name = "identity.refresh", skip_all)]
pub async fn refresh(
    State(state): State<IdentityState>,
    Json(body): Json<RefreshRequest>,
) -> Result<Json<TokenResponse>, ApiError> {
    let now = time::to_db(time::now());
    let mut tx = state.db.begin_write().await?;
    let Some(record) =
        store::find_refresh_token(&mut tx, &secrets::digest(body.refresh_token.trim())).await?
    else {
        return Err(invalid_refresh());
    };
    if record.used_at.is_some() && record.revoked_at.is_none() {
        store::revoke_refresh_family(&mut tx, &record.family_id, now).await?;
        tx.commit().await?;
        tracing::warn!(user_id = %record.user_id, "a used refresh token was presented again; the login was revoked");
        return Err(invalid_refresh());
    }
    if record.revoked_at.is_some() || record.expires_at <= now {
        return Err(invalid_refresh());
    }
    let user = store::find_user(&mut tx, record.user_id)
        .await?
        .filter(|u| !u.disabled && !u.suspended)
        .ok_or_else(invalid_refresh)?;
    if !store::mark_refresh_token_used(&mut tx, &record.id, now).await? {
        return Err(invalid_refresh());
    }
    let login = sessions::Login::Continued {
        family: &record.family_id,
        second_factor: record.second_factor,
    };
    let tokens = sessions::issue(&state, &mut tx, &user, login).await?;
    tx.commit().await?;
    Ok(Json(tokens))
}

/// Signs out: revokes the login the refresh token belongs to. Always 204, so
/// it reveals nothing about the token.
#[utoipa::path(
    post,
    path = "/api/v1/auth/logout",
    tag = "identity",
    request_body = RefreshRequest,
    responses((status = 204, description = "Signed out"))
)]
#[tracing::instrument(name = "identity.logout", skip_all)]
pub async fn logout(
    State(state): State<IdentityState>,
    Json(body): Json<RefreshRequest>,
) -> Result<StatusCode, ApiError> {
    let mut tx = state.db.begin_write().await?;
    if let Some(record) =
        store::find_refresh_token(&mut tx, &secrets::digest(body.refresh_token.trim())).await?
    {
        store::revoke_refresh_family(&mut tx, &record.family_id, time::to_db(time::now())).await?;
    }
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
