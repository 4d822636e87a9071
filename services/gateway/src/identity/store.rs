//! All of identity's SQL. Tables: `identity_*` only.

use std::collections::HashSet;

use shared::auth::Role;
use shared::ids::{OrgId, UserId};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::domain::Email;

pub mod mfa;

/// A person as identity knows them.
#[derive(Clone, Debug)]
pub struct UserRecord {
    /// Id.
    pub id: UserId,
    /// Org, for employees and HR.
    pub org_id: Option<OrgId>,
    /// Lower-cased email.
    pub email: String,
    /// argon2id PHC string, if the person can log in.
    pub password_hash: Option<String>,
    /// Role.
    pub role: Role,
    /// Name shown to others.
    pub display_name: String,
    /// Whether the account is disabled.
    pub disabled: bool,
    /// The sealed TOTP secret, pending or enabled.
    pub totp_secret: Option<String>,
    /// Whether TOTP is confirmed and required at sign-in.
    pub totp_enabled: bool,
    /// The newest TOTP step used (a code works once).
    pub totp_last_step: Option<i64>,
}

/// A person to create.
pub struct NewUser<'a> {
    /// Id.
    pub id: UserId,
    /// Org, for employees and HR.
    pub org_id: Option<OrgId>,
    /// Email (unique).
    pub email: &'a Email,
    /// argon2id PHC string.
    pub password_hash: &'a str,
    /// Role.
    pub role: Role,
    /// Display name.
    pub display_name: &'a str,
    /// Creation instant (epoch ms).
    pub created_at: i64,
}

const USER_COLUMNS: &str = "id, org_id, email, password_hash, role, display_name, disabled_at, totp_secret, totp_enabled_at, totp_last_step";

fn user_from_row(row: &AnyRow) -> anyhow::Result<UserRecord> {
    let id: String = row.try_get("id")?;
    let org_id: Option<String> = row.try_get("org_id")?;
    let role: String = row.try_get("role")?;
    let disabled_at: Option<i64> = row.try_get("disabled_at")?;
    Ok(UserRecord {
        id: id.parse()?,
        org_id: org_id.map(|o| o.parse()).transpose()?,
        email: row.try_get("email")?,
        password_hash: row.try_get("password_hash")?,
        role: role.parse()?,
        display_name: row.try_get("display_name")?,
        disabled: disabled_at.is_some(),
        totp_secret: row.try_get("totp_secret")?,
        totp_enabled: row.try_get::<Option<i64>, _>("totp_enabled_at")?.is_some(),
        totp_last_step: row.try_get("totp_last_step")?,
    })
}

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

/// Creates a person. A taken email is a unique violation for the caller to map.
pub async fn insert_user(conn: &mut AnyConnection, user: &NewUser<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO identity_users (id, org_id, email, password_hash, role, display_name, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(user.id.to_string())
    .bind(user.org_id.map(|o| o.to_string()))
    .bind(user.email.as_str())
    .bind(user.password_hash)
    .bind(user.role.as_str())
    .bind(user.display_name)
    .bind(user.created_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Records a person's cohort attributes (JSON) as HR gave them.
pub async fn set_cohort(
    conn: &mut AnyConnection,
    user: UserId,
    cohort: Option<&str>,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE identity_users SET cohort = $2 WHERE id = $1")
        .bind(user.to_string())
        .bind(cohort)
        .execute(conn)
        .await?;
    Ok(())
}

/// The cohort attributes (JSON) of an org's active employees.
pub async fn employee_cohorts(conn: &mut AnyConnection, org: OrgId) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT cohort FROM identity_users WHERE org_id = $1 AND role = 'employee' \
         AND disabled_at IS NULL AND cohort IS NOT NULL",
    )
    .bind(org.to_string())
    .fetch_all(conn)
    .await
}

/// A person by email.
pub async fn find_user_by_email(
    conn: &mut AnyConnection,
    email: &Email,
) -> anyhow::Result<Option<UserRecord>> {
    let sql = format!("SELECT {USER_COLUMNS} FROM identity_users WHERE email = $1");
    let row = sqlx::query(&sql)
        .bind(email.as_str())
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(user_from_row).transpose()
}

/// A person by id.
pub async fn find_user(conn: &mut AnyConnection, id: UserId) -> anyhow::Result<Option<UserRecord>> {
    let sql = format!("SELECT {USER_COLUMNS} FROM identity_users WHERE id = $1");
    let row = sqlx::query(&sql)
        .bind(id.to_string())
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(user_from_row).transpose()
}

/// How many people exist (to tell an empty database).
pub async fn count_users(conn: &mut AnyConnection) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM identity_users")
        .fetch_one(conn)
        .await
}

/// Which of `emails` already belong to someone.
pub async fn registered_emails(
    conn: &mut AnyConnection,
    emails: &[Email],
) -> sqlx::Result<HashSet<String>> {
    let mut found = HashSet::new();
    for chunk in emails.chunks(200) {
        let placeholders: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT email FROM identity_users WHERE email IN ({})",
            placeholders.join(", ")
        );
        let mut query = sqlx::query_scalar::<_, String>(&sql);
        for email in chunk {
            query = query.bind(email.as_str());
        }
        found.extend(query.fetch_all(&mut *conn).await?);
    }
    Ok(found)
}

/// Failed logins for an account since an instant.
pub async fn count_login_failures_since(
    conn: &mut AnyConnection,
    account_key: &str,
    since: i64,
) -> sqlx::Result<(i64, Option<i64>)> {
    let row = sqlx::query("SELECT COUNT(*) AS n, MIN(failed_at) AS oldest FROM identity_login_failures WHERE account_key = $1 AND failed_at >= $2")
        .bind(account_key)
        .bind(since)
        .fetch_one(conn)
        .await?;
    Ok((row.try_get("n")?, row.try_get("oldest")?))
}

/// Records a failed login, and forgets failures older than `forget_before`.
pub async fn record_login_failure(
    conn: &mut AnyConnection,
    account_key: &str,
    now: i64,
    forget_before: i64,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO identity_login_failures (account_key, failed_at) VALUES ($1, $2)")
        .bind(account_key)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM identity_login_failures WHERE account_key = $1 AND failed_at < $2")
        .bind(account_key)
        .bind(forget_before)
        .execute(conn)
        .await?;
    Ok(())
}

/// A stored refresh token.
#[derive(Clone, Debug)]
pub struct RefreshRecord {
    /// Row id.
    pub id: String,
    /// Whose.
    pub user_id: UserId,
    /// The login it belongs to.
    pub family_id: String,
    /// Expiry (epoch ms).
    pub expires_at: i64,
    /// Set once rotated.
    pub used_at: Option<i64>,
    /// Set once revoked.
    pub revoked_at: Option<i64>,
    /// Whether the login was made with a second factor.
    pub second_factor: bool,
}

/// Stores a refresh token's digest.
pub async fn insert_refresh_token(
    conn: &mut AnyConnection,
    user_id: UserId,
    family_id: &str,
    token_hash: &str,
    (now, expires_at): (i64, i64),
    second_factor: bool,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO identity_refresh_tokens (id, user_id, family_id, token_hash, created_at, expires_at, second_factor) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(user_id.to_string())
    .bind(family_id)
    .bind(token_hash)
    .bind(now)
    .bind(expires_at)
    .bind(i64::from(second_factor))
    .execute(conn)
    .await?;
    Ok(())
}

/// When a login (a family of refresh tokens) began (epoch ms).
pub async fn login_started_at(
    conn: &mut AnyConnection,
    family_id: &str,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("SELECT MIN(created_at) FROM identity_refresh_tokens WHERE family_id = $1")
        .bind(family_id)
        .fetch_one(conn)
        .await
}

/// A refresh token by its digest.
pub async fn find_refresh_token(
    conn: &mut AnyConnection,
    token_hash: &str,
) -> anyhow::Result<Option<RefreshRecord>> {
    let row = sqlx::query(
        "SELECT id, user_id, family_id, expires_at, used_at, revoked_at, second_factor FROM identity_refresh_tokens WHERE token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let user_id: String = row.try_get("user_id")?;
    Ok(Some(RefreshRecord {
        id: row.try_get("id")?,
        user_id: user_id.parse()?,
        family_id: row.try_get("family_id")?,
        expires_at: row.try_get("expires_at")?,
        used_at: row.try_get("used_at")?,
        revoked_at: row.try_get("revoked_at")?,
        second_factor: row.try_get::<i64, _>("second_factor")? != 0,
    }))
}

/// Marks a refresh token used, if nobody did first (compare-and-swap).
pub async fn mark_refresh_token_used(
    conn: &mut AnyConnection,
    id: &str,
    now: i64,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE identity_refresh_tokens SET used_at = $1 WHERE id = $2 AND used_at IS NULL AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Revokes every refresh token of one login.
pub async fn revoke_refresh_family(
    conn: &mut AnyConnection,
    family_id: &str,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE identity_refresh_tokens SET revoked_at = $1 WHERE family_id = $2 AND revoked_at IS NULL")
        .bind(now)
        .bind(family_id)
        .execute(conn)
        .await?;
    Ok(())
}

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
}

const INVITATION_COLUMNS: &str =
    "id, org_id, email, created_at, expires_at, accepted_at, revoked_at, cohort, role";

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
        "INSERT INTO identity_invitations (id, org_id, email, token_hash, invited_by, created_at, expires_at, cohort, role) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
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

/// When a person joined and the cohort attributes HR gave (JSON), for their export.
pub async fn user_details(
    conn: &mut AnyConnection,
    id: UserId,
) -> anyhow::Result<Option<(i64, Option<String>)>> {
    let row = sqlx::query("SELECT created_at, cohort FROM identity_users WHERE id = $1")
        .bind(id.to_string())
        .fetch_optional(conn)
        .await?;
    row.map(|r| Ok((r.try_get("created_at")?, r.try_get("cohort")?)))
        .transpose()
}

/// Erases a person: the row stays (other services' rows refer to the id)
/// but holds nothing about them — no email, name, password or cohort — and
/// can never sign in; their logins are revoked and the invitations to their
/// address deleted.
pub async fn erase_user(
    conn: &mut AnyConnection,
    id: UserId,
    email: &str,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE identity_users SET email = $2, display_name = '', password_hash = NULL, cohort = NULL, \
         disabled_at = $3 WHERE id = $1",
    )
    .bind(id.to_string())
    .bind(format!("erased-{id}@erased.invalid"))
    .bind(now)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE identity_refresh_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL")
        .bind(id.to_string())
        .bind(now)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM identity_invitations WHERE email = $1")
        .bind(email)
        .execute(conn)
        .await?;
    Ok(())
}
