//! Matching's events. The contracts live in `shared::contracts`.
//!
//! Emitted (in the same transaction as the change):
//! [`ConsultantChanged`] — a profile, approval or values vector changed.
//! Every matching replica reloads that consultant into its in-memory
//! indexes; booking and identity keep the consultant's standing.
//!
//! Consumed from booking: [`AvailabilityChanged`] (the consultant's next free
//! time, for "available soon") and [`SessionRated`] (an employee rated a held
//! session: the Bayesian rating, and the ranking weights learned from it;
//! and, in a durable consumer of its own, a rating of
//! [`crate::preferences::LOW_RATING`] or less takes that consultant out of
//! the employee's future matches).

use std::sync::Arc;

use shared::contracts::{AvailabilityChanged, ConsultantChanged, SessionRated};
use shared::events::{Consumes, Delivery, Received, SubscribeTo, Subscriber};
use shared::time;

use crate::domain::profile::ConsultantId;
use crate::{MatchingState, store};

/// Keeps this replica's in-memory indexes current.
struct Index(MatchingState);

impl Consumes<ConsultantChanged> for Index {
    async fn consume(&self, event: Received<ConsultantChanged>) -> anyhow::Result<()> {
        let state = &self.0;
        let consultant = event.payload.consultant_id;
        let id = ConsultantId(consultant.0);
        state.refresh_consultant(id).await?;
        let mut conn = state.db.pool().acquire().await?;
        if let Some((_, v)) = store::latest_vector(&mut conn, consultant).await? {
            state.index.set_vector(id, v.matching_form());
        }
        Ok(())
    }
}

impl Consumes<AvailabilityChanged> for Index {
    async fn consume(&self, event: Received<AvailabilityChanged>) -> anyhow::Result<()> {
        let state = &self.0;
        let e = event.payload;
        let id = ConsultantId(e.consultant_id.0);
        let mut conn = state.db.pool().acquire().await?;
        if store::set_next_available(&mut conn, id, e.next_available_at.map(time::to_db)).await? {
            // Not searchable: the in-memory index is enough (no search re-index).
            if let Some(record) = store::find_consultant(&mut conn, id).await? {
                state.index.upsert(record);
            }
        }
        Ok(())
    }
}

impl Consumes<SessionRated> for Index {
    async fn consume(&self, event: Received<SessionRated>) -> anyhow::Result<()> {
        let state = &self.0;
        let e = event.payload;
        anyhow::ensure!((1..=5).contains(&e.rating), "rating out of range");
        let consultant = ConsultantId(e.consultant_id.0);
        let mut conn = state.db.pool().acquire().await?;
        store::insert_rating(
            &mut conn,
            &event.id.to_string(),
            consultant,
            e.employee_id,
            i64::from(e.rating),
            time::to_db(event.occurred_at),
        )
        .await?;
        // Released in groups: one person's rating alone changes nothing
        // another employee's matches show.
        store::release_ratings_if_enough(
            &mut conn,
            consultant,
            crate::domain::ranking::RATINGS_RELEASED_FROM,
            time::to_db(time::now()),
        )
        .await?;
        // From the table, not `+ rating`: every replica sees every rating
        // event but only one inserts it, and all must agree.
        let (total, count) = store::rating_total_of(&mut conn, consultant).await?;
        state.index.set_ratings(
            consultant,
            total as f32,
            u32::try_from(count).unwrap_or(u32::MAX),
        );
        Ok(())
    }
}

/// Takes a consultant rated low out of that employee's matches.
struct Rematch(MatchingState);

impl Consumes<SessionRated> for Rematch {
    async fn consume(&self, event: Received<SessionRated>) -> anyhow::Result<()> {
        let e = event.payload;
        if e.rating <= crate::preferences::LOW_RATING {
            crate::preferences::exclude(&self.0, e.employee_id, ConsultantId(e.consultant_id.0))
                .await?;
        }
        Ok(())
    }
}

/// Subscribes matching's consumers to the bus.
pub fn subscribe(bus: &dyn Subscriber, state: &MatchingState) {
    // Every replica keeps its own in-memory index.
    let index = Arc::new(Index(state.clone()));
    bus.subscribe_to::<ConsultantChanged, _>(
        "matching.index",
        Delivery::EveryReplica,
        index.clone(),
    );
    bus.subscribe_to::<AvailabilityChanged, _>(
        "matching.index",
        Delivery::EveryReplica,
        index.clone(),
    );
    bus.subscribe_to::<SessionRated, _>("matching.index", Delivery::EveryReplica, index);
    // A session that did not help: that consultant is not proposed to this
    // employee again. A durable consumer (one replica, from where it left
    // off), so a rating made while matching was down still takes effect.
    bus.subscribe_to::<SessionRated, _>(
        "matching.rematch",
        Delivery::OneReplica,
        Arc::new(Rematch(state.clone())),
    );
    crate::privacy::subscribe(bus, state);
}
