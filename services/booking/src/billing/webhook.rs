//! Settling a purchase from Stripe's webhook: the signature is verified
//! over the raw body (5-minute tolerance), each event id is applied once,
//! and a paid session credits the org of our own purchase row, once.

use shared::error::ApiError;
use shared::time;
use taiwa_stripe::{WebhookEvent, WebhookRejected};

use super::{Purchase, not_configured};
use crate::BookingState;

/// Applies a webhook delivery and returns its outcome: `credited`,
/// `duplicate`, `already_settled`, `awaiting_payment`, `expired`,
/// `payment_failed`, `amount_mismatch`, `unknown_purchase` or `ignored`.
/// 400 for a bad or stale signature or a body that is no event.
#[tracing::instrument(name = "booking.stripe_webhook", skip_all)]
pub async fn settle(
    state: &BookingState,
    body: &str,
    signature: &str,
) -> Result<&'static str, ApiError> {
    let Some(stripe) = state.payments.clone() else {
        return Err(not_configured());
    };
    let event = stripe
        .verify_webhook(body, signature)
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
    if !super::record_event(&mut tx, &event.id, &event.kind, "received", now).await? {
        return Ok("duplicate");
    }
    let outcome = apply(&mut tx, &event, now).await?;
    super::set_event_outcome(&mut tx, &event.id, outcome).await?;
    tx.commit().await?;
    tracing::info!(event = %event.id, kind = %event.kind, outcome, "stripe event applied");
    Ok(outcome)
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
        Some(reference) => super::find_purchase(conn, reference).await?,
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
            } else if super::settle_paid(conn, &purchase, &session.session_id, now).await? {
                "credited"
            } else {
                "already_settled"
            }
        }
        "checkout.session.expired" => {
            if super::settle_unpaid(conn, &purchase.id, "expired", now).await? {
                "expired"
            } else {
                "already_settled"
            }
        }
        "checkout.session.async_payment_failed" => {
            if super::settle_unpaid(conn, &purchase.id, "failed", now).await? {
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
