use super::*;

fn t(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default()
}

fn utc(s: &str) -> DateTime<Utc> {
    s.parse().unwrap_or_default()
}

fn every_day(tz: Tz, start: NaiveTime, end: NaiveTime) -> Availability {
    Availability {
        tz,
        weekly: (1..=7)
            .map(|weekday| WeeklyRule {
                weekday,
                start,
                end,
            })
            .collect(),
        overrides: HashMap::new(),
        session_minutes: vec![60],
        buffer_before: 0,
        buffer_after: 0,
        min_notice_minutes: 0,
        horizon_days: 365,
        max_per_day: 0,
    }
}

#[test]
fn london_nine_oclock_follows_the_clock_changes() {
    let a = every_day(chrono_tz::Europe::London, t(9, 0), t(10, 0));
    let now = utc("2026-01-01T00:00:00Z");
    // Sunday 2026-03-29 clocks go forward: 09:00 BST = 08:00 UTC.
    let spring = a.slots(
        utc("2026-03-28T00:00:00Z"),
        utc("2026-03-30T00:00:00Z"),
        60,
        &[],
        now,
    );
    assert_eq!(
        spring.iter().map(|s| s.start).collect::<Vec<_>>(),
        [utc("2026-03-28T09:00:00Z"), utc("2026-03-29T08:00:00Z")]
    );
    // Sunday 2026-10-25 clocks go back: 09:00 GMT = 09:00 UTC.
    let autumn = a.slots(
        utc("2026-10-24T00:00:00Z"),
        utc("2026-10-26T00:00:00Z"),
        60,
        &[],
        now,
    );
    assert_eq!(
        autumn.iter().map(|s| s.start).collect::<Vec<_>>(),
        [utc("2026-10-24T08:00:00Z"), utc("2026-10-25T09:00:00Z")]
    );
}

#[test]
fn a_skipped_hour_holds_nothing_and_a_repeated_hour_holds_two_sessions() {
    let now = utc("2026-01-01T00:00:00Z");
    // 01:00–02:00 London does not exist on 2026-03-29.
    let skipped = every_day(chrono_tz::Europe::London, t(1, 0), t(2, 0));
    let day = skipped.slots(
        utc("2026-03-29T00:00:00Z"),
        utc("2026-03-29T23:00:00Z"),
        60,
        &[],
        now,
    );
    assert!(day.is_empty(), "{day:?}");
    // 01:00–02:00 London happens twice on 2026-10-25: two real hours,
    // both occurrences of 01:00 listed (00:00Z as BST, 01:00Z as GMT).
    let repeated = every_day(chrono_tz::Europe::London, t(1, 0), t(2, 0));
    let day = repeated.slots(
        utc("2026-10-24T23:30:00Z"),
        utc("2026-10-25T23:00:00Z"),
        60,
        &[],
        now,
    );
    assert_eq!(
        day.iter().map(|s| s.start).collect::<Vec<_>>(),
        [utc("2026-10-25T00:00:00Z"), utc("2026-10-25T01:00:00Z")]
    );
    assert!(repeated.is_bookable(utc("2026-10-25T01:00:00Z"), 60, &[], now));
}

#[test]
fn sessions_fit_in_elapsed_time_across_the_spring_gap() {
    // New York springs forward on 2026-03-08 at 02:00 EST → 03:00 EDT:
    // 01:30–03:00 local is 06:30Z–07:00Z, thirty real minutes.
    let a = every_day(chrono_tz::America::New_York, t(1, 30), t(3, 0));
    let now = utc("2026-01-01T00:00:00Z");
    assert!(
        !a.is_bookable(utc("2026-03-08T06:30:00Z"), 60, &[], now),
        "an hour does not fit in thirty minutes"
    );
    assert!(
        a.slots(
            utc("2026-03-08T00:00:00Z"),
            utc("2026-03-09T00:00:00Z"),
            60,
            &[],
            now
        )
        .is_empty()
    );
    let mut half = a.clone();
    half.session_minutes = vec![30];
    assert_eq!(
        half.slots(
            utc("2026-03-08T00:00:00Z"),
            utc("2026-03-09T00:00:00Z"),
            30,
            &[],
            now
        )
        .iter()
        .map(|s| (s.start, s.end))
        .collect::<Vec<_>>(),
        [(utc("2026-03-08T06:30:00Z"), utc("2026-03-08T07:00:00Z"))]
    );
    // The day before, the same hours hold one hour: 01:30 EST = 06:30Z.
    assert!(a.is_bookable(utc("2026-03-07T06:30:00Z"), 60, &[], now));
    // A start inside the gap stands for the moment the clocks jump.
    let late = every_day(chrono_tz::America::New_York, t(2, 30), t(4, 0));
    assert_eq!(
        late.slots(
            utc("2026-03-08T00:00:00Z"),
            utc("2026-03-09T00:00:00Z"),
            60,
            &[],
            now
        )
        .iter()
        .map(|s| s.start)
        .collect::<Vec<_>>(),
        [utc("2026-03-08T07:00:00Z")]
    );
}

#[test]
fn both_occurrences_of_a_repeated_time_can_be_booked() {
    // New York falls back on 2026-11-01 at 02:00 EDT → 01:00 EST.
    let a = every_day(chrono_tz::America::New_York, t(1, 0), t(2, 0));
    let now = utc("2026-06-01T00:00:00Z");
    let first = utc("2026-11-01T05:00:00Z"); // 01:00 EDT
    let second = utc("2026-11-01T06:00:00Z"); // 01:00 EST
    assert!(a.is_bookable(first, 60, &[], now));
    assert!(a.is_bookable(second, 60, &[], now));
    let booked = [Busy {
        start: first,
        end: second,
    }];
    assert!(
        a.is_bookable(second, 60, &booked, now),
        "the second 01:00 is free after the first is booked"
    );
}

#[test]
fn a_repeated_hour_opens_only_the_clock_times_of_the_hours() {
    let now = utc("2026-06-01T00:00:00Z");
    // London 2026-10-25: 00:00–01:00 local is 23:00Z–00:00Z only (the
    // clock then reads 01:00 BST, outside the hours).
    let london = every_day(chrono_tz::Europe::London, t(0, 0), t(1, 0));
    assert_eq!(
        london
            .slots(
                utc("2026-10-24T20:00:00Z"),
                utc("2026-10-25T06:00:00Z"),
                60,
                &[],
                now
            )
            .iter()
            .map(|s| s.start)
            .collect::<Vec<_>>(),
        [utc("2026-10-24T23:00:00Z")]
    );
    // New York 2026-11-01: 01:00–01:30 local happens twice, 30 minutes
    // each time: two half-hour sessions, no hour-long one.
    let mut short = every_day(chrono_tz::America::New_York, t(1, 0), t(1, 30));
    assert!(
        short
            .slots(
                utc("2026-11-01T00:00:00Z"),
                utc("2026-11-01T12:00:00Z"),
                60,
                &[],
                now
            )
            .is_empty()
    );
    short.session_minutes = vec![30];
    assert_eq!(
        short
            .slots(
                utc("2026-11-01T00:00:00Z"),
                utc("2026-11-01T12:00:00Z"),
                30,
                &[],
                now
            )
            .iter()
            .map(|s| s.start)
            .collect::<Vec<_>>(),
        [utc("2026-11-01T05:00:00Z"), utc("2026-11-01T06:00:00Z")]
    );
}

#[test]
fn a_session_can_end_at_midnight_and_touching_hours_merge() {
    let now = utc("2026-06-01T00:00:00Z");
    let interval = parse_interval("23:00", "24:00").expect("24:00 ends the day");
    assert_eq!(format_end(interval.end), "24:00");
    assert!(parse_interval("23:00", "23:00").is_err());
    assert!(parse_interval("09:00", "24:30").is_err());
    let late = every_day(chrono_tz::Asia::Tokyo, interval.start, interval.end);
    // 23:00–24:00 JST on 2026-06-10 is 14:00Z–15:00Z.
    assert!(late.is_bookable(utc("2026-06-10T14:00:00Z"), 60, &[], now));
    let mut split = every_day(chrono_tz::Asia::Tokyo, t(8, 0), t(8, 30));
    let day = NaiveDate::from_ymd_opt(2026, 6, 10).unwrap_or_default();
    split.overrides.insert(
        day,
        vec![
            parse_interval("09:00", "09:30").expect("interval"),
            parse_interval("09:30", "11:00").expect("interval"),
        ],
    );
    // 09:00 JST = 00:00Z: an hour across the two touching intervals.
    assert!(split.is_bookable(utc("2026-06-10T00:00:00Z"), 60, &[], now));
    assert!(split.is_bookable(utc("2026-06-10T01:00:00Z"), 60, &[], now));
}

#[test]
fn overrides_apply_to_the_consultants_date_and_can_block_it() {
    let mut a = every_day(chrono_tz::Asia::Tokyo, t(9, 0), t(10, 0));
    let now = utc("2026-12-01T00:00:00Z");
    let christmas_eve = NaiveDate::from_ymd_opt(2026, 12, 24).unwrap_or_default();
    a.overrides.insert(
        christmas_eve,
        vec![Interval {
            start: t(20, 0),
            end: t(21, 0),
        }],
    );
    let slots = a.slots(
        utc("2026-12-23T12:00:00Z"),
        utc("2026-12-24T23:59:00Z"),
        60,
        &[],
        now,
    );
    // Tokyo's 24th: 09:00 JST (= 23rd 00:00Z) is replaced by 20:00 JST (= 24th 11:00Z).
    assert_eq!(
        slots.iter().map(|s| s.start).collect::<Vec<_>>(),
        [utc("2026-12-24T11:00:00Z")]
    );
    a.overrides.insert(christmas_eve, vec![]);
    assert!(
        a.slots(
            utc("2026-12-23T12:00:00Z"),
            utc("2026-12-24T14:00:00Z"),
            60,
            &[],
            now
        )
        .is_empty()
    );
}

#[test]
fn half_hour_zones_align_to_their_local_clock() {
    let a = every_day(chrono_tz::Asia::Kolkata, t(9, 0), t(11, 0));
    let slots = a.slots(
        utc("2026-06-01T00:00:00Z"),
        utc("2026-06-01T12:00:00Z"),
        60,
        &[],
        utc("2026-05-01T00:00:00Z"),
    );
    // 09:00 and 10:00 IST.
    let starts: Vec<_> = slots.iter().map(|s| s.start).collect();
    assert_eq!(
        starts,
        [utc("2026-06-01T03:30:00Z"), utc("2026-06-01T04:30:00Z")]
    );
}

#[test]
fn notice_horizon_and_daily_cap() {
    let mut a = every_day(chrono_tz::UTC, t(9, 0), t(12, 0));
    a.min_notice_minutes = 60;
    a.horizon_days = 2;
    let now = utc("2026-06-01T08:00:00Z");
    assert!(
        a.is_bookable(utc("2026-06-01T09:00:00Z"), 60, &[], now),
        "exactly at the notice"
    );
    assert!(
        !a.is_bookable(
            utc("2026-06-01T09:00:00Z"),
            60,
            &[],
            now + Duration::minutes(1)
        ),
        "one minute inside"
    );
    // The horizon ends at now + 2 days = 06-03 09:00 (exclusive) for now = 06-01 09:00.
    let later = utc("2026-06-01T09:00:00Z");
    assert!(
        !a.is_bookable(utc("2026-06-03T09:00:00Z"), 60, &[], later),
        "exactly at the horizon"
    );
    assert!(
        a.is_bookable(
            utc("2026-06-03T09:00:00Z"),
            60,
            &[],
            later + Duration::minutes(1)
        ),
        "one minute inside the horizon"
    );
    a.max_per_day = 1;
    let booked = [Busy {
        start: utc("2026-06-02T09:00:00Z"),
        end: utc("2026-06-02T10:00:00Z"),
    }];
    assert!(
        !a.is_bookable(utc("2026-06-02T11:00:00Z"), 60, &booked, now),
        "the day is full"
    );
    assert!(a.is_bookable(utc("2026-06-01T11:00:00Z"), 60, &booked, now));
}

#[test]
fn overlaps_and_stacked_buffers_conflict() {
    // Overlapping rules merge: 10:00–11:00, 10:30–11:30 and 11:00–13:00
    // are 10:00–13:00, hour-long sessions at 10, 11 and 12.
    let mut a = every_day(chrono_tz::UTC, t(10, 0), t(11, 0));
    a.weekly.extend((1..=7).map(|weekday| WeeklyRule {
        weekday,
        start: t(10, 30),
        end: t(11, 30),
    }));
    a.weekly.extend((1..=7).map(|weekday| WeeklyRule {
        weekday,
        start: t(11, 0),
        end: t(13, 0),
    }));
    let now = utc("2026-06-01T00:00:00Z");
    assert_eq!(
        a.slots(
            utc("2026-06-02T00:00:00Z"),
            utc("2026-06-03T00:00:00Z"),
            60,
            &[],
            now
        )
        .iter()
        .map(|s| s.start)
        .collect::<Vec<_>>(),
        [
            utc("2026-06-02T10:00:00Z"),
            utc("2026-06-02T11:00:00Z"),
            utc("2026-06-02T12:00:00Z")
        ]
    );
    // A session booked at 10:30 (say, a 30-minute one) overlaps both.
    let booked = [Busy {
        start: utc("2026-06-02T10:30:00Z"),
        end: utc("2026-06-02T11:00:00Z"),
    }];
    assert!(
        !a.is_bookable(utc("2026-06-02T10:00:00Z"), 60, &booked, now),
        "10:00–11:00 overlaps 10:30–11:00"
    );
    assert!(
        a.is_bookable(utc("2026-06-02T11:00:00Z"), 60, &booked, now),
        "back to back is fine without buffers"
    );
    a.buffer_after = 15;
    a.buffer_before = 15;
    assert!(
        !a.is_bookable(utc("2026-06-02T11:00:00Z"), 60, &booked, now),
        "buffers stack: 30 minutes apart needed"
    );
    assert!(a.is_bookable(utc("2026-06-02T12:00:00Z"), 60, &booked, now));
}
