//! A consultant's availability: weekly rules, date overrides, lengths,
//! buffers, notice, horizon and daily cap, and the next free time last
//! announced to matching.

use anyhow::Context;
use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use shared::ids::UserId;
use shared::time;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::domain::availability::{Availability, Interval, WeeklyRule};

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
    // The calendar row first, as every transaction on this calendar takes
    // it (the lock order in `store`).
    super::consultants::calendar_changed(conn, consultant).await?;
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
    .execute(&mut *conn)
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
    super::consultants::calendar_changed(conn, consultant).await?;
    sqlx::query(
        "INSERT INTO booking_overrides (consultant_id, local_date, intervals) VALUES ($1, $2, $3) \
         ON CONFLICT (consultant_id, local_date) DO UPDATE SET intervals = excluded.intervals",
    )
    .bind(consultant.to_string())
    .bind(date.format("%Y-%m-%d").to_string())
    .bind(serde_json::to_string(&rows)?)
    .execute(&mut *conn)
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
    availability_from_rows(&rows)
}

/// The availability and the announced next free time in `rows` (one per
/// override, or one with no override), as [`load_availability_and_announced`]
/// selects them; `None` when there are no rows.
pub(super) fn availability_from_rows(
    rows: &[AnyRow],
) -> anyhow::Result<Option<(Availability, Option<DateTime<Utc>>)>> {
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
    for o in rows {
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

/// Consultants whose announced next free time is before `now` (epoch ms),
/// longest passed first, at most `limit`.
pub async fn passed_announcements(
    conn: &mut AnyConnection,
    now: i64,
    limit: i64,
) -> anyhow::Result<Vec<UserId>> {
    let rows = sqlx::query(
        "SELECT consultant_id FROM booking_availability WHERE announced_next_at < $1 \
         ORDER BY announced_next_at, consultant_id LIMIT $2",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(conn)
    .await
    .context("finding next free times that have passed")?;
    rows.iter()
        .map(|r| Ok(UserId(r.try_get::<String, _>("consultant_id")?.parse()?)))
        .collect()
}
