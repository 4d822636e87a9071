//! The sign-in throttle's records: `identity_login_failures` (keyed digests only).

use sqlx::{AnyConnection, Row};

/// Failed attempts under a key since an instant.
#[derive(Clone, Copy, Debug)]
pub struct Failures {
    /// How many.
    pub count: i64,
    /// The earliest of them (epoch ms).
    pub oldest: Option<i64>,
    /// The latest of them (epoch ms).
    pub latest: Option<i64>,
}

/// Failed attempts (sign-ins, passwords, one-time codes) under a key since
/// an instant.
pub async fn login_failures(
    conn: &mut AnyConnection,
    key: &str,
    since: i64,
) -> sqlx::Result<Failures> {
    let row = sqlx::query("SELECT COUNT(*) AS n, MIN(failed_at) AS oldest, MAX(failed_at) AS latest FROM identity_login_failures WHERE account_key = $1 AND failed_at >= $2")
        .bind(key)
        .bind(since)
        .fetch_one(conn)
        .await?;
    Ok(Failures {
        count: row.try_get("n")?,
        oldest: row.try_get("oldest")?,
        latest: row.try_get("latest")?,
    })
}

/// Records a failed login, and forgets failures older than `forget_before`.
pub async fn record_login_failure(
    conn: &mut AnyConnection,
    account_key: &str,
    now: i64,
    forget_before: i64,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO identity_login_failures (account_key, failed_at) VALUES ($1, $2)")
        .bind(account_key)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM identity_login_failures WHERE account_key = $1 AND failed_at < $2")
        .bind(account_key)
        .bind(forget_before)
        .execute(conn)
        .await?;
    Ok(())
}

/// Deletes every throttle record older than `before` (none is needed after
/// 30 days: failures count for an hour, known addresses for 30 days).
pub async fn forget_login_records_before(
    conn: &mut AnyConnection,
    before: i64,
) -> sqlx::Result<u64> {
    let done = sqlx::query("DELETE FROM identity_login_failures WHERE failed_at < $1")
        .bind(before)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}
