use super::*;

#[test]
fn times_are_shown_in_the_visitors_zone() {
    let at = DateTime::parse_from_rfc3339("2026-12-01T01:00:00Z")
        .expect("time")
        .with_timezone(&Utc);
    assert_eq!(
        Lang::Ja.when(at, chrono_tz::Asia::Tokyo),
        "2026年12月1日（火）10:00"
    );
    assert_eq!(
        Lang::En.when(at, chrono_tz::Europe::London),
        "Tue 1 Dec 2026, 01:00"
    );
}
