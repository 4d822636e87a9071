//! Refresh tokens and the logins they belong to: `identity_refresh_tokens`.

use shared::ids::UserId;
use sqlx::{AnyConnection, Row};

/// A stored refresh token.
#[derive(Clone, Debug)]
pub struct RefreshRecord {
    /// Row id.
    pub id: String,
    /// Whose.
    pub user_id: UserId,
    /// The login it belongs to.
    pub family_id: String,
    /// Expiry (epoch ms).
    pub expires_at: i64,
    /// Set once rotated.
    pub used_at: Option<i64>,
    /// Set once revoked.
    pub revoked_at: Option<i64>,
    /// Whether the login was made with a second factor.
    pub second_factor: bool,
}

/// Stores a refresh token's digest.
pub async fn insert_refresh_token(
    conn: &mut AnyConnection,
    user_id: UserId,
    family_id: &str,
    token_hash: &str,
    (now, expires_at): (i64, i64),
    second_factor: bool,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO identity_refresh_tokens (id, user_id, family_id, token_hash, created_at, expires_at, second_factor) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(user_id.to_string())
    .bind(family_id)
    .bind(token_hash)
    .bind(now)
    .bind(expires_at)
    .bind(i64::from(second_factor))
    .execute(conn)
    .await?;
    Ok(())
}

/// When a login (a family of refresh tokens) began (epoch ms).
pub async fn login_started_at(
    conn: &mut AnyConnection,
    family_id: &str,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("SELECT MIN(created_at) FROM identity_refresh_tokens WHERE family_id = $1")
        .bind(family_id)
        .fetch_one(conn)
        .await
}

/// A refresh token by its digest.
pub async fn find_refresh_token(
    conn: &mut AnyConnection,
    token_hash: &str,
) -> anyhow::Result<Option<RefreshRecord>> {
    let row = sqlx::query(
        "SELECT id, user_id, family_id, expires_at, used_at, revoked_at, second_factor FROM identity_refresh_tokens WHERE token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let user_id: String = row.try_get("user_id")?;
    Ok(Some(RefreshRecord {
        id: row.try_get("id")?,
        user_id: user_id.parse()?,
        family_id: row.try_get("family_id")?,
        expires_at: row.try_get("expires_at")?,
        used_at: row.try_get("used_at")?,
        revoked_at: row.try_get("revoked_at")?,
        second_factor: row.try_get::<i64, _>("second_factor")? != 0,
    }))
}

/// Marks a refresh token used, if nobody did first (compare-and-swap).
pub async fn mark_refresh_token_used(
    conn: &mut AnyConnection,
    id: &str,
    now: i64,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE identity_refresh_tokens SET used_at = $1 WHERE id = $2 AND used_at IS NULL AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Revokes every refresh token of one login.
pub async fn revoke_refresh_family(
    conn: &mut AnyConnection,
    family_id: &str,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE identity_refresh_tokens SET revoked_at = $1 WHERE family_id = $2 AND revoked_at IS NULL")
        .bind(now)
        .bind(family_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// People whose sign-ins ended after `since` (epoch ms) — erased, or
/// suspended — with the instant they ended, so a restarted process refuses
/// their tokens that are still alive.
pub async fn sign_ins_ended_since(
    conn: &mut AnyConnection,
    since: i64,
) -> anyhow::Result<Vec<(UserId, i64)>> {
    let rows = sqlx::query(
        "SELECT id, disabled_at, suspended_at FROM identity_users WHERE disabled_at > $1 OR suspended_at > $1",
    )
    .bind(since)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            let id: String = r.try_get("id")?;
            let at = r
                .try_get::<Option<i64>, _>("disabled_at")?
                .max(r.try_get::<Option<i64>, _>("suspended_at")?)
                .unwrap_or(since);
            Ok((id.parse()?, at))
        })
        .collect()
}
