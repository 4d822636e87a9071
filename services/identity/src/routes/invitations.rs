//! `/api/v1/orgs/{org_id}/invitations` (HR) and `/api/v1/invitations/accept`.

use std::collections::BTreeSet;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use chrono::Duration;
use serde::Serialize;
use serde_json::json;
use shared::auth::{Caller, Role};
use shared::error::{ApiError, ErrorBody};
use shared::http::{Json, Path};
use shared::ids::{OrgId, UserId};
use shared::time;
use utoipa::ToSchema;

use crate::domain::{Email, PersonName, parse_cohort};
use crate::invitation_mail::InvitationCreated;
use crate::policy::{Action, authorize};
use crate::store::{self, NewInvitation};
use crate::{IdentityState, OUTBOX, secrets};

/// Most addresses one request may invite.
pub const MAX_INVITATIONS_PER_REQUEST: usize = 5000;

mod accept;
mod upload;

pub use accept::*;
pub use upload::{InviteRequest, Invitee};
pub(crate) use upload::{Row, rows};

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

/// Invites people into an org by email. All-or-nothing: if any address is not
/// valid, the answer is 422 listing every bad row and nothing is sent. A
/// pending invitation is replaced. An address that already has an account —
/// in this org or any other — is answered exactly like a new one (HR must not
/// learn who has an account anywhere); its owner is emailed a notice instead
/// of a link.
#[utoipa::path(
    post,
    path = "/api/v1/orgs/{org_id}/invitations",
    tag = "identity",
    security(("bearer" = [])),
    params(("org_id" = OrgId, Path, description = "The org")),
    request_body(content(
        (InviteRequest = "application/json"),
        (String = "text/csv", example = "email\nhana@example.com\n"),
    )),
    responses(
        (status = 201, description = "Invitations created; emails follow", body = InviteResponse),
        (status = 403, description = "Not HR", body = ErrorBody),
        (status = 404, description = "No such org (or another org)", body = ErrorBody),
        (status = 422, description = "Some rows are not valid addresses; nothing was sent", body = ErrorBody),
    )
)]
pub async fn create_invitations(
    State(state): State<IdentityState>,
    caller: Caller,
    Path(org_id): Path<OrgId>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<InviteResponse>), ApiError> {
    authorize(&caller, Action::ManageInvitations(org_id))?;
    let rows = rows(&headers, &body)?;
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
    let mut emails = Vec::new();
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
            (Ok(email), Ok(cohort), Ok(person)) => emails.push((email, cohort, person)),
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

    let now = time::now();
    let expires =
        now + Duration::from_std(state.settings.invitation_ttl).map_err(anyhow::Error::from)?;
    let mut tx = state.db.begin_write().await?;
    let org_name = store::find_org_name(&mut tx, org_id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let mut invited = Vec::new();
    for (email, cohort, person) in emails {
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
            invited_by: caller.user_id,
            now,
            expires,
        };
        invited.push(send_invitation(&state, &mut tx, &invitation).await?);
    }
    tx.commit().await?;
    state.wakeup.wake();
    tracing::info!(org_id = %org_id, invited = invited.len(), skipped = skipped.len(), "invitations created");
    Ok((
        StatusCode::CREATED,
        Json(InviteResponse { invited, skipped }),
    ))
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

/// One invitation as HR sees it.
#[derive(Serialize, ToSchema)]
pub struct InvitationView {
    /// Address.
    pub email: String,
    /// `pending`, `accepted`, `expired` or `replaced`.
    pub status: &'static str,
    /// Sent.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Link expiry.
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

/// The org's invitations (newest first, at most 1000).
#[derive(Serialize, ToSchema)]
pub struct InvitationList {
    /// Invitations.
    pub items: Vec<InvitationView>,
}

/// Lists an org's invitations and their state.
#[utoipa::path(
    get,
    path = "/api/v1/orgs/{org_id}/invitations",
    tag = "identity",
    security(("bearer" = [])),
    params(("org_id" = OrgId, Path, description = "The org")),
    responses(
        (status = 200, description = "Invitations", body = InvitationList),
        (status = 403, description = "Not HR", body = ErrorBody),
        (status = 404, description = "Another org", body = ErrorBody),
    )
)]
pub async fn list_invitations(
    State(state): State<IdentityState>,
    caller: Caller,
    Path(org_id): Path<OrgId>,
) -> Result<Json<InvitationList>, ApiError> {
    authorize(&caller, Action::ManageInvitations(org_id))?;
    let now = time::to_db(time::now());
    let mut conn = state.db.pool().acquire().await?;
    store::find_org_name(&mut conn, org_id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let items = store::list_invitations(&mut conn, org_id, 1000)
        .await?
        .into_iter()
        .map(|inv| InvitationView {
            status: match (inv.accepted_at, inv.revoked_at) {
                (Some(_), _) => "accepted",
                (None, Some(_)) => "replaced",
                (None, None) if inv.expires_at <= now => "expired",
                (None, None) => "pending",
            },
            email: inv.email,
            created_at: time::from_db(inv.created_at),
            expires_at: time::from_db(inv.expires_at),
        })
        .collect();
    Ok(Json(InvitationList { items }))
}
