//! `/api/v1/consultants/me/name-deny-list`: names a consultant wants kept out
//! of every organisational summary they write (a client's manager, say). The
//! names of the org's own people and the consultant's name are removed anyway.

use axum::extract::State;
use serde::{Deserialize, Serialize};
use shared::auth::Caller;
use shared::error::{ApiError, ErrorBody};
use shared::http::Json;
use utoipa::ToSchema;

use crate::policy::{Action, authorize};
use crate::{BookingState, store};

/// Most terms on one list.
pub const MAX_TERMS: usize = 500;

/// A consultant's deny list.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct DenyList {
    /// Names or words replaced by `[name]` in shared summaries (2–60
    /// characters each; Latin ones match whole words in any case).
    pub terms: Vec<String>,
}

/// The caller's deny list (consultants).
#[utoipa::path(get, path = "/api/v1/consultants/me/name-deny-list", tag = "booking", security(("bearer" = [])),
    responses((status = 200, description = "The list", body = DenyList), (status = 403, description = "Not a consultant", body = ErrorBody)))]
pub async fn get_own(
    State(state): State<BookingState>,
    caller: Caller,
) -> Result<Json<DenyList>, ApiError> {
    authorize(&caller, Action::EditDenyList)?;
    let mut conn = state.db.pool().acquire().await?;
    Ok(Json(DenyList {
        terms: store::deny_list(&mut conn, caller.user_id).await?,
    }))
}

/// Replaces the caller's deny list (consultants). Applies to summaries handed
/// off from now on.
#[utoipa::path(put, path = "/api/v1/consultants/me/name-deny-list", tag = "booking", security(("bearer" = [])),
    request_body = DenyList,
    responses(
        (status = 200, description = "Saved (trimmed, deduplicated, sorted)", body = DenyList),
        (status = 403, description = "Not a consultant", body = ErrorBody),
        (status = 422, description = "A term is too short or too long, or too many terms", body = ErrorBody),
    ))]
pub async fn put_own(
    State(state): State<BookingState>,
    caller: Caller,
    Json(body): Json<DenyList>,
) -> Result<Json<DenyList>, ApiError> {
    authorize(&caller, Action::EditDenyList)?;
    let mut terms: Vec<String> = body.terms.iter().map(|t| t.trim().to_owned()).collect();
    if terms.len() > MAX_TERMS {
        return Err(ApiError::unprocessable(
            "too_many_terms",
            format!("at most {MAX_TERMS} terms"),
        ));
    }
    if let Some(bad) = terms
        .iter()
        .find(|t| !(2..=60).contains(&t.chars().count()) || t.chars().any(char::is_control))
    {
        return Err(ApiError::unprocessable(
            "invalid_term",
            format!("each term must be 2–60 characters: {bad:?}"),
        ));
    }
    terms.sort();
    terms.dedup();
    let mut tx = state.db.begin_write().await?;
    store::replace_deny_list(&mut tx, caller.user_id, &terms).await?;
    tx.commit().await?;
    Ok(Json(DenyList { terms }))
}
