//! `/api/v1/orgs`: client orgs, for operators — the list with head counts
//! (never names of people) and a new org with its first HR person invited.

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use shared::auth::Caller;
use shared::error::{ApiError, ErrorBody};
use shared::http::Json;
use shared::ids::OrgId;
use shared::time;
use utoipa::ToSchema;

use crate::IdentityState;
use crate::invite::InvitedEntry;
use crate::onboarding::open_org;
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
    let (id, name, invited) = open_org(&state, caller.user_id, &body.name, &body.hr_email).await?;
    Ok((StatusCode::CREATED, Json(OrgCreated { id, name, invited })))
}
