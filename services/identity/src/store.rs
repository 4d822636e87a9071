//! All of identity's SQL, one file per aggregate; people here. Tables:
//! `identity_*` only.

use std::collections::HashSet;

use shared::auth::Role;
use shared::ids::{OrgId, UserId};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::domain::Email;

pub mod invitations;
pub mod mfa;
mod orgs;
mod refresh_tokens;
mod throttle;

pub use invitations::{
    InvitationRecord, NewInvitation, find_invitation, find_invitation_by_token,
    forget_sealed_token, list_invitations, mark_invitation_accepted, replace_invitation,
    sealed_token,
};
pub use orgs::*;
pub use refresh_tokens::*;
pub use throttle::*;

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
         full_name = NULL, name_reading = NULL, totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL, disabled_at = $3 WHERE id = $1",
    )
    .bind(id.to_string())
    .bind(format!("erased-{id}@erased.invalid"))
    .bind(now)
    .execute(&mut *conn)
    .await?;
    mfa::delete_recovery_codes(&mut *conn, id).await?;
    sqlx::query("UPDATE identity_refresh_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL")
        .bind(id.to_string())
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
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
