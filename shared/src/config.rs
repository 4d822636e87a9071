//! Settings every service reads. They are parsed from flags and `TAIWA_*`
//! environment variables by the `taiwa` binary (see its `cli` module); this is
//! the typed result. Secrets are `SecretString`s: they never print.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use secrecy::SecretString;

/// Where Taiwa runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Environment {
    /// Local use: demo data allowed, a signing key may be generated.
    Development,
    /// Real users: demo data, generated keys and SQLite are refused.
    Production,
}

/// How logs are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

/// The typed configuration.
#[derive(Clone, Debug)]
pub struct Config {
    /// Development or production.
    pub environment: Environment,
    /// Address to listen on.
    pub addr: SocketAddr,
    /// Folder for the embedded database, the signing key and written mail.
    pub data_dir: PathBuf,
    /// `sqlite:…` or `postgres://…`; `None` selects the embedded SQLite file.
    pub database_url: Option<SecretString>,
    /// Production normally refuses SQLite; this allows it explicitly.
    pub allow_sqlite_in_production: bool,
    /// HS256 signing key for tokens; `None` generates and persists one (development only).
    pub jwt_secret: Option<SecretString>,
    /// Base URL people reach Taiwa at, used in links inside emails.
    pub public_url: String,
    /// `smtp://host:port` (or `smtps://user:pass@host`); `None` writes `.eml` files.
    pub smtp_url: Option<SecretString>,
    /// The From address of Taiwa's emails.
    pub mail_from: String,
    /// Lifetime of access tokens (at most 15 minutes).
    pub access_token_ttl: Duration,
    /// Absolute lifetime of a login (its refresh tokens never outlive it).
    pub refresh_token_ttl: Duration,
    /// A login not refreshed for this long ends (idle timeout).
    pub session_idle_ttl: Duration,
    /// Private notes are erased this many days after the record was written.
    pub notes_retention_days: u32,
    /// Lifetime of invitation links.
    pub invitation_ttl: Duration,
    /// Requests taking longer are answered 408.
    pub request_timeout: Duration,
    /// Largest accepted request body.
    pub body_limit_bytes: usize,
    /// Log format.
    pub log_format: LogFormat,
    /// Create demo data on first start of an empty embedded database.
    pub demo_data: bool,
    /// Employees cannot cancel or reschedule later than this before a session.
    pub cancellation_cutoff: Duration,
    /// Wraps the per-employee keys of consultants' private notes; `None`
    /// generates and persists one (development only).
    pub master_key: Option<SecretString>,
    /// Stripe, for HR to buy credits; `None` (the embedded default) means
    /// credits are granted by hand.
    pub stripe: Option<StripeConfig>,
    /// Smallest group of distinct people an organisational report cell may
    /// describe (default 10, never below 5).
    pub report_min_group: usize,
    /// Reverse proxies (addresses or CIDR networks, comma-separated) whose
    /// `X-Forwarded-For` names the client; empty = none.
    pub trusted_proxies: String,
    /// NATS with JetStream (`nats://host:4222`); unset = events stay in
    /// this process (the embedded default).
    pub nats_url: Option<String>,
    /// Where a gateway-only process reaches matching (`http://matching:8080`).
    pub matching_url: Option<String>,
    /// Where a gateway-only process reaches booking.
    pub booking_url: Option<String>,
    /// Where a gateway-only process reaches reporting.
    pub reporting_url: Option<String>,
    /// The Jitsi Meet server each booking's own room is made on (e.g. a
    /// self-hosted one); nothing is called to make a room.
    pub meeting_base_url: String,
    /// The zone organisations count in: report months and quarters, credit
    /// weeks, local times in mails (IANA name; Japan by default).
    pub time_zone: chrono_tz::Tz,
    /// Show the written emails at `/dev/mail` (development with emails
    /// written to files only; to a browser on this machine only).
    pub dev_mailbox: bool,
    /// A second, private listener serving the full operational metrics
    /// (`/metrics`, Prometheus); unset = none. The public address answers
    /// `/metrics` with nothing that moves when people use Taiwa.
    pub metrics_addr: Option<SocketAddr>,
}

/// The Stripe account credits are bought through.
#[derive(Clone, Debug)]
pub struct StripeConfig {
    /// The secret API key (`sk_…`).
    pub secret_key: SecretString,
    /// The webhook endpoint's signing secret (`whsec_…`).
    pub webhook_secret: SecretString,
    /// Another API base URL (a local Stripe-compatible server in tests);
    /// `None` is Stripe itself.
    pub api_base: Option<String>,
}

/// Longest access-token lifetime we issue.
pub const MAX_ACCESS_TOKEN_TTL: Duration = Duration::from_secs(15 * 60);

impl Config {
    /// A configuration that runs with nothing set: development, embedded SQLite
    /// under `./data/`, port 8080 on loopback, mail written to files.
    pub fn embedded_default() -> Self {
        Self {
            environment: Environment::Development,
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("data"),
            database_url: None,
            allow_sqlite_in_production: false,
            jwt_secret: None,
            public_url: "http://127.0.0.1:8080".to_owned(),
            smtp_url: None,
            mail_from: "Taiwa <no-reply@taiwa.test>".to_owned(),
            access_token_ttl: MAX_ACCESS_TOKEN_TTL,
            refresh_token_ttl: Duration::from_secs(12 * 3600),
            session_idle_ttl: Duration::from_secs(30 * 60),
            notes_retention_days: 3 * 365,
            invitation_ttl: Duration::from_secs(7 * 24 * 3600),
            request_timeout: Duration::from_secs(30),
            body_limit_bytes: 2 * 1024 * 1024,
            log_format: LogFormat::Text,
            demo_data: true,
            cancellation_cutoff: Duration::from_secs(24 * 3600),
            master_key: None,
            stripe: None,
            report_min_group: 10,
            trusted_proxies: String::new(),
            nats_url: None,
            matching_url: None,
            booking_url: None,
            reporting_url: None,
            meeting_base_url: "https://meet.jit.si".to_owned(),
            time_zone: crate::time::DEFAULT_ORG_ZONE,
            dev_mailbox: true,
            metrics_addr: None,
        }
    }

    /// Whether the database is SQLite (the embedded default or an explicit `sqlite:` URL).
    pub fn uses_sqlite(&self) -> bool {
        use secrecy::ExposeSecret;
        match &self.database_url {
            None => true,
            Some(url) => url.expose_secret().starts_with("sqlite:"),
        }
    }

    /// Refuses settings that are unsafe for the chosen environment. The messages
    /// name the setting to change and never echo a secret.
    pub fn validate(&self) -> Result<(), Vec<String>> {
        let mut problems = Vec::new();
        if self.access_token_ttl > MAX_ACCESS_TOKEN_TTL || self.access_token_ttl.is_zero() {
            problems.push("TAIWA_ACCESS_TOKEN_TTL_SECS must be between 1 and 900".to_owned());
        }
        if self.environment == Environment::Production {
            if self.demo_data {
                problems.push(
                    "production refuses demo data: unset TAIWA_DEMO_DATA or set it to false"
                        .to_owned(),
                );
            }
            if self.jwt_secret.is_none() {
                problems.push(
                    "production refuses a generated signing key: set TAIWA_JWT_SECRET (at least 32 bytes)"
                        .to_owned(),
                );
            }
            if self.master_key.is_none() {
                problems.push(
                    "production refuses a generated master key: set TAIWA_MASTER_KEY (at least 32 bytes)"
                        .to_owned(),
                );
            }
            if self.uses_sqlite() && !self.allow_sqlite_in_production {
                problems.push(
                    "production refuses SQLite: set DATABASE_URL=postgres://… or TAIWA_ALLOW_SQLITE_IN_PRODUCTION=true"
                        .to_owned(),
                );
            }
        }
        if let Err(problem) = crate::client_addr::TrustedProxies::parse(&self.trusted_proxies) {
            problems.push(problem);
        }
        let meeting = self.meeting_base_url.trim();
        let meeting_ok = meeting.starts_with("https://")
            || (self.environment == Environment::Development && meeting.starts_with("http://"));
        if !meeting_ok || meeting.len() < 10 || meeting.contains(['?', '#', ' ']) {
            problems.push(
                "TAIWA_MEETING_BASE_URL must be the https:// address of a Jitsi Meet server (no query)"
                    .to_owned(),
            );
        }
        if self
            .metrics_addr
            .is_some_and(|m| m == self.addr && m.port() != 0)
        {
            problems.push(
                "TAIWA_METRICS_ADDR must differ from TAIWA_ADDR: the full metrics are private"
                    .to_owned(),
            );
        }
        if self.report_min_group < 5 {
            problems.push("TAIWA_REPORT_MIN_GROUP must be at least 5".to_owned());
        }
        if let Some(stripe) = &self.stripe {
            use secrecy::ExposeSecret;
            if stripe.secret_key.expose_secret().is_empty()
                || stripe.webhook_secret.expose_secret().is_empty()
            {
                problems.push(
                    "Stripe needs both TAIWA_STRIPE_SECRET_KEY and TAIWA_STRIPE_WEBHOOK_SECRET"
                        .to_owned(),
                );
            }
            if self.environment == Environment::Production
                && stripe
                    .api_base
                    .as_deref()
                    .is_some_and(|base| !base.starts_with("https://"))
            {
                problems.push("production refuses a non-https TAIWA_STRIPE_API_BASE".to_owned());
            }
        }
        if let Some(secret) = &self.jwt_secret {
            use secrecy::ExposeSecret;
            if secret.expose_secret().len() < 32 {
                problems.push("TAIWA_JWT_SECRET must be at least 32 bytes".to_owned());
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }
}

#[cfg(test)]
mod tests;
