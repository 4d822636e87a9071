//! Taiwa's one Stripe adapter: a Checkout Session for a credit pack, and the
//! signed webhook that says it was paid.
//!
//! It is its own crate because async-stripe's generated types take minutes to
//! compile: they are compiled once, and nothing outside this crate sees them.
//! The API here uses plain types, so editing the booking service never
//! recompiles Stripe. Only the resources used are enabled (`checkout_session`
//! and the webhook crate); the base URL comes from configuration, so tests
//! point the real client at a local Stripe-compatible server.

#[cfg(any(test, feature = "fuzzing"))]
#[doc(hidden)]
pub mod fuzzing;

use std::collections::HashMap;
use std::time::Duration;

use stripe::{Client, ClientBuilder, StripeRequest};
use stripe_checkout::checkout_session::{
    CreateCheckoutSession, CreateCheckoutSessionLineItems, CreateCheckoutSessionLineItemsPriceData,
    ProductData,
};
use stripe_shared::{CheckoutSessionMode, CheckoutSessionPaymentStatus};
use stripe_types::Currency;
use stripe_webhook::{EventObject, Webhook, WebhookError};

/// Stripe's production API, used unless configuration names another.
pub const DEFAULT_API_BASE: &str = "https://api.stripe.com/";

/// How old a webhook signature may be (Stripe's own default, 5 minutes).
pub const SIGNATURE_TOLERANCE_SECS: i64 = 300;

/// A configured Stripe account: the API client and the webhook secret.
#[derive(Clone)]
pub struct Stripe {
    client: Client,
    webhook_secret: String,
}

impl std::fmt::Debug for Stripe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Stripe { .. }")
    }
}

/// One Checkout Session to open: a single line item bought once.
#[derive(Clone, Debug)]
pub struct CheckoutRequest {
    /// Our own id for the purchase; sent as `client_reference_id` and used as
    /// the idempotency key, so a retried request opens one session.
    pub reference: String,
    /// What the buyer sees on Stripe's page.
    pub product_name: String,
    /// The price in the currency's smallest unit (yen have no decimals).
    pub amount: i64,
    /// Lower-case ISO code, e.g. `jpy`.
    pub currency: String,
    /// Where Stripe sends the buyer after paying.
    pub success_url: String,
    /// Where Stripe sends the buyer who gives up.
    pub cancel_url: String,
    /// Extra key/value pairs stored on the session (no personal data).
    pub metadata: HashMap<String, String>,
}

/// An opened Checkout Session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckoutLink {
    /// Stripe's session id (`cs_…`).
    pub session_id: String,
    /// The hosted payment page to redirect the buyer to.
    pub url: String,
}

/// Why Stripe could not be used.
#[derive(Debug, thiserror::Error)]
pub enum PaymentError {
    /// The configuration cannot make a client (e.g. a malformed base URL).
    #[error("stripe is misconfigured: {0}")]
    Config(String),
    /// Stripe answered with an error or could not be reached.
    #[error("stripe request failed: {0}")]
    Request(String),
    /// Stripe answered, but without a payment page.
    #[error("stripe returned a session without a url")]
    NoUrl,
    /// The currency code is not one Stripe knows.
    #[error("unknown currency {0}")]
    Currency(String),
}

/// A webhook whose signature or body did not check out.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum WebhookRejected {
    /// Missing, malformed or wrong signature, or a wrong secret.
    #[error("the Stripe-Signature does not match")]
    BadSignature,
    /// Signed, but more than five minutes from now.
    #[error("the signature is outside the 5-minute tolerance")]
    Stale,
    /// Signed, but not an event Stripe would send.
    #[error("the event cannot be parsed")]
    BadPayload,
}

/// A verified webhook event, reduced to what Taiwa acts on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebhookEvent {
    /// Stripe's event id (`evt_…`): the idempotency key of the delivery.
    pub id: String,
    /// Stripe's event type, e.g. `checkout.session.completed`.
    pub kind: String,
    /// For Checkout Session events: the session as it stands.
    pub checkout: Option<CheckoutOutcome>,
}

/// The Checkout Session a webhook event is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckoutOutcome {
    /// Stripe's session id.
    pub session_id: String,
    /// Our reference, as sent when the session was opened.
    pub reference: Option<String>,
    /// Whether the money has arrived (`payment_status = paid`).
    pub paid: bool,
    /// The total charged, in the currency's smallest unit.
    pub amount_total: Option<i64>,
    /// Lower-case ISO code.
    pub currency: Option<String>,
}

impl Stripe {
    /// A client for `secret_key`, talking to `api_base` (Stripe itself when
    /// `None`), and verifying webhooks with `webhook_secret`.
    pub fn new(
        secret_key: &str,
        webhook_secret: &str,
        api_base: Option<&str>,
    ) -> Result<Self, PaymentError> {
        let mut builder = ClientBuilder::new(secret_key).timeout(Duration::from_secs(20));
        if let Some(base) = api_base {
            let base = if base.ends_with('/') {
                base.to_owned()
            } else {
                format!("{base}/")
            };
            builder = builder.url(base);
        }
        let client = builder
            .build()
            .map_err(|e| PaymentError::Config(e.to_string()))?;
        Ok(Self {
            client,
            webhook_secret: webhook_secret.to_owned(),
        })
    }

    /// Opens a Checkout Session in payment mode for one line item.
    pub async fn create_checkout(
        &self,
        request: &CheckoutRequest,
    ) -> Result<CheckoutLink, PaymentError> {
        let currency: Currency = request
            .currency
            .parse()
            .map_err(|_| PaymentError::Currency(request.currency.clone()))?;
        let mut price = CreateCheckoutSessionLineItemsPriceData::new(currency);
        price.unit_amount = Some(request.amount);
        price.product_data = Some(ProductData::new(request.product_name.clone()));
        let mut item = CreateCheckoutSessionLineItems::new();
        item.price_data = Some(price);
        item.quantity = Some(1);
        let key = stripe::IdempotencyKey::new(&request.reference)
            .map_err(|e| PaymentError::Config(e.to_string()))?;
        let session = CreateCheckoutSession::new()
            .mode(CheckoutSessionMode::Payment)
            .client_reference_id(request.reference.clone())
            .line_items(vec![item])
            .metadata(request.metadata.clone())
            .success_url(request.success_url.clone())
            .cancel_url(request.cancel_url.clone())
            .customize()
            .request_strategy(stripe::RequestStrategy::Idempotent(key))
            .send(&self.client)
            .await
            .map_err(|e| PaymentError::Request(e.to_string()))?;
        Ok(CheckoutLink {
            session_id: session.id.as_str().to_owned(),
            url: session.url.ok_or(PaymentError::NoUrl)?,
        })
    }

    /// Verifies a delivery's `Stripe-Signature` against the raw body (now,
    /// with the 5-minute tolerance) and reads the event.
    pub fn verify_webhook(
        &self,
        payload: &str,
        signature: &str,
    ) -> Result<WebhookEvent, WebhookRejected> {
        verify_webhook(payload, signature, &self.webhook_secret)
    }
}

/// Verifies a webhook against `secret` at the current time.
pub fn verify_webhook(
    payload: &str,
    signature: &str,
    secret: &str,
) -> Result<WebhookEvent, WebhookRejected> {
    match Webhook::construct_event(payload, signature, secret) {
        Ok(event) => Ok(reduce(event)),
        Err(WebhookError::BadTimestamp(_)) => Err(WebhookRejected::Stale),
        Err(WebhookError::BadParse(_)) => unparsed(payload),
        Err(_) => Err(WebhookRejected::BadSignature),
    }
}

/// Event types whose object Taiwa reads.
const CHECKOUT_EVENTS: [&str; 4] = [
    "checkout.session.completed",
    "checkout.session.async_payment_succeeded",
    "checkout.session.async_payment_failed",
    "checkout.session.expired",
];

/// An authentic delivery whose object async-stripe cannot read (another API
/// version's shape, say). If it is an event Taiwa acts on, it is refused so
/// Stripe retries and the failure shows; any other event is acknowledged,
/// since Taiwa would ignore it anyway.
fn unparsed(payload: &str) -> Result<WebhookEvent, WebhookRejected> {
    #[derive(serde::Deserialize)]
    struct Envelope {
        id: String,
        #[serde(rename = "type")]
        kind: String,
    }
    match serde_json::from_str::<Envelope>(payload) {
        Ok(e) if !CHECKOUT_EVENTS.contains(&e.kind.as_str()) => Ok(WebhookEvent {
            id: e.id,
            kind: e.kind,
            checkout: None,
        }),
        _ => Err(WebhookRejected::BadPayload),
    }
}

/// Signs `payload` the way Stripe does (`t=…,v1=HMAC-SHA256(t.payload)`),
/// for tests and local fakes.
pub fn sign(payload: &str, secret: &str, unix_time: i64) -> String {
    Webhook::generate_test_header(payload, secret, Some(unix_time))
}

fn reduce(event: stripe_webhook::Event) -> WebhookEvent {
    let checkout = match &event.data.object {
        EventObject::CheckoutSessionCompleted(s)
        | EventObject::CheckoutSessionAsyncPaymentSucceeded(s)
        | EventObject::CheckoutSessionAsyncPaymentFailed(s)
        | EventObject::CheckoutSessionExpired(s) => Some(CheckoutOutcome {
            session_id: s.id.as_str().to_owned(),
            reference: s.client_reference_id.clone(),
            paid: matches!(s.payment_status, CheckoutSessionPaymentStatus::Paid),
            amount_total: s.amount_total,
            currency: s.currency.as_ref().map(|c| c.to_string()),
        }),
        _ => None,
    };
    WebhookEvent {
        id: event.id.as_str().to_owned(),
        kind: event.type_.as_str().to_owned(),
        checkout,
    }
}

#[cfg(test)]
mod tests;
