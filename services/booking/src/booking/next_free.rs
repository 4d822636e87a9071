//! The consultant's next free time, announced to matching
//! ([`AvailabilityChanged`]) whenever it may have moved: availability edited,
//! a booking made, cancelled or moved, a consultant withdrawn, a person
//! erased.

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

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use chrono::NaiveTime;
    use proptest::prelude::*;

    use super::*;
    use crate::domain::availability::{Busy, WeeklyRule};

    fn availability(buffers: (u32, u32), max_per_day: u32) -> Availability {
        let at = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap_or_default();
        Availability {
            tz: chrono_tz::Asia::Tokyo,
            weekly: (1..=7)
                .map(|weekday| WeeklyRule {
                    weekday,
                    start: at(9),
                    end: at(17),
                })
                .collect(),
            overrides: HashMap::new(),
            session_minutes: vec![45, 60],
            buffer_before: buffers.0,
            buffer_after: buffers.1,
            min_notice_minutes: 0,
            horizon_days: 30,
            max_per_day,
        }
    }

    proptest! {
        /// Skipping the summary is safe: whenever `may_change_next` says no,
        /// the next free time after the booking is the one announced before.
        #[test]
        fn a_booking_said_not_to_change_the_next_free_time_does_not(
            before in 0u32..30, after in 0u32..30, cap in 0u32..4,
            taken in proptest::collection::vec(0usize..120, 0..6),
            pick in 0usize..400, length in prop_oneof![Just(45u32), Just(60u32)],
        ) {
            let a = availability((before, after), cap);
            let now: DateTime<Utc> = "2026-12-01T00:00:00Z".parse().unwrap_or_default();
            let to = now + Duration::days(10);
            let mut busy: Vec<Busy> = Vec::new();
            for i in taken {
                let slots = a.slots(now, to, 60, &busy, now);
                if let Some(s) = slots.get(i % slots.len().max(1)) {
                    busy.push(Busy { start: s.start, end: s.end });
                }
            }
            let next = |busy: &[Busy]| a.slots(now, to, 45, busy, now).first().map(|s| s.start);
            let announced = next(&busy);
            let choices = a.slots(now, to, length, &busy, now);
            prop_assume!(!choices.is_empty());
            let booked = choices[pick % choices.len()];
            let mut with = busy.clone();
            with.push(Busy { start: booked.start, end: booked.end });
            if !may_change_next(&a, announced, booked.start, booked.end) {
                prop_assert_eq!(next(&with), announced);
            }
        }
    }
}
