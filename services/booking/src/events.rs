//! Booking's consumers, wired to the bus. The contracts live in
//! `shared::contracts`; what booking emits is written by the use cases
//! (`crate::booking::announce_availability`, `crate::handoff`, the rating).
//!
//! Consumed: [`shared::contracts::ConsultantChanged`] — the consultant's
//! standing (`crate::standing`); [`shared::contracts::TaxonomyChanged`] —
//! which themes a record may carry (`crate::taxonomy`); [`ContactChanged`] —
//! where to send booking emails, and names to keep out of summaries.

use std::sync::Arc;

use anyhow::Context;
use shared::contracts::ContactChanged;
use shared::events::{Consumes, Delivery, Received, SubscribeTo, Subscriber};
use shared::time;

use crate::{BookingState, store};

struct Contacts(BookingState);

impl Consumes<ContactChanged> for Contacts {
    async fn consume(&self, event: Received<ContactChanged>) -> anyhow::Result<()> {
        let c = event.payload;
        let mut conn = self.0.db.pool().acquire().await?;
        let cohort = c
            .cohort
            .map(|c| serde_json::to_string(&c))
            .transpose()
            .context("writing the cohort")?;
        store::save_contact(
            &mut conn,
            &store::NewContact {
                user: c.user_id,
                org: c.org_id,
                email: c.email,
                display_name: c.display_name,
                cohort,
                name: store::PersonName {
                    full_name: c.full_name,
                    reading: c.name_reading,
                },
            },
            time::to_db(time::now()),
        )
        .await
    }
}

/// Subscribes booking's consumers to the bus.
pub fn subscribe(bus: &dyn Subscriber, state: &BookingState, mailer: shared::mail::Mailer) {
    crate::standing::subscribe(bus, state);
    crate::taxonomy::subscribe(bus, state);
    bus.subscribe_to::<ContactChanged, _>(
        "booking.contacts",
        Delivery::OneReplica,
        Arc::new(Contacts(state.clone())),
    );
    crate::privacy::subscribe(bus, state);
    crate::notify::subscribe(bus, state.clone(), mailer);
}
