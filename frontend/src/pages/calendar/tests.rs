use super::*;

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("instant")
        .with_timezone(&Utc)
}

#[test]
fn the_month_is_whole_weeks_from_sunday() {
    // December 2026 starts on a Tuesday and has 31 days.
    let weeks = grid(
        date("2026-12-01"),
        date("2026-12-07"),
        Some(date("2026-12-09")),
        |d| {
            let n = usize::from(d.day() % 3 == 0);
            (
                n,
                if n > 0 {
                    format!("#{}", d.day())
                } else {
                    String::new()
                },
                String::new(),
            )
        },
    );
    assert_eq!(weeks.len(), 5);
    assert!(weeks.iter().all(|w| w.len() == 7));
    let numbers: Vec<u32> = weeks.iter().flatten().map(|c| c.number).collect();
    assert_eq!(
        &numbers[..3],
        &[0, 0, 1],
        "Sunday and Monday before the 1st are blank"
    );
    assert_eq!(numbers.iter().filter(|n| **n > 0).count(), 31);
    assert_eq!(
        numbers[numbers.len() - 3..],
        [31, 0, 0],
        "Friday and Saturday after the 31st (a Thursday) are blank"
    );
    let cell = |day: u32| {
        weeks
            .iter()
            .flatten()
            .find(|c| c.number == day)
            .expect("day")
    };
    assert!(cell(9).chosen && cell(9).href == "#9" && cell(9).count == 1);
    assert!(cell(7).today && !cell(7).chosen && cell(7).href.is_empty());
    // A month starting on a Sunday needs no blank before it (February 2026:
    // exactly four weeks).
    let feb = grid(date("2026-02-01"), date("2026-02-01"), None, |_| {
        (0, String::new(), String::new())
    });
    assert_eq!(feb.len(), 4);
    assert_eq!(feb[0][0].number, 1);
}

#[test]
fn times_carry_their_zone_and_a_repeated_hour_its_offset() {
    let tokyo: Tz = "Asia/Tokyo".parse().expect("zone");
    let t = times([at("2026-12-09T01:00:00Z")].into_iter(), tokyo, Lang::Ja);
    assert_eq!(t[0].time, "10:00");
    assert_eq!(t[0].zone, "JST");
    assert_eq!(t[0].starts_at, "2026-12-09T01:00:00Z");
    assert_eq!(t[0].label, "2026年12月9日（水）10:00 JST");
    // New York falls back on 1 Nov 2026: 01:30 happens twice.
    let ny: Tz = "America/New_York".parse().expect("zone");
    let t = times(
        [at("2026-11-01T05:30:00Z"), at("2026-11-01T06:30:00Z")].into_iter(),
        ny,
        Lang::En,
    );
    assert_eq!(t[0].time, "01:30 (UTC-04:00)");
    assert_eq!(t[1].time, "01:30 (UTC-05:00)");
    assert_eq!((t[0].zone.as_str(), t[1].zone.as_str()), ("EDT", "EST"));
}

#[test]
fn a_day_starts_at_its_first_instant_even_when_midnight_is_skipped() {
    let tokyo: Tz = "Asia/Tokyo".parse().expect("zone");
    assert_eq!(
        start_of(tokyo, date("2026-12-01")),
        at("2026-11-30T15:00:00Z")
    );
    // Santiago springs forward at midnight: 6 Sep 2026 starts at 01:00 local.
    let santiago: Tz = "America/Santiago".parse().expect("zone");
    assert_eq!(
        start_of(santiago, date("2026-09-06")),
        at("2026-09-06T04:00:00Z")
    );
}

#[test]
fn days_are_written_out_and_counted() {
    assert_eq!(long_day(Lang::Ja, date("2026-12-09")), "12月9日（水）");
    assert_eq!(
        long_day(Lang::En, date("2026-12-09")),
        "Wednesday 9 December"
    );
    assert_eq!(
        day_label(Lang::Ja, date("2026-12-09"), 3),
        "12月9日（水）・空き3件"
    );
    assert_eq!(
        day_label(Lang::En, date("2026-12-09"), 1),
        "Wednesday 9 December, 1 free time"
    );
    assert_eq!(
        day_label(Lang::En, date("2026-12-10"), 0),
        "Thursday 10 December, no free times"
    );
    assert_eq!(months_between(date("2026-12-01"), date("2027-12-01")), 12);
    assert_eq!(next_month(date("2026-12-01")), date("2027-01-01"));
}
