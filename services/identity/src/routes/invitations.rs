//! `/api/v1/orgs/{org_id}/invitations` (HR) and `/api/v1/invitations/accept`.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde::Serialize;
use shared::auth::Caller;
use shared::error::{ApiError, ErrorBody};
use shared::http::{Json, Path};
use shared::ids::OrgId;
use shared::time;
use utoipa::ToSchema;

use crate::IdentityState;
use crate::accept::{AcceptRequest, accept};
use crate::invite::{InvitePreview, InviteResponse, check_rows, invite, review};
use crate::policy::{Action, authorize};
use crate::sessions::TokenResponse;
use crate::store::{self};

mod upload;

pub use upload::{InviteRequest, Invitee};
pub(crate) use upload::{Row, rows};

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
    let checked = check_rows(rows(&headers, &body)?)?;
    let response = invite(&state, org_id, caller.user_id, checked).await?;
    Ok((StatusCode::CREATED, Json(response)))
}

/// Reads an invitation request exactly as sending would — the same file
/// formats and columns, the same checks — and answers row by row what
/// sending would do, without sending or storing anything. Nothing in the
/// answer depends on who has an account.
#[utoipa::path(
    post,
    path = "/api/v1/orgs/{org_id}/invitations/preview",
    tag = "identity",
    security(("bearer" = [])),
    params(("org_id" = OrgId, Path, description = "The org")),
    request_body(content(
        (InviteRequest = "application/json"),
        (String = "text/csv", example = "メールアドレス,部署,年代\nhana@example.com,営業部,30代\n"),
    )),
    responses(
        (status = 200, description = "Every row, with its problems", body = InvitePreview),
        (status = 403, description = "Not HR", body = ErrorBody),
        (status = 404, description = "No such org (or another org)", body = ErrorBody),
        (status = 422, description = "No rows, too many rows, or a file that cannot be read", body = ErrorBody),
    )
)]
pub async fn preview_invitations(
    caller: Caller,
    Path(org_id): Path<OrgId>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<InvitePreview>, ApiError> {
    authorize(&caller, Action::ManageInvitations(org_id))?;
    Ok(Json(review(rows(&headers, &body)?)?))
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

/// Accepts an invitation: creates the employee account and signs in. The link
/// works once, until it expires, and only if it is the newest for the address.
#[utoipa::path(
    post,
    path = "/api/v1/invitations/accept",
    tag = "identity",
    request_body = AcceptRequest,
    responses(
        (status = 201, description = "Account created and signed in", body = TokenResponse),
        (status = 404, description = "Invalid, used, replaced or expired link", body = ErrorBody),
        (status = 409, description = "The address already has an account", body = ErrorBody),
        (status = 422, description = "Password or display name not acceptable", body = ErrorBody),
    )
)]
pub async fn accept_invitation(
    State(state): State<IdentityState>,
    Json(body): Json<AcceptRequest>,
) -> Result<(StatusCode, Json<TokenResponse>), ApiError> {
    let tokens = accept(&state, &body).await?;
    Ok((StatusCode::CREATED, Json(tokens)))
}
