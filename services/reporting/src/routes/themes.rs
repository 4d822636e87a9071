//! `GET /api/v1/themes`: the taxonomy.

use axum::extract::State;
use serde::Serialize;
use shared::error::ApiError;
use shared::http::Json;
use utoipa::ToSchema;

use crate::{ReportingState, store};

/// A theme.
#[derive(Serialize, ToSchema)]
pub struct ThemeView {
    /// Code (consultants record these).
    pub code: String,
    /// Japanese label.
    pub label_ja: String,
    /// English label.
    pub label_en: String,
    /// Never in HR reports.
    pub sensitive: bool,
}

/// The theme taxonomy.
#[utoipa::path(get, path = "/api/v1/themes", tag = "reporting",
    responses((status = 200, description = "Themes", body = [ThemeView])))]
pub async fn list(State(state): State<ReportingState>) -> Result<Json<Vec<ThemeView>>, ApiError> {
    let mut conn = state.db.pool().acquire().await?;
    let themes = store::themes(&mut conn).await?;
    Ok(Json(
        themes
            .into_iter()
            .map(|t| ThemeView {
                code: t.code,
                label_ja: t.label_ja,
                label_en: t.label_en,
                sensitive: t.sensitive,
            })
            .collect(),
    ))
}

#[cfg(test)]
mod tests;
