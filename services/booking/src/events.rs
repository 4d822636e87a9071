//! Booking's events.
//!
//! Emitted: `booking.availability_changed.v1` `{consultant_id,
//! next_available_at}` whenever a consultant's next free slot may have moved
//! (availability edited, a booking made, cancelled or moved) — matching's
//! contract (see `taiwa_matching::events`).
//!
//! Emitted: `booking.session_rated.v1` `{consultant_id, employee_id, rating}`
//! when an employee rates a held session (matching learns from it).
//!
//! Consumed: `matching.consultant_changed.v1` — keeps the consultant's join
//! link (their meeting-room URL) for new bookings; `identity.contact_changed.v1`
//! `{user_id, email, display_name}` — where to send booking emails.

use std::sync::Arc;

use anyhow::Context;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use shared::events::{BoxFuture, Event, EventHandler, InProcessBus};
use shared::ids::{OrgId, UserId};
use shared::time;
use sqlx::AnyConnection;

use crate::{BookingState, INBOX, OUTBOX, store};

/// Topic booking emits for matching.
pub const AVAILABILITY_CHANGED: &str = "booking.availability_changed.v1";
/// Topic booking emits for matching when an employee rates a session.
pub const SESSION_RATED: &str = "booking.session_rated.v1";
/// Topic booking consumes from identity: someone's address and name.
pub const CONTACT_CHANGED: &str = "identity.contact_changed.v1";
/// Topic booking consumes from matching.
pub const CONSULTANT_CHANGED: &str = "matching.consultant_changed.v1";

/// The consultant's next bookable start within the next 30 days, if any.
pub async fn next_available(
    conn: &mut AnyConnection,
    consultant: UserId,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<DateTime<Utc>>> {
    let Some(a) = store::load_availability(conn, consultant).await? else {
        return Ok(None);
    };
    let Some(&shortest) = a.session_minutes.iter().min() else {
        return Ok(None);
    };
    let to = now + Duration::days(30);
    let busy = store::busy(
        conn,
        consultant,
        now - Duration::days(1),
        to + Duration::days(1),
    )
    .await?;
    Ok(a.slots(now, to, shortest, &busy, now)
        .first()
        .map(|s| s.start))
}

/// Writes the availability summary for matching, in the caller's transaction.
pub async fn enqueue_availability(
    conn: &mut AnyConnection,
    consultant: UserId,
) -> anyhow::Result<()> {
    let next = next_available(conn, consultant, time::now()).await?;
    OUTBOX
        .enqueue(
            conn,
            AVAILABILITY_CHANGED,
            &json!({ "consultant_id": consultant, "next_available_at": next }),
        )
        .await?;
    Ok(())
}

#[derive(Debug, Serialize, Deserialize)]
struct ConsultantChanged {
    consultant_id: UserId,
    #[serde(default)]
    profile: Option<ProfileSummary>,
}

#[derive(Debug, Serialize, Deserialize)]
struct ProfileSummary {
    meeting_url: Option<String>,
}

struct Handler(BookingState);

impl Handler {
    async fn apply(&self, event: &Event) -> anyhow::Result<()> {
        let e: ConsultantChanged =
            serde_json::from_value(event.payload.clone()).context("payload")?;
        let Some(profile) = e.profile else {
            return Ok(());
        };
        let mut tx = self.0.db.begin_write().await?;
        if INBOX.claim(&mut tx, "booking.join_links", event).await? {
            store::set_meeting_url(
                &mut tx,
                e.consultant_id,
                profile.meeting_url.as_deref(),
                time::to_db(time::now()),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

impl EventHandler for Handler {
    fn handle<'a>(&'a self, event: &'a Event) -> BoxFuture<'a> {
        Box::pin(self.apply(event))
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct ContactChanged {
    user_id: UserId,
    #[serde(default)]
    org_id: Option<OrgId>,
    email: String,
    display_name: String,
    #[serde(default)]
    cohort: Option<serde_json::Value>,
}

struct Contacts(BookingState);

impl Contacts {
    async fn apply(&self, event: &Event) -> anyhow::Result<()> {
        let c: ContactChanged = serde_json::from_value(event.payload.clone()).context("payload")?;
        let mut conn = self.0.db.pool().acquire().await?;
        let cohort = c
            .cohort
            .filter(serde_json::Value::is_object)
            .map(|v| v.to_string());
        store::save_contact(
            &mut conn,
            &store::NewContact {
                user: c.user_id,
                org: c.org_id,
                email: c.email,
                display_name: c.display_name,
                cohort,
            },
            time::to_db(time::now()),
        )
        .await
    }
}

impl EventHandler for Contacts {
    fn handle<'a>(&'a self, event: &'a Event) -> BoxFuture<'a> {
        Box::pin(self.apply(event))
    }
}

/// Subscribes booking's consumers to the bus.
pub fn subscribe(bus: &InProcessBus, state: &BookingState, mailer: shared::mail::Mailer) {
    bus.subscribe(
        CONSULTANT_CHANGED,
        "booking.join_links",
        Arc::new(Handler(state.clone())),
    );
    bus.subscribe(
        CONTACT_CHANGED,
        "booking.contacts",
        Arc::new(Contacts(state.clone())),
    );
    bus.subscribe(
        crate::notify::TOPIC,
        "booking.notifier",
        crate::notify::notifier(state.clone(), mailer),
    );
}
