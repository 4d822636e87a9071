//! The confidentiality promise at the seams between features (issue 15),
//! one test per finding, on both backends, each from the chair of someone
//! who must learn nothing: HR, another org, a former client, a stranger.

use std::time::Duration;

use chrono::{DateTime, Duration as Span, Timelike, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};
use shared::ids::OrgId;
use taiwa_tests::{Backend, FIXTURE_PASSWORD, TestApp, on_both_backends};

on_both_backends!(
    a_consultant_tied_to_the_org_is_invisible_to_its_employees_everywhere,
    a_suspended_consultant_is_gone_and_their_sessions_are_cancelled,
    a_consultant_awaiting_approval_cannot_be_booked,
    inviting_an_address_never_tells_whether_it_has_an_account,
    no_invitation_link_is_stored_or_published,
    erasure_ends_every_token_at_once,
    late_records_never_change_a_released_quarter,
    hr_s_credits_do_not_move_when_one_employee_books,
    an_older_decision_arriving_late_never_undoes_a_newer_one,
);

/// A time two days ahead, on the hour (UTC).
fn later(hour: u32) -> DateTime<Utc> {
    (Utc::now() + Span::days(2))
        .with_hour(hour)
        .and_then(|t| t.with_minute(0))
        .and_then(|t| t.with_second(0))
        .and_then(|t| t.with_nanosecond(0))
        .expect("time")
}

async fn wait_until<F: std::future::Future<Output = bool>>(
    what: &str,
    mut check: impl FnMut() -> F,
) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    while !check().await {
        assert!(tokio::time::Instant::now() < deadline, "never: {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The fixture consultant writes a profile (tied to `affiliated`), takes
/// every day 08:00–18:00 UTC, and the operator approves them; returns once
/// booking knows. HR of org A grants 100 credits.
async fn approved_consultant(app: &TestApp, affiliated: &[OrgId]) -> String {
    let f = app.fixtures.clone();
    let consultant = app.token(&f.consultant).await;
    let (status, body) = app
        .call("PUT", "/api/v1/consultants/me/profile", Some(&consultant), Some(json!({
            "display_name": "境界 試験子", "headline": "境界を守るキャリア相談", "qualification": "national_career_consultant",
            "registration_number": "16099999", "specialties": ["skills"], "languages": ["ja"], "years_experience": 9,
            "region": "kanto", "session_formats": ["video"], "accepting_clients": true,
            "affiliated_org_ids": affiliated
        })))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let every_day: Vec<Value> = (1..=7)
        .map(|d| json!({"weekday": d, "start": "08:00", "end": "18:00"}))
        .collect();
    let (status, body) = app
        .call("PUT", "/api/v1/consultants/me/availability", Some(&consultant), Some(json!({
            "timezone": "UTC", "weekly": every_day, "session_minutes": [60], "buffer_minutes": 0,
            "min_notice_minutes": 60, "horizon_days": 30, "max_per_day": 0
        })))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let operator = app.token(&f.operator).await;
    let (status, body) = app
        .post(
            &format!("/api/v1/consultants/{}/approval", f.consultant.id),
            Some(&operator),
            json!({"status": "approved"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let hr = app.token(&f.hr_a).await;
    app.post(
        &format!("/api/v1/orgs/{}/credits/grants", f.org_a),
        Some(&hr),
        json!({"amount": 100}),
    )
    .await;
    // Org B's employee sees the consultant once booking knows the approval.
    let employee_b = app.token(&f.employee_b).await;
    let slots = slots_path(app);
    wait_until("booking learns the approval", || {
        let (slots, token) = (slots.clone(), employee_b.clone());
        async move { app.get(&slots, Some(&token)).await.0 == StatusCode::OK }
    })
    .await;
    consultant
}

fn slots_path(app: &TestApp) -> String {
    format!(
        "/api/v1/consultants/{}/slots?from={}&to={}&duration_minutes=60",
        app.fixtures.consultant.id,
        later(0).to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        (later(0) + Span::days(3)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    )
}

async fn book(app: &TestApp, token: &str, start: DateTime<Utc>) -> (StatusCode, Value) {
    app.post(
        "/api/v1/bookings",
        Some(token),
        json!({"consultant_id": app.fixtures.consultant.id, "starts_at": start, "duration_minutes": 60}),
    )
    .await
}

async fn a_consultant_tied_to_the_org_is_invisible_to_its_employees_everywhere(backend: Backend) {
    let app = TestApp::spawn_seeded(backend, |db, f| async move {
        // Sessions from before the consultant declared the tie: one held,
        // one to come.
        taiwa_tests::seed_booking(&db, &f, f.employee_a.id, -Span::hours(3), None).await;
        taiwa_tests::seed_booking(&db, &f, f.employee_a.id, Span::hours(72), None).await;
    })
    .await;
    let f = app.fixtures.clone();
    approved_consultant(&app, &[f.org_a]).await;
    let employee_a = app.token(&f.employee_a).await;
    let employee_b = app.token(&f.employee_b).await;
    let id = f.consultant.id;
    let search = "/api/v1/consultants?q=%E5%A2%83%E7%95%8C"; // 境界
    let profile = format!("/api/v1/consultants/{id}");
    // Another org's employee finds, reads and books the consultant.
    let (_, found) = app.get(search, Some(&employee_b)).await;
    assert_eq!(found["total"], 1, "{found}");
    assert_eq!(app.get(&profile, Some(&employee_b)).await.0, StatusCode::OK);
    assert_eq!(
        app.get(&slots_path(&app), Some(&employee_b)).await.0,
        StatusCode::OK
    );
    // For the org's own employees the consultant does not exist.
    let (_, hidden) = app.get(search, Some(&employee_a)).await;
    assert_eq!(hidden["total"], 0, "search: {hidden}");
    let (_, everyone) = app
        .get("/api/v1/consultants?per_page=100", Some(&employee_a))
        .await;
    assert!(
        !everyone.to_string().contains(&id.to_string()),
        "listing: {everyone}"
    );
    let not_found = app
        .get(
            "/api/v1/consultants/00000000-0000-4000-8000-000000000000",
            Some(&employee_a),
        )
        .await;
    assert_eq!(not_found.0, StatusCode::NOT_FOUND);
    assert_eq!(
        app.get(&profile, Some(&employee_a)).await,
        not_found,
        "profile: exactly as for no one"
    );
    assert_eq!(
        app.get(&slots_path(&app), Some(&employee_a)).await.0,
        StatusCode::NOT_FOUND,
        "slots"
    );
    assert_eq!(
        book(&app, &employee_a, later(10)).await.0,
        StatusCode::NOT_FOUND,
        "booking"
    );
    let (_, mine) = app.get("/api/v1/bookings", Some(&employee_a)).await;
    let held = mine["items"][0]["id"]
        .as_str()
        .expect("the held session")
        .to_owned();
    let coming = mine["items"][1]["id"]
        .as_str()
        .expect("the session to come")
        .to_owned();
    // The session to come is cancelled, with the credit back, and the
    // employee is told (without being told why).
    wait_until("the org's session is cancelled", || {
        let (app, token, coming) = (&app, employee_a.clone(), coming.clone());
        async move {
            app.get(&format!("/api/v1/bookings/{coming}"), Some(&token))
                .await
                .1["status"]
                == "cancelled"
        }
    })
    .await;
    wait_until("the employee is told", || {
        let app = &app;
        let email = f.employee_a.email.clone();
        async move {
            app.written_mail_parts().iter().any(|parts| {
                parts
                    .iter()
                    .any(|p| p.is_to(&email) && p.body.contains("お受けできなくなった"))
            })
        }
    })
    .await;
    let (status, _) = app
        .post(
            &format!("/api/v1/bookings/{coming}/reschedule"),
            Some(&employee_a),
            json!({"starts_at": later(12)}),
        )
        .await;
    assert!(!status.is_success(), "reschedule: {status}");
    let (status, _) = app
        .post(
            &format!("/api/v1/bookings/{held}/follow-ups"),
            Some(&employee_a),
            json!({"every_weeks": 2, "count": 1}),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "follow-ups");
    // Org B's employee reaches the consultant's calendar (and stops only at
    // org B having no credits).
    assert_eq!(
        book(&app, &employee_b, later(14)).await.0,
        StatusCode::PAYMENT_REQUIRED
    );
    app.stop().await;
}

async fn a_suspended_consultant_is_gone_and_their_sessions_are_cancelled(backend: Backend) {
    let app = TestApp::spawn_seeded(backend, |db, f| async move {
        taiwa_tests::seed_booking(&db, &f, f.employee_a.id, -Span::hours(3), None).await;
    })
    .await;
    let f = app.fixtures.clone();
    let consultant = approved_consultant(&app, &[]).await;
    let employee = app.token(&f.employee_a).await;
    let (status, booked) = book(&app, &employee, later(10)).await;
    assert_eq!(status, StatusCode::CREATED, "{booked}");
    let booking = booked["id"].as_str().expect("id").to_owned();
    let (_, mine) = app.get("/api/v1/bookings", Some(&employee)).await;
    let held = mine["items"]
        .as_array()
        .and_then(|items| items.iter().find(|b| b["id"] != booking.as_str()))
        .and_then(|b| b["id"].as_str())
        .expect("the held session")
        .to_owned();
    let balance_before = app.true_credit_balance(f.org_a).await;
    let operator = app.token(&f.operator).await;
    let (status, body) = app
        .post(
            &format!("/api/v1/consultants/{}/approval", f.consultant.id),
            Some(&operator),
            json!({"status": "suspended"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // The future session is cancelled, with the credit back.
    let path = format!("/api/v1/bookings/{booking}");
    wait_until("the session is cancelled", || {
        let (path, employee) = (path.clone(), employee.clone());
        let app = &app;
        async move { app.get(&path, Some(&employee)).await.1["status"] == "cancelled" }
    })
    .await;
    assert_eq!(app.true_credit_balance(f.org_a).await, balance_before + 1);
    // The employee is told, in words.
    wait_until("the employee is told", || {
        let app = &app;
        let email = f.employee_a.email.clone();
        async move {
            app.written_mail_parts().iter().any(|parts| {
                parts
                    .iter()
                    .any(|p| p.is_to(&email) && p.body.contains("登録が運営により停止"))
            })
        }
    })
    .await;
    // The consultant cannot be found, read or booked by anyone.
    let employee_b = app.token(&f.employee_b).await;
    for token in [&employee, &employee_b] {
        assert_eq!(
            app.get(
                &format!("/api/v1/consultants/{}", f.consultant.id),
                Some(token)
            )
            .await
            .0,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            app.get(&slots_path(&app), Some(token)).await.0,
            StatusCode::NOT_FOUND
        );
        assert_eq!(book(&app, token, later(12)).await.0, StatusCode::NOT_FOUND);
    }
    let (status, _) = app
        .post(
            &format!("/api/v1/bookings/{held}/follow-ups"),
            Some(&employee),
            json!({"every_weeks": 2, "count": 1}),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "follow-ups");
    // Their tokens stop working at once; signing in shows only a notice,
    // and only after the right password.
    let (status, body) = app.get("/api/v1/bookings", Some(&consultant)).await;
    assert_eq!(
        (status, body["error"]["code"].clone()),
        (StatusCode::UNAUTHORIZED, json!("session_revoked")),
        "{body}"
    );
    let (status, notice) = app
        .login_response(&f.consultant.email, FIXTURE_PASSWORD)
        .await;
    assert_eq!(
        (status, notice["error"]["code"].clone()),
        (StatusCode::FORBIDDEN, json!("account_suspended")),
        "{notice}"
    );
    assert_eq!(
        app.login_response(&f.consultant.email, "not-the-password-123")
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    // Reinstated, they sign in again.
    app.post(
        &format!("/api/v1/consultants/{}/approval", f.consultant.id),
        Some(&operator),
        json!({"status": "approved"}),
    )
    .await;
    wait_until("the reinstatement reaches identity", || {
        let app = &app;
        let email = f.consultant.email.clone();
        async move { app.login_response(&email, FIXTURE_PASSWORD).await.0 == StatusCode::OK }
    })
    .await;
    app.stop().await;
}

async fn a_consultant_awaiting_approval_cannot_be_booked(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixtures.clone();
    approved_consultant(&app, &[]).await;
    let consultant = app.token(&f.consultant).await;
    // A new registration number sends the profile back for approval.
    let (_, back) = app
        .call("PUT", "/api/v1/consultants/me/profile", Some(&consultant), Some(json!({
            "display_name": "境界 試験子", "headline": "境界を守るキャリア相談", "qualification": "national_career_consultant",
            "registration_number": "16011111", "specialties": ["skills"], "languages": ["ja"], "years_experience": 9,
            "region": "kanto", "session_formats": ["video"], "accepting_clients": true
        })))
        .await;
    assert_eq!(back["status"], "pending");
    let employee = app.token(&f.employee_a).await;
    let slots = slots_path(&app);
    wait_until("booking learns it is pending", || {
        let (slots, employee) = (slots.clone(), employee.clone());
        let app = &app;
        async move { app.get(&slots, Some(&employee)).await.0 == StatusCode::NOT_FOUND }
    })
    .await;
    assert_eq!(
        book(&app, &employee, later(10)).await.0,
        StatusCode::NOT_FOUND
    );
    // The consultant still sees their own calendar.
    assert_eq!(app.get(&slots, Some(&consultant)).await.0, StatusCode::OK);
    app.stop().await;
}

async fn inviting_an_address_never_tells_whether_it_has_an_account(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixtures.clone();
    let hr = app.token(&f.hr_a).await;
    let path = format!("/api/v1/orgs/{}/invitations", f.org_a);
    let invite = |email: String| {
        let (app, hr, path) = (&app, hr.clone(), path.clone());
        async move { app.post(&path, Some(&hr), json!({"emails": [email]})).await }
    };
    let shape = |(status, body): (StatusCode, Value)| {
        let invited = &body["invited"][0];
        (
            status,
            body["skipped"].clone(),
            invited
                .as_object()
                .map(|o| o.keys().cloned().collect::<Vec<_>>()),
        )
    };
    let new = shape(invite("new.person@a.example.com".to_owned()).await);
    assert_eq!(new.0, StatusCode::CREATED);
    for existing in [
        f.employee_b.email.clone(), // an employee of another org
        f.hr_b.email.clone(),       // HR of another org
        f.consultant.email.clone(), // a consultant
        f.employee_a.email.clone(), // someone of this org
    ] {
        assert_eq!(shape(invite(existing.clone()).await), new, "{existing}");
    }
    // The list says the same of them all.
    let (_, list) = app.get(&path, Some(&hr)).await;
    let statuses: Vec<&str> = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["status"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(statuses, vec!["pending"; 5], "{list}");
    // The new address gets a link; an existing account gets a notice with none.
    wait_until("five emails", || {
        let app = &app;
        async move { app.written_mail().len() >= 5 }
    })
    .await;
    let mail = app.written_mail();
    let to = |who: &str| {
        mail.iter()
            .find(|m| m.is_to(who))
            .unwrap_or_else(|| panic!("no mail to {who}"))
            .clone()
    };
    assert!(to("new.person@a.example.com").link_token().is_some());
    let notice = to(&f.employee_b.email);
    assert!(notice.link_token().is_none(), "{}", notice.body);
    assert!(notice.body.contains("すでに Taiwa のアカウントがあります"));
    assert!(
        !notice.body.contains("Org B"),
        "the notice does not say where the account is"
    );
    // Re-inviting its own employee with a name and reading supplies them
    // (to keep them out of summaries); another org's person is untouched.
    let (status, _) = app
        .post(
            &path,
            Some(&hr),
            json!({"people": [
                {"email": f.employee_a.email, "name": "佐藤 花子", "name_reading": "サトウ ハナコ"},
                {"email": f.employee_b.email, "name": "鈴木 一郎", "name_reading": "スズキ イチロウ"}
            ]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let names = |user: shared::ids::UserId| {
        let app = &app;
        async move {
            sqlx::query_scalar::<_, Option<String>>(
                "SELECT full_name FROM booking_contacts WHERE user_id = $1",
            )
            .bind(user.to_string())
            .fetch_one(app.db.pool())
            .await
            .expect("contact")
        }
    };
    wait_until("booking learns the name", || {
        let names = &names;
        let id = f.employee_a.id;
        async move { names(id).await.as_deref() == Some("佐藤 花子") }
    })
    .await;
    assert_eq!(names(f.employee_b.id).await, None, "another org's person");
    app.stop().await;
}

async fn no_invitation_link_is_stored_or_published(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixtures.clone();
    let hr = app.token(&f.hr_a).await;
    let (status, body) = app
        .post(
            &format!("/api/v1/orgs/{}/invitations", f.org_a),
            Some(&hr),
            json!({"people": [{"email": "kana@a.example.com", "name": "佐藤 花子", "name_reading": "さとう はなこ"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    // An operator's new org invites its first HR person the same way.
    let operator = app.token(&f.operator).await;
    let (status, body) = app
        .post(
            "/api/v1/orgs",
            Some(&operator),
            json!({"name": "Org C", "hr_email": "hr@c.example.com"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    wait_until("both emails", || {
        let app = &app;
        async move { app.written_mail().len() >= 2 }
    })
    .await;
    let stored = app.every_stored_text().await;
    for mail in app.written_mail() {
        let token = mail.link_token().expect("a link");
        assert!(token.len() >= 40, "{token}");
        // No 12 characters of the emailed token anywhere: not in the
        // invitations, not in the outbox (which is what NATS carries).
        for window in token.as_bytes().windows(12) {
            let piece = std::str::from_utf8(window).expect("ascii");
            assert!(
                !stored.contains(piece),
                "a piece of an emailed token is stored: {piece}"
            );
        }
    }
    // The link works once, and the name HR gave travels to booking only.
    let token = app.written_mail()[0].link_token().expect("link");
    let (status, _) = app
        .post(
            "/api/v1/invitations/accept",
            None,
            json!({"token": token, "password": "a-long-enough-password", "display_name": "ハナ"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    app.stop().await;
}

async fn erasure_ends_every_token_at_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixtures.clone();
    let employee = app.token(&f.employee_a).await;
    let routes = [
        "/api/v1/bookings".to_owned(),                 // booking
        "/api/v1/matches/preferences".to_owned(),      // matching
        format!("/api/v1/orgs/{}/responses", f.org_a), // reporting
        "/api/v1/booking/me/data".to_owned(),          // booking again
    ];
    for route in &routes {
        let (status, _) = app.get(route, Some(&employee)).await;
        assert_ne!(status, StatusCode::UNAUTHORIZED, "{route} before");
    }
    let (status, _) = app
        .call(
            "DELETE",
            "/api/v1/me",
            Some(&employee),
            Some(json!({"password": FIXTURE_PASSWORD})),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    // At once: no waiting for the token to expire, nor for any event.
    for route in &routes {
        let (status, body) = app.get(route, Some(&employee)).await;
        assert_eq!(
            (status, body["error"]["code"].clone()),
            (StatusCode::UNAUTHORIZED, json!("session_revoked")),
            "{route}: {body}"
        );
    }
    // Other people's tokens are untouched.
    let other = app.token(&f.employee_b).await;
    assert_eq!(
        app.get("/api/v1/bookings", Some(&other)).await.0,
        StatusCode::OK
    );
    app.stop().await;
}

async fn late_records_never_change_a_released_quarter(backend: Backend) {
    // A session held in a released quarter: 120 days ago.
    let app = TestApp::spawn_seeded(backend, |db, f| async move {
        taiwa_tests::seed_booking(&db, &f, f.employee_a.id, -Span::days(120), None).await;
        taiwa_tests::seed_booking(&db, &f, f.employee_a.id, -Span::days(121), None).await;
    })
    .await;
    let f = app.fixtures.clone();
    let session_quarter = shared::quarters::Quarter::of(Utc::now() - Span::days(120));
    assert!(session_quarter.is_released(Utc::now()));
    let hr = app.token(&f.hr_a).await;
    let q = session_quarter.name();
    let report = format!("/api/v1/orgs/{}/reports/themes?from={q}&to={q}", f.org_a);
    let by_department = format!("{report}&by=department");
    let usage = format!("/api/v1/orgs/{}/reports/usage?from={q}&to={q}", f.org_a);
    let read_all = || {
        let (app, hr) = (&app, hr.clone());
        let paths = [report.clone(), by_department.clone(), usage.clone()];
        async move {
            let mut out = Vec::new();
            for p in &paths {
                let (status, body) = app.get(p, Some(&hr)).await;
                assert_eq!(status, StatusCode::OK, "{body}");
                out.push(body.to_string());
            }
            out
        }
    };
    let released = read_all().await;
    // The record, the consent and a missed session, written now.
    let employee = app.token(&f.employee_a).await;
    let consultant = app.token(&f.consultant).await;
    let (_, mine) = app.get("/api/v1/bookings", Some(&employee)).await;
    let ids: Vec<String> = mine["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|b| b["id"].as_str().map(str::to_owned))
        .collect();
    let (status, body) = app
        .post(
            &format!("/api/v1/bookings/{}/record", ids[1]),
            Some(&consultant),
            json!({"private_notes": "n", "themes": ["pay"], "org_summary": "給与の相談"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = app
        .post(
            &format!("/api/v1/bookings/{}/feedback", ids[1]),
            Some(&employee),
            json!({"rating": 4, "share_with_org": true, "cohort_consent": true}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = app
        .post(
            &format!("/api/v1/bookings/{}/no-show", ids[0]),
            Some(&consultant),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // Both are counted in the open quarter, not the released one.
    wait_until("the late hand-off reaches reporting", || {
        let app = &app;
        async move {
            let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM reporting_records")
                .fetch_one(app.db.pool())
                .await
                .expect("count");
            let m: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM reporting_usage")
                .fetch_one(app.db.pool())
                .await
                .expect("count");
            // The record, and the two sessions closed (held, missed).
            n == 1 && m == 2
        }
    })
    .await;
    let open_month = shared::quarters::Month::of(Utc::now()).to_string();
    for table in ["reporting_records", "reporting_usage"] {
        let periods: Vec<String> = sqlx::query_scalar(&format!("SELECT period FROM {table}"))
            .fetch_all(app.db.pool())
            .await
            .expect("period");
        assert!(
            periods.iter().all(|p| *p == open_month),
            "{table}: {periods:?}"
        );
    }
    // A hand-off still arriving for the released quarter is refused.
    let mut tx = app.db.begin_write().await.expect("tx");
    taiwa_booking::OUTBOX
        .publish(
            &mut tx,
            &shared::contracts::SessionShared {
                org_id: f.org_a,
                period: session_quarter.months().0.to_string(),
                pseudonym: "late".to_owned(),
                themes: vec!["pay".to_owned()],
                summary: "遅れて届いた記録".to_owned(),
                cohort: None,
                crisis_path: false,
            },
        )
        .await
        .expect("publish");
    tx.commit().await.expect("commit");
    wait_until("the late event is handled", || {
        let app = &app;
        async move {
            let pending: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM booking_outbox WHERE published_at IS NULL",
            )
            .fetch_one(app.db.pool())
            .await
            .expect("count");
            pending == 0
        }
    })
    .await;
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM reporting_records WHERE pseudonym = 'late'")
            .fetch_one(app.db.pool())
            .await
            .expect("count");
    assert_eq!(n, 0, "refused");
    // The org's cohort sizes change after the release (an erasure, new hires).
    let mut conn = app.db.pool().acquire().await.expect("conn");
    let sizes: taiwa_reporting::store::CohortSizes =
        serde_json::from_value(json!({"department": {"営業部": 80, "開発部": 3}})).expect("sizes");
    taiwa_reporting::store::replace_cohort_sizes(
        &mut conn,
        f.org_a,
        &sizes,
        shared::time::to_db(Utc::now()),
    )
    .await
    .expect("sizes");
    drop(conn);
    assert_eq!(
        read_all().await,
        released,
        "a released quarter never changes"
    );
    app.stop().await;
}

async fn hr_s_credits_do_not_move_when_one_employee_books(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixtures.clone();
    let hr = app.token(&f.hr_a).await;
    let credits = format!("/api/v1/orgs/{}/credits", f.org_a);
    // HR grants exactly one credit: it shows at once (HR's own act).
    let (status, granted) = app
        .post(
            &format!("{credits}/grants"),
            Some(&hr),
            json!({"amount": 1}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{granted}");
    assert_eq!(granted["balance"], 1);
    let before = app.get(&credits, Some(&hr)).await;
    // The one credit is used: HR's view does not move.
    let every_day: Vec<Value> = (1..=7)
        .map(|d| json!({"weekday": d, "start": "08:00", "end": "18:00"}))
        .collect();
    let consultant = app.token(&f.consultant).await;
    app.call(
        "PUT",
        "/api/v1/consultants/me/availability",
        Some(&consultant),
        Some(json!({
            "timezone": "UTC", "weekly": every_day, "session_minutes": [60], "buffer_minutes": 0,
            "min_notice_minutes": 60, "horizon_days": 30, "max_per_day": 0
        })),
    )
    .await;
    let employee = app.token(&f.employee_a).await;
    let (status, booked) = book(&app, &employee, later(10)).await;
    assert_eq!(status, StatusCode::CREATED, "{booked}");
    assert_eq!(app.true_credit_balance(f.org_a).await, 0);
    assert_eq!(app.get(&credits, Some(&hr)).await, before, "the booking");
    app.post(
        &format!(
            "/api/v1/bookings/{}/cancel",
            booked["id"].as_str().unwrap_or("?")
        ),
        Some(&employee),
        json!({}),
    )
    .await;
    assert_eq!(app.true_credit_balance(f.org_a).await, 1);
    assert_eq!(
        app.get(&credits, Some(&hr)).await,
        before,
        "the cancellation"
    );
    app.stop().await;
}

async fn an_older_decision_arriving_late_never_undoes_a_newer_one(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixtures.clone();
    let consultant = f.consultant.id;
    // The operator approved at t=2000 and suspended at t=3000; the approval
    // is redelivered after the suspension (a retry), and an older one too.
    let standing = |status, as_of| shared::contracts::ConsultantChanged {
        consultant_id: consultant,
        standing: Some(shared::contracts::ConsultantStanding {
            status,
            affiliated_org_ids: vec![],
            as_of,
        }),
    };
    use shared::contracts::ApprovalStatus::{Approved, Pending, Suspended};
    for (status, as_of) in [(Suspended, 3000), (Approved, 2000), (Pending, 1000)] {
        let mut tx = app.db.begin_write().await.expect("tx");
        taiwa_matching::OUTBOX
            .publish(&mut tx, &standing(status, as_of))
            .await
            .expect("publish");
        tx.commit().await.expect("commit");
        wait_until("delivered", || {
            let app = &app;
            async move {
                let pending: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM matching_outbox WHERE published_at IS NULL",
                )
                .fetch_one(app.db.pool())
                .await
                .expect("count");
                pending == 0
            }
        })
        .await;
    }
    // Booking and identity both keep the newest decision.
    let mut conn = app.db.pool().acquire().await.expect("conn");
    let kept = taiwa_booking::store::standing(&mut conn, consultant)
        .await
        .expect("standing")
        .expect("known");
    assert_eq!(
        (kept.status, kept.as_of),
        (shared::contracts::ApprovalStatus::Suspended, 3000)
    );
    drop(conn);
    let (status, notice) = app
        .login_response(&f.consultant.email, FIXTURE_PASSWORD)
        .await;
    assert_eq!(
        (status, notice["error"]["code"].clone()),
        (StatusCode::FORBIDDEN, json!("account_suspended")),
        "{notice}"
    );
    app.stop().await;
}
