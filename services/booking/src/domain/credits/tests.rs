use proptest::prelude::*;

use super::*;

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap_or_default()
}

fn grant(n: i64, when: &str) -> LedgerEntry {
    LedgerEntry {
        delta: n,
        person: None,
        at: at(when),
    }
}

fn booking(person: u128, when: DateTime<Utc>) -> LedgerEntry {
    LedgerEntry {
        delta: -1,
        person: Some(UserId(uuid::Uuid::from_u128(person))),
        at: when,
    }
}

#[test]
fn weeks_start_on_monday_midnight_in_japan() {
    // Sunday 2026-12-06 23:59 JST is still the week of Monday 11-30.
    assert_eq!(
        week_start(at("2026-12-06T14:59:00Z")),
        at("2026-11-29T15:00:00Z")
    );
    // Monday 2026-12-07 00:00 JST starts a new week.
    assert_eq!(
        week_start(at("2026-12-06T15:00:00Z")),
        at("2026-12-06T15:00:00Z")
    );
}

#[test]
fn one_booking_moves_nothing_and_k_people_move_it_at_a_week_boundary() {
    let now = at("2026-12-03T03:00:00Z");
    let base = vec![grant(200, "2026-10-01T00:00:00Z")];
    let before = view(&base, now, 10, 5);
    assert_eq!(before.balance, 200);
    // One person books now: nothing moves, not the balance, not the flag.
    let mut one = base.clone();
    one.push(booking(1, now - Duration::minutes(1)));
    assert_eq!(view(&one, now, 10, 5), before);
    // Nine people last week: still nothing; the tenth makes a batch.
    let last_week = week_start(now) - Duration::days(3);
    let mut nine = base.clone();
    nine.extend((0..9).map(|p| booking(p, last_week)));
    assert_eq!(view(&nine, now, 10, 5).balance, 200);
    nine.push(booking(9, last_week));
    let counted = view(&nine, now, 10, 5);
    assert_eq!(counted.balance, 190);
    assert_eq!(counted.uses_counted_to, Some(week_start(now)));
    // HR's own grant shows at once.
    nine.push(grant(1, "2026-12-03T02:00:00Z"));
    assert_eq!(view(&nine, now, 10, 5).balance, 191);
}

#[test]
fn running_low_moves_only_with_what_is_shown() {
    let now = at("2026-12-03T03:00:00Z");
    let entries = vec![grant(6, "2026-10-01T00:00:00Z")];
    assert!(!view(&entries, now, 10, 5).running_low);
    // One booking last week, one this week: nothing shown, so no flag —
    // the true balance (4) would betray a batch of one.
    let mut used = entries.clone();
    used.push(booking(1, week_start(now) - Duration::days(2)));
    used.push(booking(2, now - Duration::minutes(5)));
    assert!(!view(&used, now, 10, 5).running_low);
    assert!(!view(&used, now + Duration::weeks(1), 10, 5).running_low);
    // A released batch of ten people sets it (12 − 10 = 2 shown); HR's
    // own addition clears it at once.
    let mut batch = entries.clone();
    batch.push(grant(6, "2026-10-01T00:00:00Z"));
    batch.extend((0..10).map(|p| booking(p, week_start(now) - Duration::days(2))));
    assert_eq!(view(&batch, now, 10, 5).balance, 2);
    assert!(view(&batch, now, 10, 5).running_low);
    batch.push(grant(10, "2026-12-02T00:00:00Z"));
    assert!(!view(&batch, now, 10, 5).running_low);
}

proptest! {
    /// Whatever one employee does within a week — book, cancel, any
    /// number of times — changes nothing anyone else sees that week.
    #[test]
    fn one_person_s_acts_within_the_week_change_nothing(
        others in proptest::collection::vec((0u128..40, 0i64..60 * 24 * 7, prop::bool::ANY), 0..200),
        acts in proptest::collection::vec((0i64..60 * 24 * 3, prop::bool::ANY), 1..6),
        k in 5usize..12,
    ) {
        let now = at("2026-12-03T03:00:00Z");
        let mut entries = vec![grant(500, "2026-06-01T00:00:00Z")];
        for (p, minutes_ago, cancel) in others {
            let when = now - Duration::minutes(minutes_ago);
            entries.push(LedgerEntry { delta: if cancel { 1 } else { -1 }, ..booking(p, when) });
        }
        let seen = view(&entries, now, k, 480);
        let since_monday = (now - week_start(now)).num_minutes();
        for (minutes_ago, cancel) in acts {
            let when = now - Duration::minutes(minutes_ago.min(since_monday - 1));
            entries.push(LedgerEntry { delta: if cancel { 1 } else { -1 }, ..booking(999, when) });
        }
        // The low mark near the balance: the flag would flip if uses showed.
        prop_assert_eq!(view(&entries, now, k, 480), seen);
    }
}
