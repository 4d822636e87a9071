//! The text of a booking's emails, in Japanese then English (booking does
//! not know the reader's language): whom the session is with as the reader
//! knows them (the consultant's name for the employee, the nickname, if
//! any, for the consultant), the time in the reader's zone with UTC beside
//! it, the join link, and a link to see, move or cancel the booking. The
//! attached invite stays generic.

use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Tz;
use shared::mail::{MailAttachment, OutgoingMail};

use super::Kind;
use super::ics::{Parties, ics};
use crate::domain::booking::BookingId;
use crate::store::BookingRecord;

/// One email about a booking, to one of its two participants.
pub struct Letter<'a> {
    /// The booking.
    pub booking: &'a BookingRecord,
    /// What happened.
    pub kind: Kind,
    /// The series' first booking and how many times it moved.
    pub series: (BookingId, u32),
    /// Organiser and recipient.
    pub parties: &'a Parties<'a>,
    /// Now.
    pub now: DateTime<Utc>,
    /// The room's join link.
    pub join: &'a str,
    /// Where the reader sees the booking (`…/bookings/{id}`).
    pub manage: &'a str,
    /// The reader's zone.
    pub zone: Tz,
    /// The other participant as the reader knows them, if at all.
    pub with: Option<&'a str>,
}

const WEEKDAYS_JA: [&str; 7] = ["月", "火", "水", "木", "金", "土", "日"];

/// `2026年12月9日（水）10:00〜11:00 JST（UTC 01:00）` and
/// `Wed 9 Dec 2026, 10:00–11:00 JST (01:00 UTC)`; no UTC beside a UTC time.
pub fn when(start: DateTime<Utc>, end: DateTime<Utc>, zone: Tz) -> (String, String) {
    let (s, e) = (start.with_timezone(&zone), end.with_timezone(&zone));
    let utc = zone != Tz::UTC;
    let day = WEEKDAYS_JA[s.weekday().num_days_from_monday() as usize];
    let ja = format!(
        "{}（{day}）{}〜{} {}{}",
        s.format("%Y年%-m月%-d日"),
        s.format("%H:%M"),
        e.format("%H:%M"),
        s.format("%Z"),
        if utc {
            format!("（UTC {}）", start.format("%H:%M"))
        } else {
            String::new()
        }
    );
    let en = format!(
        "{}, {}–{} {}{}",
        s.format("%a %-d %b %Y"),
        s.format("%H:%M"),
        e.format("%H:%M"),
        s.format("%Z"),
        if utc {
            format!(" ({} UTC)", start.format("%H:%M"))
        } else {
            String::new()
        }
    );
    (ja, en)
}

impl Letter<'_> {
    /// The email.
    pub fn mail(&self) -> OutgoingMail {
        let b = self.booking;
        let (ja, en) = when(b.starts_at, b.ends_at, self.zone);
        let (with_ja, with_en) = self.with.map_or((String::new(), String::new()), |w| {
            (format!("{w} さんとの"), format!(" with {w}"))
        });
        let (join, manage) = (self.join, self.manage);
        let (subject, text) = match self.kind {
            Kind::Confirmed => (
                "Taiwa: 面談の予約が確定しました / Your session is booked",
                format!(
                    "{with_ja}面談の予約が確定しました。\n日時: {ja}\n参加リンク（開始10分前から入れます）: {join}\n予約の確認・変更・キャンセル: {manage}\nカレンダーに追加できる招待を添付しています。\n\n\
                     Your session{with_en} is booked.\nWhen: {en}\nJoin (opens 10 minutes before the start): {join}\nSee, move or cancel it: {manage}\nThe calendar invite is attached.\n"
                ),
            ),
            Kind::Cancelled => (
                "Taiwa: 面談がキャンセルされました / Your session was cancelled",
                format!(
                    "{ja} の{with_ja}面談はキャンセルされました。\n予約の一覧: {manage}\n\n\
                     The session{with_en} on {en} was cancelled.\nYour bookings: {manage}\n"
                ),
            ),
            Kind::Withdrawn => (
                "Taiwa: 面談がキャンセルされました / Your session was cancelled",
                format!(
                    "コンサルタントの登録が運営により停止されたため、{ja} の{with_ja}面談はキャンセルされました。クレジットは組織に戻っています。別のコンサルタントを選んで予約し直せます。\n予約の一覧: {manage}\n\n\
                     The consultant's registration was suspended by the platform, so the session{with_en} on {en} was cancelled. The credit went back to the organisation; you can book another consultant.\nYour bookings: {manage}\n"
                ),
            ),
            Kind::Unavailable => (
                "Taiwa: 面談がキャンセルされました / Your session was cancelled",
                format!(
                    "担当コンサルタントがこの面談をお受けできなくなったため、{ja} の{with_ja}面談はキャンセルされました。クレジットは組織に戻っています。別のコンサルタントを選んで予約し直せます。\n予約の一覧: {manage}\n\n\
                     The consultant can no longer hold this session, so the session{with_en} on {en} was cancelled. The credit went back to the organisation; you can book another consultant.\nYour bookings: {manage}\n"
                ),
            ),
            Kind::SupportRequested => (
                "Taiwa: 相談窓口へのご連絡を承りました / Your request for support",
                "相談窓口へのご連絡を承りました。\n\nYour request for support was passed on.\n"
                    .to_owned(),
            ),
            Kind::Moved => (
                "Taiwa: 面談の日時が変更されました / Your session was moved",
                format!(
                    "{ja} の{with_ja}面談は別の日時に変更されました。新しい日時の確認メールと招待を別にお送りします。\n予約の一覧: {manage}\n\n\
                     The session{with_en} on {en} was moved; the new time's confirmation and invite follow separately.\nYour bookings: {manage}\n"
                ),
            ),
        };
        // A move is told by the new time's REQUEST (same UID, next
        // SEQUENCE); the old booking's mail carries no invite of its own.
        let (uid, moves) = self.series;
        let invite = match self.kind {
            Kind::Moved | Kind::SupportRequested => None,
            Kind::Confirmed => Some(("REQUEST", moves)),
            Kind::Cancelled | Kind::Withdrawn | Kind::Unavailable => Some(("CANCEL", moves + 1)),
        };
        OutgoingMail {
            to: self.parties.attendee.to_owned(),
            subject: subject.to_owned(),
            text,
            attachments: invite
                .map(|(method, sequence)| MailAttachment {
                    filename: "invite.ics".to_owned(),
                    content_type: format!("text/calendar; charset=utf-8; method={method}"),
                    bytes: ics(
                        b,
                        self.kind,
                        (uid, sequence),
                        self.parties,
                        self.now,
                        self.join,
                    )
                    .into_bytes(),
                })
                .into_iter()
                .collect(),
        }
    }
}

/// The email of a request for support, to the contact the employee agreed
/// to: their name and address, nothing of the session. Its subject names
/// no reason.
pub fn support_request(
    request: &crate::store::SupportRequest,
    employee: &crate::store::Contact,
) -> OutgoingMail {
    let contact_name = &request.contact_name;
    let (name, email) = (&employee.display_name, &employee.email);
    OutgoingMail {
        to: request.contact_email.clone(),
        subject: "Taiwa: ご連絡のお願い / Please contact an employee".to_owned(),
        text: format!(
            "{contact_name} ご担当者さま\n\n\
             Taiwa のキャリア相談を利用している社員の方が、あなたへの相談を希望し、連絡先をお伝えすることに同意されました。ご本人に直接ご連絡ください。\n\
             氏名: {name}\nメール: {email}\n\n\
             相談の内容は、キャリアコンサルタントからも Taiwa からもお伝えしません。Taiwa はこの依頼を人事部門に伝えません。\n\n\
             An employee using Taiwa's career consultation asks to talk with you and agreed that we pass on how to reach them. Please contact them directly.\n\
             Name: {name}\nEmail: {email}\n\n\
             Nothing of what was said in their sessions is shared, by the consultant or by Taiwa. Taiwa does not tell HR of this request.\n"
        ),
        attachments: Vec::new(),
    }
}
