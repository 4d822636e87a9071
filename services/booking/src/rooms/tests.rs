use super::*;
use shared::ids::{OrgId, UserId};

fn rooms_keyed(key: u8) -> Rooms {
    Rooms::new(
        Arc::new(JitsiMeet::new("https://meet.example.org/")),
        [key; 32],
        "https://taiwa.example.com/",
    )
}

fn booking(status: BookingStatus, start: DateTime<Utc>) -> BookingRecord {
    BookingRecord {
        id: BookingId::new(),
        consultant_id: UserId::new(),
        employee_id: UserId::new(),
        org_id: OrgId::new(),
        starts_at: start,
        ends_at: start + Duration::hours(1),
        status,
        nickname: None,
        agenda: None,
        idempotency_key: None,
        rescheduled_to: None,
    }
}

#[test]
fn two_bookings_of_one_consultant_never_share_a_room_or_a_link() {
    let rooms = rooms_keyed(7);
    let start: DateTime<Utc> = "2026-12-01T01:00:00Z".parse().unwrap_or_default();
    let a = booking(BookingStatus::Confirmed, start);
    let mut b = booking(BookingStatus::Confirmed, start + Duration::hours(2));
    b.consultant_id = a.consultant_id;
    let in_a = start;
    let in_b = start + Duration::hours(2);
    let (Door::Open(room_a), Door::Open(room_b)) = (rooms.door(&a, in_a), rooms.door(&b, in_b))
    else {
        panic!("both rooms open during their sessions");
    };
    assert_ne!(room_a, room_b);
    assert!(room_a.starts_with("https://meet.example.org/taiwa-"));
    assert_eq!(room_a.len(), "https://meet.example.org/taiwa-".len() + 32);
    assert_ne!(rooms.join_url(a.id), rooms.join_url(b.id));
    // The link of one booking is not a key to the other.
    let key_a = rooms
        .join_url(a.id)
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_owned();
    assert!(rooms.key_matches(a.id, &key_a));
    assert!(!rooms.key_matches(b.id, &key_a));
    assert!(!rooms.key_matches(a.id, &key_a[..31]));
    // Another deployment's key makes other rooms.
    assert_ne!(rooms_keyed(8).join_url(a.id), rooms.join_url(a.id));
}

#[test]
fn a_room_opens_shortly_before_and_closes_shortly_after_its_session() {
    let rooms = rooms_keyed(1);
    let start: DateTime<Utc> = "2026-12-01T01:00:00Z".parse().unwrap_or_default();
    let b = booking(BookingStatus::Confirmed, start);
    assert_eq!(
        rooms.door(&b, start - Duration::minutes(11)),
        Door::NotYet(start - OPENS_BEFORE)
    );
    assert!(matches!(
        rooms.door(&b, start - Duration::minutes(10)),
        Door::Open(_)
    ));
    assert!(matches!(
        rooms.door(&b, b.ends_at + Duration::minutes(30)),
        Door::Open(_)
    ));
    assert_eq!(
        rooms.door(&b, b.ends_at + Duration::minutes(31)),
        Door::Closed
    );
    for status in [BookingStatus::Cancelled, BookingStatus::Rescheduled] {
        assert_eq!(rooms.door(&booking(status, start), start), Door::Closed);
        assert_eq!(rooms.link_for(&booking(status, start)), None);
    }
}
