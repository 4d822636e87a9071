//! `POST /api/v1/operators/{id}/enrolment-code`: an operator (signed in with
//! their second factor) lets another operator set up theirs.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use shared::auth::{Caller, Role};
use shared::error::{ApiError, ErrorBody};
use shared::http::{Json, Path};
use shared::ids::UserId;
use utoipa::ToSchema;

use crate::policy::{Action, authorize};
use crate::{IdentityState, enrolment, store};

/// A one-time enrolment code. Shown once; give it to the operator in person
/// or over another channel than their email.
#[derive(Serialize, ToSchema)]
pub struct EnrolmentCode {
    /// The code, `XXXXX-XXXXX`.
    pub code: String,
    /// Until when it works (RFC 3339).
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

/// Issues an enrolment code for an operator who has no second factor yet
/// (a new operator, or one whose authenticator was lost and reset).
#[utoipa::path(post, path = "/api/v1/operators/{id}/enrolment-code", tag = "identity", security(("bearer" = [])),
    params(("id" = UserId, Path, description = "The operator")),
    responses(
        (status = 201, description = "The code, shown once", body = EnrolmentCode),
        (status = 403, description = "Only operators signed in with their second factor", body = ErrorBody),
        (status = 404, description = "No such operator", body = ErrorBody),
        (status = 409, description = "That operator already has a second factor (`mfa_already_enabled`)", body = ErrorBody),
    ))]
pub async fn issue_enrolment_code(
    State(state): State<IdentityState>,
    caller: Caller,
    Path(id): Path<UserId>,
) -> Result<(StatusCode, Json<EnrolmentCode>), ApiError> {
    authorize(&caller, Action::IssueEnrolmentCode)?;
    let mut tx = state.db.begin_write().await?;
    let user = store::find_user(&mut tx, id)
        .await?
        .filter(|u| u.role == Role::Operator && !u.disabled)
        .ok_or_else(ApiError::not_found)?;
    if user.totp_enabled {
        return Err(ApiError::conflict(
            "mfa_already_enabled",
            "that operator already has a second factor",
        ));
    }
    let (code, expires_at) = enrolment::issue(&mut tx, user.id, Some(caller.user_id)).await?;
    tx.commit().await?;
    tracing::info!(operator_id = %user.id, issued_by = %caller.user_id, "enrolment code issued");
    Ok((
        StatusCode::CREATED,
        Json(EnrolmentCode {
            code,
            expires_at: shared::time::from_db(expires_at),
        }),
    ))
}
