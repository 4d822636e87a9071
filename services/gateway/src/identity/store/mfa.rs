//! Identity's SQL for the second factor (TOTP) on `identity_users`.

use shared::ids::UserId;
use sqlx::AnyConnection;

/// Starts (or restarts) enrolment with a sealed secret, not yet required.
pub async fn set_pending_totp(
    conn: &mut AnyConnection,
    user: UserId,
    sealed: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE identity_users SET totp_secret = $1, totp_enabled_at = NULL, totp_last_step = NULL WHERE id = $2",
    )
    .bind(sealed)
    .bind(user.to_string())
    .execute(conn)
    .await?;
    Ok(())
}

/// Confirms the pending secret: from now on sign-in needs a code.
pub async fn enable_totp(conn: &mut AnyConnection, user: UserId, now: i64) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE identity_users SET totp_enabled_at = $1 WHERE id = $2 AND totp_secret IS NOT NULL",
    )
    .bind(now)
    .bind(user.to_string())
    .execute(conn)
    .await?;
    Ok(())
}

/// Removes the second factor.
pub async fn clear_totp(conn: &mut AnyConnection, user: UserId) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE identity_users SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL WHERE id = $1",
    )
    .bind(user.to_string())
    .execute(conn)
    .await?;
    Ok(())
}

/// Records that `step`'s code was used, if no newer or equal step was:
/// `false` means the code was already used (a replay, or a race lost).
pub async fn use_totp_step(
    conn: &mut AnyConnection,
    user: UserId,
    step: i64,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE identity_users SET totp_last_step = $1 WHERE id = $2 AND (totp_last_step IS NULL OR totp_last_step < $1)",
    )
    .bind(step)
    .bind(user.to_string())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
