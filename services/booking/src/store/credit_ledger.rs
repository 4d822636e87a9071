//! Reading an org's credit ledger for the view HR may see
//! (`crate::domain::credits`).

use shared::ids::{OrgId, UserId};
use shared::time;
use sqlx::{AnyConnection, Row};

use crate::domain::credits::LedgerEntry;

/// Every entry of an org's ledger, oldest first, each use with the person
/// whose booking it is (booking's own tables: the ledger and the bookings).
pub async fn ledger_of(conn: &mut AnyConnection, org: OrgId) -> anyhow::Result<Vec<LedgerEntry>> {
    let rows = sqlx::query(
        "SELECT l.delta, l.reason, l.created_at, b.employee_id FROM booking_credit_ledger l \
         LEFT JOIN booking_bookings b ON b.id = l.reference AND l.reason IN ('booking', 'refund') \
         WHERE l.org_id = $1 ORDER BY l.created_at, l.id",
    )
    .bind(org.to_string())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            let reason: String = r.try_get("reason")?;
            let employee: Option<String> = r.try_get("employee_id")?;
            let person = match (reason.as_str(), employee) {
                ("booking" | "refund", Some(id)) => Some(id.parse::<UserId>()?),
                // A use whose booking is gone still counts as someone's use.
                ("booking" | "refund", None) => Some(UserId(uuid::Uuid::nil())),
                _ => None,
            };
            Ok(LedgerEntry {
                delta: r.try_get("delta")?,
                person,
                at: time::from_db(r.try_get("created_at")?),
            })
        })
        .collect()
}
