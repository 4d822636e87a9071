//! Identity's SQL for the second factor: TOTP on `identity_users`, the
//! recovery codes, and operators' enrolment codes.

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

/// Removes the second factor, recovery codes included.
pub async fn clear_totp(conn: &mut AnyConnection, user: UserId) -> sqlx::Result<()> {
    delete_recovery_codes(&mut *conn, user).await?;
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

/// Stores (replacing any earlier one) the digest of an operator's
/// enrolment code.
pub async fn save_enrolment_code(
    conn: &mut AnyConnection,
    user: UserId,
    digest: &str,
    expires_at: i64,
    issued_by: Option<UserId>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO identity_enrolment_codes (user_id, code_digest, expires_at, issued_by) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (user_id) DO UPDATE SET code_digest = excluded.code_digest, expires_at = excluded.expires_at, issued_by = excluded.issued_by",
    )
    .bind(user.to_string())
    .bind(digest)
    .bind(expires_at)
    .bind(issued_by.map(|u| u.to_string()))
    .execute(conn)
    .await?;
    Ok(())
}

/// Whether `digest` is the user's unexpired enrolment code.
pub async fn enrolment_code_matches(
    conn: &mut AnyConnection,
    user: UserId,
    digest: &str,
    now: i64,
) -> sqlx::Result<bool> {
    let found: Option<String> = sqlx::query_scalar(
        "SELECT user_id FROM identity_enrolment_codes WHERE user_id = $1 AND code_digest = $2 AND expires_at > $3",
    )
    .bind(user.to_string())
    .bind(digest)
    .bind(now)
    .fetch_optional(conn)
    .await?;
    Ok(found.is_some())
}

/// Uses up the user's unexpired enrolment code: `false` if there is none.
pub async fn consume_enrolment_code(
    conn: &mut AnyConnection,
    user: UserId,
    now: i64,
) -> sqlx::Result<bool> {
    let done =
        sqlx::query("DELETE FROM identity_enrolment_codes WHERE user_id = $1 AND expires_at > $2")
            .bind(user.to_string())
            .bind(now)
            .execute(conn)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// Replaces the user's recovery codes with these digests.
pub async fn replace_recovery_codes(
    conn: &mut AnyConnection,
    user: UserId,
    digests: &[String],
) -> sqlx::Result<()> {
    delete_recovery_codes(&mut *conn, user).await?;
    for digest in digests {
        sqlx::query("INSERT INTO identity_recovery_codes (user_id, code_digest) VALUES ($1, $2)")
            .bind(user.to_string())
            .bind(digest)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Removes all of the user's recovery codes.
pub async fn delete_recovery_codes(conn: &mut AnyConnection, user: UserId) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM identity_recovery_codes WHERE user_id = $1")
        .bind(user.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

/// Uses up one recovery code: `false` if the user has none with this digest.
pub async fn use_recovery_code(
    conn: &mut AnyConnection,
    user: UserId,
    digest: &str,
) -> sqlx::Result<bool> {
    let done =
        sqlx::query("DELETE FROM identity_recovery_codes WHERE user_id = $1 AND code_digest = $2")
            .bind(user.to_string())
            .bind(digest)
            .execute(conn)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// How many unused recovery codes the user has.
pub async fn recovery_codes_left(conn: &mut AnyConnection, user: UserId) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM identity_recovery_codes WHERE user_id = $1")
        .bind(user.to_string())
        .fetch_one(conn)
        .await
}
