//! The storage seam: portable SQL through sqlx's `Any` driver.
//!
//! One code path serves SQLite (the embedded default) and PostgreSQL
//! (production). Queries use `$1`-style placeholders, which both accept, and
//! only portable column types: `TEXT` (ids as hyphenated UUIDs, JSON as text),
//! `BIGINT` (integers, booleans as 0/1, instants as UTC epoch milliseconds, see
//! [`crate::time`]) and `DOUBLE PRECISION`. Where a backend needs its own SQL
//! (row locks, exclusion constraints), a store branches on [`Backend`].

use std::path::Path;
use std::sync::Once;
use std::time::Duration;

use anyhow::Context;
use secrecy::{ExposeSecret, SecretString};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, ConnectOptions, Executor};

/// Which database engine is behind the pool.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// SQLite (WAL, foreign keys on, busy timeout).
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

/// A connection pool plus the backend it talks to.
#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
}

/// The embedded database file's URL inside a data folder.
pub fn embedded_url(data_dir: &Path) -> anyhow::Result<SecretString> {
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("creating data folder {}", data_dir.display()))?;
    let dir = std::fs::canonicalize(data_dir).context("resolving the data folder")?;
    let file = dir.join("taiwa.db");
    Ok(SecretString::from(format!(
        "sqlite://{}?mode=rwc",
        file.display()
    )))
}

impl Db {
    /// Connects to `url` (`sqlite:…` or `postgres://…`).
    pub async fn connect(url: &SecretString) -> anyhow::Result<Self> {
        static DRIVERS: Once = Once::new();
        DRIVERS.call_once(sqlx::any::install_default_drivers);

        let raw = url.expose_secret();
        let backend = if raw.starts_with("sqlite:") {
            Backend::Sqlite
        } else if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            anyhow::bail!("DATABASE_URL must start with sqlite: or postgres://");
        };
        let options: AnyConnectOptions = raw
            .parse::<AnyConnectOptions>()
            .context("parsing DATABASE_URL")?
            .log_statements(tracing::log::LevelFilter::Debug)
            .log_slow_statements(tracing::log::LevelFilter::Warn, Duration::from_secs(1));
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 8 } else { 16 })
            .acquire_timeout(Duration::from_secs(10))
            // No ping before each use: a round trip (on SQLite a hand-off to
            // the connection's thread) per acquire, on every request. sqlx
            // still pings each connection as it goes back to the pool (in
            // the background, off the request's path) and closes one that
            // fails, so a connection the server dropped is not handed out
            // again; one dropped while idle fails its next query.
            .test_before_acquire(false)
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        conn.execute("PRAGMA busy_timeout = 10000").await?;
                        conn.execute("PRAGMA synchronous = NORMAL").await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .context("connecting to the database")?;
        Ok(Self { pool, backend })
    }

    /// The pool, for stores to run their queries on.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// The engine behind the pool.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Starts a transaction that will write. On SQLite it takes the write lock
    /// up front (`BEGIN IMMEDIATE`), so a read-then-write transaction waits for
    /// its turn instead of failing when another writer committed in between.
    pub async fn begin_write(&self) -> anyhow::Result<sqlx::Transaction<'static, sqlx::Any>> {
        let tx = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        };
        tx.context("starting a write transaction")
    }

    /// Whether the database answers (for `/readyz`).
    pub async fn is_ready(&self) -> bool {
        let probe = sqlx::query_scalar::<_, i64>("SELECT 1").fetch_one(&self.pool);
        matches!(
            tokio::time::timeout(Duration::from_secs(2), probe).await,
            Ok(Ok(1))
        )
    }

    /// Applies a service's migrations. Each service keeps its own folder under
    /// `migrations/` with its own version range, so the migrators share sqlx's
    /// bookkeeping table without knowing of each other.
    pub async fn migrate(&self, migrator: &Migrator) -> anyhow::Result<()> {
        let mut migrator = Migrator {
            ignore_missing: true,
            ..clone_migrator(migrator)
        };
        migrator.set_locking(self.backend == Backend::Postgres);
        migrator
            .run(&self.pool)
            .await
            .context("applying migrations")?;
        Ok(())
    }

    /// Closes the pool (waits for connections to be returned).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

fn clone_migrator(m: &Migrator) -> Migrator {
    Migrator {
        migrations: m.migrations.clone(),
        ignore_missing: m.ignore_missing,
        locking: m.locking,
        no_tx: m.no_tx,
    }
}

/// Whether an error is the database giving up on a transaction so that it
/// can be run again from the start: a deadlock (`40P01`) or a serialization
/// failure (`40001`) on PostgreSQL, a busy or locked database on SQLite.
/// Looks through the whole cause chain.
pub fn is_transient_conflict(err: &anyhow::Error) -> bool {
    err.chain()
        .any(|cause| match cause.downcast_ref::<sqlx::Error>() {
            Some(sqlx::Error::Database(db)) => {
                let code = db.code();
                let code = code.as_deref().unwrap_or_default();
                // SQLite: SQLITE_BUSY (5) and SQLITE_LOCKED (6), with extended codes.
                matches!(code, "40P01" | "40001" | "5" | "6" | "261" | "517" | "262")
            }
            _ => false,
        })
}

/// How many times [`retry_conflicts`] runs a transaction at most.
pub const CONFLICT_ATTEMPTS: u32 = 5;

/// Runs `attempt` (one whole transaction, begun and committed inside it)
/// again when the database aborted it for a deadlock or a serialization
/// failure ([`is_transient_conflict`]), up to [`CONFLICT_ATTEMPTS`] times with
/// a short, growing, jittered pause; any other outcome is returned as is.
/// Every request path that takes a consultant's calendar lock and an org's
/// balance (book, cancel, reschedule, follow-ups) goes through it; event
/// handlers are retried by the dispatcher instead.
pub async fn retry_conflicts<T, F, Fut>(mut attempt: F) -> Result<T, crate::error::ApiError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, crate::error::ApiError>>,
{
    let mut tries = 1;
    loop {
        match attempt().await {
            Err(crate::error::ApiError::Unexpected(err))
                if tries < CONFLICT_ATTEMPTS && is_transient_conflict(&err) =>
            {
                tracing::warn!(
                    attempt = tries,
                    "transaction aborted by a lock conflict; retrying"
                );
                let pause = 5 * u64::from(tries) + rand::random_range(0..10u64);
                tokio::time::sleep(Duration::from_millis(pause)).await;
                tries += 1;
            }
            outcome => return outcome,
        }
    }
}

/// Whether a database error is a unique-constraint violation (both backends).
pub fn is_unique_violation(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::Database(db) => db.is_unique_violation(),
        _ => false,
    }
}

/// The URL of database `name` on the server of `admin_url` (keeping its
/// user, host and query options) — for benchmarks and tests that create a
/// scratch database.
pub fn url_of_database(admin_url: &str, name: &str) -> String {
    let (base, query) = admin_url
        .split_once('?')
        .map_or((admin_url, None), |(a, q)| (a, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let root = base[scheme_end..]
        .find('/')
        .map_or(base, |slash| &base[..scheme_end + slash]);
    query.map_or_else(
        || format!("{root}/{name}"),
        |q| format!("{root}/{name}?{q}"),
    )
}

/// A database created for a benchmark on the server of an admin URL, and
/// dropped (even when its users still hold connections) by [`Self::drop`].
pub struct ScratchDatabase {
    admin: sqlx::PgConnection,
    name: String,
    /// Its URL.
    pub url: String,
}

impl ScratchDatabase {
    /// Creates `name` (dropping a leftover of the same name first).
    pub async fn create(admin_url: &str, name: &str) -> anyhow::Result<Self> {
        use anyhow::Context;
        use sqlx::Connection;
        let mut admin = sqlx::PgConnection::connect(admin_url)
            .await
            .context("connecting to PostgreSQL")?;
        sqlx::query(&format!("DROP DATABASE IF EXISTS {name}"))
            .execute(&mut admin)
            .await?;
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .await?;
        Ok(Self {
            admin,
            name: name.to_owned(),
            url: url_of_database(admin_url, name),
        })
    }

    /// Drops the database.
    pub async fn drop(mut self) {
        let _ = sqlx::query(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        ))
        .execute(&mut self.admin)
        .await;
    }
}
