//! The settings every command shares: each a flag and a `TAIWA_*`
//! environment variable; flags win over environment variables, which win
//! over defaults.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, ValueEnum};
use secrecy::SecretString;
use shared::config::{Config, Environment, LogFormat, StripeConfig};

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
pub struct Settings {
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
    /// The zone organisations count in (report quarters, credit weeks, times in mails), e.g. Asia/Tokyo.
    #[arg(
        long,
        global = true,
        env = "TAIWA_TIME_ZONE",
        default_value = "Asia/Tokyo"
    )]
    time_zone: chrono_tz::Tz,
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
    /// The configuration these settings describe.
    pub fn into_config(self) -> Config {
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
            time_zone: self.time_zone,
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
