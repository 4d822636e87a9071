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

use chrono::Utc;
use serde::{Deserialize, Serialize};
use shared::contracts::Contract;
use shared::events::{Consumes, Delivery, OutboxEntry, Received, SubscribeTo, Subscriber};
use shared::mail::Mailer;
use sqlx::AnyConnection;

use crate::domain::booking::BookingId;
use crate::store;
use crate::{BookingState, INBOX, OUTBOX};

mod ics;
mod letter;

pub use ics::{Parties, ics};
use letter::Letter;

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
    /// The employee of a session flagged for the crisis path asked to be
    /// put in touch with their org's support contact: that contact is sent
    /// their name and address. Neither the consultant nor anyone else is
    /// told.
    SupportRequested,
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
        if n.kind == Kind::SupportRequested {
            self.put_in_touch(&mut tx, &booking).await?;
            tx.commit().await?;
            return Ok(());
        }
        let now = Utc::now();
        let join = self.state.rooms.join_url(booking.id);
        let series = store::series_of(&mut tx, booking.id).await?;
        let organizer = self.mailer.from_address();
        // The consultant reads their own zone; the employee, the orgs'.
        let consultant_zone = store::load_availability(&mut tx, booking.consultant_id)
            .await?
            .map_or_else(shared::time::org_zone, |a| a.tz);
        let consultant_name = store::contact(&mut tx, booking.consultant_id)
            .await?
            .map(|c| c.display_name)
            .filter(|n| !n.is_empty());
        let base = self.state.public_url.trim_end_matches('/');
        let manage = match n.kind {
            Kind::Confirmed => format!("{base}/bookings/{}", booking.id),
            _ => format!("{base}/bookings"),
        };
        for (person, zone, with) in [
            (
                booking.employee_id,
                shared::time::org_zone(),
                consultant_name.as_deref(),
            ),
            (
                booking.consultant_id,
                consultant_zone,
                booking.nickname.as_deref(),
            ),
        ] {
            // Without a known address (identity has not told us) there is no one to email.
            if let Some(contact) = store::contact(&mut tx, person).await? {
                let parties = Parties {
                    organizer: &organizer,
                    attendee: &contact.email,
                };
                let letter = Letter {
                    booking: &booking,
                    kind: n.kind,
                    series,
                    parties: &parties,
                    now,
                    join: &join,
                    manage: &manage,
                    zone,
                    with,
                };
                self.mailer.send(&letter.mail()).await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }
}

impl Notifier {
    /// Passes on an employee's request for support to the contact they
    /// agreed to, at the address kept with the request: their name and
    /// address, nothing of the session. No email goes to the employee (a
    /// subject in a work mailbox would say too much): their booking's page
    /// says it was passed on. An address mail cannot be sent to (it was
    /// checked when HR set it) is logged and not retried.
    async fn put_in_touch(
        &self,
        tx: &mut AnyConnection,
        booking: &crate::store::BookingRecord,
    ) -> anyhow::Result<()> {
        let Some(request) = store::support_request(tx, booking.id).await? else {
            return Ok(());
        };
        let Some(employee) = store::contact(tx, booking.employee_id).await? else {
            return Ok(());
        };
        if !Mailer::deliverable(&request.contact_email) {
            tracing::warn!(booking_id = %booking.id, "a support contact's address cannot be mailed; the request was not passed on");
            return Ok(());
        }
        self.mailer
            .send(&letter::support_request(&request, &employee))
            .await
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
