//! The operator's views: emerging themes (clusters of scrubbed summaries
//! across client orgs, as terms, never text), to curate the taxonomy; and
//! the sensitive themes (health, harassment) that HR never sees, counted per
//! org and quarter under the same anonymity rules.

use axum::extract::State;
use serde::Deserialize;
use shared::auth::Caller;
use shared::error::{ApiError, ErrorBody};
use shared::http::{Json, Query};
use utoipa::IntoParams;

use crate::ReportingState;
use crate::platform_themes::{EmergingThemes, SensitiveThemes, emerging, sensitive};
use crate::policy::{Action, authorize};
use crate::routes::reports::Periods;

/// The period to look at.
#[derive(Deserialize, IntoParams)]
pub struct EmergingParams {
    /// First quarter or month (default: three quarters before `to`).
    pub from: Option<String>,
    /// Last quarter or month (default: the current quarter).
    pub to: Option<String>,
}

/// Clusters of recent session summaries across orgs, with their top terms
/// and how well the taxonomy covers them (operators only).
#[utoipa::path(get, path = "/api/v1/operator/emerging-themes", tag = "reporting", security(("bearer" = [])),
    params(EmergingParams),
    responses(
        (status = 200, description = "Clusters", body = EmergingThemes),
        (status = 403, description = "Not an operator", body = ErrorBody),
        (status = 422, description = "Bad period", body = ErrorBody),
    ))]
pub async fn emerging_themes(
    State(state): State<ReportingState>,
    caller: Caller,
    Query(p): Query<EmergingParams>,
) -> Result<Json<EmergingThemes>, ApiError> {
    authorize(&caller, Action::PlatformThemes)?;
    let periods = Periods::parse(p.from.as_deref(), p.to.as_deref())?;
    Ok(Json(emerging(&state, &periods).await?))
}

/// The sensitive themes HR never sees, per org and closed quarter, under the
/// same anonymity rules (operators only).
#[utoipa::path(get, path = "/api/v1/operator/sensitive-themes", tag = "reporting", security(("bearer" = [])),
    params(EmergingParams),
    responses(
        (status = 200, description = "Counts", body = SensitiveThemes),
        (status = 403, description = "Not an operator", body = ErrorBody),
        (status = 422, description = "Bad period", body = ErrorBody),
    ))]
pub async fn sensitive_themes(
    State(state): State<ReportingState>,
    caller: Caller,
    Query(p): Query<EmergingParams>,
) -> Result<Json<SensitiveThemes>, ApiError> {
    authorize(&caller, Action::PlatformThemes)?;
    let periods = Periods::parse(p.from.as_deref(), p.to.as_deref())?;
    Ok(Json(sensitive(&state, &periods).await?))
}

/// Reporting's audit log of report exports (operators only).
#[utoipa::path(get, path = "/api/v1/reporting/audit", tag = "reporting", security(("bearer" = [])),
    responses((status = 200, description = "Entries", body = shared::audit::AuditList), (status = 403, description = "Not an operator", body = ErrorBody)))]
pub async fn audit(
    State(state): State<ReportingState>,
    caller: Caller,
) -> Result<Json<shared::audit::AuditList>, ApiError> {
    authorize(&caller, Action::ReadAudit)?;
    let mut conn = state.db.pool().acquire().await?;
    Ok(Json(shared::audit::AuditList {
        items: crate::AUDIT
            .newest(&mut conn, shared::audit::AuditLog::PAGE)
            .await?,
    }))
}
