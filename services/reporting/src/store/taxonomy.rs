//! The taxonomy's changes: themes added, renamed (each label kept as a
//! version with the moment it took effect), retired and reinstated, and the
//! taxonomy's version.

use sqlx::{AnyConnection, Row};

use super::Theme;

/// One label a theme has had.
#[derive(Clone, Debug)]
pub struct LabelVersion {
    /// 1, 2, … per theme.
    pub version: i64,
    /// Japanese label.
    pub label_ja: String,
    /// English label.
    pub label_en: String,
    /// When it took effect (epoch ms; 0 for the starting labels).
    pub valid_from: i64,
}

/// Serialises changes to the taxonomy (PostgreSQL; SQLite's writers are one
/// at a time already) and returns its version before this change.
pub async fn lock(conn: &mut AnyConnection, postgres: bool) -> sqlx::Result<i64> {
    if !postgres {
        return version(conn).await;
    }
    sqlx::query_scalar("SELECT version FROM reporting_taxonomy WHERE id = 1 FOR UPDATE")
        .fetch_one(conn)
        .await
}

/// The taxonomy's version.
pub async fn version(conn: &mut AnyConnection) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT version FROM reporting_taxonomy WHERE id = 1")
        .fetch_one(conn)
        .await
}

/// Records one more change: the taxonomy's new version.
pub async fn bump(conn: &mut AnyConnection, version: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE reporting_taxonomy SET version = $1 WHERE id = 1")
        .bind(version)
        .execute(conn)
        .await?;
    Ok(())
}

/// Every label each theme has had, oldest first, by code.
pub async fn label_versions(conn: &mut AnyConnection) -> sqlx::Result<Vec<(String, LabelVersion)>> {
    let rows = sqlx::query(
        "SELECT code, version, label_ja, label_en, valid_from FROM reporting_theme_labels ORDER BY code, version",
    )
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("code")?,
                LabelVersion {
                    version: r.try_get("version")?,
                    label_ja: r.try_get("label_ja")?,
                    label_en: r.try_get("label_en")?,
                    valid_from: r.try_get("valid_from")?,
                },
            ))
        })
        .collect()
}

/// The themes as they were named at `at` (epoch ms): each theme's newest
/// label that had taken effect by then (its first one if none had).
pub async fn themes_as_of(conn: &mut AnyConnection, at: i64) -> anyhow::Result<Vec<Theme>> {
    let mut themes = super::themes(&mut *conn).await?;
    let versions = label_versions(conn).await?;
    for theme in &mut themes {
        let mine = versions
            .iter()
            .filter(|(c, _)| *c == theme.code)
            .map(|(_, v)| v);
        let chosen = mine
            .clone()
            .rfind(|v| v.valid_from <= at)
            .or_else(|| mine.clone().next());
        if let Some(v) = chosen {
            theme.label_ja.clone_from(&v.label_ja);
            theme.label_en.clone_from(&v.label_en);
        }
    }
    Ok(themes)
}

/// Adds a theme (never sensitive) with its first label; `false` if the code
/// exists already (retired or not).
pub async fn add(
    conn: &mut AnyConnection,
    code: &str,
    label_ja: &str,
    label_en: &str,
    now: i64,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "INSERT INTO reporting_themes (code, label_ja, label_en, sensitive) VALUES ($1, $2, $3, 0) \
         ON CONFLICT (code) DO NOTHING",
    )
    .bind(code)
    .bind(label_ja)
    .bind(label_en)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO reporting_theme_labels (code, version, label_ja, label_en, valid_from) VALUES ($1, 1, $2, $3, $4)",
    )
    .bind(code)
    .bind(label_ja)
    .bind(label_en)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(true)
}

/// Gives a theme new labels, kept as its next version from `now`.
pub async fn rename(
    conn: &mut AnyConnection,
    code: &str,
    label_ja: &str,
    label_en: &str,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE reporting_themes SET label_ja = $2, label_en = $3 WHERE code = $1")
        .bind(code)
        .bind(label_ja)
        .bind(label_en)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO reporting_theme_labels (code, version, label_ja, label_en, valid_from) \
         SELECT $1, COALESCE(MAX(version), 0) + 1, $2, $3, $4 FROM reporting_theme_labels WHERE code = $1",
    )
    .bind(code)
    .bind(label_ja)
    .bind(label_en)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Retires a theme (`Some(when)`) or reinstates it (`None`).
pub async fn set_retired(
    conn: &mut AnyConnection,
    code: &str,
    retired_at: Option<i64>,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE reporting_themes SET retired_at = $2 WHERE code = $1")
        .bind(code)
        .bind(retired_at)
        .execute(conn)
        .await?;
    Ok(())
}
