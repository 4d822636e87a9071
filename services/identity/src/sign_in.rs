//! Signing in with a password (and a one-time code where the account has a
//! second factor): throttled per account and address, the same answer for
//! unknown emails and wrong passwords, the suspension notice only after a
//! correct password.

use std::net::IpAddr;

use axum::http::StatusCode;
use shared::error::ApiError;

use crate::domain::Email;
use crate::routes::auth::suspended_notice;
use crate::routes::mfa;
use crate::sessions::{self, TokenResponse};
use crate::throttle::{self, MustWait};
use crate::{IdentityState, store};

/// What a person signs in with.
pub struct Credentials<'a> {
    /// The email as typed.
    pub email: &'a str,
    /// The password.
    pub password: &'a str,
    /// The authenticator's code, if one was given.
    pub totp: Option<&'a str>,
}

fn bad_credentials() -> ApiError {
    ApiError::unauthorized("the email or the password is not correct")
}

/// Signs in from `address`: the tokens, or how long to wait first (429).
#[tracing::instrument(name = "identity.login", skip_all)]
pub async fn sign_in(
    state: &IdentityState,
    credentials: &Credentials<'_>,
    address: Option<IpAddr>,
) -> Result<Result<TokenResponse, MustWait>, ApiError> {
    let email = Email::parse(credentials.email).ok();
    let account = email.as_ref().map_or_else(
        || credentials.email.trim().to_owned(),
        |e| e.as_str().to_owned(),
    );
    let attempt = throttle::Attempt::new(&state.throttle, &account, address);
    // Held until the password (and code) are checked: attempts on one
    // account go one at a time, and a slowed address takes turns.
    let _turn = match attempt.begin(&state.db).await? {
        Ok(turn) => turn,
        Err(wait) => return Ok(Err(wait)),
    };
    let mut conn = state.db.pool().acquire().await?;

    let user = match &email {
        Some(email) => store::find_user_by_email(&mut conn, email).await?,
        None => None,
    };
    let usable = user.as_ref().filter(|u| !u.disabled);
    let stored_hash = usable.and_then(|u| u.password_hash.as_deref());
    let ok = state
        .hasher
        .verify(credentials.password, stored_hash)
        .await?;
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
        let Some(code) = credentials.totp.filter(|c| !c.trim().is_empty()) else {
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "mfa_required",
                "enter the 6-digit code from your authenticator app (or one of your recovery codes)",
            ));
        };
        if !mfa::code_accepted(state, &mut tx, user, code, mfa::Accept::AppOrRecoveryCode).await? {
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
    let tokens =
        sessions::issue(state, &mut tx, user, sessions::Login::New { second_factor }).await?;
    tx.commit().await?;
    tracing::info!(user_id = %user.id, role = user.role.as_str(), second_factor, "signed in");
    Ok(Ok(tokens))
}
