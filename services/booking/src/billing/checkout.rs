//! Opening a Stripe Checkout Session for a credit pack: the purchase row is
//! written first (its id is Stripe's reference and idempotency key), then
//! Stripe is asked; a failure marks the row failed and charges nothing.

use std::collections::HashMap;

use axum::http::StatusCode;
use serde::Serialize;
use serde_json::json;
use shared::error::ApiError;
use shared::ids::{OrgId, UserId};
use shared::time;
use taiwa_stripe::CheckoutRequest;
use utoipa::ToSchema;

use super::{PACKS, not_configured};
use crate::BookingState;

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

/// Opens a checkout for `pack_name` bought by `buyer` for `org` (access
/// already decided): 409 without a payment provider, 422 for an unknown
/// pack, 502 when Stripe does not answer.
#[tracing::instrument(name = "booking.checkout", skip_all)]
pub async fn start_checkout(
    state: &BookingState,
    org: OrgId,
    buyer: UserId,
    pack_name: &str,
) -> Result<CheckoutStarted, ApiError> {
    let Some(stripe) = state.payments.clone() else {
        return Err(not_configured());
    };
    let Some(pack) = super::pack(pack_name.trim()) else {
        let names: Vec<&str> = PACKS.iter().map(|p| p.pack).collect();
        return Err(ApiError::unprocessable(
            "unknown_pack",
            format!("choose one of the packs: {}", names.join(", ")),
        )
        .with_details(json!({ "packs": names })));
    };
    let purchase_id = uuid::Uuid::now_v7().to_string();
    let mut conn = state.db.pool().acquire().await?;
    super::insert_purchase(
        &mut conn,
        &purchase_id,
        org,
        &buyer.to_string(),
        &pack,
        time::to_db(time::now()),
    )
    .await?;
    let return_to = format!("{}/hr/credits?purchase={purchase_id}", state.public_url);
    let request = CheckoutRequest {
        reference: purchase_id.clone(),
        product_name: pack.label_ja.to_owned(),
        amount: pack.price_jpy,
        currency: super::CURRENCY.to_owned(),
        success_url: format!("{return_to}&result=paid"),
        cancel_url: format!("{return_to}&result=cancelled"),
        metadata: HashMap::from([
            ("taiwa_purchase".to_owned(), purchase_id.clone()),
            ("credits".to_owned(), pack.credits.to_string()),
        ]),
    };
    match stripe.create_checkout(&request).await {
        Ok(link) => {
            super::mark_open(&mut conn, &purchase_id, &link.session_id).await?;
            tracing::info!(purchase = %purchase_id, pack = pack.pack, "checkout session opened");
            Ok(CheckoutStarted {
                checkout_url: link.url,
                purchase_id,
                credits: pack.credits,
                amount: pack.price_jpy,
                currency: super::CURRENCY,
            })
        }
        Err(err) => {
            super::mark_failed(&mut conn, &purchase_id, time::to_db(time::now())).await?;
            tracing::warn!(purchase = %purchase_id, error = %err, "stripe checkout failed");
            Err(ApiError::new(
                StatusCode::BAD_GATEWAY,
                "payment_provider_unavailable",
                "the payment provider did not answer; nothing was charged, please try again",
            ))
        }
    }
}
