//! The distributed mode as a test meets it: its own PostgreSQL cluster
//! (`initdb`/`pg_ctl` on a free port) and its own `nats-server` with
//! JetStream on a free port — never the machine's shared servers — and the
//! four `taiwa serve --service …` processes on loopback, each with its own
//! data folder. Everything stops when the cluster is dropped.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

mod servers;

pub use servers::{PrivateNats, PrivatePostgres, free_port};

/// The four services, in start order.
pub const SERVICES: [&str; 4] = ["matching", "booking", "reporting", "gateway"];
const JWT_SECRET: &str = "cluster-test-signing-key-0123456789abcdef";

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "taiwa-demo";

/// The `taiwa` binary next to the test binaries (`cargo test --workspace`
/// builds it).
pub fn taiwa_binary() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    let debug = exe.parent().and_then(Path::parent).expect("target/debug");
    let bin = debug.join("taiwa");
    assert!(
        bin.exists(),
        "{} is not built (cargo test --workspace builds it)",
        bin.display()
    );
    bin
}

/// A `taiwa` command with none of the caller's Taiwa settings inherited.
fn taiwa_command() -> Command {
    let mut cmd = Command::new(taiwa_binary());
    for (key, _) in std::env::vars() {
        if key.starts_with("TAIWA_") || key == "DATABASE_URL" {
            cmd.env_remove(key);
        }
    }
    cmd
}

/// One `taiwa serve --service …` process.
pub struct Process {
    /// Which service.
    pub service: &'static str,
    /// Its port.
    pub port: u16,
    child: Option<Child>,
    env: Vec<(String, String)>,
    dir: PathBuf,
}

impl Process {
    fn spawn(&mut self) {
        let mut cmd = taiwa_command();
        let log =
            std::fs::File::create(self.dir.join(format!("{}.log", self.service))).expect("log");
        cmd.args(["serve", "--service", self.service, "--addr"])
            .arg(format!("127.0.0.1:{}", self.port))
            .envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .env("TAIWA_DATA_DIR", self.dir.join(self.service))
            .stdout(Stdio::null())
            .stderr(log);
        self.child = Some(cmd.spawn().expect("starting taiwa"));
    }

    /// `kill -9`.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts it again (same port, folder and settings).
    pub fn restart(&mut self) {
        self.kill();
        self.spawn();
    }

    /// Its base URL.
    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        self.kill();
    }
}

/// PostgreSQL, NATS and the four services.
pub struct Cluster {
    /// The database server.
    pub postgres: PrivatePostgres,
    /// The event broker.
    pub nats: PrivateNats,
    /// matching, booking, reporting, gateway.
    pub processes: Vec<Process>,
    /// The database's URL.
    pub database_url: String,
    /// Where the processes keep their folders and logs.
    pub dir: PathBuf,
    /// An HTTP client with a timeout.
    pub http: reqwest::Client,
}

impl Cluster {
    /// Starts everything, with the demo data, and waits until every process
    /// is ready. `extra` settings go to every process.
    pub async fn start(extra: &[(&str, &str)]) -> Self {
        let dir =
            std::env::temp_dir().join(format!("taiwa-cluster-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).expect("cluster folder");
        let postgres = PrivatePostgres::start(&dir);
        let nats = PrivateNats::start(&dir);
        let admin = postgres.url("postgres");
        let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&admin)
            .await
            .expect("connecting to the private PostgreSQL");
        sqlx::query("CREATE DATABASE taiwa")
            .execute(&mut conn)
            .await
            .expect("create database");
        let database_url = postgres.url("taiwa");
        let ports: Vec<u16> = SERVICES.iter().map(|_| free_port()).collect();
        let mut env: Vec<(String, String)> = vec![
            ("DATABASE_URL".into(), database_url.clone()),
            ("TAIWA_NATS_URL".into(), nats.url()),
            (
                "TAIWA_JWT_SECRET".into(),
                "cluster-test-signing-key-0123456789abcdef".into(),
            ),
            (
                "TAIWA_MASTER_KEY".into(),
                "cluster-test-master-key-0123456789abcdef".into(),
            ),
            ("TAIWA_LOG".into(), "warn".into()),
            ("TAIWA_DEMO_DATA".into(), "false".into()),
            (
                "TAIWA_MATCHING_URL".into(),
                format!("http://127.0.0.1:{}", ports[0]),
            ),
            (
                "TAIWA_BOOKING_URL".into(),
                format!("http://127.0.0.1:{}", ports[1]),
            ),
            (
                "TAIWA_REPORTING_URL".into(),
                format!("http://127.0.0.1:{}", ports[2]),
            ),
            (
                "TAIWA_PUBLIC_URL".into(),
                format!("http://127.0.0.1:{}", ports[3]),
            ),
        ];
        env.extend(
            extra
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
        );
        // The demo data, written once, as `taiwa demo-data` does for a staging setup.
        let mut demo = taiwa_command();
        let out = demo
            .arg("demo-data")
            .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .env("TAIWA_DATA_DIR", dir.join("demo"))
            .output()
            .expect("taiwa demo-data");
        assert!(
            out.status.success(),
            "demo-data: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let mut processes = Vec::new();
        for (service, port) in SERVICES.iter().zip(ports) {
            let mut p = Process {
                service,
                port,
                child: None,
                env: env.clone(),
                dir: dir.clone(),
            };
            p.spawn();
            processes.push(p);
        }
        let cluster = Self {
            postgres,
            nats,
            processes,
            database_url,
            dir,
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(30))
                .build()
                .expect("client"),
        };
        for service in SERVICES {
            assert!(
                cluster.wait_ready(service, Duration::from_secs(90)).await,
                "{service} did not become ready:\n{}",
                cluster.log(service)
            );
        }
        cluster
    }

    /// Starts one more replica of `service` (same database, NATS and
    /// settings; its own port and folder) and waits until it is ready; its
    /// base URL.
    pub async fn add_replica(&mut self, service: &'static str) -> String {
        let n = self
            .processes
            .iter()
            .filter(|p| p.service == service)
            .count()
            + 1;
        let first = self
            .processes
            .iter()
            .find(|p| p.service == service)
            .expect("a known service");
        let dir = self.dir.join(format!("{service}-{n}"));
        std::fs::create_dir_all(&dir).expect("replica folder");
        let mut replica = Process {
            service,
            port: free_port(),
            child: None,
            env: first.env.clone(),
            dir,
        };
        replica.spawn();
        let base = replica.base();
        self.processes.push(replica);
        let until = Instant::now() + Duration::from_secs(90);
        loop {
            let ready = self
                .http
                .get(format!("{base}/readyz"))
                .send()
                .await
                .is_ok_and(|r| r.status() == 200);
            if ready {
                return base;
            }
            assert!(
                Instant::now() < until,
                "a {service} replica did not become ready"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The folders where the processes of `service` write their mail.
    pub fn mail_dirs(&self, service: &str) -> Vec<PathBuf> {
        self.processes
            .iter()
            .filter(|p| p.service == service)
            .map(|p| p.dir.join(service).join("mail"))
            .collect()
    }

    /// A service token, as the gateway would send, to call a service directly.
    pub fn service_token(&self) -> String {
        shared::service_auth::ServiceTokens::new(&secrecy::SecretString::from(JWT_SECRET))
            .issue("test")
            .expect("service token")
    }

    /// The process running `service`.
    pub fn process(&mut self, service: &str) -> &mut Process {
        self.processes
            .iter_mut()
            .find(|p| p.service == service)
            .expect("a known service")
    }

    fn base_of(&self, service: &str) -> String {
        self.processes
            .iter()
            .find(|p| p.service == service)
            .map(Process::base)
            .expect("a known service")
    }

    /// The gateway's base URL.
    pub fn gateway(&self) -> String {
        self.base_of("gateway")
    }

    /// What a service process wrote to stderr.
    pub fn log(&self, service: &str) -> String {
        std::fs::read_to_string(self.dir.join(format!("{service}.log"))).unwrap_or_default()
    }

    /// The `/readyz` status of `service` (0 when it does not answer).
    pub async fn readyz(&self, service: &str) -> u16 {
        self.http
            .get(format!("{}/readyz", self.base_of(service)))
            .timeout(Duration::from_secs(3))
            .send()
            .await
            .map_or(0, |r| r.status().as_u16())
    }

    /// `/readyz` of `service`: its status and body.
    pub async fn readyz_body(&self, service: &str) -> (u16, serde_json::Value) {
        match self
            .http
            .get(format!("{}/readyz", self.base_of(service)))
            .timeout(Duration::from_secs(3))
            .send()
            .await
        {
            Ok(r) => (r.status().as_u16(), r.json().await.unwrap_or_default()),
            Err(_) => (0, serde_json::Value::Null),
        }
    }

    /// Polls `/readyz` of `service` until 200 or the deadline.
    pub async fn wait_ready(&self, service: &str, deadline: Duration) -> bool {
        let until = Instant::now() + deadline;
        while Instant::now() < until {
            if self.readyz(service).await == 200 {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        false
    }

    /// A request through the gateway: status and JSON body.
    pub async fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (u16, Value) {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.gateway()));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        match request.send().await {
            Ok(r) => {
                let status = r.status().as_u16();
                let text = r.text().await.unwrap_or_default();
                (status, serde_json::from_str(&text).unwrap_or(Value::Null))
            }
            Err(_) => (0, Value::Null),
        }
    }

    /// Signs a demo account in through the gateway.
    pub async fn login(&self, email: &str) -> String {
        let (status, body) = self
            .call(
                "POST",
                "/api/v1/auth/login",
                None,
                Some(json!({"email": email, "password": DEMO_PASSWORD})),
            )
            .await;
        assert_eq!(status, 200, "login {email}: {body}");
        body["access_token"].as_str().expect("token").to_owned()
    }

    /// Signs the demo operator in: the first time sets up two-step sign-in
    /// with the demo's enrolment code, as the operator's first visit does.
    pub async fn operator_login(&self) -> String {
        let limited = self.login("operator@demo.taiwa.test").await;
        let (status, enrolled) = self
            .call(
                "POST",
                "/api/v1/me/mfa/totp",
                Some(&limited),
                Some(json!({"password": DEMO_PASSWORD, "enrolment_code": "DEMO2-TAIWA"})),
            )
            .await;
        assert_eq!(status, 201, "enrolment: {enrolled}");
        let secret = taiwa_identity::totp::TotpSecret::from_base32(
            enrolled["secret"].as_str().expect("secret"),
        )
        .expect("base32");
        let code = secret.code_at(chrono::Utc::now().timestamp());
        let (status, confirmed) = self
            .call(
                "POST",
                "/api/v1/me/mfa/totp/confirm",
                Some(&limited),
                Some(json!({ "code": code })),
            )
            .await;
        assert_eq!(status, 200, "confirmation: {confirmed}");
        confirmed["access_token"]
            .as_str()
            .expect("token")
            .to_owned()
    }

    /// A connection to the cluster's database, for checks.
    pub async fn db(&self) -> sqlx::PgConnection {
        <sqlx::PgConnection as sqlx::Connection>::connect(&self.database_url)
            .await
            .expect("connecting to the cluster's database")
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        for p in &mut self.processes {
            p.kill();
        }
        self.nats.stop();
        self.postgres.stop();
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}
