//! `taiwa bench web`: the ten most used pages of the web UI, each requested
//! `runs` times over HTTP/1.1 keep-alive on loopback against a freshly
//! started embedded default with demo data (its own temporary folder). For
//! each page: the median and p95 of the time from sending the request to
//! the last byte of the answer (loopback, so essentially server time), and
//! the bytes a first visit transfers: the page plus its stylesheet (the
//! pages ship no script and no image).

use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use shared::config::Config;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::app::{Application, ServiceSelection};

mod load;

pub(crate) use load::wrk_as_many;

/// One keep-alive connection speaking just enough HTTP/1.1.
struct Client {
    stream: TcpStream,
    cookies: Vec<(String, String)>,
}

/// An answer: status, `Location`, bytes on the wire, body.
struct Answer {
    status: u16,
    location: Option<String>,
    wire_bytes: usize,
    body: Vec<u8>,
}

impl Client {
    async fn connect(port: u16) -> anyhow::Result<Self> {
        let stream = TcpStream::connect(("127.0.0.1", port)).await?;
        stream.set_nodelay(true)?;
        Ok(Self {
            stream,
            cookies: Vec::new(),
        })
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn cookie(&self, name: &str) -> String {
        self.cookies
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    async fn request(
        &mut self,
        method: &str,
        path: &str,
        form: Option<&str>,
    ) -> anyhow::Result<Answer> {
        let body = form.map(|f| ("application/x-www-form-urlencoded", f));
        self.send(method, path, body).await
    }

    /// Sends a request with an optional body of the given type.
    async fn send(
        &mut self,
        method: &str,
        path: &str,
        body: Option<(&str, &str)>,
    ) -> anyhow::Result<Answer> {
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Language: ja\r\nCookie: {}\r\n",
            self.cookie_header()
        );
        if let Some((kind, body)) = body {
            head.push_str(&format!(
                "Content-Type: {kind}\r\nContent-Length: {}\r\n",
                body.len()
            ));
        }
        head.push_str("\r\n");
        head.push_str(body.map_or("", |(_, b)| b));
        self.stream.write_all(head.as_bytes()).await?;
        // Headers, then exactly Content-Length bytes.
        let mut buf = Vec::new();
        let header_end = loop {
            let mut chunk = [0u8; 16 * 1024];
            let n = self.stream.read(&mut chunk).await?;
            if n == 0 {
                bail!("the server closed the connection");
            }
            buf.extend_from_slice(&chunk[..n]);
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
        };
        let headers = String::from_utf8_lossy(&buf[..header_end]).into_owned();
        let status: u16 = headers
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .context("status line")?;
        let mut length = 0;
        let mut location = None;
        for line in headers.lines().skip(1) {
            let Some((name, value)) = line.split_once(':') else {
                continue;
            };
            let value = value.trim();
            match name.to_ascii_lowercase().as_str() {
                "content-length" => length = value.parse().unwrap_or(0),
                "location" => location = Some(value.to_owned()),
                "set-cookie" => {
                    if let Some((k, v)) = value.split(';').next().and_then(|c| c.split_once('=')) {
                        self.cookies.retain(|(name, _)| name != k);
                        if !v.is_empty() {
                            self.cookies.push((k.to_owned(), v.to_owned()));
                        }
                    }
                }
                _ => {}
            }
        }
        while buf.len() < header_end + length {
            let mut chunk = vec![0u8; header_end + length - buf.len()];
            let n = self.stream.read(&mut chunk).await?;
            if n == 0 {
                bail!("the server closed the connection mid-body");
            }
            buf.extend_from_slice(&chunk[..n]);
        }
        Ok(Answer {
            status,
            location,
            wire_bytes: header_end + length,
            body: buf[header_end..header_end + length].to_vec(),
        })
    }

    /// Signs in through the login form.
    async fn sign_in(&mut self, email: &str) -> anyhow::Result<()> {
        self.request("GET", "/login", None).await?;
        let form = format!(
            "csrf={}&email={}&password=taiwa-demo&next=%2F",
            self.cookie("taiwa_csrf"),
            email.replace('@', "%40")
        );
        let answer = self.request("POST", "/login", Some(&form)).await?;
        if answer.status != 303 {
            bail!("signing in as {email} answered {}", answer.status);
        }
        Ok(())
    }
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

/// Runs the benchmark on `config` (its data folder is replaced by a
/// temporary one): one request at a time per page, or with `connections`
/// > 1, wrk's load for `seconds` per page beside an axum hello-world.
pub async fn run(
    config: Config,
    runs: usize,
    connections: usize,
    seconds: u64,
) -> anyhow::Result<()> {
    let folder = std::env::temp_dir().join(format!("taiwa-bench-web-{}", std::process::id()));
    let config = Config {
        addr: "127.0.0.1:0".parse()?,
        data_dir: folder.clone(),
        database_url: None,
        smtp_url: None,
        stripe: None,
        demo_data: true,
        ..config
    };
    let app = Application::build(config, ServiceSelection::All).await?;
    let port = app.port();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until_stopped(async {
        let _ = stopped.await;
    }));
    let result = match connections {
        0 | 1 => measure(port, runs.max(5)).await,
        n => measure_under_load(port, n, seconds.max(1)).await,
    };
    let _ = stop.send(());
    let _ = server.await;
    let _ = std::fs::remove_dir_all(&folder);
    result
}

/// Whether `path` answers 200 on a fresh connection (false when nothing
/// listens yet).
pub(crate) async fn answers_ok(port: u16, path: &str) -> bool {
    match Client::connect(port).await {
        Ok(mut client) => client
            .request("GET", path, None)
            .await
            .is_ok_and(|a| a.status == 200),
        Err(_) => false,
    }
}

/// The pages the benchmark requests, with who requests them, after signing
/// in the visitor, employee, consultant and HR clients.
struct Pages {
    clients: [Client; 4],
    list: Vec<(&'static str, usize, String)>,
}

async fn pages(port: u16) -> anyhow::Result<Pages> {
    // A consultant with free times for the profile page.
    let mut employee = Client::connect(port).await?;
    employee.sign_in("employee1@demo.taiwa.test").await?;
    let matches = employee.request("GET", "/matches", None).await?;
    let text = String::from_utf8_lossy(&matches.body);
    let profile = text
        .split("href=\"/consultants/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .map(|id| format!("/consultants/{id}"))
        .context("a candidate on /matches")?;
    let mut consultant = Client::connect(port).await?;
    consultant.sign_in("consultant1@demo.taiwa.test").await?;
    let mut hr = Client::connect(port).await?;
    hr.sign_in("hr@demo.taiwa.test").await?;
    let visitor = Client::connect(port).await?;
    let search = format!("/consultants?q={}", "%E8%BB%A2%E8%81%B7"); // 転職
    let clients = [visitor, employee, consultant, hr];
    let (anyone, emp, cons, hr) = (0, 1, 2, 3);
    let list = vec![
        ("sign-in", anyone, "/login".to_owned()),
        ("employee: matches", emp, "/matches".to_owned()),
        ("employee: search 転職", emp, search),
        ("employee: consultant profile + slots", emp, profile),
        ("employee: bookings", emp, "/bookings".to_owned()),
        ("employee: values radar", emp, "/values".to_owned()),
        ("consultant: sessions", cons, "/bookings".to_owned()),
        (
            "consultant: availability",
            cons,
            "/consultant/availability".to_owned(),
        ),
        ("hr: report", hr, "/hr/report".to_owned()),
        (
            "hr: report by department",
            hr,
            "/hr/report?by=department".to_owned(),
        ),
    ];
    Ok(Pages { clients, list })
}

async fn measure(port: u16, runs: usize) -> anyhow::Result<()> {
    let mut css = Client::connect(port).await?;
    let style = css
        .request("GET", "/static/style.css", None)
        .await?
        .wire_bytes;
    let Pages {
        mut clients,
        list: pages,
    } = pages(port).await?;
    println!(
        "taiwa bench web — embedded default with demo data, {runs} requests per page, HTTP/1.1 keep-alive on loopback"
    );
    println!(
        "  {:<38} {:>9} {:>9} {:>12}",
        "page", "median ms", "p95 ms", "first visit"
    );
    let mut worst_median: f64 = 0.0;
    let mut worst_bytes = 0;
    for (name, who, path) in pages {
        let client = &mut clients[who];
        let mut times = Vec::with_capacity(runs);
        let mut bytes = 0;
        for _ in 0..runs {
            let started = Instant::now();
            let answer = client.request("GET", &path, None).await?;
            times.push(started.elapsed());
            if answer.status != 200 {
                bail!(
                    "{path} answered {} (location {:?})",
                    answer.status,
                    answer.location
                );
            }
            bytes = answer.wire_bytes;
        }
        times.sort();
        let median = percentile(&times, 0.5);
        let total = bytes + style;
        worst_median = worst_median.max(median);
        worst_bytes = worst_bytes.max(total);
        println!(
            "  {name:<38} {median:>9.2} {:>9.2} {:>9.1} KB",
            percentile(&times, 0.95),
            total as f64 / 1024.0
        );
    }
    println!(
        "  slowest median {worst_median:.2} ms (goal ≤ 50 ms); largest first visit {:.1} KB (goal ≤ 150 KB; stylesheet {:.1} KB of it)",
        worst_bytes as f64 / 1024.0,
        style as f64 / 1024.0
    );
    Ok(())
}

/// Signs demo employees in through the API and keeps the tokens of those
/// who get matches (half of them answered the assessment).
pub(crate) async fn employees_with_matches(port: u16) -> anyhow::Result<Vec<String>> {
    let mut tokens = Vec::new();
    for i in 1..=crate::demo::EMPLOYEES {
        let mut client = Client::connect(port).await?;
        let login = format!(r#"{{"email":"employee{i}@demo.taiwa.test","password":"taiwa-demo"}}"#);
        let answer = client
            .send(
                "POST",
                "/api/v1/auth/login",
                Some(("application/json", &login)),
            )
            .await?;
        let body: serde_json::Value = serde_json::from_slice(&answer.body)?;
        let Some(token) = body["access_token"].as_str() else {
            bail!("signing in employee{i} answered {}", answer.status);
        };
        let head = format!(
            "GET /api/v1/matches HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n\r\n"
        );
        client.stream.write_all(head.as_bytes()).await?;
        let mut first = [0u8; 12];
        client.stream.read_exact(&mut first).await?;
        if &first[9..12] == b"200" {
            tokens.push(token.to_owned());
        }
    }
    if tokens.is_empty() {
        bail!("no demo employee gets matches");
    }
    Ok(tokens)
}

/// Every page, the matches API and an axum hello-world under wrk's
/// `connections` for `seconds` each. Each page first answers 200 to the
/// same session (so no redirect or error is timed as a page); the matches
/// API is asked by every demo employee who has matches, in turn.
async fn measure_under_load(port: u16, connections: usize, seconds: u64) -> anyhow::Result<()> {
    let Pages { mut clients, list } = pages(port).await?;
    let tokens = employees_with_matches(port).await?;
    let (hello_port, hello) = load::hello_world().await?;
    println!(
        "taiwa bench web — embedded default with demo data, wrk -t2 -c{connections} -d{seconds}s on loopback, one target at a time"
    );
    println!(
        "  {:<38} {:>10} {:>9} {:>9} {:>9}",
        "target", "req/s", "p50 ms", "p99 ms", "of hello"
    );
    let hello_load = tokio::task::block_in_place(|| {
        load::wrk(
            &format!("http://127.0.0.1:{hello_port}/"),
            &[],
            connections,
            seconds,
        )
    })?;
    hello.abort();
    let print = |name: &str, l: &load::Load| {
        println!(
            "  {name:<38} {:>10.0} {:>9.2} {:>9.2} {:>8.1}%",
            l.per_second,
            l.p50,
            l.p99,
            100.0 * l.per_second / hello_load.per_second
        );
    };
    print("axum hello-world (same process)", &hello_load);
    // The same server's cheapest route, through the whole middleware stack
    // every route shares: the ceiling for any route of this server.
    let healthz = tokio::task::block_in_place(|| {
        load::wrk(
            &format!("http://127.0.0.1:{port}/healthz"),
            &[],
            connections,
            seconds,
        )
    })?;
    print("GET /healthz (this server's stack)", &healthz);
    let api = tokio::task::block_in_place(|| {
        load::wrk_as_many(
            &format!("http://127.0.0.1:{port}/api/v1/matches"),
            &tokens,
            connections,
            seconds,
        )
    })?;
    print(
        &format!("API: GET /api/v1/matches ({} people)", tokens.len()),
        &api,
    );
    for (name, who, path) in list {
        // The earlier loads outlasted the idle keep-alive: a new connection
        // with the same session.
        clients[who].stream = TcpStream::connect(("127.0.0.1", port)).await?;
        let answer = clients[who].request("GET", &path, None).await?;
        if answer.status != 200 {
            bail!("{path} answered {} before the load", answer.status);
        }
        let cookie = clients[who].cookie_header();
        let mut headers = vec!["Accept-Language: ja".to_owned()];
        if !cookie.is_empty() {
            headers.push(format!("Cookie: {cookie}"));
        }
        let url = format!("http://127.0.0.1:{port}{path}");
        let load = tokio::task::block_in_place(|| load::wrk(&url, &headers, connections, seconds))?;
        print(name, &load);
    }
    println!(
        "  goal: /api/v1/matches ≥ 30 % of hello-world's req/s ({:.1} %), p99 ≤ 10 ms ({:.2} ms)",
        100.0 * api.per_second / hello_load.per_second,
        api.p99
    );
    Ok(())
}
