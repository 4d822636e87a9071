//! Intake of booking's de-identified hand-off ([`SessionShared`]), of its
//! usage records ([`SessionClosed`]) and of identity's cohort sizes
//! ([`CohortSizes`]). Idempotent on the event id. Nothing here can identify
//! a person: the events carry none of the ids or times that could.

use std::sync::Arc;

use anyhow::Context;
use shared::contracts::{CohortSizes, SessionClosed, SessionShared};
use shared::events::{Consumes, Delivery, Received, SubscribeTo, Subscriber};
use shared::quarters::Quarter;
use shared::time;

use crate::ReportingState;
use crate::store::{self, NewRecord};

/// Whether a hand-off for `period` (`YYYY-MM`) arrives after its quarter was
/// released. Booking hands late records to the open quarter; one that still
/// arrives late (its event was held up past the release) is dropped, since a
/// released quarter never changes.
fn arrived_too_late(period: &str, what: &str) -> anyhow::Result<bool> {
    let quarter = Quarter::of_month(period).context("period must be YYYY-MM")?;
    let late = quarter.is_released(time::now());
    if late {
        tracing::warn!(quarter = %quarter.name(), what, "a hand-off for a released quarter arrived late and was dropped");
    }
    Ok(late)
}

struct Intake(ReportingState);

impl Consumes<SessionShared> for Intake {
    async fn consume(&self, event: Received<SessionShared>) -> anyhow::Result<()> {
        let e = event.payload;
        if arrived_too_late(&e.period, "record")? {
            return Ok(());
        }
        let mut tx = self.0.db.begin_write().await?;
        let record = NewRecord {
            id: &event.id.to_string(),
            org_id: e.org_id,
            period: &e.period,
            pseudonym: &e.pseudonym,
            themes: &e.themes,
            summary: &e.summary,
            cohort: e
                .cohort
                .map(|c| serde_json::to_string(&c))
                .transpose()
                .context("writing the cohort")?,
            crisis_path: e.crisis_path,
        };
        store::record_session(
            &mut tx,
            self.0.db.backend(),
            &record,
            time::to_db(time::now()),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

struct Usage(ReportingState);

impl Consumes<SessionClosed> for Usage {
    async fn consume(&self, event: Received<SessionClosed>) -> anyhow::Result<()> {
        let e = event.payload;
        if arrived_too_late(&e.period, "usage")? {
            return Ok(());
        }
        let mut conn = self.0.db.pool().acquire().await?;
        store::insert_usage(
            &mut conn,
            &event.id.to_string(),
            e.org_id,
            &e.period,
            &e.pseudonym,
            e.outcome.as_str(),
            time::to_db(time::now()),
        )
        .await?;
        Ok(())
    }
}

struct Sizes(ReportingState);

impl Consumes<CohortSizes> for Sizes {
    async fn consume(&self, event: Received<CohortSizes>) -> anyhow::Result<()> {
        let e = event.payload;
        let mut tx = self.0.db.begin_write().await?;
        store::replace_cohort_sizes(&mut tx, e.org_id, &e.dimensions, e.as_of).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Subscribes reporting's intake to the bus.
pub fn subscribe(bus: &dyn Subscriber, state: &ReportingState) {
    bus.subscribe_to::<SessionShared, _>(
        "reporting.intake",
        Delivery::OneReplica,
        Arc::new(Intake(state.clone())),
    );
    bus.subscribe_to::<SessionClosed, _>(
        "reporting.usage",
        Delivery::OneReplica,
        Arc::new(Usage(state.clone())),
    );
    bus.subscribe_to::<CohortSizes, _>(
        "reporting.cohort_sizes",
        Delivery::OneReplica,
        Arc::new(Sizes(state.clone())),
    );
}
