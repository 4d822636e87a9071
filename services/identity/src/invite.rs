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

/// One row that could not be read; nothing is sent while any row is wrong.
#[derive(Serialize)]
struct RowError {
    row: usize,
    value: String,
    message: String,
}

/// Rows that all parsed: who to invite, and the duplicates left out.
pub struct Checked {
    people: Vec<(Email, Option<Cohort>, PersonName)>,
    skipped: Vec<SkippedEntry>,
}

/// Checks every row: 422 `no_addresses`, `too_many_rows`, or
/// `invalid_rows` listing each bad row (row number, value, why).
pub(crate) fn check_rows(rows: Vec<Row>) -> Result<Checked, ApiError> {
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
    let mut errors = Vec::new();
    let mut people = Vec::new();
    let mut seen = BTreeSet::new();
    let mut skipped = Vec::new();
    for Row {
        row,
        email: value,
        department,
        age_band,
        name,
        reading,
    } in rows
    {
        let cohort = parse_cohort(department.as_deref(), age_band.as_deref());
        let person = PersonName::parse(name.as_deref(), reading.as_deref());
        match (Email::parse(&value), cohort, person) {
            (Ok(email), Ok(_), Ok(_)) if !seen.insert(email.clone()) => {
                skipped.push(SkippedEntry {
                    email: email.as_str().to_owned(),
                    reason: "duplicate_in_request",
                });
            }
            (Ok(email), Ok(cohort), Ok(person)) => people.push((email, cohort, person)),
            (Err(message), _, _) | (Ok(_), Err(message), _) | (Ok(_), Ok(_), Err(message)) => {
                errors.push(RowError {
                    row,
                    value,
                    message,
                });
            }
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::unprocessable(
            "invalid_rows",
            format!("{} row(s) are not valid; nothing was sent", errors.len()),
        )
        .with_details(json!({ "rows": errors })));
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
