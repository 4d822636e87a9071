//! Inviting people into an org: the rows HR sent, checked all or nothing,
//! then one invitation each (a newer one replaces a pending link) with its
//! email queued in the same transaction. An address that already has an
//! account anywhere is answered exactly like a new one.

use std::collections::BTreeSet;

use chrono::Duration;
use serde::Serialize;
use serde_json::json;
use shared::auth::Role;
use shared::error::ApiError;
use shared::ids::{OrgId, UserId};
use shared::time;
use utoipa::ToSchema;

use crate::domain::{Cohort, Email, PersonName, parse_cohort};
use crate::invitation_mail::InvitationCreated;
use crate::routes::invitations::Row;
use crate::store::{self, NewInvitation};
use crate::{IdentityState, OUTBOX, secrets};

/// Most addresses one request may invite.
pub const MAX_INVITATIONS_PER_REQUEST: usize = 5000;

/// One invitation sent.
#[derive(Serialize, ToSchema)]
pub struct InvitedEntry {
    /// Address.
    pub email: String,
    /// When the link stops working.
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

/// One address not invited, and why.
#[derive(Serialize, ToSchema)]
pub struct SkippedEntry {
    /// Address.
    pub email: String,
    /// `duplicate_in_request`. (An address that already has an account,
    /// here or in another organisation, is answered exactly like a new one:
    /// its owner gets an email instead of a link.)
    pub reason: &'static str,
}

/// What an invitation request did.
#[derive(Serialize, ToSchema)]
pub struct InviteResponse {
    /// Invitations created (a newer one replaces an older pending link).
    pub invited: Vec<InvitedEntry>,
    /// Addresses skipped.
    pub skipped: Vec<SkippedEntry>,
}

/// What is wrong with one field of a row.
#[derive(Clone, Serialize, ToSchema)]
pub struct RowProblem {
    /// `email`, `department`, `age_band`, `name` or `name_reading`.
    pub field: &'static str,
    /// Stable code: `email_empty`, `email_too_long`, `email_bad_character`,
    /// `email_no_at`, `email_bad_local_part`, `email_bad_domain`,
    /// `department_invalid`, `age_band_unknown`, `name_invalid`,
    /// `name_reading_invalid`.
    pub code: &'static str,
    /// In English, for people reading the JSON.
    pub message: String,
}

/// One row that could not be read; nothing is sent while any row is wrong.
#[derive(Serialize)]
struct RowError {
    row: usize,
    value: String,
    /// The first problem's field and code, and every problem.
    field: &'static str,
    code: &'static str,
    message: String,
    problems: Vec<RowProblem>,
}

/// One row as sending would read it (`dry_run`).
#[derive(Serialize, ToSchema)]
pub struct PreviewRow {
    /// Row number (the header is row 1 of a CSV with one).
    pub row: usize,
    /// The address as written.
    pub email: String,
    /// The department, trimmed.
    pub department: Option<String>,
    /// The age band's code as read from what was written (`30代` → `30s`).
    pub age_band: Option<String>,
    /// The name.
    pub name: Option<String>,
    /// Its reading, in katakana.
    pub name_reading: Option<String>,
    /// An earlier row has the same address: one invitation is sent.
    pub duplicate: bool,
    /// What stops this row; empty when it can be sent.
    pub problems: Vec<RowProblem>,
}

/// What sending would do, row by row, without sending (`dry_run`).
#[derive(Serialize, ToSchema)]
pub struct InvitePreview {
    /// Every row.
    pub rows: Vec<PreviewRow>,
    /// Rows that would be invited.
    pub invitable: usize,
    /// Rows with a problem (while there is one, sending sends nothing).
    pub invalid: usize,
}

/// Rows that all parsed: who to invite, and the duplicates left out.
pub struct Checked {
    people: Vec<(Email, Option<Cohort>, PersonName)>,
    skipped: Vec<SkippedEntry>,
}

fn problem(field: &'static str, code: &'static str, message: impl Into<String>) -> RowProblem {
    RowProblem {
        field,
        code,
        message: message.into(),
    }
}

/// Reads every row as sending does: the same checks, each field on its own.
pub(crate) fn review(rows: Vec<Row>) -> Result<InvitePreview, ApiError> {
    if rows.is_empty() {
        return Err(ApiError::unprocessable(
            "no_addresses",
            "the request lists no email addresses",
        ));
    }
    if rows.len() > MAX_INVITATIONS_PER_REQUEST {
        return Err(ApiError::unprocessable(
            "too_many_rows",
            format!("at most {MAX_INVITATIONS_PER_REQUEST} addresses per request"),
        ));
    }
    let mut seen = BTreeSet::new();
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let mut problems = Vec::new();
        let email = Email::parse(&r.email)
            .map_err(|e| problems.push(problem("email", e.code(), e.to_string())))
            .ok();
        let department = parse_cohort(r.department.as_deref(), None)
            .map_err(|m| problems.push(problem("department", "department_invalid", m)))
            .ok()
            .flatten()
            .and_then(|c| c.department);
        let age_band = parse_cohort(None, r.age_band.as_deref())
            .map_err(|m| problems.push(problem("age_band", "age_band_unknown", m)))
            .ok()
            .flatten()
            .and_then(|c| c.age_band);
        let name = PersonName::parse(r.name.as_deref(), None)
            .map_err(|m| problems.push(problem("name", "name_invalid", m)))
            .ok()
            .and_then(|n| n.full_name);
        let name_reading = PersonName::parse(None, r.reading.as_deref())
            .map_err(|m| problems.push(problem("name_reading", "name_reading_invalid", m)))
            .ok()
            .and_then(|n| n.reading);
        let duplicate = problems.is_empty() && email.is_some_and(|e| !seen.insert(e));
        out.push(PreviewRow {
            row: r.row,
            email: r.email,
            department,
            age_band,
            name,
            name_reading,
            duplicate,
            problems,
        });
    }
    let invalid = out.iter().filter(|r| !r.problems.is_empty()).count();
    let invitable = out
        .iter()
        .filter(|r| r.problems.is_empty() && !r.duplicate)
        .count();
    Ok(InvitePreview {
        rows: out,
        invitable,
        invalid,
    })
}

/// Checks every row: 422 `no_addresses`, `too_many_rows`, or
/// `invalid_rows` listing each bad row (row number, value, the first
/// problem's field, code and message, and every problem).
pub(crate) fn check_rows(rows: Vec<Row>) -> Result<Checked, ApiError> {
    let preview = review(rows)?;
    let errors: Vec<RowError> = preview
        .rows
        .iter()
        .filter_map(|r| {
            let first = r.problems.first()?;
            Some(RowError {
                row: r.row,
                value: r.email.clone(),
                field: first.field,
                code: first.code,
                message: first.message.clone(),
                problems: r.problems.clone(),
            })
        })
        .collect();
    if !errors.is_empty() {
        return Err(ApiError::unprocessable(
            "invalid_rows",
            format!("{} row(s) are not valid; nothing was sent", errors.len()),
        )
        .with_details(json!({ "rows": errors })));
    }
    let mut people = Vec::new();
    let mut skipped = Vec::new();
    for r in preview.rows {
        let Ok(email) = Email::parse(&r.email) else {
            continue;
        };
        if r.duplicate {
            skipped.push(SkippedEntry {
                email: email.as_str().to_owned(),
                reason: "duplicate_in_request",
            });
            continue;
        }
        let cohort = (r.department.is_some() || r.age_band.is_some()).then_some(Cohort {
            department: r.department,
            age_band: r.age_band,
        });
        let person = PersonName {
            full_name: r.name,
            reading: r.name_reading,
        };
        people.push((email, cohort, person));
    }
    Ok(Checked { people, skipped })
}

/// Invites the checked people into `org` (access already decided).
#[tracing::instrument(name = "identity.invite", skip_all, fields(rows = checked.people.len()))]
pub async fn invite(
    state: &IdentityState,
    org_id: OrgId,
    invited_by: UserId,
    checked: Checked,
) -> Result<InviteResponse, ApiError> {
    let Checked { people, skipped } = checked;
    let now = time::now();
    let expires =
        now + Duration::from_std(state.settings.invitation_ttl).map_err(anyhow::Error::from)?;
    let mut tx = state.db.begin_write().await?;
    let org_name = store::find_org_name(&mut tx, org_id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let mut invited = Vec::new();
    for (email, cohort, person) in people {
        let cohort = cohort
            .map(|c| serde_json::to_string(&c))
            .transpose()
            .map_err(anyhow::Error::from)?;
        let invitation = Invite {
            org_id,
            org_name: &org_name,
            email: &email,
            role: Role::Employee,
            cohort: cohort.as_deref(),
            name: &person,
            invited_by,
            now,
            expires,
        };
        invited.push(send_invitation(state, &mut tx, &invitation).await?);
    }
    tx.commit().await?;
    state.wakeup.wake();
    tracing::info!(org_id = %org_id, invited = invited.len(), skipped = skipped.len(), "invitations created");
    Ok(InviteResponse { invited, skipped })
}

/// One invitation to send.
pub(crate) struct Invite<'a> {
    /// Into which org.
    pub org_id: OrgId,
    /// Its name (for the email).
    pub org_name: &'a str,
    /// To whom.
    pub email: &'a Email,
    /// The role accepting gives.
    pub role: Role,
    /// Cohort attributes (JSON), if HR gave any.
    pub cohort: Option<&'a str>,
    /// Name and reading, if HR gave them.
    pub name: &'a PersonName,
    /// Who invites.
    pub invited_by: UserId,
    /// Now.
    pub now: chrono::DateTime<chrono::Utc>,
    /// When the link stops working.
    pub expires: chrono::DateTime<chrono::Utc>,
}

/// Stores an invitation (replacing an open one to the same address) and
/// queues its email, in the caller's transaction. The link's token is stored
/// as a digest, and sealed only until the email is sent; the event carries
/// the invitation's id, never the link.
pub(crate) async fn send_invitation(
    state: &IdentityState,
    tx: &mut sqlx::AnyConnection,
    inv: &Invite<'_>,
) -> anyhow::Result<InvitedEntry> {
    let token = secrets::new_token();
    let id = uuid::Uuid::now_v7().to_string();
    store::replace_invitation(
        &mut *tx,
        &NewInvitation {
            id: &id,
            org_id: inv.org_id,
            email: inv.email,
            token_hash: &secrets::digest(&token),
            token_sealed: &state.seal.seal_text(&token)?,
            invited_by: inv.invited_by,
            created_at: time::to_db(inv.now),
            expires_at: time::to_db(inv.expires),
            cohort: inv.cohort,
            role: inv.role,
            name: inv.name,
        },
    )
    .await?;
    let event = InvitationCreated {
        invitation_id: id,
        org_name: inv.org_name.to_owned(),
    };
    OUTBOX.publish(tx, &event).await?;
    Ok(InvitedEntry {
        email: inv.email.as_str().to_owned(),
        expires_at: inv.expires,
    })
}
