use super::ics::fold;
use super::letter::{Letter, when};
use super::*;
use crate::store::BookingRecord;
use chrono::DateTime;
use shared::ids::{OrgId, UserId};

#[test]
fn the_invite_is_valid_ics_with_a_stable_uid_and_no_names() {
    let b = booking_at("2026-12-01T01:00:00Z", Some("ハナ"));
    let start = b.starts_at;
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

fn booking_at(start: &str, nickname: Option<&str>) -> BookingRecord {
    let start: DateTime<Utc> = start.parse().unwrap_or_default();
    BookingRecord {
        id: BookingId::new(),
        consultant_id: UserId::new(),
        employee_id: UserId::new(),
        org_id: OrgId::new(),
        starts_at: start,
        ends_at: start + chrono::Duration::hours(1),
        status: crate::domain::booking::BookingStatus::Confirmed,
        nickname: nickname.map(str::to_owned),
        agenda: None,
        idempotency_key: None,
        rescheduled_to: None,
    }
}

#[test]
fn times_are_written_in_the_readers_zone_with_utc_beside() {
    let b = booking_at("2026-12-09T01:00:00Z", None);
    let tokyo: chrono_tz::Tz = "Asia/Tokyo".parse().expect("zone");
    assert_eq!(
        when(b.starts_at, b.ends_at, tokyo),
        (
            "2026年12月9日（水）10:00〜11:00 JST（UTC 01:00）".to_owned(),
            "Wed 9 Dec 2026, 10:00–11:00 JST (01:00 UTC)".to_owned()
        )
    );
    let london: chrono_tz::Tz = "Europe/London".parse().expect("zone");
    assert_eq!(
        when(b.starts_at, b.ends_at, london).1,
        "Wed 9 Dec 2026, 01:00–02:00 GMT (01:00 UTC)"
    );
    assert_eq!(
        when(b.starts_at, b.ends_at, chrono_tz::Tz::UTC).1,
        "Wed 9 Dec 2026, 01:00–02:00 UTC"
    );
}

#[test]
fn each_reader_is_told_whom_the_session_is_with_and_where_to_manage_it() {
    let b = booking_at("2026-12-09T01:00:00Z", Some("ハナ"));
    let parties = Parties {
        organizer: "noreply@taiwa.example",
        attendee: "reader@example.com",
    };
    let letter = |kind, with, zone: &str| {
        Letter {
            booking: &b,
            kind,
            series: (b.id, 0),
            parties: &parties,
            now: b.starts_at,
            join: "https://taiwa.example/join/x/y",
            manage: "https://taiwa.example/bookings/b1",
            zone: zone.parse().expect("zone"),
            with,
        }
        .mail()
    };
    let to_employee = letter(Kind::Confirmed, Some("佐藤 一郎"), "Asia/Tokyo");
    for part in [
        "佐藤 一郎 さんとの面談の予約が確定しました。",
        "日時: 2026年12月9日（水）10:00〜11:00 JST（UTC 01:00）",
        "予約の確認・変更・キャンセル: https://taiwa.example/bookings/b1",
        "Your session with 佐藤 一郎 is booked.",
        "When: Wed 9 Dec 2026, 10:00–11:00 JST (01:00 UTC)",
        "Join (opens 10 minutes before the start): https://taiwa.example/join/x/y",
    ] {
        assert!(
            to_employee.text.contains(part),
            "{part} in {}",
            to_employee.text
        );
    }
    let to_consultant = letter(Kind::Confirmed, b.nickname.as_deref(), "Europe/London");
    assert!(
        to_consultant.text.contains("ハナ さんとの面談")
            && to_consultant.text.contains("01:00〜02:00 GMT"),
        "{}",
        to_consultant.text
    );
    let nameless = letter(Kind::Cancelled, None, "Asia/Tokyo");
    assert!(
        nameless.text.starts_with(
            "2026年12月9日（水）10:00〜11:00 JST（UTC 01:00） の面談はキャンセルされました。"
        ),
        "{}",
        nameless.text
    );
    assert!(!nameless.text.contains("さんとの"));
    // The invite stays generic: no name in it.
    let invite = String::from_utf8(to_employee.attachments[0].bytes.clone()).expect("utf-8");
    assert!(
        !invite.contains("佐藤") && invite.contains("SUMMARY:Taiwa キャリア相談 / career session")
    );
    assert_eq!(letter(Kind::Moved, None, "Asia/Tokyo").attachments.len(), 0);
}
