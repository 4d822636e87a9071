//! All of booking's SQL. Tables: `booking_*` only.
//!
//! **Lock order.** Every transaction that touches a consultant's calendar and
//! an org's credit balance takes its locks in this order, so two of them can
//! never wait for each other (PostgreSQL would abort one with "deadlock
//! detected"):
//! 1. the consultant's calendar row ([`lock_consultant`]), in ascending
//!    consultant id when there are several;
//! 2. the bookings themselves and the consultant's availability row
//!    (`announced_next_at`, written by `booking::announce_availability`);
//! 3. the org's balance row ([`take_credit`], [`add_credits`]) last, in
//!    ascending org id when there are several.
//!
//! Book, cancel, reschedule, follow-ups, erasure and a consultant's
//! withdrawal follow it. The request paths run through
//! `shared::db::retry_conflicts`, which runs a transaction again should the
//! database abort it all the same; erasure and withdrawal are event
//! handlers, which the dispatcher runs again after any failure.

use std::collections::HashMap;

use anyhow::Context;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use shared::db::Backend;
use shared::ids::{OrgId, UserId};
use shared::time;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::domain::availability::{Availability, Busy, Interval, WeeklyRule};
use crate::domain::booking::{Agenda, BookingId, BookingStatus};

mod consultants;
mod credit_ledger;

pub use consultants::{lock_consultant, save_standing, standing};
pub use credit_ledger::ledger_of;

/// Stored form of a weekly rule.
#[derive(Serialize, Deserialize)]
struct RuleRow {
    weekday: u32,
    start: String,
    end: String,
}

/// Stored form of an interval.
#[derive(Serialize, Deserialize)]
pub struct IntervalRow {
    /// Local start `HH:MM`.
    pub start: String,
    /// Local end `HH:MM`.
    pub end: String,
}

fn hm(t: NaiveTime) -> String {
    t.format("%H:%M").to_string()
}

fn parse_hm(s: &str) -> anyhow::Result<NaiveTime> {
    NaiveTime::parse_from_str(s, "%H:%M").with_context(|| format!("stored time {s:?}"))
}

/// Stores a consultant's availability (overrides are kept).
pub async fn save_availability(
    conn: &mut AnyConnection,
    consultant: UserId,
    a: &Availability,
    now: i64,
) -> anyhow::Result<()> {
    let weekly: Vec<RuleRow> = a
        .weekly
        .iter()
        .map(|r| RuleRow {
            weekday: r.weekday,
            start: hm(r.start),
            end: hm(r.end),
        })
        .collect();
    sqlx::query(
        "INSERT INTO booking_availability (consultant_id, timezone, weekly, session_minutes, buffer_before, buffer_after, \
           min_notice_minutes, horizon_days, max_per_day, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
         ON CONFLICT (consultant_id) DO UPDATE SET timezone = excluded.timezone, weekly = excluded.weekly, \
           session_minutes = excluded.session_minutes, buffer_before = excluded.buffer_before, buffer_after = excluded.buffer_after, \
           min_notice_minutes = excluded.min_notice_minutes, horizon_days = excluded.horizon_days, \
           max_per_day = excluded.max_per_day, updated_at = excluded.updated_at",
    )
    .bind(consultant.to_string())
    .bind(a.tz.name())
    .bind(serde_json::to_string(&weekly)?)
    .bind(serde_json::to_string(&a.session_minutes)?)
    .bind(i64::from(a.buffer_before))
    .bind(i64::from(a.buffer_after))
    .bind(i64::from(a.min_notice_minutes))
    .bind(i64::from(a.horizon_days))
    .bind(i64::from(a.max_per_day))
    .bind(now)
    .execute(conn)
    .await
    .context("storing availability")?;
    Ok(())
}

/// Replaces one local date's override.
pub async fn save_override(
    conn: &mut AnyConnection,
    consultant: UserId,
    date: NaiveDate,
    intervals: &[Interval],
) -> anyhow::Result<()> {
    let rows: Vec<IntervalRow> = intervals
        .iter()
        .map(|i| IntervalRow {
            start: hm(i.start),
            end: hm(i.end),
        })
        .collect();
    sqlx::query(
        "INSERT INTO booking_overrides (consultant_id, local_date, intervals) VALUES ($1, $2, $3) \
         ON CONFLICT (consultant_id, local_date) DO UPDATE SET intervals = excluded.intervals",
    )
    .bind(consultant.to_string())
    .bind(date.format("%Y-%m-%d").to_string())
    .bind(serde_json::to_string(&rows)?)
    .execute(conn)
    .await
    .context("storing an override")?;
    Ok(())
}

/// A consultant's availability with its overrides, if they set any.
pub async fn load_availability(
    conn: &mut AnyConnection,
    consultant: UserId,
) -> anyhow::Result<Option<Availability>> {
    Ok(load_availability_and_announced(conn, consultant)
        .await?
        .map(|(a, _)| a))
}

/// The availability with its overrides, and the next free time last
/// announced to matching — one round trip (the booking path is hot).
pub async fn load_availability_and_announced(
    conn: &mut AnyConnection,
    consultant: UserId,
) -> anyhow::Result<Option<(Availability, Option<DateTime<Utc>>)>> {
    let rows = sqlx::query(
        "SELECT a.timezone, a.weekly, a.session_minutes, a.buffer_before, a.buffer_after, a.min_notice_minutes, \
         a.horizon_days, a.max_per_day, a.announced_next_at, o.local_date, o.intervals \
         FROM booking_availability a LEFT JOIN booking_overrides o ON o.consultant_id = a.consultant_id \
         WHERE a.consultant_id = $1",
    )
    .bind(consultant.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let Some(row) = rows.first() else {
        return Ok(None);
    };
    let tz: String = row.try_get("timezone")?;
    let weekly: Vec<RuleRow> = serde_json::from_str(&row.try_get::<String, _>("weekly")?)?;
    let weekly = weekly
        .into_iter()
        .map(|r| {
            Ok(WeeklyRule {
                weekday: r.weekday,
                start: parse_hm(&r.start)?,
                end: parse_hm(&r.end)?,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let num =
        |name: &str| -> anyhow::Result<u32> { Ok(u32::try_from(row.try_get::<i64, _>(name)?)?) };
    let mut availability = Availability {
        tz: tz
            .parse()
            .map_err(|_| anyhow::anyhow!("stored zone {tz:?}"))?,
        weekly,
        overrides: HashMap::new(),
        session_minutes: serde_json::from_str(&row.try_get::<String, _>("session_minutes")?)?,
        buffer_before: num("buffer_before")?,
        buffer_after: num("buffer_after")?,
        min_notice_minutes: num("min_notice_minutes")?,
        horizon_days: num("horizon_days")?,
        max_per_day: num("max_per_day")?,
    };
    let announced: Option<i64> = row.try_get("announced_next_at")?;
    for o in &rows {
        let Some(date) = o.try_get::<Option<String>, _>("local_date")? else {
            continue;
        };
        let intervals: String = o.try_get("intervals")?;
        let rows: Vec<IntervalRow> = serde_json::from_str(&intervals)?;
        let intervals = rows
            .iter()
            .map(|r| {
                Ok(Interval {
                    start: parse_hm(&r.start)?,
                    end: parse_hm(&r.end)?,
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        availability
            .overrides
            .insert(NaiveDate::parse_from_str(&date, "%Y-%m-%d")?, intervals);
    }
    Ok(Some((availability, announced.map(time::from_db))))
}

/// Whether a confirmed session of the consultant overlaps `[start, end)`.
pub async fn overlaps_booking(
    conn: &mut AnyConnection,
    consultant: UserId,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> anyhow::Result<bool> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM booking_bookings WHERE consultant_id = $1 AND status = 'confirmed' \
         AND starts_at < $3 AND ends_at > $2 LIMIT 1",
    )
    .bind(consultant.to_string())
    .bind(time::to_db(start))
    .bind(time::to_db(end))
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
         AND starts_at < $3 AND ends_at > $2 ORDER BY starts_at",
    )
    .bind(consultant.to_string())
    .bind(time::to_db(from))
    .bind(time::to_db(to))
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

/// A booking as stored.
#[derive(Clone, Debug)]
pub struct BookingRecord {
    /// Id.
    pub id: BookingId,
    /// Consultant.
    pub consultant_id: UserId,
    /// Employee.
    pub employee_id: UserId,
    /// The employee's org (pays the credit).
    pub org_id: OrgId,
    /// Start.
    pub starts_at: DateTime<Utc>,
    /// End.
    pub ends_at: DateTime<Utc>,
    /// State.
    pub status: BookingStatus,
    /// Nickname shown to the consultant.
    pub nickname: Option<String>,
    /// Agenda card.
    pub agenda: Option<Agenda>,
    /// Idempotency key of the request that made it.
    pub idempotency_key: Option<String>,
    /// The booking it was moved to.
    pub rescheduled_to: Option<BookingId>,
}

impl BookingRecord {
    /// Whether the session took place: over, and neither cancelled nor moved.
    pub fn was_held(&self, now: DateTime<Utc>) -> bool {
        self.ends_at <= now
            && matches!(
                self.status,
                BookingStatus::Confirmed | BookingStatus::Completed
            )
    }
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

/// Bookings of an employee (`as_employee`) or with a consultant, by start.
pub async fn list_bookings(
    conn: &mut AnyConnection,
    who: UserId,
    as_employee: bool,
) -> anyhow::Result<Vec<BookingRecord>> {
    let column = if as_employee {
        "employee_id"
    } else {
        "consultant_id"
    };
    let sql = format!(
        "SELECT {BOOKING_COLUMNS} FROM booking_bookings WHERE {column} = $1 ORDER BY starts_at, id LIMIT 500"
    );
    let rows = sqlx::query(&sql)
        .bind(who.to_string())
        .fetch_all(conn)
        .await?;
    rows.iter().map(booking_from_row).collect()
}

/// A consultant's confirmed sessions that have not started by `now`.
pub async fn future_confirmed_of_consultant(
    conn: &mut AnyConnection,
    consultant: UserId,
    now: DateTime<Utc>,
) -> anyhow::Result<Vec<BookingRecord>> {
    let sql = format!(
        "SELECT {BOOKING_COLUMNS} FROM booking_bookings WHERE consultant_id = $1 AND status = 'confirmed' \
         AND starts_at > $2 ORDER BY starts_at, id"
    );
    let rows = sqlx::query(&sql)
        .bind(consultant.to_string())
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

/// Stores an employee's feedback once; `false` if there already is one.
pub async fn insert_feedback(
    conn: &mut AnyConnection,
    booking: BookingId,
    rating: i64,
    share: bool,
    cohort: bool,
    now: i64,
) -> anyhow::Result<bool> {
    let done = sqlx::query(
        "INSERT INTO booking_feedback (booking_id, rating, share_with_org, cohort_consent, created_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (booking_id) DO NOTHING",
    )
    .bind(booking.to_string())
    .bind(rating)
    .bind(i64::from(share))
    .bind(i64::from(cohort))
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Someone's address and name, as identity announced them.
#[derive(Clone, Debug)]
pub struct Contact {
    /// Email.
    pub email: String,
    /// Display name.
    pub display_name: String,
}

/// A person as identity announces them.
#[derive(Clone, Debug)]
pub struct NewContact {
    /// Who.
    pub user: UserId,
    /// Their org (employees and HR).
    pub org: Option<OrgId>,
    /// Address.
    pub email: String,
    /// Display name.
    pub display_name: String,
    /// Cohort attributes HR gave (a JSON object), if any.
    pub cohort: Option<String>,
    /// The name and its reading HR gave (氏名, フリガナ), if any.
    pub name: PersonName,
}

/// A person's name and its reading as HR gave them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PersonName {
    /// Full name.
    pub full_name: Option<String>,
    /// Its reading, katakana.
    pub reading: Option<String>,
}

/// One of an org's people, as the summary scrubber needs them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrgPerson {
    /// The name they show.
    pub display_name: String,
    /// The name HR gave, with its reading.
    pub name: PersonName,
}

/// Records (or updates) a person's contact.
pub async fn save_contact(
    conn: &mut AnyConnection,
    contact: &NewContact,
    now: i64,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO booking_contacts (user_id, email, display_name, org_id, cohort, updated_at, full_name, name_reading) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (user_id) DO UPDATE SET email = excluded.email, display_name = excluded.display_name, \
         org_id = excluded.org_id, cohort = excluded.cohort, updated_at = excluded.updated_at, \
         full_name = excluded.full_name, name_reading = excluded.name_reading",
    )
    .bind(contact.user.to_string())
    .bind(&contact.email)
    .bind(&contact.display_name)
    .bind(contact.org.map(|o| o.to_string()))
    .bind(contact.cohort.as_deref())
    .bind(now)
    .bind(contact.name.full_name.as_deref())
    .bind(contact.name.reading.as_deref())
    .execute(conn)
    .await?;
    Ok(())
}

/// An org's people with their names and readings: the org's deny list.
pub async fn org_people(conn: &mut AnyConnection, org: OrgId) -> anyhow::Result<Vec<OrgPerson>> {
    let rows = sqlx::query(
        "SELECT display_name, full_name, name_reading FROM booking_contacts WHERE org_id = $1",
    )
    .bind(org.to_string())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(OrgPerson {
                display_name: r.try_get("display_name")?,
                name: PersonName {
                    full_name: r.try_get("full_name")?,
                    reading: r.try_get("name_reading")?,
                },
            })
        })
        .collect()
}

/// A person's cohort attributes (a JSON object), if HR gave any.
pub async fn cohort(conn: &mut AnyConnection, user: UserId) -> anyhow::Result<Option<String>> {
    Ok(sqlx::query_scalar::<_, Option<String>>(
        "SELECT cohort FROM booking_contacts WHERE user_id = $1",
    )
    .bind(user.to_string())
    .fetch_optional(conn)
    .await?
    .flatten())
}

/// A consultant's own deny list of names.
pub async fn deny_list(
    conn: &mut AnyConnection,
    consultant: UserId,
) -> anyhow::Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT term FROM booking_name_deny_list WHERE consultant_id = $1 ORDER BY term",
    )
    .bind(consultant.to_string())
    .fetch_all(conn)
    .await?)
}

/// Replaces a consultant's deny list.
pub async fn replace_deny_list(
    conn: &mut AnyConnection,
    consultant: UserId,
    terms: &[String],
) -> anyhow::Result<()> {
    sqlx::query("DELETE FROM booking_name_deny_list WHERE consultant_id = $1")
        .bind(consultant.to_string())
        .execute(&mut *conn)
        .await?;
    for term in terms {
        sqlx::query("INSERT INTO booking_name_deny_list (consultant_id, term) VALUES ($1, $2)")
            .bind(consultant.to_string())
            .bind(term)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// A person's contact, if identity announced one.
pub async fn contact(conn: &mut AnyConnection, user: UserId) -> anyhow::Result<Option<Contact>> {
    let row = sqlx::query("SELECT email, display_name FROM booking_contacts WHERE user_id = $1")
        .bind(user.to_string())
        .fetch_optional(conn)
        .await?;
    row.map(|r| {
        Ok(Contact {
            email: r.try_get("email")?,
            display_name: r.try_get("display_name")?,
        })
    })
    .transpose()
}

/// An employee's wrapped data key, if one exists.
pub async fn wrapped_key(
    conn: &mut AnyConnection,
    employee: UserId,
) -> anyhow::Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT wrapped_key FROM booking_data_keys WHERE employee_id = $1")
            .bind(employee.to_string())
            .fetch_optional(conn)
            .await?,
    )
}

/// Stores an employee's wrapped data key (first writer wins).
pub async fn insert_wrapped_key(
    conn: &mut AnyConnection,
    employee: UserId,
    wrapped: &str,
    now: i64,
) -> anyhow::Result<()> {
    sqlx::query("INSERT INTO booking_data_keys (employee_id, wrapped_key, created_at) VALUES ($1, $2, $3) ON CONFLICT (employee_id) DO NOTHING")
        .bind(employee.to_string())
        .bind(wrapped)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

/// A stored session record.
#[derive(Clone, Debug)]
pub struct RecordRow {
    /// Encrypted private notes.
    pub private_notes: String,
    /// Theme codes.
    pub themes: Vec<String>,
    /// Organisational summary.
    pub org_summary: String,
    /// When it was handed to reporting.
    pub handed_off_at: Option<i64>,
    /// The employee agreed to the crisis path for a sensitive theme.
    pub crisis_path: bool,
}

/// Creates or replaces the record of a booking.
pub async fn save_record(
    conn: &mut AnyConnection,
    booking: &BookingRecord,
    notes: &str,
    themes: &[String],
    summary: &str,
    crisis_path: bool,
    now: i64,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO booking_records (booking_id, consultant_id, private_notes, themes, org_summary, crisis_path, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $7, $6, $6) ON CONFLICT (booking_id) DO UPDATE SET private_notes = excluded.private_notes, \
         themes = excluded.themes, org_summary = excluded.org_summary, crisis_path = excluded.crisis_path, updated_at = excluded.updated_at",
    )
    .bind(booking.id.to_string())
    .bind(booking.consultant_id.to_string())
    .bind(notes)
    .bind(serde_json::to_string(themes)?)
    .bind(summary)
    .bind(now)
    .bind(i64::from(crisis_path))
    .execute(conn)
    .await
    .context("storing a session record")?;
    Ok(())
}

/// The record of a booking.
pub async fn find_record(
    conn: &mut AnyConnection,
    booking: BookingId,
) -> anyhow::Result<Option<RecordRow>> {
    let row = sqlx::query("SELECT private_notes, themes, org_summary, handed_off_at, crisis_path FROM booking_records WHERE booking_id = $1")
        .bind(booking.to_string())
        .fetch_optional(conn)
        .await?;
    row.map(|r| {
        Ok(RecordRow {
            private_notes: r.try_get("private_notes")?,
            themes: serde_json::from_str(&r.try_get::<String, _>("themes")?)?,
            org_summary: r.try_get("org_summary")?,
            handed_off_at: r.try_get("handed_off_at")?,
            crisis_path: r.try_get::<i64, _>("crisis_path")? == 1,
        })
    })
    .transpose()
}

/// Marks a record handed to reporting, once (compare-and-swap).
pub async fn mark_handed_off(
    conn: &mut AnyConnection,
    booking: BookingId,
    now: i64,
) -> anyhow::Result<bool> {
    let done = sqlx::query("UPDATE booking_records SET handed_off_at = $1 WHERE booking_id = $2 AND handed_off_at IS NULL")
        .bind(now)
        .bind(booking.to_string())
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The employee's sharing choice for a booking, if they gave feedback.
pub async fn sharing(
    conn: &mut AnyConnection,
    booking: BookingId,
) -> anyhow::Result<Option<(bool, bool)>> {
    let row = sqlx::query(
        "SELECT share_with_org, cohort_consent FROM booking_feedback WHERE booking_id = $1",
    )
    .bind(booking.to_string())
    .fetch_optional(conn)
    .await?;
    row.map(|r| {
        Ok((
            r.try_get::<i64, _>("share_with_org")? == 1,
            r.try_get::<i64, _>("cohort_consent")? == 1,
        ))
    })
    .transpose()
}

/// An action item.
#[derive(Clone, Debug)]
pub struct ActionItem {
    /// Id.
    pub id: String,
    /// The session it was agreed in.
    pub booking_id: BookingId,
    /// What to do.
    pub text: String,
    /// When it was ticked.
    pub done_at: Option<i64>,
    /// When it was agreed.
    pub created_at: i64,
}

fn action_item_from_row(r: &AnyRow) -> anyhow::Result<ActionItem> {
    Ok(ActionItem {
        id: r.try_get("id")?,
        booking_id: BookingId(r.try_get::<String, _>("booking_id")?.parse()?),
        text: r.try_get("text")?,
        done_at: r.try_get("done_at")?,
        created_at: r.try_get("created_at")?,
    })
}

/// Replaces a session's open action items (ticked ones stay).
pub async fn replace_action_items(
    conn: &mut AnyConnection,
    booking: &BookingRecord,
    texts: &[String],
    now: i64,
) -> anyhow::Result<()> {
    sqlx::query("DELETE FROM booking_action_items WHERE booking_id = $1 AND done_at IS NULL")
        .bind(booking.id.to_string())
        .execute(&mut *conn)
        .await?;
    let done: Vec<String> =
        sqlx::query_scalar("SELECT text FROM booking_action_items WHERE booking_id = $1")
            .bind(booking.id.to_string())
            .fetch_all(&mut *conn)
            .await?;
    for text in texts.iter().filter(|t| !done.contains(t)) {
        sqlx::query("INSERT INTO booking_action_items (id, employee_id, booking_id, text, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(uuid::Uuid::now_v7().to_string())
            .bind(booking.employee_id.to_string())
            .bind(booking.id.to_string())
            .bind(text)
            .bind(now)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// An employee's action items, newest first.
pub async fn action_items_of(
    conn: &mut AnyConnection,
    employee: UserId,
) -> anyhow::Result<Vec<ActionItem>> {
    let rows = sqlx::query("SELECT id, booking_id, text, done_at, created_at FROM booking_action_items WHERE employee_id = $1 ORDER BY created_at DESC, id")
        .bind(employee.to_string())
        .fetch_all(conn)
        .await?;
    rows.iter().map(action_item_from_row).collect()
}

/// The action items an employee agreed with one consultant.
pub async fn action_items_with(
    conn: &mut AnyConnection,
    employee: UserId,
    consultant: UserId,
) -> anyhow::Result<Vec<ActionItem>> {
    let rows = sqlx::query(
        "SELECT a.id, a.booking_id, a.text, a.done_at, a.created_at FROM booking_action_items a \
         JOIN booking_bookings b ON b.id = a.booking_id WHERE a.employee_id = $1 AND b.consultant_id = $2 ORDER BY a.created_at DESC, a.id",
    )
    .bind(employee.to_string())
    .bind(consultant.to_string())
    .fetch_all(conn)
    .await?;
    rows.iter().map(action_item_from_row).collect()
}

/// Ticks or unticks an employee's own action item; `false` if it is not theirs.
pub async fn set_action_item_done(
    conn: &mut AnyConnection,
    employee: UserId,
    id: &str,
    done_at: Option<i64>,
) -> anyhow::Result<bool> {
    let done = sqlx::query(
        "UPDATE booking_action_items SET done_at = $1 WHERE id = $2 AND employee_id = $3",
    )
    .bind(done_at)
    .bind(id)
    .bind(employee.to_string())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The rating and sharing choices of a booking's feedback, if given.
pub async fn feedback_of(
    conn: &mut AnyConnection,
    booking: BookingId,
) -> anyhow::Result<Option<(i64, bool, bool)>> {
    let row = sqlx::query(
        "SELECT rating, share_with_org, cohort_consent FROM booking_feedback WHERE booking_id = $1",
    )
    .bind(booking.to_string())
    .fetch_optional(conn)
    .await?;
    row.map(|r| {
        Ok((
            r.try_get("rating")?,
            r.try_get::<i64, _>("share_with_org")? == 1,
            r.try_get::<i64, _>("cohort_consent")? == 1,
        ))
    })
    .transpose()
}

/// Deletes what identifies or describes an employee: their notes' data key
/// (the notes become unreadable), agendas and nicknames, action items, and
/// their contact details.
pub async fn erase_employee_data(conn: &mut AnyConnection, employee: UserId) -> anyhow::Result<()> {
    let id = employee.to_string();
    for sql in [
        "DELETE FROM booking_data_keys WHERE employee_id = $1",
        "UPDATE booking_bookings SET nickname = NULL, agenda = NULL WHERE employee_id = $1",
        "DELETE FROM booking_action_items WHERE employee_id = $1",
        "DELETE FROM booking_contacts WHERE user_id = $1",
    ] {
        sqlx::query(sql).bind(&id).execute(&mut *conn).await?;
    }
    Ok(())
}

/// Erases the private notes of records written before `cutoff` (epoch ms).
pub async fn erase_notes_before(
    conn: &mut AnyConnection,
    cutoff: i64,
    now: i64,
) -> anyhow::Result<u64> {
    let done = sqlx::query(
        "UPDATE booking_records SET private_notes = '', notes_erased_at = $2 \
         WHERE created_at < $1 AND notes_erased_at IS NULL",
    )
    .bind(cutoff)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}
