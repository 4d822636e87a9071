//! An org's session credits: the balance row and its ledger.

use shared::db::Backend;
use shared::ids::OrgId;
use sqlx::AnyConnection;

use crate::domain::booking::BookingId;

async fn ledger(
    conn: &mut AnyConnection,
    org: OrgId,
    delta: i64,
    reason: &str,
    reference: Option<&str>,
    now: i64,
) -> anyhow::Result<()> {
    sqlx::query("INSERT INTO booking_credit_ledger (id, org_id, delta, reason, reference, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(org.to_string())
        .bind(delta)
        .bind(reason)
        .bind(reference)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

/// Takes one credit from the org for a booking and writes it to the ledger;
/// `false` when there is none. On PostgreSQL one statement (the update and
/// the ledger row in a data-modifying CTE: the org's balance row is the one
/// every booking of the org locks, so the fewer round trips it is held the
/// better); SQLite has no such CTEs and takes two.
pub async fn take_credit(
    conn: &mut AnyConnection,
    backend: Backend,
    org: OrgId,
    booking: BookingId,
    now: i64,
) -> anyhow::Result<bool> {
    if backend == Backend::Postgres {
        let done = sqlx::query(
            "WITH taken AS (UPDATE booking_credit_balances SET balance = balance - 1 \
             WHERE org_id = $1 AND balance > 0 RETURNING org_id) \
             INSERT INTO booking_credit_ledger (id, org_id, delta, reason, reference, created_at) \
             SELECT $2, org_id, -1, 'booking', $3, $4 FROM taken",
        )
        .bind(org.to_string())
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(booking.to_string())
        .bind(now)
        .execute(conn)
        .await?;
        return Ok(done.rows_affected() == 1);
    }
    let done = sqlx::query("UPDATE booking_credit_balances SET balance = balance - 1 WHERE org_id = $1 AND balance > 0")
        .bind(org.to_string())
        .execute(&mut *conn)
        .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    ledger(conn, org, -1, "booking", Some(&booking.to_string()), now).await?;
    Ok(true)
}

/// Adds credits (a grant, a purchase, or a refund for a cancelled booking).
pub async fn add_credits(
    conn: &mut AnyConnection,
    org: OrgId,
    amount: i64,
    reason: &str,
    reference: Option<&str>,
    now: i64,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO booking_credit_balances (org_id, balance) VALUES ($1, $2) \
         ON CONFLICT (org_id) DO UPDATE SET balance = booking_credit_balances.balance + excluded.balance",
    )
    .bind(org.to_string())
    .bind(amount)
    .execute(&mut *conn)
    .await?;
    ledger(conn, org, amount, reason, reference, now).await
}

/// An org's balance.
pub async fn balance(conn: &mut AnyConnection, org: OrgId) -> anyhow::Result<i64> {
    Ok(sqlx::query_scalar::<_, i64>(
        "SELECT balance FROM booking_credit_balances WHERE org_id = $1",
    )
    .bind(org.to_string())
    .fetch_optional(conn)
    .await?
    .unwrap_or(0))
}
