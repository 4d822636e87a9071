//! The transactional outbox and idempotent consumers, on both backends: an
//! event exists exactly when its transaction commits, is delivered at least
//! once (also after a failure or a restart), and applies once.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use shared::contracts::Contract;
use shared::db::Db;
use shared::events::{
    Consumes, Delivery, Dispatcher, InProcessBus, Inbox, Outbox, Received, SubscribeTo, Wakeup,
};
use taiwa_tests::{Backend, TestDb, on_both_backends};

const OUTBOX: Outbox = Outbox::new("booking_outbox");
const INBOX: Inbox = Inbox::new("reporting_inbox");

/// The contract these tests publish.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct SomethingHappened {
    n: u32,
}

impl Contract for SomethingHappened {
    const TOPIC: &'static str = "test.something_happened.v1";
}

/// Counts applications, guarded by the consumer's inbox; can be told to fail.
struct Consumer {
    db: Db,
    applied: AtomicUsize,
    calls: AtomicUsize,
    fail_first: usize,
}

impl Consumes<SomethingHappened> for Consumer {
    async fn consume(&self, event: Received<SomethingHappened>) -> anyhow::Result<()> {
        let call = self.calls.fetch_add(1, Ordering::SeqCst);
        anyhow::ensure!(call >= self.fail_first, "simulated failure {call}");
        anyhow::ensure!(event.payload.n == 1, "the payload arrives as it was sent");
        let mut tx = self.db.begin_write().await?;
        if INBOX.claim(&mut tx, "test.consumer", event.id).await? {
            self.applied.fetch_add(1, Ordering::SeqCst);
        }
        tx.commit().await?;
        Ok(())
    }
}

/// The counting consumer, subscribed on an in-process bus.
fn subscribed(db: &Db, fail_first: usize) -> (Arc<Consumer>, Arc<InProcessBus>) {
    let consumer = Arc::new(Consumer {
        db: db.clone(),
        applied: AtomicUsize::new(0),
        calls: AtomicUsize::new(0),
        fail_first,
    });
    let bus = Arc::new(InProcessBus::default());
    bus.subscribe_to::<SomethingHappened, _>(
        "test.consumer",
        Delivery::OneReplica,
        consumer.clone(),
    );
    (consumer, bus)
}

fn setup(db: &Db, fail_first: usize) -> (Arc<Consumer>, Dispatcher) {
    let (consumer, bus) = subscribed(db, fail_first);
    (
        consumer,
        Dispatcher::new(db.clone(), vec![OUTBOX], bus, Wakeup::default()),
    )
}

async fn enqueue(db: &Db, commit: bool) {
    let mut tx = db.begin_write().await.expect("tx");
    OUTBOX
        .publish(&mut tx, &SomethingHappened { n: 1 })
        .await
        .expect("enqueue");
    if commit {
        tx.commit().await.expect("commit");
    } else {
        tx.rollback().await.expect("rollback");
    }
}

on_both_backends!(
    only_committed_events_are_delivered,
    a_payload_that_breaks_its_contract_is_kept_and_never_applied,
    a_failed_delivery_is_retried_and_applies_once,
    events_survive_a_restart,
    the_running_dispatcher_is_woken_by_writers,
    one_wake_up_drains_a_backlog_of_many_rounds,
);

async fn only_committed_events_are_delivered(backend: Backend) {
    let t = TestDb::fresh(backend).await;
    let (consumer, dispatcher) = setup(&t.db, 0);
    enqueue(&t.db, false).await;
    assert_eq!(dispatcher.dispatch_due().await.expect("dispatch"), 0);
    enqueue(&t.db, true).await;
    assert_eq!(dispatcher.dispatch_due().await.expect("dispatch"), 1);
    assert_eq!(
        dispatcher.dispatch_due().await.expect("dispatch"),
        0,
        "published events are not sent again"
    );
    assert_eq!(consumer.applied.load(Ordering::SeqCst), 1);
    assert_eq!(OUTBOX.pending_count(&t.db).await.expect("pending"), 0);
}

/// A row whose payload does not parse as its topic's contract (a producer
/// that broke the contract) fails delivery: it stays in the outbox with the
/// consumer's name, and the consumer never sees a half-parsed value.
async fn a_payload_that_breaks_its_contract_is_kept_and_never_applied(backend: Backend) {
    let t = TestDb::fresh(backend).await;
    let (consumer, dispatcher) = setup(&t.db, 0);
    sqlx::query(
        "INSERT INTO booking_outbox (id, topic, payload, created_at, attempts, next_attempt_at) VALUES ($1, $2, $3, 0, 0, 0)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(SomethingHappened::TOPIC)
    .bind(r#"{"n": "one"}"#)
    .execute(t.db.pool())
    .await
    .expect("insert");
    assert_eq!(dispatcher.dispatch_due().await.expect("dispatch"), 0);
    assert_eq!(consumer.calls.load(Ordering::SeqCst), 0);
    assert_eq!(OUTBOX.pending_count(&t.db).await.expect("pending"), 1);
    let error: Option<String> = sqlx::query_scalar("SELECT last_error FROM booking_outbox")
        .fetch_one(t.db.pool())
        .await
        .expect("row");
    assert!(
        error.is_some_and(|e| e.contains("test.consumer")),
        "the outbox says whose delivery failed"
    );
}

async fn a_failed_delivery_is_retried_and_applies_once(backend: Backend) {
    let t = TestDb::fresh(backend).await;
    let (consumer, dispatcher) = setup(&t.db, 1);
    enqueue(&t.db, true).await;
    assert_eq!(
        dispatcher.dispatch_due().await.expect("dispatch"),
        0,
        "the first attempt fails"
    );
    assert_eq!(
        OUTBOX.pending_count(&t.db).await.expect("pending"),
        1,
        "and the event is kept"
    );
    assert_eq!(
        dispatcher.dispatch_due().await.expect("dispatch"),
        0,
        "backing off: not due yet"
    );
    let (attempts, error): (i64, Option<String>) =
        sqlx::query_as("SELECT attempts, last_error FROM booking_outbox")
            .fetch_one(t.db.pool())
            .await
            .expect("row");
    assert_eq!(attempts, 1);
    assert!(error.is_some_and(|e| e.contains("test.consumer")));
    sqlx::query("UPDATE booking_outbox SET next_attempt_at = 0")
        .execute(t.db.pool())
        .await
        .expect("make due");
    assert_eq!(dispatcher.dispatch_due().await.expect("dispatch"), 1);
    assert_eq!(consumer.applied.load(Ordering::SeqCst), 1);

    // At-least-once means a consumer may see an event again: it applies once.
    let event: (String,) = sqlx::query_as("SELECT id FROM booking_outbox")
        .fetch_one(t.db.pool())
        .await
        .expect("id");
    let again = Received {
        id: event.0.parse().expect("uuid"),
        occurred_at: chrono::Utc::now(),
        payload: SomethingHappened { n: 1 },
    };
    consumer.consume(again.clone()).await.expect("redelivery");
    consumer.consume(again).await.expect("redelivery");
    assert_eq!(consumer.applied.load(Ordering::SeqCst), 1);
}

async fn events_survive_a_restart(backend: Backend) {
    let t = TestDb::fresh(backend).await;
    enqueue(&t.db, true).await;
    enqueue(&t.db, true).await;
    // "Crash": nothing was dispatched; the pool goes away.
    t.db.close().await;
    let reopened = Db::connect(&t.url).await.expect("reconnect");
    let (consumer, dispatcher) = setup(&reopened, 0);
    assert_eq!(dispatcher.dispatch_due().await.expect("dispatch"), 2);
    assert_eq!(consumer.applied.load(Ordering::SeqCst), 2);
    reopened.close().await;
}

async fn the_running_dispatcher_is_woken_by_writers(backend: Backend) {
    let t = TestDb::fresh(backend).await;
    let (consumer, bus) = subscribed(&t.db, 0);
    let wakeup = Wakeup::default();
    let dispatcher = Dispatcher::new(t.db.clone(), vec![OUTBOX], bus, wakeup.clone());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(dispatcher.run(async move {
        let _ = stopped.await;
    }));
    enqueue(&t.db, true).await;
    wakeup.wake();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while consumer.applied.load(Ordering::SeqCst) == 0 {
        assert!(tokio::time::Instant::now() < deadline, "not delivered");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let _ = stop.send(());
    tokio::time::timeout(Duration::from_secs(5), running)
        .await
        .expect("stops on shutdown")
        .expect("join");
}

/// A backlog larger than a round, written while the dispatcher sleeps, is
/// delivered after a single wake-up, round after round, without waiting for
/// the next poll (before, each wake-up delivered one round of 100 and the
/// rest waited for the poll: a backlog drained at about 200 events a
/// second); and nothing is delivered while no one wakes it.
async fn one_wake_up_drains_a_backlog_of_many_rounds(backend: Backend) {
    let t = TestDb::fresh(backend).await;
    let (consumer, bus) = subscribed(&t.db, 0);
    let backlog = 1_100;
    let wakeup = Wakeup::default();
    // Polling so rarely that only the wake-up below can deliver anything.
    let dispatcher = Dispatcher::new(t.db.clone(), vec![OUTBOX], bus, wakeup.clone())
        .polling_every(Duration::from_secs(3600));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(dispatcher.run(async move {
        let _ = stopped.await;
    }));
    // Its first round finds the outbox empty; then it sleeps.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut tx = t.db.begin_write().await.expect("tx");
    for _ in 0..backlog {
        OUTBOX
            .publish(&mut tx, &SomethingHappened { n: 1 })
            .await
            .expect("publish");
    }
    tx.commit().await.expect("commit");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        consumer.applied.load(Ordering::SeqCst),
        0,
        "nothing is delivered until someone wakes the dispatcher"
    );
    wakeup.wake();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
    // Delivered, and the last round marked as such (after its deliveries).
    while consumer.applied.load(Ordering::SeqCst) < backlog
        || OUTBOX.pending_count(&t.db).await.expect("pending") > 0
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "{} of {backlog} delivered after one wake-up",
            consumer.applied.load(Ordering::SeqCst)
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(consumer.applied.load(Ordering::SeqCst), backlog);
    let _ = stop.send(());
    tokio::time::timeout(Duration::from_secs(30), running)
        .await
        .expect("stops on shutdown")
        .expect("join");
}
