//! The consultants booking knows: one row each, which is also the lock that
//! serialises their calendar, with their standing from matching (approval
//! and the client orgs they are tied to).

use anyhow::Context;
use shared::contracts::{ApprovalStatus, ConsultantStanding};
use shared::ids::{OrgId, UserId};
use shared::time;
use sqlx::{AnyConnection, Row};

const STANDING: &str = "status, affiliated_org_ids, standing_as_of";

pub(super) fn standing_from(
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

/// Serialises bookings for one consultant and returns their standing: an
/// update of the consultant's calendar row that moves its
/// `calendar_version` on, so it holds the row's lock to the end of the
/// transaction on PostgreSQL (on SQLite the transaction already holds the
/// database's write lock), and a booking validated against an earlier
/// version (`store::write_booking_at_version`) can no longer be written.
/// The row is created on first use.
pub async fn lock_consultant(
    conn: &mut AnyConnection,
    consultant: UserId,
) -> anyhow::Result<Option<ConsultantStanding>> {
    let update = format!(
        "UPDATE booking_consultants SET calendar_version = calendar_version + 1 \
         WHERE consultant_id = $1 RETURNING {STANDING}"
    );
    let mut found = sqlx::query(&update)
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
        found = sqlx::query(&update)
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

/// Moves the consultant's `calendar_version` on after a change to what
/// decides whether a time can be booked (their availability), so a booking
/// validated before the change is checked again. Nothing to do when the
/// consultant has no calendar row yet: a booking made at once needs one.
pub async fn calendar_changed(conn: &mut AnyConnection, consultant: UserId) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE booking_consultants SET calendar_version = calendar_version + 1 WHERE consultant_id = $1",
    )
    .bind(consultant.to_string())
    .execute(conn)
    .await
    .context("moving the calendar's version on")?;
    Ok(())
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
         updated_at = excluded.updated_at, calendar_version = booking_consultants.calendar_version + 1 \
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
