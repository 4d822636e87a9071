//! `taiwa bench startup`: the time from starting `taiwa serve` (this same
//! binary, a separate process) to its first 200 on `/readyz`, on the
//! embedded default in a temporary folder:
//! - the first start on an empty folder (migrations and demo data);
//! - `runs` starts once the catalogue holds `consultants` (the demo's plus
//!   simulated ones with assessments), each from a stopped process;
//! - one more start with the stored keyword index removed, so it is built
//!   again (what a start after a profile changed while the process was down
//!   costs);
//! - the server's resident memory once ready, and its peak after wrk's load
//!   on the matches API (64 connections, 10 s).
//!
//! The servers log nothing; `TAIWA_BENCH_SERVER_LOG=info` passes that filter
//! to them and shows their log (matching's start-up parts among it).

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

/// The variable that shows the started servers' log, with its filter.
const SERVER_LOG: &str = "TAIWA_BENCH_SERVER_LOG";

/// A running `taiwa serve` on a folder.
struct Server {
    child: Child,
    port: u16,
}

impl Server {
    /// Starts the server and waits for `/readyz`; returns it with the time it took.
    async fn start(folder: &std::path::Path) -> anyhow::Result<(Self, Duration)> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let server_log = std::env::var(SERVER_LOG).ok();
        let started = Instant::now();
        let child = Command::new(std::env::current_exe()?)
            .arg("serve")
            .env("TAIWA_DATA_DIR", folder)
            .env("TAIWA_ADDR", format!("127.0.0.1:{port}"))
            .env("TAIWA_DEMO_DATA", "true")
            .env("TAIWA_LOG", server_log.as_deref().unwrap_or("error"))
            .env_remove("TAIWA_DATABASE_URL")
            .env_remove("TAIWA_NATS_URL")
            .env_remove("TAIWA_METRICS_ADDR")
            .stdout(Stdio::null())
            .stderr(if server_log.is_some() {
                Stdio::inherit()
            } else {
                Stdio::null()
            })
            .spawn()
            .context("starting taiwa serve")?;
        let mut server = Self { child, port };
        loop {
            if crate::bench_web::answers_ok(port, "/readyz").await {
                return Ok((server, started.elapsed()));
            }
            if started.elapsed() > Duration::from_secs(120) {
                server.stop();
                bail!("taiwa serve was not ready within 120 s");
            }
            if let Some(status) = server.child.try_wait()? {
                bail!("taiwa serve exited with {status}");
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    }

    /// The process's resident memory and its peak, MB.
    fn memory(&self) -> anyhow::Result<(f64, f64)> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))?;
        let field = |name: &str| -> anyhow::Result<f64> {
            let line = status
                .lines()
                .find(|l| l.starts_with(name))
                .with_context(|| format!("{name} in /proc/…/status"))?;
            let kb: f64 = line
                .split_whitespace()
                .nth(1)
                .context("a number")?
                .parse()?;
            Ok(kb / 1024.0)
        };
        Ok((field("VmRSS:")?, field("VmHWM:")?))
    }

    /// Stops the server with SIGTERM (SIGKILL if that cannot be sent, or
    /// it has not exited after 30 s) and waits for it.
    fn stop(&mut self) {
        let sent = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .is_ok_and(|s| s.success());
        let deadline = Instant::now() + Duration::from_secs(30);
        while sent && Instant::now() < deadline {
            if !matches!(self.child.try_wait(), Ok(None)) {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            self.stop();
        }
    }
}

/// Runs the benchmark and prints its report.
pub async fn run(consultants: usize, runs: usize) -> anyhow::Result<()> {
    let folder = std::env::temp_dir().join(format!("taiwa-bench-startup-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&folder);
    let result = measure(&folder, consultants, runs.max(1)).await;
    let _ = std::fs::remove_dir_all(&folder);
    result
}

async fn measure(folder: &std::path::Path, consultants: usize, runs: usize) -> anyhow::Result<()> {
    println!("taiwa bench startup — embedded default, `taiwa serve` started as its own process");
    let (server, first) = Server::start(folder).await?;
    drop(server);
    println!(
        "  first start on an empty folder (migrations, demo data): {:.3} s",
        first.as_secs_f64()
    );
    let db = shared::db::Db::connect(&shared::db::embedded_url(folder)?).await?;
    let demo = taiwa_matching::store::all_consultants(&mut *db.pool().acquire().await?)
        .await?
        .len();
    let extra = consultants.saturating_sub(demo);
    let seeding = Instant::now();
    taiwa_matching::bench::seed_catalogue(&db, extra).await?;
    db.close().await;
    println!(
        "  catalogue: {demo} demo + {extra} simulated consultants (added in {:.1} s)",
        seeding.elapsed().as_secs_f64()
    );
    // The stored keyword index's commit: written again by each start that
    // rebuilds it, left alone by one that opens it.
    let stored = folder.join("search");
    let meta = stored.join("meta.json");
    let written = || std::fs::metadata(&meta).and_then(|m| m.modified()).ok();
    let mut times = Vec::with_capacity(runs);
    let mut commits = Vec::with_capacity(runs);
    for _ in 0..runs {
        let (server, took) = Server::start(folder).await?;
        drop(server);
        times.push(took.as_secs_f64());
        commits.push(written());
    }
    let mut sorted = times.clone();
    sorted.sort_by(f64::total_cmp);
    println!(
        "  start to ready at {} consultants, {runs} starts: median {:.3} s, min {:.3} s, max {:.3} s ({})",
        demo + extra,
        sorted[sorted.len() / 2],
        sorted[0],
        sorted[sorted.len() - 1],
        times
            .iter()
            .map(|t| format!("{t:.3}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let rebuilt = commits.windows(2).filter(|w| w[0] != w[1]).count();
    println!(
        "  the keyword index was stored: {}; starts after the first that rewrote it: {rebuilt} of {} (its log says whether each opened it: TAIWA_BENCH_SERVER_LOG=info, search_reused)",
        commits.iter().all(Option::is_some),
        runs.saturating_sub(1)
    );
    // A start that must build the keyword index again (as after a profile
    // changed while the process was down): without its stored folder.
    if stored.exists() {
        std::fs::remove_dir_all(&stored)?;
    }
    let (server, rebuilding) = Server::start(folder).await?;
    drop(server);
    println!(
        "  start to ready with the keyword index rebuilt (its folder removed): {:.3} s (stored again: {})",
        rebuilding.as_secs_f64(),
        written().is_some()
    );
    let (server, _) = Server::start(folder).await?;
    load_and_memory(&server).await
}

/// Resident memory when ready and after wrk's load on the matches API
/// (every demo employee who has matches, in turn).
async fn load_and_memory(server: &Server) -> anyhow::Result<()> {
    let (ready, _) = server.memory()?;
    let tokens = crate::bench_web::employees_with_matches(server.port).await?;
    let load = tokio::task::block_in_place(|| {
        crate::bench_web::wrk_as_many(
            &format!("http://127.0.0.1:{}/api/v1/matches", server.port),
            &tokens,
            64,
            10,
        )
    })?;
    let (now, peak) = server.memory()?;
    println!(
        "  resident memory: {ready:.1} MB when ready; after 10 s of wrk -c64 on /api/v1/matches by {} people ({:.0} req/s, p99 {:.2} ms): {now:.1} MB, peak {peak:.1} MB",
        tokens.len(),
        load.per_second,
        load.p99
    );
    Ok(())
}
