//! Reminders 24 h and 1 h before a session, from a durable job table
//! (`booking_reminders`). Jobs are written in the booking's own transaction,
//! deleted on cancellation and replaced on a move. A worker claims a due job
//! with a compare-and-swap update (so two workers never take the same one),
//! sends, and marks it sent; a claim left by a crashed worker is retried after
//! `STALE_CLAIM`. A job marked sent is never sent again.
//! The same worker applies the retention policy for private notes hourly.

use std::time::Duration;

use anyhow::Context;
use chrono::{DateTime, Duration as Span, Utc};
use shared::mail::{Mailer, OutgoingMail};
use shared::time;
use sqlx::{AnyConnection, Row};

use crate::BookingState;
use crate::domain::booking::{BookingId, BookingStatus};
use crate::store::{self, BookingRecord};

/// A claim older than this is taken to be from a crashed worker.
pub const STALE_CLAIM: Duration = Duration::from_secs(300);
const KINDS: [(&str, i64); 2] = [("24h", 24 * 60), ("1h", 60)];

/// The reminders a booking made at `now` has (those still in the future):
/// each one's kind and when it is due.
pub fn due(booking: &BookingRecord, now: DateTime<Utc>) -> Vec<(&'static str, i64)> {
    KINDS
        .iter()
        .map(|(kind, minutes)| (*kind, booking.starts_at - Span::minutes(*minutes)))
        .filter(|(_, due)| *due > now)
        .map(|(kind, due)| (kind, time::to_db(due)))
        .collect()
}

/// Schedules the reminders of a booking (those still in the future).
pub async fn schedule(
    conn: &mut AnyConnection,
    booking: &BookingRecord,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let due = due(booking, now);
    if due.is_empty() {
        return Ok(());
    }
    // One statement for all of them (one round trip inside the booking).
    let values: Vec<String> = (0..due.len())
        .map(|i| {
            format!(
                "(${}, ${}, ${}, ${})",
                4 * i + 1,
                4 * i + 2,
                4 * i + 3,
                4 * i + 4
            )
        })
        .collect();
    let sql = format!(
        "INSERT INTO booking_reminders (id, booking_id, kind, due_at) VALUES {} ON CONFLICT (booking_id, kind) DO NOTHING",
        values.join(", ")
    );
    let mut query = sqlx::query(&sql);
    for (kind, at) in due {
        query = query
            .bind(uuid::Uuid::now_v7().to_string())
            .bind(booking.id.to_string())
            .bind(kind)
            .bind(at);
    }
    query
        .execute(&mut *conn)
        .await
        .context("scheduling reminders")?;
    Ok(())
}

/// Removes a booking's unsent reminders (cancelled or moved).
pub async fn unschedule(conn: &mut AnyConnection, booking: BookingId) -> anyhow::Result<()> {
    sqlx::query("DELETE FROM booking_reminders WHERE booking_id = $1 AND sent_at IS NULL")
        .bind(booking.to_string())
        .execute(conn)
        .await
        .context("removing reminders")?;
    Ok(())
}

fn message(b: &BookingRecord, kind: &str, to: &str, link: &str) -> OutgoingMail {
    let when = crate::domain::booking::local_and_utc(b.starts_at);
    let (ja, en) = if kind == "1h" {
        ("1時間後", "in one hour")
    } else {
        ("明日", "tomorrow")
    };
    OutgoingMail {
        to: to.to_owned(),
        subject: format!("Taiwa: {ja}に面談があります / Your session is {en}"),
        text: format!(
            "{ja}（{when}）に面談があります。\n参加リンク: {link}\n\nYour session is {en} ({when}).\nJoin: {link}\n"
        ),
        attachments: Vec::new(),
    }
}

/// Sends every reminder due at `now`; returns how many jobs were sent.
pub async fn send_due(
    state: &BookingState,
    mailer: &Mailer,
    now: DateTime<Utc>,
) -> anyhow::Result<usize> {
    let stale = time::to_db(now) - i64::try_from(STALE_CLAIM.as_millis())?;
    let due: Vec<(String, String, String)> = {
        let mut conn = state.db.pool().acquire().await?;
        sqlx::query("SELECT id, booking_id, kind FROM booking_reminders WHERE sent_at IS NULL AND due_at <= $1 ORDER BY due_at LIMIT 100")
            .bind(time::to_db(now))
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|r| Ok((r.try_get("id")?, r.try_get("booking_id")?, r.try_get("kind")?)))
            .collect::<anyhow::Result<_>>()?
    };
    let mut sent = 0;
    for (id, booking_id, kind) in due {
        let mut conn = state.db.pool().acquire().await?;
        let claimed = sqlx::query(
            "UPDATE booking_reminders SET claimed_at = $1 WHERE id = $2 AND sent_at IS NULL AND (claimed_at IS NULL OR claimed_at < $3)",
        )
        .bind(time::to_db(now))
        .bind(&id)
        .bind(stale)
        .execute(&mut *conn)
        .await?
        .rows_affected()
            == 1;
        if !claimed {
            continue;
        }
        let booking = store::find_booking(&mut conn, booking_id.parse().map(BookingId)?).await?;
        if let Some(b) = booking.filter(|b| b.status == BookingStatus::Confirmed) {
            for person in [b.employee_id, b.consultant_id] {
                if let Some(contact) = store::contact(&mut conn, person).await? {
                    mailer
                        .send(&message(
                            &b,
                            &kind,
                            &contact.email,
                            &state.rooms.join_url(b.id),
                        ))
                        .await?;
                }
            }
        }
        sqlx::query("UPDATE booking_reminders SET sent_at = $1 WHERE id = $2")
            .bind(time::to_db(now))
            .bind(&id)
            .execute(&mut *conn)
            .await?;
        sent += 1;
    }
    Ok(sent)
}

/// Runs the reminder worker until `shutdown` resolves (checks every 30 s):
/// reminders due, next free times that have passed, and hourly retention.
pub async fn run(
    state: BookingState,
    mailer: Mailer,
    shutdown: impl std::future::Future<Output = ()> + Send,
) {
    tokio::pin!(shutdown);
    let mut retention_due = tokio::time::Instant::now();
    loop {
        if let Err(err) = send_due(&state, &mailer, Utc::now()).await {
            tracing::warn!(error = %format!("{err:#}"), "sending reminders failed; will retry");
        }
        if let Err(err) = crate::booking::announce_passed(&state.db, Utc::now()).await {
            tracing::warn!(error = %format!("{err:#}"), "announcing next free times failed; will retry");
        }
        // The retention policy, hourly.
        if tokio::time::Instant::now() >= retention_due {
            match apply_retention(&state, state.settings.notes_retention_days).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(erased = n, "private notes past retention erased"),
                Err(err) => {
                    tracing::warn!(error = %format!("{err:#}"), "retention failed; will retry")
                }
            }
            retention_due = tokio::time::Instant::now() + Duration::from_secs(3600);
        }
        tokio::select! {
            () = &mut shutdown => break,
            () = tokio::time::sleep(Duration::from_secs(30)) => {}
        }
    }
}

/// Erases private notes older than `days` (the retention policy): the
/// ciphertext is replaced by nothing; themes and the summary stay with the
/// record. Returns how many notes were erased.
pub async fn apply_retention(state: &BookingState, days: u32) -> anyhow::Result<u64> {
    let cutoff = time::now() - chrono::Duration::days(i64::from(days));
    let mut tx = state.db.begin_write().await?;
    let n =
        store::erase_notes_before(&mut tx, time::to_db(cutoff), time::to_db(time::now())).await?;
    tx.commit().await?;
    Ok(n)
}
