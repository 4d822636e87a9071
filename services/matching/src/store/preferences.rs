//! An employee's search preferences.

use anyhow::Context;
use shared::ids::UserId;
use sqlx::{AnyConnection, Row};

use super::{json_list, to_json};
use crate::domain::profile::ConsultantId;
use crate::domain::ranking::Weights;

/// An employee's matching preferences.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Preferences {
    /// Topics (specialty codes) they want to talk about.
    pub topics: Vec<String>,
    /// Languages they can hold a session in (empty = Japanese).
    pub languages: Vec<String>,
    /// Consultants they never want to see.
    pub excluded: Vec<ConsultantId>,
    /// Their own feature weights, if set.
    pub weights: Option<Weights>,
}

/// An employee's preferences (defaults when never set).
pub async fn preferences(conn: &mut AnyConnection, user: UserId) -> anyhow::Result<Preferences> {
    let row = sqlx::query("SELECT topics, languages, excluded_ids, weights FROM matching_preferences WHERE user_id = $1")
        .bind(user.to_string())
        .fetch_optional(conn)
        .await?;
    let Some(row) = row else {
        return Ok(Preferences::default());
    };
    let weights: Option<String> = row.try_get("weights")?;
    Ok(Preferences {
        topics: json_list(&row, "topics")?,
        languages: json_list(&row, "languages")?,
        excluded: json_list(&row, "excluded_ids")?,
        weights: weights.map(|w| serde_json::from_str(&w)).transpose()?,
    })
}

/// Stores an employee's preferences.
pub async fn save_preferences(
    conn: &mut AnyConnection,
    user: UserId,
    p: &Preferences,
    now: i64,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO matching_preferences (user_id, topics, languages, excluded_ids, weights, updated_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (user_id) DO UPDATE SET topics = excluded.topics, languages = excluded.languages, excluded_ids = excluded.excluded_ids, \
           weights = excluded.weights, updated_at = excluded.updated_at",
    )
    .bind(user.to_string())
    .bind(to_json(&p.topics)?)
    .bind(to_json(&p.languages)?)
    .bind(to_json(&p.excluded)?)
    .bind(p.weights.as_ref().map(to_json).transpose()?)
    .bind(now)
    .execute(conn)
    .await
    .context("storing preferences")?;
    Ok(())
}
