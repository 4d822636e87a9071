//! `taiwa bench outbox`: whether the embedded default's outboxes keep up
//! with a steady stream of writes. A freshly started embedded default with
//! demo data (its own temporary folder) takes `rate` writes a second over
//! HTTP on loopback for `seconds` — bookings of the demo consultants' free
//! times by the demo employees, each cancelled again, so the org's credits
//! never run out — while the undelivered events of every outbox are counted
//! each second. Then the load stops and the backlog is timed to empty.
//!
//! Printed: writes done, events delivered, the backlog's largest and last
//! size under load, the time to drain it, and events/s overall and while
//! draining.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use serde_json::{Value, json};
use shared::config::Config;
use shared::db::Db;

use crate::app::{Application, ServiceSelection};

const OUTBOXES: [&str; 4] = [
    "identity_outbox",
    "matching_outbox",
    "booking_outbox",
    "reporting_outbox",
];

/// Runs the benchmark on `config` (its data folder is replaced by a temporary one).
pub async fn run(config: Config, rate: u32, seconds: u64) -> anyhow::Result<()> {
    let folder = std::env::temp_dir().join(format!("taiwa-bench-outbox-{}", std::process::id()));
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
    let db = app.db().clone();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until_stopped(async {
        let _ = stopped.await;
    }));
    let result = measure(port, &db, rate.max(2), seconds.max(5)).await;
    let _ = stop.send(());
    let _ = server.await;
    let _ = std::fs::remove_dir_all(&folder);
    result
}

/// Undelivered events over every outbox.
async fn backlog(db: &Db) -> anyhow::Result<i64> {
    let mut total = 0;
    for table in OUTBOXES {
        total += sqlx::query_scalar::<_, i64>(&format!(
            "SELECT COUNT(*) FROM {table} WHERE published_at IS NULL"
        ))
        .fetch_one(db.pool())
        .await?;
    }
    Ok(total)
}

/// Events delivered since `since` (epoch ms) over every outbox.
async fn delivered_since(db: &Db, since: i64) -> anyhow::Result<i64> {
    let mut total = 0;
    for table in OUTBOXES {
        total += sqlx::query_scalar::<_, i64>(&format!(
            "SELECT COUNT(*) FROM {table} WHERE published_at >= $1"
        ))
        .bind(since)
        .fetch_one(db.pool())
        .await?;
    }
    Ok(total)
}

async fn sign_in(http: &reqwest::Client, base: &str, email: &str) -> anyhow::Result<String> {
    let answer: Value = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"email": email, "password": crate::demo::DEMO_PASSWORD}))
        .send()
        .await?
        .json()
        .await?;
    answer["access_token"]
        .as_str()
        .map(str::to_owned)
        .with_context(|| format!("signing in {email}: {answer}"))
}

/// Free hour-long times of the first consultants with availability, as
/// `(consultant, start)`, interleaved so neighbours differ.
async fn free_times(
    http: &reqwest::Client,
    base: &str,
    db: &Db,
    token: &str,
) -> anyhow::Result<Vec<(String, String)>> {
    let consultants: Vec<String> = sqlx::query_scalar(
        "SELECT consultant_id FROM booking_availability ORDER BY consultant_id LIMIT 40",
    )
    .fetch_all(db.pool())
    .await?;
    let from = chrono::Utc::now() + chrono::Duration::days(2);
    let to = from + chrono::Duration::days(28);
    let mut lists = Vec::new();
    for c in &consultants {
        let answer: Value = http
            .get(format!(
                "{base}/api/v1/consultants/{c}/slots?from={}&to={}&duration_minutes=60",
                from.format("%Y-%m-%dT%H:%M:%SZ"),
                to.format("%Y-%m-%dT%H:%M:%SZ")
            ))
            .bearer_auth(token)
            .send()
            .await?
            .json()
            .await?;
        let starts: Vec<String> = answer["slots"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| s["starts_at"].as_str().map(str::to_owned))
            .collect();
        if !starts.is_empty() {
            lists.push((c.clone(), starts));
        }
    }
    let mut out = Vec::new();
    let longest = lists.iter().map(|(_, s)| s.len()).max().unwrap_or(0);
    for i in 0..longest {
        for (c, starts) in &lists {
            if let Some(s) = starts.get(i) {
                out.push((c.clone(), s.clone()));
            }
        }
    }
    Ok(out)
}

async fn measure(port: u16, db: &Db, rate: u32, seconds: u64) -> anyhow::Result<()> {
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()?;
    let mut tokens = Vec::new();
    for i in 1..=20 {
        tokens.push(sign_in(&http, &base, &format!("employee{i}@demo.taiwa.test")).await?);
    }
    let times = free_times(&http, &base, db, &tokens[0]).await?;
    if times.len() < 100 {
        bail!("only {} free times among the demo consultants", times.len());
    }
    // Let the start-up events settle, then start from an empty backlog.
    let settle = Instant::now();
    while backlog(db).await? > 0 && settle.elapsed() < Duration::from_secs(60) {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let writes = Arc::new(AtomicU64::new(0));
    let refused = Arc::new(AtomicU64::new(0));
    let started_ms = shared::time::to_db(shared::time::now());
    let started = Instant::now();
    // One pair (a booking and its cancellation) every 2/rate seconds.
    let mut ticks = tokio::time::interval(Duration::from_secs_f64(2.0 / f64::from(rate)));
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut samples: Vec<i64> = Vec::new();
    let mut next_sample = started + Duration::from_secs(1);
    let mut pairs = tokio::task::JoinSet::new();
    let mut n = 0usize;
    while started.elapsed() < Duration::from_secs(seconds) {
        ticks.tick().await;
        let (consultant, start) = times[n % times.len()].clone();
        let token = tokens[n % tokens.len()].clone();
        n += 1;
        let (http, base) = (http.clone(), base.clone());
        let (writes, refused) = (Arc::clone(&writes), Arc::clone(&refused));
        pairs.spawn(async move {
            let booked = http
                .post(format!("{base}/api/v1/bookings"))
                .bearer_auth(&token)
                .json(&json!({"consultant_id": consultant, "starts_at": start, "duration_minutes": 60}))
                .send()
                .await;
            let Ok(booked) = booked else {
                refused.fetch_add(1, Ordering::Relaxed);
                return;
            };
            if booked.status().as_u16() != 201 {
                refused.fetch_add(1, Ordering::Relaxed);
                return;
            }
            writes.fetch_add(1, Ordering::Relaxed);
            let body: Value = booked.json().await.unwrap_or(Value::Null);
            let id = body["id"].as_str().unwrap_or_default().to_owned();
            let cancelled = http
                .post(format!("{base}/api/v1/bookings/{id}/cancel"))
                .bearer_auth(&token)
                .json(&json!({}))
                .send()
                .await;
            if cancelled.is_ok_and(|r| r.status().is_success()) {
                writes.fetch_add(1, Ordering::Relaxed);
            } else {
                refused.fetch_add(1, Ordering::Relaxed);
            }
        });
        while let Some(done) = pairs.try_join_next() {
            done?;
        }
        if Instant::now() >= next_sample {
            samples.push(backlog(db).await?);
            next_sample += Duration::from_secs(1);
        }
    }
    while let Some(done) = pairs.join_next().await {
        done?;
    }
    let load = started.elapsed();
    let at_end = backlog(db).await?;
    let delivered_under_load = delivered_since(db, started_ms).await?;
    let drain_started = Instant::now();
    while backlog(db).await? > 0 {
        if drain_started.elapsed() > Duration::from_secs(600) {
            bail!("the backlog did not drain in 10 minutes");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let drain = drain_started.elapsed();
    let delivered = delivered_since(db, started_ms).await?;
    let writes = writes.load(Ordering::Relaxed);
    let largest = samples.iter().copied().max().unwrap_or(0).max(at_end);
    println!(
        "taiwa bench outbox — embedded default (SQLite) with demo data; bookings and their cancellations over HTTP on loopback, {rate} writes/s asked for {seconds} s"
    );
    println!(
        "  writes done      {writes} ({:.1}/s; {} refused or failed)",
        writes as f64 / load.as_secs_f64(),
        refused.load(Ordering::Relaxed)
    );
    println!(
        "  events delivered {delivered} ({delivered_under_load} under load, {:.0}/s)",
        delivered_under_load as f64 / load.as_secs_f64()
    );
    println!(
        "  backlog          largest {largest}, at the end of the load {at_end}; per second: {samples:?}"
    );
    println!(
        "  drained          in {:.2} s after the load stopped ({:.0} events/s)",
        drain.as_secs_f64(),
        (delivered - delivered_under_load) as f64 / drain.as_secs_f64().max(0.001)
    );
    Ok(())
}
