//! `taiwa bench booking`: bookings per second on PostgreSQL against
//! `pgbench`'s TPC-B on the same server, the 100-way race for one slot, and a
//! 90-day slot list. Runs in a database it creates and drops.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::{Duration as Span, NaiveTime, Utc};
use secrecy::SecretString;
use shared::auth::TokenKeys;
use shared::db::Db;
use shared::events::Wakeup;
use shared::ids::{OrgId, UserId};
use shared::time;

use crate::booking::{BookingRequest, book};
use crate::domain::availability::{Availability, Busy, Interval, WeeklyRule};
use crate::{BookingSettings, BookingState, MIGRATOR, store};

/// Benchmark settings.
#[derive(Clone, Debug)]
pub struct BenchOptions {
    /// Admin URL of the PostgreSQL server (a scratch database is created on it).
    pub postgres_url: String,
    /// Bookings to make for the throughput figure.
    pub bookings: usize,
    /// Concurrent clients (booking tasks and pgbench clients alike).
    pub clients: usize,
    /// Client orgs the bookings are spread over: each booking takes a credit
    /// from its org's one balance row, as each TPC-B transaction updates its
    /// branch's row (pgbench's scale 10 has 10 branches).
    pub orgs: usize,
    /// Seconds pgbench runs.
    pub pgbench_seconds: u64,
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default()
}

fn percentile(mut v: Vec<Duration>, q: f64) -> f64 {
    v.sort();
    v[((v.len() as f64 - 1.0) * q).round() as usize].as_secs_f64() * 1000.0
}

fn open_all_day() -> Availability {
    Availability {
        tz: chrono_tz::UTC,
        weekly: (1..=7)
            .map(|weekday| WeeklyRule {
                weekday,
                start: hm(0, 0),
                end: hm(23, 30),
            })
            .collect(),
        overrides: Default::default(),
        session_minutes: vec![30],
        buffer_before: 0,
        buffer_after: 0,
        min_notice_minutes: 0,
        horizon_days: 365,
        max_per_day: 0,
    }
}

async fn pgbench(url: &str, clients: usize, seconds: u64) -> anyhow::Result<f64> {
    let init = tokio::process::Command::new("pgbench")
        .args(["-i", "-s", "10", "-q", url])
        .output()
        .await
        .context("running pgbench -i")?;
    anyhow::ensure!(
        init.status.success(),
        "pgbench -i failed: {}",
        String::from_utf8_lossy(&init.stderr)
    );
    let out = tokio::process::Command::new("pgbench")
        .args([
            "-c",
            &clients.to_string(),
            "-j",
            "2",
            "-T",
            &seconds.to_string(),
            url,
        ])
        .output()
        .await
        .context("running pgbench")?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .find_map(|l| {
            l.strip_prefix("tps = ")
                .and_then(|r| r.split_whitespace().next())
                .and_then(|n| n.parse().ok())
        })
        .with_context(|| format!("no tps in pgbench's output: {text}"))
}

/// What the bookings left in the database: confirmed bookings, pairs of a
/// consultant's confirmed bookings that overlap, credits the ledger took
/// for bookings, and the credit left on the orgs' balances.
#[derive(Debug)]
struct Audit {
    made: usize,
    overlapping: usize,
    credits_taken: usize,
    balance_left: i64,
}

impl Audit {
    async fn of(db: &Db) -> anyhow::Result<Self> {
        let mut conn = db.pool().acquire().await?;
        let count = |sql: &'static str| sqlx::query_scalar::<_, i64>(sql);
        let made = count("SELECT COUNT(*) FROM booking_bookings WHERE status = 'confirmed'")
            .fetch_one(&mut *conn)
            .await?;
        let overlapping = count(
            "SELECT COUNT(*) FROM booking_bookings a JOIN booking_bookings b \
             ON a.consultant_id = b.consultant_id AND a.id < b.id \
             AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at \
             WHERE a.status = 'confirmed' AND b.status = 'confirmed'",
        )
        .fetch_one(&mut *conn)
        .await?;
        let credits = count("SELECT COUNT(*) FROM booking_credit_ledger WHERE reason = 'booking'")
            .fetch_one(&mut *conn)
            .await?;
        let balance_left =
            count("SELECT CAST(COALESCE(SUM(balance), 0) AS BIGINT) FROM booking_credit_balances")
                .fetch_one(&mut *conn)
                .await?;
        Ok(Self {
            made: usize::try_from(made)?,
            overlapping: usize::try_from(overlapping)?,
            credits_taken: usize::try_from(credits)?,
            balance_left,
        })
    }

    /// Fails unless exactly `expected` bookings were made, none overlap,
    /// and each took one credit from the `granted` ones.
    fn check(&self, expected: usize, granted: i64) -> anyhow::Result<()> {
        anyhow::ensure!(
            self.made == expected
                && self.overlapping == 0
                && self.credits_taken == expected
                && self.balance_left == granted - i64::try_from(expected)?,
            "{self:?} for {expected} bookings from {granted} credits"
        );
        Ok(())
    }
}

/// Runs the benchmark and prints its report.
pub async fn run(opts: &BenchOptions) -> anyhow::Result<()> {
    let name = format!("taiwa_bench_booking_{}", std::process::id());
    let scratch = shared::db::ScratchDatabase::create(&opts.postgres_url, &name).await?;
    let result = measure(opts, &scratch.url).await;
    scratch.drop().await;
    result
}

async fn measure(opts: &BenchOptions, url: &str) -> anyhow::Result<()> {
    println!(
        "taiwa bench booking — PostgreSQL, {} bookings, {} clients, {} orgs",
        opts.bookings,
        opts.clients,
        opts.orgs.max(1)
    );
    let db = Db::connect(&SecretString::from(url.to_owned())).await?;
    db.migrate(&MIGRATOR).await?;
    let state = BookingState {
        db: db.clone(),
        tokens: Arc::new(TokenKeys::new(
            &SecretString::from("x".repeat(40)),
            Duration::from_secs(60),
        )),
        wakeup: Wakeup::default(),
        settings: BookingSettings::default(),
        master: Arc::new(crate::crypto::MasterKey::from_secret(&SecretString::from(
            "b".repeat(40),
        ))),
        payments: None,
        public_url: "http://127.0.0.1".to_owned(),
        rooms: crate::rooms::Rooms::new(
            Arc::new(crate::rooms::JitsiMeet::new("https://meet.example.org")),
            [7; 32],
            "http://127.0.0.1",
        ),
    };
    let consultants: Vec<UserId> = (0..50).map(|_| UserId::new()).collect();
    let orgs: Vec<OrgId> = (0..opts.orgs.max(1)).map(|_| OrgId::new()).collect();
    let org = orgs[0];
    let per_org = i64::try_from(opts.bookings)? + 1000;
    let granted = per_org * i64::try_from(orgs.len())?;
    {
        let mut tx = db.begin_write().await?;
        let approved = shared::contracts::ConsultantStanding {
            status: shared::contracts::ApprovalStatus::Approved,
            affiliated_org_ids: Vec::new(),
            as_of: 0,
        };
        for c in &consultants {
            store::save_availability(&mut tx, *c, &open_all_day(), 0).await?;
            store::save_standing(&mut tx, *c, &approved, 0).await?;
        }
        for org in &orgs {
            store::add_credits(&mut tx, *org, per_org, "grant", None, 0).await?;
        }
        tx.commit().await?;
    }
    // Bookings start the day after tomorrow (UTC midnight); 47 half-hour
    // slots a day (the rules end at 23:30).
    let day0 = (Utc::now() + Span::days(2))
        .date_naive()
        .and_time(hm(0, 0))
        .and_utc();
    let slot_at =
        move |k: usize| day0 + Span::days((k / 47) as i64) + Span::minutes(30 * (k % 47) as i64);

    // Throughput: distinct slots spread over the consultants.
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..opts.clients {
        let (state, next, consultants, orgs) = (
            state.clone(),
            next.clone(),
            consultants.clone(),
            orgs.clone(),
        );
        let total = opts.bookings;
        tasks.push(tokio::spawn(async move {
            loop {
                let j = next.fetch_add(1, Ordering::SeqCst);
                if j >= total {
                    return Ok::<(), anyhow::Error>(());
                }
                let consultant = consultants[j % consultants.len()];
                let starts_at = slot_at(j / consultants.len());
                let request = BookingRequest {
                    employee: UserId::new(),
                    org_id: orgs[j % orgs.len()],
                    consultant_id: consultant,
                    starts_at,
                    duration_minutes: 30,
                    agenda: None,
                    nickname: None,
                    idempotency_key: None,
                };
                book(&state, &request)
                    .await
                    .map_err(|e| anyhow::anyhow!("booking failed: {e}"))?;
            }
        }));
    }
    for t in tasks {
        t.await??;
    }
    let rate = opts.bookings as f64 / started.elapsed().as_secs_f64();
    let after_throughput = Audit::of(&db).await?;
    after_throughput.check(opts.bookings, granted)?;

    // The race: 100 employees, one slot.
    let slot = day0 - Span::days(1) + Span::hours(10);
    let racers: Vec<_> = (0..100)
        .map(|_| {
            let state = state.clone();
            let consultant = consultants[0];
            tokio::spawn(async move {
                let t = Instant::now();
                let request = BookingRequest {
                    employee: UserId::new(),
                    org_id: org,
                    consultant_id: consultant,
                    starts_at: slot,
                    duration_minutes: 30,
                    agenda: None,
                    nickname: None,
                    idempotency_key: None,
                };
                let won = book(&state, &request).await.is_ok();
                (won, t.elapsed())
            })
        })
        .collect();
    let mut latencies = Vec::new();
    let mut winners = 0;
    for r in racers {
        let (won, elapsed) = r.await?;
        winners += usize::from(won);
        latencies.push(elapsed);
    }
    anyhow::ensure!(winners == 1, "{winners} winners in the race");
    let after_race = Audit::of(&db).await?;
    after_race.check(opts.bookings + 1, granted)?;
    let (race_p50, race_p99) = (
        percentile(latencies.clone(), 0.5),
        percentile(latencies, 0.99),
    );

    // A 90-day slot list: Tokyo weekday hours, a few overrides and 20 bookings.
    let mut a = open_all_day();
    a.tz = chrono_tz::Asia::Tokyo;
    a.weekly = (1..=5)
        .flat_map(|weekday| {
            [
                WeeklyRule {
                    weekday,
                    start: hm(9, 0),
                    end: hm(12, 0),
                },
                WeeklyRule {
                    weekday,
                    start: hm(13, 0),
                    end: hm(18, 0),
                },
            ]
        })
        .collect();
    a.session_minutes = vec![45, 60];
    a.buffer_before = 10;
    a.buffer_after = 10;
    a.horizon_days = 120;
    let now = Utc::now();
    for d in [5, 12, 30] {
        a.overrides.insert(
            (now + Span::days(d)).date_naive(),
            vec![Interval {
                start: hm(19, 0),
                end: hm(21, 0),
            }],
        );
    }
    let busy: Vec<Busy> = (0..20)
        .map(|k| {
            let s = now + Span::days(2 + k * 3);
            Busy {
                start: s,
                end: s + Span::hours(1),
            }
        })
        .collect();
    let mut samples = Vec::new();
    let mut count = 0;
    for _ in 0..1000 {
        let t = Instant::now();
        count = std::hint::black_box(a.slots(now, now + Span::days(90), 60, &busy, now)).len();
        samples.push(t.elapsed());
    }
    let slots_median_us = percentile(samples, 0.5) * 1000.0;

    db.close().await;
    let tps = pgbench(url, opts.clients, opts.pgbench_seconds).await?;
    println!(
        "  bookings/s (slot check + credit + insert + outbox, {} clients)   {rate:>10.1}",
        opts.clients
    );
    for (when, audit) in [
        ("the bookings", &after_throughput),
        ("the race", &after_race),
    ] {
        println!(
            "  checked after {when}: {} bookings, {} credits taken, {} left, {} overlapping",
            audit.made, audit.credits_taken, audit.balance_left, audit.overlapping
        );
    }
    println!("  pgbench TPC-B tps (scale 10, same clients, same server)       {tps:>10.1}");
    println!(
        "  ratio                                                         {:>9.0}%",
        100.0 * rate / tps
    );
    println!(
        "  100-way race for one slot: 1 winner, latency p50 {race_p50:.1} ms, p99 {race_p99:.1} ms"
    );
    println!("  90-day slot list ({count} slots): median {slots_median_us:.1} µs");
    let _ = time::now();
    Ok(())
}
