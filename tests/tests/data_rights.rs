//! Data rights on both backends: an employee exports what every service holds
//! about them and erases their account — identity forgets them, booking
//! destroys the key of their private notes (crypto-shredding) and cancels
//! their future sessions, matching deletes their assessments, reporting's
//! de-identified records stay; and the retention policy erases old notes.

use std::time::Duration;

use chrono::{Duration as Span, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};
use taiwa_booking::domain::booking::BookingId;
use taiwa_booking::store;
use taiwa_tests::{Backend, FIXTURE_PASSWORD, TestApp, on_both_backends};

on_both_backends!(
    an_employee_exports_then_erases_their_account,
    notes_past_retention_are_erased,
);

/// Seeds a booking of the fixture employee with the consultant, `hours` from now.
async fn seed_booking(db: &shared::db::Db, f: &taiwa_tests::Fixtures, hours: i64) -> BookingId {
    taiwa_tests::seed_booking(db, f, f.employee_a.id, Span::hours(hours), Some("はな")).await
}

async fn spawn_with_sessions(backend: Backend) -> (TestApp, BookingId, BookingId) {
    let ids = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seeded = ids.clone();
    let app = TestApp::spawn_seeded(backend, |db, f| async move {
        let held = seed_booking(&db, &f, -3).await;
        let future = seed_booking(&db, &f, 72).await;
        seeded.lock().expect("lock").extend([held, future]);
    })
    .await;
    let ids = ids.lock().expect("lock").clone();
    (app, ids[0], ids[1])
}

async fn count(app: &TestApp, sql: &str, id: &str) -> i64 {
    sqlx::query_scalar(sql)
        .bind(id)
        .fetch_one(app.db.pool())
        .await
        .expect("count")
}

async fn an_employee_exports_then_erases_their_account(backend: Backend) {
    let (app, held, future) = spawn_with_sessions(backend).await;
    let f = app.fixtures.clone();
    let employee = app.token(&f.employee_a).await;
    let consultant = app.token(&f.consultant).await;
    let hr = app.token(&f.hr_a).await;
    // An assessment, a record with notes and an action item, feedback shared.
    let (_, instrument) = app.get("/api/v1/assessment", Some(&employee)).await;
    let answers: Vec<Value> = instrument["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| json!({"item_id": i["id"], "value": 4}))
        .collect();
    let (status, _) = app
        .post(
            "/api/v1/assessment/responses",
            Some(&employee),
            json!({"answers": answers}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = app
        .post(
            &format!("/api/v1/bookings/{held}/record"),
            Some(&consultant),
            json!({"private_notes": "CANARY-erase-notes", "themes": ["workload"], "org_summary": "業務量の相談", "action_items": ["上司と話す"]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = app
        .post(
            &format!("/api/v1/bookings/{held}/feedback"),
            Some(&employee),
            json!({"rating": 5, "share_with_org": true, "cohort_consent": false}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);

    // The export, service by service.
    let (status, identity) = app.get("/api/v1/me/data", Some(&employee)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(identity["email"], f.employee_a.email);
    let (_, matching) = app.get("/api/v1/matching/me/data", Some(&employee)).await;
    assert_eq!(
        matching["assessments"].as_array().map(Vec::len),
        Some(1),
        "{matching}"
    );
    let (_, booking) = app.get("/api/v1/booking/me/data", Some(&employee)).await;
    assert_eq!(
        booking["bookings"].as_array().map(Vec::len),
        Some(2),
        "{booking}"
    );
    assert_eq!(booking["feedback"][0]["rating"], 5);
    assert_eq!(booking["action_items"][0]["text"], "上司と話す");
    assert!(
        !booking.to_string().contains("CANARY"),
        "no private notes in the export"
    );
    assert_eq!(
        app.get("/api/v1/booking/me/data", Some(&hr)).await.0,
        StatusCode::FORBIDDEN
    );

    // Erasure: only the employee, with the password.
    let erase = |token: String, password: &str| {
        let body = json!({"password": password});
        let app = &app;
        async move {
            app.call("DELETE", "/api/v1/me", Some(&token), Some(body))
                .await
        }
    };
    assert_eq!(
        erase(consultant.clone(), FIXTURE_PASSWORD).await.0,
        StatusCode::FORBIDDEN
    );
    let (status, wrong) = erase(employee.clone(), "not the password").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{wrong}");
    let credits = format!("/api/v1/orgs/{}/credits", f.org_a);
    let hr_view = app.get(&credits, Some(&hr)).await.1;
    let before = app.true_credit_balance(f.org_a).await;
    // The hand-off of the feedback above has reached reporting first.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while count(
        &app,
        "SELECT COUNT(*) FROM booking_outbox WHERE published_at IS NULL AND topic <> $1",
        "none",
    )
    .await
        > 0
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "booking's events never left"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let records_before = count(
        &app,
        "SELECT COUNT(*) FROM reporting_records WHERE org_id = $1",
        &f.org_a.to_string(),
    )
    .await;
    assert_eq!(
        erase(employee.clone(), FIXTURE_PASSWORD).await.0,
        StatusCode::NO_CONTENT
    );

    // Identity forgets them: no login, no token works, the address is gone.
    assert_eq!(
        app.login_response(&f.employee_a.email, FIXTURE_PASSWORD)
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.get("/api/v1/me", Some(&employee)).await.0,
        StatusCode::UNAUTHORIZED
    );
    let id = f.employee_a.id.to_string();
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM identity_users WHERE email = $1",
            &f.employee_a.email
        )
        .await,
        0
    );
    // Booking and matching follow through the event.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while count(
        &app,
        "SELECT COUNT(*) FROM booking_data_keys WHERE employee_id = $1",
        &id,
    )
    .await
        > 0
        || count(
            &app,
            "SELECT COUNT(*) FROM matching_assessments WHERE user_id = $1",
            &id,
        )
        .await
            > 0
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "erasure never reached booking and matching"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (status, read) = app
        .get(
            &format!("/api/v1/bookings/{held}/record"),
            Some(&consultant),
        )
        .await;
    assert_eq!(status, StatusCode::GONE, "the notes are shredded: {read}");
    assert!(!read.to_string().contains("CANARY"));
    let (_, moved) = app
        .get(&format!("/api/v1/bookings/{future}"), Some(&consultant))
        .await;
    assert_eq!(moved["status"], "cancelled", "{moved}");
    assert!(moved["nickname"].is_null(), "{moved}");
    let after = app.true_credit_balance(f.org_a).await;
    assert_eq!(after, before + 1, "the future session's credit came back");
    assert_eq!(
        app.get(&credits, Some(&hr)).await.1,
        hr_view,
        "HR sees nothing of the erasure"
    );
    for sql in [
        "SELECT COUNT(*) FROM booking_action_items WHERE employee_id = $1",
        "SELECT COUNT(*) FROM booking_contacts WHERE user_id = $1",
        "SELECT COUNT(*) FROM matching_preferences WHERE user_id = $1",
        "SELECT COUNT(*) FROM matching_ratings WHERE employee_id = $1",
    ] {
        assert_eq!(count(&app, sql, &id).await, 0, "{sql}");
    }
    // Reporting's de-identified records stay.
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM reporting_records WHERE org_id = $1",
            &f.org_a.to_string()
        )
        .await,
        records_before
    );
    app.stop().await;
}

async fn notes_past_retention_are_erased(backend: Backend) {
    let (app, held, _) = spawn_with_sessions(backend).await;
    let consultant = app.token(&app.fixtures.consultant).await;
    let (status, _) = app
        .post(
            &format!("/api/v1/bookings/{held}/record"),
            Some(&consultant),
            json!({"private_notes": "CANARY-old-notes", "themes": ["skills"], "org_summary": ""}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    // Written four years ago; the policy keeps three.
    let four_years_ago = (Utc::now() - Span::days(4 * 365)).timestamp_millis();
    sqlx::query("UPDATE booking_records SET created_at = $1")
        .bind(four_years_ago)
        .execute(app.db.pool())
        .await
        .expect("age");
    let mut tx = app.db.begin_write().await.expect("tx");
    let cutoff = (Utc::now() - Span::days(3 * 365)).timestamp_millis();
    let erased = store::erase_notes_before(&mut tx, cutoff, Utc::now().timestamp_millis())
        .await
        .expect("retention");
    tx.commit().await.expect("commit");
    assert_eq!(erased, 1);
    let (status, record) = app
        .get(
            &format!("/api/v1/bookings/{held}/record"),
            Some(&consultant),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{record}");
    assert_eq!(record["private_notes"], "", "{record}");
    assert_eq!(
        record["themes"],
        json!(["skills"]),
        "the rest of the record stays"
    );
    app.stop().await;
}
