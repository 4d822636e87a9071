//! Released quarters, kept as first released, and the cohort sizes as they
//! stood at each instant.

use shared::ids::OrgId;
use sqlx::AnyConnection;

use super::CohortSizes;

/// A quarter's report as first released (JSON), if it was.
pub async fn released(
    conn: &mut AnyConnection,
    org: OrgId,
    quarter: &str,
) -> anyhow::Result<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT report FROM reporting_releases WHERE org_id = $1 AND quarter = $2",
    )
    .bind(org.to_string())
    .bind(quarter)
    .fetch_optional(conn)
    .await?)
}

/// Keeps a quarter's report; the first one kept wins (a concurrent first
/// read computed the same).
pub async fn keep_release(
    conn: &mut AnyConnection,
    org: OrgId,
    quarter: &str,
    report: &str,
    now: i64,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO reporting_releases (org_id, quarter, report, frozen_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (org_id, quarter) DO NOTHING",
    )
    .bind(org.to_string())
    .bind(quarter)
    .bind(report)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Remembers a cohort-size snapshot.
pub async fn remember_cohort_sizes(
    conn: &mut AnyConnection,
    org: OrgId,
    sizes: &CohortSizes,
    as_of: i64,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO reporting_cohort_size_history (org_id, as_of, sizes) VALUES ($1, $2, $3) \
         ON CONFLICT (org_id, as_of) DO NOTHING",
    )
    .bind(org.to_string())
    .bind(as_of)
    .bind(serde_json::to_string(sizes)?)
    .execute(conn)
    .await?;
    Ok(())
}

/// An org's cohort sizes as they stood at `at` (epoch ms): the newest
/// snapshot published by then, else the sizes kept before snapshots were
/// remembered.
pub async fn cohort_sizes_as_of(
    conn: &mut AnyConnection,
    org: OrgId,
    at: i64,
) -> anyhow::Result<CohortSizes> {
    let snapshot: Option<String> = sqlx::query_scalar(
        "SELECT sizes FROM reporting_cohort_size_history WHERE org_id = $1 AND as_of <= $2 \
         ORDER BY as_of DESC LIMIT 1",
    )
    .bind(org.to_string())
    .bind(at)
    .fetch_optional(&mut *conn)
    .await?;
    match snapshot {
        Some(json) => Ok(serde_json::from_str(&json)?),
        None => super::cohort_sizes(conn, org).await,
    }
}
