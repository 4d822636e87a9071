//! `GET /api/v1/booking/audit`: who read which session's private notes, and
//! when (operators only; never the notes).

use axum::extract::State;
use shared::audit::{AuditList, AuditLog};
use shared::auth::Caller;
use shared::error::{ApiError, ErrorBody};
use shared::http::Json;

use crate::policy::{Action, authorize};
use crate::{AUDIT, BookingState};

/// Booking's audit log of private-note reads (operators only).
#[utoipa::path(get, path = "/api/v1/booking/audit", tag = "booking", security(("bearer" = [])),
    responses((status = 200, description = "Entries", body = AuditList), (status = 403, description = "Not an operator", body = ErrorBody)))]
pub async fn list(
    State(state): State<BookingState>,
    caller: Caller,
) -> Result<Json<AuditList>, ApiError> {
    authorize(&caller, Action::ReadAudit)?;
    let mut conn = state.db.pool().acquire().await?;
    Ok(Json(AuditList {
        items: AUDIT.newest(&mut conn, AuditLog::PAGE).await?,
    }))
}
