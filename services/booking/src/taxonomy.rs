//! Booking's copy of the theme taxonomy, kept from reporting's
//! `reporting.taxonomy_changed.v1` (the whole taxonomy after each change an
//! operator makes; an older version than the one held is ignored). A
//! session record's themes are checked against it.

use std::sync::Arc;

use shared::contracts::TaxonomyChanged;
use shared::db::Backend;
use shared::events::{Consumes, Delivery, Received, SubscribeTo, Subscriber};

use crate::{BookingState, store};

struct Taxonomy(BookingState);

impl Consumes<TaxonomyChanged> for Taxonomy {
    async fn consume(&self, event: Received<TaxonomyChanged>) -> anyhow::Result<()> {
        let e = event.payload;
        let postgres = self.0.db.backend() == Backend::Postgres;
        let mut tx = self.0.db.begin_write().await?;
        if store::replace_taxonomy(&mut tx, e.version, &e.themes, postgres).await? {
            tracing::info!(version = e.version, "theme taxonomy updated");
        }
        tx.commit().await?;
        Ok(())
    }
}

/// Subscribes booking to the taxonomy.
pub fn subscribe(bus: &dyn Subscriber, state: &BookingState) {
    bus.subscribe_to::<TaxonomyChanged, _>(
        "booking.taxonomy",
        Delivery::OneReplica,
        Arc::new(Taxonomy(state.clone())),
    );
}
