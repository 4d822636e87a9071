//! All of matching's SQL, one file per aggregate; consultants here.
//! Tables: `matching_*` only.

use anyhow::Context;
use shared::ids::UserId;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::domain::profile::{ApprovalStatus, ConsultantId, ProfileDraft};

mod assessments;
mod models;
mod preferences;
mod ratings;

pub use assessments::*;
pub use models::*;
pub use preferences::*;
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

#[cfg(test)]
impl ConsultantRecord {
    /// A new consultant for tests: a certified career consultant in Kanto
    /// offering video sessions, with `status`; the rest is for the test to set.
    pub(crate) fn sample(status: ApprovalStatus) -> Self {
        Self {
            id: ConsultantId::new(),
            profile: ProfileDraft {
                display_name: "相談員".into(),
                headline: "h".into(),
                message: String::new(),
                qualification: "national_career_consultant".into(),
                registration_number: "12345678".into(),
                specialties: vec![],
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
            status,
            next_available_at: None,
            updated_at: 0,
        }
    }
}

const CONSULTANT_COLUMNS: &str = "id, display_name, headline, message, qualification, registration_number, specialties, \
    industries, languages, years_experience, region, gender, age_band, session_formats, affiliated_org_ids, \
    status, accepting_clients, next_available_at, updated_at";

pub(crate) fn json_list<T: serde::de::DeserializeOwned>(
    row: &AnyRow,
    column: &str,
) -> anyhow::Result<Vec<T>> {
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

pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> anyhow::Result<String> {
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
