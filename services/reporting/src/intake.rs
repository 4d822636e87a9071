//! Intake of booking's de-identified hand-off, `booking.session_shared.v1`
//! `{org_id, period, pseudonym, themes, summary, cohort, crisis_path}`, and of its usage
//! records, `booking.session_closed.v1` `{org_id, period, pseudonym,
//! outcome}`. Idempotent on the event id. Nothing here can identify a person: the event carries none of
//! the ids or times that could.

use std::sync::Arc;

use anyhow::Context;
use serde::Deserialize;
use shared::events::{BoxFuture, Event, EventHandler, Subscriber};
use shared::ids::OrgId;
use shared::quarters::Quarter;
use shared::time;

use crate::ReportingState;
use crate::store::{self, NewRecord};

/// The topic consumed.
pub const SESSION_SHARED: &str = "booking.session_shared.v1";

#[derive(Deserialize)]
struct SessionShared {
    org_id: OrgId,
    period: String,
    pseudonym: String,
    themes: Vec<String>,
    summary: String,
    cohort: Option<serde_json::Value>,
    /// The employee agreed to the crisis path for a sensitive theme.
    #[serde(default)]
    crisis_path: bool,
}

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

impl Intake {
    async fn apply(&self, event: &Event) -> anyhow::Result<()> {
        let e: SessionShared = serde_json::from_value(event.payload.clone()).context("payload")?;
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
            cohort: e.cohort.filter(|c| !c.is_null()).map(|c| c.to_string()),
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

impl EventHandler for Intake {
    fn handle<'a>(&'a self, event: &'a Event) -> BoxFuture<'a> {
        Box::pin(self.apply(event))
    }
}

/// The usage topic consumed.
pub const SESSION_CLOSED: &str = "booking.session_closed.v1";

#[derive(Deserialize)]
struct SessionClosed {
    org_id: OrgId,
    period: String,
    pseudonym: String,
    outcome: String,
}

struct Usage(ReportingState);

impl Usage {
    async fn apply(&self, event: &Event) -> anyhow::Result<()> {
        let e: SessionClosed = serde_json::from_value(event.payload.clone()).context("payload")?;
        if arrived_too_late(&e.period, "usage")? {
            return Ok(());
        }
        anyhow::ensure!(
            matches!(e.outcome.as_str(), "held" | "no_show"),
            "outcome must be held or no_show"
        );
        let mut conn = self.0.db.pool().acquire().await?;
        store::insert_usage(
            &mut conn,
            &event.id.to_string(),
            e.org_id,
            &e.period,
            &e.pseudonym,
            &e.outcome,
            time::to_db(time::now()),
        )
        .await?;
        Ok(())
    }
}

impl EventHandler for Usage {
    fn handle<'a>(&'a self, event: &'a Event) -> BoxFuture<'a> {
        Box::pin(self.apply(event))
    }
}

/// The cohort-size topic consumed.
pub const COHORT_SIZES: &str = "identity.cohort_sizes.v1";

#[derive(Deserialize)]
struct CohortSizesChanged {
    org_id: OrgId,
    as_of: i64,
    dimensions: store::CohortSizes,
}

struct Sizes(ReportingState);

impl Sizes {
    async fn apply(&self, event: &Event) -> anyhow::Result<()> {
        let e: CohortSizesChanged =
            serde_json::from_value(event.payload.clone()).context("payload")?;
        let mut tx = self.0.db.begin_write().await?;
        store::replace_cohort_sizes(&mut tx, e.org_id, &e.dimensions, e.as_of).await?;
        tx.commit().await?;
        Ok(())
    }
}

impl EventHandler for Sizes {
    fn handle<'a>(&'a self, event: &'a Event) -> BoxFuture<'a> {
        Box::pin(self.apply(event))
    }
}

/// Subscribes reporting's intake to the bus.
pub fn subscribe(bus: &dyn Subscriber, state: &ReportingState) {
    bus.subscribe(
        SESSION_SHARED,
        "reporting.intake",
        Arc::new(Intake(state.clone())),
    );
    bus.subscribe(
        SESSION_CLOSED,
        "reporting.usage",
        Arc::new(Usage(state.clone())),
    );
    bus.subscribe(
        COHORT_SIZES,
        "reporting.cohort_sizes",
        Arc::new(Sizes(state.clone())),
    );
}
