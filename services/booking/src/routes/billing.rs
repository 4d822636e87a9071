//! Buying credit packs: the catalogue, opening a Stripe Checkout Session for
//! HR, and Stripe's signed webhook that settles it (see `crate::billing`).

use axum::extract::State;
use axum::http::HeaderMap;
use serde::{Deserialize, Serialize};
use shared::auth::Caller;
use shared::error::{ApiError, ErrorBody};
use shared::http::{Json, Path};
use shared::ids::OrgId;
use utoipa::ToSchema;

use crate::BookingState;
use crate::billing::{CheckoutStarted, CreditPack, PACKS, settle, start_checkout};
use crate::policy::{Action, authorize};

/// The packs on sale, and whether they can be bought here.
#[derive(Serialize, ToSchema)]
pub struct Catalogue {
    /// `true` when a Stripe account is configured; otherwise credits are
    /// granted by hand.
    pub payments_enabled: bool,
    /// The packs.
    pub packs: Vec<CreditPack>,
}

/// The credit packs on sale (any signed-in user).
#[utoipa::path(get, path = "/api/v1/billing/packs", tag = "booking", security(("bearer" = [])),
    responses((status = 200, description = "Packs", body = Catalogue)))]
pub async fn packs(State(state): State<BookingState>, _caller: Caller) -> Json<Catalogue> {
    Json(Catalogue {
        payments_enabled: state.payments.is_some(),
        packs: PACKS.to_vec(),
    })
}

/// Which pack to buy.
#[derive(Deserialize, ToSchema)]
pub struct CheckoutBody {
    /// A pack's name from `GET /api/v1/billing/packs`, e.g. `"10"`.
    pub pack: String,
}

/// Opens a Stripe Checkout Session for a credit pack (HR of that org). The
/// credits arrive when Stripe's webhook reports the payment.
#[utoipa::path(post, path = "/api/v1/orgs/{org_id}/billing/checkout", tag = "booking", security(("bearer" = [])),
    params(("org_id" = OrgId, Path, description = "Org")),
    request_body = CheckoutBody,
    responses(
        (status = 200, description = "Redirect HR to `checkout_url`", body = CheckoutStarted),
        (status = 403, description = "Not HR", body = ErrorBody),
        (status = 404, description = "Another org", body = ErrorBody),
        (status = 409, description = "No payment provider configured (`payments_not_configured`)", body = ErrorBody),
        (status = 422, description = "Unknown pack", body = ErrorBody),
        (status = 502, description = "Stripe did not answer (`payment_provider_unavailable`); nothing was charged", body = ErrorBody),
    ))]
pub async fn checkout(
    State(state): State<BookingState>,
    caller: Caller,
    Path(org): Path<OrgId>,
    Json(body): Json<CheckoutBody>,
) -> Result<Json<CheckoutStarted>, ApiError> {
    authorize(&caller, Action::BuyCredits(org))?;
    let started = start_checkout(&state, org, caller.user_id, &body.pack).await?;
    Ok(Json(started))
}

/// What a webhook delivery did.
#[derive(Serialize, ToSchema)]
pub struct WebhookReceipt {
    /// Always `true`: Stripe may stop retrying.
    pub received: bool,
    /// `credited`, `duplicate`, `already_settled`, `awaiting_payment`,
    /// `expired`, `payment_failed`, `amount_mismatch`, `unknown_purchase` or `ignored`.
    pub outcome: &'static str,
}

/// Stripe's webhook. The `Stripe-Signature` must verify against the raw body
/// (5-minute tolerance); each event id is applied once.
#[utoipa::path(post, path = "/api/v1/webhooks/stripe", tag = "booking",
    request_body(content = String, description = "The event exactly as Stripe sent it", content_type = "application/json"),
    responses(
        (status = 200, description = "Applied, or already applied", body = WebhookReceipt),
        (status = 400, description = "Missing or wrong signature (`bad_signature`), outside the tolerance (`stale_signature`), or not an event (`bad_payload`)", body = ErrorBody),
        (status = 409, description = "No payment provider configured", body = ErrorBody),
    ))]
pub async fn webhook(
    State(state): State<BookingState>,
    headers: HeaderMap,
    body: String,
) -> Result<Json<WebhookReceipt>, ApiError> {
    let signature = headers
        .get("stripe-signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let outcome = settle(&state, &body, signature).await?;
    Ok(Json(WebhookReceipt {
        received: true,
        outcome,
    }))
}
