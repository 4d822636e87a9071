use proptest::prelude::*;

use super::*;

fn zone(i: usize) -> Tz {
    [
        chrono_tz::Asia::Tokyo,
        chrono_tz::Europe::London,
        chrono_tz::America::New_York,
        chrono_tz::Asia::Kolkata,
    ][i % 4]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Every listed slot can be booked, and every bookable time on the
    /// grid is listed — for generated rules, zones, buffers and bookings,
    /// around the DST changes of 2026.
    #[test]
    fn listed_equals_bookable(
        zone_ix in 0usize..4,
        rules in proptest::collection::vec((1u32..=7, 0u32..40, 1u32..16), 1..6),
        buffer in 0u32..40,
        max_per_day in 0u32..4,
        notice in 0u32..600,
        booked_at in proptest::collection::vec(0i64..(14 * 48), 0..6),
        day_offset in 0i64..300,
    ) {
        let weekly = rules
            .iter()
            .map(|(weekday, start_half, len_half)| {
                let start = NaiveTime::from_hms_opt((start_half / 2) % 24, (start_half % 2) * 30, 0).unwrap_or_default();
                let end_minutes = (start_half + len_half).min(48) * 30;
                let end = NaiveTime::from_hms_opt(end_minutes / 60, end_minutes % 60, 0).unwrap_or_default();
                WeeklyRule { weekday: *weekday, start, end }
            })
            .filter(|r| end_minutes(r.end) > r.start.num_seconds_from_midnight() / 60)
            .collect();
        let a = Availability {
            tz: zone(zone_ix),
            weekly,
            overrides: HashMap::new(),
            session_minutes: vec![30, 60],
            buffer_before: buffer,
            buffer_after: buffer,
            min_notice_minutes: notice,
            horizon_days: 20,
            max_per_day,
        };
        let now = "2026-01-01T00:00:00Z".parse::<DateTime<Utc>>().unwrap_or_default() + Duration::days(day_offset);
        let booked: Vec<Busy> = booked_at
            .iter()
            .map(|k| {
                let start = now + Duration::minutes(30 * k);
                Busy { start, end: start + Duration::minutes(60) }
            })
            .collect();
        let from = now;
        let to = now + Duration::days(14);
        let listed = a.slots(from, to, 60, &booked, now);
        for slot in &listed {
            prop_assert!(a.is_bookable(slot.start, 60, &booked, now), "listed but not bookable: {slot:?}");
            prop_assert_eq!(slot.end - slot.start, Duration::minutes(60));
        }
        let mut t = from;
        while t < to {
            if a.is_bookable(t, 60, &booked, now) {
                prop_assert!(listed.iter().any(|s| s.start == t), "bookable but not listed: {t}");
            }
            t += Duration::minutes(30);
        }
    }
}
