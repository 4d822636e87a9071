//! All of identity's SQL. Tables: `identity_*` only.

use std::collections::HashSet;

use shared::auth::Role;
use shared::ids::{OrgId, UserId};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::domain::Email;

pub mod invitations;
pub mod mfa;

pub use invitations::{
    InvitationRecord, NewInvitation, find_invitation, find_invitation_by_token,
    forget_sealed_token, list_invitations, mark_invitation_accepted, replace_invitation,
    sealed_token,
};

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
    /// Whether the account is disabled (erased).
    pub disabled: bool,
    /// Whether the consultant is suspended (signs in only to a notice).
    pub suspended: bool,
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

const USER_COLUMNS: &str = "id, org_id, email, password_hash, role, display_name, disabled_at, suspended_at, totp_secret, totp_enabled_at, totp_last_step";

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
        suspended: row.try_get::<Option<i64>, _>("suspended_at")?.is_some(),
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

/// Records a person's name and its reading as HR gave them.
pub async fn set_person_name(
    conn: &mut AnyConnection,
    user: UserId,
    name: &super::domain::PersonName,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE identity_users SET full_name = $2, name_reading = $3 WHERE id = $1")
        .bind(user.to_string())
        .bind(name.full_name.as_deref())
        .bind(name.reading.as_deref())
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

/// Failed attempts under a key since an instant.
#[derive(Clone, Copy, Debug)]
pub struct Failures {
    /// How many.
    pub count: i64,
    /// The earliest of them (epoch ms).
    pub oldest: Option<i64>,
    /// The latest of them (epoch ms).
    pub latest: Option<i64>,
}

/// Failed attempts (sign-ins, passwords, one-time codes) under a key since
/// an instant.
pub async fn login_failures(
    conn: &mut AnyConnection,
    key: &str,
    since: i64,
) -> sqlx::Result<Failures> {
    let row = sqlx::query("SELECT COUNT(*) AS n, MIN(failed_at) AS oldest, MAX(failed_at) AS latest FROM identity_login_failures WHERE account_key = $1 AND failed_at >= $2")
        .bind(key)
        .bind(since)
        .fetch_one(conn)
        .await?;
    Ok(Failures {
        count: row.try_get("n")?,
        oldest: row.try_get("oldest")?,
        latest: row.try_get("latest")?,
    })
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

/// Deletes every throttle record older than `before` (none is needed after
/// 30 days: failures count for an hour, known addresses for 30 days).
pub async fn forget_login_records_before(
    conn: &mut AnyConnection,
    before: i64,
) -> sqlx::Result<u64> {
    let done = sqlx::query("DELETE FROM identity_login_failures WHERE failed_at < $1")
        .bind(before)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
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
/// but holds nothing about them — no email, name, reading, password or
/// cohort — and can never sign in; their logins are revoked. The invitations
/// HR sent to their address stay as HR's own record (the address HR typed,
/// shown to HR exactly as before, so that HR cannot tell an erasure from a
/// person who simply stopped using Taiwa), without the name and reading.
pub async fn erase_user(
    conn: &mut AnyConnection,
    id: UserId,
    email: &str,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE identity_invitations SET full_name = NULL, name_reading = NULL, token_sealed = NULL WHERE email = $1",
    )
    .bind(email)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE identity_users SET email = $2, display_name = '', password_hash = NULL, cohort = NULL, \
         full_name = NULL, name_reading = NULL, totp_secret = NULL, disabled_at = $3 WHERE id = $1",
    )
    .bind(id.to_string())
    .bind(format!("erased-{id}@erased.invalid"))
    .bind(now)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE identity_refresh_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL")
        .bind(id.to_string())
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

/// People whose sign-ins ended after `since` (epoch ms) — erased, or
/// suspended — with the instant they ended, so a restarted process refuses
/// their tokens that are still alive.
pub async fn sign_ins_ended_since(
    conn: &mut AnyConnection,
    since: i64,
) -> anyhow::Result<Vec<(UserId, i64)>> {
    let rows = sqlx::query(
        "SELECT id, disabled_at, suspended_at FROM identity_users WHERE disabled_at > $1 OR suspended_at > $1",
    )
    .bind(since)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            let id: String = r.try_get("id")?;
            let at = r
                .try_get::<Option<i64>, _>("disabled_at")?
                .max(r.try_get::<Option<i64>, _>("suspended_at")?)
                .unwrap_or(since);
            Ok((id.parse()?, at))
        })
        .collect()
}

/// Marks a consultant suspended (from matching's decision of `as_of`, epoch
/// ms) or lifts it, unless a newer decision is already recorded; `true` if
/// it was recorded.
pub async fn set_suspended(
    conn: &mut AnyConnection,
    id: UserId,
    suspended_at: Option<i64>,
    as_of: i64,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE identity_users SET suspended_at = $2, standing_as_of = $3 WHERE id = $1 AND role = 'consultant' \
         AND (standing_as_of IS NULL OR standing_as_of <= $3)",
    )
    .bind(id.to_string())
    .bind(suspended_at)
    .bind(as_of)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
