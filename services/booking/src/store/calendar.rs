//! A booking made at once on PostgreSQL: the consultant's calendar read
//! without a lock ([`snapshot`]), and the booking written in one statement
//! that holds only if the calendar's version is still the one read
//! ([`write_booking_at_version`]). Every change to what decides whether a
//! time can be booked moves the version on (`lock_consultant`,
//! `calendar_changed`, `save_standing`), so a booking validated against an
//! older calendar is never written.

use anyhow::Context;
use chrono::{DateTime, Utc};
use shared::contracts::ConsultantStanding;
use shared::events::OutboxEntry;
use shared::ids::UserId;
use shared::time;
use sqlx::{AnyConnection, Row};

use crate::domain::availability::{Availability, Busy};
use crate::domain::booking::BookingRecord;

/// What a booking is validated against, as one read saw it.
#[derive(Clone, Debug)]
pub struct CalendarSnapshot {
    /// The calendar's version when read.
    pub version: i64,
    /// The consultant's standing (approval, affiliated orgs).
    pub standing: Option<ConsultantStanding>,
    /// Their availability with its overrides.
    pub availability: Availability,
    /// The next free time last announced to matching.
    pub announced: Option<DateTime<Utc>>,
    /// Their confirmed sessions overlapping the window asked for.
    pub busy: Vec<Busy>,
}

/// The consultant's calendar version, standing, availability and the
/// confirmed sessions overlapping `[from, to)`, in one round trip
/// (PostgreSQL); `None` when they have no calendar row or no availability.
pub async fn snapshot(
    conn: &mut AnyConnection,
    consultant: UserId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> anyhow::Result<Option<CalendarSnapshot>> {
    let rows = sqlx::query(
        "SELECT c.calendar_version, c.status, c.affiliated_org_ids, c.standing_as_of, \
         a.timezone, a.weekly, a.session_minutes, a.buffer_before, a.buffer_after, a.min_notice_minutes, \
         a.horizon_days, a.max_per_day, a.announced_next_at, o.local_date, o.intervals, \
         (SELECT string_agg(b.starts_at || ' ' || b.ends_at, ' ') FROM booking_bookings b \
           WHERE b.consultant_id = $1 AND b.status = 'confirmed' AND b.starts_at < $3 AND b.ends_at > $2 AND b.starts_at > $4) AS busy \
         FROM booking_consultants c \
         JOIN booking_availability a ON a.consultant_id = c.consultant_id \
         LEFT JOIN booking_overrides o ON o.consultant_id = c.consultant_id \
         WHERE c.consultant_id = $1",
    )
    .bind(consultant.to_string())
    .bind(time::to_db(from))
    .bind(time::to_db(to))
    .bind(time::to_db(from - super::LONGEST_SESSION))
    .fetch_all(&mut *conn)
    .await?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let version: i64 = first.try_get("calendar_version")?;
    let standing = super::consultants::standing_from(
        first.try_get("status")?,
        first.try_get("affiliated_org_ids")?,
        first.try_get("standing_as_of")?,
    )?;
    let Some((availability, announced)) = super::availability::availability_from_rows(&rows)?
    else {
        return Ok(None);
    };
    let busy = busy_from(first.try_get::<Option<String>, _>("busy")?.as_deref())?;
    Ok(Some(CalendarSnapshot {
        version,
        standing,
        availability,
        announced,
        busy,
    }))
}

/// Sessions as the snapshot aggregates them: start and end (epoch ms), all
/// separated by spaces.
fn busy_from(text: Option<&str>) -> anyhow::Result<Vec<Busy>> {
    let numbers = text
        .unwrap_or_default()
        .split_ascii_whitespace()
        .map(|n| n.parse::<i64>().context("a stored session time"))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let mut busy: Vec<Busy> = numbers
        .chunks_exact(2)
        .map(|pair| Busy {
            start: time::from_db(pair[0]),
            end: time::from_db(pair[1]),
        })
        .collect();
    busy.sort_by_key(|b| b.start);
    Ok(busy)
}

/// What [`write_booking_at_version`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AtVersion {
    /// The booking, its credit, ledger row, notice and reminders are written.
    Written,
    /// The calendar changed since it was read: nothing is written.
    Moved,
    /// The org has no credit left: nothing is written. The calendar is
    /// neither locked nor moved on when the balance read shows none (and is
    /// not checked: the answer is "no credit" even if the time was taken
    /// meanwhile, where the path under the lock checks the time first); only
    /// when the last credit goes to a racer between that read and the
    /// balance's update has the version moved on (a racer checks again).
    NoCredit,
}

/// Writes `booking` with everything that goes with it — the org's credit and
/// its ledger row, the `notice` in booking's outbox (`outbox_table`), the
/// `reminders` (kind, due) — in one statement, so one round trip on
/// PostgreSQL, committed on its own. It holds only while the consultant's
/// calendar is still at `version`: the version check is an update of the
/// calendar row, which PostgreSQL re-evaluates on the row's newest version
/// after waiting for a racer, so of two bookings validated against the
/// same version at most one is written. Locks are taken in the store's
/// order: the calendar row, then the org's balance row.
pub async fn write_booking_at_version(
    conn: &mut AnyConnection,
    booking: &BookingRecord,
    version: i64,
    notice: &OutboxEntry,
    outbox_table: &str,
    reminders: &[(&'static str, i64)],
    now: i64,
) -> sqlx::Result<AtVersion> {
    // $1 consultant, $2 version, $3 org, $4 booking id, $5 employee,
    // $6 start, $7 end, $8 nickname, $9 agenda, $10 key, $11 now,
    // $12 ledger id, $13–$15 the notice, then the reminders by three.
    let values: Vec<String> = (0..reminders.len())
        .map(|i| {
            format!(
                "(${}, ${}, ${}::BIGINT)",
                16 + 3 * i,
                17 + 3 * i,
                18 + 3 * i
            )
        })
        .collect();
    let reminder_rows = if values.is_empty() {
        String::new()
    } else {
        format!(
            ", reminded AS (INSERT INTO booking_reminders (id, booking_id, kind, due_at) \
             SELECT r.id, b.id, r.kind, r.due_at FROM (VALUES {}) AS r(id, kind, due_at) CROSS JOIN booked b)",
            values.join(", ")
        )
    };
    let sql = format!(
        "WITH funded AS (SELECT 1 FROM booking_credit_balances WHERE org_id = $3 AND balance > 0), \
         calendar AS (UPDATE booking_consultants SET calendar_version = calendar_version + 1 \
           WHERE consultant_id = $1 AND calendar_version = $2 AND EXISTS (SELECT 1 FROM funded) \
           RETURNING consultant_id), \
         credit AS (UPDATE booking_credit_balances SET balance = balance - 1 \
           WHERE org_id = $3 AND balance > 0 AND EXISTS (SELECT 1 FROM calendar) RETURNING org_id), \
         booked AS (INSERT INTO booking_bookings (id, consultant_id, employee_id, org_id, starts_at, ends_at, status, \
           nickname, agenda, join_url, idempotency_key, created_at, updated_at) \
           SELECT $4, $1, $5, org_id, $6, $7, 'confirmed', $8, $9, NULL, $10, $11, $11 FROM credit RETURNING id), \
         ledger AS (INSERT INTO booking_credit_ledger (id, org_id, delta, reason, reference, created_at) \
           SELECT $12, $3, -1, 'booking', id, $11 FROM booked), \
         notice AS (INSERT INTO {outbox_table} (id, topic, payload, created_at, attempts, next_attempt_at) \
           SELECT $13, $14, $15, $11, 0, $11 FROM booked){reminder_rows} \
         SELECT (SELECT COUNT(*) FROM funded) AS funded, (SELECT COUNT(*) FROM calendar) AS calendar, \
           (SELECT COUNT(*) FROM booked) AS booked"
    );
    let mut query = sqlx::query(&sql)
        .bind(booking.consultant_id.to_string())
        .bind(version)
        .bind(booking.org_id.to_string())
        .bind(booking.id.to_string())
        .bind(booking.employee_id.to_string())
        .bind(time::to_db(booking.starts_at))
        .bind(time::to_db(booking.ends_at))
        .bind(booking.nickname.clone())
        .bind(
            booking
                .agenda
                .as_ref()
                .and_then(|a| serde_json::to_string(a).ok()),
        )
        .bind(booking.idempotency_key.clone())
        .bind(now)
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(notice.id.to_string())
        .bind(notice.topic)
        .bind(notice.payload.clone());
    for (kind, due) in reminders {
        query = query
            .bind(uuid::Uuid::now_v7().to_string())
            .bind(*kind)
            .bind(*due);
    }
    let row = query.fetch_one(conn).await?;
    let funded: i64 = row.try_get("funded")?;
    let calendar: i64 = row.try_get("calendar")?;
    let booked: i64 = row.try_get("booked")?;
    Ok(match (funded, calendar, booked) {
        (0, _, _) => AtVersion::NoCredit,
        (_, 0, _) => AtVersion::Moved,
        (_, _, 0) => AtVersion::NoCredit,
        _ => AtVersion::Written,
    })
}
