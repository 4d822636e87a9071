//! Booking's copy of the theme taxonomy (`booking_themes`), kept from
//! reporting's `reporting.taxonomy_changed.v1`.

use shared::contracts::TaxonomyTheme;
use sqlx::{AnyConnection, Row};

/// A theme as a record may use it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordTheme {
    /// Code.
    pub code: String,
    /// Sensitive (the crisis path goes with one).
    pub sensitive: bool,
    /// No longer offered for new records.
    pub retired: bool,
}

/// The themes of `codes` that the taxonomy has (missing codes are not in it).
pub async fn themes_of(
    conn: &mut AnyConnection,
    codes: &[String],
) -> sqlx::Result<Vec<RecordTheme>> {
    let mut found = Vec::with_capacity(codes.len());
    for code in codes {
        let row =
            sqlx::query("SELECT code, sensitive, retired FROM booking_themes WHERE code = $1")
                .bind(code)
                .fetch_optional(&mut *conn)
                .await?;
        if let Some(r) = row {
            found.push(RecordTheme {
                code: r.try_get("code")?,
                sensitive: r.try_get::<i64, _>("sensitive")? == 1,
                retired: r.try_get::<i64, _>("retired")? == 1,
            });
        }
    }
    Ok(found)
}

/// Replaces the taxonomy with `themes` at `version` if that is newer than
/// the one held (on PostgreSQL under the version row's lock): `false` when
/// it is not (a late or repeated event).
pub async fn replace_taxonomy(
    conn: &mut AnyConnection,
    version: i64,
    themes: &[TaxonomyTheme],
    postgres: bool,
) -> sqlx::Result<bool> {
    let lock = if postgres {
        "SELECT version FROM booking_taxonomy WHERE id = 1 FOR UPDATE"
    } else {
        "SELECT version FROM booking_taxonomy WHERE id = 1"
    };
    let held: i64 = sqlx::query_scalar(lock).fetch_one(&mut *conn).await?;
    if version <= held {
        return Ok(false);
    }
    for t in themes {
        sqlx::query(
            "INSERT INTO booking_themes (code, sensitive, retired) VALUES ($1, $2, $3) \
             ON CONFLICT (code) DO UPDATE SET sensitive = excluded.sensitive, retired = excluded.retired",
        )
        .bind(&t.code)
        .bind(i64::from(t.sensitive))
        .bind(i64::from(t.retired))
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query("UPDATE booking_taxonomy SET version = $1 WHERE id = 1")
        .bind(version)
        .execute(conn)
        .await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    /// The taxonomy booking starts from is the one reporting seeds.
    #[test]
    fn the_seeded_copy_is_the_shared_starting_taxonomy() {
        let sql = include_str!("../../../../migrations/booking/3000021_booking_themes.sql");
        let rows: Vec<(&str, &str)> = sql
            .split("('")
            .skip(1)
            .filter_map(|r| {
                let (code, rest) = r.split_once('\'')?;
                Some((code, rest.trim_start_matches(", ").get(..1)?))
            })
            .collect();
        let codes: Vec<&str> = rows.iter().map(|(c, _)| *c).collect();
        assert_eq!(codes, shared::themes::THEME_CODES);
        let sensitive: Vec<&str> = rows
            .iter()
            .filter(|(_, s)| *s == "1")
            .map(|(c, _)| *c)
            .collect();
        assert_eq!(sensitive, shared::themes::SENSITIVE_CODES);
    }
}
