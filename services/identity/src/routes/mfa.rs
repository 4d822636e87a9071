//! `/api/v1/me/mfa`: the second factor (TOTP). Optional for everyone,
//! required for operators: until an operator signs in with a code, their
//! token opens nothing but `/api/v1/me` and these routes.

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use shared::auth::Authenticated;
use shared::error::{ApiError, ErrorBody};
use shared::http::Json;
use shared::time;
use sqlx::AnyConnection;
use utoipa::ToSchema;

use crate::sessions::{self, TokenResponse};
use crate::store::{self, UserRecord, mfa as mfa_store};
use crate::totp::TotpSecret;
use crate::{IdentityState, enrolment, policy, recovery, throttle};

/// What a one-time code may be.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Accept {
    /// Only the authenticator's current code (confirming a new secret).
    AppCode,
    /// The authenticator's code or one of the account's recovery codes.
    AppOrRecoveryCode,
}

/// Whether `code` is a fresh, correct code for `user`'s secret (or, where
/// `accept` allows, one of their recovery codes); a correct code is used up
/// (in `conn`'s transaction), so it never works twice.
pub async fn code_accepted(
    state: &IdentityState,
    conn: &mut AnyConnection,
    user: &UserRecord,
    code: &str,
    accept: Accept,
) -> Result<bool, ApiError> {
    // At most MAX_WRONG_CODES wrong codes per account in CODE_WINDOW_MS
    // (a million codes, five tries: 1 in 200,000 per window). A wrong code
    // is recorded on `conn`: callers commit it even when they refuse.
    let key = crate::secrets::digest(&format!("totp:{}", user.id));
    if state.db.backend() == shared::db::Backend::Postgres {
        // Concurrent codes for one account are counted one after another.
        sqlx::query("SELECT id FROM identity_users WHERE id = $1 FOR UPDATE")
            .bind(user.id.to_string())
            .execute(&mut *conn)
            .await?;
    }
    let now_ms = time::to_db(time::now());
    let wrong = store::login_failures(conn, &key, now_ms - CODE_WINDOW_MS).await?;
    if wrong.count >= MAX_WRONG_CODES {
        let wait = (wrong.oldest.unwrap_or(now_ms) + CODE_WINDOW_MS - now_ms).max(1000) / 1000;
        return Err(ApiError::too_many_requests(format!(
            "too many wrong codes; try again in {} minutes",
            (wait + 59) / 60
        ))
        .with_details(serde_json::json!({ "retry_after_seconds": wait })));
    }
    let accepted = match user.totp_secret.as_deref() {
        None => false,
        Some(_) if accept == Accept::AppOrRecoveryCode && recovery::looks_like_one(code) => {
            let used = recovery::use_code(conn, user.id, code).await?;
            if used {
                tracing::info!(user_id = %user.id, "a recovery code was used");
            }
            used
        }
        Some(sealed) => {
            let secret = state.seal.open(sealed)?;
            match secret.verify(code, time::now().timestamp(), user.totp_last_step) {
                Some(step) => mfa_store::use_totp_step(conn, user.id, step).await?,
                None => false,
            }
        }
    };
    if !accepted {
        store::record_login_failure(conn, &key, now_ms, now_ms - CODE_WINDOW_MS).await?;
    }
    Ok(accepted)
}

/// Wrong one-time codes allowed per account in [`CODE_WINDOW_MS`].
pub const MAX_WRONG_CODES: i64 = 5;
/// The window of [`MAX_WRONG_CODES`]: 15 minutes.
pub const CODE_WINDOW_MS: i64 = 15 * 60 * 1000;

/// The caller's second factor.
#[derive(Serialize, ToSchema)]
pub struct MfaStatus {
    /// `off`, `pending` (set up, not yet confirmed) or `on`.
    pub totp: &'static str,
    /// Whether this role must use it (operators).
    pub required: bool,
    /// Whether the current login was made with a code.
    pub this_login: bool,
    /// Unused recovery codes (0 while the second factor is off).
    pub recovery_codes_left: i64,
}

async fn current_user(state: &IdentityState, who: &Authenticated) -> Result<UserRecord, ApiError> {
    let mut conn = state.db.pool().acquire().await?;
    super::signed_in_user(&mut conn, who.caller.user_id).await
}

/// The caller's second factor.
#[utoipa::path(get, path = "/api/v1/me/mfa", tag = "identity", security(("bearer" = [])),
    responses((status = 200, description = "Second factor status", body = MfaStatus)))]
pub async fn status(
    State(state): State<IdentityState>,
    who: Authenticated,
) -> Result<Json<MfaStatus>, ApiError> {
    let mut conn = state.db.pool().acquire().await?;
    let user = super::signed_in_user(&mut conn, who.caller.user_id).await?;
    let recovery_codes_left = if user.totp_enabled {
        mfa_store::recovery_codes_left(&mut conn, user.id).await?
    } else {
        0
    };
    Ok(Json(MfaStatus {
        totp: match (user.totp_enabled, user.totp_secret.is_some()) {
            (true, _) => "on",
            (false, true) => "pending",
            (false, false) => "off",
        },
        required: policy::second_factor_required(user.role),
        this_login: who.second_factor,
        recovery_codes_left,
    }))
}

/// The password, to confirm a change to the second factor.
#[derive(Deserialize, ToSchema)]
pub struct PasswordConfirmation {
    /// The account's password.
    pub password: String,
    /// Operators setting up their first second factor: the one-time
    /// enrolment code another operator (or `taiwa operator enrolment-code`)
    /// gave them.
    #[serde(default)]
    pub enrolment_code: Option<String>,
}

/// A new secret to put in an authenticator app. Shown once.
#[derive(Serialize, ToSchema)]
pub struct TotpEnrolment {
    /// Base32, for typing in.
    pub secret: String,
    /// `otpauth://` URI, for a QR code or a tap.
    pub otpauth_uri: String,
}

/// An operator's enrolment code must be theirs and unexpired: 403
/// `enrolment_code_required` without one, 422 `invalid_enrolment_code`
/// (counted like a wrong password) with a wrong one.
async fn check_enrolment_code(
    state: &IdentityState,
    user: &UserRecord,
    code: Option<&str>,
    extensions: &axum::http::Extensions,
) -> Result<(), ApiError> {
    let Some(code) = code.filter(|c| !c.trim().is_empty()) else {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "enrolment_code_required",
            "operators set up two-step sign-in with a one-time enrolment code from another operator (or `taiwa operator enrolment-code` on the server)",
        ));
    };
    let mut conn = state.db.pool().acquire().await?;
    let now = time::to_db(time::now());
    if mfa_store::enrolment_code_matches(&mut conn, user.id, &enrolment::digest(code), now).await? {
        return Ok(());
    }
    throttle::Attempt::new(
        &state.throttle,
        &user.email,
        throttle::client_address(extensions),
    )
    .failed(&mut conn)
    .await?;
    Err(ApiError::unprocessable(
        "invalid_enrolment_code",
        "the enrolment code is not correct or has expired",
    ))
}

/// Starts setting up TOTP: a new secret, pending until a code confirms it.
#[utoipa::path(post, path = "/api/v1/me/mfa/totp", tag = "identity", security(("bearer" = [])),
    request_body = PasswordConfirmation,
    responses(
        (status = 201, description = "Put this secret in an authenticator app, then confirm a code", body = TotpEnrolment),
        (status = 403, description = "An operator without an enrolment code (`enrolment_code_required`)", body = ErrorBody),
        (status = 409, description = "TOTP is already on (`mfa_already_enabled`)", body = ErrorBody),
        (status = 422, description = "Wrong password (`wrong_password`) or enrolment code (`invalid_enrolment_code`)", body = ErrorBody),
        (status = 429, description = "`rate_limited`: too many wrong passwords; wait and retry", body = ErrorBody),
    ))]
#[tracing::instrument(name = "identity.mfa_enrol", skip_all)]
pub async fn enrol(
    State(state): State<IdentityState>,
    who: Authenticated,
    extensions: axum::http::Extensions,
    Json(body): Json<PasswordConfirmation>,
) -> Result<(StatusCode, Json<TotpEnrolment>), ApiError> {
    let user = current_user(&state, &who).await?;
    throttle::confirm_password(
        &state,
        &user,
        &body.password,
        throttle::client_address(&extensions),
    )
    .await?;
    if user.totp_enabled {
        return Err(ApiError::conflict(
            "mfa_already_enabled",
            "a second factor is already on; remove it first to set up another",
        ));
    }
    if policy::enrolment_needs_code(user.role) {
        check_enrolment_code(&state, &user, body.enrolment_code.as_deref(), &extensions).await?;
    }
    let secret = TotpSecret::generate();
    let mut tx = state.db.begin_write().await?;
    mfa_store::set_pending_totp(&mut tx, user.id, &state.seal.seal(&secret)?).await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(TotpEnrolment {
            secret: secret.to_base32(),
            otpauth_uri: secret.uri(&user.email),
        }),
    ))
}

/// A one-time code.
#[derive(Deserialize, ToSchema)]
pub struct CodeConfirmation {
    /// The 6-digit code the app shows now.
    pub code: String,
}

/// Confirms the pending secret with a code: TOTP is on, and the answer is a
/// new login made with it.
#[utoipa::path(post, path = "/api/v1/me/mfa/totp/confirm", tag = "identity", security(("bearer" = [])),
    request_body = CodeConfirmation,
    responses(
        (status = 200, description = "On; a new login made with the code, and recovery codes shown once", body = MfaConfirmed),
        (status = 409, description = "Nothing to confirm (`mfa_not_pending`), or an operator's enrolment code expired meanwhile (`enrolment_code_expired`)", body = ErrorBody),
        (status = 422, description = "Wrong or used code (`invalid_otp`)", body = ErrorBody),
        (status = 429, description = "`rate_limited`: five wrong codes in 15 minutes", body = ErrorBody),
    ))]
#[tracing::instrument(name = "identity.mfa_confirm", skip_all)]
pub async fn confirm(
    State(state): State<IdentityState>,
    who: Authenticated,
    Json(body): Json<CodeConfirmation>,
) -> Result<Json<MfaConfirmed>, ApiError> {
    let user = current_user(&state, &who).await?;
    if user.totp_enabled || user.totp_secret.is_none() {
        return Err(ApiError::conflict(
            "mfa_not_pending",
            "start with POST /api/v1/me/mfa/totp",
        ));
    }
    let mut tx = state.db.begin_write().await?;
    if !code_accepted(&state, &mut tx, &user, &body.code, Accept::AppCode).await? {
        // The wrong code counts towards the limit.
        tx.commit().await?;
        return Err(ApiError::unprocessable(
            "invalid_otp",
            "the code is not correct; check the app's clock and try the current code",
        ));
    }
    let now = time::to_db(time::now());
    if policy::enrolment_needs_code(user.role)
        && !mfa_store::consume_enrolment_code(&mut tx, user.id, now).await?
    {
        return Err(ApiError::conflict(
            "enrolment_code_expired",
            "the enrolment code has expired or was used; ask another operator for a new one",
        ));
    }
    mfa_store::enable_totp(&mut tx, user.id, now).await?;
    let recovery_codes = recovery::issue_set(&mut tx, user.id).await?;
    let tokens = sessions::issue(
        &state,
        &mut tx,
        &user,
        sessions::Login::New {
            second_factor: true,
        },
    )
    .await?;
    tx.commit().await?;
    tracing::info!(user_id = %user.id, "second factor turned on");
    Ok(Json(MfaConfirmed {
        tokens,
        recovery_codes,
    }))
}

/// Second factor on: a new login made with it, and the recovery codes.
#[derive(Serialize, ToSchema)]
pub struct MfaConfirmed {
    /// The new login.
    #[serde(flatten)]
    pub tokens: TokenResponse,
    /// Ten one-time codes, each usable once instead of the app's code (at
    /// sign-in, or to turn the second factor off). Shown only now.
    pub recovery_codes: Vec<String>,
}

/// The password and a current code, to remove the second factor.
#[derive(Deserialize, ToSchema)]
pub struct PasswordAndCode {
    /// The account's password.
    pub password: String,
    /// The 6-digit code the app shows now, or an unused recovery code.
    pub code: String,
}

/// Removes TOTP. Operators cannot: they must keep a second factor.
#[utoipa::path(delete, path = "/api/v1/me/mfa/totp", tag = "identity", security(("bearer" = [])),
    request_body = PasswordAndCode,
    responses(
        (status = 204, description = "Removed"),
        (status = 403, description = "Operators must keep a second factor (`mfa_required_for_role`)", body = ErrorBody),
        (status = 409, description = "TOTP is not on (`mfa_not_enabled`)", body = ErrorBody),
        (status = 422, description = "Wrong password or code", body = ErrorBody),
        (status = 429, description = "`rate_limited`: too many wrong passwords or codes; wait and retry", body = ErrorBody),
    ))]
#[tracing::instrument(name = "identity.mfa_remove", skip_all)]
pub async fn remove(
    State(state): State<IdentityState>,
    who: Authenticated,
    extensions: axum::http::Extensions,
    Json(body): Json<PasswordAndCode>,
) -> Result<StatusCode, ApiError> {
    let user = current_user(&state, &who).await?;
    policy::may_remove_second_factor(user.role)?;
    let mut tx =
        confirm_password_and_code(&state, &user, &body, &extensions, Accept::AppOrRecoveryCode)
            .await?;
    mfa_store::clear_totp(&mut tx, user.id).await?;
    tracing::info!(user_id = %user.id, "second factor removed");
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// New recovery codes.
#[derive(Serialize, ToSchema)]
pub struct RecoveryCodes {
    /// Ten one-time codes; the earlier ones no longer work. Shown only now.
    pub recovery_codes: Vec<String>,
}

/// Replaces the recovery codes with a new set (after some were used, or
/// when the old ones may have been seen), with the password and a current
/// code from the app.
#[utoipa::path(post, path = "/api/v1/me/mfa/recovery-codes", tag = "identity", security(("bearer" = [])),
    request_body = PasswordAndCode,
    responses(
        (status = 201, description = "A new set; the old codes no longer work", body = RecoveryCodes),
        (status = 409, description = "TOTP is not on (`mfa_not_enabled`)", body = ErrorBody),
        (status = 422, description = "Wrong password (`wrong_password`) or code (`invalid_otp`)", body = ErrorBody),
        (status = 429, description = "`rate_limited`: too many wrong passwords or codes; wait and retry", body = ErrorBody),
    ))]
#[tracing::instrument(name = "identity.mfa_recovery_codes", skip_all)]
pub async fn renew_recovery_codes(
    State(state): State<IdentityState>,
    who: Authenticated,
    extensions: axum::http::Extensions,
    Json(body): Json<PasswordAndCode>,
) -> Result<(StatusCode, Json<RecoveryCodes>), ApiError> {
    let user = current_user(&state, &who).await?;
    // The app's code only: a recovery code must not buy a fresh set.
    let mut tx =
        confirm_password_and_code(&state, &user, &body, &extensions, Accept::AppCode).await?;
    let recovery_codes = recovery::issue_set(&mut tx, user.id).await?;
    tx.commit().await?;
    tracing::info!(user_id = %user.id, "recovery codes renewed");
    Ok((StatusCode::CREATED, Json(RecoveryCodes { recovery_codes })))
}

/// A change to a second factor that is on, confirmed with the password and
/// a code: the write transaction to make it in. A wrong code is recorded
/// (and counts towards the limit) before the refusal.
async fn confirm_password_and_code(
    state: &IdentityState,
    user: &UserRecord,
    body: &PasswordAndCode,
    extensions: &axum::http::Extensions,
    accept: Accept,
) -> Result<sqlx::Transaction<'static, sqlx::Any>, ApiError> {
    if !user.totp_enabled {
        return Err(ApiError::conflict(
            "mfa_not_enabled",
            "no second factor is on",
        ));
    }
    throttle::confirm_password(
        state,
        user,
        &body.password,
        throttle::client_address(extensions),
    )
    .await?;
    let mut tx = state.db.begin_write().await?;
    if !code_accepted(state, &mut tx, user, &body.code, accept).await? {
        tx.commit().await?;
        return Err(ApiError::unprocessable(
            "invalid_otp",
            "the code is not correct; enter the code the app shows now",
        ));
    }
    Ok(tx)
}
