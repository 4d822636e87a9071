//! The SQL of the tallies (`reporting_people`, `reporting_tallies`): kept
//! at intake, read by every report, rebuilt from the records when missing.

use anyhow::Context;
use shared::db::Backend;
use shared::ids::OrgId;
use sqlx::{AnyConnection, Row};

use crate::report::quarter_of;
use crate::tally::{
    Class, Delta, PersonQuarter, Tally, classes_of_counts, cohort_key, parse_cohort, tallied_themes,
};

use super::NewRecord;

/// Stores a record once (keyed by the event id) and moves the tallies in the
/// same transaction; `false` (and nothing changes) if seen before.
pub async fn record_session(
    conn: &mut AnyConnection,
    backend: Backend,
    r: &NewRecord<'_>,
    now: i64,
) -> anyhow::Result<bool> {
    let quarter = quarter_of(r.period).context("a record's period must be YYYY-MM")?;
    if !super::insert_record(&mut *conn, r, now).await? {
        return Ok(false);
    }
    let cohort = cohort_key(&parse_cohort(r.cohort.as_deref()));
    let mut person = lock_person(&mut *conn, backend, r.org_id, &quarter, r.pseudonym).await?;
    let deltas = person.apply(r.period, &cohort, &tallied_themes(r.themes, r.crisis_path));
    sqlx::query(
        "UPDATE reporting_people SET latest_month = $4, cohort = $5, themes = $6 \
         WHERE org_id = $1 AND quarter = $2 AND pseudonym = $3",
    )
    .bind(r.org_id.to_string())
    .bind(&quarter)
    .bind(r.pseudonym)
    .bind(&person.latest_month)
    .bind(&person.cohort)
    .bind(serde_json::to_string(&person.themes)?)
    .execute(&mut *conn)
    .await
    .context("updating a person's quarter")?;
    move_tallies(conn, r.org_id, &quarter, &deltas).await?;
    Ok(true)
}

/// A person's quarter, created empty if new and locked until the
/// transaction ends (on SQLite the write transaction already holds the lock).
async fn lock_person(
    conn: &mut AnyConnection,
    backend: Backend,
    org: OrgId,
    quarter: &str,
    pseudonym: &str,
) -> anyhow::Result<PersonQuarter> {
    sqlx::query(
        "INSERT INTO reporting_people (org_id, quarter, pseudonym, latest_month, cohort, themes) \
         VALUES ($1, $2, $3, '', '{}', '[]') ON CONFLICT (org_id, quarter, pseudonym) DO NOTHING",
    )
    .bind(org.to_string())
    .bind(quarter)
    .bind(pseudonym)
    .execute(&mut *conn)
    .await
    .context("creating a person's quarter")?;
    let lock = if backend == Backend::Postgres {
        " FOR UPDATE"
    } else {
        ""
    };
    let row = sqlx::query(&format!(
        "SELECT latest_month, cohort, themes FROM reporting_people \
         WHERE org_id = $1 AND quarter = $2 AND pseudonym = $3{lock}"
    ))
    .bind(org.to_string())
    .bind(quarter)
    .bind(pseudonym)
    .fetch_one(conn)
    .await
    .context("locking a person's quarter")?;
    Ok(PersonQuarter {
        latest_month: row.try_get("latest_month")?,
        cohort: row.try_get("cohort")?,
        themes: serde_json::from_str(&row.try_get::<String, _>("themes")?)?,
    })
}

/// Applies count changes, in the sorted order [`PersonQuarter::apply`] gives
/// them (one lock order for every intake, so no deadlock).
async fn move_tallies(
    conn: &mut AnyConnection,
    org: OrgId,
    quarter: &str,
    deltas: &[Delta],
) -> anyhow::Result<()> {
    for (cohort, theme, delta) in deltas {
        sqlx::query(
            "INSERT INTO reporting_tallies (org_id, quarter, cohort, theme, people) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (org_id, quarter, cohort, theme) DO UPDATE SET people = reporting_tallies.people + excluded.people",
        )
        .bind(org.to_string())
        .bind(quarter)
        .bind(cohort)
        .bind(theme)
        .bind(*delta)
        .execute(&mut *conn)
        .await
        .context("moving a tally")?;
    }
    Ok(())
}

/// An org's classes in the quarters `[from, to]` (`YYYY-Qn`).
pub async fn classes(
    conn: &mut AnyConnection,
    org: OrgId,
    from: &str,
    to: &str,
) -> anyhow::Result<Vec<Class>> {
    let rows = sqlx::query(
        "SELECT quarter, cohort, theme, people FROM reporting_tallies \
         WHERE org_id = $1 AND quarter >= $2 AND quarter <= $3 AND people > 0",
    )
    .bind(org.to_string())
    .bind(from)
    .bind(to)
    .fetch_all(conn)
    .await
    .context("reading the tallies")?;
    let rows = rows
        .iter()
        .map(|r| {
            Ok((
                r.try_get("quarter")?,
                r.try_get("cohort")?,
                r.try_get("theme")?,
                r.try_get("people")?,
            ))
        })
        .collect::<anyhow::Result<Vec<(String, String, String, i64)>>>()?;
    Ok(classes_of_counts(rows))
}

/// Whether records exist that the tallies do not cover yet (a database from
/// before the tallies existed).
pub async fn tallies_missing(conn: &mut AnyConnection) -> anyhow::Result<bool> {
    let records: Option<String> = sqlx::query_scalar("SELECT id FROM reporting_records LIMIT 1")
        .fetch_optional(&mut *conn)
        .await?;
    let people: Option<String> =
        sqlx::query_scalar("SELECT pseudonym FROM reporting_people LIMIT 1")
            .fetch_optional(conn)
            .await?;
    Ok(records.is_some() && people.is_none())
}

/// Recomputes every tally from the records, in the order they were received
/// (run in one write transaction). Returns the number of records read.
pub async fn rebuild_tallies(conn: &mut AnyConnection) -> anyhow::Result<usize> {
    sqlx::query("DELETE FROM reporting_tallies")
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM reporting_people")
        .execute(&mut *conn)
        .await?;
    let rows = sqlx::query(
        "SELECT org_id, period, pseudonym, themes, cohort, crisis_path FROM reporting_records ORDER BY received_at, id",
    )
    .fetch_all(&mut *conn)
    .await
    .context("reading the records to tally")?;
    let mut tally = Tally::<String>::default();
    for r in &rows {
        let themes: Vec<String> = serde_json::from_str(&r.try_get::<String, _>("themes")?)?;
        let themes = tallied_themes(&themes, r.try_get::<i64, _>("crisis_path")? == 1);
        let cohort = cohort_key(&parse_cohort(
            r.try_get::<Option<String>, _>("cohort")?.as_deref(),
        ));
        let org: String = r.try_get("org_id")?;
        let month: String = r.try_get("period")?;
        let pseudonym: String = r.try_get("pseudonym")?;
        tally.add(&org, &month, &pseudonym, &cohort, &themes);
    }
    let Tally { people, counts } = tally;
    let people: Vec<[String; 6]> = people
        .into_iter()
        .map(|((org, quarter, pseudonym), p)| {
            Ok([
                org,
                quarter,
                pseudonym,
                p.latest_month,
                p.cohort,
                serde_json::to_string(&p.themes)?,
            ])
        })
        .collect::<anyhow::Result<_>>()?;
    insert_rows(
        &mut *conn,
        "reporting_people (org_id, quarter, pseudonym, latest_month, cohort, themes)",
        people
            .iter()
            .map(|p| p.iter().map(|v| Value::Text(v)).collect()),
    )
    .await?;
    insert_rows(
        conn,
        "reporting_tallies (org_id, quarter, cohort, theme, people)",
        counts.iter().map(|((org, quarter, cohort, theme), n)| {
            vec![
                Value::Text(org),
                Value::Text(quarter),
                Value::Text(cohort),
                Value::Text(theme),
                Value::Int(*n),
            ]
        }),
    )
    .await?;
    Ok(rows.len())
}

enum Value<'a> {
    Text(&'a str),
    Int(i64),
}

/// Inserts rows in batches of multi-row `VALUES`.
async fn insert_rows<'a>(
    conn: &mut AnyConnection,
    into: &str,
    rows: impl Iterator<Item = Vec<Value<'a>>>,
) -> anyhow::Result<()> {
    const BATCH: usize = 500;
    let rows: Vec<Vec<Value<'a>>> = rows.collect();
    for batch in rows.chunks(BATCH) {
        let width = batch.first().map_or(0, Vec::len);
        let values: Vec<String> = (0..batch.len())
            .map(|r| {
                let params: Vec<String> =
                    (1..=width).map(|c| format!("${}", r * width + c)).collect();
                format!("({})", params.join(", "))
            })
            .collect();
        let sql = format!("INSERT INTO {into} VALUES {}", values.join(", "));
        let mut query = sqlx::query(&sql);
        for row in batch {
            for value in row {
                query = match value {
                    Value::Text(s) => query.bind(*s),
                    Value::Int(n) => query.bind(*n),
                };
            }
        }
        query.execute(&mut *conn).await.context("writing tallies")?;
    }
    Ok(())
}
