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

use crate::domain::Email;
use crate::routes::mfa;
use crate::sessions::{self, TokenResponse};
use crate::{IdentityState, secrets, store, throttle};

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

fn bad_credentials() -> ApiError {
    ApiError::unauthorized("the email or the password is not correct")
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
    let email = Email::parse(&body.email).ok();
    let account = email
        .as_ref()
        .map_or_else(|| body.email.trim().to_owned(), |e| e.as_str().to_owned());
    // The client's address (never stored: only digests of it).
    let address = extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(peer)| peer.ip());
    let attempt = throttle::Attempt::new(&state.throttle, &account, address);
    // Held until the password (and code) are checked: attempts on one
    // account go one at a time, and a slowed address takes turns.
    let _turn = match attempt.begin(&state.db).await? {
        Ok(turn) => turn,
        Err(wait) => return Ok(wait.into_response()),
    };
    let mut conn = state.db.pool().acquire().await?;

    let user = match &email {
        Some(email) => store::find_user_by_email(&mut conn, email).await?,
        None => None,
    };
    let usable = user.as_ref().filter(|u| !u.disabled);
    let stored_hash = usable.and_then(|u| u.password_hash.as_deref());
    let ok = state.hasher.verify(&body.password, stored_hash).await?;
    let Some(user) = usable.filter(|_| ok) else {
        attempt.failed(&mut conn).await?;
        return Err(bad_credentials());
    };
    drop(conn);
    if user.suspended {
        // Only after the password: the notice is no oracle for strangers.
        return Err(suspended_notice());
    }

    let mut tx = state.db.begin_write().await?;
    let second_factor = if user.totp_enabled {
        let Some(code) = body.totp.as_deref().filter(|c| !c.trim().is_empty()) else {
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "mfa_required",
                "enter the 6-digit code from your authenticator app",
            ));
        };
        if !mfa::code_accepted(&state, &mut tx, user, code).await? {
            tx.commit().await?;
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "invalid_otp",
                "the one-time code is not correct or was already used",
            ));
        }
        true
    } else {
        false
    };
    attempt.succeeded(&mut tx).await?;
    let tokens = sessions::issue(
        &state,
        &mut tx,
        user,
        sessions::Login::New { second_factor },
    )
    .await?;
    tx.commit().await?;
    tracing::info!(user_id = %user.id, role = user.role.as_str(), second_factor, "signed in");
    Ok(Json(tokens).into_response())
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
