//! Session records (private notes sealed under per-consultant keys, the
//! organisational part), the employee's feedback and sharing choices, and
//! the notes' retention.

use anyhow::Context;
use shared::ids::UserId;
use sqlx::{AnyConnection, Row};

use crate::domain::booking::BookingId;
use crate::domain::booking::BookingRecord;

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

/// The bookings of `employee` they gave feedback on.
pub async fn rated_by(
    conn: &mut AnyConnection,
    employee: UserId,
) -> anyhow::Result<std::collections::HashSet<BookingId>> {
    let rows = sqlx::query(
        "SELECT f.booking_id FROM booking_feedback f JOIN booking_bookings b ON b.id = f.booking_id \
         WHERE b.employee_id = $1",
    )
    .bind(employee.to_string())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| Ok(BookingId(r.try_get::<String, _>("booking_id")?.parse()?)))
        .collect()
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
