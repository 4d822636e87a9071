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
