//! Values assessments: `matching_assessments`.

use anyhow::Context;
use shared::ids::UserId;
use sqlx::{AnyConnection, Row};

use super::to_json;
use crate::domain::instrument::{DIMS, ValuesVector};
use crate::domain::profile::ConsultantId;

/// Stores a scored assessment.
pub async fn insert_assessment(
    conn: &mut AnyConnection,
    id: &str,
    user: UserId,
    version: &str,
    answers: &[(&str, i64)],
    vector: &ValuesVector,
    now: i64,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO matching_assessments (id, user_id, instrument_version, answers, vector, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(user.to_string())
    .bind(version)
    .bind(to_json(&answers)?)
    .bind(to_json(&vector.0.to_vec())?)
    .bind(now)
    .execute(conn)
    .await
    .context("storing an assessment")?;
    Ok(())
}

fn vector_from_text(text: &str) -> anyhow::Result<ValuesVector> {
    let values: Vec<f64> = serde_json::from_str(text)?;
    let array: [f64; DIMS] = values
        .try_into()
        .map_err(|_| anyhow::anyhow!("stored vector has the wrong length"))?;
    Ok(ValuesVector(array))
}

/// A person's latest values vector, with its assessment id.
pub async fn latest_vector(
    conn: &mut AnyConnection,
    user: UserId,
) -> anyhow::Result<Option<(String, ValuesVector)>> {
    let row = sqlx::query("SELECT id, vector FROM matching_assessments WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1")
        .bind(user.to_string())
        .fetch_optional(conn)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let vector: String = row.try_get("vector")?;
    Ok(Some((row.try_get("id")?, vector_from_text(&vector)?)))
}

/// Every consultant's latest values vector.
pub async fn consultant_vectors(
    conn: &mut AnyConnection,
) -> anyhow::Result<Vec<(ConsultantId, ValuesVector)>> {
    let rows = sqlx::query(
        "SELECT a.user_id, a.vector FROM matching_assessments a JOIN matching_consultants c ON c.id = a.user_id \
         WHERE a.created_at = (SELECT MAX(b.created_at) FROM matching_assessments b WHERE b.user_id = a.user_id) ORDER BY a.id",
    )
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let id: String = row.try_get("user_id")?;
            let vector: String = row.try_get("vector")?;
            Ok((id.parse()?, vector_from_text(&vector)?))
        })
        .collect()
}

/// Everyone's latest values vector.
pub async fn latest_vectors(
    conn: &mut AnyConnection,
) -> anyhow::Result<std::collections::HashMap<String, ValuesVector>> {
    let rows = sqlx::query(
        "SELECT a.user_id, a.vector FROM matching_assessments a \
         WHERE a.created_at = (SELECT MAX(b.created_at) FROM matching_assessments b WHERE b.user_id = a.user_id)",
    )
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let user: String = row.try_get("user_id")?;
            let vector: String = row.try_get("vector")?;
            Ok((user, vector_from_text(&vector)?))
        })
        .collect()
}
