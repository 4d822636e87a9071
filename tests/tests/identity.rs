//! Identity over HTTP: login, `/me`, forged tokens, refresh rotation, logout,
//! throttling. Every test runs on SQLite and on PostgreSQL.

use std::time::{Duration, Instant};

use base64::Engine;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::StatusCode;
use serde_json::{Value, json};
use taiwa_tests::{Backend, FIXTURE_PASSWORD, TEST_JWT_SECRET, TestApp, on_both_backends};

on_both_backends!(
    every_role_logs_in_and_sees_itself,
    wrong_password_and_unknown_email_look_the_same,
    forged_tokens_are_rejected,
    refresh_tokens_rotate_and_reuse_revokes_the_login,
    logout_revokes_the_refresh_token,
    failed_logins_are_throttled_per_account,
    failed_logins_are_throttled_per_address,
    behind_a_trusted_proxy_the_forwarded_client_is_throttled,
    throttle_records_are_kept_at_most_30_days,
    logins_end_after_30_idle_minutes_and_12_hours_in_all,
);

async fn every_role_logs_in_and_sees_itself(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixtures.clone();
    for (account, role, org) in [
        (&f.employee_a, "employee", Some(f.org_a)),
        (&f.consultant, "consultant", None),
        (&f.hr_b, "hr", Some(f.org_b)),
        (&f.operator, "operator", None),
    ] {
        let mut body = json!({"email": account.email, "password": FIXTURE_PASSWORD});
        if let Some(code) = account.totp_code() {
            body["totp"] = json!(code); // operators sign in with a second factor
        }
        let (status, login) = app.post("/api/v1/auth/login", None, body).await;
        assert_eq!(status, StatusCode::OK, "{login}");
        assert_eq!(login["token_type"], "Bearer");
        assert_eq!(login["role"], role);
        let expires_in = login["expires_in"].as_u64().expect("expires_in");
        assert!(
            expires_in > 0 && expires_in <= 900,
            "access tokens live at most 15 minutes: {expires_in}"
        );
        let token = login["access_token"].as_str().expect("token");
        let (status, me) = app.get("/api/v1/me", Some(token)).await;
        assert_eq!(status, StatusCode::OK, "{me}");
        assert_eq!(me["id"], account.id.to_string());
        assert_eq!(me["email"], account.email);
        assert_eq!(me["role"], role);
        assert_eq!(
            me["org_id"],
            org.map_or(Value::Null, |o| json!(o.to_string()))
        );
    }
    // Emails are case-insensitive.
    let (status, _) = app
        .login_response("  HR@A.Example.com ", FIXTURE_PASSWORD)
        .await;
    assert_eq!(status, StatusCode::OK);
    app.stop().await;
}

async fn wrong_password_and_unknown_email_look_the_same(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let known = app.fixtures.employee_a.email.clone();
    let mut timings = (Vec::new(), Vec::new());
    let mut bodies = Vec::new();
    for _ in 0..4 {
        let started = Instant::now();
        let (status, body) = app.login_response(&known, "wrong-password-123").await;
        timings.0.push(started.elapsed());
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        bodies.push(body);
        let started = Instant::now();
        let (status, body) = app
            .login_response("nobody@a.example.com", "wrong-password-123")
            .await;
        timings.1.push(started.elapsed());
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        bodies.push(body);
    }
    assert!(
        bodies.windows(2).all(|w| w[0] == w[1]),
        "answers differ: {bodies:?}"
    );
    assert_eq!(bodies[0]["error"]["code"], "unauthorized");
    // Both paths run argon2, so their times are of one order (a missing
    // verification would make the unknown-email path ~100x faster).
    let median = |v: &mut Vec<Duration>| {
        v.sort();
        v[v.len() / 2].as_secs_f64()
    };
    let ratio = median(&mut timings.0) / median(&mut timings.1);
    assert!(
        (0.2..5.0).contains(&ratio),
        "wrong password vs unknown email time ratio {ratio:.2}"
    );
    app.stop().await;
}

fn b64(value: &Value) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(serde_json::to_vec(value).expect("json"))
}

fn sign(header: Header, claims: &Value, key: &str) -> String {
    jsonwebtoken::encode(&header, claims, &EncodingKey::from_secret(key.as_bytes())).expect("sign")
}

async fn forged_tokens_are_rejected(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.fixtures.operator.id.to_string();
    let now = chrono::Utc::now().timestamp();
    let claims = |overrides: Value| {
        let mut c = json!({
            "sub": user, "role": "operator", "iss": "taiwa", "aud": "taiwa-api",
            "iat": now, "exp": now + 600, "jti": "x", "typ": "access"
        });
        for (k, v) in overrides.as_object().expect("object") {
            c[k] = v.clone();
        }
        c
    };
    let header = || {
        let mut h = Header::new(Algorithm::HS256);
        h.typ = Some("at+jwt".to_owned());
        h
    };
    // A correctly made token works: the cases below fail for their one flaw.
    let good = sign(header(), &claims(json!({})), TEST_JWT_SECRET);
    assert_eq!(app.get("/api/v1/me", Some(&good)).await.0, StatusCode::OK);

    let alg_none = format!(
        "{}.{}.",
        b64(&json!({"alg": "none", "typ": "at+jwt"})),
        b64(&claims(json!({})))
    );
    let wrong_key = sign(
        header(),
        &claims(json!({})),
        "another-key-that-is-also-long-enough-0123456789",
    );
    let expired = sign(
        header(),
        &claims(json!({"iat": now - 4000, "exp": now - 3000})),
        TEST_JWT_SECRET,
    );
    let wrong_aud = sign(
        header(),
        &claims(json!({"aud": "someone-else"})),
        TEST_JWT_SECRET,
    );
    let wrong_iss = sign(header(), &claims(json!({"iss": "evil"})), TEST_JWT_SECRET);
    let wrong_typ = sign(
        header(),
        &claims(json!({"typ": "refresh"})),
        TEST_JWT_SECRET,
    );
    let tampered = {
        let parts: Vec<&str> = good.split('.').collect();
        let elevated = b64(&claims(
            json!({"sub": app.fixtures.hr_a.id.to_string(), "role": "hr"}),
        ));
        format!("{}.{}.{}", parts[0], elevated, parts[2])
    };
    let missing_exp = {
        let mut c = claims(json!({}));
        c.as_object_mut().expect("object").remove("exp");
        sign(header(), &c, TEST_JWT_SECRET)
    };
    let cases = [
        ("alg none", alg_none),
        ("wrong key", wrong_key),
        ("expired", expired),
        ("wrong aud", wrong_aud),
        ("wrong iss", wrong_iss),
        ("wrong typ", wrong_typ),
        ("tampered payload", tampered),
        ("missing exp", missing_exp),
        ("garbage", "not.a.jwt".to_owned()),
    ];
    for (name, token) in cases {
        let (status, body) = app.get("/api/v1/me", Some(&token)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{name}: {body}");
        assert_eq!(body["error"]["code"], "unauthorized", "{name}");
    }
    let (status, _) = app.get("/api/v1/me", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    app.stop().await;
}

async fn refresh_tokens_rotate_and_reuse_revokes_the_login(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, login) = app
        .login_response(&app.fixtures.hr_a.email, FIXTURE_PASSWORD)
        .await;
    let first = login["refresh_token"].as_str().expect("refresh").to_owned();

    let (status, rotated) = app
        .post(
            "/api/v1/auth/refresh",
            None,
            json!({"refresh_token": first}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{rotated}");
    let second = rotated["refresh_token"]
        .as_str()
        .expect("refresh")
        .to_owned();
    assert_ne!(first, second);
    let access = rotated["access_token"].as_str().expect("access");
    assert_eq!(app.get("/api/v1/me", Some(access)).await.0, StatusCode::OK);

    // The first token was used: presenting it again is theft, and revokes the
    // whole login, including the second token.
    let (status, _) = app
        .post(
            "/api/v1/auth/refresh",
            None,
            json!({"refresh_token": first}),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = app
        .post(
            "/api/v1/auth/refresh",
            None,
            json!({"refresh_token": second}),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // Another login is unaffected.
    let (_, other) = app
        .login_response(&app.fixtures.hr_a.email, FIXTURE_PASSWORD)
        .await;
    let (status, _) = app
        .post(
            "/api/v1/auth/refresh",
            None,
            json!({"refresh_token": other["refresh_token"]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = app
        .post(
            "/api/v1/auth/refresh",
            None,
            json!({"refresh_token": "made-up"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    app.stop().await;
}

async fn logout_revokes_the_refresh_token(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, login) = app
        .login_response(&app.fixtures.employee_b.email, FIXTURE_PASSWORD)
        .await;
    let refresh = login["refresh_token"].clone();
    let (status, _) = app
        .post(
            "/api/v1/auth/logout",
            None,
            json!({"refresh_token": refresh}),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = app
        .post(
            "/api/v1/auth/refresh",
            None,
            json!({"refresh_token": refresh}),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // Logging out twice, or with an unknown token, reveals nothing.
    let (status, _) = app
        .post(
            "/api/v1/auth/logout",
            None,
            json!({"refresh_token": "made-up"}),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    app.stop().await;
}

/// Failures on one account from anywhere slow that account down with
/// growing delays, but never lock it for long: a minute at most after the
/// latest failure, so a stranger cannot keep its owner out for an hour.
async fn failed_logins_are_throttled_per_account(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let email = app.fixtures.employee_a.email.clone();
    // 99 failures of the last hour recorded directly (each real one costs
    // an argon2 run), the latest 61 s ago, then the 100th through the API.
    let key = taiwa_identity::throttle::account_key(&app.throttle_key, &email);
    let now = shared::time::to_db(shared::time::now());
    for i in 0..99 {
        sqlx::query("INSERT INTO identity_login_failures (account_key, failed_at) VALUES ($1, $2)")
            .bind(&key)
            .bind(now - 61_000 - i * 1000)
            .execute(app.db.pool())
            .await
            .expect("insert failure");
    }
    let (status, _) = app.login_response(&email, "wrong-password-123").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let response = app
        .http
        .post(format!("{}/api/v1/auth/login", app.base))
        .json(&json!({"email": email, "password": FIXTURE_PASSWORD}))
        .send()
        .await
        .expect("login");
    assert_eq!(
        response.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "right after the 100th failure, even with the right password"
    );
    let wait: i64 = response.headers()["retry-after"]
        .to_str()
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    assert!((1..=60).contains(&wait), "a minute at most: {wait}");
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["error"]["code"], "rate_limited");
    // Other accounts are not affected.
    let (status, _) = app
        .login_response(&app.fixtures.employee_b.email, FIXTURE_PASSWORD)
        .await;
    assert_eq!(status, StatusCode::OK);
    // 100 failures on another account, the latest two minutes ago: its
    // owner signs in (the old rule kept them out for the hour).
    let hr = app.fixtures.hr_a.email.clone();
    let now = shared::time::to_db(shared::time::now());
    for i in 0..100 {
        sqlx::query("INSERT INTO identity_login_failures (account_key, failed_at) VALUES ($1, $2)")
            .bind(taiwa_identity::throttle::account_key(
                &app.throttle_key,
                &hr,
            ))
            .bind(now - 120_000 - i * 1000)
            .execute(app.db.pool())
            .await
            .expect("insert failure");
    }
    let (status, body) = app.login_response(&hr, FIXTURE_PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    app.stop().await;
}

/// Records `n` recent failed sign-ins under `key` directly (each real one
/// costs an argon2 run).
async fn record_failures(app: &TestApp, key: &str, n: i64) {
    let now = shared::time::to_db(shared::time::now());
    for i in 0..n {
        sqlx::query("INSERT INTO identity_login_failures (account_key, failed_at) VALUES ($1, $2)")
            .bind(key)
            .bind(now - i * 1000)
            .execute(app.db.pool())
            .await
            .expect("insert failure");
    }
}

/// Where someone signed in from is not kept: every throttle record older
/// than 30 days (anyone's) is gone after the next successful sign-in, and
/// the records are keyed digests, not an address or an email.
async fn throttle_records_are_kept_at_most_30_days(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let now = shared::time::to_db(shared::time::now());
    let day = 24 * 3600 * 1000;
    for (key, at) in [
        ("old-someone", now - 31 * day),
        ("recent-someone", now - 29 * day),
    ] {
        sqlx::query("INSERT INTO identity_login_failures (account_key, failed_at) VALUES ($1, $2)")
            .bind(key)
            .bind(at)
            .execute(app.db.pool())
            .await
            .expect("insert");
    }
    let _ = app.password_login(&app.fixtures.employee_a).await;
    let keys: Vec<String> =
        sqlx::query_scalar("SELECT account_key FROM identity_login_failures ORDER BY account_key")
            .fetch_all(app.db.pool())
            .await
            .expect("keys");
    assert!(!keys.iter().any(|k| k == "old-someone"), "{keys:?}");
    assert!(keys.iter().any(|k| k == "recent-someone"), "{keys:?}");
    let email = app.fixtures.employee_a.email.clone();
    let written: Vec<&String> = keys.iter().filter(|k| *k != "recent-someone").collect();
    assert!(
        !written.is_empty()
            && written
                .iter()
                .all(|k| k.len() == 64 && !k.contains('@') && !k.contains(&email)),
        "the sign-in wrote its known address as a keyed digest only: {keys:?}"
    );
    app.stop().await;
}

/// Behind a trusted proxy the client's address comes from X-Forwarded-For:
/// one throttled client does not lock out the others behind the same proxy,
/// and an untrusted peer cannot pick its address with the header.
async fn behind_a_trusted_proxy_the_forwarded_client_is_throttled(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| c.trusted_proxies = "127.0.0.0/8".to_owned()).await;
    // This client failed ten times on this account: it must wait.
    let key = taiwa_identity::throttle::pair_key(
        &app.throttle_key,
        "198.51.100.7".parse().expect("ip"),
        &app.fixtures.employee_b.email,
    );
    record_failures(&app, &key, 10).await;
    let login_from = |forwarded: &'static str| {
        app.http
            .post(format!("{}/api/v1/auth/login", app.base))
            .header("x-forwarded-for", forwarded)
            .json(&json!({"email": app.fixtures.employee_b.email, "password": FIXTURE_PASSWORD}))
            .send()
    };
    let throttled = login_from("198.51.100.7").await.expect("request");
    assert_eq!(throttled.status(), StatusCode::TOO_MANY_REQUESTS);
    // A client that forges a left-hand entry is still the hop the proxy added.
    let forged = login_from("203.0.113.1, 198.51.100.7")
        .await
        .expect("request");
    assert_eq!(forged.status(), StatusCode::TOO_MANY_REQUESTS);
    let neighbour = login_from("198.51.100.8").await.expect("request");
    assert_eq!(
        neighbour.status(),
        StatusCode::OK,
        "another client behind the proxy"
    );
    app.stop().await;

    // Without trusted proxies the header is ignored: the peer (127.0.0.1)
    // is what counts, and it has no failures.
    let app = TestApp::spawn(backend).await;
    let key = taiwa_identity::throttle::pair_key(
        &app.throttle_key,
        "198.51.100.7".parse().expect("ip"),
        &app.fixtures.employee_b.email,
    );
    record_failures(&app, &key, 10).await;
    let answer = app
        .http
        .post(format!("{}/api/v1/auth/login", app.base))
        .header("x-forwarded-for", "198.51.100.7")
        .json(&json!({"email": app.fixtures.employee_b.email, "password": FIXTURE_PASSWORD}))
        .send()
        .await
        .expect("request");
    assert_eq!(answer.status(), StatusCode::OK);
    app.stop().await;
}

/// Credential stuffing from one address (many accounts) slows that address
/// down — one attempt at a time, a second each — without locking out the
/// people behind it: a correct password still signs in.
async fn failed_logins_are_throttled_per_address(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    // 299 recent failures from this address over many accounts, recorded
    // directly (each real one costs an argon2 run), then the 300th through
    // the API with an address that has no account.
    let key =
        taiwa_identity::throttle::address_key(&app.throttle_key, "127.0.0.1".parse().expect("ip"));
    record_failures(&app, &key, 299).await;
    let (status, _) = app
        .login_response("nobody@nowhere.example.com", "wrong-password-123")
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let started = std::time::Instant::now();
    let (status, body) = app
        .login_response(&app.fixtures.employee_b.email, FIXTURE_PASSWORD)
        .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "a right password gets through: {body}"
    );
    assert!(
        started.elapsed() >= std::time::Duration::from_secs(1),
        "but slowed: {:?}",
        started.elapsed()
    );
    // Guesses from the address are checked one at a time, a second each.
    let started = std::time::Instant::now();
    let guesses: Vec<_> = (0..3)
        .map(|i| {
            let app = &app;
            async move {
                app.login_response(
                    &format!("guess{i}@nowhere.example.com"),
                    "wrong-password-123",
                )
                .await
                .0
            }
        })
        .collect();
    let statuses = futures_util::future::join_all(guesses).await;
    assert!(
        statuses.iter().all(|s| *s == StatusCode::UNAUTHORIZED),
        "{statuses:?}"
    );
    assert!(
        started.elapsed() >= std::time::Duration::from_secs(3),
        "three guesses in turn: {:?}",
        started.elapsed()
    );
    let stored: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT account_key FROM identity_login_failures")
            .fetch_all(app.db.pool())
            .await
            .expect("keys");
    assert!(
        stored
            .iter()
            .all(|k| !k.contains("127.0.0.1") && !k.contains('@')),
        "addresses and emails are stored only as digests"
    );
    app.stop().await;
}

async fn logins_end_after_30_idle_minutes_and_12_hours_in_all(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (status, login) = app
        .login_response(&app.fixtures.employee_a.email, FIXTURE_PASSWORD)
        .await;
    assert_eq!(status, StatusCode::OK);
    // Idle: each refresh token lives 30 minutes.
    assert_eq!(login["refresh_expires_in"], 1800, "{login}");
    let shared = &app;
    let refresh = |token: Value| async move {
        shared
            .post(
                "/api/v1/auth/refresh",
                None,
                json!({"refresh_token": token}),
            )
            .await
    };
    let (status, next) = refresh(login["refresh_token"].clone()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(next["refresh_expires_in"], 1800);
    // Absolute: the login began 11 h 50 min ago, so what is left is 10 minutes.
    let ago = chrono::Utc::now().timestamp_millis() - (11 * 60 + 50) * 60 * 1000;
    sqlx::query("UPDATE identity_refresh_tokens SET created_at = $1")
        .bind(ago)
        .execute(app.db.pool())
        .await
        .expect("age the login");
    let (status, late) = refresh(next["refresh_token"].clone()).await;
    assert_eq!(status, StatusCode::OK, "{late}");
    let left = late["refresh_expires_in"].as_i64().expect("seconds");
    assert!(
        (595..=600).contains(&left),
        "capped by the 12-hour login: {left}"
    );
    // Idle past the token's end: refused.
    let expired = chrono::Utc::now().timestamp_millis() - 1;
    sqlx::query("UPDATE identity_refresh_tokens SET expires_at = $1 WHERE used_at IS NULL")
        .bind(expired)
        .execute(app.db.pool())
        .await
        .expect("expire");
    let (status, _) = refresh(late["refresh_token"].clone()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    app.stop().await;
}
