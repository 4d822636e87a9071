//! Learned ranking weights: `matching_models`.

use anyhow::Context;
use sqlx::AnyConnection;

use super::to_json;
use crate::domain::ranking::Weights;

/// A trained model's record.
#[derive(Clone, Debug)]
pub struct ModelRecord {
    /// Weights it implies.
    pub weights: Weights,
    /// Held-out AUC of the learned model.
    pub auc_learned: f64,
    /// Held-out AUC of the hand-set weights.
    pub auc_handset: f64,
    /// Training rows.
    pub train_rows: i64,
    /// Held-out rows.
    pub test_rows: i64,
    /// Whether it is used.
    pub active: bool,
}

/// Stores a trained model.
pub async fn insert_model(
    conn: &mut AnyConnection,
    m: &ModelRecord,
    now: i64,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO matching_models (id, created_at, weights, auc_learned, auc_handset, train_rows, test_rows, active) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(now)
    .bind(to_json(&m.weights)?)
    .bind(m.auc_learned)
    .bind(m.auc_handset)
    .bind(m.train_rows)
    .bind(m.test_rows)
    .bind(i64::from(m.active))
    .execute(conn)
    .await
    .context("storing a model")?;
    Ok(())
}

/// The newest active model's weights, if any.
pub async fn active_weights(conn: &mut AnyConnection) -> anyhow::Result<Option<Weights>> {
    let text: Option<String> = sqlx::query_scalar("SELECT weights FROM matching_models WHERE active = 1 ORDER BY created_at DESC, id DESC LIMIT 1")
        .fetch_optional(conn)
        .await?;
    Ok(text.map(|t| serde_json::from_str(&t)).transpose()?)
}
