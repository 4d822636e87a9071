//! A small Stripe-compatible server on a loopback port, for tests that run
//! Taiwa's real async-stripe client (no test touches the live API).
//!
//! It answers the one endpoint Taiwa calls, `POST /v1/checkout/sessions`, in
//! Stripe's wire format: bearer-key authentication, form-encoded parameters
//! with bracketed keys, `Idempotency-Key` replay (the same key returns the
//! same session), Stripe's error body on bad requests. Nothing real exists
//! here that could stand in: `localstripe` has no Checkout Sessions and the
//! official `stripe-mock` cannot be installed from the registries we reach.
//!
//! It also plays Stripe's side of the webhook: [`FakeStripe::event`] builds
//! the event Stripe would send for a session, and [`FakeStripe::sign`] signs it
//! with Stripe's real scheme (`t=…,v1=HMAC-SHA256`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Value, json};
use tokio::task::JoinHandle;

/// The secret key the fake accepts.
pub const STRIPE_SECRET_KEY: &str = "sk_test_taiwa_fake_0123456789";
/// The webhook signing secret shared with Taiwa in tests.
pub const STRIPE_WEBHOOK_SECRET: &str = "whsec_taiwa_fake_0123456789";

/// One request the fake received.
#[derive(Clone, Debug)]
pub struct RecordedRequest {
    /// The `Authorization` header.
    pub authorization: Option<String>,
    /// The `Idempotency-Key` header.
    pub idempotency_key: Option<String>,
    /// The decoded form parameters, in order.
    pub form: Vec<(String, String)>,
}

impl RecordedRequest {
    /// The first value of a form parameter.
    pub fn param(&self, key: &str) -> Option<&str> {
        self.form
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
struct Ledger {
    sessions: HashMap<String, Value>,
    idempotent: HashMap<String, String>,
    requests: Vec<RecordedRequest>,
    failures_to_serve: usize,
}

/// A running fake; stops when dropped.
pub struct FakeStripe {
    /// `http://127.0.0.1:<port>/` — give it to Taiwa as the API base.
    pub url: String,
    ledger: Arc<Mutex<Ledger>>,
    server: JoinHandle<()>,
}

impl Drop for FakeStripe {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl FakeStripe {
    /// Starts the fake on a free loopback port.
    pub async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the fake Stripe");
        let url = format!("http://{}/", listener.local_addr().expect("addr"));
        let ledger = Arc::new(Mutex::new(Ledger::default()));
        let app = Router::new()
            .route("/v1/checkout/sessions", post(create_session))
            .with_state((Arc::clone(&ledger), url.clone()));
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self {
            url,
            ledger,
            server,
        }
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.ledger.lock().expect("ledger").requests.clone()
    }

    /// A session as Stripe holds it.
    pub fn session(&self, id: &str) -> Value {
        self.ledger.lock().expect("ledger").sessions[id].clone()
    }

    /// The id of the session opened for `checkout_url`.
    pub fn session_id_of(&self, checkout_url: &str) -> String {
        checkout_url
            .rsplit('/')
            .next()
            .expect("a session id in the url")
            .to_owned()
    }

    /// Makes the next `n` requests fail as Stripe does when it is down (500
    /// with an `api_error` body).
    pub fn fail_next(&self, n: usize) {
        self.ledger.lock().expect("ledger").failures_to_serve = n;
    }

    /// The event Stripe would send about a session. `completed` and
    /// `async_payment_succeeded` mark it paid.
    pub fn event(&self, session_id: &str, kind: &str) -> Value {
        let mut session = self.session(session_id);
        if matches!(
            kind,
            "checkout.session.completed" | "checkout.session.async_payment_succeeded"
        ) {
            session["payment_status"] = json!("paid");
            session["status"] = json!("complete");
        }
        if kind == "checkout.session.expired" {
            session["status"] = json!("expired");
        }
        wrap_event(kind, session)
    }

    /// Signs a payload as Stripe does, `age_secs` seconds ago.
    pub fn sign(payload: &str, age_secs: i64) -> String {
        taiwa_stripe::sign(
            payload,
            STRIPE_WEBHOOK_SECRET,
            chrono::Utc::now().timestamp() - age_secs,
        )
    }
}

/// Wraps an object in Stripe's event envelope with a fresh event id.
pub fn wrap_event(kind: &str, object: Value) -> Value {
    json!({
        "id": format!("evt_{}", uuid::Uuid::new_v4().simple()),
        "object": "event",
        "api_version": "2025-11-17.clover",
        "created": chrono::Utc::now().timestamp(),
        "livemode": false,
        "pending_webhooks": 1,
        "request": {"id": null, "idempotency_key": null},
        "type": kind,
        "data": {"object": object},
    })
}

fn stripe_error(status: StatusCode, kind: &str, message: &str) -> Response {
    (
        status,
        axum::Json(json!({"error": {"type": kind, "message": message}})),
    )
        .into_response()
}

async fn create_session(
    State((ledger, base)): State<(Arc<Mutex<Ledger>>, String)>,
    headers: HeaderMap,
    body: String,
) -> Response {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let form: Vec<(String, String)> = match serde_urlencoded::from_str(&body) {
        Ok(form) => form,
        Err(_) => {
            return stripe_error(
                StatusCode::BAD_REQUEST,
                "invalid_request_error",
                "malformed body",
            );
        }
    };
    let request = RecordedRequest {
        authorization: header("authorization"),
        idempotency_key: header("idempotency-key"),
        form,
    };
    let mut ledger = ledger.lock().expect("ledger");
    ledger.requests.push(request.clone());
    if ledger.failures_to_serve > 0 {
        ledger.failures_to_serve -= 1;
        return stripe_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "api_error",
            "temporarily unavailable",
        );
    }
    if request.authorization.as_deref() != Some(&format!("Bearer {STRIPE_SECRET_KEY}")) {
        return stripe_error(
            StatusCode::UNAUTHORIZED,
            "invalid_request_error",
            "Invalid API Key provided",
        );
    }
    if let Some(key) = &request.idempotency_key
        && let Some(id) = ledger.idempotent.get(key)
    {
        return axum::Json(ledger.sessions[id].clone()).into_response();
    }
    let amount = request
        .param("line_items[0][price_data][unit_amount]")
        .and_then(|a| a.parse::<i64>().ok());
    let quantity = request
        .param("line_items[0][quantity]")
        .and_then(|q| q.parse::<i64>().ok());
    let (Some(amount), Some(quantity), Some("payment"), Some(currency), Some(success_url)) = (
        amount,
        quantity,
        request.param("mode"),
        request.param("line_items[0][price_data][currency]"),
        request.param("success_url"),
    ) else {
        return stripe_error(
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            "missing line item, mode or success_url",
        );
    };
    let metadata: serde_json::Map<String, Value> = request
        .form
        .iter()
        .filter_map(|(k, v)| {
            let key = k.strip_prefix("metadata[")?.strip_suffix(']')?;
            Some((key.to_owned(), json!(v)))
        })
        .collect();
    let id = format!("cs_test_{}", uuid::Uuid::new_v4().simple());
    let now = chrono::Utc::now().timestamp();
    let session = json!({
        "id": id,
        "object": "checkout.session",
        "amount_subtotal": amount * quantity,
        "amount_total": amount * quantity,
        "automatic_tax": {"enabled": false, "liability": null, "status": null},
        "cancel_url": request.param("cancel_url"),
        "client_reference_id": request.param("client_reference_id"),
        "created": now,
        "currency": currency,
        "custom_fields": [],
        "custom_text": {"after_submit": null, "shipping_address": null, "submit": null, "terms_of_service_acceptance": null},
        "expires_at": now + 24 * 3600,
        "livemode": false,
        "metadata": metadata,
        "mode": "payment",
        "payment_method_types": ["card"],
        "payment_status": "unpaid",
        "shipping_options": [],
        "status": "open",
        "success_url": success_url,
        "url": format!("{base}pay/{id}"),
    });
    ledger.sessions.insert(id.clone(), session.clone());
    if let Some(key) = request.idempotency_key {
        ledger.idempotent.insert(key, id);
    }
    axum::Json(session).into_response()
}
