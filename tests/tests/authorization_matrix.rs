//! The authorization matrix: one table — request × caller → what happens —
//! that is the specification, and one test that makes every request as every
//! caller over HTTP, on both backends. Callers: an employee and HR of org A,
//! an employee and HR of org B (the other tenant), the consultant of the
//! booking, an operator, and nobody. A cell is `A` (allowed: anything but
//! 401/403/404), `F` (403: this role may never), `H` (404: another tenant's
//! or another person's object, whose existence is not revealed) or `U`
//! (401: no token). Any cell that answers otherwise fails — in particular
//! every unexpected allow.

use reqwest::StatusCode;
use serde_json::{Value, json};
use taiwa_tests::{Backend, Fixtures, TestApp, on_both_backends};

on_both_backends!(every_request_as_every_caller_gets_what_the_matrix_says);

/// Callers, in the column order of [`MATRIX`].
const CALLERS: [&str; 7] = [
    "employee A",
    "HR A",
    "employee B",
    "HR B",
    "consultant",
    "operator",
    "nobody",
];

/// `(method, path, body, expected per caller)`. `{org}` is org A, `{booking}`
/// a held session of employee A with the consultant, `{consultant}` the
/// consultant's id.
#[rustfmt::skip]
const MATRIX: &[(&str, &str, Option<&str>, &str)] = &[
    //                                                                                  employee A, HR A, employee B, HR B, consultant, operator, nobody
    // identity
    ("GET", "/api/v1/me", None, "AAAAAAU"),
    ("GET", "/api/v1/me/data", None, "AAAAAAU"),
    ("GET", "/api/v1/orgs", None, "FFFFFAU"),
    ("POST", "/api/v1/orgs", Some(r#"{"name": "", "hr_email": "x"}"#), "FFFFFAU"),
    ("GET", "/api/v1/orgs/{org}/invitations", None, "FAFHFAU"),
    ("POST", "/api/v1/orgs/{org}/invitations", Some(r#"{"emails": []}"#), "FAFHFAU"),
    ("POST", "/api/v1/orgs/{org}/invitations/preview", Some(r#"{"emails": []}"#), "FAFHFAU"),
    // matching
    ("GET", "/api/v1/matches", None, "AFAFFFU"),
    ("GET", "/api/v1/matches/preferences", None, "AFAFFFU"),
    ("GET", "/api/v1/consultants?q=x", None, "AAAAAAU"),
    ("GET", "/api/v1/consultants/{consultant}", None, "AAAAAAU"),
    ("GET", "/api/v1/consultants/me/profile", None, "FFFFAFU"),
    ("GET", "/api/v1/consultants/pending", None, "FFFFFAU"),
    ("GET", "/api/v1/assessment/responses/latest", None, "AFAFAFU"),
    ("GET", "/api/v1/matching/me/data", None, "AAAAAAU"),
    // booking: HR and operators see no booking, nor a consultant's free times
    // (watching slots disappear would tell HR when someone booked)
    ("GET", "/api/v1/bookings", None, "AFAFAFU"),
    ("GET", "/api/v1/bookings/{booking}", None, "AFHFAFU"),
    ("POST", "/api/v1/bookings/{booking}/cancel", None, "AFHFAFU"),
    ("GET", "/api/v1/bookings/{booking}/record", None, "FFHFAFU"),
    ("POST", "/api/v1/bookings/{booking}/feedback", Some(r#"{"rating": 0, "share_with_org": false, "cohort_consent": false}"#), "AFHFFFU"),
    ("GET", "/api/v1/bookings/{booking}/action-items", None, "FFHFAFU"),
    // the crisis path: the session's employee only, and only once it is
    // flagged (this one is not: 404, as for no such session)
    ("GET", "/api/v1/bookings/{booking}/support", None, "HFHFFFU"),
    ("POST", "/api/v1/bookings/{booking}/support", Some(r#"{"consent": false}"#), "HFHFFFU"),
    ("GET", "/api/v1/orgs/{org}/support-contact", None, "FHFHFHU"),
    ("PUT", "/api/v1/orgs/{org}/support-contact", Some(r#"{"name": ""}"#), "FAFHFAU"),
    ("GET", "/api/v1/action-items", None, "AFAFFFU"),
    ("GET", "/api/v1/consultants/me/availability", None, "FFFFAFU"),
    ("GET", "/api/v1/consultants/{consultant}/slots", None, "AFAFAAU"),
    ("GET", "/api/v1/orgs/{org}/credits", None, "FAFHFAU"),
    ("POST", "/api/v1/orgs/{org}/credits/grants", Some(r#"{"amount": 0}"#), "FAFHFAU"),
    ("POST", "/api/v1/orgs/{org}/billing/checkout", Some(r#"{"pack": "none"}"#), "FAFHFFU"),
    ("GET", "/api/v1/booking/audit", None, "FFFFFAU"),
    ("GET", "/api/v1/booking/me/data", None, "AFAFFFU"),
    // reporting
    ("GET", "/api/v1/orgs/{org}/reports/themes", None, "FAFHFFU"),
    ("GET", "/api/v1/orgs/{org}/reports/themes.csv", None, "FAFHFFU"),
    ("GET", "/api/v1/orgs/{org}/reports/usage", None, "FAFHFFU"),
    ("GET", "/api/v1/orgs/{org}/responses", None, "AAHHFFU"),
    ("POST", "/api/v1/orgs/{org}/responses", Some(r#"{"theme": "pay", "period": "2026-Q1", "message": ""}"#), "FAFHFFU"),
    ("GET", "/api/v1/operator/emerging-themes", None, "FFFFFAU"),
    ("GET", "/api/v1/operator/sensitive-themes", None, "FFFFFAU"),
    ("GET", "/api/v1/reporting/audit", None, "FFFFFAU"),
    // the taxonomy: anyone may read the themes records carry; only operators
    // curate them (the bodies here are refused or change nothing)
    ("GET", "/api/v1/themes", None, "AAAAAAA"),
    ("GET", "/api/v1/operator/themes", None, "FFFFFAU"),
    ("POST", "/api/v1/operator/themes", Some(r#"{"code": "", "label_ja": "", "label_en": ""}"#), "FFFFFAU"),
    ("PUT", "/api/v1/operator/themes/pay", Some(r#"{"label_ja": "", "label_en": ""}"#), "FFFFFAU"),
    ("POST", "/api/v1/operator/themes/health/retire", None, "FFFFFAU"),
    ("POST", "/api/v1/operator/themes/pay/reinstate", None, "FFFFFAU"),
];

fn verdict(status: StatusCode) -> char {
    match status {
        StatusCode::UNAUTHORIZED => 'U',
        StatusCode::FORBIDDEN => 'F',
        StatusCode::NOT_FOUND => 'H',
        _ => 'A',
    }
}

async fn every_request_as_every_caller_gets_what_the_matrix_says(backend: Backend) {
    let booking = std::sync::Arc::new(std::sync::Mutex::new(None));
    let seeded = booking.clone();
    let app = TestApp::spawn_seeded(backend, |db, f: Fixtures| async move {
        let id =
            taiwa_tests::seed_booking(&db, &f, f.employee_a.id, -chrono::Duration::hours(3), None)
                .await;
        *seeded.lock().expect("lock") = Some(id);
    })
    .await;
    let booking = booking.lock().expect("lock").expect("seeded");
    let f = app.fixtures.clone();
    let mut tokens = Vec::new();
    for account in [
        &f.employee_a,
        &f.hr_a,
        &f.employee_b,
        &f.hr_b,
        &f.consultant,
        &f.operator,
    ] {
        tokens.push(Some(app.token(account).await));
    }
    tokens.push(None);
    // Every object the matrix asks about exists: the consultant's approved
    // profile and availability, everyone's assessment, the session's record.
    let (ea, consultant, eb, operator) = (
        tokens[0].as_deref(),
        tokens[4].as_deref(),
        tokens[2].as_deref(),
        tokens[5].as_deref(),
    );
    let profile = json!({
        "display_name": "行列 相談員", "headline": "一緒に考えます", "qualification": "national_career_consultant",
        "registration_number": "16000002", "specialties": ["skills"], "languages": ["ja"], "years_experience": 3,
        "region": "kanto", "session_formats": ["video"], "accepting_clients": true
    });
    assert_eq!(
        app.call(
            "PUT",
            "/api/v1/consultants/me/profile",
            consultant,
            Some(profile)
        )
        .await
        .0,
        StatusCode::OK
    );
    let approval = format!("/api/v1/consultants/{}/approval", f.consultant.id);
    assert_eq!(
        app.post(&approval, operator, json!({"status": "approved"}))
            .await
            .0,
        StatusCode::OK
    );
    let weekly: Vec<Value> = (1..=7)
        .map(|d| json!({"weekday": d, "start": "09:00", "end": "17:00"}))
        .collect();
    let availability = json!({"timezone": "Asia/Tokyo", "weekly": weekly, "session_minutes": [60], "buffer_minutes": 0,
        "min_notice_minutes": 60, "horizon_days": 30, "max_per_day": 4});
    assert_eq!(
        app.call(
            "PUT",
            "/api/v1/consultants/me/availability",
            consultant,
            Some(availability)
        )
        .await
        .0,
        StatusCode::OK
    );
    let (_, instrument) = app.get("/api/v1/assessment", ea).await;
    let answers: Vec<Value> = instrument["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| json!({"item_id": i["id"], "value": 3}))
        .collect();
    for who in [ea, eb, consultant] {
        let (status, _) = app
            .post(
                "/api/v1/assessment/responses",
                who,
                json!({"answers": answers}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED);
    }
    // The session has its record, so that reading it is a real read.
    let (status, _) = app
        .post(
            &format!("/api/v1/bookings/{booking}/record"),
            tokens[4].as_deref(),
            json!({"private_notes": "matrix", "themes": ["skills"], "org_summary": ""}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let mut wrong = Vec::new();
    let mut cells = 0;
    for (method, template, body, expected) in MATRIX {
        let path = template
            .replace("{org}", &f.org_a.to_string())
            .replace("{booking}", &booking.to_string())
            .replace("{consultant}", &f.consultant.id.to_string());
        let body: Option<Value> = body.map(|b| serde_json::from_str(b).expect("body"));
        for (i, want) in expected.chars().enumerate() {
            let (status, answer) = app
                .call(method, &path, tokens[i].as_deref(), body.clone())
                .await;
            cells += 1;
            let got = verdict(status);
            if got != want {
                wrong.push(format!(
                    "{method} {template} as {}: expected {want}, got {status} {answer}",
                    CALLERS[i]
                ));
            }
        }
    }
    assert_eq!(cells, MATRIX.len() * CALLERS.len());
    assert!(
        wrong.is_empty(),
        "{} of {cells} cells differ:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    println!("authorization matrix: {cells} cells, 0 unexpected");
    app.stop().await;
}
