//! Organisations: `identity_orgs`.

use shared::ids::OrgId;
use sqlx::{AnyConnection, Row};

/// Creates an organisation.
pub async fn insert_org(
    conn: &mut AnyConnection,
    id: OrgId,
    name: &str,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO identity_orgs (id, name, created_at) VALUES ($1, $2, $3)")
        .bind(id.to_string())
        .bind(name)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

/// An organisation's name, if it exists.
pub async fn find_org_name(conn: &mut AnyConnection, id: OrgId) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT name FROM identity_orgs WHERE id = $1")
        .bind(id.to_string())
        .fetch_optional(conn)
        .await
}

/// An organisation's id by its name (for demo data).
pub async fn find_org_by_name(
    conn: &mut AnyConnection,
    name: &str,
) -> anyhow::Result<Option<OrgId>> {
    let id: Option<String> = sqlx::query_scalar("SELECT id FROM identity_orgs WHERE name = $1")
        .bind(name)
        .fetch_optional(conn)
        .await?;
    Ok(id.map(|i| i.parse()).transpose()?)
}

/// A client org as operators see it: name and how many people it has (no names).
pub struct OrgSummary {
    /// Id.
    pub id: OrgId,
    /// Name.
    pub name: String,
    /// Created (epoch ms).
    pub created_at: i64,
    /// Employees with an account.
    pub employees: i64,
    /// HR people with an account.
    pub hr: i64,
}

/// Every org with its head counts, by name.
pub async fn list_orgs(conn: &mut AnyConnection) -> anyhow::Result<Vec<OrgSummary>> {
    let rows = sqlx::query(
        "SELECT o.id, o.name, o.created_at, \
         (SELECT COUNT(*) FROM identity_users u WHERE u.org_id = o.id AND u.role = 'employee') AS employees, \
         (SELECT COUNT(*) FROM identity_users u WHERE u.org_id = o.id AND u.role = 'hr') AS hr \
         FROM identity_orgs o ORDER BY o.name LIMIT 1000",
    )
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(OrgSummary {
                id: r.try_get::<String, _>("id")?.parse()?,
                name: r.try_get("name")?,
                created_at: r.try_get("created_at")?,
                employees: r.try_get("employees")?,
                hr: r.try_get("hr")?,
            })
        })
        .collect()
}
