//! Invitations: stored with the digest of their link's token (and, until
//! the email is sent, the token sealed under the master key), listed for HR,
//! accepted once.

use shared::auth::Role;
use shared::ids::{OrgId, UserId};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::domain::{Email, PersonName};

/// An invitation as stored.
#[derive(Clone, Debug)]
pub struct InvitationRecord {
    /// Id.
    pub id: String,
    /// Org.
    pub org_id: OrgId,
    /// Invited address.
    pub email: String,
    /// Created (epoch ms).
    pub created_at: i64,
    /// Expires (epoch ms).
    pub expires_at: i64,
    /// Accepted (epoch ms).
    pub accepted_at: Option<i64>,
    /// Revoked (epoch ms), e.g. superseded by a newer invitation.
    pub revoked_at: Option<i64>,
    /// Cohort attributes HR gave (JSON), if any.
    pub cohort: Option<String>,
    /// The role accepting it gives (`employee` or `hr`).
    pub role: Role,
    /// The person's name and its reading as HR gave them.
    pub name: PersonName,
}

const INVITATION_COLUMNS: &str = "id, org_id, email, created_at, expires_at, accepted_at, revoked_at, cohort, role, full_name, name_reading";

fn invitation_from_row(row: &AnyRow) -> anyhow::Result<InvitationRecord> {
    let org_id: String = row.try_get("org_id")?;
    Ok(InvitationRecord {
        id: row.try_get("id")?,
        org_id: org_id.parse()?,
        email: row.try_get("email")?,
        created_at: row.try_get("created_at")?,
        expires_at: row.try_get("expires_at")?,
        accepted_at: row.try_get("accepted_at")?,
        revoked_at: row.try_get("revoked_at")?,
        cohort: row.try_get("cohort")?,
        role: row.try_get::<String, _>("role")?.parse()?,
        name: PersonName {
            full_name: row.try_get("full_name")?,
            reading: row.try_get("name_reading")?,
        },
    })
}

/// An invitation to store.
pub struct NewInvitation<'a> {
    /// Id.
    pub id: &'a str,
    /// Org.
    pub org_id: OrgId,
    /// Address.
    pub email: &'a Email,
    /// SHA-256 of the token.
    pub token_hash: &'a str,
    /// The token sealed under the master key, until its email is sent.
    pub token_sealed: &'a str,
    /// Who invited.
    pub invited_by: UserId,
    /// Created (epoch ms).
    pub created_at: i64,
    /// Expires (epoch ms).
    pub expires_at: i64,
    /// Cohort attributes (JSON), if HR gave any.
    pub cohort: Option<&'a str>,
    /// The role it gives.
    pub role: Role,
    /// The name and reading HR gave.
    pub name: &'a PersonName,
}

/// Stores an invitation, revoking any earlier pending one for the same address
/// in the same org (only the newest link works).
pub async fn replace_invitation(
    conn: &mut AnyConnection,
    inv: &NewInvitation<'_>,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE identity_invitations SET revoked_at = $1 \
         WHERE org_id = $2 AND email = $3 AND accepted_at IS NULL AND revoked_at IS NULL",
    )
    .bind(inv.created_at)
    .bind(inv.org_id.to_string())
    .bind(inv.email.as_str())
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO identity_invitations (id, org_id, email, token_hash, invited_by, created_at, expires_at, cohort, role, \
         token_sealed, full_name, name_reading) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(inv.id)
    .bind(inv.org_id.to_string())
    .bind(inv.email.as_str())
    .bind(inv.token_hash)
    .bind(inv.invited_by.to_string())
    .bind(inv.created_at)
    .bind(inv.expires_at)
    .bind(inv.cohort)
    .bind(inv.role.as_str())
    .bind(inv.token_sealed)
    .bind(inv.name.full_name.as_deref())
    .bind(inv.name.reading.as_deref())
    .execute(conn)
    .await?;
    Ok(())
}

/// An invitation by its token's digest.
pub async fn find_invitation_by_token(
    conn: &mut AnyConnection,
    token_hash: &str,
) -> anyhow::Result<Option<InvitationRecord>> {
    let sql =
        format!("SELECT {INVITATION_COLUMNS} FROM identity_invitations WHERE token_hash = $1");
    let row = sqlx::query(&sql)
        .bind(token_hash)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(invitation_from_row).transpose()
}

/// Marks an invitation accepted if it is still open (compare-and-swap).
pub async fn mark_invitation_accepted(
    conn: &mut AnyConnection,
    id: &str,
    now: i64,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE identity_invitations SET accepted_at = $1 \
         WHERE id = $2 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > $1",
    )
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// An org's invitations, newest first.
pub async fn list_invitations(
    conn: &mut AnyConnection,
    org_id: OrgId,
    limit: i64,
) -> anyhow::Result<Vec<InvitationRecord>> {
    let sql = format!(
        "SELECT {INVITATION_COLUMNS} FROM identity_invitations WHERE org_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2"
    );
    let rows = sqlx::query(&sql)
        .bind(org_id.to_string())
        .bind(limit)
        .fetch_all(conn)
        .await?;
    rows.iter().map(invitation_from_row).collect()
}

/// An invitation by its id.
pub async fn find_invitation(
    conn: &mut AnyConnection,
    id: &str,
) -> anyhow::Result<Option<InvitationRecord>> {
    let sql = format!("SELECT {INVITATION_COLUMNS} FROM identity_invitations WHERE id = $1");
    let row = sqlx::query(&sql).bind(id).fetch_optional(conn).await?;
    row.as_ref().map(invitation_from_row).transpose()
}

/// The sealed token of an invitation whose email is not sent yet.
pub async fn sealed_token(conn: &mut AnyConnection, id: &str) -> anyhow::Result<Option<String>> {
    Ok(sqlx::query_scalar::<_, Option<String>>(
        "SELECT token_sealed FROM identity_invitations WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?
    .flatten())
}

/// Forgets an invitation's sealed token once its email is sent: from then on
/// only the digest is stored.
pub async fn forget_sealed_token(conn: &mut AnyConnection, id: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE identity_invitations SET token_sealed = NULL WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}
