//! The consultant's next free time, announced to matching
//! ([`AvailabilityChanged`]) whenever it may have moved: availability edited,
//! a booking made, cancelled or moved, a consultant withdrawn, a person
//! erased — and when the announced time has passed ([`announce_passed`]).

use chrono::{DateTime, Duration, Utc};
use shared::contracts::AvailabilityChanged;
use shared::ids::UserId;
use shared::time;
use sqlx::AnyConnection;

use crate::domain::availability::Availability;
use crate::{OUTBOX, store};

/// The consultant's next bookable start within the next 30 days, if any.
pub async fn next_available(
    conn: &mut AnyConnection,
    consultant: UserId,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<DateTime<Utc>>> {
    let Some(a) = store::load_availability(conn, consultant).await? else {
        return Ok(None);
    };
    let Some(&shortest) = a.session_minutes.iter().min() else {
        return Ok(None);
    };
    let to = now + Duration::days(30);
    let busy = store::busy(
        conn,
        consultant,
        now - Duration::days(1),
        to + Duration::days(1),
    )
    .await?;
    Ok(a.slots(now, to, shortest, &busy, now)
        .first()
        .map(|s| s.start))
}

/// Whether a new booking can change the announced next free time `next`:
/// only if it conflicts with a session starting then (allowing for buffers
/// and the longest session), or fills the day's cap on that local day.
/// Otherwise that time stays free and still the earliest, since a booking
/// only ever removes free time.
pub fn may_change_next(
    availability: &Availability,
    next: Option<DateTime<Utc>>,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
) -> bool {
    let Some(next) = next else {
        return true;
    };
    let longest = availability
        .session_minutes
        .iter()
        .max()
        .copied()
        .unwrap_or(0);
    let pad = Duration::minutes(i64::from(
        availability.buffer_before + availability.buffer_after + longest,
    ));
    if next >= starts_at - pad && next <= ends_at + pad {
        return true;
    }
    availability.max_per_day > 0
        && next.with_timezone(&availability.tz).date_naive()
            == starts_at.with_timezone(&availability.tz).date_naive()
}

/// Writes the availability summary for matching, in the caller's transaction.
pub async fn announce_availability(
    conn: &mut AnyConnection,
    consultant: UserId,
) -> anyhow::Result<()> {
    let next = next_available(conn, consultant, time::now()).await?;
    sqlx::query("UPDATE booking_availability SET announced_next_at = $2 WHERE consultant_id = $1")
        .bind(consultant.to_string())
        .bind(next.map(time::to_db))
        .execute(&mut *conn)
        .await?;
    OUTBOX
        .publish(
            conn,
            &AvailabilityChanged {
                consultant_id: consultant,
                next_available_at: next,
            },
        )
        .await?;
    Ok(())
}

/// Most consultants [`announce_passed`] handles in one call.
const PASSED_PER_CALL: i64 = 100;

/// Announces again the next free time of each consultant whose announced
/// one has passed (at most [`PASSED_PER_CALL`], longest passed first): when
/// nobody books and the hours stay as they are, nothing else moves it on,
/// and matching would go on showing a time already gone. Each under the
/// consultant's calendar lock, like any change to what is free. Returns how
/// many were announced.
pub async fn announce_passed(db: &shared::db::Db, now: DateTime<Utc>) -> anyhow::Result<usize> {
    let passed = {
        let mut conn = db.pool().acquire().await?;
        store::passed_announcements(&mut conn, time::to_db(now), PASSED_PER_CALL).await?
    };
    for consultant in &passed {
        let mut tx = db.begin_write().await?;
        store::lock_consultant(&mut tx, *consultant).await?;
        announce_availability(&mut tx, *consultant).await?;
        tx.commit().await?;
    }
    Ok(passed.len())
}

#[cfg(test)]
mod tests;
