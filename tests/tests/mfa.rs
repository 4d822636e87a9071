//! The second factor (TOTP): required for operators, optional for others,
//! each code good once, over HTTP on both backends.

use reqwest::StatusCode;
use serde_json::{Value, json};
use taiwa_identity::totp::TotpSecret;
use taiwa_tests::{Backend, FIXTURE_PASSWORD, TestApp, on_both_backends};

on_both_backends!(
    operators_without_a_code_reach_only_the_enrolment,
    an_employee_sets_up_uses_and_removes_a_second_factor,
    recovery_codes_work_once_each_and_a_new_set_replaces_the_old,
);

fn code(secret: &str, offset_secs: i64) -> String {
    TotpSecret::from_base32(secret)
        .expect("base32")
        .code_at(chrono::Utc::now().timestamp() + offset_secs)
}

async fn login(app: &TestApp, email: &str, totp: Option<&str>) -> (StatusCode, Value) {
    let mut body = json!({ "email": email, "password": FIXTURE_PASSWORD });
    if let Some(code) = totp {
        body["totp"] = json!(code);
    }
    app.post("/api/v1/auth/login", None, body).await
}

async fn operators_without_a_code_reach_only_the_enrolment(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let operator = app.fixtures.operator.clone();
    let secret = operator
        .totp
        .clone()
        .expect("the fixture operator has TOTP");

    // The fixture operator has TOTP on: a password alone is not a sign-in.
    let (status, body) = login(&app, &operator.email, None).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("mfa_required"))
    );
    let (status, body) = login(&app, &operator.email, Some("000000")).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("invalid_otp"))
    );
    let current = code(&secret, 0);
    let (status, body) = login(&app, &operator.email, Some(&current)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let token = body["access_token"].as_str().expect("token").to_owned();
    assert_eq!(
        app.get("/api/v1/orgs", Some(&token)).await.0,
        StatusCode::OK
    );
    let (_, status_body) = app.get("/api/v1/me/mfa", Some(&token)).await;
    assert_eq!(
        status_body,
        json!({"totp": "on", "required": true, "this_login": true, "recovery_codes_left": 0})
    );
    // The same code again is a replay.
    let (status, body) = login(&app, &operator.email, Some(&current)).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("invalid_otp"))
    );
    // Operators cannot drop their second factor.
    let (status, body) = app
        .call(
            "DELETE",
            "/api/v1/me/mfa/totp",
            Some(&token),
            Some(json!({"password": FIXTURE_PASSWORD, "code": code(&secret, 30)})),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("mfa_required_for_role"))
    );

    // An operator account without TOTP (a new one, say) signs in with a
    // password, but the token opens only who-am-I and the enrolment, on every
    // service's operator routes.
    let mut tx = app.db.begin_write().await.expect("tx");
    taiwa_identity::store::mfa::clear_totp(&mut tx, operator.id)
        .await
        .expect("clear");
    tx.commit().await.expect("commit");
    let (status, body) = login(&app, &operator.email, None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let weak = body["access_token"].as_str().expect("token").to_owned();
    assert_eq!(app.get("/api/v1/me", Some(&weak)).await.0, StatusCode::OK);
    for path in [
        "/api/v1/orgs",
        "/api/v1/consultants/pending",
        "/api/v1/operator/sensitive-themes",
        "/api/v1/booking/audit",
        "/api/v1/reporting/audit",
    ] {
        let (status, body) = app.get(path, Some(&weak)).await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (StatusCode::FORBIDDEN, Some("mfa_required")),
            "{path}: {body}"
        );
    }
    let (_, status_body) = app.get("/api/v1/me/mfa", Some(&weak)).await;
    assert_eq!(
        status_body,
        json!({"totp": "off", "required": true, "this_login": false, "recovery_codes_left": 0})
    );
    // The password alone cannot put an authenticator on an operator
    // account: enrolment needs a one-time code from another operator (or
    // the CLI), and a wrong one counts as a failed attempt.
    let (status, body) = app
        .post(
            "/api/v1/me/mfa/totp",
            Some(&weak),
            json!({"password": FIXTURE_PASSWORD}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("enrolment_code_required"))
    );
    // A weak token cannot issue codes; an operator signed in with a code can.
    let issue = |token: String| {
        let app = &app;
        let path = format!("/api/v1/operators/{}/enrolment-code", operator.id);
        async move { app.post(&path, Some(&token), json!({})).await }
    };
    assert_eq!(issue(weak.clone()).await.0, StatusCode::FORBIDDEN);
    let (status, issued) = issue(token.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{issued}");
    let enrolment_code = issued["code"].as_str().expect("code").to_owned();
    assert_eq!(enrolment_code.len(), 11, "XXXXX-XXXXX: {enrolment_code}");
    let (status, body) = app
        .post(
            "/api/v1/me/mfa/totp",
            Some(&weak),
            json!({"password": FIXTURE_PASSWORD, "enrolment_code": "AAAAA-AAAAA"}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("invalid_enrolment_code")
        )
    );
    let stored: Vec<String> =
        sqlx::query_scalar("SELECT code_digest FROM identity_enrolment_codes")
            .fetch_all(app.db.pool())
            .await
            .expect("codes");
    assert!(
        stored
            .iter()
            .all(|d| !d.contains(&enrolment_code) && !d.contains(&enrolment_code.replace('-', ""))),
        "only a digest is stored"
    );
    // Enrolling and confirming gives a login with the second factor.
    let (status, enrolment) = app
        .post(
            "/api/v1/me/mfa/totp",
            Some(&weak),
            json!({"password": FIXTURE_PASSWORD, "enrolment_code": enrolment_code.to_lowercase()}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{enrolment}");
    let new_secret = enrolment["secret"].as_str().expect("secret").to_owned();
    let (status, tokens) = app
        .post(
            "/api/v1/me/mfa/totp/confirm",
            Some(&weak),
            json!({"code": code(&new_secret, 0)}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    let strong = tokens["access_token"].as_str().expect("token");
    assert_eq!(
        app.get("/api/v1/orgs", Some(strong)).await.0,
        StatusCode::OK
    );
    assert_eq!(
        app.get("/api/v1/orgs", Some(&weak)).await.0,
        StatusCode::FORBIDDEN
    );
    // The code worked once: with the factor reset again, it opens nothing.
    let mut tx = app.db.begin_write().await.expect("tx");
    taiwa_identity::store::mfa::clear_totp(&mut tx, operator.id)
        .await
        .expect("clear");
    tx.commit().await.expect("commit");
    let (status, body) = app
        .post(
            "/api/v1/me/mfa/totp",
            Some(&weak),
            json!({"password": FIXTURE_PASSWORD, "enrolment_code": enrolment_code}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("invalid_enrolment_code")
        )
    );
    // An employee is no operator to issue a code for.
    let path = format!(
        "/api/v1/operators/{}/enrolment-code",
        app.fixtures.employee_a.id
    );
    assert_eq!(
        app.post(&path, Some(&token), json!({})).await.0,
        StatusCode::NOT_FOUND
    );
    app.stop().await;
}

async fn an_employee_sets_up_uses_and_removes_a_second_factor(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let employee = app.fixtures.employee_a.clone();
    let token = app.token(&employee).await;
    let (_, status) = app.get("/api/v1/me/mfa", Some(&token)).await;
    assert_eq!(
        status,
        json!({"totp": "off", "required": false, "this_login": false, "recovery_codes_left": 0})
    );

    let (status, body) = app
        .post(
            "/api/v1/me/mfa/totp",
            Some(&token),
            json!({"password": "not-the-password"}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("wrong_password"))
    );
    let (status, enrolment) = app
        .post(
            "/api/v1/me/mfa/totp",
            Some(&token),
            json!({"password": FIXTURE_PASSWORD}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{enrolment}");
    let secret = enrolment["secret"].as_str().expect("secret").to_owned();
    assert!(
        enrolment["otpauth_uri"]
            .as_str()
            .is_some_and(|u| u.starts_with("otpauth://totp/Taiwa:")
                && u.contains(&format!("secret={secret}"))),
        "{enrolment}"
    );
    // Pending: not yet required, and the secret is not stored in the clear.
    assert_eq!(
        app.get("/api/v1/me/mfa", Some(&token)).await.1["totp"],
        "pending"
    );
    assert_eq!(login(&app, &employee.email, None).await.0, StatusCode::OK);
    let stored: Option<String> =
        sqlx::query_scalar("SELECT totp_secret FROM identity_users WHERE id = $1")
            .bind(employee.id.to_string())
            .fetch_one(app.db.pool())
            .await
            .expect("stored secret");
    assert!(stored.is_some_and(|s| !s.contains(&secret)));

    let (status, body) = app
        .post(
            "/api/v1/me/mfa/totp/confirm",
            Some(&token),
            json!({"code": "123"}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_otp"))
    );
    let confirming = code(&secret, 0);
    let (status, body) = app
        .post(
            "/api/v1/me/mfa/totp/confirm",
            Some(&token),
            json!({"code": confirming}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        app.get("/api/v1/me/mfa", Some(&token)).await.1["totp"],
        "on"
    );
    let (status, body) = login(&app, &employee.email, None).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("mfa_required"))
    );
    let (status, body) = app
        .post(
            "/api/v1/me/mfa/totp",
            Some(&token),
            json!({"password": FIXTURE_PASSWORD}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("mfa_already_enabled"))
    );

    // Removing needs the password and a fresh code (the next step's: the
    // current one was used to confirm).
    let (status, _) = app
        .call(
            "DELETE",
            "/api/v1/me/mfa/totp",
            Some(&token),
            Some(json!({"password": FIXTURE_PASSWORD, "code": confirming})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a used code removes nothing"
    );
    let (status, body) = app
        .call(
            "DELETE",
            "/api/v1/me/mfa/totp",
            Some(&token),
            Some(json!({"password": FIXTURE_PASSWORD, "code": code(&secret, 30)})),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    assert_eq!(login(&app, &employee.email, None).await.0, StatusCode::OK);
    app.stop().await;
}

/// Turns TOTP on for `email` (signed in as `token`): the secret and the
/// confirmation's answer.
async fn turn_on(app: &TestApp, token: &str) -> (String, Value) {
    let (status, enrolment) = app
        .post(
            "/api/v1/me/mfa/totp",
            Some(token),
            json!({"password": FIXTURE_PASSWORD}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{enrolment}");
    let secret = enrolment["secret"].as_str().expect("secret").to_owned();
    let (status, confirmed) = app
        .post(
            "/api/v1/me/mfa/totp/confirm",
            Some(token),
            json!({"code": code(&secret, 0)}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{confirmed}");
    (secret, confirmed)
}

fn codes_of(body: &Value) -> Vec<String> {
    body["recovery_codes"]
        .as_array()
        .expect("recovery codes")
        .iter()
        .map(|c| c.as_str().expect("a code").to_owned())
        .collect()
}

async fn codes_stored(app: &TestApp, user: &str) -> Vec<String> {
    sqlx::query_scalar("SELECT code_digest FROM identity_recovery_codes WHERE user_id = $1")
        .bind(user)
        .fetch_all(app.db.pool())
        .await
        .expect("stored codes")
}

async fn recovery_codes_work_once_each_and_a_new_set_replaces_the_old(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let employee = app.fixtures.employee_a.clone();
    let token = app.token(&employee).await;
    let (secret, confirmed) = turn_on(&app, &token).await;
    // The confirmation is a login (as before) and carries ten distinct codes.
    assert!(confirmed["access_token"].is_string(), "{confirmed}");
    let codes = codes_of(&confirmed);
    let distinct: std::collections::BTreeSet<_> = codes.iter().collect();
    assert_eq!((codes.len(), distinct.len()), (10, 10), "{confirmed}");
    let alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    assert!(
        codes.iter().all(|c| c.len() == 11
            && &c[5..6] == "-"
            && c.chars()
                .filter(|&ch| ch != '-')
                .all(|ch| alphabet.contains(ch))),
        "{codes:?}"
    );
    // Only the codes' digests, salted with the account, are kept.
    let mut stored = codes_stored(&app, &employee.id.to_string()).await;
    let mut expected: Vec<String> = codes
        .iter()
        .map(|c| taiwa_identity::recovery::digest(employee.id, c))
        .collect();
    stored.sort();
    expected.sort();
    assert_eq!(stored, expected);
    assert_eq!(
        app.get("/api/v1/me/mfa", Some(&token)).await.1["recovery_codes_left"],
        10
    );

    // A recovery code signs in once, as typed (lower case, a space), and
    // counts as a login made with the second factor.
    let (status, body) = login(&app, &employee.email, Some(&codes[0])).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let recovered = body["access_token"].as_str().expect("token").to_owned();
    let (_, mfa) = app.get("/api/v1/me/mfa", Some(&recovered)).await;
    assert_eq!(
        (
            mfa["this_login"].clone(),
            mfa["recovery_codes_left"].clone()
        ),
        (json!(true), json!(9))
    );
    let (status, body) = login(&app, &employee.email, Some(&codes[0])).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("invalid_otp")),
        "a used recovery code does not work again"
    );
    let typed = codes[1].to_lowercase().replace('-', " ");
    assert_eq!(
        login(&app, &employee.email, Some(&typed)).await.0,
        StatusCode::OK
    );
    assert_eq!(
        app.get("/api/v1/me/mfa", Some(&token)).await.1["recovery_codes_left"],
        8
    );

    // A new set needs the password and the app's code: a recovery code
    // does not buy one. The new set replaces the old.
    let (status, body) = app
        .post(
            "/api/v1/me/mfa/recovery-codes",
            Some(&token),
            json!({"password": FIXTURE_PASSWORD, "code": codes[2]}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_otp")),
        "{body}"
    );
    let (status, body) = app
        .post(
            "/api/v1/me/mfa/recovery-codes",
            Some(&token),
            json!({"password": "not-the-password", "code": code(&secret, 30)}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("wrong_password")),
        "{body}"
    );
    let (status, renewed) = app
        .post(
            "/api/v1/me/mfa/recovery-codes",
            Some(&token),
            json!({"password": FIXTURE_PASSWORD, "code": code(&secret, 30)}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{renewed}");
    let fresh = codes_of(&renewed);
    assert_eq!(fresh.len(), 10);
    assert!(fresh.iter().all(|c| !codes.contains(c)));
    assert_eq!(
        app.get("/api/v1/me/mfa", Some(&token)).await.1["recovery_codes_left"],
        10
    );
    assert_eq!(
        login(&app, &employee.email, Some(&codes[3])).await.0,
        StatusCode::UNAUTHORIZED,
        "an old set's code no longer works"
    );

    // Another account's code is not this one's, even with TOTP on there.
    let other = app.fixtures.employee_b.clone();
    let other_token = app.token(&other).await;
    turn_on(&app, &other_token).await;
    assert_eq!(
        login(&app, &other.email, Some(&fresh[0])).await.0,
        StatusCode::UNAUTHORIZED
    );

    // Lost phone: a recovery code turns the second factor off, and the
    // codes go with it.
    let (status, body) = app
        .call(
            "DELETE",
            "/api/v1/me/mfa/totp",
            Some(&token),
            Some(json!({"password": FIXTURE_PASSWORD, "code": fresh[0]})),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    assert!(
        codes_stored(&app, &employee.id.to_string())
            .await
            .is_empty()
    );
    assert_eq!(
        app.get("/api/v1/me/mfa", Some(&token)).await.1["recovery_codes_left"],
        0
    );
    assert_eq!(login(&app, &employee.email, None).await.0, StatusCode::OK);

    // Erasing an account removes its codes.
    let (status, body) = app
        .call(
            "DELETE",
            "/api/v1/me",
            Some(&other_token),
            Some(json!({"password": FIXTURE_PASSWORD})),
        )
        .await;
    assert!(status.is_success(), "{status} {body}");
    assert!(codes_stored(&app, &other.id.to_string()).await.is_empty());
    app.stop().await;
}
