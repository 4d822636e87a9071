//! Data rights in matching: a person's export (`GET
//! /api/v1/matching/me/data`: their assessments with answers, their
//! preferences and the ratings they gave) and erasure on
//! `identity.user_erased.v1`: assessments, preferences and any shortlist
//! stored by an earlier version are deleted (and the first two forgotten
//! from memory); the ratings they gave stay for the consultants'
//! averages but lose the link to them.

use std::sync::Arc;

use anyhow::Context;
use axum::extract::State;
use serde::Serialize;
use shared::auth::Caller;
use shared::contracts::UserErased;
use shared::error::ApiError;
use shared::events::{Consumes, Delivery, Received, SubscribeTo, Subscriber};
use shared::http::Json;
use shared::ids::UserId;
use sqlx::Row;
use utoipa::ToSchema;

use crate::MatchingState;

/// One assessment the person answered.
#[derive(Serialize, ToSchema)]
pub struct AssessmentData {
    /// The instrument's version.
    pub instrument_version: String,
    /// `[[item id, value], …]`.
    #[schema(value_type = Vec<Vec<serde_json::Value>>)]
    pub answers: serde_json::Value,
    /// The values vector, in the instrument's dimension order.
    #[schema(value_type = Vec<f64>)]
    pub vector: serde_json::Value,
    /// When.
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// What matching holds about the caller.
#[derive(Serialize, ToSchema)]
pub struct MatchingData {
    /// Their assessments, oldest first.
    pub assessments: Vec<AssessmentData>,
    /// Their topics, languages, exclusions and weights, if they set any.
    #[schema(value_type = Option<Object>)]
    pub preferences: Option<serde_json::Value>,
    /// The ratings they gave: `{consultant_id, rating, created_at}`.
    #[schema(value_type = Vec<Object>)]
    pub ratings: serde_json::Value,
}

/// What matching holds about the caller (part of their data export).
#[utoipa::path(get, path = "/api/v1/matching/me/data", tag = "matching", security(("bearer" = [])),
    responses((status = 200, description = "Matching's data about the caller", body = MatchingData)))]
pub async fn export(
    State(state): State<MatchingState>,
    caller: Caller,
) -> Result<Json<MatchingData>, ApiError> {
    let mut conn = state.db.pool().acquire().await?;
    let id = caller.user_id.to_string();
    let rows = sqlx::query(
        "SELECT instrument_version, answers, vector, created_at FROM matching_assessments WHERE user_id = $1 ORDER BY created_at",
    )
    .bind(&id)
    .fetch_all(&mut *conn)
    .await
    .context("reading assessments")?;
    let mut assessments = Vec::new();
    for r in rows {
        assessments.push(AssessmentData {
            instrument_version: r.try_get("instrument_version").context("row")?,
            answers: serde_json::from_str(&r.try_get::<String, _>("answers").context("row")?)
                .context("answers")?,
            vector: serde_json::from_str(&r.try_get::<String, _>("vector").context("row")?)
                .context("vector")?,
            created_at: shared::time::from_db(r.try_get("created_at").context("row")?),
        });
    }
    let preferences = sqlx::query(
        "SELECT topics, languages, excluded_ids, weights FROM matching_preferences WHERE user_id = $1",
    )
    .bind(&id)
    .fetch_optional(&mut *conn)
    .await
    .context("reading preferences")?
    .map(|r| -> anyhow::Result<serde_json::Value> {
        let json = |k: &str| -> anyhow::Result<serde_json::Value> {
            let raw: Option<String> = r.try_get(k)?;
            Ok(raw.and_then(|v| serde_json::from_str(&v).ok()).unwrap_or_default())
        };
        Ok(serde_json::json!({
            "topics": json("topics")?, "languages": json("languages")?,
            "excluded": json("excluded_ids")?, "weights": json("weights")?,
        }))
    })
    .transpose()?;
    let ratings: Vec<serde_json::Value> = sqlx::query(
        "SELECT consultant_id, rating, created_at FROM matching_ratings WHERE employee_id = $1 ORDER BY created_at",
    )
    .bind(&id)
    .fetch_all(&mut *conn)
    .await
    .context("reading ratings")?
    .iter()
    .map(|r| -> anyhow::Result<serde_json::Value> {
        Ok(serde_json::json!({
            "consultant_id": r.try_get::<String, _>("consultant_id")?,
            "rating": r.try_get::<i64, _>("rating")?,
            "created_at": shared::time::from_db(r.try_get("created_at")?),
        }))
    })
    .collect::<anyhow::Result<_>>()?;
    Ok(Json(MatchingData {
        assessments,
        preferences,
        ratings: serde_json::Value::Array(ratings),
    }))
}

/// Erases what matching holds about a person.
pub async fn erase_person(state: &MatchingState, person: UserId) -> anyhow::Result<()> {
    let id = person.to_string();
    let mut tx = state.db.begin_write().await?;
    for sql in [
        "DELETE FROM matching_assessments WHERE user_id = $1",
        "DELETE FROM matching_preferences WHERE user_id = $1",
        // No longer written (pages are derived per request); dropped by a
        // later release, once no pod of an earlier one can still write it.
        "DELETE FROM matching_shortlists WHERE user_id = $1",
    ] {
        sqlx::query(sql).bind(&id).execute(&mut *tx).await?;
    }
    // Each rating keeps counting for its consultant under an id of its own.
    let ratings: Vec<String> =
        sqlx::query_scalar("SELECT id FROM matching_ratings WHERE employee_id = $1")
            .bind(&id)
            .fetch_all(&mut *tx)
            .await?;
    for rating in ratings {
        sqlx::query("UPDATE matching_ratings SET employee_id = $2 WHERE id = $1")
            .bind(rating)
            .bind(uuid::Uuid::new_v4().to_string())
            .execute(&mut *tx)
            .await?;
    }
    state.employees.commit_then_forget(tx, person).await?;
    state.shortlists.forget(person);
    Ok(())
}

struct Erasure(MatchingState);

impl Consumes<UserErased> for Erasure {
    async fn consume(&self, event: Received<UserErased>) -> anyhow::Result<()> {
        erase_person(&self.0, event.payload.user_id).await
    }
}

/// Subscribes matching's erasure to the bus.
pub fn subscribe(bus: &dyn Subscriber, state: &MatchingState) {
    bus.subscribe_to::<UserErased, _>(
        "matching.erasure",
        Delivery::OneReplica,
        Arc::new(Erasure(state.clone())),
    );
}
