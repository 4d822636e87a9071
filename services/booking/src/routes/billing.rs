//! Buying credit packs: the catalogue, opening a Stripe Checkout Session for
//! HR, and Stripe's signed webhook that settles it (see `crate::billing`).

use std::collections::HashMap;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
use serde_json::json;
use shared::auth::Caller;
use shared::error::{ApiError, ErrorBody};
use shared::http::{Json, Path};
use shared::ids::OrgId;
use shared::time;
use taiwa_stripe::{CheckoutRequest, WebhookEvent, WebhookRejected};
use utoipa::ToSchema;

use crate::BookingState;
use crate::billing::{self, CreditPack, PACKS, Purchase};
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

/// Where to send HR to pay.
#[derive(Serialize, ToSchema)]
pub struct CheckoutStarted {
    /// Stripe's hosted payment page.
    pub checkout_url: String,
    /// Our reference for this purchase.
    pub purchase_id: String,
    /// Credits it adds once paid.
    pub credits: i64,
    /// Price in yen.
    pub amount: i64,
    /// `jpy`.
    pub currency: &'static str,
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
    let Some(stripe) = state.payments.clone() else {
        return Err(not_configured());
    };
    let Some(pack) = billing::pack(body.pack.trim()) else {
        let names: Vec<&str> = PACKS.iter().map(|p| p.pack).collect();
        return Err(ApiError::unprocessable(
            "unknown_pack",
            format!("choose one of the packs: {}", names.join(", ")),
        )
        .with_details(json!({ "packs": names })));
    };
    let purchase_id = uuid::Uuid::now_v7().to_string();
    let mut conn = state.db.pool().acquire().await?;
    billing::insert_purchase(
        &mut conn,
        &purchase_id,
        org,
        &caller.user_id.to_string(),
        &pack,
        time::to_db(time::now()),
    )
    .await?;
    let return_to = format!("{}/hr/credits?purchase={purchase_id}", state.public_url);
    let request = CheckoutRequest {
        reference: purchase_id.clone(),
        product_name: pack.label_ja.to_owned(),
        amount: pack.price_jpy,
        currency: billing::CURRENCY.to_owned(),
        success_url: format!("{return_to}&result=paid"),
        cancel_url: format!("{return_to}&result=cancelled"),
        metadata: HashMap::from([
            ("taiwa_purchase".to_owned(), purchase_id.clone()),
            ("credits".to_owned(), pack.credits.to_string()),
        ]),
    };
    match stripe.create_checkout(&request).await {
        Ok(link) => {
            billing::mark_open(&mut conn, &purchase_id, &link.session_id).await?;
            tracing::info!(purchase = %purchase_id, pack = pack.pack, "checkout session opened");
            Ok(Json(CheckoutStarted {
                checkout_url: link.url,
                purchase_id,
                credits: pack.credits,
                amount: pack.price_jpy,
                currency: billing::CURRENCY,
            }))
        }
        Err(err) => {
            billing::mark_failed(&mut conn, &purchase_id, time::to_db(time::now())).await?;
            tracing::warn!(purchase = %purchase_id, error = %err, "stripe checkout failed");
            Err(ApiError::new(
                StatusCode::BAD_GATEWAY,
                "payment_provider_unavailable",
                "the payment provider did not answer; nothing was charged, please try again",
            ))
        }
    }
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
    let Some(stripe) = state.payments.clone() else {
        return Err(not_configured());
    };
    let signature = headers
        .get("stripe-signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let event = stripe
        .verify_webhook(&body, signature)
        .map_err(|rejected| match rejected {
            WebhookRejected::BadSignature => {
                ApiError::bad_request("bad_signature", "the Stripe-Signature does not verify")
            }
            WebhookRejected::Stale => ApiError::bad_request(
                "stale_signature",
                "the signature is more than 5 minutes from now",
            ),
            WebhookRejected::BadPayload => {
                ApiError::bad_request("bad_payload", "the body is not a Stripe event")
            }
        })?;
    let now = time::to_db(time::now());
    let mut tx = state.db.begin_write().await?;
    if !billing::record_event(&mut tx, &event.id, &event.kind, "received", now).await? {
        return Ok(Json(WebhookReceipt {
            received: true,
            outcome: "duplicate",
        }));
    }
    let outcome = apply(&mut tx, &event, now).await?;
    sqlx::query("UPDATE booking_stripe_events SET outcome = $2 WHERE event_id = $1")
        .bind(&event.id)
        .bind(outcome)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    tracing::info!(event = %event.id, kind = %event.kind, outcome, "stripe event applied");
    Ok(Json(WebhookReceipt {
        received: true,
        outcome,
    }))
}

async fn apply(
    conn: &mut sqlx::AnyConnection,
    event: &WebhookEvent,
    now: i64,
) -> anyhow::Result<&'static str> {
    let Some(session) = &event.checkout else {
        return Ok("ignored");
    };
    let purchase = match &session.reference {
        Some(reference) => billing::find_purchase(conn, reference).await?,
        None => None,
    };
    let Some(purchase) = purchase else {
        return Ok("unknown_purchase");
    };
    if purchase
        .stripe_session_id
        .as_deref()
        .is_some_and(|id| id != session.session_id)
    {
        return Ok("unknown_purchase");
    }
    Ok(match event.kind.as_str() {
        "checkout.session.completed" | "checkout.session.async_payment_succeeded" => {
            if !session.paid {
                "awaiting_payment"
            } else if !amount_matches(&purchase, session) {
                tracing::warn!(purchase = %purchase.id, "stripe session amount differs from the purchase; not credited");
                "amount_mismatch"
            } else if billing::settle_paid(conn, &purchase, &session.session_id, now).await? {
                "credited"
            } else {
                "already_settled"
            }
        }
        "checkout.session.expired" => {
            if billing::settle_unpaid(conn, &purchase.id, "expired", now).await? {
                "expired"
            } else {
                "already_settled"
            }
        }
        "checkout.session.async_payment_failed" => {
            if billing::settle_unpaid(conn, &purchase.id, "failed", now).await? {
                "payment_failed"
            } else {
                "already_settled"
            }
        }
        _ => "ignored",
    })
}

fn amount_matches(purchase: &Purchase, session: &taiwa_stripe::CheckoutOutcome) -> bool {
    session.amount_total == Some(purchase.amount)
        && session.currency.as_deref() == Some(purchase.currency.as_str())
}

fn not_configured() -> ApiError {
    ApiError::conflict(
        "payments_not_configured",
        "no payment provider is configured here; credits are granted by an operator or HR by hand",
    )
}
