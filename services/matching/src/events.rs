//! Matching's event contracts.
//!
//! Emitted (in the same transaction as the change):
//! - `matching.consultant_changed.v1` `{consultant_id}` — a profile, approval
//!   or values vector changed. Every matching replica reloads that consultant
//!   into its in-memory indexes; booking may read the profile (join link).
//!
//! Consumed (contracts the booking service emits against):
//! - `booking.availability_changed.v1` `{consultant_id, next_available_at}`
//!   (RFC 3339 or null) — the consultant's next free slot, for "available soon".
//! - `booking.session_rated.v1` `{consultant_id, employee_id, rating}` (1–5) —
//!   an employee rated a held session; used for the Bayesian rating and to
//!   learn the ranking weights.

use std::sync::Arc;

use anyhow::Context;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use shared::events::{BoxFuture, Delivery, Event, EventHandler, Subscriber};
use shared::ids::UserId;
use shared::time;

use crate::domain::profile::ConsultantId;
use crate::{MatchingState, store};

/// Topic: a consultant changed.
pub const CONSULTANT_CHANGED: &str = <ConsultantChanged as Contract>::TOPIC;
/// Topic: booking's availability summary.
pub const AVAILABILITY_CHANGED: &str = "booking.availability_changed.v1";
/// Topic: an employee rated a session.
pub const SESSION_RATED: &str = "booking.session_rated.v1";

pub use shared::contracts::ConsultantChanged;
use shared::contracts::Contract;

/// Payload of `booking.availability_changed.v1`.
#[derive(Debug, Serialize, Deserialize)]
pub struct AvailabilityChanged {
    /// Whose availability.
    pub consultant_id: ConsultantId,
    /// The next bookable slot's start, if any within the horizon.
    pub next_available_at: Option<DateTime<Utc>>,
}

/// Payload of `booking.session_rated.v1`.
#[derive(Debug, Serialize, Deserialize)]
pub struct SessionRated {
    /// The consultant of the session.
    pub consultant_id: ConsultantId,
    /// The employee who rated it.
    pub employee_id: UserId,
    /// 1–5.
    pub rating: i64,
}

struct Handler(MatchingState);

impl Handler {
    async fn apply(&self, event: &Event) -> anyhow::Result<()> {
        let state = &self.0;
        match event.topic.as_str() {
            CONSULTANT_CHANGED => {
                let e: ConsultantChanged =
                    serde_json::from_value(event.payload.clone()).context("payload")?;
                let id = ConsultantId(e.consultant_id.0);
                state.refresh_consultant(id).await?;
                let mut conn = state.db.pool().acquire().await?;
                if let Some((_, v)) = store::latest_vector(&mut conn, e.consultant_id).await? {
                    state.index.set_vector(id, v.matching_form());
                }
            }
            AVAILABILITY_CHANGED => {
                let e: AvailabilityChanged =
                    serde_json::from_value(event.payload.clone()).context("payload")?;
                let mut conn = state.db.pool().acquire().await?;
                if store::set_next_available(
                    &mut conn,
                    e.consultant_id,
                    e.next_available_at.map(time::to_db),
                )
                .await?
                {
                    // Not searchable: the in-memory index is enough (no search re-index).
                    if let Some(record) = store::find_consultant(&mut conn, e.consultant_id).await?
                    {
                        state.index.upsert(record);
                    }
                }
            }
            SESSION_RATED => {
                let e: SessionRated =
                    serde_json::from_value(event.payload.clone()).context("payload")?;
                anyhow::ensure!((1..=5).contains(&e.rating), "rating out of range");
                let mut conn = state.db.pool().acquire().await?;
                let at = time::to_db(event.occurred_at);
                store::insert_rating(
                    &mut conn,
                    &event.id.to_string(),
                    e.consultant_id,
                    e.employee_id,
                    e.rating,
                    at,
                )
                .await?;
                // Released in groups: one person's rating alone changes
                // nothing another employee's matches show.
                store::release_ratings_if_enough(
                    &mut conn,
                    e.consultant_id,
                    crate::domain::ranking::RATINGS_RELEASED_FROM,
                    time::to_db(time::now()),
                )
                .await?;
                // From the table, not `+ rating`: every replica sees every
                // rating event but only one inserts it, and all must agree.
                let (total, count) = store::rating_total_of(&mut conn, e.consultant_id).await?;
                state.index.set_ratings(
                    e.consultant_id,
                    total as f32,
                    u32::try_from(count).unwrap_or(u32::MAX),
                );
            }
            _ => {}
        }
        Ok(())
    }
}

impl EventHandler for Handler {
    fn handle<'a>(&'a self, event: &'a Event) -> BoxFuture<'a> {
        Box::pin(self.apply(event))
    }
}

/// Subscribes matching's consumers to the bus.
pub fn subscribe(bus: &dyn Subscriber, state: &MatchingState) {
    let handler = Arc::new(Handler(state.clone()));
    for topic in [CONSULTANT_CHANGED, AVAILABILITY_CHANGED, SESSION_RATED] {
        // Every replica keeps its own in-memory index.
        bus.subscribe_with(
            topic,
            "matching.index",
            Delivery::EveryReplica,
            handler.clone(),
        );
    }
    crate::privacy::subscribe(bus, state);
}
