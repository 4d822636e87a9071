//! The transactional outbox, the consumers' inbox, and the dispatcher that
//! moves events from outboxes to the bus.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::Context;
use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, Row};
use tokio::sync::Notify;

use crate::contracts::Contract;
use crate::db::{Backend, Db};
use crate::ids::EventId;
use crate::time;

use super::{Event, EventBus};

/// An event as its outbox row holds it, before it is written.
#[derive(Clone, Debug)]
pub struct OutboxEntry {
    /// The event's id (the consumers' inbox deduplicates by it).
    pub id: EventId,
    /// Its contract's topic.
    pub topic: &'static str,
    /// Its JSON.
    pub payload: String,
}

/// A service's outbox table.
#[derive(Clone, Copy, Debug)]
pub struct Outbox {
    table: &'static str,
}

impl Outbox {
    /// The outbox stored in `table` (e.g. `identity_outbox`).
    pub const fn new(table: &'static str) -> Self {
        Self { table }
    }

    /// Its table's name (a fixed word: metrics label backlogs with it).
    pub const fn table(&self) -> &'static str {
        self.table
    }

    /// The row `event` becomes in this outbox: its id, topic and payload.
    /// [`Outbox::publish`] writes it; a use case that writes its change in
    /// one statement includes it there instead (`created_at` and
    /// `next_attempt_at` are the time of writing, `attempts` 0).
    pub fn entry<C: Contract>(&self, event: &C) -> anyhow::Result<OutboxEntry> {
        Ok(OutboxEntry {
            id: EventId::new(),
            topic: C::TOPIC,
            payload: serde_json::to_string(event)
                .with_context(|| format!("serializing a {} event", C::TOPIC))?,
        })
    }

    /// Writes `event` on `conn`, which should be inside the transaction that
    /// makes the change the event describes.
    pub async fn publish<C: Contract>(
        &self,
        conn: &mut AnyConnection,
        event: &C,
    ) -> anyhow::Result<EventId> {
        let entry = self.entry(event)?;
        let now = time::to_db(time::now());
        let sql = format!(
            "INSERT INTO {} (id, topic, payload, created_at, attempts, next_attempt_at) VALUES ($1, $2, $3, $4, 0, $4)",
            self.table
        );
        sqlx::query(&sql)
            .bind(entry.id.to_string())
            .bind(entry.topic)
            .bind(entry.payload)
            .bind(now)
            .execute(conn)
            .await
            .context("writing to the outbox")?;
        Ok(entry.id)
    }

    /// Due events; with `claim`, locked for this transaction and skipped by
    /// other replicas' dispatchers (PostgreSQL's `FOR UPDATE SKIP LOCKED`).
    async fn due(
        &self,
        conn: &mut AnyConnection,
        limit: i64,
        claim: bool,
    ) -> anyhow::Result<Vec<Event>> {
        let sql = format!(
            "SELECT id, topic, payload, created_at FROM {} WHERE published_at IS NULL AND next_attempt_at <= $1 ORDER BY id LIMIT $2{}",
            self.table,
            if claim { " FOR UPDATE SKIP LOCKED" } else { "" }
        );
        let rows = sqlx::query(&sql)
            .bind(time::to_db(time::now()))
            .bind(limit)
            .fetch_all(conn)
            .await
            .context("reading the outbox")?;
        rows.iter()
            .map(|row| {
                let id: String = row.try_get("id")?;
                let payload: String = row.try_get("payload")?;
                Ok(Event {
                    id: id.parse().context("outbox id")?,
                    topic: row.try_get("topic")?,
                    payload: serde_json::from_str(&payload).context("outbox payload")?,
                    occurred_at: time::from_db(row.try_get("created_at")?),
                })
            })
            .collect()
    }

    /// Marks a round's delivered events published in one statement.
    async fn mark_published(
        &self,
        conn: &mut AnyConnection,
        ids: &[EventId],
    ) -> anyhow::Result<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let placeholders: Vec<String> = (2..ids.len() + 2).map(|i| format!("${i}")).collect();
        let sql = format!(
            "UPDATE {} SET published_at = $1, last_error = NULL WHERE id IN ({})",
            self.table,
            placeholders.join(", ")
        );
        let mut query = sqlx::query(&sql).bind(time::to_db(time::now()));
        for id in ids {
            query = query.bind(id.to_string());
        }
        query
            .execute(conn)
            .await
            .context("marking events published")?;
        Ok(())
    }

    async fn mark_failed(
        &self,
        conn: &mut AnyConnection,
        id: EventId,
        error: &str,
    ) -> anyhow::Result<()> {
        let sql = format!("SELECT attempts FROM {} WHERE id = $1", self.table);
        let attempts: i64 = sqlx::query_scalar(&sql)
            .bind(id.to_string())
            .fetch_one(&mut *conn)
            .await?;
        // 1 s … 32 s: after an outage events flow again within half a minute.
        let backoff_secs = 1i64 << attempts.clamp(0, 5);
        let next = time::to_db(time::now()) + backoff_secs * 1000;
        let sql = format!(
            "UPDATE {} SET attempts = attempts + 1, next_attempt_at = $1, last_error = $2 WHERE id = $3",
            self.table
        );
        let error: String = error.chars().take(500).collect();
        sqlx::query(&sql)
            .bind(next)
            .bind(error)
            .bind(id.to_string())
            .execute(conn)
            .await
            .context("recording a failed delivery")?;
        Ok(())
    }

    /// Events not yet published (for metrics and tests).
    pub async fn pending_count(&self, db: &Db) -> anyhow::Result<i64> {
        let sql = format!(
            "SELECT COUNT(*) FROM {} WHERE published_at IS NULL",
            self.table
        );
        Ok(sqlx::query_scalar(&sql).fetch_one(db.pool()).await?)
    }

    async fn prune_published(&self, db: &Db, older_than: Duration) -> anyhow::Result<()> {
        let cutoff = time::to_db(time::now()) - i64::try_from(older_than.as_millis())?;
        let sql = format!(
            "DELETE FROM {} WHERE published_at IS NOT NULL AND published_at < $1",
            self.table
        );
        sqlx::query(&sql).bind(cutoff).execute(db.pool()).await?;
        Ok(())
    }
}

/// A consumer's record of the events it has already applied.
#[derive(Clone, Copy, Debug)]
pub struct Inbox {
    table: &'static str,
}

impl Inbox {
    /// The inbox stored in `table` (e.g. `reporting_inbox`).
    pub const fn new(table: &'static str) -> Self {
        Self { table }
    }

    /// Claims event `id` for `consumer` on `conn` (inside the consumer's
    /// transaction). `false` means it was applied before: skip it.
    pub async fn claim(
        &self,
        conn: &mut AnyConnection,
        consumer: &str,
        id: EventId,
    ) -> anyhow::Result<bool> {
        let sql = format!(
            "INSERT INTO {} (consumer, event_id, processed_at) VALUES ($1, $2, $3) ON CONFLICT (consumer, event_id) DO NOTHING",
            self.table
        );
        let done = sqlx::query(&sql)
            .bind(consumer)
            .bind(id.to_string())
            .bind(time::to_db(time::now()))
            .execute(conn)
            .await
            .context("claiming an event in the inbox")?;
        Ok(done.rows_affected() == 1)
    }
}

/// Lets writers wake the dispatcher right after they commit.
#[derive(Clone, Debug, Default)]
pub struct Wakeup(Arc<Notify>);

impl Wakeup {
    /// Asks the dispatcher to look at the outboxes now.
    pub fn wake(&self) {
        self.0.notify_one();
    }
}

/// Moves events from outboxes to the bus.
pub struct Dispatcher {
    db: Db,
    outboxes: Vec<Outbox>,
    bus: Arc<dyn EventBus>,
    wakeup: Wakeup,
    poll_every: Duration,
    /// Set when shutdown begins: a round stops after the event in hand.
    stopping: AtomicBool,
}

/// Most events an outbox delivers in one round.
const ROUND: i64 = 500;

/// How long published events are kept for inspection.
const KEEP_PUBLISHED: Duration = Duration::from_secs(7 * 24 * 3600);

impl Dispatcher {
    /// A dispatcher over `outboxes` that publishes to `bus`.
    pub fn new(db: Db, outboxes: Vec<Outbox>, bus: Arc<dyn EventBus>, wakeup: Wakeup) -> Self {
        Self {
            db,
            outboxes,
            bus,
            wakeup,
            poll_every: Duration::from_millis(500),
            stopping: AtomicBool::new(false),
        }
    }

    /// How long the running dispatcher sleeps when nothing wakes it (500 ms
    /// unless set).
    pub fn polling_every(mut self, every: Duration) -> Self {
        self.poll_every = every;
        self
    }

    /// Publishes the due events of each outbox, up to [`ROUND`] each;
    /// returns how many were published and whether any outbox had more.
    ///
    /// On PostgreSQL the round runs in a transaction that claims its rows
    /// with `FOR UPDATE SKIP LOCKED`, so replicas of a service share the
    /// outbox without publishing an event twice; a crash mid-round releases
    /// the claim and the rows are published again (consumers are idempotent).
    /// A round's deliveries are marked in one statement: on SQLite, where
    /// every write queues for the one writer, one write per round instead of
    /// one per event.
    pub async fn dispatch_due(&self) -> anyhow::Result<usize> {
        Ok(self.dispatch_round().await?.0)
    }

    async fn dispatch_round(&self) -> anyhow::Result<(usize, bool)> {
        let mut published = 0;
        let mut more = false;
        for outbox in &self.outboxes {
            if self.stopping.load(Ordering::Relaxed) {
                break;
            }
            let (written_at, full) = match self.db.backend() {
                Backend::Postgres => {
                    let mut tx = self
                        .db
                        .pool()
                        .begin()
                        .await
                        .context("starting an outbox round")?;
                    let round = self.round(outbox, &mut tx, true).await?;
                    tx.commit().await.context("ending an outbox round")?;
                    round
                }
                Backend::Sqlite => {
                    let mut conn = self.db.pool().acquire().await?;
                    self.round(outbox, &mut conn, false).await?
                }
            };
            // Counted once the round is marked published (and committed).
            for at in &written_at {
                crate::telemetry::business::delivered(outbox.table, *at);
            }
            published += written_at.len();
            more |= full;
        }
        Ok((published, more))
    }

    async fn round(
        &self,
        outbox: &Outbox,
        conn: &mut AnyConnection,
        claim: bool,
    ) -> anyhow::Result<(Vec<DateTime<Utc>>, bool)> {
        let due = outbox.due(conn, ROUND, claim).await?;
        let full = i64::try_from(due.len()).unwrap_or(0) >= ROUND;
        let mut delivered = Vec::with_capacity(due.len());
        let mut stopped = false;
        for event in &due {
            if self.stopping.load(Ordering::Relaxed) {
                // Shutting down: what was delivered is marked below, the rest
                // waits in the outbox for the next start.
                stopped = true;
                break;
            }
            match self.bus.publish(event).await {
                Ok(()) => delivered.push((event.id, event.occurred_at)),
                Err(err) => {
                    outbox
                        .mark_failed(conn, event.id, &format!("{err:#}"))
                        .await?;
                    // The bus is likely away: leave the rest for the next round.
                    stopped = true;
                    break;
                }
            }
        }
        let ids: Vec<EventId> = delivered.iter().map(|(id, _)| *id).collect();
        outbox.mark_published(conn, &ids).await?;
        let written_at = delivered.into_iter().map(|(_, at)| at).collect();
        Ok((written_at, full && !stopped))
    }

    /// Runs until `shutdown` resolves, then finishes the event in hand,
    /// marks what its round delivered, and stops (a round of hundreds of
    /// events would otherwise hold a stopping process for seconds).
    pub async fn run(self, shutdown: impl Future<Output = ()> + Send) {
        tokio::pin!(shutdown);
        let mut rounds: u64 = 0;
        loop {
            // A full round means more are waiting: go on at once rather than
            // wait for the next wake-up (a backlog drains at full speed after
            // the load that made it stops).
            let round = self.dispatch_round();
            tokio::pin!(round);
            let mut shutting_down = false;
            let result = tokio::select! {
                result = &mut round => result,
                () = &mut shutdown => {
                    shutting_down = true;
                    self.stopping.store(true, Ordering::Relaxed);
                    round.await
                }
            };
            if shutting_down {
                if let Err(err) = result {
                    tracing::warn!(error = %format!("{err:#}"), "the last event round failed; its events wait for the next start");
                }
                break;
            }
            let more = match result {
                Ok((_, more)) => more,
                Err(err) => {
                    tracing::warn!(error = %format!("{err:#}"), "event dispatch round failed; will retry");
                    false
                }
            };
            rounds += 1;
            if rounds.is_multiple_of(7200) {
                for outbox in &self.outboxes {
                    if let Err(err) = outbox.prune_published(&self.db, KEEP_PUBLISHED).await {
                        tracing::warn!(error = %format!("{err:#}"), "pruning the outbox failed");
                    }
                }
            }
            if more {
                tokio::select! {
                    biased;
                    () = &mut shutdown => break,
                    () = tokio::task::yield_now() => continue,
                }
            }
            tokio::select! {
                () = &mut shutdown => break,
                () = self.wakeup.0.notified() => {}
                () = tokio::time::sleep(self.poll_every) => {}
            }
        }
    }
}
