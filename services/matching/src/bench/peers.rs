//! The peers the match index is measured against: FAISS and numpy (Python),
//! and PostgreSQL.

use super::summary;
use std::io::Write;
use std::time::Instant;

use anyhow::Context;
use sqlx::{Connection, Executor};

use crate::domain::instrument::DIMS;

const PEERS_PY: &str = r#"
import json, sys, time
import numpy as np
n, d, q = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
data = np.fromfile(sys.argv[1] + ".base", dtype=np.float32).reshape(n, d)
queries = np.fromfile(sys.argv[1] + ".queries", dtype=np.float32).reshape(q, d)
def stats(ts):
    ts = sorted(ts); return {"median_us": ts[len(ts)//2] * 1e6, "p99_us": ts[min(len(ts)-1, round((len(ts)-1)*0.99))] * 1e6}
out = {}
def numpy_top(x):
    s = data @ x; idx = np.argpartition(-s, 10)[:10]; return idx[np.argsort(-s[idx])]
for x in queries[:20]: numpy_top(x)
ts = []
for x in queries:
    t = time.perf_counter(); numpy_top(x); ts.append(time.perf_counter() - t)
out["numpy"] = stats(ts)
try:
    import faiss
    faiss.omp_set_num_threads(1)
    index = faiss.IndexFlatIP(d); index.add(data)
    for x in queries[:20]: index.search(x.reshape(1, d), 10)
    ts = []
    for x in queries:
        t = time.perf_counter(); index.search(x.reshape(1, d), 10); ts.append(time.perf_counter() - t)
    out["faiss_flat_ip"] = stats(ts)
except ImportError:
    out["faiss_flat_ip"] = None
print(json.dumps(out))
"#;

pub(super) fn run_python_peers(
    raw: &[[f32; DIMS]],
    queries: &[[f32; DIMS]],
) -> anyhow::Result<serde_json::Value> {
    let dir = std::env::temp_dir().join(format!("taiwa-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let stem = dir.join("vectors");
    let write = |path: std::path::PathBuf, rows: &[[f32; DIMS]]| -> anyhow::Result<()> {
        let mut f = std::io::BufWriter::new(std::fs::File::create(path)?);
        for row in rows {
            for x in row {
                f.write_all(&x.to_le_bytes())?;
            }
        }
        f.flush()?;
        Ok(())
    };
    write(stem.with_extension("base"), raw)?;
    write(stem.with_extension("queries"), queries)?;
    let script = dir.join("peers.py");
    std::fs::write(&script, PEERS_PY)?;
    let out = std::process::Command::new("python3")
        .arg(&script)
        .arg(&stem)
        .args([
            raw.len().to_string(),
            DIMS.to_string(),
            queries.len().to_string(),
        ])
        .env("OMP_NUM_THREADS", "1")
        .env("OPENBLAS_NUM_THREADS", "1")
        .output()
        .context("running python3")?;
    std::fs::remove_dir_all(&dir).ok();
    anyhow::ensure!(
        out.status.success(),
        "python peers failed: {}",
        String::from_utf8_lossy(&out.stderr)
            .lines()
            .last()
            .unwrap_or("")
    );
    serde_json::from_slice(&out.stdout).context("reading the peers' figures")
}

pub(super) async fn run_postgres(
    url: &str,
    raw: &[[f32; DIMS]],
    queries: &[[f32; DIMS]],
) -> anyhow::Result<(f64, f64)> {
    let mut conn = sqlx::PgConnection::connect(url)
        .await
        .context("connecting to PostgreSQL")?;
    let table = format!("taiwa_bench_vectors_{}", std::process::id());
    let columns: Vec<String> = (0..DIMS)
        .map(|d| format!("d{d} DOUBLE PRECISION NOT NULL"))
        .collect();
    conn.execute(
        format!(
            "CREATE TEMP TABLE {table} (id BIGINT PRIMARY KEY, {})",
            columns.join(", ")
        )
        .as_str(),
    )
    .await?;
    for (chunk_no, chunk) in raw.chunks(5000).enumerate() {
        let mut sql = format!("INSERT INTO {table} VALUES ");
        let rows: Vec<String> = chunk
            .iter()
            .enumerate()
            .map(|(i, v)| {
                format!(
                    "({}, {})",
                    chunk_no * 5000 + i,
                    v.iter()
                        .map(|x| x.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })
            .collect();
        sql.push_str(&rows.join(", "));
        conn.execute(sql.as_str()).await?;
    }
    conn.execute(format!("ANALYZE {table}").as_str()).await?;
    let score: Vec<String> = (0..DIMS).map(|d| format!("d{d} * ${}", d + 1)).collect();
    let sql = format!(
        "SELECT id FROM {table} ORDER BY {} DESC LIMIT 10",
        score.join(" + ")
    );
    let mut samples = Vec::new();
    for (k, q) in queries.iter().enumerate() {
        let mut query = sqlx::query_scalar::<_, i64>(&sql);
        for x in q {
            query = query.bind(f64::from(*x));
        }
        let t = Instant::now();
        let ids = query.fetch_all(&mut conn).await?;
        let elapsed = t.elapsed();
        anyhow::ensure!(
            ids.len() == 10.min(raw.len()),
            "SQL returned {} rows",
            ids.len()
        );
        if k >= 3 {
            samples.push(elapsed);
        }
    }
    Ok(summary(samples))
}
