//! The consultants booking knows: one row each, which is also the lock that
//! serialises their calendar, with their standing from matching (approval
//! and the client orgs they are tied to).

use anyhow::Context;
use shared::contracts::{ApprovalStatus, ConsultantStanding};
use shared::db::Backend;
use shared::ids::{OrgId, UserId};
use shared::time;
use sqlx::{AnyConnection, Row};

const STANDING: &str = "status, affiliated_org_ids, standing_as_of";

fn standing_from(
    status: Option<String>,
    affiliated: Option<String>,
    as_of: Option<i64>,
) -> anyhow::Result<Option<ConsultantStanding>> {
    let Some(status) = status.as_deref().and_then(ApprovalStatus::parse) else {
        return Ok(None);
    };
    let affiliated_org_ids: Vec<OrgId> = match affiliated {
        Some(json) => serde_json::from_str(&json).context("affiliated orgs")?,
        None => Vec::new(),
    };
    Ok(Some(ConsultantStanding {
        status,
        affiliated_org_ids,
        as_of: as_of.unwrap_or(0),
    }))
}

/// A consultant's standing, if matching has announced it.
pub async fn standing(
    conn: &mut AnyConnection,
    consultant: UserId,
) -> anyhow::Result<Option<ConsultantStanding>> {
    let row = sqlx::query(&format!(
        "SELECT {STANDING} FROM booking_consultants WHERE consultant_id = $1"
    ))
    .bind(consultant.to_string())
    .fetch_optional(conn)
    .await?;
    match row {
        Some(r) => standing_from(
            r.try_get("status")?,
            r.try_get("affiliated_org_ids")?,
            r.try_get("standing_as_of")?,
        ),
        None => Ok(None),
    }
}

/// Serialises bookings for one consultant and returns their standing. On
/// PostgreSQL a row lock on the consultant's calendar row, held to the end of
/// the transaction (one `SELECT … FOR UPDATE` once the row exists; no row
/// version is written, so the racers queued behind it are let through
/// quickly); on SQLite the transaction already holds the database's write
/// lock (`BEGIN IMMEDIATE`).
pub async fn lock_consultant(
    conn: &mut AnyConnection,
    backend: Backend,
    consultant: UserId,
) -> anyhow::Result<Option<ConsultantStanding>> {
    let select = if backend == Backend::Postgres {
        format!("SELECT {STANDING} FROM booking_consultants WHERE consultant_id = $1 FOR UPDATE")
    } else {
        format!("SELECT {STANDING} FROM booking_consultants WHERE consultant_id = $1")
    };
    let mut found = sqlx::query(&select)
        .bind(consultant.to_string())
        .fetch_optional(&mut *conn)
        .await
        .context("locking the consultant's calendar")?;
    if found.is_none() {
        sqlx::query("INSERT INTO booking_consultants (consultant_id, updated_at) VALUES ($1, $2) ON CONFLICT (consultant_id) DO NOTHING")
            .bind(consultant.to_string())
            .bind(time::to_db(time::now()))
            .execute(&mut *conn)
            .await?;
        found = sqlx::query(&select)
            .bind(consultant.to_string())
            .fetch_optional(conn)
            .await
            .context("locking the consultant's calendar")?;
    }
    match found {
        Some(r) => standing_from(
            r.try_get("status")?,
            r.try_get("affiliated_org_ids")?,
            r.try_get("standing_as_of")?,
        ),
        None => Ok(None),
    }
}

/// Records a consultant's standing (from matching's events) unless a newer
/// one is already recorded; `true` if it was recorded.
pub async fn save_standing(
    conn: &mut AnyConnection,
    consultant: UserId,
    standing: &ConsultantStanding,
    now: i64,
) -> anyhow::Result<bool> {
    let done = sqlx::query(
        "INSERT INTO booking_consultants (consultant_id, status, affiliated_org_ids, standing_as_of, updated_at) \
         VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (consultant_id) DO UPDATE SET status = excluded.status, \
         affiliated_org_ids = excluded.affiliated_org_ids, standing_as_of = excluded.standing_as_of, \
         updated_at = excluded.updated_at \
         WHERE booking_consultants.standing_as_of IS NULL OR booking_consultants.standing_as_of <= excluded.standing_as_of",
    )
    .bind(consultant.to_string())
    .bind(standing.status.as_str())
    .bind(serde_json::to_string(&standing.affiliated_org_ids)?)
    .bind(standing.as_of)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
