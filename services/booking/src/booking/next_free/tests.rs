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
