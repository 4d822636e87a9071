use super::*;
use shared::ids::{OrgId, UserId};

#[test]
fn the_invite_is_valid_ics_with_a_stable_uid_and_no_names() {
    let start: DateTime<Utc> = "2026-12-01T01:00:00Z".parse().unwrap_or_default();
    let b = BookingRecord {
        id: BookingId::new(),
        consultant_id: UserId::new(),
        employee_id: UserId::new(),
        org_id: OrgId::new(),
        starts_at: start,
        ends_at: start + chrono::Duration::hours(1),
        status: crate::domain::booking::BookingStatus::Confirmed,
        nickname: Some("ハナ".into()),
        agenda: None,
        idempotency_key: None,
        rescheduled_to: None,
    };
    let join = "https://meet.example.com/a,b";
    let parties = Parties {
        organizer: "noreply@taiwa.example",
        attendee: "someone-with-a-rather-long-address-for-folding@consultants.example.com",
    };
    let request = ics(&b, Kind::Confirmed, (b.id, 0), &parties, start, join);
    let cancel = ics(&b, Kind::Cancelled, (b.id, 1), &parties, start, join);
    assert!(request.contains("ORGANIZER;CN=Taiwa:mailto:noreply@taiwa.example"));
    assert!(
        request
            .replace("\r\n ", "")
            .contains(&format!("mailto:{}", parties.attendee))
    );
    assert!(
        request.contains("METHOD:REQUEST")
            && request.contains("DTSTART:20261201T010000Z")
            && request.contains("LOCATION:https://meet.example.com/a\\,b")
    );
    assert!(
        cancel.contains("METHOD:CANCEL")
            && cancel.contains("SEQUENCE:1")
            && cancel.contains("STATUS:CANCELLED")
    );
    let uid = |s: &str| s.lines().find(|l| l.starts_with("UID:")).map(str::to_owned);
    assert_eq!(uid(&request), uid(&cancel));
    assert!(!request.contains("ハナ"), "no names in calendars");
    assert!(
        request
            .split("\r\n")
            .chain(cancel.split("\r\n"))
            .all(|l| l.len() <= 75),
        "folded at 75 octets: {request}"
    );
    // Folding keeps characters whole and unfolds to the original.
    let long = "DESCRIPTION:".to_owned() + &"面談".repeat(40);
    let folded = fold(&long);
    assert!(folded.split("\r\n").all(|l| l.len() <= 75));
    assert_eq!(folded.replace("\r\n ", ""), long);
}
