//! Bookings and the consultant's calendar they fill.

use anyhow::Context;
use chrono::{DateTime, Utc};
use shared::ids::{OrgId, UserId};
use shared::time;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::domain::availability::Busy;
use crate::domain::booking::{BookingId, BookingRecord, BookingStatus};

/// Longer than any session (lengths are 15 to 180 minutes): a session that
/// overlaps a window starts less than this before it, so the lookups below
/// read the consultant's index from there on, not every session they ever
/// had.
pub const LONGEST_SESSION: chrono::Duration = chrono::Duration::days(1);

/// Whether a confirmed session of the consultant overlaps `[start, end)`.
pub async fn overlaps_booking(
    conn: &mut AnyConnection,
    consultant: UserId,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> anyhow::Result<bool> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM booking_bookings WHERE consultant_id = $1 AND status = 'confirmed' \
         AND starts_at < $3 AND ends_at > $2 AND starts_at > $4 LIMIT 1",
    )
    .bind(consultant.to_string())
    .bind(time::to_db(start))
    .bind(time::to_db(end))
    .bind(time::to_db(start - LONGEST_SESSION))
    .fetch_optional(conn)
    .await?;
    Ok(found.is_some())
}

/// Confirmed sessions of a consultant starting in `[from, to)`.
pub async fn busy(
    conn: &mut AnyConnection,
    consultant: UserId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> anyhow::Result<Vec<Busy>> {
    let rows = sqlx::query(
        "SELECT starts_at, ends_at FROM booking_bookings WHERE consultant_id = $1 AND status = 'confirmed' \
         AND starts_at < $3 AND ends_at > $2 AND starts_at > $4 ORDER BY starts_at",
    )
    .bind(consultant.to_string())
    .bind(time::to_db(from))
    .bind(time::to_db(to))
    .bind(time::to_db(from - LONGEST_SESSION))
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Busy {
                start: time::from_db(r.try_get("starts_at")?),
                end: time::from_db(r.try_get("ends_at")?),
            })
        })
        .collect()
}

const BOOKING_COLUMNS: &str = "id, consultant_id, employee_id, org_id, starts_at, ends_at, status, nickname, agenda, idempotency_key, rescheduled_to";

fn booking_from_row(r: &AnyRow) -> anyhow::Result<BookingRecord> {
    let parse_id =
        |name: &str| -> anyhow::Result<uuid::Uuid> { Ok(r.try_get::<String, _>(name)?.parse()?) };
    let agenda: Option<String> = r.try_get("agenda")?;
    let rescheduled_to: Option<String> = r.try_get("rescheduled_to")?;
    let status: String = r.try_get("status")?;
    Ok(BookingRecord {
        id: BookingId(parse_id("id")?),
        consultant_id: UserId(parse_id("consultant_id")?),
        employee_id: UserId(parse_id("employee_id")?),
        org_id: OrgId(parse_id("org_id")?),
        starts_at: time::from_db(r.try_get("starts_at")?),
        ends_at: time::from_db(r.try_get("ends_at")?),
        status: BookingStatus::parse(&status).context("status")?,
        nickname: r.try_get("nickname")?,
        agenda: agenda.map(|a| serde_json::from_str(&a)).transpose()?,
        idempotency_key: r.try_get("idempotency_key")?,
        rescheduled_to: rescheduled_to
            .map(|s| s.parse().map(BookingId))
            .transpose()?,
    })
}

/// Stores a new booking.
pub async fn insert_booking(
    conn: &mut AnyConnection,
    b: &BookingRecord,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO booking_bookings (id, consultant_id, employee_id, org_id, starts_at, ends_at, status, nickname, agenda, \
           join_url, idempotency_key, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)",
    )
    .bind(b.id.to_string())
    .bind(b.consultant_id.to_string())
    .bind(b.employee_id.to_string())
    .bind(b.org_id.to_string())
    .bind(time::to_db(b.starts_at))
    .bind(time::to_db(b.ends_at))
    .bind(b.status.as_str())
    .bind(b.nickname.clone())
    .bind(b.agenda.as_ref().and_then(|a| serde_json::to_string(a).ok()))
    // Join links are derived from the booking's id, never stored (`crate::rooms`).
    .bind(Option::<String>::None)
    .bind(b.idempotency_key.clone())
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// One booking.
pub async fn find_booking(
    conn: &mut AnyConnection,
    id: BookingId,
) -> anyhow::Result<Option<BookingRecord>> {
    let sql = format!("SELECT {BOOKING_COLUMNS} FROM booking_bookings WHERE id = $1");
    let row = sqlx::query(&sql)
        .bind(id.to_string())
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(booking_from_row).transpose()
}

/// The booking a series of moves started with, and how many moves led from
/// it to `id` (0 for a booking never moved to).
pub async fn series_of(
    conn: &mut AnyConnection,
    id: BookingId,
) -> anyhow::Result<(BookingId, u32)> {
    let (mut first, mut moves) = (id, 0u32);
    while moves < 1000 {
        let earlier: Option<String> =
            sqlx::query_scalar("SELECT id FROM booking_bookings WHERE rescheduled_to = $1")
                .bind(first.to_string())
                .fetch_optional(&mut *conn)
                .await?;
        let Some(earlier) = earlier else { break };
        first = BookingId(earlier.parse().context("a stored booking id")?);
        moves += 1;
    }
    Ok((first, moves))
}

/// The booking an employee made with an idempotency key, if any.
pub async fn find_by_idempotency_key(
    conn: &mut AnyConnection,
    employee: UserId,
    key: &str,
) -> anyhow::Result<Option<BookingRecord>> {
    let sql = format!(
        "SELECT {BOOKING_COLUMNS} FROM booking_bookings WHERE employee_id = $1 AND idempotency_key = $2"
    );
    let row = sqlx::query(&sql)
        .bind(employee.to_string())
        .bind(key)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(booking_from_row).transpose()
}

/// How many bookings a list holds on each side of now.
pub const LISTED: i64 = 500;

/// Bookings of an employee (`as_employee`) or with a consultant, by start:
/// those that have not started by `now` (the first [`LISTED`]) after the
/// latest [`LISTED`] of those that have, so a long history never pushes the
/// coming sessions out of the list.
pub async fn list_bookings(
    conn: &mut AnyConnection,
    who: UserId,
    as_employee: bool,
    now: DateTime<Utc>,
) -> anyhow::Result<Vec<BookingRecord>> {
    let column = if as_employee {
        "employee_id"
    } else {
        "consultant_id"
    };
    let side = |started: bool| {
        let (test, order) = if started {
            ("<=", "DESC")
        } else {
            (">", "ASC")
        };
        format!(
            "SELECT {BOOKING_COLUMNS} FROM booking_bookings WHERE {column} = $1 AND starts_at {test} $2 \
             ORDER BY starts_at {order}, id {order} LIMIT $3"
        )
    };
    let mut listed = Vec::new();
    for started in [true, false] {
        let rows = sqlx::query(&side(started))
            .bind(who.to_string())
            .bind(time::to_db(now))
            .bind(LISTED)
            .fetch_all(&mut *conn)
            .await
            .context("listing bookings")?;
        let mut part = rows
            .iter()
            .map(booking_from_row)
            .collect::<anyhow::Result<Vec<_>>>()?;
        if started {
            part.reverse();
        }
        listed.extend(part);
    }
    Ok(listed)
}

/// Every booking of an employee, by start (their data export).
pub async fn every_booking_of(
    conn: &mut AnyConnection,
    employee: UserId,
) -> anyhow::Result<Vec<BookingRecord>> {
    let sql = format!(
        "SELECT {BOOKING_COLUMNS} FROM booking_bookings WHERE employee_id = $1 ORDER BY starts_at, id"
    );
    let rows = sqlx::query(&sql)
        .bind(employee.to_string())
        .fetch_all(conn)
        .await
        .context("reading an employee's bookings")?;
    rows.iter().map(booking_from_row).collect()
}

/// The confirmed sessions of an employee (`as_employee`) or of a
/// consultant that have not started by `now`, by start.
pub async fn future_confirmed(
    conn: &mut AnyConnection,
    who: UserId,
    as_employee: bool,
    now: DateTime<Utc>,
) -> anyhow::Result<Vec<BookingRecord>> {
    let column = if as_employee {
        "employee_id"
    } else {
        "consultant_id"
    };
    let sql = format!(
        "SELECT {BOOKING_COLUMNS} FROM booking_bookings WHERE {column} = $1 AND status = 'confirmed' \
         AND starts_at > $2 ORDER BY starts_at, id"
    );
    let rows = sqlx::query(&sql)
        .bind(who.to_string())
        .bind(time::to_db(now))
        .fetch_all(conn)
        .await?;
    rows.iter().map(booking_from_row).collect()
}

/// Moves a booking from `from` to `to` if it is still in `from` (compare-and-swap).
pub async fn transition(
    conn: &mut AnyConnection,
    id: BookingId,
    from: BookingStatus,
    to: BookingStatus,
    rescheduled_to: Option<BookingId>,
    now: i64,
) -> anyhow::Result<bool> {
    let done = sqlx::query("UPDATE booking_bookings SET status = $1, rescheduled_to = $2, updated_at = $3 WHERE id = $4 AND status = $5")
        .bind(to.as_str())
        .bind(rescheduled_to.map(|r| r.to_string()))
        .bind(now)
        .bind(id.to_string())
        .bind(from.as_str())
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}
