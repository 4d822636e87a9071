//! `/api/v1/orgs/{org_id}/credits`: the balance, and grants by hand.

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use shared::auth::{Caller, Role};
use shared::error::{ApiError, ErrorBody};
use shared::http::{Json, Path};
use shared::ids::OrgId;
use shared::time;
use utoipa::ToSchema;

use crate::policy::{Action, authorize};
use crate::{BookingState, store};

/// An org's session credits.
#[derive(Serialize, ToSchema)]
pub struct Balance {
    /// Sessions the org can still book.
    pub balance: i64,
}

/// The org's credit balance (HR of that org, operators).
#[utoipa::path(get, path = "/api/v1/orgs/{org_id}/credits", tag = "booking", security(("bearer" = [])),
    params(("org_id" = OrgId, Path, description = "Org")),
    responses((status = 200, description = "Balance", body = Balance), (status = 403, description = "Not HR", body = ErrorBody), (status = 404, description = "Another org", body = ErrorBody)))]
pub async fn balance(
    State(state): State<BookingState>,
    caller: Caller,
    Path(org): Path<OrgId>,
) -> Result<Json<Balance>, ApiError> {
    authorize(&caller, Action::ReadCredits(org))?;
    let mut conn = state.db.pool().acquire().await?;
    Ok(Json(Balance {
        balance: store::balance(&mut conn, org).await?,
    }))
}

/// Credits granted by hand.
#[derive(Deserialize, ToSchema)]
pub struct GrantBody {
    /// How many sessions (1–10,000).
    pub amount: i64,
    /// Why (kept in the ledger).
    #[serde(default)]
    pub note: Option<String>,
}

/// Grants credits by hand (operators, or HR of that org while no payment
/// provider is configured). Recorded in the ledger.
#[utoipa::path(post, path = "/api/v1/orgs/{org_id}/credits/grants", tag = "booking", security(("bearer" = [])),
    params(("org_id" = OrgId, Path, description = "Org")),
    request_body = GrantBody,
    responses((status = 200, description = "New balance", body = Balance), (status = 403, description = "Not HR or operator, or HR where credits are bought through Stripe", body = ErrorBody), (status = 422, description = "Bad amount", body = ErrorBody)))]
pub async fn grant(
    State(state): State<BookingState>,
    caller: Caller,
    Path(org): Path<OrgId>,
    Json(body): Json<GrantBody>,
) -> Result<Json<Balance>, ApiError> {
    authorize(&caller, Action::GrantCredits(org))?;
    if state.payments.is_some() && caller.role == Role::Hr {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "buy_credits_instead",
            "credits are bought through POST /api/v1/orgs/{org_id}/billing/checkout here",
        ));
    }
    if !(1..=10_000).contains(&body.amount) {
        return Err(ApiError::unprocessable(
            "invalid_amount",
            "grant between 1 and 10000 credits",
        ));
    }
    let note: Option<String> = body.note.map(|n| n.chars().take(200).collect());
    let mut tx = state.db.begin_write().await?;
    store::add_credits(
        &mut tx,
        org,
        body.amount,
        "grant",
        note.as_deref(),
        time::to_db(time::now()),
    )
    .await?;
    let balance = store::balance(&mut tx, org).await?;
    tx.commit().await?;
    Ok(Json(Balance { balance }))
}
