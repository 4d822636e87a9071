//! `taiwa bench web --connections N` (N > 1): each page and the matches API
//! under N concurrent keep-alive connections from `wrk` (Debian's package),
//! a separate process on loopback, and an axum hello-world served by the
//! same process and runtime as the peer: requests a second and latency
//! percentiles, and each figure's share of the hello-world's.

use std::process::Command;
use std::time::Duration;

use anyhow::{Context, bail};
use axum::Router;
use axum::routing::get;

/// What wrk measured for one target.
pub struct Load {
    /// Requests a second.
    pub per_second: f64,
    /// Median and 99th-percentile latency, ms.
    pub p50: f64,
    pub p99: f64,
}

/// Runs wrk on `url` with `headers` for `seconds`; fails on any answer that
/// is not 2xx/3xx or on a socket error.
pub fn wrk(
    url: &str,
    headers: &[String],
    connections: usize,
    seconds: u64,
) -> anyhow::Result<Load> {
    run_wrk(url, headers, None, connections, seconds)
}

/// Runs wrk on `url` with each request signed by the next of `tokens` in
/// turn (a Lua script), so that the load comes from many people.
pub fn wrk_as_many(
    url: &str,
    tokens: &[String],
    connections: usize,
    seconds: u64,
) -> anyhow::Result<Load> {
    let list = tokens
        .iter()
        .map(|t| format!("\"{t}\""))
        .collect::<Vec<_>>()
        .join(", ");
    // Each person's request is formatted once, when a wrk thread starts:
    // formatting it anew for every request cost wrk CPU that these two
    // cores would otherwise give the server (6-9 % fewer requests a second).
    let script = format!(
        "local tokens = {{{list}}}\nlocal requests = {{}}\nlocal n = 0\ninit = function(args)\n  for i, t in ipairs(tokens) do\n    requests[i] = wrk.format(\"GET\", nil, {{[\"Authorization\"] = \"Bearer \" .. t, [\"Accept-Language\"] = \"ja\"}})\n  end\nend\nrequest = function()\n  n = n + 1\n  return requests[(n % #requests) + 1]\nend\n"
    );
    let path = std::env::temp_dir().join(format!("taiwa-bench-{}.lua", std::process::id()));
    std::fs::write(&path, script).context("writing wrk's script")?;
    let result = run_wrk(url, &[], Some(&path), connections, seconds);
    let _ = std::fs::remove_file(&path);
    result
}

fn run_wrk(
    url: &str,
    headers: &[String],
    script: Option<&std::path::Path>,
    connections: usize,
    seconds: u64,
) -> anyhow::Result<Load> {
    let mut command = Command::new("wrk");
    command.args([
        "-t2",
        &format!("-c{connections}"),
        &format!("-d{seconds}s"),
        "--latency",
        "--timeout",
        "5s",
    ]);
    for h in headers {
        command.args(["-H", h]);
    }
    if let Some(script) = script {
        command.arg("-s").arg(script);
    }
    let out = command
        .arg(url)
        .output()
        .context("running wrk (apt-get install wrk)")?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.status.success() {
        bail!("wrk failed: {text}{}", String::from_utf8_lossy(&out.stderr));
    }
    if text.contains("Non-2xx or 3xx responses") || text.contains("Socket errors") {
        bail!("wrk saw errors on {url}:\n{text}");
    }
    let line = |label: &str| -> anyhow::Result<String> {
        text.lines()
            .find(|l| l.trim_start().starts_with(label))
            .map(|l| l.trim_start()[label.len()..].trim().to_owned())
            .with_context(|| format!("no {label:?} in wrk's output:\n{text}"))
    };
    Ok(Load {
        per_second: line("Requests/sec:")?.parse()?,
        p50: millis(&line("50%")?)?,
        p99: millis(&line("99%")?)?,
    })
}

/// wrk's latency (`812.00us`, `1.23ms`, `2.01s`) in ms.
fn millis(text: &str) -> anyhow::Result<f64> {
    let split = text
        .find(|c: char| c.is_ascii_alphabetic())
        .context("a unit")?;
    let (number, unit) = text.split_at(split);
    let value: f64 = number.parse()?;
    Ok(match unit {
        "us" => value / 1000.0,
        "ms" => value,
        "s" => value * 1000.0,
        "m" => value * 60_000.0,
        _ => bail!("unknown unit in {text:?}"),
    })
}

/// Serves an axum hello-world on a free loopback port, in this runtime.
pub async fn hello_world() -> anyhow::Result<(u16, tokio::task::JoinHandle<()>)> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let port = listener.local_addr()?.port();
    let app = Router::new().route("/", get(|| async { "Hello, World!" }));
    let server = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    tokio::time::sleep(Duration::from_millis(50)).await;
    Ok((port, server))
}

#[cfg(test)]
mod tests;
