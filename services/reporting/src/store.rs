//! All of reporting's SQL. Tables: `reporting_*` only.

use anyhow::Context;
use shared::ids::OrgId;
use sqlx::{AnyConnection, Row};

/// A theme of the taxonomy.
#[derive(Clone, Debug)]
pub struct Theme {
    /// Code.
    pub code: String,
    /// Japanese label.
    pub label_ja: String,
    /// English label.
    pub label_en: String,
    /// Never shown in HR reports.
    pub sensitive: bool,
}

/// The taxonomy, by code.
pub async fn themes(conn: &mut AnyConnection) -> anyhow::Result<Vec<Theme>> {
    let rows = sqlx::query(
        "SELECT code, label_ja, label_en, sensitive FROM reporting_themes ORDER BY code",
    )
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Theme {
                code: r.try_get("code")?,
                label_ja: r.try_get("label_ja")?,
                label_en: r.try_get("label_en")?,
                sensitive: r.try_get::<i64, _>("sensitive")? == 1,
            })
        })
        .collect()
}

/// A de-identified record to store.
pub struct NewRecord<'a> {
    /// The hand-off event's id.
    pub id: &'a str,
    /// Org.
    pub org_id: OrgId,
    /// `YYYY-MM`.
    pub period: &'a str,
    /// Pseudonym.
    pub pseudonym: &'a str,
    /// Theme codes.
    pub themes: &'a [String],
    /// Scrubbed summary.
    pub summary: &'a str,
    /// Consented cohort attributes (JSON), if any.
    pub cohort: Option<String>,
}

/// Stores a record once (keyed by the event id); `false` if seen before.
pub async fn insert_record(
    conn: &mut AnyConnection,
    r: &NewRecord<'_>,
    now: i64,
) -> anyhow::Result<bool> {
    let done = sqlx::query(
        "INSERT INTO reporting_records (id, org_id, period, pseudonym, themes, summary, cohort, received_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING",
    )
    .bind(r.id)
    .bind(r.org_id.to_string())
    .bind(r.period)
    .bind(r.pseudonym)
    .bind(serde_json::to_string(r.themes)?)
    .bind(r.summary)
    .bind(r.cohort.clone())
    .bind(now)
    .execute(conn)
    .await
    .context("storing a reporting record")?;
    Ok(done.rows_affected() == 1)
}

/// `(period, pseudonym, themes)` of an org's records in `[from, to]`.
pub async fn records(
    conn: &mut AnyConnection,
    org: OrgId,
    from: &str,
    to: &str,
) -> anyhow::Result<Vec<(String, String, Vec<String>)>> {
    let rows = sqlx::query("SELECT period, pseudonym, themes FROM reporting_records WHERE org_id = $1 AND period >= $2 AND period <= $3")
        .bind(org.to_string())
        .bind(from)
        .bind(to)
        .fetch_all(conn)
        .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("period")?,
                r.try_get("pseudonym")?,
                serde_json::from_str(&r.try_get::<String, _>("themes")?)?,
            ))
        })
        .collect()
}
