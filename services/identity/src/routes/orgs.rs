//! `/api/v1/orgs`: client orgs, for operators — the list with head counts
//! (never names of people) and a new org with its first HR person invited.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::Duration;
use serde::{Deserialize, Serialize};
use shared::auth::{Caller, Role};
use shared::error::{ApiError, ErrorBody};
use shared::http::Json;
use shared::ids::OrgId;
use shared::time;
use utoipa::ToSchema;

use super::invitations::{Invite, InvitedEntry, send_invitation};
use crate::IdentityState;
use crate::domain::Email;
use crate::policy::{Action, authorize};
use crate::store;

/// A client org.
#[derive(Serialize, ToSchema)]
pub struct OrgView {
    /// Id.
    pub id: OrgId,
    /// Name.
    pub name: String,
    /// When it was created.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Employees with an account.
    pub employees: i64,
    /// HR people with an account.
    pub hr: i64,
}

/// The client orgs, by name.
#[derive(Serialize, ToSchema)]
pub struct OrgList {
    /// Orgs (at most 1000).
    pub items: Vec<OrgView>,
}

/// Every client org with its head counts (operators only).
#[utoipa::path(get, path = "/api/v1/orgs", tag = "identity", security(("bearer" = [])),
    responses(
        (status = 200, description = "The orgs", body = OrgList),
        (status = 403, description = "Not an operator", body = ErrorBody),
    ))]
pub async fn list_orgs(
    State(state): State<IdentityState>,
    caller: Caller,
) -> Result<Json<OrgList>, ApiError> {
    authorize(&caller, Action::ManageOrgs)?;
    let mut conn = state.db.pool().acquire().await?;
    let items = store::list_orgs(&mut conn)
        .await?
        .into_iter()
        .map(|o| OrgView {
            id: o.id,
            name: o.name,
            created_at: time::from_db(o.created_at),
            employees: o.employees,
            hr: o.hr,
        })
        .collect();
    Ok(Json(OrgList { items }))
}

/// A new client org.
#[derive(Deserialize, ToSchema)]
pub struct NewOrg {
    /// Its name (1–100 characters, unique).
    pub name: String,
    /// The address of its first HR person, who gets an invitation.
    pub hr_email: String,
}

/// The org created and the invitation sent.
#[derive(Serialize, ToSchema)]
pub struct OrgCreated {
    /// Id.
    pub id: OrgId,
    /// Name.
    pub name: String,
    /// The HR invitation.
    pub invited: InvitedEntry,
}

/// Creates a client org and invites its first HR person (operators only).
#[utoipa::path(post, path = "/api/v1/orgs", tag = "identity", security(("bearer" = [])),
    request_body = NewOrg,
    responses(
        (status = 201, description = "Created; the HR invitation is on its way", body = OrgCreated),
        (status = 403, description = "Not an operator", body = ErrorBody),
        (status = 409, description = "An org of that name exists, or the address has an account", body = ErrorBody),
        (status = 422, description = "Bad name or address", body = ErrorBody),
    ))]
pub async fn create_org(
    State(state): State<IdentityState>,
    caller: Caller,
    Json(body): Json<NewOrg>,
) -> Result<(StatusCode, Json<OrgCreated>), ApiError> {
    authorize(&caller, Action::ManageOrgs)?;
    let name = body.name.trim();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(ApiError::unprocessable(
            "invalid_org_name",
            "the name must be 1–100 characters",
        ));
    }
    let email =
        Email::parse(&body.hr_email).map_err(|m| ApiError::unprocessable("invalid_email", m))?;
    let now = time::now();
    let expires =
        now + Duration::from_std(state.settings.invitation_ttl).map_err(anyhow::Error::from)?;
    let mut tx = state.db.begin_write().await?;
    if store::find_org_by_name(&mut tx, name).await?.is_some() {
        return Err(ApiError::conflict(
            "org_exists",
            "an org of that name exists",
        ));
    }
    if !store::registered_emails(&mut tx, std::slice::from_ref(&email))
        .await?
        .is_empty()
    {
        return Err(ApiError::conflict(
            "already_registered",
            "that address already has an account",
        ));
    }
    let id = OrgId::new();
    store::insert_org(&mut tx, id, name, time::to_db(now)).await?;
    let invite = Invite {
        org_id: id,
        org_name: name,
        email: &email,
        role: Role::Hr,
        cohort: None,
        name: &crate::domain::PersonName::default(),
        invited_by: caller.user_id,
        now,
        expires,
    };
    let invited = send_invitation(&state, &mut tx, &invite).await?;
    tx.commit().await?;
    state.wakeup.wake();
    tracing::info!(org_id = %id, "client org created");
    Ok((
        StatusCode::CREATED,
        Json(OrgCreated {
            id,
            name: name.to_owned(),
            invited,
        }),
    ))
}
