use super::*;

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap_or_default()
}

#[test]
fn quarters_are_japan_time_and_released_a_week_after_they_end() {
    // 2026-09-30 16:00Z is already October 1st in Tokyo.
    assert_eq!(Quarter::of(at("2026-09-30T16:00:00Z")).name(), "2026-Q4");
    assert_eq!(Quarter::of(at("2026-09-30T14:59:59Z")).name(), "2026-Q3");
    let q3 = Quarter { year: 2026, q: 3 };
    // October 1st 00:00 JST + 7 days = 2026-10-07T15:00Z.
    assert_eq!(q3.released_at(), at("2026-10-07T15:00:00Z"));
    assert!(!q3.is_released(at("2026-10-07T14:59:59Z")));
    assert!(q3.is_released(at("2026-10-07T15:00:00Z")));
    let q4 = Quarter { year: 2026, q: 4 };
    assert_eq!(q4.next(), Quarter { year: 2027, q: 1 });
    assert_eq!(q4.released_at(), at("2027-01-07T15:00:00Z"));
    assert_eq!(Quarter::of_month("2026-11"), Some(q4));
    assert_eq!(Quarter::of_month("2026-13"), None);
    assert_eq!(Quarter::parse("2026-Q4"), Some(q4));
    assert_eq!(Quarter::parse("2026-Q5"), None);
    assert_eq!(
        Quarter::from_index(q4.index() + 1),
        Quarter { year: 2027, q: 1 }
    );
    let (first, last) = q4.months();
    assert_eq!(
        (first.to_string(), last.to_string()),
        ("2026-10".to_owned(), "2026-12".to_owned())
    );
}

#[test]
fn a_late_record_goes_to_the_open_quarter_and_a_timely_one_stays() {
    let session = at("2026-09-20T01:00:00Z");
    // Written before Q3's release: Q3, its own month.
    let (month, quarter) = open_period(session, at("2026-10-05T00:00:00Z"));
    assert_eq!(
        (month.to_string(), quarter),
        ("2026-09".to_owned(), Quarter { year: 2026, q: 3 })
    );
    // Written after: the month it was written in.
    let (month, quarter) = open_period(session, at("2026-11-02T00:00:00Z"));
    assert_eq!(
        (month.to_string(), quarter),
        ("2026-11".to_owned(), Quarter { year: 2026, q: 4 })
    );
}

#[test]
fn months_are_read_and_written_in_one_shape() {
    let m = Month::parse("2026-11").expect("a month");
    assert_eq!(m.to_string(), "2026-11");
    assert_eq!(m.quarter().to_string(), "2026-Q4");
    assert_eq!(m.year(), 2026);
    for bad in [
        "2026-13", "2026-00", "2026-1", "26-11", "2026-1x", "2026/11", "+026-11", "",
    ] {
        assert_eq!(Month::parse(bad), None, "{bad}");
    }
    // 2026-11-30 15:00Z is already December 1st in Tokyo.
    assert_eq!(Month::of(at("2026-11-30T15:00:00Z")).to_string(), "2026-12");
    assert_eq!(Month::of(at("2026-11-30T14:59:59Z")).to_string(), "2026-11");
}

#[test]
fn local_midnight_follows_the_zone() {
    let day = NaiveDate::from_ymd_opt(2026, 10, 1).expect("date");
    assert_eq!(
        local_midnight(day, chrono_tz::Asia::Tokyo),
        at("2026-09-30T15:00:00Z")
    );
    // Santiago skipped midnight on 2026-09-06 (clocks went 00:00 → 01:00):
    // the day starts at the first instant after the gap.
    let skipped = NaiveDate::from_ymd_opt(2026, 9, 6).expect("date");
    assert_eq!(
        local_midnight(skipped, chrono_tz::America::Santiago),
        at("2026-09-06T04:00:00Z")
    );
}
