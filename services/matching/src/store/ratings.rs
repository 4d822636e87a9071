//! Session ratings. A rating counts towards a consultant's public standing
//! (the rating term of every employee's ranking) only once released, and
//! ratings are released in groups from at least
//! [`crate::domain::ranking::RATINGS_RELEASED_FROM`] distinct people: one
//! person's rating never moves what others can see on its own.

use shared::ids::UserId;
use sqlx::{AnyConnection, Row};

use crate::domain::profile::ConsultantId;

/// Stores a session rating once (keyed by the rating event's id), not yet
/// released; `false` if seen before.
pub async fn insert_rating(
    conn: &mut AnyConnection,
    id: &str,
    consultant: ConsultantId,
    employee: UserId,
    rating: i64,
    at: i64,
) -> anyhow::Result<bool> {
    let done = sqlx::query(
        "INSERT INTO matching_ratings (id, consultant_id, employee_id, rating, created_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(id)
    .bind(consultant.to_string())
    .bind(employee.to_string())
    .bind(rating)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Sum and count of the released ratings per consultant.
pub async fn rating_totals(
    conn: &mut AnyConnection,
) -> anyhow::Result<Vec<(ConsultantId, i64, i64)>> {
    let rows = sqlx::query("SELECT consultant_id, CAST(SUM(rating) AS BIGINT) AS total, COUNT(*) AS n FROM matching_ratings WHERE released_at IS NOT NULL GROUP BY consultant_id")
        .fetch_all(conn)
        .await?;
    rows.iter()
        .map(|row| {
            let id: String = row.try_get("consultant_id")?;
            Ok((id.parse()?, row.try_get("total")?, row.try_get("n")?))
        })
        .collect()
}

/// Sum and count of one consultant's released ratings.
pub async fn rating_total_of(
    conn: &mut AnyConnection,
    consultant: ConsultantId,
) -> anyhow::Result<(i64, i64)> {
    let row = sqlx::query("SELECT CAST(COALESCE(SUM(rating), 0) AS BIGINT) AS total, COUNT(*) AS n FROM matching_ratings WHERE consultant_id = $1 AND released_at IS NOT NULL")
        .bind(consultant.to_string())
        .fetch_one(conn)
        .await?;
    Ok((row.try_get("total")?, row.try_get("n")?))
}

/// Releases a consultant's pending ratings if they come from at least
/// `people` distinct employees; `true` if it released them.
pub async fn release_ratings_if_enough(
    conn: &mut AnyConnection,
    consultant: ConsultantId,
    people: usize,
    now: i64,
) -> anyhow::Result<bool> {
    let raters: i64 = sqlx::query_scalar(
        "SELECT COUNT(DISTINCT employee_id) FROM matching_ratings WHERE consultant_id = $1 AND released_at IS NULL",
    )
    .bind(consultant.to_string())
    .fetch_one(&mut *conn)
    .await?;
    if usize::try_from(raters).unwrap_or(0) < people {
        return Ok(false);
    }
    sqlx::query(
        "UPDATE matching_ratings SET released_at = $2 WHERE consultant_id = $1 AND released_at IS NULL",
    )
    .bind(consultant.to_string())
    .bind(now)
    .execute(conn)
    .await?;
    Ok(true)
}

/// Releases every pending rating (historical data written in bulk: the
/// demo's past sessions).
pub async fn release_all_ratings(conn: &mut AnyConnection, now: i64) -> anyhow::Result<()> {
    sqlx::query("UPDATE matching_ratings SET released_at = $1 WHERE released_at IS NULL")
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}
