//! `GET /api/v1/me`.

use axum::extract::State;
use serde::Serialize;
use shared::auth::{Caller, Role};
use shared::error::{ApiError, ErrorBody};
use shared::http::Json;
use shared::ids::{OrgId, UserId};
use utoipa::ToSchema;

use crate::IdentityState;

/// Who the caller is.
#[derive(Serialize, ToSchema)]
pub struct MeResponse {
    /// Id.
    pub id: UserId,
    /// Email.
    pub email: String,
    /// Role.
    pub role: Role,
    /// Org (employees and HR).
    pub org_id: Option<OrgId>,
    /// Name shown to others.
    pub display_name: String,
}

/// The signed-in person.
#[utoipa::path(
    get,
    path = "/api/v1/me",
    tag = "identity",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller", body = MeResponse),
        (status = 401, description = "No or invalid token", body = ErrorBody),
    )
)]
pub async fn me(
    State(state): State<IdentityState>,
    caller: Caller,
) -> Result<Json<MeResponse>, ApiError> {
    let mut conn = state.db.pool().acquire().await?;
    let user = super::signed_in_user(&mut conn, caller.user_id).await?;
    Ok(Json(MeResponse {
        id: user.id,
        email: user.email,
        role: user.role,
        org_id: user.org_id,
        display_name: user.display_name,
    }))
}
