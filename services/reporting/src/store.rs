//! All of reporting's SQL. Tables: `reporting_*` only.

use std::collections::BTreeMap;

use anyhow::Context;
use shared::ids::OrgId;
use sqlx::{AnyConnection, Row};

mod releases;
mod tallies;
pub mod taxonomy;

pub use releases::{cohort_sizes_as_of, keep_release, released, remember_cohort_sizes};
pub use tallies::{classes, rebuild_tallies, record_session, tallies_missing};

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
    /// When it was retired (epoch ms): no longer offered for new records.
    pub retired_at: Option<i64>,
}

/// The taxonomy with the current labels, retired themes included, by code.
pub async fn themes(conn: &mut AnyConnection) -> anyhow::Result<Vec<Theme>> {
    let rows = sqlx::query(
        "SELECT code, label_ja, label_en, sensitive, retired_at FROM reporting_themes ORDER BY code",
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
                retired_at: r.try_get("retired_at")?,
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
    /// The employee agreed to the crisis path for a sensitive theme.
    pub crisis_path: bool,
}

/// Stores a record once (keyed by the event id); `false` if seen before.
/// Intake goes through [`record_session`], which also moves the tallies.
async fn insert_record(
    conn: &mut AnyConnection,
    r: &NewRecord<'_>,
    now: i64,
) -> anyhow::Result<bool> {
    let done = sqlx::query(
        "INSERT INTO reporting_records (id, org_id, period, pseudonym, themes, summary, cohort, received_at, crisis_path) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING",
    )
    .bind(r.id)
    .bind(r.org_id.to_string())
    .bind(r.period)
    .bind(r.pseudonym)
    .bind(serde_json::to_string(r.themes)?)
    .bind(r.summary)
    .bind(r.cohort.clone())
    .bind(now)
    .bind(i64::from(r.crisis_path))
    .execute(conn)
    .await
    .context("storing a reporting record")?;
    Ok(done.rows_affected() == 1)
}

/// Stores a usage record once (keyed by the event id); `false` if seen before.
pub async fn insert_usage(
    conn: &mut AnyConnection,
    id: &str,
    org: OrgId,
    period: &str,
    pseudonym: &str,
    outcome: &str,
    now: i64,
) -> anyhow::Result<bool> {
    let done = sqlx::query(
        "INSERT INTO reporting_usage (id, org_id, period, pseudonym, outcome, received_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING",
    )
    .bind(id)
    .bind(org.to_string())
    .bind(period)
    .bind(pseudonym)
    .bind(outcome)
    .bind(now)
    .execute(conn)
    .await
    .context("storing a usage record")?;
    Ok(done.rows_affected() == 1)
}

/// `(month, pseudonym, outcome)` of an org's usage in the months `[from, to]`.
pub async fn usage(
    conn: &mut AnyConnection,
    org: OrgId,
    from: &str,
    to: &str,
) -> anyhow::Result<Vec<(String, String, String)>> {
    let rows = sqlx::query(
        "SELECT period, pseudonym, outcome FROM reporting_usage WHERE org_id = $1 AND period >= $2 AND period <= $3",
    )
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
                r.try_get("outcome")?,
            ))
        })
        .collect()
}

/// Spends `millis` (ε × 1000) of an org's yearly noise budget of
/// `budget_millis`; `None` if that would pass the budget, else what is left.
pub async fn spend_noise_budget(
    conn: &mut AnyConnection,
    org: OrgId,
    year: i64,
    millis: i64,
    budget_millis: i64,
) -> anyhow::Result<Option<i64>> {
    sqlx::query(
        "INSERT INTO reporting_noise_budget (org_id, year, spent_millis) VALUES ($1, $2, 0) \
         ON CONFLICT (org_id, year) DO NOTHING",
    )
    .bind(org.to_string())
    .bind(year)
    .execute(&mut *conn)
    .await?;
    let done = sqlx::query(
        "UPDATE reporting_noise_budget SET spent_millis = spent_millis + $3 \
         WHERE org_id = $1 AND year = $2 AND spent_millis + $3 <= $4",
    )
    .bind(org.to_string())
    .bind(year)
    .bind(millis)
    .bind(budget_millis)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(None);
    }
    let spent: i64 = sqlx::query_scalar(
        "SELECT spent_millis FROM reporting_noise_budget WHERE org_id = $1 AND year = $2",
    )
    .bind(org.to_string())
    .bind(year)
    .fetch_one(conn)
    .await?;
    Ok(Some(budget_millis - spent))
}

/// Stores a published response.
pub async fn insert_response(
    conn: &mut AnyConnection,
    id: &str,
    org: OrgId,
    theme: &str,
    period: &str,
    message: &str,
    now: i64,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO reporting_responses (id, org_id, theme, period, message, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(org.to_string())
    .bind(theme)
    .bind(period)
    .bind(message)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// An org's responses `(id, theme, period, message, created_at)`, newest first.
pub async fn responses(
    conn: &mut AnyConnection,
    org: OrgId,
) -> anyhow::Result<Vec<(String, String, String, String, i64)>> {
    let rows = sqlx::query(
        "SELECT id, theme, period, message, created_at FROM reporting_responses WHERE org_id = $1 ORDER BY created_at DESC, id DESC LIMIT 200",
    )
    .bind(org.to_string())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("id")?,
                r.try_get("theme")?,
                r.try_get("period")?,
                r.try_get("message")?,
                r.try_get("created_at")?,
            ))
        })
        .collect()
}

/// The most recent `limit` scrubbed summaries of all orgs in the months
/// `[from, to]`, with their theme codes (for the operator's emerging themes).
pub async fn summaries(
    conn: &mut AnyConnection,
    from: &str,
    to: &str,
    limit: i64,
) -> anyhow::Result<Vec<(String, Vec<String>)>> {
    let rows = sqlx::query(
        "SELECT summary, themes FROM reporting_records WHERE period >= $1 AND period <= $2 AND summary <> '' \
         ORDER BY period DESC, received_at DESC LIMIT $3",
    )
    .bind(from)
    .bind(to)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("summary")?,
                serde_json::from_str(&r.try_get::<String, _>("themes")?)?,
            ))
        })
        .collect()
}

/// Orgs with records in the months `[from, to]`.
pub async fn orgs_with_records(
    conn: &mut AnyConnection,
    from: &str,
    to: &str,
) -> anyhow::Result<Vec<OrgId>> {
    let ids: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT org_id FROM reporting_records WHERE period >= $1 AND period <= $2 ORDER BY org_id",
    )
    .bind(from)
    .bind(to)
    .fetch_all(conn)
    .await?;
    ids.iter().map(|id| Ok(id.parse()?)).collect()
}

/// Eligible employees per cohort group: dimension → group → employees.
pub type CohortSizes = BTreeMap<String, BTreeMap<String, i64>>;

/// Replaces an org's cohort sizes with those as of `as_of` (epoch ms);
/// `false` (and nothing changes) if newer sizes are already stored.
pub async fn replace_cohort_sizes(
    conn: &mut AnyConnection,
    org: OrgId,
    sizes: &CohortSizes,
    as_of: i64,
) -> anyhow::Result<bool> {
    let newest: Option<i64> =
        sqlx::query_scalar("SELECT MAX(as_of) FROM reporting_cohort_sizes WHERE org_id = $1")
            .bind(org.to_string())
            .fetch_one(&mut *conn)
            .await?;
    releases::remember_cohort_sizes(&mut *conn, org, sizes, as_of).await?;
    if newest.is_some_and(|n| n > as_of) {
        return Ok(false);
    }
    sqlx::query("DELETE FROM reporting_cohort_sizes WHERE org_id = $1")
        .bind(org.to_string())
        .execute(&mut *conn)
        .await?;
    for (dimension, groups) in sizes {
        for (group, eligible) in groups {
            sqlx::query(
                "INSERT INTO reporting_cohort_sizes (org_id, dimension, group_name, eligible, as_of) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(org.to_string())
            .bind(dimension)
            .bind(group)
            .bind(*eligible)
            .bind(as_of)
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(true)
}

/// An org's cohort sizes.
pub async fn cohort_sizes(conn: &mut AnyConnection, org: OrgId) -> anyhow::Result<CohortSizes> {
    let rows = sqlx::query(
        "SELECT dimension, group_name, eligible FROM reporting_cohort_sizes WHERE org_id = $1",
    )
    .bind(org.to_string())
    .fetch_all(conn)
    .await?;
    let mut sizes = CohortSizes::new();
    for r in rows {
        sizes
            .entry(r.try_get("dimension")?)
            .or_default()
            .insert(r.try_get("group_name")?, r.try_get("eligible")?);
    }
    Ok(sizes)
}

/// An org's classes for a report in the quarters `[from, to]`: as
/// [`classes`], with every cohort group of fewer than
/// [`crate::report::MIN_ELIGIBLE`] eligible employees (or of unknown size)
/// as they stood at `sizes_at` (epoch ms) folded into the unlisted remainder.
pub async fn classes_for_report(
    conn: &mut AnyConnection,
    org: OrgId,
    (from, to): (&str, &str),
    sizes_at: i64,
) -> anyhow::Result<Vec<crate::tally::Class>> {
    let mut classes = classes(&mut *conn, org, from, to).await?;
    let sizes = cohort_sizes_as_of(conn, org, sizes_at).await?;
    crate::report::fold_small_groups(&mut classes, &sizes, crate::report::MIN_ELIGIBLE);
    Ok(classes)
}
