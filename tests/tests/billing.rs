//! Buying credit packs through Stripe Checkout: Taiwa's real async-stripe
//! client against a Stripe-compatible server on a loopback port, and webhooks
//! signed with Stripe's real scheme. Replays credit once, bad signatures are
//! 400 and change nothing, only HR of the org can buy.

use reqwest::StatusCode;
use secrecy::SecretString;
use serde_json::{Value, json};
use shared::config::StripeConfig;
use taiwa_tests::stripe_fake::{FakeStripe, STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET, wrap_event};
use taiwa_tests::{Backend, TestApp, on_both_backends};

on_both_backends!(
    hr_buys_a_pack_and_the_signed_webhook_credits_it_once,
    bad_signatures_are_refused_and_change_nothing,
    concurrent_replays_of_one_event_credit_once,
    unpaid_expired_mismatched_and_unknown_sessions_add_nothing,
    only_hr_of_the_org_buys_and_stripe_outages_charge_nothing,
    without_stripe_credits_are_granted_by_hand,
);

async fn with_stripe(backend: Backend, stripe: &FakeStripe) -> TestApp {
    let base = stripe.url.clone();
    TestApp::spawn_with(backend, move |config| {
        config.stripe = Some(StripeConfig {
            secret_key: SecretString::from(STRIPE_SECRET_KEY),
            webhook_secret: SecretString::from(STRIPE_WEBHOOK_SECRET),
            api_base: Some(base),
        });
    })
    .await
}

async fn balance(app: &TestApp, hr: &str) -> i64 {
    let (status, body) = app
        .get(
            &format!("/api/v1/orgs/{}/credits", app.fixtures.org_a),
            Some(hr),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["balance"].as_i64().expect("a balance")
}

async fn checkout(app: &TestApp, token: &str, pack: &str) -> (StatusCode, Value) {
    app.post(
        &format!("/api/v1/orgs/{}/billing/checkout", app.fixtures.org_a),
        Some(token),
        json!({ "pack": pack }),
    )
    .await
}

/// Delivers a webhook as Stripe does: the raw body and its signature header.
async fn deliver(app: &TestApp, payload: &str, signature: Option<&str>) -> (StatusCode, Value) {
    let mut request = app
        .http
        .post(format!("{}/api/v1/webhooks/stripe", app.base))
        .header("content-type", "application/json")
        .body(payload.to_owned());
    if let Some(signature) = signature {
        request = request.header("Stripe-Signature", signature);
    }
    let response = request.send().await.expect("webhook request");
    let status = response.status();
    let text = response.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn deliver_signed(app: &TestApp, event: &Value) -> (StatusCode, Value) {
    let payload = event.to_string();
    deliver(app, &payload, Some(&FakeStripe::sign(&payload, 0))).await
}

async fn hr_buys_a_pack_and_the_signed_webhook_credits_it_once(backend: Backend) {
    let stripe = FakeStripe::start().await;
    let app = with_stripe(backend, &stripe).await;
    let hr = app.token(&app.fixtures.hr_a).await;
    assert_eq!(balance(&app, &hr).await, 0);

    let (status, packs) = app.get("/api/v1/billing/packs", Some(&hr)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(packs["payments_enabled"], true);
    assert_eq!(packs["packs"][0]["pack"], "10");

    let (status, started) = checkout(&app, &hr, "10").await;
    assert_eq!(status, StatusCode::OK, "{started}");
    let url = started["checkout_url"].as_str().expect("checkout_url");
    assert!(url.starts_with(&stripe.url), "{url}");
    let purchase = started["purchase_id"].as_str().expect("purchase id");
    assert_eq!(started["credits"], 10);

    // What reached Stripe: the secret key, our reference as the idempotency
    // key and client_reference_id, a yen line item, no personal data.
    let requests = stripe.requests();
    assert_eq!(requests.len(), 1);
    let sent = &requests[0];
    assert_eq!(
        sent.authorization.as_deref(),
        Some(format!("Bearer {STRIPE_SECRET_KEY}").as_str())
    );
    assert_eq!(sent.idempotency_key.as_deref(), Some(purchase));
    assert_eq!(sent.param("client_reference_id"), Some(purchase));
    assert_eq!(sent.param("mode"), Some("payment"));
    assert_eq!(
        sent.param("line_items[0][price_data][currency]"),
        Some("jpy")
    );
    assert_eq!(
        sent.param("line_items[0][price_data][unit_amount]"),
        Some("165000")
    );
    assert!(
        sent.form
            .iter()
            .all(|(_, v)| !v.contains(&app.fixtures.hr_a.email)),
        "no email sent to Stripe"
    );
    // Not paid yet: no credits.
    assert_eq!(balance(&app, &hr).await, 0);

    let session = stripe.session_id_of(url);
    let completed = stripe.event(&session, "checkout.session.completed");
    let (status, receipt) = deliver_signed(&app, &completed).await;
    assert_eq!(status, StatusCode::OK, "{receipt}");
    assert_eq!(receipt["outcome"], "credited");
    assert_eq!(balance(&app, &hr).await, 10);

    // Stripe redelivers the same event: acknowledged, not credited again.
    let (status, receipt) = deliver_signed(&app, &completed).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(receipt["outcome"], "duplicate");
    // Another event about the same paid session: not credited again either.
    let succeeded = stripe.event(&session, "checkout.session.async_payment_succeeded");
    let (status, receipt) = deliver_signed(&app, &succeeded).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(receipt["outcome"], "already_settled");
    assert_eq!(balance(&app, &hr).await, 10);

    // The credits book sessions like granted ones.
    let (status, _) = checkout(&app, &hr, "50").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        stripe.requests().len(),
        2,
        "a new purchase opens a new session"
    );
}

async fn bad_signatures_are_refused_and_change_nothing(backend: Backend) {
    let stripe = FakeStripe::start().await;
    let app = with_stripe(backend, &stripe).await;
    let hr = app.token(&app.fixtures.hr_a).await;
    let (_, started) = checkout(&app, &hr, "10").await;
    let session = stripe.session_id_of(started["checkout_url"].as_str().expect("url"));
    let payload = stripe
        .event(&session, "checkout.session.completed")
        .to_string();
    let now = chrono::Utc::now().timestamp();

    let cases: Vec<(&str, String, Option<String>, &str)> = vec![
        ("no header", payload.clone(), None, "bad_signature"),
        (
            "another secret",
            payload.clone(),
            Some(taiwa_stripe::sign(&payload, "whsec_someone_else", now)),
            "bad_signature",
        ),
        (
            "tampered body",
            payload.replace("\"paid\"", "\"paid\" "),
            Some(FakeStripe::sign(&payload, 0)),
            "bad_signature",
        ),
        (
            "garbage header",
            payload.clone(),
            Some("t=abc,v1=zz".to_owned()),
            "bad_signature",
        ),
        (
            "six minutes old",
            payload.clone(),
            Some(FakeStripe::sign(&payload, 360)),
            "stale_signature",
        ),
        (
            "six minutes ahead",
            payload.clone(),
            Some(FakeStripe::sign(&payload, -360)),
            "stale_signature",
        ),
    ];
    for (what, body, signature, code) in cases {
        let (status, error) = deliver(&app, &body, signature.as_deref()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{what}: {error}");
        assert_eq!(error["error"]["code"], code, "{what}");
    }
    assert_eq!(balance(&app, &hr).await, 0, "nothing credited");

    // Four minutes old is inside the tolerance, and the event still applies
    // (the refused deliveries did not mark it seen).
    let (status, receipt) = deliver(&app, &payload, Some(&FakeStripe::sign(&payload, 240))).await;
    assert_eq!(status, StatusCode::OK, "{receipt}");
    assert_eq!(receipt["outcome"], "credited");
    assert_eq!(balance(&app, &hr).await, 10);
}

async fn concurrent_replays_of_one_event_credit_once(backend: Backend) {
    let stripe = FakeStripe::start().await;
    let app = with_stripe(backend, &stripe).await;
    let hr = app.token(&app.fixtures.hr_a).await;
    let (_, started) = checkout(&app, &hr, "50").await;
    let session = stripe.session_id_of(started["checkout_url"].as_str().expect("url"));
    let payload = stripe
        .event(&session, "checkout.session.completed")
        .to_string();
    let signature = FakeStripe::sign(&payload, 0);
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..20 {
        let (http, url) = (
            app.http.clone(),
            format!("{}/api/v1/webhooks/stripe", app.base),
        );
        let (payload, signature) = (payload.clone(), signature.clone());
        set.spawn(async move {
            let response = http
                .post(url)
                .header("Stripe-Signature", signature)
                .body(payload)
                .send()
                .await
                .expect("webhook request");
            let status = response.status();
            (
                status,
                response.json::<Value>().await.unwrap_or(Value::Null),
            )
        });
    }
    let outcomes: Vec<(StatusCode, Value)> = set.join_all().await;
    let credited = outcomes
        .iter()
        .filter(|(s, r)| *s == StatusCode::OK && r["outcome"] == "credited")
        .count();
    assert!(
        outcomes.iter().all(|(s, _)| *s == StatusCode::OK),
        "{outcomes:?}"
    );
    assert_eq!(credited, 1, "{outcomes:?}");
    assert_eq!(balance(&app, &hr).await, 50);
}

async fn unpaid_expired_mismatched_and_unknown_sessions_add_nothing(backend: Backend) {
    let stripe = FakeStripe::start().await;
    let app = with_stripe(backend, &stripe).await;
    let hr = app.token(&app.fixtures.hr_a).await;
    let open = |pack: &'static str| {
        let app = &app;
        let hr = hr.clone();
        async move {
            let (_, started) = checkout(app, &hr, pack).await;
            started["checkout_url"].as_str().expect("url").to_owned()
        }
    };

    // Completed but the money has not arrived (a bank transfer, say).
    let session = stripe.session_id_of(&open("10").await);
    let mut pending = stripe.event(&session, "checkout.session.completed");
    pending["data"]["object"]["payment_status"] = json!("unpaid");
    let (_, receipt) = deliver_signed(&app, &pending).await;
    assert_eq!(receipt["outcome"], "awaiting_payment");
    // It fails later: closed, nothing credited, and a late success cannot reopen it.
    let failed = stripe.event(&session, "checkout.session.async_payment_failed");
    let (_, receipt) = deliver_signed(&app, &failed).await;
    assert_eq!(receipt["outcome"], "payment_failed");
    let late = stripe.event(&session, "checkout.session.async_payment_succeeded");
    let (_, receipt) = deliver_signed(&app, &late).await;
    assert_eq!(receipt["outcome"], "already_settled");

    // Abandoned: the session expires.
    let session = stripe.session_id_of(&open("10").await);
    let expired = stripe.event(&session, "checkout.session.expired");
    let (_, receipt) = deliver_signed(&app, &expired).await;
    assert_eq!(receipt["outcome"], "expired");

    // A session whose amount differs from what we priced is not credited.
    let session = stripe.session_id_of(&open("200").await);
    let mut cheap = stripe.event(&session, "checkout.session.completed");
    cheap["data"]["object"]["amount_total"] = json!(1);
    let (_, receipt) = deliver_signed(&app, &cheap).await;
    assert_eq!(receipt["outcome"], "amount_mismatch");

    // A paid session Taiwa never opened (another integration on the account).
    let mut foreign = stripe.event(&session, "checkout.session.completed");
    foreign["data"]["object"]["client_reference_id"] = json!(uuid::Uuid::new_v4().to_string());
    foreign["data"]["object"]["id"] = json!("cs_test_elsewhere");
    let (_, receipt) = deliver_signed(&app, &foreign).await;
    assert_eq!(receipt["outcome"], "unknown_purchase");

    // Events Taiwa does not act on are acknowledged.
    let other = wrap_event(
        "payment_intent.created",
        json!({"object": "payment_intent", "id": "pi_1"}),
    );
    let (status, receipt) = deliver_signed(&app, &other).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(receipt["outcome"], "ignored");

    assert_eq!(balance(&app, &hr).await, 0);
}

async fn only_hr_of_the_org_buys_and_stripe_outages_charge_nothing(backend: Backend) {
    let stripe = FakeStripe::start().await;
    let app = with_stripe(backend, &stripe).await;
    let f = app.fixtures.clone();
    let hr = app.token(&f.hr_a).await;
    for (who, account, expected) in [
        ("employee", &f.employee_a, StatusCode::FORBIDDEN),
        ("consultant", &f.consultant, StatusCode::FORBIDDEN),
        ("operator", &f.operator, StatusCode::FORBIDDEN),
        ("HR of another org", &f.hr_b, StatusCode::NOT_FOUND),
    ] {
        let token = app.token(account).await;
        let (status, body) = checkout(&app, &token, "10").await;
        assert_eq!(status, expected, "{who}: {body}");
    }
    let (status, _) = app
        .post(
            &format!("/api/v1/orgs/{}/billing/checkout", f.org_a),
            None,
            json!({"pack": "10"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, body) = checkout(&app, &hr, "7").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["code"], "unknown_pack");
    assert_eq!(
        stripe.requests().len(),
        0,
        "refused requests never reach Stripe"
    );

    // Stripe is down: a clear 502, nothing charged, and the next try works.
    stripe.fail_next(1);
    let (status, body) = checkout(&app, &hr, "10").await;
    assert_eq!(status, StatusCode::BAD_GATEWAY, "{body}");
    assert_eq!(body["error"]["code"], "payment_provider_unavailable");
    let (status, _) = checkout(&app, &hr, "10").await;
    assert_eq!(status, StatusCode::OK);

    // HR buys rather than grants here; operators can still grant by hand.
    let (status, body) = app
        .post(
            &format!("/api/v1/orgs/{}/credits/grants", f.org_a),
            Some(&hr),
            json!({"amount": 5}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["error"]["code"], "buy_credits_instead");
    let operator = app.token(&f.operator).await;
    let (status, body) = app
        .post(
            &format!("/api/v1/orgs/{}/credits/grants", f.org_a),
            Some(&operator),
            json!({"amount": 5, "note": "goodwill"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(balance(&app, &hr).await, 5);
}

async fn without_stripe_credits_are_granted_by_hand(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let hr = app.token(&app.fixtures.hr_a).await;
    let (status, packs) = app.get("/api/v1/billing/packs", Some(&hr)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(packs["payments_enabled"], false);
    let (status, body) = checkout(&app, &hr, "10").await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["error"]["code"], "payments_not_configured");
    let event = wrap_event("checkout.session.completed", json!({}));
    let (status, body) = deliver_signed(&app, &event).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let (status, _) = app
        .post(
            &format!("/api/v1/orgs/{}/credits/grants", app.fixtures.org_a),
            Some(&hr),
            json!({"amount": 3}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(balance(&app, &hr).await, 3);
}
