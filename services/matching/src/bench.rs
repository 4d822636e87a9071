//! `taiwa bench matching`: the match index against its peers, in one run on
//! the same machine and the same vectors.
//!
//! Prints top-10 latency (median, p99) of the in-process engine (plain top-10
//! by similarity, the same with no block skipped — its worst case — and the
//! full ranking with eligibility, features and MMR);
//! the time to read the matrix's bytes once (the memory-bandwidth floor);
//! FAISS's exact flat index (`IndexFlatIP`, one thread) and numpy
//! (`argpartition`) through `python3` when `faiss-cpu` and `numpy` are
//! installed; the same top-10 as SQL in PostgreSQL when a URL is given; and
//! exposure fairness (Gini of times shown) over simulated employees against
//! pure-score ranking.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::domain::instrument::DIMS;
use crate::domain::profile::{ApprovalStatus, ConsultantId, ProfileDraft};
use crate::domain::ranking::Weights;
use crate::domain::taxonomy::{LANGUAGES, SPECIALTIES, mask};
use crate::index::{MatchIndex, MatchQuery};
use crate::store::ConsultantRecord;

mod peers;

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
}

fn random_unit(rng: &mut StdRng) -> [f32; DIMS] {
    let mut v = [0.0f32; DIMS];
    for x in &mut v {
        *x = rng.random_range(-1.0..1.0);
    }
    let norm = v.iter().map(|a| a * a).sum::<f32>().sqrt().max(1e-6);
    v.map(|a| a / norm)
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

fn build(n: usize, seed: u64) -> (MatchIndex, Vec<[f32; DIMS]>) {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut records = Vec::with_capacity(n);
    let mut vectors = HashMap::with_capacity(n);
    let mut raw = Vec::with_capacity(n);
    for i in 0..n {
        let r = synthetic_record(i, &mut rng);
        let v = random_unit(&mut rng);
        vectors.insert(r.id, v);
        raw.push(v);
        records.push(r);
    }
    let mut ratings = HashMap::new();
    for r in &records {
        let k = rng.random_range(0..8u32);
        ratings.insert(r.id, (k as f32 * rng.random_range(3.0..5.0f32), k));
    }
    (MatchIndex::build(records, &vectors, &ratings), raw)
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

/// Runs the benchmark and prints its report.
pub async fn run(opts: &BenchOptions) -> anyhow::Result<()> {
    let started = Instant::now();
    println!(
        "taiwa bench matching — {} consultants, {} dims, {} queries, 1 thread",
        opts.consultants, DIMS, opts.queries
    );
    let (index, raw) = build(opts.consultants, 42);
    let mut rng = StdRng::seed_from_u64(7);
    let queries: Vec<[f32; DIMS]> = (0..opts.queries).map(|_| random_unit(&mut rng)).collect();

    // Correctness first: the engine's top-10 equals brute force.
    for q in queries.iter().take(5) {
        let engine: Vec<ConsultantId> = index
            .top_k_similar(q, 10)
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        let mut brute: Vec<(usize, f32)> = raw
            .iter()
            .enumerate()
            .map(|(i, v)| (i, v.iter().zip(q).map(|(a, b)| a * b).sum()))
            .collect();
        brute.sort_by(|a, b| b.1.total_cmp(&a.1));
        let expected: Vec<ConsultantId> = brute
            .iter()
            .take(10)
            .map(|(i, _)| ConsultantId(uuid::Uuid::from_u128(*i as u128 + 1)))
            .collect();
        anyhow::ensure!(
            engine == expected,
            "the engine's top-10 differs from brute force"
        );
        let full_scan: Vec<ConsultantId> = index
            .top_k_similar_full_scan(q, 10)
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        anyhow::ensure!(
            full_scan == expected,
            "the engine's full scan differs from brute force"
        );
    }

    let (engine_med, engine_p99) = time_each(&queries, |q| {
        std::hint::black_box(index.top_k_similar(q, 10));
    });
    // The same search with no block skipped: its worst case.
    let (full_med, full_p99) = time_each(&queries, |q| {
        std::hint::black_box(index.top_k_similar_full_scan(q, 10));
    });
    let full_query = |q: &[f32; DIMS]| MatchQuery {
        vector: *q,
        topics: 0b11,
        languages: mask(&LANGUAGES, &["ja"]),
        org: None,
        skip: HashSet::new(),
        weights: Weights::default(),
        now_ms: 0,
        want: 10,
        exposure_boost: 0.03,
        mmr_lambda: 0.85,
    };
    let (rank_med, rank_p99) = time_each(&queries, |q| {
        std::hint::black_box(index.rank(&full_query(q)));
    });
    let flat: Vec<f32> = raw.iter().flatten().copied().collect();
    // Reading the bytes once, with independent accumulators so the adds
    // vectorise and memory, not a chain of dependent adds, is the limit.
    let (floor_med, floor_p99) = time_each(&queries, |_| {
        let mut lanes = [0.0f32; 16];
        for chunk in flat.chunks_exact(16) {
            for (l, x) in lanes.iter_mut().zip(chunk) {
                *l += x;
            }
        }
        std::hint::black_box(lanes);
    });
    println!("  {:<42} {:>12} {:>12}", "engine", "median µs", "p99 µs");
    println!(
        "  {:<42} {:>12.1} {:>12.1}",
        "read the matrix once (bandwidth floor)", floor_med, floor_p99
    );
    println!(
        "  {:<42} {:>12.1} {:>12.1}",
        "taiwa index: top-10 by similarity", engine_med, engine_p99
    );
    println!(
        "  {:<42} {:>12.1} {:>12.1}",
        "taiwa index: top-10, no block skipped", full_med, full_p99
    );
    println!(
        "  {:<42} {:>12.1} {:>12.1}",
        "taiwa index: full ranking (features, MMR)", rank_med, rank_p99
    );

    let mut faiss_med = None;
    match run_python_peers(&raw, &queries) {
        Ok(peers) => {
            for (key, label) in [
                ("numpy", "numpy argpartition"),
                ("faiss_flat_ip", "FAISS IndexFlatIP (1 thread)"),
            ] {
                match peers.get(key).filter(|v| !v.is_null()) {
                    Some(v) => {
                        let (m, p) = (
                            v["median_us"].as_f64().unwrap_or(f64::NAN),
                            v["p99_us"].as_f64().unwrap_or(f64::NAN),
                        );
                        if key == "faiss_flat_ip" {
                            faiss_med = Some(m);
                        }
                        println!("  {label:<42} {m:>12.1} {p:>12.1}");
                    }
                    None => println!("  {label:<42} skipped: pip install faiss-cpu"),
                }
            }
        }
        Err(err) => println!("  python peers skipped: {err:#} (pip install numpy faiss-cpu)"),
    }
    let mut sql_med = None;
    match &opts.postgres_url {
        Some(url) => {
            let sql_queries: Vec<[f32; DIMS]> = queries.iter().take(23).copied().collect();
            let (m, p) = run_postgres(url, &raw, &sql_queries).await?;
            sql_med = Some(m);
            println!(
                "  {:<42} {m:>12.1} {p:>12.1}",
                "PostgreSQL ORDER BY dot product LIMIT 10"
            );
        }
        None => println!("  PostgreSQL peer skipped: pass --postgres-url"),
    }
    println!(
        "  ratios: engine/floor {:.2}x (no block skipped: {:.2}x)",
        engine_med / floor_med,
        full_med / floor_med
    );
    if let Some(f) = faiss_med {
        println!(
            "          FAISS/engine {:.2}x (>1 means the engine is faster)",
            f / engine_med
        );
    }
    if let Some(s) = sql_med {
        println!("          SQL/engine {:.0}x", s / engine_med);
    }

    // Fairness: simulated employees, each shown ten; fair exposure vs pure score.
    let simulate = |boost: f32, lambda: f32| {
        let (index, _) = build(opts.fairness_consultants, 99);
        let mut rng = StdRng::seed_from_u64(11);
        let mut compat = 0.0f64;
        let mut shown_total = 0usize;
        for n in 0..opts.employees {
            let q = random_unit(&mut rng);
            let ranked = index.rank(&MatchQuery {
                exposure_boost: boost,
                mmr_lambda: lambda,
                ..full_query(&q)
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
    for boost in [0.05, 0.1, crate::candidates::EXPOSURE_BOOST, 0.3] {
        let (g, c) = simulate(boost, crate::candidates::MMR_LAMBDA);
        let marker = if boost == crate::candidates::EXPOSURE_BOOST {
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
