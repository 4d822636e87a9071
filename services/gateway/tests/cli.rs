//! The `taiwa` binary as a newcomer meets it: `--help`, the embedded default
//! with demo data and a banner, the demo accounts, graceful shutdown on
//! SIGTERM, `migrate`, `demo-data`, and production's refusals.

#![expect(clippy::expect_used, reason = "test helpers fail loudly")]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_taiwa");

fn temp_dir() -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("taiwa-cli-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// A command with no Taiwa settings inherited from the caller's environment.
fn taiwa(cwd: &Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.current_dir(cwd);
    for (key, _) in std::env::vars() {
        if key.starts_with("TAIWA_") || key == "DATABASE_URL" {
            cmd.env_remove(key);
        }
    }
    cmd
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("running taiwa")
}

#[test]
fn help_lists_the_commands() {
    let out = run(taiwa(&temp_dir()).arg("--help"));
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for word in [
        "serve",
        "migrate",
        "demo-data",
        "TAIWA_ADDR",
        "TAIWA_DATABASE_URL",
        "TAIWA_JWT_SECRET",
    ] {
        assert!(text.contains(word), "--help lacks {word}:\n{text}");
    }
}

#[test]
fn production_refuses_unsafe_settings_without_echoing_secrets() {
    let dir = temp_dir();
    let out = run(taiwa(&dir)
        .args(["serve", "--addr", "127.0.0.1:0"])
        .env("TAIWA_ENV", "production")
        .env("TAIWA_DEMO_DATA", "true")
        .env("TAIWA_JWT_SECRET", "hunter2-short"));
    assert!(!out.status.success(), "production must not start like this");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("refusing to start"), "{err}");
    assert!(
        err.contains("demo data") && err.contains("SQLite") && err.contains("at least 32 bytes"),
        "{err}"
    );
    assert!(!err.contains("hunter2"), "a secret was printed: {err}");

    let out = run(taiwa(&dir)
        .args(["serve", "--addr", "127.0.0.1:0"])
        .env("TAIWA_ENV", "production"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("generated signing key"),
        "{err}"
    );
    assert!(
        !dir.join("data").join("jwt-signing.key").exists(),
        "no key is generated in production"
    );

    let out = run(taiwa(&dir).arg("demo-data").env("TAIWA_ENV", "production"));
    assert!(!out.status.success(), "demo-data never runs in production");
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("port")
}

fn wait_healthy(child: &mut Child, base: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        assert!(
            child.try_wait().expect("wait").is_none(),
            "taiwa exited early"
        );
        if http::get_ok(&format!("{base}/healthz")) {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("taiwa did not become healthy");
}

/// Tiny blocking HTTP/1.1 helpers, enough to talk to the binary.
mod http {
    use std::io::{Read, Write};
    use std::net::TcpStream;

    pub fn request(
        url: &str,
        method: &str,
        body: Option<&str>,
        token: Option<&str>,
    ) -> Option<(u16, String)> {
        let rest = url.strip_prefix("http://")?;
        let (host, path) = rest.split_once('/').map(|(h, p)| (h, format!("/{p}")))?;
        let mut stream = TcpStream::connect(host).ok()?;
        let body = body.unwrap_or("");
        let auth = token
            .map(|t| format!("Authorization: Bearer {t}\r\n"))
            .unwrap_or_default();
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Type: application/json\r\n{auth}Content-Length: {}\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(head.as_bytes()).ok()?;
        let mut response = String::new();
        stream.read_to_string(&mut response).ok()?;
        let status = response.split_whitespace().nth(1)?.parse().ok()?;
        let body = response
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_owned())
            .unwrap_or_default();
        Some((status, body))
    }

    pub fn get_ok(url: &str) -> bool {
        matches!(request(url, "GET", None, None), Some((200, _)))
    }
}

fn json_field(body: &str, field: &str) -> Option<String> {
    // Bodies may be chunked; find the JSON object inside.
    let start = body.find('{')?;
    let end = body.rfind('}')?;
    let value: serde_json::Value = serde_json::from_str(&body[start..=end]).ok()?;
    value.get(field).and_then(|v| v.as_str()).map(str::to_owned)
}

#[test]
fn the_embedded_default_serves_demo_accounts_and_stops_on_sigterm() {
    let dir = temp_dir();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut child = taiwa(&dir)
        .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    wait_healthy(&mut child, &base);
    assert!(matches!(
        http::request(&format!("{base}/readyz"), "GET", None, None),
        Some((200, _))
    ));

    for (email, role) in [
        ("employee1@demo.taiwa.test", "employee"),
        ("employee50@demo.taiwa.test", "employee"),
        ("consultant200@demo.taiwa.test", "consultant"),
        ("consultant5@demo.taiwa.test", "consultant"),
        ("hr@demo.taiwa.test", "hr"),
        ("operator@demo.taiwa.test", "operator"),
    ] {
        let body = format!(r#"{{"email":"{email}","password":"taiwa-demo"}}"#);
        let (status, login) = http::request(
            &format!("{base}/api/v1/auth/login"),
            "POST",
            Some(&body),
            None,
        )
        .expect("login");
        assert_eq!(status, 200, "{email}: {login}");
        let token = json_field(&login, "access_token").expect("token");
        let (status, me) =
            http::request(&format!("{base}/api/v1/me"), "GET", None, Some(&token)).expect("me");
        assert_eq!(
            (status, json_field(&me, "role").as_deref()),
            (200, Some(role)),
            "{me}"
        );
        if role == "employee" || role == "consultant" {
            demo_sessions_to_see(&base, &token, email);
        }
    }

    let key = dir.join("data").join("jwt-signing.key");
    assert!(dir.join("data").join("taiwa.db").exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&key).expect("key").permissions().mode() & 0o777,
            0o600
        );
    }

    let pid = child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("kill")
            .success()
    );
    let deadline = Instant::now() + Duration::from_secs(15);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        assert!(Instant::now() < deadline, "taiwa did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "graceful shutdown exits 0: {status:?}");
    let mut banner = String::new();
    child
        .stdout
        .take()
        .expect("stdout")
        .read_to_string(&mut banner)
        .expect("read");
    assert!(
        banner.contains(&base)
            && banner.contains("hr@demo.taiwa.test")
            && banner.contains("taiwa-demo"),
        "{banner}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// Every demo employee and consultant has sessions to come and held ones,
/// and nobody has two at once.
fn demo_sessions_to_see(base: &str, token: &str, who: &str) {
    let (status, list) =
        http::request(&format!("{base}/api/v1/bookings"), "GET", None, Some(token))
            .expect("bookings");
    assert_eq!(status, 200, "{list}");
    let list: serde_json::Value = serde_json::from_str(&list).expect("json");
    let now = chrono::Utc::now();
    let mut confirmed_ahead = Vec::new();
    let mut held = 0;
    for b in list["items"].as_array().expect("items") {
        let at = |k: &str| {
            chrono::DateTime::parse_from_rfc3339(b[k].as_str().expect("time")).expect("rfc 3339")
        };
        match b["status"].as_str() {
            Some("confirmed") if at("starts_at") > now => {
                confirmed_ahead.push((at("starts_at"), at("ends_at")))
            }
            Some("completed") => held += 1,
            _ => {}
        }
    }
    assert!(
        !confirmed_ahead.is_empty() && held > 0,
        "{who}: {} to come, {held} held",
        confirmed_ahead.len()
    );
    confirmed_ahead.sort();
    for pair in confirmed_ahead.windows(2) {
        assert!(
            pair[0].1 <= pair[1].0,
            "{who} has two sessions at once: {pair:?}"
        );
    }
}

#[test]
fn migrate_and_demo_data_are_commands() {
    let dir = temp_dir();
    let out = run(taiwa(&dir).arg("migrate"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("migrations applied"));
    let out = run(taiwa(&dir).arg("demo-data"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("demo data created"));
    let total = 2 + taiwa::demo::EMPLOYEES + taiwa::demo::CONSULTANTS;
    let progress = String::from_utf8_lossy(&out.stderr);
    assert!(
        progress.contains(&format!("{total}/{total} accounts")),
        "progress is shown: {progress}"
    );
    let out = run(taiwa(&dir).arg("demo-data"));
    assert!(String::from_utf8_lossy(&out.stdout).contains("already present"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn an_unknown_time_zone_is_refused_by_name() {
    let out = run(taiwa(&temp_dir()).args(["--time-zone", "Asia/Atlantis", "migrate"]));
    assert!(!out.status.success());
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(
        text.contains("Asia/Atlantis") && text.contains("--time-zone"),
        "{text}"
    );
    let help = run(taiwa(&temp_dir()).arg("--help"));
    assert!(String::from_utf8_lossy(&help.stdout).contains("TAIWA_TIME_ZONE"));
}

#[test]
fn the_feedback_page_announces_matchings_own_threshold() {
    assert_eq!(
        taiwa_web::LOW_RATING,
        taiwa_matching::preferences::LOW_RATING
    );
}
