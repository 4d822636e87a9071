//! Instants are UTC. In the database they are BIGINT milliseconds since the Unix
//! epoch, which both SQLite and PostgreSQL store, compare and index the same way.

use chrono::{DateTime, TimeZone, Utc};

/// Now, in UTC.
pub fn now() -> DateTime<Utc> {
    Utc::now()
}

/// The database form of an instant.
pub fn to_db(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

/// An instant read back from the database. Out-of-range values (which our own
/// writes never produce) clamp to the epoch rather than panic.
pub fn from_db(ms: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(ms).single().unwrap_or_default()
}

/// The first year an instant from outside may name.
pub const FIRST_YEAR: i32 = 2000;
/// The last year an instant from outside may name.
pub const LAST_YEAR: i32 = 2200;

/// Whether `t` lies in the years Taiwa accepts from outside
/// ([`FIRST_YEAR`]–[`LAST_YEAR`]).
pub fn in_bounds(t: DateTime<Utc>) -> bool {
    use chrono::Datelike;
    (FIRST_YEAR..=LAST_YEAR).contains(&t.year())
}

/// `t` if it lies in the accepted years, otherwise 422 `out_of_range` naming
/// `field`. Every instant a request carries is checked with it at the edge,
/// so arithmetic on it (a week on, two days around) never overflows.
pub fn within_bounds(
    t: DateTime<Utc>,
    field: &str,
) -> Result<DateTime<Utc>, crate::error::ApiError> {
    if in_bounds(t) {
        Ok(t)
    } else {
        Err(crate::error::ApiError::unprocessable(
            "out_of_range",
            format!("{field} must lie between the years {FIRST_YEAR} and {LAST_YEAR}"),
        ))
    }
}

/// Like [`within_bounds`], for a calendar date.
pub fn date_within_bounds(
    d: chrono::NaiveDate,
    field: &str,
) -> Result<chrono::NaiveDate, crate::error::ApiError> {
    use chrono::Datelike;
    if (FIRST_YEAR..=LAST_YEAR).contains(&d.year()) {
        Ok(d)
    } else {
        Err(crate::error::ApiError::unprocessable(
            "out_of_range",
            format!("{field} must lie between the years {FIRST_YEAR} and {LAST_YEAR}"),
        ))
    }
}

/// The time zone organisations count in unless told otherwise: Japan.
pub const DEFAULT_ORG_ZONE: chrono_tz::Tz = chrono_tz::Asia::Tokyo;

static ORG_ZONE: std::sync::OnceLock<chrono_tz::Tz> = std::sync::OnceLock::new();

/// The zone organisations count in: report quarters and months, the weeks
/// credits are shown by, and the local time in mails. The setting
/// `TAIWA_TIME_ZONE` (Japan by default), fixed for the life of the process
/// by [`set_org_zone`] before anything is served.
pub fn org_zone() -> chrono_tz::Tz {
    ORG_ZONE.get().copied().unwrap_or(DEFAULT_ORG_ZONE)
}

/// Fixes the organisations' zone for this process. A second call with
/// another zone fails: quarters already counted in one zone must not move.
pub fn set_org_zone(zone: chrono_tz::Tz) -> anyhow::Result<()> {
    let set = *ORG_ZONE.get_or_init(|| zone);
    anyhow::ensure!(
        set == zone,
        "this process already counts in {set}; it cannot switch to {zone}"
    );
    Ok(())
}

/// Midnight starting `date` in `zone` as an instant (the first midnight if
/// a clock change repeats it; the first instant after a skipped one).
pub fn local_midnight(date: chrono::NaiveDate, zone: chrono_tz::Tz) -> DateTime<Utc> {
    let mut t = date.and_time(chrono::NaiveTime::MIN);
    for _ in 0..4 {
        if let Some(at) = zone.from_local_datetime(&t).earliest() {
            return at.with_timezone(&Utc);
        }
        t += chrono::Duration::minutes(30);
    }
    t.and_utc()
}

/// Pins the organisations' zone in a service's own settings `table` (a
/// `name`/`value` table): the first start records it; a later start with
/// another zone is refused, since months, quarters and weeks already counted
/// (and quarters already released) would move.
pub async fn pin_org_zone(
    conn: &mut sqlx::AnyConnection,
    table: &str,
    zone: chrono_tz::Tz,
) -> anyhow::Result<()> {
    sqlx::query(&format!(
        "INSERT INTO {table} (name, value) VALUES ('time_zone', $1) ON CONFLICT (name) DO NOTHING"
    ))
    .bind(zone.name())
    .execute(&mut *conn)
    .await?;
    let pinned: String = sqlx::query_scalar(&format!(
        "SELECT value FROM {table} WHERE name = 'time_zone'"
    ))
    .fetch_one(&mut *conn)
    .await?;
    anyhow::ensure!(
        pinned == zone.name(),
        "this database was counted in {pinned}; TAIWA_TIME_ZONE={} would move its months, quarters and weeks — set it back to {pinned}",
        zone.name()
    );
    Ok(())
}
