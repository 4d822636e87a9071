//! The person's data rights in identity: `GET /api/v1/me/data` (what
//! identity holds about them, for their export) and `DELETE /api/v1/me`
//! (erase the account). Deleting publishes `identity.user_erased.v1`, on which
//! booking destroys the key of their private notes (crypto-shredding),
//! cancels their future sessions and drops agendas, action items and
//! contact details, and matching deletes their assessments and preferences.
//! De-identified reporting records stay: they identify no one.

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use shared::auth::{Caller, Role};
use shared::error::{ApiError, ErrorBody};
use shared::http::Json;
use shared::ids::{OrgId, UserId};
use shared::time;
use utoipa::ToSchema;

use shared::contracts::UserErased;

use crate::accept::publish_cohort_sizes;
use crate::policy::{Action, authorize};
use crate::{IdentityState, OUTBOX, store};

/// What identity holds about the caller.
#[derive(Serialize, ToSchema)]
pub struct IdentityData {
    /// Id.
    pub id: UserId,
    /// Email.
    pub email: String,
    /// Role.
    pub role: Role,
    /// Org.
    pub org_id: Option<OrgId>,
    /// Name shown to others.
    pub display_name: String,
    /// When the account was made.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// The cohort attributes HR gave with the invitation, if any.
    #[schema(value_type = Option<Object>)]
    pub cohort: Option<serde_json::Value>,
}

/// What identity holds about the caller (part of their data export).
#[utoipa::path(get, path = "/api/v1/me/data", tag = "identity", security(("bearer" = [])),
    responses((status = 200, description = "Identity's data about the caller", body = IdentityData)))]
#[tracing::instrument(name = "identity.export", skip_all)]
pub async fn export(
    State(state): State<IdentityState>,
    caller: Caller,
) -> Result<Json<IdentityData>, ApiError> {
    let mut conn = state.db.pool().acquire().await?;
    let user = super::signed_in_user(&mut conn, caller.user_id).await?;
    let (created_at, cohort) = store::user_details(&mut conn, caller.user_id)
        .await?
        .ok_or_else(|| ApiError::unauthorized("this account no longer exists"))?;
    Ok(Json(IdentityData {
        id: user.id,
        email: user.email,
        role: user.role,
        org_id: user.org_id,
        display_name: user.display_name,
        created_at: time::from_db(created_at),
        cohort: cohort.and_then(|c| serde_json::from_str(&c).ok()),
    }))
}

/// The password, to confirm.
#[derive(Deserialize, ToSchema)]
pub struct EraseRequest {
    /// The account's password.
    pub password: String,
}

/// Erases the caller's account (employees; others ask an operator). Needs
/// the password. Irreversible.
#[utoipa::path(delete, path = "/api/v1/me", tag = "identity", security(("bearer" = [])),
    request_body = EraseRequest,
    responses(
        (status = 204, description = "Erased; every service erases what it holds"),
        (status = 403, description = "Not an employee", body = ErrorBody),
        (status = 422, description = "Wrong password", body = ErrorBody),
        (status = 429, description = "`rate_limited`: too many wrong passwords; wait and retry", body = ErrorBody),
    ))]
#[tracing::instrument(name = "identity.erase", skip_all)]
pub async fn erase(
    State(state): State<IdentityState>,
    caller: Caller,
    extensions: axum::http::Extensions,
    Json(body): Json<EraseRequest>,
) -> Result<StatusCode, ApiError> {
    authorize(&caller, Action::EraseOwnAccount)?;
    let mut conn = state.db.pool().acquire().await?;
    let user = super::signed_in_user(&mut conn, caller.user_id).await?;
    let had_cohort = store::user_details(&mut conn, user.id)
        .await?
        .is_some_and(|(_, c)| c.is_some());
    drop(conn);
    crate::throttle::confirm_password(
        &state,
        &user,
        &body.password,
        crate::throttle::client_address(&extensions),
    )
    .await?;
    let now = time::to_db(time::now());
    let mut tx = state.db.begin_write().await?;
    store::erase_user(&mut tx, user.id, &user.email, now).await?;
    OUTBOX
        .publish(
            &mut tx,
            &UserErased {
                user_id: user.id,
                org_id: user.org_id,
            },
        )
        .await?;
    if let (true, Some(org)) = (had_cohort, user.org_id) {
        publish_cohort_sizes(&mut tx, org, now).await?;
    }
    tx.commit().await?;
    // Their tokens stop working now, not when they expire.
    state.tokens.revoke(user.id, now.div_euclid(1000));
    state.wakeup.wake();
    tracing::info!(user_id = %user.id, "account erased");
    Ok(StatusCode::NO_CONTENT)
}
