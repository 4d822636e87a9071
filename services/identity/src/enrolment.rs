//! Enrolment codes: an operator without a second factor sets one up only
//! with a one-time code from another operator (signed in with their own) or
//! from `taiwa operator enrolment-code` on the server — a stolen password
//! alone cannot put an attacker's authenticator on an operator account.
//!
//! A code is a [`secrets::typed_code`], shown once, kept only as a SHA-256 digest, valid
//! for 24 hours and used up when the second factor is confirmed. Wrong codes
//! count as failed password attempts (`throttle`).

use chrono::Duration;
use shared::auth::Role;
use shared::db::Db;
use shared::ids::UserId;
use shared::time;
use sqlx::AnyConnection;

use crate::domain::Email;
use crate::secrets;
use crate::store;
use crate::store::mfa as mfa_store;

/// How long a code works.
pub const VALID_FOR: Duration = Duration::hours(24);

/// The stored form of a code.
pub fn digest(code: &str) -> String {
    secrets::digest(&format!("enrolment:{}", secrets::normalise_code(code)))
}

/// Issues a new code for `user` (replacing an earlier one) and returns it
/// with its expiry (epoch ms).
pub async fn issue(
    conn: &mut AnyConnection,
    user: UserId,
    issued_by: Option<UserId>,
) -> sqlx::Result<(String, i64)> {
    let code = secrets::typed_code();
    let expires_at = time::to_db(time::now() + VALID_FOR);
    mfa_store::save_enrolment_code(conn, user, &digest(&code), expires_at, issued_by).await?;
    Ok((code, expires_at))
}

/// Issues a code for the operator with this email, from the server's own
/// command line (`taiwa operator enrolment-code`): the first operator's way
/// in, or after a lost authenticator was reset. Refuses anyone who is not an
/// operator and an operator who already has a second factor. Returns the
/// address as stored, the code and its expiry (epoch ms).
pub async fn issue_for_operator(db: &Db, email: &str) -> anyhow::Result<(String, String, i64)> {
    let email = Email::parse(email).map_err(anyhow::Error::msg)?;
    let mut tx = db.begin_write().await?;
    let user = store::find_user_by_email(&mut tx, &email)
        .await?
        .filter(|u| u.role == Role::Operator)
        .ok_or_else(|| anyhow::anyhow!("no operator has this email"))?;
    anyhow::ensure!(
        !user.totp_enabled,
        "this operator already has a second factor"
    );
    let (code, expires_at) = issue(&mut tx, user.id, None).await?;
    tx.commit().await?;
    Ok((email.as_str().to_owned(), code, expires_at))
}

#[cfg(test)]
mod tests;
