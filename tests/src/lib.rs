//! Black-box test harness: starts the real Taiwa on a random port against a
//! fresh database (a temporary SQLite file, or a new PostgreSQL database when
//! `TAIWA_TEST_DATABASE_URL` is set) and drives it over HTTP as a client would.

use std::path::PathBuf;
use std::time::Duration;

use reqwest::StatusCode;
use secrecy::SecretString;
use serde_json::Value;
use shared::auth::Role;
use shared::config::Config;
use shared::db::Db;
use shared::ids::{OrgId, UserId};
use sqlx::Connection;
use taiwa::app::{Application, Foundation, ServiceSelection};
use taiwa_identity::domain::{Email, Password};
use taiwa_identity::store::{self, NewUser};
use taiwa_identity::totp::{SealKey, TotpSecret};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub mod cluster;
pub mod stripe_fake;

/// Runs a test body once per backend: `sqlite` always, `postgres` when
/// `TAIWA_TEST_DATABASE_URL` is set (otherwise reported as ignored, with why).
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name($crate::Backend::Sqlite).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            #[cfg_attr(not(taiwa_pg), ignore = "needs PostgreSQL: set TAIWA_TEST_DATABASE_URL")]
            async fn postgres() {
                super::$name($crate::Backend::Postgres).await
            }
        }
    )*};
}

/// Which database a test runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// A temporary SQLite file.
    Sqlite,
    /// A fresh database on the server named by `TAIWA_TEST_DATABASE_URL`.
    Postgres,
}

/// The password of every fixture account.
pub const FIXTURE_PASSWORD: &str = "fixture-password-123";
/// The signing key tests use (so forged-token tests can sign with others).
pub const TEST_JWT_SECRET: &str = "test-signing-key-that-is-long-enough-0123456789";

/// A person created for a test.
#[derive(Clone, Debug)]
pub struct Account {
    /// Id.
    pub id: UserId,
    /// Email.
    pub email: String,
    /// Base32 TOTP secret, for accounts with a second factor (the operator).
    pub totp: Option<String>,
}

impl Account {
    /// The account's current one-time code, if it has a second factor.
    pub fn totp_code(&self) -> Option<String> {
        let secret = TotpSecret::from_base32(self.totp.as_deref()?)?;
        Some(secret.code_at(chrono::Utc::now().timestamp()))
    }
}

/// Two client orgs and one person per role (HR and an employee in each org).
#[derive(Clone, Debug)]
pub struct Fixtures {
    /// Org A.
    pub org_a: OrgId,
    /// Org B.
    pub org_b: OrgId,
    /// HR of org A.
    pub hr_a: Account,
    /// HR of org B.
    pub hr_b: Account,
    /// An employee of org A.
    pub employee_a: Account,
    /// An employee of org B.
    pub employee_b: Account,
    /// A consultant.
    pub consultant: Account,
    /// An operator.
    pub operator: Account,
}

/// A fresh, migrated database for one test, removed when dropped.
pub struct TestDb {
    /// The pool.
    pub db: Db,
    /// Its URL.
    pub url: SecretString,
    /// A temporary folder (the SQLite file lives here).
    pub dir: PathBuf,
    postgres: Option<(String, String)>,
}

impl TestDb {
    /// Creates and migrates a fresh database on `backend`.
    pub async fn fresh(backend: Backend) -> Self {
        let dir = fresh_dir();
        let (url, postgres) = match backend {
            Backend::Sqlite => (shared::db::embedded_url(&dir).expect("sqlite url"), None),
            Backend::Postgres => {
                let (admin, name, url) = fresh_postgres()
                    .await
                    .expect("creating a PostgreSQL test database");
                (SecretString::from(url), Some((admin, name)))
            }
        };
        let db = Db::connect(&url)
            .await
            .expect("connecting to the test database");
        for migrator in [
            &taiwa_identity::MIGRATOR,
            &taiwa_matching::MIGRATOR,
            &taiwa_booking::MIGRATOR,
            &taiwa_reporting::MIGRATOR,
        ] {
            db.migrate(migrator).await.expect("migrating");
        }
        Self {
            db,
            url,
            dir,
            postgres,
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin, name)) = self.postgres.take() {
            // Runs even when the test failed, so no database is left behind.
            let _ = std::thread::spawn(move || {
                if let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    rt.block_on(drop_postgres(admin, name));
                }
            })
            .join();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A running Taiwa for one test.
pub struct TestApp {
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    /// The private metrics listener's base URL, when one is configured.
    pub metrics_base: Option<String>,
    /// HTTP client.
    pub http: reqwest::Client,
    /// The app's database.
    pub db: Db,
    /// The app's data folder (mail is written under `mail/`).
    pub data_dir: PathBuf,
    /// Seeded people.
    pub fixtures: Fixtures,
    /// Which backend.
    pub backend: Backend,
    /// The key of the sign-in throttle's digests (to seed its counts).
    pub throttle_key: taiwa_identity::throttle::ThrottleKey,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<()>>,
    _database: TestDb,
    /// Tokens of logins made with a one-time code, by email.
    second_factor_tokens: tokio::sync::Mutex<std::collections::HashMap<String, String>>,
}

fn fresh_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("taiwa-test-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).ok();
    dir
}

/// Creates a fresh PostgreSQL database; returns (admin URL, its name, its URL).
async fn fresh_postgres() -> anyhow::Result<(String, String, String)> {
    let admin = std::env::var("TAIWA_TEST_DATABASE_URL")?;
    let name = format!("taiwa_test_{}", uuid::Uuid::new_v4().simple());
    let mut conn = sqlx::PgConnection::connect(&admin).await?;
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await?;
    conn.close().await?;
    let (without_query, query) = admin
        .split_once('?')
        .map_or((admin.as_str(), None), |(a, q)| (a, Some(q)));
    let scheme_end = without_query.find("://").map_or(0, |i| i + 3);
    let base = match without_query[scheme_end..].find('/') {
        Some(slash) => &without_query[..scheme_end + slash],
        None => without_query,
    };
    let url = match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    };
    Ok((admin, name, url))
}

async fn drop_postgres(admin: String, name: String) {
    if let Ok(mut conn) = sqlx::PgConnection::connect(&admin).await {
        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(&mut conn)
            .await;
        let _ = conn.close().await;
    }
}

impl TestApp {
    /// Starts Taiwa (every service) on `backend` with the fixtures.
    pub async fn spawn(backend: Backend) -> Self {
        Self::spawn_with(backend, |_| {}).await
    }

    /// Like [`TestApp::spawn`], letting the test adjust the configuration.
    pub async fn spawn_with(backend: Backend, adjust: impl FnOnce(&mut Config)) -> Self {
        Self::spawn_full(backend, adjust, |_, _| async {}).await
    }

    /// Like [`TestApp::spawn`], with `seed` writing data before the app starts
    /// (so that in-memory indexes load it).
    pub async fn spawn_seeded<Fut: std::future::Future<Output = ()>>(
        backend: Backend,
        seed: impl FnOnce(Db, Fixtures) -> Fut,
    ) -> Self {
        Self::spawn_full(backend, |_| {}, seed).await
    }

    /// Like [`TestApp::spawn_seeded`], letting the test adjust the
    /// configuration too.
    pub async fn spawn_full<Fut: std::future::Future<Output = ()>>(
        backend: Backend,
        adjust: impl FnOnce(&mut Config),
        seed: impl FnOnce(Db, Fixtures) -> Fut,
    ) -> Self {
        let database = TestDb::fresh(backend).await;
        let data_dir = database.dir.clone();
        let mut config = Config {
            addr: "127.0.0.1:0".parse().expect("addr"),
            data_dir: data_dir.clone(),
            database_url: Some(database.url.clone()),
            jwt_secret: Some(SecretString::from(TEST_JWT_SECRET)),
            demo_data: false,
            ..Config::embedded_default()
        };
        adjust(&mut config);
        let base = Foundation::prepare(config)
            .await
            .expect("preparing the app");
        let fixtures = seed_fixtures(&base).await.expect("seeding fixtures");
        let db = base.db.clone();
        let throttle_key = taiwa_identity::throttle::ThrottleKey::from_master(&base.master_secret);
        seed(db.clone(), fixtures.clone()).await;
        let app = Application::build_with(base, ServiceSelection::All, false)
            .await
            .expect("building the app");
        let port = app.port();
        let metrics_base = app.metrics_port().map(|p| format!("http://127.0.0.1:{p}"));
        let (tx, rx) = oneshot::channel::<()>();
        let server = tokio::spawn(async move {
            let _ = app
                .run_until_stopped(async move {
                    let _ = rx.await;
                })
                .await;
        });
        let test_app = Self {
            base: format!("http://127.0.0.1:{port}"),
            metrics_base,
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(30))
                .build()
                .expect("client"),
            db,
            data_dir,
            fixtures,
            backend,
            throttle_key,
            shutdown: Some(tx),
            server: Some(server),
            second_factor_tokens: tokio::sync::Mutex::default(),
            _database: database,
        };
        test_app.wait_ready().await;
        test_app
    }

    /// Polls `/readyz` until it answers 200 (with a deadline, no blind sleeps).
    pub async fn wait_ready(&self) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(r) = self.http.get(format!("{}/readyz", self.base)).send().await
                && r.status() == StatusCode::OK
            {
                return;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "the app did not become ready"
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// Stops the server gracefully and waits for it.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(server) = self.server.take() {
            let _ = tokio::time::timeout(Duration::from_secs(10), server).await;
        }
    }

    /// Sends a request; returns the status and the JSON body (or `Value::Null`).
    pub async fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut request = self.http.request(method, format!("{}{}", self.base, path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("request");
        let status = response.status();
        let text = response.text().await.expect("body");
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// GET with an optional token.
    pub async fn get(&self, path: &str, token: Option<&str>) -> (StatusCode, Value) {
        self.call("GET", path, token, None).await
    }

    /// POST JSON with an optional token.
    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> (StatusCode, Value) {
        self.call("POST", path, token, Some(body)).await
    }

    /// Logs in and returns the whole token response.
    pub async fn login_response(&self, email: &str, password: &str) -> (StatusCode, Value) {
        self.post(
            "/api/v1/auth/login",
            None,
            serde_json::json!({ "email": email, "password": password }),
        )
        .await
    }

    /// Logs in with the fixture password and returns the access token. An
    /// account with a second factor signs in once with a code (a code works
    /// once), and that login's token is reused.
    pub async fn token(&self, account: &Account) -> String {
        let Some(code) = account.totp_code() else {
            return self.password_login(account).await;
        };
        let mut cached = self.second_factor_tokens.lock().await;
        if let Some(token) = cached.get(&account.email) {
            return token.clone();
        }
        let (status, body) = self
            .post(
                "/api/v1/auth/login",
                None,
                serde_json::json!({ "email": account.email, "password": FIXTURE_PASSWORD, "totp": code }),
            )
            .await;
        assert_eq!(
            status,
            StatusCode::OK,
            "login {} with a code: {body}",
            account.email
        );
        let token = body["access_token"]
            .as_str()
            .expect("access_token")
            .to_owned();
        cached.insert(account.email.clone(), token.clone());
        token
    }

    /// Adds one more employee to `org`, signing in with the fixture password
    /// (as the fixtures do: written to identity's and booking's tables).
    pub async fn add_employee(&self, org: OrgId, email: &str) -> Account {
        let id = UserId::new();
        let mut tx = self.db.begin_write().await.expect("transaction");
        sqlx::query(
            "INSERT INTO identity_users (id, org_id, email, password_hash, role, display_name, created_at) \
             SELECT $1, $2, $3, password_hash, role, $3, created_at FROM identity_users WHERE id = $4",
        )
        .bind(id.to_string())
        .bind(org.to_string())
        .bind(email)
        .bind(self.fixtures.employee_a.id.to_string())
        .execute(&mut *tx)
        .await
        .expect("adding an employee");
        let contact = taiwa_booking::store::NewContact {
            user: id,
            org: Some(org),
            email: email.to_owned(),
            display_name: email.to_owned(),
            cohort: None,
            name: taiwa_booking::store::PersonName::default(),
        };
        taiwa_booking::store::save_contact(
            &mut tx,
            &contact,
            shared::time::to_db(shared::time::now()),
        )
        .await
        .expect("booking's contact");
        tx.commit().await.expect("commit");
        Account {
            id,
            email: email.to_owned(),
            totp: None,
        }
    }

    /// Logs in with the fixture password only.
    pub async fn password_login(&self, account: &Account) -> String {
        let (status, body) = self.login_response(&account.email, FIXTURE_PASSWORD).await;
        assert_eq!(status, StatusCode::OK, "login {}: {body}", account.email);
        body["access_token"]
            .as_str()
            .expect("access_token")
            .to_owned()
    }

    /// Every value stored in every table of the app's database, as text
    /// (one line per row), to search for what must never be stored.
    pub async fn every_stored_text(&self) -> String {
        use sqlx::Row;
        let tables: Vec<String> = match self.backend {
            Backend::Sqlite => sqlx::query_scalar(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
            )
            .fetch_all(self.db.pool())
            .await
            .expect("tables"),
            Backend::Postgres => sqlx::query_scalar(
                "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public'",
            )
            .fetch_all(self.db.pool())
            .await
            .expect("tables"),
        };
        let mut out = String::new();
        for table in tables {
            // Every column as text, whatever its type.
            let sql = match self.backend {
                Backend::Postgres => {
                    format!("SELECT CAST(t AS TEXT) AS row_text FROM \"{table}\" t")
                }
                Backend::Sqlite => {
                    let columns: Vec<String> = sqlx::query_scalar(&format!(
                        "SELECT name FROM pragma_table_info('{table}')"
                    ))
                    .fetch_all(self.db.pool())
                    .await
                    .expect("columns");
                    let cast: Vec<String> = columns
                        .iter()
                        .map(|c| {
                            format!(
                                "CASE WHEN typeof(\"{c}\") = 'blob' THEN hex(\"{c}\") ELSE CAST(\"{c}\" AS TEXT) END"
                            )
                        })
                        .collect();
                    format!("SELECT {} FROM \"{table}\"", cast.join(", "))
                }
            };
            let rows = sqlx::query(&sql)
                .fetch_all(self.db.pool())
                .await
                .expect("rows");
            for row in rows {
                out.push_str(&table);
                for i in 0..row.len() {
                    if let Ok(Some(text)) = row.try_get::<Option<String>, _>(i) {
                        out.push('|');
                        out.push_str(&text);
                    }
                }
                out.push('\n');
            }
        }
        out
    }

    /// An org's true credit balance, straight from booking's ledger. No API
    /// shows it: HR sees uses only in weekly batches of at least k people.
    pub async fn true_credit_balance(&self, org: OrgId) -> i64 {
        let mut conn = self.db.pool().acquire().await.expect("conn");
        taiwa_booking::store::balance(&mut conn, org)
            .await
            .expect("balance")
    }

    /// The `.eml` files written so far (embedded mail transport), decoded.
    pub fn written_mail(&self) -> Vec<ReceivedMail> {
        let Ok(entries) = std::fs::read_dir(self.data_dir.join("mail")) else {
            return Vec::new();
        };
        entries
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
            .filter_map(|e| std::fs::read_to_string(e.path()).ok())
            .map(|raw| ReceivedMail::parse(&raw))
            .collect()
    }

    /// Every written message as its decoded parts (text and attachments).
    pub fn written_mail_parts(&self) -> Vec<Vec<ReceivedMail>> {
        let Ok(entries) = std::fs::read_dir(self.data_dir.join("mail")) else {
            return Vec::new();
        };
        entries
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
            .filter_map(|e| std::fs::read_to_string(e.path()).ok())
            .map(|raw| ReceivedMail::parts(&raw))
            .collect()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        archive_written_mail(&self.data_dir.join("mail"));
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(server) = self.server.take() {
            server.abort();
        }
    }
}

/// Copies the `.eml` files a test's embedded app wrote into
/// `TAIWA_TEST_MAIL_ARCHIVE`, when it is set (as `.ci/run` sets it), so that
/// third-party validators check every mail the whole suite sent
/// (`tests/validators/run.py`), not only the SMTP journeys'.
fn archive_written_mail(folder: &std::path::Path) {
    let Some(archive) = std::env::var_os("TAIWA_TEST_MAIL_ARCHIVE") else {
        return;
    };
    let archive = PathBuf::from(archive);
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    if std::fs::create_dir_all(&archive).is_err() {
        return;
    }
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if path.extension().is_some_and(|x| x == "eml") {
            let name = format!("{}.eml", uuid::Uuid::new_v4());
            let _ = std::fs::copy(&path, archive.join(name));
        }
    }
}

async fn seed_fixtures(base: &Foundation) -> anyhow::Result<Fixtures> {
    let password = Password::parse(FIXTURE_PASSWORD).map_err(anyhow::Error::msg)?;
    let hash = base.hasher.hash(&password).await?;
    let now = shared::time::to_db(shared::time::now());
    let mut tx = base.db.begin_write().await?;
    let (org_a, org_b) = (OrgId::new(), OrgId::new());
    store::insert_org(&mut tx, org_a, "Org A", now).await?;
    store::insert_org(&mut tx, org_b, "Org B", now).await?;
    let mut make = async |email: &str, role: Role, org: Option<OrgId>| -> anyhow::Result<Account> {
        let id = UserId::new();
        let parsed = Email::parse(email).map_err(anyhow::Error::msg)?;
        let user = NewUser {
            id,
            org_id: org,
            email: &parsed,
            password_hash: &hash,
            role,
            display_name: email,
            created_at: now,
        };
        store::insert_user(&mut tx, &user).await?;
        let totp = if role == Role::Operator {
            // Operators must sign in with a second factor.
            let secret = TotpSecret::generate();
            let sealed = SealKey::from_master(&base.master_secret).seal(&secret)?;
            store::mfa::set_pending_totp(&mut tx, id, &sealed).await?;
            store::mfa::enable_totp(&mut tx, id, now).await?;
            Some(secret.to_base32())
        } else {
            None
        };
        Ok(Account {
            id,
            email: email.to_owned(),
            totp,
        })
    };
    let fixtures = Fixtures {
        org_a,
        org_b,
        hr_a: make("hr@a.example.com", Role::Hr, Some(org_a)).await?,
        hr_b: make("hr@b.example.com", Role::Hr, Some(org_b)).await?,
        employee_a: make("employee@a.example.com", Role::Employee, Some(org_a)).await?,
        employee_b: make("employee@b.example.com", Role::Employee, Some(org_b)).await?,
        consultant: make("consultant@platform.example.com", Role::Consultant, None).await?,
        operator: make("operator@platform.example.com", Role::Operator, None).await?,
    };
    // Booking learns addresses from identity's events; fixtures skip the bus.
    for a in [
        &fixtures.hr_a,
        &fixtures.hr_b,
        &fixtures.employee_a,
        &fixtures.employee_b,
        &fixtures.consultant,
        &fixtures.operator,
    ] {
        let org = [
            (&fixtures.hr_a, fixtures.org_a),
            (&fixtures.employee_a, fixtures.org_a),
            (&fixtures.hr_b, fixtures.org_b),
            (&fixtures.employee_b, fixtures.org_b),
        ]
        .into_iter()
        .find(|(who, _)| who.id == a.id)
        .map(|(_, org)| org);
        let contact = taiwa_booking::store::NewContact {
            user: a.id,
            org,
            email: a.email.clone(),
            display_name: a.email.clone(),
            cohort: None,
            name: taiwa_booking::store::PersonName::default(),
        };
        taiwa_booking::store::save_contact(&mut tx, &contact, now).await?;
    }
    // Booking learns who may be booked from matching's events; the fixture
    // consultant is approved (tests of withdrawal change it over the API).
    taiwa_booking::store::save_standing(
        &mut tx,
        fixtures.consultant.id,
        &shared::contracts::ConsultantStanding {
            status: shared::contracts::ApprovalStatus::Approved,
            affiliated_org_ids: Vec::new(),
            as_of: 0,
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(fixtures)
}

/// A written or received message: its headers as sent, and its text body
/// decoded from the transfer encoding (base64 or quoted-printable).
#[derive(Clone, Debug)]
pub struct ReceivedMail {
    /// Raw header block.
    pub headers: String,
    /// Decoded text.
    pub body: String,
}

impl ReceivedMail {
    /// Parses a single-part RFC 5322 message.
    pub fn parse(raw: &str) -> Self {
        let raw = raw.replace("\r\n", "\n");
        let (headers, body) = raw.split_once("\n\n").unwrap_or((raw.as_str(), ""));
        let encoding = headers
            .lines()
            .find_map(|l| {
                l.to_ascii_lowercase()
                    .strip_prefix("content-transfer-encoding:")
                    .map(|v| v.trim().to_owned())
            })
            .unwrap_or_default();
        let body = match encoding.as_str() {
            "base64" => {
                let joined: String = body.split_whitespace().collect();
                let bytes =
                    base64::Engine::decode(&base64::engine::general_purpose::STANDARD, joined)
                        .unwrap_or_default();
                String::from_utf8_lossy(&bytes).into_owned()
            }
            "quoted-printable" => decode_quoted_printable(body),
            _ => body.to_owned(),
        };
        Self {
            headers: headers.to_owned(),
            body,
        }
    }

    /// Every part of a (possibly multipart) message, each decoded: the text
    /// and the attachments, such as a booking's `.ics`.
    pub fn parts(raw: &str) -> Vec<Self> {
        let raw = raw.replace("\r\n", "\n");
        let (headers, _) = raw.split_once("\n\n").unwrap_or((raw.as_str(), ""));
        let boundary = headers
            .replace("\n ", " ")
            .replace("\n\t", " ")
            .split("boundary=")
            .nth(1)
            .map(|b| {
                b.trim_start_matches('"')
                    .split(['"', ';', '\n', ' '])
                    .next()
                    .unwrap_or_default()
                    .to_owned()
            });
        let Some(boundary) = boundary.filter(|b| !b.is_empty()) else {
            return vec![Self::parse(&raw)];
        };
        let headers = headers.to_owned();
        raw.split(&format!("--{boundary}"))
            .skip(1)
            .filter(|part| !part.starts_with("--"))
            .flat_map(|part| Self::parts(part.trim_start_matches('\n')))
            .map(|mut part| {
                // Each part keeps the message's own headers (To:, Subject:) too.
                part.headers = format!("{headers}\n{}", part.headers);
                part
            })
            .collect()
    }

    /// The `Subject:` header, unfolded and with its RFC 2047 encoded words
    /// (`=?utf-8?b?…?=`, `=?utf-8?q?…?=`) decoded.
    pub fn subject(&self) -> String {
        let unfolded = self.headers.replace("\r\n", "\n").replace("\n ", " ");
        let raw = unfolded
            .lines()
            .find_map(|l| l.strip_prefix("Subject:"))
            .unwrap_or_default()
            .trim();
        let mut out = String::new();
        let mut last_encoded = false;
        for word in raw.split(' ') {
            let decoded = word
                .strip_prefix("=?")
                .and_then(|w| w.strip_suffix("?="))
                .and_then(|w| {
                    let mut parts = w.splitn(3, '?');
                    let (_charset, encoding, text) = (parts.next()?, parts.next()?, parts.next()?);
                    let bytes = match encoding.to_ascii_lowercase().as_str() {
                        "b" => {
                            base64::Engine::decode(&base64::engine::general_purpose::STANDARD, text)
                                .ok()?
                        }
                        "q" => decode_quoted_printable(&text.replace('_', " ")).into_bytes(),
                        _ => return None,
                    };
                    String::from_utf8(bytes).ok()
                });
            // Adjacent encoded words join without the space between them;
            // any other space stays.
            let encoded = decoded.is_some();
            if !(out.is_empty() || encoded && last_encoded) {
                out.push(' ');
            }
            out.push_str(decoded.as_deref().unwrap_or(word));
            last_encoded = encoded;
        }
        out
    }

    /// Whether the message is addressed to `to`.
    pub fn is_to(&self, to: &str) -> bool {
        self.headers.lines().any(|l| {
            l.to_ascii_lowercase().starts_with("to:")
                && l.to_ascii_lowercase().contains(&to.to_ascii_lowercase())
        })
    }

    /// The value of the link parameter `token=` in the body.
    pub fn link_token(&self) -> Option<String> {
        let start = self.body.find("token=")? + "token=".len();
        Some(
            self.body[start..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect(),
        )
    }
}

fn decode_quoted_printable(body: &str) -> String {
    let joined = body.replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&joined[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Seeds a confirmed one-hour booking of `employee` with the fixture
/// consultant, starting `starts_in` from now (negative: a session already
/// held), straight into booking's store.
pub async fn seed_booking(
    db: &shared::db::Db,
    f: &Fixtures,
    employee: shared::ids::UserId,
    starts_in: chrono::Duration,
    nickname: Option<&str>,
) -> taiwa_booking::domain::booking::BookingId {
    use taiwa_booking::domain::booking::{BookingId, BookingStatus};
    use taiwa_booking::store::{self, BookingRecord};
    let id = BookingId::new();
    let start = chrono::Utc::now() + starts_in;
    let record = BookingRecord {
        id,
        consultant_id: f.consultant.id,
        employee_id: employee,
        org_id: f.org_a,
        starts_at: start,
        ends_at: start + chrono::Duration::hours(1),
        status: BookingStatus::Confirmed,
        nickname: nickname.map(str::to_owned),
        agenda: None,
        idempotency_key: None,
        rescheduled_to: None,
    };
    let mut conn = db.pool().acquire().await.expect("conn");
    store::insert_booking(&mut conn, &record, 0)
        .await
        .expect("seed a booking");
    id
}

/// `text` with what changes from run to run replaced by placeholders, for
/// snapshot tests: ids, instants, dates and times, and random tokens (link
/// secrets, CSRF tokens). What stays is the wording, the structure and every
/// fixed value. Unfold an `.ics` before: its folds fall inside tokens.
pub fn normalised(text: &str) -> String {
    use std::sync::LazyLock;
    static RULES: LazyLock<Vec<(regex::Regex, &'static str)>> = LazyLock::new(|| {
        [
            (
                r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
                "[uuid]",
            ),
            (
                r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?",
                "[instant]",
            ),
            (r"\b\d{8}T\d{6}Z?\b", "[instant]"),
            (r"\b\d{4}-\d{2}-\d{2}\b", "[date]"),
            (r"\b\d{4}/\d{1,2}/\d{1,2}\b", "[date]"),
            (r"\d{4}年\d{1,2}月\d{1,2}日（[月火水木金土日]）", "[date]"),
            (
                r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} [A-Z][a-z]{2} \d{4}\b",
                "[date]",
            ),
            (r"\b\d{1,2}月\d{1,2}日", "[date]"),
            (r"\b\d{2}:\d{2}\b", "[time]"),
            // Secrets whose alphabet or length varies: by where they stand.
            (r#"(name="csrf" value=")[^"]*""#, "${1}[token]\""),
            (r"(/join/\[uuid\]/)[A-Za-z0-9_\-]+", "${1}[token]"),
            (r"([?&]token=)[A-Za-z0-9_\-]+", "${1}[token]"),
            // Any other long random run (no word of ours is this long).
            (r"[A-Za-z0-9_\-]{32,}", "[token]"),
        ]
        .into_iter()
        .map(|(pattern, placeholder)| {
            (
                regex::Regex::new(pattern).expect("a valid pattern"),
                placeholder,
            )
        })
        .collect()
    });
    let mut out = text.replace("\r\n", "\n");
    for (pattern, placeholder) in RULES.iter() {
        out = pattern.replace_all(&out, *placeholder).into_owned();
    }
    out
}
