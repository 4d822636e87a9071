//! Events between services: a transactional outbox, a bus, and idempotent
//! consumers.
//!
//! A service writes an event into its own `<service>_outbox` table in the same
//! transaction as the change it describes ([`Outbox::publish`], taking a
//! [`Contract`]), so an event exists exactly when the change does. Consumers
//! implement [`Consumes`] for the contracts they read and subscribe with
//! [`SubscribeTo::subscribe_to`]. The [`Dispatcher`] reads pending rows
//! and hands them to an [`EventBus`] (in-process now; NATS JetStream behind the
//! same trait in the distributed mode). Delivery is at least once: a row is
//! marked published only after the bus accepted it, and retried with backoff
//! otherwise. Consumers make that safe with [`Inbox::claim`], which records the
//! event id in the consumer's own `<service>_inbox` table inside the
//! consumer's transaction, so a redelivered event has no second effect.

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::{Arc, RwLock};

use chrono::{DateTime, Utc};

use crate::contracts::Contract;
use crate::ids::EventId;

mod outbox;

pub use outbox::{Dispatcher, Inbox, Outbox, OutboxEntry, Wakeup};

/// One event as it travels.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// Unique id (time-ordered); consumers deduplicate on it.
    pub id: EventId,
    /// Dotted topic, e.g. `identity.invitation_created.v1`.
    pub topic: String,
    /// The payload, as JSON.
    pub payload: serde_json::Value,
    /// When the change happened.
    pub occurred_at: DateTime<Utc>,
}

/// A boxed future returned by handlers and buses.
pub type BoxFuture<'a> = Pin<Box<dyn Future<Output = anyhow::Result<()>> + Send + 'a>>;

/// Something that reacts to events.
pub trait EventHandler: Send + Sync + 'static {
    /// Handles one event. An error means "deliver it again later".
    fn handle<'a>(&'a self, event: &'a Event) -> BoxFuture<'a>;
}

/// Where the dispatcher publishes events.
pub trait EventBus: Send + Sync + 'static {
    /// Publishes one event; `Ok` means it will not be lost.
    fn publish<'a>(&'a self, event: &'a Event) -> BoxFuture<'a>;
}

/// Which processes see an event, when a service runs as several replicas.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// One replica handles each event (effects in the database, emails).
    OneReplica,
    /// Every replica handles each event (in-memory indexes).
    EveryReplica,
}

/// Where consumers register their handlers: the in-process bus, or NATS
/// JetStream in the distributed mode.
pub trait Subscriber: Send + Sync {
    /// Subscribes `handler` (named `consumer`) to a topic: an exact name, or
    /// a prefix ending in `.*`.
    fn subscribe_with(
        &self,
        topic: &str,
        consumer: &'static str,
        delivery: Delivery,
        handler: Arc<dyn EventHandler>,
    );

    /// Subscribes with one replica handling each event.
    fn subscribe(&self, topic: &str, consumer: &'static str, handler: Arc<dyn EventHandler>) {
        self.subscribe_with(topic, consumer, Delivery::OneReplica, handler);
    }
}

/// One event of contract `C` as its consumer receives it.
#[derive(Clone, Debug)]
pub struct Received<C> {
    /// The event's id: what an [`Inbox`] deduplicates on.
    pub id: EventId,
    /// When the change happened.
    pub occurred_at: DateTime<Utc>,
    /// The payload.
    pub payload: C,
}

/// A consumer of contract `C`. One type may consume several contracts.
pub trait Consumes<C: Contract>: Send + Sync + 'static {
    /// Applies one event. An error means "deliver it again later".
    fn consume(&self, event: Received<C>) -> impl Future<Output = anyhow::Result<()>> + Send;
}

/// Subscribing typed consumers: the topic comes from the contract, and the
/// payload is parsed before the consumer sees it.
pub trait SubscribeTo: Subscriber {
    /// Subscribes `consumer` (named `name`) to contract `C`'s topic.
    fn subscribe_to<C: Contract, H: Consumes<C>>(
        &self,
        name: &'static str,
        delivery: Delivery,
        consumer: Arc<H>,
    ) {
        self.subscribe_with(
            C::TOPIC,
            name,
            delivery,
            Arc::new(Typed::<C, H> {
                consumer,
                name,
                contract: PhantomData,
            }),
        );
    }
}

impl<S: Subscriber + ?Sized> SubscribeTo for S {}

/// What is wrong with a payload, without quoting any of its values (they may
/// be personal data, and the reason is logged): a missing field is named, a
/// wrong type or value is not shown.
fn broken_contract(e: &serde_json::Error) -> String {
    let text = e.to_string();
    if text.starts_with("missing field") {
        text
    } else {
        "a field of the wrong type or value".to_owned()
    }
}

/// Parses the payload as `C` for a typed consumer.
struct Typed<C, H> {
    consumer: Arc<H>,
    /// The consumer's name (a fixed word: metrics label its lag with it).
    name: &'static str,
    contract: PhantomData<fn() -> C>,
}

impl<C: Contract, H: Consumes<C>> EventHandler for Typed<C, H> {
    fn handle<'a>(&'a self, event: &'a Event) -> BoxFuture<'a> {
        Box::pin(async move {
            let payload: C = serde_json::from_value(event.payload.clone()).map_err(|e| {
                anyhow::anyhow!(
                    "a {} payload that breaks its contract: {}",
                    C::TOPIC,
                    broken_contract(&e)
                )
            })?;
            self.consumer
                .consume(Received {
                    id: event.id,
                    occurred_at: event.occurred_at,
                    payload,
                })
                .await?;
            crate::telemetry::business::consumed(self.name, event.occurred_at);
            Ok(())
        })
    }
}

struct Subscription {
    topic: String,
    consumer: &'static str,
    handler: Arc<dyn EventHandler>,
}

/// The embedded default's bus: handlers run in this process.
#[derive(Default)]
pub struct InProcessBus {
    subscriptions: RwLock<Vec<Subscription>>,
}

impl Subscriber for InProcessBus {
    fn subscribe_with(
        &self,
        topic: &str,
        consumer: &'static str,
        _delivery: Delivery,
        handler: Arc<dyn EventHandler>,
    ) {
        if let Ok(mut subs) = self.subscriptions.write() {
            subs.push(Subscription {
                topic: topic.to_owned(),
                consumer,
                handler,
            });
        }
    }
}

impl InProcessBus {
    fn handlers_for(&self, topic: &str) -> Vec<(&'static str, Arc<dyn EventHandler>)> {
        let Ok(subs) = self.subscriptions.read() else {
            return Vec::new();
        };
        subs.iter()
            .filter(|s| topic_matches(&s.topic, topic))
            .map(|s| (s.consumer, Arc::clone(&s.handler)))
            .collect()
    }
}

fn topic_matches(pattern: &str, topic: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => topic.starts_with(prefix),
        None => pattern == topic,
    }
}

impl EventBus for InProcessBus {
    fn publish<'a>(&'a self, event: &'a Event) -> BoxFuture<'a> {
        Box::pin(async move {
            // Every subscriber gets the event; if one fails the whole event is
            // retried, and the ones that succeeded skip it through their inbox.
            let mut failures = Vec::new();
            for (consumer, handler) in self.handlers_for(&event.topic) {
                if let Err(err) = handler.handle(event).await {
                    tracing::warn!(consumer, topic = %event.topic, event_id = %event.id, error = %format!("{err:#}"), "event handler failed; will retry");
                    failures.push(consumer);
                }
            }
            anyhow::ensure!(
                failures.is_empty(),
                "handlers failed: {}",
                failures.join(", ")
            );
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests;
