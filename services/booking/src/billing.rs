//! Credit packs bought through Stripe Checkout: the catalogue, the purchase
//! rows, and settling a paid purchase exactly once.
//!
//! The order of events is what keeps money and credits in step:
//! 1. a purchase row is written (`opening`) before Stripe is called, and its
//!    id is the session's `client_reference_id` and the idempotency key;
//! 2. Stripe's session id is stored (`open`);
//! 3. a verified webhook settles it: in one transaction the Stripe event id is
//!    recorded (a replay stops here), the purchase moves `open → paid` by
//!    compare-and-swap (a second event for the same session stops here), and
//!    the credits are added to the ledger.
//!
//! The credits and the org come from our own row, never from the webhook's
//! metadata; a session whose amount or currency differ from the row is not
//! credited.

use serde::Serialize;
use shared::error::ApiError;
use shared::ids::OrgId;
use sqlx::{AnyConnection, Row};
use utoipa::ToSchema;

use crate::store;

mod checkout;
mod webhook;

pub use checkout::{CheckoutStarted, start_checkout};
pub use webhook::settle;

/// A pack of session credits on sale.
#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
pub struct CreditPack {
    /// What to ask for in `POST …/billing/checkout`.
    pub pack: &'static str,
    /// Sessions it adds.
    pub credits: i64,
    /// Price in yen, tax included.
    pub price_jpy: i64,
    /// Name on Stripe's page and the invoice.
    pub label_ja: &'static str,
    /// The same in English.
    pub label_en: &'static str,
}

/// The packs on sale. Larger packs cost less per session.
pub const PACKS: [CreditPack; 3] = [
    CreditPack {
        pack: "10",
        credits: 10,
        price_jpy: 165_000,
        label_ja: "Taiwa セッション 10 回分",
        label_en: "Taiwa sessions × 10",
    },
    CreditPack {
        pack: "50",
        credits: 50,
        price_jpy: 770_000,
        label_ja: "Taiwa セッション 50 回分",
        label_en: "Taiwa sessions × 50",
    },
    CreditPack {
        pack: "200",
        credits: 200,
        price_jpy: 2_860_000,
        label_ja: "Taiwa セッション 200 回分",
        label_en: "Taiwa sessions × 200",
    },
];

/// The currency packs are sold in.
pub const CURRENCY: &str = "jpy";

/// Looks a pack up by its name.
pub fn pack(name: &str) -> Option<CreditPack> {
    PACKS.iter().copied().find(|p| p.pack == name)
}

/// A purchase as stored.
#[derive(Clone, Debug)]
pub struct Purchase {
    /// Our reference (a UUID).
    pub id: String,
    /// The buying org.
    pub org_id: OrgId,
    /// Credits it adds when paid.
    pub credits: i64,
    /// Price in the currency's smallest unit.
    pub amount: i64,
    /// Lower-case ISO code.
    pub currency: String,
    /// Stripe's session id once opened.
    pub stripe_session_id: Option<String>,
}

/// Writes a purchase about to be opened at Stripe.
pub async fn insert_purchase(
    conn: &mut AnyConnection,
    id: &str,
    org: OrgId,
    requested_by: &str,
    pack: &CreditPack,
    now: i64,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO booking_purchases (id, org_id, requested_by, pack, credits, amount, currency, status, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'opening', $8)",
    )
    .bind(id)
    .bind(org.to_string())
    .bind(requested_by)
    .bind(pack.pack)
    .bind(pack.credits)
    .bind(pack.price_jpy)
    .bind(CURRENCY)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Records Stripe's session id and marks the purchase open.
pub async fn mark_open(conn: &mut AnyConnection, id: &str, session_id: &str) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE booking_purchases SET status = 'open', stripe_session_id = $2 WHERE id = $1 AND status = 'opening'",
    )
    .bind(id)
    .bind(session_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Marks a purchase whose session could not be opened.
pub async fn mark_failed(conn: &mut AnyConnection, id: &str, now: i64) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE booking_purchases SET status = 'failed', settled_at = $2 WHERE id = $1 AND status = 'opening'",
    )
    .bind(id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// A purchase by our reference.
pub async fn find_purchase(conn: &mut AnyConnection, id: &str) -> anyhow::Result<Option<Purchase>> {
    let row = sqlx::query(
        "SELECT id, org_id, credits, amount, currency, stripe_session_id FROM booking_purchases WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?;
    row.map(|r| {
        Ok(Purchase {
            id: r.try_get("id")?,
            org_id: r.try_get::<String, _>("org_id")?.parse()?,
            credits: r.try_get("credits")?,
            amount: r.try_get("amount")?,
            currency: r.try_get("currency")?,
            stripe_session_id: r.try_get("stripe_session_id")?,
        })
    })
    .transpose()
}

/// Records a Stripe event id; `false` if it was applied before.
pub async fn record_event(
    conn: &mut AnyConnection,
    event_id: &str,
    kind: &str,
    outcome: &str,
    now: i64,
) -> anyhow::Result<bool> {
    let done = sqlx::query(
        "INSERT INTO booking_stripe_events (event_id, kind, outcome, received_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (event_id) DO NOTHING",
    )
    .bind(event_id)
    .bind(kind)
    .bind(outcome)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Moves a purchase to `paid` and adds its credits; `false` if it was settled
/// before. A purchase still `opening` (Stripe answered but the session id was
/// not stored yet) is settled too, and takes the session id.
pub async fn settle_paid(
    conn: &mut AnyConnection,
    purchase: &Purchase,
    session_id: &str,
    now: i64,
) -> anyhow::Result<bool> {
    let done = sqlx::query(
        "UPDATE booking_purchases SET status = 'paid', stripe_session_id = $2, settled_at = $3 \
         WHERE id = $1 AND status IN ('opening', 'open')",
    )
    .bind(&purchase.id)
    .bind(session_id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    store::add_credits(
        conn,
        purchase.org_id,
        purchase.credits,
        "purchase",
        Some(&purchase.id),
        now,
    )
    .await?;
    Ok(true)
}

/// Closes an unpaid purchase as `expired` or `failed`; `false` if it was
/// settled before.
pub async fn settle_unpaid(
    conn: &mut AnyConnection,
    id: &str,
    status: &'static str,
    now: i64,
) -> anyhow::Result<bool> {
    let done = sqlx::query(
        "UPDATE booking_purchases SET status = $2, settled_at = $3 WHERE id = $1 AND status IN ('opening', 'open')",
    )
    .bind(id)
    .bind(status)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records what a webhook event did (after it was applied).
pub async fn set_event_outcome(
    conn: &mut AnyConnection,
    event_id: &str,
    outcome: &str,
) -> anyhow::Result<()> {
    sqlx::query("UPDATE booking_stripe_events SET outcome = $2 WHERE event_id = $1")
        .bind(event_id)
        .bind(outcome)
        .execute(conn)
        .await?;
    Ok(())
}

/// 409: no payment provider is configured here.
pub(crate) fn not_configured() -> ApiError {
    ApiError::conflict(
        "payments_not_configured",
        "no payment provider is configured here; credits are granted by an operator or HR by hand",
    )
}

#[cfg(test)]
mod tests;
