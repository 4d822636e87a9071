//! How this process reaches the others: where its events go (in-process, or
//! NATS JetStream), and — for a gateway-only process — which services it
//! forwards to, with the paths each answers.

use std::sync::Arc;

use shared::config::Config;
use shared::events::{EventBus, InProcessBus, Subscriber};
use taiwa_nats::NatsBus;

use crate::app::ServiceSelection;

/// Where events go: in this process (the embedded default), or NATS
/// JetStream when `TAIWA_NATS_URL` is set.
pub enum Bus {
    /// The embedded default.
    InProcess(Arc<InProcessBus>),
    /// The distributed mode.
    Nats(Arc<NatsBus>),
}

impl Bus {
    /// The bus for this configuration and selection of services.
    pub async fn for_config(config: &Config, services: ServiceSelection) -> anyhow::Result<Self> {
        match &config.nats_url {
            Some(url) => {
                let name = format!("{services:?}").to_lowercase();
                Ok(Self::Nats(NatsBus::connect(url, &name).await?))
            }
            None if services != ServiceSelection::All => anyhow::bail!(
                "one service alone needs TAIWA_NATS_URL: its events must reach the other processes"
            ),
            None => Ok(Self::InProcess(Arc::new(InProcessBus::default()))),
        }
    }

    /// Where consumers subscribe.
    pub fn subscriber(&self) -> &dyn Subscriber {
        match self {
            Self::InProcess(bus) => bus.as_ref(),
            Self::Nats(bus) => bus.as_ref(),
        }
    }

    /// Where the outbox dispatcher publishes.
    pub fn publisher(&self) -> Arc<dyn EventBus> {
        match self {
            Self::InProcess(bus) => Arc::clone(bus) as Arc<dyn EventBus>,
            Self::Nats(bus) => Arc::clone(bus) as Arc<dyn EventBus>,
        }
    }

    /// The NATS connection, in the distributed mode.
    pub fn nats(&self) -> Option<Arc<NatsBus>> {
        match self {
            Self::InProcess(_) => None,
            Self::Nats(bus) => Some(Arc::clone(bus)),
        }
    }
}

/// The services a gateway-only process reaches over HTTP: name, URL, and
/// the paths they answer (from their own OpenAPI description).
pub fn remote_services(
    config: &Config,
) -> anyhow::Result<Vec<(&'static str, String, utoipa::openapi::OpenApi)>> {
    let need = |url: &Option<String>, var: &str| {
        url.clone().ok_or_else(|| {
            anyhow::anyhow!("--service gateway needs {var} (the service's base URL)")
        })
    };
    Ok(vec![
        (
            "matching",
            need(&config.matching_url, "TAIWA_MATCHING_URL")?,
            taiwa_matching::api_routes().split_for_parts().1,
        ),
        (
            "booking",
            need(&config.booking_url, "TAIWA_BOOKING_URL")?,
            taiwa_booking::api_routes().split_for_parts().1,
        ),
        (
            "reporting",
            need(&config.reporting_url, "TAIWA_REPORTING_URL")?,
            taiwa_reporting::api_routes().split_for_parts().1,
        ),
    ])
}

/// Removes the events of a retired topic (the version-1 invitations, which
/// carried links) from NATS, retrying while NATS is away; at most a few minutes.
pub async fn purge_retired(bus: Arc<NatsBus>, topic: &'static str) {
    for attempt in 0..10u32 {
        match bus.purge(topic).await {
            Ok(n) => {
                if n > 0 {
                    tracing::info!(purged = n, "retired events removed from NATS");
                }
                return;
            }
            Err(err) => {
                tracing::warn!(error = %err, attempt, "could not purge retired events yet");
                tokio::time::sleep(std::time::Duration::from_secs(2u64.pow(attempt.min(5)))).await;
            }
        }
    }
}
