//! Emails about bookings, each with an RFC 5545/5546 invite: confirmation
//! (`METHOD:REQUEST`) and cancellation (`METHOD:CANCEL`). A moved session
//! stays one event: its UID is the id of the booking the series started
//! with, and the new time is a `REQUEST` with a higher `SEQUENCE` (the
//! number of moves so far), which calendars apply as an update; a
//! cancellation's `SEQUENCE` is one more. The organiser is Taiwa's sender
//! address and the only attendee listed is the recipient, by address: the
//! title is generic, and no invite names the other participant.
//! Lines are folded at 75 octets (RFC 5545 §3.1).
//!
//! A change writes `booking.notify.v1` `{booking_id, kind}` to the outbox in
//! its own transaction; this consumer sends the emails at least once and
//! records each event in the inbox so a redelivery sends nothing twice.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use shared::contracts::Contract;
use shared::events::{Consumes, Delivery, OutboxEntry, Received, SubscribeTo, Subscriber};
use shared::mail::{MailAttachment, Mailer, OutgoingMail};
use sqlx::AnyConnection;

use crate::domain::booking::BookingId;
use crate::store::{self, BookingRecord};
use crate::{BookingState, INBOX, OUTBOX};

const CONSUMER: &str = "booking.notifier";

/// What happened to a booking.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Booked.
    Confirmed,
    /// Cancelled.
    Cancelled,
    /// Moved away (this booking was replaced).
    Moved,
    /// Cancelled because the consultant was suspended or withdrawn.
    Withdrawn,
    /// Cancelled because the consultant can no longer hold it (e.g. they
    /// became tied to the employee's org).
    Unavailable,
}

/// `booking.notify.v1`, booking's own work queue: send the emails about a
/// booking's change.
#[derive(Debug, Serialize, Deserialize)]
pub struct Notify {
    booking_id: BookingId,
    kind: Kind,
}

impl Contract for Notify {
    const TOPIC: &'static str = "booking.notify.v1";
}

/// The outbox row that asks for the emails about `booking`, for a use case
/// that writes it in its own statement.
pub fn entry(booking: BookingId, kind: Kind) -> anyhow::Result<OutboxEntry> {
    OUTBOX.entry(&Notify {
        booking_id: booking,
        kind,
    })
}

/// Asks for the emails about `booking`, in the caller's transaction.
pub async fn enqueue(
    conn: &mut AnyConnection,
    booking: BookingId,
    kind: Kind,
) -> anyhow::Result<()> {
    OUTBOX
        .publish(
            conn,
            &Notify {
                booking_id: booking,
                kind,
            },
        )
        .await?;
    Ok(())
}

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
fn fold(line: &str) -> String {
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
        Kind::Cancelled | Kind::Moved | Kind::Withdrawn | Kind::Unavailable => {
            ("CANCEL", "CANCELLED")
        }
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

fn message(
    b: &BookingRecord,
    kind: Kind,
    series: (BookingId, u32),
    parties: &Parties<'_>,
    now: DateTime<Utc>,
    join: &str,
) -> OutgoingMail {
    // The organisations' zone first (Japan by default), with UTC for everyone
    // else; the
    // attached invite carries the exact instant for the reader's calendar.
    let when = crate::domain::booking::local_and_utc(b.starts_at);
    let (subject, text) = match kind {
        Kind::Confirmed => (
            "Taiwa: 面談の予約が確定しました / Your session is booked",
            format!(
                "面談の予約が確定しました（{when}）。カレンダーに追加できる招待を添付しています。\n参加リンク（開始10分前から入れます）: {join}\n\nYour session is booked for {when}. The calendar invite is attached.\nJoin (opens 10 minutes before the start): {join}\n"
            ),
        ),
        Kind::Cancelled => (
            "Taiwa: 面談がキャンセルされました / Your session was cancelled",
            format!(
                "{when} の面談はキャンセルされました。\nThe session on {when} was cancelled.\n"
            ),
        ),
        Kind::Withdrawn => (
            "Taiwa: 面談がキャンセルされました / Your session was cancelled",
            format!(
                "コンサルタントの登録が運営により停止されたため、{when} の面談はキャンセルされました。クレジットは組織に戻っています。別のコンサルタントを選んで予約し直せます。\nThe consultant's registration was suspended by the platform, so the session on {when} was cancelled. The credit went back to the organisation; you can book another consultant.\n"
            ),
        ),
        Kind::Unavailable => (
            "Taiwa: 面談がキャンセルされました / Your session was cancelled",
            format!(
                "担当コンサルタントがこの面談をお受けできなくなったため、{when} の面談はキャンセルされました。クレジットは組織に戻っています。別のコンサルタントを選んで予約し直せます。\nThe consultant can no longer hold this session, so the session on {when} was cancelled. The credit went back to the organisation; you can book another consultant.\n"
            ),
        ),
        Kind::Moved => (
            "Taiwa: 面談の日時が変更されました / Your session was moved",
            format!(
                "{when} の面談は別の日時に変更されました。新しい招待を別にお送りします。\nThe session on {when} was moved; the new invite follows separately.\n"
            ),
        ),
    };
    // A move is told by the new time's REQUEST (same UID, next SEQUENCE);
    // the old booking's mail carries no invite of its own.
    let (uid, moves) = series;
    let invite = match kind {
        Kind::Moved => None,
        Kind::Confirmed => Some(("REQUEST", moves)),
        Kind::Cancelled | Kind::Withdrawn | Kind::Unavailable => Some(("CANCEL", moves + 1)),
    };
    OutgoingMail {
        to: parties.attendee.to_owned(),
        subject: subject.to_owned(),
        text,
        attachments: invite
            .map(|(method, sequence)| MailAttachment {
                filename: "invite.ics".to_owned(),
                content_type: format!("text/calendar; charset=utf-8; method={method}"),
                bytes: ics(b, kind, (uid, sequence), parties, now, join).into_bytes(),
            })
            .into_iter()
            .collect(),
    }
}

struct Notifier {
    state: BookingState,
    mailer: Mailer,
}

impl Consumes<Notify> for Notifier {
    async fn consume(&self, event: Received<Notify>) -> anyhow::Result<()> {
        let n = event.payload;
        let mut tx = self.state.db.begin_write().await?;
        if !INBOX.claim(&mut tx, CONSUMER, event.id).await? {
            return Ok(());
        }
        let Some(booking) = store::find_booking(&mut tx, n.booking_id).await? else {
            return Ok(());
        };
        let now = Utc::now();
        let join = self.state.rooms.join_url(booking.id);
        let series = store::series_of(&mut tx, booking.id).await?;
        let organizer = self.mailer.from_address();
        for person in [booking.employee_id, booking.consultant_id] {
            // Without a known address (identity has not told us) there is no one to email.
            if let Some(contact) = store::contact(&mut tx, person).await? {
                let parties = Parties {
                    organizer: &organizer,
                    attendee: &contact.email,
                };
                self.mailer
                    .send(&message(&booking, n.kind, series, &parties, now, &join))
                    .await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }
}

/// Subscribes the consumer that sends the emails.
pub fn subscribe(bus: &dyn Subscriber, state: BookingState, mailer: Mailer) {
    bus.subscribe_to::<Notify, _>(
        CONSUMER,
        Delivery::OneReplica,
        Arc::new(Notifier { state, mailer }),
    );
}

#[cfg(test)]
mod tests;
