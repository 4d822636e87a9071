//! Action items the consultant writes down with the client.

use shared::ids::UserId;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::domain::booking::BookingId;
use crate::domain::booking::BookingRecord;

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
