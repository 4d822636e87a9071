//! `taiwa bench matching`: the match index against its peers, in one run on
//! the same machine and the same vectors, for each kind of catalogue
//! (`--data`, see `data`).
//!
//! Per catalogue it prints median and p99 latency of: reading the matrix's
//! bytes once (the memory-bandwidth floor, a kernel with enough independent
//! accumulators that memory is the limit); the plain top-10 by similarity,
//! with and without skipping blocks; the route's ranking — `MatchIndex::rank`
//! with the query `GET /api/v1/matches` builds (full score, pool, MMR) — and
//! the same ranking from scoring everyone; numpy (`argpartition`) and FAISS's
//! exact flat index (`IndexFlatIP`, one thread) through `python3` when
//! `numpy` and `faiss-cpu` are installed. Each engine's answer is first
//! checked against brute force. Then, once: the same top-10 as SQL in
//! PostgreSQL when a URL is given, and exposure fairness (Gini of times
//! shown) over simulated employees against pure-score ranking.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::candidates::{EXPOSURE_BOOST, MMR_LAMBDA};
use crate::domain::instrument::DIMS;
use crate::domain::profile::{ApprovalStatus, ConsultantId, ProfileDraft};
use crate::domain::ranking::Weights;
use crate::domain::taxonomy::{LANGUAGES, SPECIALTIES, mask};
use crate::index::{MatchIndex, MatchQuery};
use crate::store::ConsultantRecord;

mod data;
mod peers;

pub use data::DataSet;
use peers::{run_postgres, run_python_peers};

/// Benchmark settings.
#[derive(Clone, Debug)]
pub struct BenchOptions {
    /// Consultants in the index.
    pub consultants: usize,
    /// Queries timed per engine.
    pub queries: usize,
    /// PostgreSQL URL for the SQL peer (skipped when `None`).
    pub postgres_url: Option<String>,
    /// Simulated employees for the fairness measurement.
    pub employees: usize,
    /// Consultants in the fairness simulation.
    pub fairness_consultants: usize,
    /// The catalogues to measure on.
    pub data: Vec<DataSet>,
}

fn synthetic_record(n: usize, rng: &mut StdRng) -> ConsultantRecord {
    let s1 = SPECIALTIES[rng.random_range(0..SPECIALTIES.len())]
        .code
        .to_owned();
    let s2 = SPECIALTIES[rng.random_range(0..SPECIALTIES.len())]
        .code
        .to_owned();
    ConsultantRecord {
        id: ConsultantId(uuid::Uuid::from_u128(n as u128 + 1)),
        profile: ProfileDraft {
            display_name: format!("consultant {n}"),
            headline: String::new(),
            message: String::new(),
            qualification: "national_career_consultant".into(),
            registration_number: "00000000".into(),
            specialties: vec![s1, s2],
            industries: vec![],
            languages: vec!["ja".into()],
            years_experience: 5,
            region: "kanto".into(),
            gender: None,
            age_band: None,
            session_formats: vec!["video".into()],
            affiliated_org_ids: vec![],
            accepting_clients: true,
        },
        status: ApprovalStatus::Approved,
        next_available_at: if rng.random_bool(0.7) {
            Some(rng.random_range(0..20) * 86_400_000)
        } else {
            None
        },
        updated_at: 0,
    }
}

/// Median and 99th percentile of durations, in microseconds.
fn summary(mut samples: Vec<Duration>) -> (f64, f64) {
    samples.sort();
    let at =
        |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize].as_secs_f64() * 1e6;
    (at(0.5), at(0.99))
}

fn time_each(queries: &[[f32; DIMS]], mut f: impl FnMut(&[f32; DIMS])) -> (f64, f64) {
    for q in queries.iter().take(20) {
        f(q); // warm-up
    }
    summary(
        queries
            .iter()
            .map(|q| {
                let t = Instant::now();
                f(q);
                t.elapsed()
            })
            .collect(),
    )
}

/// Gini coefficient of non-negative counts (0 = everyone shown equally).
pub fn gini(counts: &[u32]) -> f64 {
    let n = counts.len();
    let total: f64 = counts.iter().map(|c| f64::from(*c)).sum();
    if n == 0 || total == 0.0 {
        return 0.0;
    }
    let mut sorted: Vec<f64> = counts.iter().map(|c| f64::from(*c)).collect();
    sorted.sort_by(f64::total_cmp);
    let weighted: f64 = sorted
        .iter()
        .enumerate()
        .map(|(i, x)| (i as f64 + 1.0) * x)
        .sum();
    (2.0 * weighted) / (n as f64 * total) - (n as f64 + 1.0) / n as f64
}

/// The index over `n` consultants whose vectors are `vectors`.
fn build(vectors: &[[f32; DIMS]], seed: u64) -> MatchIndex {
    let mut rng = StdRng::seed_from_u64(seed);
    let records: Vec<ConsultantRecord> = (0..vectors.len())
        .map(|i| synthetic_record(i, &mut rng))
        .collect();
    let by_id: HashMap<ConsultantId, [f32; DIMS]> = records
        .iter()
        .zip(vectors)
        .map(|(r, v)| (r.id, *v))
        .collect();
    let mut ratings = HashMap::new();
    for r in &records {
        let k = rng.random_range(0..8u32);
        ratings.insert(r.id, (k as f32 * rng.random_range(3.0..5.0f32), k));
    }
    MatchIndex::build(records, &by_id, &ratings)
}

/// The query `GET /api/v1/matches` builds for a first page: the employee's
/// vector, one to three topics, Japanese, Taiwa's boost and MMR.
fn route_query(q: &[f32; DIMS], n: usize) -> MatchQuery {
    let topics = (1..=1 + n % 3).map(|k| 1u32 << ((n * 7 + k * 5) % SPECIALTIES.len()));
    MatchQuery {
        vector: *q,
        topics: topics.fold(0, |a, t| a | t),
        languages: mask(&LANGUAGES, &["ja"]),
        org: None,
        skip: HashSet::new(),
        weights: Weights::default(),
        now_ms: 3_600_000,
        want: 10,
        exposure_boost: EXPOSURE_BOOST,
        mmr_lambda: MMR_LAMBDA,
    }
}

/// One line of the report.
fn row(label: &str, (median, p99): (f64, f64)) {
    println!("  {label:<46} {median:>12.1} {p99:>12.1}");
}

/// Brute force's top-10 by similarity, ties to the earlier consultant.
fn brute_top10(raw: &[[f32; DIMS]], q: &[f32; DIMS]) -> Vec<ConsultantId> {
    let mut all: Vec<(usize, f32)> = raw
        .iter()
        .enumerate()
        .map(|(i, v)| (i, v.iter().zip(q).map(|(a, b)| a * b).sum()))
        .collect();
    all.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    all.iter()
        .take(10)
        .map(|(i, _)| ConsultantId(uuid::Uuid::from_u128(*i as u128 + 1)))
        .collect()
}

/// Measures every engine on one kind of catalogue; returns the route's
/// median and FAISS's, when FAISS ran.
fn measure(data: DataSet, opts: &BenchOptions) -> anyhow::Result<(f64, Option<f64>)> {
    let raw = data.vectors(opts.consultants, 42);
    let queries = data.vectors(opts.queries, 7);
    let index = build(&raw, 42);
    // Earlier employees were shown candidates: the boost reads uneven counts.
    for (n, q) in queries.iter().enumerate() {
        let shown: Vec<ConsultantId> = index
            .rank(&route_query(q, n))
            .iter()
            .map(|r| r.entry.record.id)
            .collect();
        index.record_shown(&shown, 0);
    }
    index.record_shown(&[], 3_600_000);

    // Correctness first: every engine's answer equals brute force's.
    for (n, q) in queries.iter().enumerate().take(5) {
        let expected = brute_top10(&raw, q);
        let ids = |found: Vec<(ConsultantId, f32)>| -> Vec<ConsultantId> {
            found.into_iter().map(|(id, _)| id).collect()
        };
        anyhow::ensure!(
            ids(index.top_k_similar(q, 10)) == expected,
            "top-10 differs from brute force"
        );
        anyhow::ensure!(
            ids(index.top_k_similar_full_scan(q, 10)) == expected,
            "the full scan differs from brute force"
        );
        let ranked = |r: Vec<crate::index::Ranked>| -> Vec<(ConsultantId, f32)> {
            r.into_iter()
                .map(|r| (r.entry.record.id, r.score))
                .collect()
        };
        anyhow::ensure!(
            ranked(index.rank(&route_query(q, n)))
                == ranked(index.rank_exhaustive(&route_query(q, n))),
            "the route's ranking differs from scoring everyone"
        );
    }
    let route_queries: Vec<MatchQuery> = queries
        .iter()
        .enumerate()
        .map(|(n, q)| route_query(q, n))
        .collect();
    let scanned: usize = route_queries
        .iter()
        .map(|q| index.chunks_scanned(q).0)
        .sum();
    let chunks = index.chunks_scanned(&route_queries[0]).1.max(1);

    let flat: Vec<f32> = raw.iter().flatten().copied().collect();
    // Reading the bytes once with 32 independent accumulators: the adds
    // vectorise into eight chains, so memory, not add latency, is the limit.
    let floor = time_each(&queries, |_| {
        let mut lanes = [0.0f32; 32];
        for chunk in flat.chunks_exact(32) {
            for (l, x) in lanes.iter_mut().zip(chunk) {
                *l += x;
            }
        }
        std::hint::black_box(lanes);
    });
    let top10 = time_each(&queries, |q| {
        std::hint::black_box(index.top_k_similar(q, 10));
    });
    let full = time_each(&queries, |q| {
        std::hint::black_box(index.top_k_similar_full_scan(q, 10));
    });
    let mut next = 0;
    let route = time_each(&queries, |_| {
        next = (next + 1) % route_queries.len();
        std::hint::black_box(index.rank(&route_queries[next]));
    });
    let route_all = time_each(&queries, |_| {
        next = (next + 1) % route_queries.len();
        std::hint::black_box(index.rank_exhaustive(&route_queries[next]));
    });
    println!(
        "\n data: {} — {} consultants, {} dims, {} queries, 1 thread",
        data.name(),
        opts.consultants,
        DIMS,
        opts.queries
    );
    println!("  {:<46} {:>12} {:>12}", "engine", "median µs", "p99 µs");
    row("read the matrix once (bandwidth floor)", floor);
    row("top-10 by similarity", top10);
    row("top-10 by similarity, no block skipped", full);
    row("route's ranking (score, pool of 50, MMR)", route);
    row("route's ranking, scoring everyone", route_all);
    let mut faiss = None;
    match run_python_peers(&raw, &queries) {
        Ok(peers) => {
            for (key, label) in [
                ("numpy", "numpy argpartition top-10"),
                ("faiss_flat_ip", "FAISS IndexFlatIP top-10 (1 thread)"),
            ] {
                match peers.get(key).filter(|v| !v.is_null()) {
                    Some(v) => {
                        let figures = (
                            v["median_us"].as_f64().unwrap_or(f64::NAN),
                            v["p99_us"].as_f64().unwrap_or(f64::NAN),
                        );
                        if key == "faiss_flat_ip" {
                            faiss = Some(figures.0);
                        }
                        row(label, figures);
                    }
                    None => println!("  {label:<46} skipped: pip install faiss-cpu"),
                }
            }
        }
        Err(err) => println!("  python peers skipped: {err:#} (pip install numpy faiss-cpu)"),
    }
    println!(
        "  chunks of eight scored by the route's ranking: {:.1} % of {}",
        100.0 * scanned as f64 / (chunks * route_queries.len()) as f64,
        chunks
    );
    println!(
        "  ratios: top-10/floor {:.2}x, no block skipped/floor {:.2}x, route/floor {:.2}x",
        top10.0 / floor.0,
        full.0 / floor.0,
        route.0 / floor.0
    );
    if let Some(f) = faiss {
        println!(
            "          FAISS/route {:.2}x, FAISS/top-10 {:.2}x (>1 means Taiwa is faster)",
            f / route.0,
            f / top10.0
        );
    }
    Ok((route.0, faiss))
}

/// Runs the benchmark and prints its report.
pub async fn run(opts: &BenchOptions) -> anyhow::Result<()> {
    let started = Instant::now();
    println!(
        "taiwa bench matching — {} consultants, data: {}",
        opts.consultants,
        opts.data
            .iter()
            .map(|d| d.name())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut summary_lines = Vec::new();
    for data in &opts.data {
        let (route, faiss) = measure(*data, opts)?;
        summary_lines.push(match faiss {
            Some(f) => format!(
                "  {:<16} route {route:>8.1} µs  FAISS {f:>8.1} µs  FAISS/route {:.2}x{}",
                data.name(),
                f / route,
                if route <= f {
                    ""
                } else {
                    "  ← slower than FAISS"
                }
            ),
            None => format!(
                "  {:<16} route {route:>8.1} µs  (FAISS not installed)",
                data.name()
            ),
        });
    }
    println!("\n summary (medians):");
    for line in summary_lines {
        println!("{line}");
    }
    if let Some(url) = &opts.postgres_url {
        let raw = DataSet::Uniform.vectors(opts.consultants, 42);
        let queries = DataSet::Uniform.vectors(23, 7);
        let (m, p) = run_postgres(url, &raw, &queries).await?;
        let index = build(&raw, 42);
        let engine = time_each(&queries, |q| {
            std::hint::black_box(index.top_k_similar(q, 10));
        });
        println!("\n uniform, SQL peer:");
        row("PostgreSQL ORDER BY dot product LIMIT 10", (m, p));
        println!("  SQL/top-10 {:.0}x", m / engine.0);
    } else {
        println!("\n PostgreSQL peer skipped: pass --postgres-url");
    }

    // Fairness: simulated employees, each shown ten; fair exposure vs pure score.
    let simulate = |boost: f32, lambda: f32| {
        let index = build(&DataSet::Uniform.vectors(opts.fairness_consultants, 99), 99);
        let employees = DataSet::Uniform.vectors(opts.employees, 11);
        let mut compat = 0.0f64;
        let mut shown_total = 0usize;
        for (n, q) in employees.iter().enumerate() {
            let ranked = index.rank(&MatchQuery {
                exposure_boost: boost,
                mmr_lambda: lambda,
                topics: 0b11,
                now_ms: 0,
                ..route_query(q, n)
            });
            compat += ranked.iter().map(|r| f64::from(r.score)).sum::<f64>();
            shown_total += ranked.len();
            // The boost reads exposure as of the hour; simulated employees
            // arrive 100 an hour.
            let clock = i64::try_from(n).unwrap_or(i64::MAX / 36_000) * 36_000;
            index.record_shown(
                &ranked.iter().map(|r| r.entry.record.id).collect::<Vec<_>>(),
                clock,
            );
        }
        (
            gini(&index.shown_counts()),
            compat / shown_total.max(1) as f64,
        )
    };
    println!(
        "  fairness over {} employees × 10 shown, {} consultants:",
        opts.employees, opts.fairness_consultants
    );
    let (pure_gini, pure_score) = simulate(0.0, 1.0);
    println!(
        "    pure score                       Gini {pure_gini:.3}, mean compatibility {pure_score:.4}"
    );
    for boost in [0.05, 0.1, EXPOSURE_BOOST, 0.3] {
        let (g, c) = simulate(boost, MMR_LAMBDA);
        let marker = if boost == EXPOSURE_BOOST {
            " ← Taiwa's setting"
        } else {
            ""
        };
        println!(
            "    exposure boost {boost:<4} + MMR       Gini {g:.3}, mean compatibility {c:.4} ({:.1}% of pure){marker}",
            100.0 * c / pure_score
        );
    }
    println!("  done in {:.1}s", started.elapsed().as_secs_f64());
    Ok(())
}

#[cfg(test)]
mod tests;

/// Adds `n` approved consultants with assessments (simulated answers to the
/// real instrument) to matching's tables: a large catalogue for `taiwa bench
/// startup`.
pub async fn seed_catalogue(db: &shared::db::Db, n: usize) -> anyhow::Result<()> {
    let mut rng = StdRng::seed_from_u64(0xCA7A);
    let now = shared::time::to_db(shared::time::now());
    let mut tx = db.begin_write().await?;
    for i in 0..n {
        let mut record = synthetic_record(i, &mut rng);
        // Ids of their own, clear of the demo's.
        record.id = ConsultantId(uuid::Uuid::from_u128(0xB0_0000_0000 + i as u128));
        crate::store::upsert_profile(&mut tx, record.id, &record.profile, now).await?;
        crate::store::set_status(&mut tx, record.id, ApprovalStatus::Approved, now).await?;
        let z = crate::synthetic::latent(&mut rng);
        let answers = crate::synthetic::answers_for(&mut rng, &z)?;
        crate::store::insert_assessment(
            &mut tx,
            &uuid::Uuid::now_v7().to_string(),
            shared::ids::UserId(record.id.0),
            crate::domain::instrument::VERSION,
            &answers.pairs(),
            &answers.score(),
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
