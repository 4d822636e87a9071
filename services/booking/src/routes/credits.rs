//! `/api/v1/orgs/{org_id}/credits`: the balance, and grants by hand.

use axum::extract::State;
use serde::{Deserialize, Serialize};
use shared::auth::Caller;
use shared::error::{ApiError, ErrorBody};
use shared::http::{Json, Path};
use shared::ids::OrgId;
use shared::time;
use utoipa::ToSchema;

use crate::domain::credits;
use crate::policy::{Action, authorize};
use crate::{BookingState, store};

/// An org's session credits as HR sees them: purchases and grants at once,
/// uses only in weekly batches of at least k people, so that nothing one
/// employee does moves what HR sees (`crate::domain::credits`).
#[derive(Serialize, ToSchema)]
pub struct Balance {
    /// Every credit bought or granted, less the uses counted so far.
    pub balance: i64,
    /// Uses are counted up to this week boundary (Monday 00:00, Japan
    /// time), and only in batches of at least `k` people; `null` until the
    /// first batch.
    pub uses_counted_to: Option<chrono::DateTime<chrono::Utc>>,
    /// The smallest batch of people whose uses are counted together.
    pub k: usize,
    /// At the start of this week (`week_of`) the org had few credits left:
    /// time to buy more.
    pub running_low: bool,
    /// Monday 00:00 (in the organisations' zone, Japan by default) of this week.
    pub week_of: chrono::DateTime<chrono::Utc>,
}

/// The credits to show for `org` now.
async fn shown(state: &BookingState, org: OrgId) -> Result<Balance, ApiError> {
    let mut conn = state.db.pool().acquire().await?;
    let entries = store::ledger_of(&mut conn, org).await?;
    let now = time::now();
    let k = state.settings.privacy_k;
    // Low: at most a tenth of what the org added in the last 90 days, and
    // never less than five sessions.
    let recent: i64 = entries
        .iter()
        .filter(|e| e.person.is_none() && e.at > now - chrono::Duration::days(90))
        .map(|e| e.delta)
        .sum();
    let view = credits::view(&entries, now, k, (recent / 10).max(5));
    Ok(Balance {
        balance: view.balance,
        uses_counted_to: view.uses_counted_to,
        k,
        running_low: view.running_low,
        week_of: view.week_of,
    })
}

/// The org's credits (HR of that org, operators): purchases and grants at
/// once, uses only in weekly batches of at least k people.
#[utoipa::path(get, path = "/api/v1/orgs/{org_id}/credits", tag = "booking", security(("bearer" = [])),
    params(("org_id" = OrgId, Path, description = "Org")),
    responses((status = 200, description = "Balance", body = Balance), (status = 403, description = "Not HR", body = ErrorBody), (status = 404, description = "Another org", body = ErrorBody)))]
pub async fn balance(
    State(state): State<BookingState>,
    caller: Caller,
    Path(org): Path<OrgId>,
) -> Result<Json<Balance>, ApiError> {
    authorize(&caller, Action::ReadCredits(org))?;
    Ok(Json(shown(&state, org).await?))
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
    authorize(
        &caller,
        Action::GrantCredits {
            org,
            payments: state.payments.is_some(),
        },
    )?;
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
    tx.commit().await?;
    Ok(Json(shown(&state, org).await?))
}
