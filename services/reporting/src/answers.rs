//! "You said, we did": HR answers a theme the report released for a closed
//! quarter (never a sensitive or hidden one), and the org's employees read
//! the answers.

use serde::Serialize;
use shared::error::ApiError;
use shared::ids::OrgId;
use shared::time;
use utoipa::ToSchema;

use crate::periods::released_quarter;
use crate::{ReportingState, store};

/// A published response.
#[derive(Serialize, ToSchema)]
pub struct ResponseView {
    /// Id.
    pub id: String,
    /// Theme code.
    pub theme: String,
    /// Quarter.
    pub period: String,
    /// The message.
    pub message: String,
    /// When it was published.
    pub published_at: chrono::DateTime<chrono::Utc>,
}

/// Publishes HR's `message` on `theme` in the released quarter `period`
/// (access already decided): 422 for a bad message or quarter, 409
/// `theme_not_released` for a theme the report did not show that quarter.
#[tracing::instrument(name = "reporting.publish_response", skip_all)]
pub async fn answer_theme(
    state: &ReportingState,
    org: OrgId,
    theme: &str,
    period: &str,
    message: &str,
) -> Result<ResponseView, ApiError> {
    let message = message.trim();
    if message.is_empty() || message.chars().count() > 2000 {
        return Err(ApiError::unprocessable(
            "invalid_message",
            "the message must be 1–2,000 characters",
        ));
    }
    let Some(quarter) = released_quarter(period) else {
        return Err(ApiError::unprocessable(
            "invalid_period",
            "`period` must be a released quarter like 2026-Q2",
        ));
    };
    let period = quarter.name();
    // As the quarter was released (and stays): its org-wide cell of the theme.
    let released = crate::releases::release(state, org, quarter)
        .await?
        .views
        .get("none")
        .is_some_and(|cells| cells.iter().any(|c| c.theme == theme && c.count.is_some()));
    let mut conn = state.db.pool().acquire().await?;
    if !released {
        return Err(ApiError::conflict(
            "theme_not_released",
            "only themes the report released for that quarter can be answered",
        ));
    }
    let view = ResponseView {
        id: uuid::Uuid::now_v7().to_string(),
        theme: theme.to_owned(),
        period,
        message: message.to_owned(),
        published_at: time::now(),
    };
    store::insert_response(
        &mut conn,
        &view.id,
        org,
        &view.theme,
        &view.period,
        &view.message,
        time::to_db(view.published_at),
    )
    .await?;
    Ok(view)
}
