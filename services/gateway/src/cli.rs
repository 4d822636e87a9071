//! The command line: `taiwa serve | migrate | demo-data`. Every setting is a
//! flag and a `TAIWA_*` environment variable; with none set, Taiwa runs on its
//! embedded default.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};
use secrecy::SecretString;
use shared::config::{Config, Environment, LogFormat, StripeConfig};

use crate::app::{Application, Foundation, ServiceSelection};
use crate::demo;

/// Taiwa (対話): confidential career consultations with external certified consultants.
#[derive(Parser)]
#[command(name = "taiwa", version, about, long_about = None)]
pub struct Cli {
    #[command(flatten)]
    settings: Settings,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve HTTP (the default).
    Serve {
        /// Which service(s) this process runs.
        #[arg(long, value_enum, env = "TAIWA_SERVICE", default_value = "all")]
        service: ServiceSelection,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Create the demo org, accounts and data (never in production).
    DemoData,
    /// Matching's maintenance commands.
    #[command(subcommand)]
    Matching(MatchingCommand),
    /// Benchmarks (figures for BENCHMARKS.md).
    #[command(subcommand)]
    Bench(BenchCommand),
    /// Operators' accounts.
    #[command(subcommand)]
    Operator(OperatorCommand),
}

#[derive(Subcommand)]
enum OperatorCommand {
    /// Print a one-time code (24 hours) with which an operator without a
    /// second factor sets one up — the first operator's way in, or after a
    /// lost authenticator was reset.
    EnrolmentCode {
        /// The operator's email.
        email: String,
    },
}

#[derive(Subcommand)]
enum MatchingCommand {
    /// Learn ranking weights from session ratings (linfa logistic regression);
    /// they are used from the next start when they beat the hand-set weights.
    Train,
}

#[derive(Subcommand)]
enum BenchCommand {
    /// The match index against the memory-bandwidth floor, FAISS, numpy and PostgreSQL.
    Matching {
        /// Consultants in the index.
        #[arg(long, default_value_t = 100_000)]
        consultants: usize,
        /// Queries timed per engine.
        #[arg(long, default_value_t = 1000)]
        queries: usize,
        /// PostgreSQL for the SQL peer (e.g. postgres://postgres@127.0.0.1:5432/test).
        #[arg(long)]
        postgres_url: Option<String>,
        /// Simulated employees for the fairness measurement.
        #[arg(long, default_value_t = 10_000)]
        employees: usize,
        /// Consultants in the fairness simulation.
        #[arg(long, default_value_t = 1000)]
        fairness_consultants: usize,
    },
    /// Bookings/s on PostgreSQL against pgbench, the 100-way race, a 90-day slot list.
    Booking {
        /// PostgreSQL server (a scratch database is created and dropped on it).
        #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432/test")]
        postgres_url: String,
        /// Bookings for the throughput figure.
        #[arg(long, default_value_t = 3000)]
        bookings: usize,
        /// Concurrent clients.
        #[arg(long, default_value_t = 8)]
        clients: usize,
        /// Seconds pgbench runs.
        #[arg(long, default_value_t = 15)]
        pgbench_seconds: u64,
    },
    /// The outboxes under steady writes: backlog, and the time to drain it.
    Outbox {
        /// Writes a second (bookings and their cancellations, half each).
        #[arg(long, default_value_t = 100)]
        rate: u32,
        /// Seconds of load.
        #[arg(long, default_value_t = 60)]
        seconds: u64,
    },
    /// The ten most used web pages: time per page and bytes of a first visit.
    Web {
        /// Requests per page (the median and p95 are printed).
        #[arg(long, default_value_t = 200)]
        runs: usize,
    },
    /// The theme report's time over 100k and 1M records on PostgreSQL.
    Reporting {
        /// PostgreSQL server (a scratch database is created and dropped on it).
        #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432/test")]
        postgres_url: String,
        /// Record counts to measure at, ascending.
        #[arg(long, value_delimiter = ',', default_value = "100000,1000000")]
        sizes: Vec<usize>,
        /// Timed runs per size (the median is printed).
        #[arg(long, default_value_t = 5)]
        runs: usize,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum EnvArg {
    Development,
    Production,
}

#[derive(Clone, Copy, ValueEnum)]
enum LogArg {
    Text,
    Json,
}

/// Settings; flags win over environment variables, which win over defaults.
#[derive(Args)]
struct Settings {
    /// Address to listen on.
    #[arg(
        long,
        global = true,
        env = "TAIWA_ADDR",
        default_value = "127.0.0.1:8080"
    )]
    addr: SocketAddr,
    /// development or production.
    #[arg(
        long = "env",
        global = true,
        env = "TAIWA_ENV",
        value_enum,
        default_value = "development"
    )]
    environment: EnvArg,
    /// Folder for the embedded database, the generated signing key and written mail.
    #[arg(long, global = true, env = "TAIWA_DATA_DIR", default_value = "data")]
    data_dir: PathBuf,
    /// sqlite:… or postgres://… (DATABASE_URL is read too); unset = SQLite under the data folder.
    #[arg(
        long,
        global = true,
        env = "TAIWA_DATABASE_URL",
        hide_env_values = true
    )]
    database_url: Option<String>,
    /// Allow SQLite in production.
    #[arg(
        long,
        global = true,
        env = "TAIWA_ALLOW_SQLITE_IN_PRODUCTION",
        default_value_t = false
    )]
    allow_sqlite_in_production: bool,
    /// HS256 signing key (≥ 32 bytes); unset = generated once under the data folder (development only).
    #[arg(long, global = true, env = "TAIWA_JWT_SECRET", hide_env_values = true)]
    jwt_secret: Option<String>,
    /// Base URL for links in emails; unset = http://<addr>.
    #[arg(long, global = true, env = "TAIWA_PUBLIC_URL")]
    public_url: Option<String>,
    /// smtp://host:port or smtps://user:pass@host; unset = .eml files under <data>/mail.
    #[arg(long, global = true, env = "TAIWA_SMTP_URL", hide_env_values = true)]
    smtp_url: Option<String>,
    /// From address of Taiwa's emails.
    #[arg(
        long,
        global = true,
        env = "TAIWA_MAIL_FROM",
        default_value = "Taiwa <no-reply@taiwa.test>"
    )]
    mail_from: String,
    /// Access-token lifetime in seconds (1–900).
    #[arg(
        long,
        global = true,
        env = "TAIWA_ACCESS_TOKEN_TTL_SECS",
        default_value_t = 900
    )]
    access_token_ttl_secs: u64,
    /// A login's absolute lifetime in seconds (refresh tokens never outlive it).
    #[arg(long, global = true, env = "TAIWA_REFRESH_TOKEN_TTL_SECS", default_value_t = 12 * 3600)]
    refresh_token_ttl_secs: u64,
    /// Idle timeout in seconds: a login not refreshed for this long ends.
    #[arg(long, global = true, env = "TAIWA_SESSION_IDLE_SECS", default_value_t = 30 * 60)]
    session_idle_secs: u64,
    /// Days after which a session record's private notes are erased.
    #[arg(long, global = true, env = "TAIWA_NOTES_RETENTION_DAYS", default_value_t = 3 * 365)]
    notes_retention_days: u32,
    /// Invitation-link lifetime in hours.
    #[arg(
        long,
        global = true,
        env = "TAIWA_INVITATION_TTL_HOURS",
        default_value_t = 168
    )]
    invitation_ttl_hours: u64,
    /// Requests taking longer are answered 408.
    #[arg(
        long,
        global = true,
        env = "TAIWA_REQUEST_TIMEOUT_SECS",
        default_value_t = 30
    )]
    request_timeout_secs: u64,
    /// Largest accepted request body, in bytes.
    #[arg(long, global = true, env = "TAIWA_BODY_LIMIT_BYTES", default_value_t = 2 * 1024 * 1024)]
    body_limit_bytes: usize,
    /// text or json.
    #[arg(
        long,
        global = true,
        env = "TAIWA_LOG_FORMAT",
        value_enum,
        default_value = "text"
    )]
    log_format: LogArg,
    /// Key (≥ 32 bytes) that wraps the keys of consultants' private notes; unset = generated under the data folder (development only).
    #[arg(long, global = true, env = "TAIWA_MASTER_KEY", hide_env_values = true)]
    master_key: Option<String>,
    /// Hours before a session after which employees cannot cancel or reschedule.
    #[arg(
        long,
        global = true,
        env = "TAIWA_CANCELLATION_CUTOFF_HOURS",
        default_value_t = 24
    )]
    cancellation_cutoff_hours: u64,
    /// Stripe secret API key; set together with the webhook secret to sell credit packs (unset = credits granted by hand).
    #[arg(
        long,
        global = true,
        env = "TAIWA_STRIPE_SECRET_KEY",
        hide_env_values = true
    )]
    stripe_secret_key: Option<String>,
    /// Signing secret of Taiwa's Stripe webhook endpoint (`/api/v1/webhooks/stripe`).
    #[arg(
        long,
        global = true,
        env = "TAIWA_STRIPE_WEBHOOK_SECRET",
        hide_env_values = true
    )]
    stripe_webhook_secret: Option<String>,
    /// Another Stripe API base URL (a local Stripe-compatible server); unset = api.stripe.com.
    #[arg(long, global = true, env = "TAIWA_STRIPE_API_BASE")]
    stripe_api_base: Option<String>,
    /// Smallest group of distinct people a report cell may describe (at least 5).
    #[arg(
        long,
        global = true,
        env = "TAIWA_REPORT_MIN_GROUP",
        default_value_t = 10
    )]
    report_min_group: usize,
    /// Reverse proxies (addresses or CIDR networks, comma-separated) whose X-Forwarded-For names the client, for per-address throttling behind a load balancer.
    #[arg(long, global = true, env = "TAIWA_TRUSTED_PROXIES", default_value = "")]
    trusted_proxies: String,
    /// NATS with JetStream for events between processes (distributed mode); unset = in-process events.
    #[arg(long, global = true, env = "TAIWA_NATS_URL")]
    nats_url: Option<String>,
    /// Base URL of the matching service, for `--service gateway`.
    #[arg(long, global = true, env = "TAIWA_MATCHING_URL")]
    matching_url: Option<String>,
    /// Base URL of the booking service, for `--service gateway`.
    #[arg(long, global = true, env = "TAIWA_BOOKING_URL")]
    booking_url: Option<String>,
    /// Base URL of the reporting service, for `--service gateway`.
    #[arg(long, global = true, env = "TAIWA_REPORTING_URL")]
    reporting_url: Option<String>,
    /// The Jitsi Meet server each booking's own meeting room is made on (self-hostable).
    #[arg(
        long,
        global = true,
        env = "TAIWA_MEETING_BASE_URL",
        default_value = "https://meet.jit.si"
    )]
    meeting_base_url: String,
    /// Show the emails written to files at /dev/mail (development only; to a browser on this machine only).
    #[arg(long, global = true, env = "TAIWA_DEV_MAILBOX", default_value_t = true, action = clap::ArgAction::Set)]
    dev_mailbox: bool,
    /// A private address for the full Prometheus metrics (e.g. 127.0.0.1:9464); unset = none. The public /metrics shows nothing that moves with use.
    #[arg(long, global = true, env = "TAIWA_METRICS_ADDR")]
    metrics_addr: Option<std::net::SocketAddr>,
    /// Create demo data on the first start of an empty embedded database (default: yes in development).
    #[arg(long, global = true, env = "TAIWA_DEMO_DATA")]
    demo_data: Option<bool>,
}

impl Settings {
    fn into_config(self) -> Config {
        let environment = match self.environment {
            EnvArg::Development => Environment::Development,
            EnvArg::Production => Environment::Production,
        };
        let database_url = self
            .database_url
            .or_else(|| std::env::var("DATABASE_URL").ok())
            .filter(|u| !u.trim().is_empty())
            .map(SecretString::from);
        Config {
            environment,
            addr: self.addr,
            public_url: self
                .public_url
                .unwrap_or_else(|| format!("http://{}", self.addr)),
            data_dir: self.data_dir,
            database_url,
            allow_sqlite_in_production: self.allow_sqlite_in_production,
            jwt_secret: self
                .jwt_secret
                .filter(|s| !s.is_empty())
                .map(SecretString::from),
            smtp_url: self
                .smtp_url
                .filter(|s| !s.is_empty())
                .map(SecretString::from),
            mail_from: self.mail_from,
            access_token_ttl: Duration::from_secs(self.access_token_ttl_secs),
            refresh_token_ttl: Duration::from_secs(self.refresh_token_ttl_secs),
            session_idle_ttl: Duration::from_secs(self.session_idle_secs),
            notes_retention_days: self.notes_retention_days,
            invitation_ttl: Duration::from_secs(self.invitation_ttl_hours * 3600),
            request_timeout: Duration::from_secs(self.request_timeout_secs),
            body_limit_bytes: self.body_limit_bytes,
            log_format: match self.log_format {
                LogArg::Text => LogFormat::Text,
                LogArg::Json => LogFormat::Json,
            },
            demo_data: self
                .demo_data
                .unwrap_or(environment == Environment::Development),
            cancellation_cutoff: Duration::from_secs(self.cancellation_cutoff_hours * 3600),
            master_key: self
                .master_key
                .filter(|s| !s.is_empty())
                .map(SecretString::from),
            report_min_group: self.report_min_group,
            trusted_proxies: self.trusted_proxies,
            nats_url: self.nats_url.filter(|u| !u.trim().is_empty()),
            meeting_base_url: self.meeting_base_url,
            dev_mailbox: self.dev_mailbox,
            metrics_addr: self.metrics_addr,
            matching_url: self.matching_url.filter(|u| !u.trim().is_empty()),
            booking_url: self.booking_url.filter(|u| !u.trim().is_empty()),
            reporting_url: self.reporting_url.filter(|u| !u.trim().is_empty()),
            stripe: stripe_config(
                self.stripe_secret_key,
                self.stripe_webhook_secret,
                self.stripe_api_base,
            ),
        }
    }
}

/// Stripe is on when either secret is given (validation then insists on both).
fn stripe_config(
    secret_key: Option<String>,
    webhook_secret: Option<String>,
    api_base: Option<String>,
) -> Option<StripeConfig> {
    let secret_key = secret_key.filter(|s| !s.is_empty());
    let webhook_secret = webhook_secret.filter(|s| !s.is_empty());
    if secret_key.is_none() && webhook_secret.is_none() {
        return None;
    }
    Some(StripeConfig {
        secret_key: SecretString::from(secret_key.unwrap_or_default()),
        webhook_secret: SecretString::from(webhook_secret.unwrap_or_default()),
        api_base: api_base.filter(|s| !s.is_empty()),
    })
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = cli.settings.into_config();
    shared::telemetry::init_tracing(config.log_format);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(err) => {
            eprintln!("taiwa: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    let command = cli.command.unwrap_or(Command::Serve {
        service: ServiceSelection::All,
    });
    match runtime.block_on(run(command, config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("taiwa: {err:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command, config: Config) -> anyhow::Result<()> {
    match command {
        Command::Serve { service } => serve(config, service).await,
        Command::Migrate => {
            Foundation::prepare(Config {
                demo_data: false,
                ..config
            })
            .await?;
            println!("migrations applied");
            Ok(())
        }
        Command::Operator(OperatorCommand::EnrolmentCode { email }) => {
            let base = Foundation::prepare(Config {
                demo_data: false,
                ..config
            })
            .await?;
            let email =
                crate::identity::domain::Email::parse(&email).map_err(anyhow::Error::msg)?;
            let mut tx = base.db.begin_write().await?;
            let user = crate::identity::store::find_user_by_email(&mut tx, &email)
                .await?
                .filter(|u| u.role == shared::auth::Role::Operator)
                .ok_or_else(|| anyhow::anyhow!("no operator has this email"))?;
            anyhow::ensure!(
                !user.totp_enabled,
                "this operator already has a second factor"
            );
            let (code, expires_at) =
                crate::identity::enrolment::issue(&mut tx, user.id, None).await?;
            tx.commit().await?;
            println!(
                "enrolment code for {}: {code} (until {}; works once)",
                email.as_str(),
                shared::time::from_db(expires_at).to_rfc3339()
            );
            Ok(())
        }
        Command::Matching(MatchingCommand::Train) => {
            let base = Foundation::prepare(Config {
                demo_data: false,
                ..config
            })
            .await?;
            let report = taiwa_matching::train::train(&base.db).await?;
            let m = &report.model;
            println!(
                "trained on {} ratings, evaluated on {} held-out ones",
                m.train_rows, m.test_rows
            );
            println!(
                "  logistic coefficients: values {:.3}, rating {:.3}, intercept {:.3}",
                report.coefficients.0, report.coefficients.1, report.coefficients.2
            );
            println!(
                "  held-out AUC (rated 4–5): learned {:.4}, hand-set {:.4}",
                m.auc_learned, m.auc_handset
            );
            if m.active {
                println!(
                    "  the learned weights are better and will be used from the next start: {:?}",
                    m.weights
                );
            } else {
                println!("  the hand-set weights stay: the learned model is not better");
            }
            Ok(())
        }
        Command::Bench(BenchCommand::Matching {
            consultants,
            queries,
            postgres_url,
            employees,
            fairness_consultants,
        }) => {
            let options = taiwa_matching::bench::BenchOptions {
                consultants,
                queries: queries.max(30),
                postgres_url,
                employees,
                fairness_consultants: fairness_consultants.max(20),
            };
            taiwa_matching::bench::run(&options).await
        }
        Command::Bench(BenchCommand::Booking {
            postgres_url,
            bookings,
            clients,
            pgbench_seconds,
        }) => {
            let options = taiwa_booking::bench::BenchOptions {
                postgres_url,
                bookings: bookings.max(100),
                clients: clients.max(1),
                pgbench_seconds,
            };
            taiwa_booking::bench::run(&options).await
        }
        Command::Bench(BenchCommand::Web { runs }) => crate::bench_web::run(config, runs).await,
        Command::Bench(BenchCommand::Outbox { rate, seconds }) => {
            crate::bench_outbox::run(config, rate, seconds).await
        }
        Command::Bench(BenchCommand::Reporting {
            postgres_url,
            mut sizes,
            runs,
        }) => {
            sizes.sort_unstable();
            sizes.dedup();
            let options = taiwa_reporting::bench::BenchOptions {
                postgres_url,
                sizes,
                runs,
            };
            taiwa_reporting::bench::run(&options).await
        }
        Command::DemoData => {
            anyhow::ensure!(
                config.environment == shared::config::Environment::Development,
                "demo data is never created in production"
            );
            let base = Foundation::prepare(config).await?;
            if demo::create_if_empty(&base.db, &base.hasher, &base.master_secret).await? {
                println!(
                    "demo data created; every demo account's password is {}",
                    demo::DEMO_PASSWORD
                );
            } else {
                println!("demo data already present (org \"{}\")", demo::ORG_NAME);
            }
            Ok(())
        }
    }
}

async fn serve(config: Config, service: ServiceSelection) -> anyhow::Result<()> {
    let public_url = config.public_url.clone();
    let app = Application::build(config, service).await?;
    let port = app.port();
    print_banner(&public_url, port, service, app.created_demo_data());
    app.run_until_stopped(shutdown_signal()).await?;
    tracing::info!("stopped");
    Ok(())
}

fn print_banner(public_url: &str, port: u16, service: ServiceSelection, created_demo: bool) {
    let url = if public_url.ends_with(":0") {
        format!("http://127.0.0.1:{port}")
    } else {
        public_url.to_owned()
    };
    println!("\nTaiwa (対話) is serving {service:?} at {url}");
    println!(
        "  API description: {url}/api/openapi.json   health: {url}/healthz   ready: {url}/readyz"
    );
    if !matches!(service, ServiceSelection::All | ServiceSelection::Gateway) {
        println!("  Reached through the gateway only (service tokens). Stop with Ctrl-C.\n");
        return;
    }
    if created_demo {
        println!(
            "  Demo data created. Demo accounts (password \"{}\"):",
            demo::DEMO_PASSWORD
        );
    } else {
        println!(
            "  Demo accounts, if this database has the demo data (password \"{}\"):",
            demo::DEMO_PASSWORD
        );
    }
    println!(
        "    employee    employee1@demo.taiwa.test … employee{}@demo.taiwa.test",
        demo::EMPLOYEES
    );
    println!(
        "    consultant  consultant1@demo.taiwa.test … consultant{}@demo.taiwa.test",
        demo::CONSULTANTS
    );
    println!("    hr          hr@demo.taiwa.test");
    println!(
        "    operator    operator@demo.taiwa.test (sets up two-step sign-in first, with enrolment code {})",
        demo::OPERATOR_ENROLMENT_CODE
    );
    println!("  Stop with Ctrl-C.\n");
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
    tracing::info!("shutting down: finishing requests in flight");
}
