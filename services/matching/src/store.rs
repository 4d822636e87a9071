//! All of matching's SQL. Tables: `matching_*` only.

use anyhow::Context;
use shared::ids::UserId;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::domain::instrument::{DIMS, ValuesVector};
use crate::domain::profile::{ApprovalStatus, ConsultantId, ProfileDraft};
use crate::domain::ranking::Weights;

mod ratings;

pub use ratings::{
    insert_rating, rating_total_of, rating_totals, release_all_ratings, release_ratings_if_enough,
};

/// A consultant as stored.
#[derive(Clone, Debug)]
pub struct ConsultantRecord {
    /// Id (the account id).
    pub id: ConsultantId,
    /// The profile.
    pub profile: ProfileDraft,
    /// Approval.
    pub status: ApprovalStatus,
    /// Next free slot (epoch ms), from booking.
    pub next_available_at: Option<i64>,
    /// Last change (epoch ms).
    pub updated_at: i64,
}

const CONSULTANT_COLUMNS: &str = "id, display_name, headline, message, qualification, registration_number, specialties, \
    industries, languages, years_experience, region, gender, age_band, session_formats, affiliated_org_ids, \
    status, accepting_clients, next_available_at, updated_at";

fn json_list<T: serde::de::DeserializeOwned>(row: &AnyRow, column: &str) -> anyhow::Result<Vec<T>> {
    let text: String = row.try_get(column)?;
    serde_json::from_str(&text).with_context(|| format!("column {column}"))
}

fn consultant_from_row(row: &AnyRow) -> anyhow::Result<ConsultantRecord> {
    let id: String = row.try_get("id")?;
    let status: String = row.try_get("status")?;
    let years: i64 = row.try_get("years_experience")?;
    let accepting: i64 = row.try_get("accepting_clients")?;
    Ok(ConsultantRecord {
        id: id.parse()?,
        profile: ProfileDraft {
            display_name: row.try_get("display_name")?,
            headline: row.try_get("headline")?,
            message: row.try_get("message")?,
            qualification: row.try_get("qualification")?,
            registration_number: row.try_get("registration_number")?,
            specialties: json_list(row, "specialties")?,
            industries: json_list(row, "industries")?,
            languages: json_list(row, "languages")?,
            years_experience: u32::try_from(years)?,
            region: row.try_get("region")?,
            gender: row.try_get("gender")?,
            age_band: row.try_get("age_band")?,
            session_formats: json_list(row, "session_formats")?,
            affiliated_org_ids: json_list(row, "affiliated_org_ids")?,
            accepting_clients: accepting != 0,
        },
        status: ApprovalStatus::parse(&status).context("status")?,
        next_available_at: row.try_get("next_available_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

fn to_json<T: serde::Serialize>(value: &T) -> anyhow::Result<String> {
    serde_json::to_string(value).context("serializing a column")
}

/// Creates or replaces a consultant's profile. A new profile waits for
/// approval; a changed qualification or registration number sends an approved
/// profile back for approval.
pub async fn upsert_profile(
    conn: &mut AnyConnection,
    id: ConsultantId,
    p: &ProfileDraft,
    now: i64,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO matching_consultants (id, display_name, headline, message, qualification, registration_number, \
           specialties, industries, languages, years_experience, region, gender, age_band, session_formats, meeting_url, \
           affiliated_org_ids, status, accepting_clients, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 'pending', $17, $18, $18) \
         ON CONFLICT (id) DO UPDATE SET \
           status = CASE WHEN matching_consultants.qualification <> excluded.qualification \
                           OR matching_consultants.registration_number <> excluded.registration_number \
                         THEN 'pending' ELSE matching_consultants.status END, \
           display_name = excluded.display_name, headline = excluded.headline, message = excluded.message, \
           qualification = excluded.qualification, registration_number = excluded.registration_number, \
           specialties = excluded.specialties, industries = excluded.industries, languages = excluded.languages, \
           years_experience = excluded.years_experience, region = excluded.region, gender = excluded.gender, \
           age_band = excluded.age_band, session_formats = excluded.session_formats, meeting_url = excluded.meeting_url, \
           affiliated_org_ids = excluded.affiliated_org_ids, accepting_clients = excluded.accepting_clients, \
           updated_at = excluded.updated_at",
    )
    .bind(id.to_string())
    .bind(&p.display_name)
    .bind(&p.headline)
    .bind(&p.message)
    .bind(&p.qualification)
    .bind(&p.registration_number)
    .bind(to_json(&p.specialties)?)
    .bind(to_json(&p.industries)?)
    .bind(to_json(&p.languages)?)
    .bind(i64::from(p.years_experience))
    .bind(&p.region)
    .bind(p.gender.clone())
    .bind(p.age_band.clone())
    .bind(to_json(&p.session_formats)?)
    // The consultant's own room is no longer kept: every booking gets its own.
    .bind(Option::<String>::None)
    .bind(to_json(&p.affiliated_org_ids)?)
    .bind(i64::from(p.accepting_clients))
    .bind(now)
    .execute(conn)
    .await
    .context("storing a profile")?;
    Ok(())
}

/// One consultant.
pub async fn find_consultant(
    conn: &mut AnyConnection,
    id: ConsultantId,
) -> anyhow::Result<Option<ConsultantRecord>> {
    let sql = format!("SELECT {CONSULTANT_COLUMNS} FROM matching_consultants WHERE id = $1");
    let row = sqlx::query(&sql)
        .bind(id.to_string())
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(consultant_from_row).transpose()
}

/// Every consultant (to build the in-memory index).
pub async fn all_consultants(conn: &mut AnyConnection) -> anyhow::Result<Vec<ConsultantRecord>> {
    let sql = format!("SELECT {CONSULTANT_COLUMNS} FROM matching_consultants ORDER BY id");
    let rows = sqlx::query(&sql).fetch_all(conn).await?;
    rows.iter().map(consultant_from_row).collect()
}

/// Consultants waiting for approval, oldest first.
pub async fn pending_consultants(
    conn: &mut AnyConnection,
) -> anyhow::Result<Vec<ConsultantRecord>> {
    let sql = format!(
        "SELECT {CONSULTANT_COLUMNS} FROM matching_consultants WHERE status = 'pending' ORDER BY created_at, id"
    );
    let rows = sqlx::query(&sql).fetch_all(conn).await?;
    rows.iter().map(consultant_from_row).collect()
}

/// Sets the approval status; `false` if there is no such consultant.
pub async fn set_status(
    conn: &mut AnyConnection,
    id: ConsultantId,
    status: ApprovalStatus,
    now: i64,
) -> anyhow::Result<bool> {
    let done =
        sqlx::query("UPDATE matching_consultants SET status = $1, updated_at = $2 WHERE id = $3")
            .bind(status.as_str())
            .bind(now)
            .bind(id.to_string())
            .execute(conn)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// Records booking's latest "next free slot" for a consultant.
pub async fn set_next_available(
    conn: &mut AnyConnection,
    id: ConsultantId,
    at: Option<i64>,
) -> anyhow::Result<bool> {
    let done = sqlx::query("UPDATE matching_consultants SET next_available_at = $1 WHERE id = $2")
        .bind(at)
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

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

/// The employee's current shortlist, best first.
pub async fn shortlist(
    conn: &mut AnyConnection,
    user: UserId,
) -> anyhow::Result<Vec<ConsultantId>> {
    let row = sqlx::query("SELECT ranked FROM matching_shortlists WHERE user_id = $1")
        .bind(user.to_string())
        .fetch_optional(conn)
        .await?;
    row.as_ref()
        .map_or(Ok(Vec::new()), |r| json_list(r, "ranked"))
}

/// Replaces the employee's shortlist.
pub async fn save_shortlist(
    conn: &mut AnyConnection,
    user: UserId,
    ranked: &[ConsultantId],
    now: i64,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO matching_shortlists (user_id, ranked, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id) DO UPDATE SET ranked = excluded.ranked, created_at = excluded.created_at",
    )
    .bind(user.to_string())
    .bind(to_json(&ranked)?)
    .bind(now)
    .execute(conn)
    .await
    .context("storing a shortlist")?;
    Ok(())
}

/// One past session rating with who was involved (for training).
#[derive(Clone, Debug)]
pub struct RatingRow {
    /// Rating id.
    pub id: String,
    /// Employee.
    pub employee: UserId,
    /// Consultant.
    pub consultant: ConsultantId,
    /// 1–5.
    pub rating: i64,
}

/// Every rating, in id order.
pub async fn all_ratings(conn: &mut AnyConnection) -> anyhow::Result<Vec<RatingRow>> {
    let rows = sqlx::query(
        "SELECT id, employee_id, consultant_id, rating FROM matching_ratings ORDER BY id",
    )
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let employee: String = row.try_get("employee_id")?;
            let consultant: String = row.try_get("consultant_id")?;
            Ok(RatingRow {
                id: row.try_get("id")?,
                employee: employee.parse()?,
                consultant: consultant.parse()?,
                rating: row.try_get("rating")?,
            })
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

/// Consultants whose standing was never announced to the other services.
pub async fn unannounced_standings(
    conn: &mut AnyConnection,
) -> anyhow::Result<Vec<ConsultantRecord>> {
    let sql = format!(
        "SELECT {CONSULTANT_COLUMNS} FROM matching_consultants WHERE standing_announced_at IS NULL ORDER BY id"
    );
    let rows = sqlx::query(&sql).fetch_all(conn).await?;
    rows.iter().map(consultant_from_row).collect()
}

/// Notes that a consultant's standing went out in an event.
pub async fn mark_standing_announced(
    conn: &mut AnyConnection,
    id: ConsultantId,
    now: i64,
) -> anyhow::Result<()> {
    sqlx::query("UPDATE matching_consultants SET standing_announced_at = $2 WHERE id = $1")
        .bind(id.to_string())
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}
