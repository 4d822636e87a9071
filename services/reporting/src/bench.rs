//! `taiwa bench reporting`: the theme report's time over 100k and 1M records
//! of one org on PostgreSQL (reading the org's tallies and applying every
//! rule, `by=none` and `by=department`), and intake's rate (a record stored
//! and tallied per transaction). Runs in a database it creates and drops.

use std::time::{Duration, Instant};

use anyhow::Context;
use secrecy::SecretString;
use shared::db::Db;
use shared::ids::OrgId;

use crate::report::report;
use crate::theme_report::DIMENSIONS;
use crate::{MIGRATOR, store};

/// Benchmark settings.
#[derive(Clone, Debug)]
pub struct BenchOptions {
    /// Admin URL of the PostgreSQL server (a scratch database is created on it).
    pub postgres_url: String,
    /// Record counts to measure at, ascending (e.g. 100,000 and 1,000,000).
    pub sizes: Vec<usize>,
    /// Timed runs per size and breakdown (the median is printed).
    pub runs: usize,
}

const QUARTERS: [(&str, [&str; 3]); 4] = [
    ("2025-Q3", ["2025-07", "2025-08", "2025-09"]),
    ("2025-Q4", ["2025-10", "2025-11", "2025-12"]),
    ("2026-Q1", ["2026-01", "2026-02", "2026-03"]),
    ("2026-Q2", ["2026-04", "2026-05", "2026-06"]),
];
const DEPARTMENTS: [&str; 8] = [
    "sales", "sales", "sales", "dev", "dev", "support", "admin", "legal",
];
const AGE_BANDS: [&str; 5] = ["under_30", "30s", "40s", "50s", "60_plus"];

/// Inserts records `from..to` of the synthetic org: about 1.5 sessions per
/// person and quarter, one to three themes each, a department and age band.
async fn insert(
    db: &Db,
    org: OrgId,
    themes: &[String],
    from: usize,
    to: usize,
) -> anyhow::Result<()> {
    const BATCH: usize = 1000;
    let mut i = from;
    while i < to {
        let end = (i + BATCH).min(to);
        let values: Vec<String> = (0..end - i)
            .map(|r| {
                let b = r * 8;
                format!(
                    "(${}, ${}, ${}, ${}, ${}, ${}, ${}, ${})",
                    b + 1,
                    b + 2,
                    b + 3,
                    b + 4,
                    b + 5,
                    b + 6,
                    b + 7,
                    b + 8
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO reporting_records (id, org_id, period, pseudonym, themes, summary, cohort, received_at) VALUES {}",
            values.join(", ")
        );
        let mut query = sqlx::query(&sql);
        for n in i..end {
            let (quarter, months) = QUARTERS[n % QUARTERS.len()];
            let person = (n / QUARTERS.len()) * 2 / 3;
            let raised: Vec<&str> = (0..1 + n % 3)
                .map(|t| themes[(n * 7 + t * 13 + person) % themes.len()].as_str())
                .collect();
            let cohort = serde_json::json!({
                "department": DEPARTMENTS[person % DEPARTMENTS.len()],
                "age_band": AGE_BANDS[(person / 8) % AGE_BANDS.len()],
            });
            query = query
                .bind(uuid::Uuid::now_v7().to_string())
                .bind(org.to_string())
                .bind(months[n % 3])
                .bind(format!("{quarter}/{person}"))
                .bind(serde_json::to_string(&raised)?)
                .bind("")
                .bind(cohort.to_string())
                .bind(0i64);
        }
        query
            .execute(db.pool())
            .await
            .context("inserting records")?;
        i = end;
    }
    Ok(())
}

fn median(mut v: Vec<Duration>) -> f64 {
    v.sort();
    v[v.len() / 2].as_secs_f64() * 1000.0
}

/// Times one report as the route builds it: read the org's tallies (and
/// cohort sizes) and apply every rule.
async fn time_report(
    db: &Db,
    org: OrgId,
    themes: &[String],
    by: Option<&str>,
) -> anyhow::Result<(Duration, Duration, usize)> {
    let quarters: Vec<String> = QUARTERS.iter().map(|(q, _)| (*q).to_owned()).collect();
    let started = Instant::now();
    let mut conn = db.pool().acquire().await?;
    let classes = store::classes_for_report(
        &mut conn,
        org,
        ("2025-Q3", "2026-Q2"),
        shared::time::to_db(shared::time::now()),
    )
    .await?;
    let loaded = started.elapsed();
    let cells = report(&classes, themes, &quarters, &DIMENSIONS, by, 10);
    Ok((started.elapsed(), loaded, cells.len()))
}

/// Stores and tallies `n` records one transaction each, as intake does.
async fn time_intake(db: &Db, themes: &[String], n: usize) -> anyhow::Result<f64> {
    let org = OrgId::new();
    let started = Instant::now();
    for i in 0..n {
        let (quarter, months) = QUARTERS[i % QUARTERS.len()];
        let person = (i / QUARTERS.len()) * 2 / 3;
        let raised: Vec<String> = (0..1 + i % 3)
            .map(|t| themes[(i * 7 + t * 13 + person) % themes.len()].clone())
            .collect();
        let cohort = serde_json::json!({
            "department": DEPARTMENTS[person % DEPARTMENTS.len()],
            "age_band": AGE_BANDS[(person / 8) % AGE_BANDS.len()],
        });
        let id = uuid::Uuid::now_v7().to_string();
        let pseudonym = format!("{quarter}/{person}");
        let record = store::NewRecord {
            id: &id,
            org_id: org,
            period: months[i % 3],
            pseudonym: &pseudonym,
            themes: &raised,
            summary: "",
            cohort: Some(cohort.to_string()),
            crisis_path: false,
        };
        let mut tx = db.begin_write().await?;
        store::record_session(&mut tx, db.backend(), &record, 0).await?;
        tx.commit().await?;
    }
    Ok(n as f64 / started.elapsed().as_secs_f64())
}

/// Runs the benchmark and prints its report.
pub async fn run(opts: &BenchOptions) -> anyhow::Result<()> {
    let name = format!("taiwa_bench_reporting_{}", std::process::id());
    let scratch = shared::db::ScratchDatabase::create(&opts.postgres_url, &name).await?;
    let result = measure(opts, &scratch.url).await;
    scratch.drop().await;
    result
}

async fn measure(opts: &BenchOptions, url: &str) -> anyhow::Result<()> {
    println!("taiwa bench reporting — PostgreSQL, one org, 4 closed quarters, 2 cohort dimensions");
    let db = Db::connect(&SecretString::from(url.to_owned())).await?;
    db.migrate(&MIGRATOR).await?;
    // The themes HR reports show: the taxonomy's non-sensitive ones.
    let themes: Vec<String> = {
        let mut conn = db.pool().acquire().await?;
        store::themes(&mut conn)
            .await?
            .into_iter()
            .filter(|t| !t.sensitive)
            .map(|t| t.code)
            .collect()
    };
    let org = OrgId::new();
    // Every group of the synthetic org is large enough to be listed.
    let sizes: store::CohortSizes = [
        (
            "department",
            &["sales", "dev", "support", "admin", "legal"][..],
        ),
        ("age_band", &AGE_BANDS[..]),
    ]
    .iter()
    .map(|(d, groups)| {
        let groups = groups.iter().map(|g| ((*g).to_owned(), 100_000)).collect();
        ((*d).to_owned(), groups)
    })
    .collect();
    {
        let mut tx = db.begin_write().await?;
        store::replace_cohort_sizes(&mut tx, org, &sizes, 1).await?;
        tx.commit().await?;
    }
    let mut inserted = 0;
    let mut first: Option<(usize, f64)> = None;
    for &size in &opts.sizes {
        let started = Instant::now();
        insert(&db, org, &themes, inserted, size).await?;
        inserted = size;
        let written = started.elapsed();
        // Bulk-written records are tallied the way a database from before the
        // tallies is: one rebuild (intake's own rate is measured below).
        let started = Instant::now();
        let mut tx = db.begin_write().await?;
        store::rebuild_tallies(&mut tx).await?;
        tx.commit().await?;
        for table in ["reporting_records", "reporting_tallies"] {
            sqlx::query(&format!("ANALYZE {table}"))
                .execute(db.pool())
                .await?;
        }
        eprintln!(
            "  ({size} records written in {:.1} s, tallied in {:.1} s)",
            written.as_secs_f64(),
            started.elapsed().as_secs_f64()
        );
        for by in [None, Some("department")] {
            let mut times = Vec::new();
            let mut loads = Vec::new();
            let mut cells = 0;
            for _ in 0..opts.runs.max(1) {
                let (t, load, c) = time_report(&db, org, &themes, by).await?;
                times.push(t);
                loads.push(load);
                cells = c;
            }
            let ms = median(times);
            println!(
                "  {size:>9} records, by={:<10} {ms:>9.2} ms median of {} ({cells} cells; reading the tallies {:.2} ms)",
                by.unwrap_or("none"),
                opts.runs.max(1),
                median(loads)
            );
            if by.is_none() {
                match first {
                    None => first = Some((size, ms)),
                    Some((base, base_ms)) => println!(
                        "  growth: {:.1}× the time for {:.1}× the records",
                        ms / base_ms,
                        size as f64 / base as f64
                    ),
                }
            }
        }
    }
    let n = 5_000;
    let rate = time_intake(&db, &themes, n).await?;
    println!("  intake: {n} records stored and tallied, one transaction each: {rate:.0} records/s");
    Ok(())
}
