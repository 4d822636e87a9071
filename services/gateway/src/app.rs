//! Assembles Taiwa: `Application::build` → `port()` → `run_until_stopped()`.

use std::future::Future;
use std::sync::Arc;

use anyhow::Context;
use axum::Router;
use secrecy::SecretString;
use shared::auth::{TokenKeys, load_or_generate_key, load_or_generate_secret};
use shared::client_addr::TrustedProxies;
use shared::config::Config;
use shared::db::{Backend, Db, embedded_url};
use shared::events::{Dispatcher, Outbox, Wakeup};
use shared::http::{Limits, with_stack};
use shared::mail::Mailer;
use shared::service_auth::ServiceTokens;
use shared::telemetry::Metrics;
use taiwa_nats::NatsBus;
use tokio::net::TcpListener;
use utoipa::OpenApi as _;
use utoipa_axum::router::OpenApiRouter;

use crate::topology::{self, Bus, remote_services};
use crate::{openapi, ops, pages, proxy};
use taiwa_identity as identity;
use taiwa_identity::invitation_mail;
use taiwa_identity::passwords::PasswordHasher;

mod adapters;
mod states;

/// Which services this process runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ServiceSelection {
    /// Every service in one process (the embedded default).
    All,
    /// Identity, pages and the API description only.
    Gateway,
    /// The matching service alone.
    Matching,
    /// The booking service alone.
    Booking,
    /// The reporting service alone.
    Reporting,
}

impl ServiceSelection {
    fn runs(self, other: ServiceSelection) -> bool {
        self == ServiceSelection::All || self == other
    }
}

/// Everything a process needs before it serves: the database (migrated), keys, mail.
pub struct Foundation {
    /// The configuration it was built from.
    pub config: Config,
    /// The database, migrated.
    pub db: Db,
    /// Token keys.
    pub tokens: Arc<TokenKeys>,
    /// Password hashing.
    pub hasher: PasswordHasher,
    /// Outgoing mail.
    pub mailer: Mailer,
    /// The master key's secret (wraps private-note keys).
    pub master_secret: SecretString,
    /// Signs and checks the gateway's requests to services (distributed mode).
    pub service_tokens: ServiceTokens,
}

impl Foundation {
    /// Validates the configuration, connects, migrates every service's tables.
    pub async fn prepare(config: Config) -> anyhow::Result<Self> {
        if let Err(problems) = config.validate() {
            anyhow::bail!("refusing to start:\n  - {}", problems.join("\n  - "));
        }
        shared::time::set_org_zone(config.time_zone)?;
        let url = match &config.database_url {
            Some(url) => url.clone(),
            None => embedded_url(&config.data_dir)?,
        };
        let db = Db::connect(&url).await?;
        for migrator in [
            &identity::MIGRATOR,
            &taiwa_matching::MIGRATOR,
            &taiwa_booking::MIGRATOR,
            &taiwa_reporting::MIGRATOR,
        ] {
            db.migrate(migrator).await?;
        }
        taiwa_reporting::prepare(&db).await?;
        for audit in [taiwa_booking::AUDIT, taiwa_reporting::AUDIT] {
            audit.enforce_append_only(&db).await?;
        }
        let secret: SecretString = match &config.jwt_secret {
            Some(secret) => secret.clone(),
            None => load_or_generate_key(&config.data_dir)?,
        };
        let tokens = Arc::new(TokenKeys::new(&secret, config.access_token_ttl));
        let service_tokens = ServiceTokens::new(&secret);
        let master_secret = match &config.master_key {
            Some(key) => key.clone(),
            None => load_or_generate_secret(&config.data_dir, "master.key")?,
        };
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        let hasher = PasswordHasher::new(cores)?;
        let mailer = Mailer::new(
            config.smtp_url.as_ref(),
            &config.data_dir.join("mail"),
            &config.mail_from,
        )?;
        Ok(Self {
            config,
            db,
            tokens,
            hasher,
            mailer,
            master_secret,
            service_tokens,
        })
    }
}

/// A built, bound, not yet running Taiwa.
pub struct Application {
    listener: TcpListener,
    /// The private listener for the full metrics, with its routes.
    metrics_listener: Option<(TcpListener, Router)>,
    router: Router,
    dispatcher: Dispatcher,
    nats: Option<Arc<NatsBus>>,
    db: Db,
    demo_created: bool,
    reminder_worker: Option<(taiwa_booking::BookingState, Mailer)>,
}

impl Application {
    /// Builds the app for `services`, binds its port, and creates demo data on
    /// the first start of an empty embedded database.
    pub async fn build(config: Config, services: ServiceSelection) -> anyhow::Result<Self> {
        let base = Foundation::prepare(config).await?;
        let wants_demo = base.config.demo_data
            && base.db.backend() == Backend::Sqlite
            && services == ServiceSelection::All;
        let demo_created = wants_demo && create_demo_data(&base).await?;
        Self::build_with(base, services, demo_created).await
    }

    /// Builds from a prepared foundation (tests use this to seed first).
    pub async fn build_with(
        base: Foundation,
        services: ServiceSelection,
        demo_created: bool,
    ) -> anyhow::Result<Self> {
        let Foundation {
            config,
            db,
            tokens,
            hasher,
            mailer,
            master_secret,
            service_tokens,
        } = base;
        let metrics = Metrics::default();
        let wakeup = Wakeup::default();
        let bus = Bus::for_config(&config, services).await?;
        let subscriber = bus.subscriber();
        let mut outboxes: Vec<Outbox> = Vec::new();
        let mut api = OpenApiRouter::with_openapi(openapi::ApiDoc::openapi());

        let mut pages = None;
        let mut reminder_worker = None;
        if services.runs(ServiceSelection::Gateway) {
            let state = states::identity(&config, &db, &tokens, hasher, &wakeup, &master_secret);
            identity::start(subscriber, &state, mailer.clone()).await?;
            pages = Some(pages::invitation::router(state.clone()));
            if let Some(nats) = bus.nats() {
                tokio::spawn(topology::purge_retired(nats, invitation_mail::TOPIC_V1));
            }
            api = api.merge(identity::router(state));
            outboxes.push(identity::OUTBOX);
        }
        if services.runs(ServiceSelection::Matching) {
            let sole_writer = services == ServiceSelection::All
                && bus.nats().is_none()
                && db.backend() == shared::db::Backend::Sqlite;
            let state = taiwa_matching::MatchingState::load(
                db.clone(),
                Arc::clone(&tokens),
                wakeup.clone(),
                sole_writer.then(|| config.data_dir.join("search")),
            )
            .await?
            .holding_employees(sole_writer);
            taiwa_matching::events::subscribe(subscriber, &state);
            api = api.merge(taiwa_matching::router(state));
            outboxes.push(taiwa_matching::OUTBOX);
        }
        if services.runs(ServiceSelection::Booking) {
            taiwa_booking::pin_time_zone(&db, config.time_zone).await?;
            let state = states::booking(&config, &db, &tokens, &wakeup, &master_secret)?;
            taiwa_booking::events::subscribe(subscriber, &state, mailer.clone());
            reminder_worker = Some((state.clone(), mailer.clone()));
            api = api.merge(taiwa_booking::router(state));
            outboxes.push(taiwa_booking::OUTBOX);
        }
        if services.runs(ServiceSelection::Reporting) {
            taiwa_reporting::pin_time_zone(&db, config.time_zone).await?;
            let state = states::reporting(&config, &db, &tokens, &master_secret);
            taiwa_reporting::intake::subscribe(subscriber, &state);
            api = api.merge(taiwa_reporting::router(state));
            outboxes.push(taiwa_reporting::OUTBOX);
        }

        if services == ServiceSelection::Gateway {
            // The other services run as their own processes: reach them over HTTP.
            for (name, url, doc) in remote_services(&config)? {
                let proxy = proxy::routes(
                    name,
                    &url,
                    &doc,
                    service_tokens.clone(),
                    Arc::clone(&tokens),
                )?;
                api = api.merge(OpenApiRouter::with_openapi(doc).merge(proxy.into()));
            }
        }
        let (api_router, doc) = api.split_for_parts();
        // The web UI is a client of the same API routes (in-process calls).
        let web = taiwa_web::WebState {
            api: taiwa_web::api::Api::new(api_router.clone()),
            secure_cookies: config.public_url.starts_with("https://"),
            dev_mailbox: (config.dev_mailbox
                && config.smtp_url.is_none()
                && config.environment == shared::config::Environment::Development)
                .then(|| config.data_dir.join("mail")),
            report_min_group: config.report_min_group,
        };
        let mut router = api_router
            .merge(ops::router(db.clone(), metrics.clone(), bus.nats()))
            .merge(openapi::router(doc));
        let error_page = pages.is_some().then(|| taiwa_web::error_page(web.clone()));
        if let Some(pages) = pages {
            router = router.merge(taiwa_web::router(web)).merge(pages);
        }
        let limits = Limits {
            body_limit_bytes: config.body_limit_bytes,
            request_timeout: config.request_timeout,
            https: config.public_url.starts_with("https://"),
            trusted_proxies: TrustedProxies::parse(&config.trusted_proxies)
                .map_err(anyhow::Error::msg)?,
        };
        if !matches!(services, ServiceSelection::All | ServiceSelection::Gateway) {
            // One service alone: only the gateway may call its API.
            router = router.layer(axum::middleware::from_fn_with_state(
                service_tokens,
                shared::service_auth::require,
            ));
        }
        let private =
            ops::private_router(db.clone(), metrics.clone(), bus.nats(), outboxes.clone());
        let router = with_stack(router, limits, metrics, error_page);

        let listener = TcpListener::bind(config.addr)
            .await
            .with_context(|| format!("binding {}", config.addr))?;
        let metrics_listener = match config.metrics_addr {
            Some(addr) => Some((
                TcpListener::bind(addr)
                    .await
                    .with_context(|| format!("binding the metrics listener {addr}"))?,
                private,
            )),
            None => None,
        };
        let dispatcher = Dispatcher::new(db.clone(), outboxes, bus.publisher(), wakeup);
        Ok(Self {
            listener,
            metrics_listener,
            router,
            dispatcher,
            nats: bus.nats(),
            db,
            demo_created,
            reminder_worker,
        })
    }

    /// The port it listens on (useful with port 0).
    pub fn port(&self) -> u16 {
        self.listener
            .local_addr()
            .map(|a| a.port())
            .unwrap_or_default()
    }

    /// The private metrics listener's port, if one is configured.
    pub fn metrics_port(&self) -> Option<u16> {
        self.metrics_listener
            .as_ref()
            .and_then(|(l, _)| l.local_addr().ok())
            .map(|a| a.port())
    }

    /// The database (tests inspect it).
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// Whether this start created the demo data.
    pub fn created_demo_data(&self) -> bool {
        self.demo_created
    }

    /// Serves until `shutdown` resolves, then drains requests and stops the
    /// event dispatcher after its current round.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        let stopped = |mut rx: tokio::sync::watch::Receiver<bool>| async move {
            let _ = rx.wait_for(|stopped| *stopped).await;
        };
        let dispatcher = tokio::spawn(self.dispatcher.run(stopped(stop_rx.clone())));
        let consumers = self
            .nats
            .map(|bus| tokio::spawn(bus.run(stopped(stop_rx.clone()))));
        let metrics_server = self.metrics_listener.map(|(listener, routes)| {
            let stopped = stopped(stop_rx.clone());
            tokio::spawn(async move {
                let _ = shared::server::serve(listener, routes, stopped).await;
            })
        });
        let reminders = self.reminder_worker.map(|(state, mailer)| {
            tokio::spawn(taiwa_booking::reminders::run(
                state,
                mailer,
                stopped(stop_rx),
            ))
        });
        // With a header-read timeout; the peer address reaches handlers
        // (login throttling per address).
        let result = shared::server::serve(self.listener, self.router, shutdown).await;
        let _ = stop_tx.send(true);
        let _ = dispatcher.await;
        if let Some(server) = metrics_server {
            let _ = server.await;
        }
        if let Some(consumers) = consumers {
            let _ = consumers.await;
        }
        if let Some(reminders) = reminders {
            let _ = reminders.await;
        }
        self.db.close().await;
        result.context("serving HTTP")
    }
}

/// Creates the demo data if the database is empty; whether it did.
#[cfg(feature = "demo")]
async fn create_demo_data(base: &Foundation) -> anyhow::Result<bool> {
    crate::demo::create_if_empty(&base.db, &base.hasher, &base.master_secret).await
}

/// A build without the `demo` feature (a production image) has no demo data.
#[cfg(not(feature = "demo"))]
async fn create_demo_data(_: &Foundation) -> anyhow::Result<bool> {
    tracing::info!("this build has no demo data (built without the `demo` feature)");
    Ok(false)
}
