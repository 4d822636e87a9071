//! Taiwa's event bus on NATS JetStream, for the distributed mode.
//!
//! - One stream, `TAIWA_EVENTS`, holds every event on subject
//!   `taiwa.<topic>` (file storage, kept 7 days). Each message carries the
//!   event id as `Nats-Msg-Id`, so a re-published event inside the stream's
//!   duplicate window is stored once.
//! - Publishing waits for JetStream's acknowledgement: the outbox marks an
//!   event published only once the stream has it. With NATS down, publishing
//!   fails and the outbox keeps the event for the next round.
//! - Each consumer is a durable pull consumer with explicit acks. A handler
//!   error (or a crash before the ack) means redelivery; consumers are
//!   idempotent on the event id (their inbox), so redelivery is harmless.
//!   [`Delivery::OneReplica`] consumers are shared by a service's replicas
//!   (each event goes to one); [`Delivery::EveryReplica`] consumers are one
//!   per process (each keeps its own in-memory index), starting from the
//!   process's start and removed by NATS after an hour without the process.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context;
use async_nats::jetstream::{self, AckKind, consumer, stream};
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use shared::events::{BoxFuture, Delivery, Event, EventBus, EventHandler, Subscriber};

/// The stream's name.
pub const STREAM: &str = "TAIWA_EVENTS";
/// Subjects are `taiwa.<topic>`.
pub const SUBJECT_PREFIX: &str = "taiwa.";
/// How long a publish waits for JetStream's acknowledgement.
const PUBLISH_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a delivered event may take before JetStream redelivers it.
const ACK_WAIT: Duration = Duration::from_secs(30);

/// An event as it is stored in the stream.
#[derive(Serialize, Deserialize)]
struct Wire {
    id: String,
    topic: String,
    payload: serde_json::Value,
    occurred_at: chrono::DateTime<chrono::Utc>,
}

struct Subscription {
    topic: String,
    consumer: &'static str,
    delivery: Delivery,
    handler: Arc<dyn EventHandler>,
}

/// NATS JetStream as Taiwa's bus.
pub struct NatsBus {
    client: async_nats::Client,
    js: jetstream::Context,
    replica: String,
    started: time::OffsetDateTime,
    subscriptions: Mutex<Vec<Subscription>>,
    stream_ready: AtomicBool,
}

impl NatsBus {
    /// Connects to `url` (retrying in the background while NATS is down, so
    /// a process starts without it) as one replica of `service`.
    pub async fn connect(url: &str, service: &str) -> anyhow::Result<Arc<Self>> {
        let client = async_nats::ConnectOptions::new()
            .name(format!("taiwa-{service}"))
            .retry_on_initial_connect()
            .connection_timeout(Duration::from_secs(3))
            .connect(url)
            .await
            .context("connecting to NATS")?;
        let js = jetstream::new(client.clone());
        let replica = format!("{service}-{}", uuid::Uuid::new_v4().simple());
        Ok(Arc::new(Self {
            client,
            js,
            replica,
            started: time::OffsetDateTime::now_utc() - time::Duration::seconds(5),
            subscriptions: Mutex::new(Vec::new()),
            stream_ready: AtomicBool::new(false),
        }))
    }

    /// Whether the connection to NATS is up (for `/readyz`).
    pub fn is_connected(&self) -> bool {
        self.client.connection_state() == async_nats::connection::State::Connected
    }

    async fn stream(&self) -> anyhow::Result<stream::Stream> {
        self.js
            .get_or_create_stream(stream::Config {
                name: STREAM.to_owned(),
                subjects: vec![format!("{SUBJECT_PREFIX}>")],
                storage: stream::StorageType::File,
                max_age: Duration::from_secs(7 * 24 * 3600),
                duplicate_window: Duration::from_secs(120),
                ..Default::default()
            })
            .await
            .map_err(|e| anyhow::anyhow!("creating the {STREAM} stream: {e}"))
    }

    /// Removes every message of `topic` still kept in the stream (events of
    /// a retired contract, e.g. one that carried a secret); returns how many.
    pub async fn purge(&self, topic: &str) -> anyhow::Result<u64> {
        let stream = self.stream().await?;
        let done = stream
            .purge()
            .filter(format!("{SUBJECT_PREFIX}{topic}"))
            .await
            .map_err(|e| anyhow::anyhow!("purging {topic}: {e}"))?;
        Ok(done.purged)
    }

    /// Runs every subscription's consumer until `shutdown` resolves. Each
    /// consumer retries on its own when NATS is away.
    pub async fn run(self: Arc<Self>, shutdown: impl Future<Output = ()> + Send) {
        let subscriptions = match self.subscriptions.lock() {
            Ok(mut subs) => std::mem::take(&mut *subs),
            Err(_) => Vec::new(),
        };
        let mut tasks = tokio::task::JoinSet::new();
        for sub in subscriptions {
            let bus = Arc::clone(&self);
            tasks.spawn(async move { bus.consume(sub).await });
        }
        shutdown.await;
        tasks.abort_all();
        while tasks.join_next().await.is_some() {}
    }

    fn consumer_config(&self, sub: &Subscription) -> (String, consumer::pull::Config) {
        let filter = format!(
            "{SUBJECT_PREFIX}{}",
            sub.topic
                .strip_suffix('*')
                .map_or(sub.topic.clone(), |p| format!("{p}>"))
        );
        // Durable names allow [A-Za-z0-9_-] only.
        let base: String = format!("{}-{}", sub.consumer, sub.topic)
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let mut config = consumer::pull::Config {
            filter_subject: filter,
            ack_policy: consumer::AckPolicy::Explicit,
            ack_wait: ACK_WAIT,
            max_ack_pending: 256,
            ..Default::default()
        };
        let name = match sub.delivery {
            Delivery::OneReplica => base,
            Delivery::EveryReplica => {
                config.deliver_policy = consumer::DeliverPolicy::ByStartTime {
                    start_time: self.started,
                };
                config.inactive_threshold = Duration::from_secs(3600);
                format!("{base}-{}", self.replica)
            }
        };
        config.durable_name = Some(name.clone());
        (name, config)
    }

    async fn consume(&self, sub: Subscription) {
        let (name, config) = self.consumer_config(&sub);
        let mut backoff = Duration::from_millis(500);
        loop {
            match self.consume_once(&sub, &name, config.clone()).await {
                Ok(()) => backoff = Duration::from_millis(500),
                Err(err) => {
                    tracing::warn!(consumer = %name, error = %format!("{err:#}"), "event consumer interrupted; retrying");
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(Duration::from_secs(5));
                }
            }
        }
    }

    async fn consume_once(
        &self,
        sub: &Subscription,
        name: &str,
        config: consumer::pull::Config,
    ) -> anyhow::Result<()> {
        let stream = self.stream().await?;
        let consumer = stream
            .get_or_create_consumer(name, config)
            .await
            .map_err(|e| anyhow::anyhow!("creating consumer {name}: {e}"))?;
        let mut messages = consumer
            .messages()
            .await
            .map_err(|e| anyhow::anyhow!("pulling from {name}: {e}"))?;
        while let Some(message) = messages.next().await {
            let message = message.map_err(|e| anyhow::anyhow!("receiving on {name}: {e}"))?;
            let event = match serde_json::from_slice::<Wire>(&message.payload) {
                Ok(wire) => match wire.id.parse() {
                    Ok(id) => Event {
                        id,
                        topic: wire.topic,
                        payload: wire.payload,
                        occurred_at: wire.occurred_at,
                    },
                    Err(_) => {
                        tracing::error!(consumer = %name, "an event with a bad id; dropped");
                        let _ = message.ack_with(AckKind::Term).await;
                        continue;
                    }
                },
                Err(_) => {
                    tracing::error!(consumer = %name, "an unreadable event; dropped");
                    let _ = message.ack_with(AckKind::Term).await;
                    continue;
                }
            };
            match sub.handler.handle(&event).await {
                Ok(()) => {
                    message
                        .double_ack()
                        .await
                        .map_err(|e| anyhow::anyhow!("acknowledging on {name}: {e}"))?;
                }
                Err(err) => {
                    tracing::warn!(consumer = %name, topic = %event.topic, event_id = %event.id, error = %format!("{err:#}"), "event handler failed; will be redelivered");
                    let _ = message
                        .ack_with(AckKind::Nak(Some(Duration::from_secs(2))))
                        .await;
                }
            }
        }
        Ok(())
    }
}

impl Subscriber for NatsBus {
    fn subscribe_with(
        &self,
        topic: &str,
        consumer: &'static str,
        delivery: Delivery,
        handler: Arc<dyn EventHandler>,
    ) {
        if let Ok(mut subs) = self.subscriptions.lock() {
            subs.push(Subscription {
                topic: topic.to_owned(),
                consumer,
                delivery,
                handler,
            });
        }
    }
}

impl EventBus for NatsBus {
    fn publish<'a>(&'a self, event: &'a Event) -> BoxFuture<'a> {
        Box::pin(async move {
            let wire = Wire {
                id: event.id.to_string(),
                topic: event.topic.clone(),
                payload: event.payload.clone(),
                occurred_at: event.occurred_at,
            };
            let body = serde_json::to_vec(&wire).context("serializing an event")?;
            let mut headers = async_nats::HeaderMap::new();
            headers.insert("Nats-Msg-Id", wire.id.as_str());
            let subject = format!("{SUBJECT_PREFIX}{}", event.topic);
            let publish = async {
                if !self.stream_ready.load(Ordering::Acquire) {
                    self.stream().await?;
                    self.stream_ready.store(true, Ordering::Release);
                }
                let ack = self
                    .js
                    .publish_with_headers(subject, headers, body.into())
                    .await
                    .map_err(|e| anyhow::anyhow!("publishing to NATS: {e}"))?;
                if let Err(e) = ack.await {
                    // The stream may be gone (a NATS without its data): look again next time.
                    self.stream_ready.store(false, Ordering::Release);
                    anyhow::bail!("waiting for JetStream's ack: {e}");
                }
                anyhow::Ok(())
            };
            tokio::time::timeout(PUBLISH_TIMEOUT, publish)
                .await
                .map_err(|_| {
                    anyhow::anyhow!("NATS did not acknowledge within {PUBLISH_TIMEOUT:?}")
                })?
        })
    }
}
