//! The invite attached to a booking's emails (RFC 5545/5546): a generic
//! title, Taiwa as organiser, the recipient as the only attendee, the room's
//! join link as the location; lines folded at 75 octets.

use chrono::{DateTime, Utc};

use super::Kind;
use crate::domain::booking::BookingId;
use crate::store::BookingRecord;

fn stamp(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

fn escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
}

/// Folds a content line at 75 octets (RFC 5545 §3.1): continuation lines
/// start with a space, and a character is never split.
pub(super) fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3);
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out
}

/// Who an invite is between: the organiser (Taiwa's sender address) and
/// the one attendee it is sent to.
pub struct Parties<'a> {
    /// Taiwa's sender address.
    pub organizer: &'a str,
    /// The recipient's address.
    pub attendee: &'a str,
}

/// The `.ics` for a booking, with its own room's join link (`join`) as the
/// location. `uid` is the series' first booking; `sequence` counts its
/// changes.
pub fn ics(
    b: &BookingRecord,
    kind: Kind,
    (uid, sequence): (BookingId, u32),
    parties: &Parties<'_>,
    now: DateTime<Utc>,
    join: &str,
) -> String {
    let (method, status) = match kind {
        Kind::Confirmed => ("REQUEST", "CONFIRMED"),
        Kind::Cancelled
        | Kind::Moved
        | Kind::Withdrawn
        | Kind::Unavailable
        | Kind::SupportRequested => ("CANCEL", "CANCELLED"),
    };
    let lines = [
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//Taiwa//Booking//JA".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        format!("METHOD:{method}"),
        "BEGIN:VEVENT".to_owned(),
        format!("UID:{uid}@taiwa"),
        format!("SEQUENCE:{sequence}"),
        format!("DTSTAMP:{}", stamp(now)),
        format!("DTSTART:{}", stamp(b.starts_at)),
        format!("DTEND:{}", stamp(b.ends_at)),
        "SUMMARY:Taiwa キャリア相談 / career session".to_owned(),
        format!("ORGANIZER;CN=Taiwa:mailto:{}", parties.organizer),
        format!(
            "ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;RSVP=FALSE:mailto:{}",
            parties.attendee
        ),
        format!("LOCATION:{}", escape(join)),
        format!(
            "DESCRIPTION:{}",
            escape(&format!("Taiwa の 1on1 です。参加リンク / Join: {join}"))
        ),
        format!("STATUS:{status}"),
        "END:VEVENT".to_owned(),
        "END:VCALENDAR".to_owned(),
    ];
    let mut out = lines
        .iter()
        .map(|l| fold(l))
        .collect::<Vec<_>>()
        .join("\r\n");
    out.push_str("\r\n");
    out
}
