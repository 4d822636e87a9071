//! Operations endpoints, the OpenAPI description, and the error contract:
//! every failure answers with `{"error": {"code", "message"}}` and the right
//! status, never a 500 for bad input.

use reqwest::StatusCode;
use serde_json::{Value, json};
use taiwa_tests::{Backend, TestApp, on_both_backends};

on_both_backends!(
    health_readiness_and_metrics,
    openapi_describes_every_api_route,
    bad_input_gets_the_error_shape,
    the_time_zone_stays_the_one_counted_in
);

async fn health_readiness_and_metrics(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| {
        c.metrics_addr = Some("127.0.0.1:0".parse().expect("addr"));
    })
    .await;
    assert_eq!(app.get("/healthz", None).await.0, StatusCode::OK);
    assert_eq!(
        app.get("/readyz", None).await,
        (
            StatusCode::OK,
            json!({"status": "ready", "checks": {"database": "up", "nats": "not_used"}})
        )
    );
    for service in ["matching", "booking", "reporting"] {
        let (status, body) = app.get(&format!("/api/v1/{service}/status"), None).await;
        assert_eq!(
            (status, body["ready"].clone()),
            (StatusCode::OK, json!(true)),
            "{service}"
        );
    }
    let metrics = |base: String| {
        let http = app.http.clone();
        async move {
            let response = http
                .get(format!("{base}/metrics"))
                .send()
                .await
                .expect("metrics");
            assert_eq!(response.status(), StatusCode::OK);
            assert!(
                response.headers()["content-type"]
                    .to_str()
                    .unwrap_or("")
                    .starts_with("text/plain")
            );
            response.text().await.expect("text")
        }
    };
    // The public address: the build only, the same before and after use.
    let public_before = metrics(app.base.clone()).await;
    app.get("/api/v1/me", None).await;
    let public_after = metrics(app.base.clone()).await;
    assert_eq!(public_before, public_after, "nothing public moves with use");
    assert!(
        public_after.contains("taiwa_build_info{version=")
            && !public_after.contains("taiwa_http_requests_total"),
        "{public_after}"
    );
    // The private listener: the counts, by route template and status.
    let text = metrics(app.metrics_base.clone().expect("a private listener")).await;
    assert!(
        text.contains("# TYPE taiwa_http_requests_total counter"),
        "{text}"
    );
    assert!(
        text.contains(
            r#"taiwa_http_requests_total{method="GET",route="/api/v1/me",status="401"} 1"#
        ),
        "{text}"
    );
    // Raw paths (which hold ids) never become labels; the template does.
    assert!(
        text.contains(r#"route="/api/v1/{service}/status""#)
            || text.contains(r#"route="/api/v1/matching/status""#),
        "{text}"
    );
    assert!(
        !text.contains(&app.fixtures.org_a.to_string()),
        "no org in any label"
    );
    // The business figures beside them: the backlog of every outbox this
    // process runs, and bookings by outcome, which move when one is cancelled.
    for family in [
        "# TYPE taiwa_bookings_total counter",
        "# TYPE taiwa_report_builds_total counter",
        "# TYPE taiwa_outbox_backlog gauge",
        "# TYPE taiwa_event_delivery_seconds histogram",
        "# TYPE taiwa_event_lag_seconds histogram",
    ] {
        assert!(text.contains(family), "{family}: {text}");
    }
    for outbox in [
        "identity_outbox",
        "matching_outbox",
        "booking_outbox",
        "reporting_outbox",
    ] {
        assert!(
            text.contains(&format!("taiwa_outbox_backlog{{outbox=\"{outbox}\"}} ")),
            "{outbox}: {text}"
        );
    }
    let cancelled = |text: &str| -> u64 {
        text.lines()
            .find_map(|l| l.strip_prefix(r#"taiwa_bookings_total{outcome="cancelled"} "#))
            .and_then(|n| n.trim().parse().ok())
            .expect("a cancelled count")
    };
    let before = cancelled(&text);
    let f = app.fixtures.clone();
    let booking = taiwa_tests::seed_booking(
        &app.db,
        &f,
        f.employee_a.id,
        chrono::Duration::days(3),
        None,
    )
    .await;
    let employee = app.token(&f.employee_a).await;
    let (status, body) = app
        .post(
            &format!("/api/v1/bookings/{booking}/cancel"),
            Some(&employee),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let after = metrics(app.metrics_base.clone().expect("a private listener")).await;
    assert!(cancelled(&after) > before, "{after}");
    assert!(
        !after.contains(&f.employee_a.id.to_string()) && !after.contains(&booking.to_string()),
        "no person or booking in any label"
    );

    // Requests carry an id back to the caller for support.
    let response = app
        .http
        .get(format!("{}/healthz", app.base))
        .send()
        .await
        .expect("healthz");
    assert!(response.headers().contains_key("x-request-id"));

    // Every response, pages and errors alike, carries the hardening headers.
    for path in ["/", "/invitations/accept?token=x", "/api/v1/nothing-here"] {
        let response = app
            .http
            .get(format!("{}{path}", app.base))
            .send()
            .await
            .expect("get");
        let h = response.headers();
        let csp = h
            .get("content-security-policy")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        assert!(
            csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"),
            "{path}: {csp}"
        );
        assert_eq!(
            h.get("x-content-type-options")
                .and_then(|v| v.to_str().ok()),
            Some("nosniff"),
            "{path}"
        );
        assert_eq!(
            h.get("referrer-policy").and_then(|v| v.to_str().ok()),
            Some("no-referrer"),
            "{path}"
        );
        assert_eq!(
            h.get("x-frame-options").and_then(|v| v.to_str().ok()),
            Some("DENY"),
            "{path}"
        );
        assert!(
            h.get("strict-transport-security").is_none(),
            "no HSTS over plain HTTP: {path}"
        );
    }
    // Reached over HTTPS (its public URL), every response carries HSTS.
    let https = TestApp::spawn_with(backend, |c| {
        c.public_url = "https://taiwa.example.com".to_owned();
    })
    .await;
    for path in ["/", "/api/v1/nothing-here", "/healthz"] {
        let response = https
            .http
            .get(format!("{}{path}", https.base))
            .send()
            .await
            .expect("get");
        assert_eq!(
            response
                .headers()
                .get("strict-transport-security")
                .and_then(|v| v.to_str().ok()),
            Some("max-age=63072000; includeSubDomains"),
            "{path}"
        );
    }
    https.stop().await;

    // With the database gone, readiness says so (and liveness does not).
    app.db.close().await;
    let (status, body) = app.get("/readyz", None).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["error"]["code"], "unavailable");
    assert_eq!(app.get("/healthz", None).await.0, StatusCode::OK);
    app.stop().await;
}

async fn openapi_describes_every_api_route(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (status, spec) = app.get("/api/openapi.json", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(spec["openapi"], "3.1.0");
    let paths = spec["paths"].as_object().expect("paths");
    let expected = [
        ("/api/v1/auth/login", "post"),
        ("/api/v1/auth/refresh", "post"),
        ("/api/v1/auth/logout", "post"),
        ("/api/v1/me", "get"),
        ("/api/v1/orgs/{org_id}/invitations", "post"),
        ("/api/v1/orgs/{org_id}/invitations", "get"),
        ("/api/v1/invitations/accept", "post"),
        ("/api/v1/matching/status", "get"),
        ("/api/v1/booking/status", "get"),
        ("/api/v1/reporting/status", "get"),
    ];
    for (path, method) in expected {
        assert!(
            paths.get(path).and_then(|p| p.get(method)).is_some(),
            "{method} {path} missing"
        );
    }
    // operationIds are unique (OpenAPI requires it; openapi-spec-validator
    // refuses a document where two operations share one).
    let mut ids: Vec<&str> = paths
        .values()
        .flat_map(|ops| ops.as_object().into_iter().flat_map(|o| o.values()))
        .filter_map(|op| op["operationId"].as_str())
        .collect();
    let operations = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), operations, "duplicate operationIds");
    // Every documented path is really served (not the 404 fallback), and
    // every documented operation declares its responses.
    for (path, ops) in paths {
        for (method, op) in ops.as_object().expect("operations") {
            assert!(
                op["responses"].as_object().is_some_and(|r| !r.is_empty()),
                "{method} {path}"
            );
            let mut concrete = path.replace("{org_id}", &app.fixtures.org_a.to_string());
            // Any other parameter: an id that names nothing.
            while let (Some(open), Some(close)) = (concrete.find('{'), concrete.find('}')) {
                concrete.replace_range(open..=close, &uuid::Uuid::new_v4().to_string());
            }
            let body = if method == "get" {
                None
            } else {
                Some(json!({}))
            };
            let (status, body) = app
                .call(&method.to_uppercase(), &concrete, None, body)
                .await;
            assert!(
                !(status == StatusCode::NOT_FOUND && body["error"]["code"] == "not_found")
                    && status != StatusCode::METHOD_NOT_ALLOWED,
                "{method} {path} is documented but not served: {status}"
            );
        }
    }
    assert!(spec["components"]["securitySchemes"]["bearer"].is_object());
    app.stop().await;
}

fn assert_error(label: &str, status: StatusCode, body: &Value, expected: StatusCode, code: &str) {
    assert_eq!(status, expected, "{label}: {body}");
    assert_eq!(body["error"]["code"], code, "{label}: {body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{label}: {body}"
    );
}

async fn bad_input_gets_the_error_shape(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| c.body_limit_bytes = 64 * 1024).await;
    let url = |p: &str| format!("{}{}", app.base, p);
    let send = |r: reqwest::RequestBuilder| async move {
        let response = r.send().await.expect("send");
        let status = response.status();
        (
            status,
            response.json::<Value>().await.unwrap_or(Value::Null),
        )
    };
    let login = url("/api/v1/auth/login");

    let (s, b) = send(
        app.http
            .post(&login)
            .header("content-type", "application/json")
            .body("{not json"),
    )
    .await;
    assert_error(
        "malformed JSON",
        s,
        &b,
        StatusCode::BAD_REQUEST,
        "malformed_json",
    );
    let (s, b) = send(app.http.post(&login).body("email=x")).await;
    assert_error(
        "no content type",
        s,
        &b,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    );
    let (s, b) = send(app.http.post(&login).json(&json!({"email": 5}))).await;
    assert_error(
        "wrong field types",
        s,
        &b,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_body",
    );
    // The server answers 413 without reading the rest and drops the
    // connection: keep it out of the client's pool, or the next request
    // could be written into a closed socket.
    // (It may also close while the client is still writing; then the
    // client may not see the answer, so try a few times.)
    let mut answer = None;
    for _ in 0..5 {
        let sent = app
            .http
            .post(&login)
            .header("connection", "close")
            .json(&json!({"email": "x".repeat(100_000), "password": "y"}))
            .send()
            .await;
        if let Ok(response) = sent {
            let status = response.status();
            answer = Some((
                status,
                response.json::<Value>().await.unwrap_or(Value::Null),
            ));
            break;
        }
    }
    let (s, b) = answer.expect("an answer to the oversized request");
    assert_error(
        "too large",
        s,
        &b,
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
    );
    let (s, b) = send(app.http.get(url("/api/v1/nothing-here"))).await;
    assert_error("unknown route", s, &b, StatusCode::NOT_FOUND, "not_found");
    let (s, b) = send(app.http.patch(url("/api/v1/me"))).await;
    assert_error(
        "wrong method",
        s,
        &b,
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
    );
    let hr = app.token(&app.fixtures.hr_a.clone()).await;
    let (s, b) = send(
        app.http
            .get(url("/api/v1/orgs/not-a-uuid/invitations"))
            .bearer_auth(&hr),
    )
    .await;
    assert_error("malformed id", s, &b, StatusCode::NOT_FOUND, "not_found");
    let (s, b) = send(
        app.http
            .get(url("/api/v1/me"))
            .header("authorization", "Basic abc"),
    )
    .await;
    assert_error(
        "wrong scheme",
        s,
        &b,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    );
    let (s, b) = send(app.http.post(url("/api/v1/invitations/accept")).json(
        &json!({"token": "", "password": "a long enough passphrase", "display_name": "\u{0000}"}),
    ))
    .await;
    assert_error(
        "control characters",
        s,
        &b,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_display_name",
    );
    let long_email = format!("{}@example.com", "a".repeat(300));
    let (s, b) = send(
        app.http
            .post(&login)
            .json(&json!({"email": long_email, "password": "whatever-password"})),
    )
    .await;
    assert_error(
        "absurd email",
        s,
        &b,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    );
    app.stop().await;
}

/// The zone months, quarters and credit weeks are counted in is pinned in
/// booking's and reporting's own tables on the first start: the same zone
/// starts again, another is refused by name (released quarters must not move).
async fn the_time_zone_stays_the_one_counted_in(backend: Backend) {
    use chrono_tz::{Asia::Tokyo, Europe::London};
    let app = TestApp::spawn(backend).await;
    // The start pinned the configured zone (Japan) in each service's table.
    for table in ["booking_settings", "reporting_settings"] {
        let zone: String = sqlx::query_scalar(&format!(
            "SELECT value FROM {table} WHERE name = 'time_zone'"
        ))
        .fetch_one(app.db.pool())
        .await
        .expect("pinned on start");
        assert_eq!(zone, "Asia/Tokyo", "{table}");
    }
    taiwa_booking::pin_time_zone(&app.db, Tokyo)
        .await
        .expect("booking: the zone it was counted in");
    taiwa_reporting::pin_time_zone(&app.db, Tokyo)
        .await
        .expect("reporting: the zone it was counted in");
    let refused = [
        taiwa_booking::pin_time_zone(&app.db, London).await,
        taiwa_reporting::pin_time_zone(&app.db, London).await,
    ];
    for result in refused {
        let text = result.expect_err("another zone is refused").to_string();
        assert!(
            text.contains("Asia/Tokyo") && text.contains("Europe/London"),
            "{text}"
        );
    }
    app.stop().await;
}
