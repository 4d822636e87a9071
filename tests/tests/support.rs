//! The crisis path: when a consultant flags a held session for it, its
//! employee — and nobody else — is offered public helplines and their org's
//! occupational physician or EAP, and may ask to be put in touch: with
//! consent, that contact is emailed their name and address, nothing of the
//! session, once. HR sets the contact and reads nothing more afterwards.

use std::time::Duration;

use chrono::Duration as Span;
use reqwest::StatusCode;
use serde_json::{Value, json};
use taiwa_tests::{Backend, TestApp, on_both_backends};

on_both_backends!(a_flagged_session_offers_support_and_passes_on_a_request_only_with_consent);

const EAP: &str = "eap@clinic.example.jp";

async fn a_flagged_session_offers_support_and_passes_on_a_request_only_with_consent(
    backend: Backend,
) {
    let app = TestApp::spawn_seeded(backend, |db, f| async move {
        taiwa_tests::seed_booking(&db, &f, f.employee_a.id, -Span::hours(3), Some("はな")).await;
        taiwa_tests::seed_booking(&db, &f, f.employee_a.id, -Span::hours(30), None).await;
    })
    .await;
    let f = app.fixtures.clone();
    let employee = app.token(&f.employee_a).await;
    let consultant = app.token(&f.consultant).await;
    let hr = app.token(&f.hr_a).await;
    let (_, mine) = app.get("/api/v1/bookings", Some(&employee)).await;
    let mut held: Vec<(String, String)> = mine["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|b| {
            let s = |k: &str| b[k].as_str().unwrap_or("").to_owned();
            (s("starts_at"), s("id"))
        })
        .collect();
    held.sort();
    let (other, flagged) = (held[0].1.clone(), held[1].1.clone());
    let support = format!("/api/v1/bookings/{flagged}/support");
    // Nothing is offered before the consultant flags the session.
    assert_eq!(
        app.get(&support, Some(&employee)).await.0,
        StatusCode::NOT_FOUND
    );
    let (status, body) = app
        .post(
            &format!("/api/v1/bookings/{flagged}/record"),
            Some(&consultant),
            json!({"private_notes": "体調のこと", "themes": ["health"], "org_summary": "体調について話した。",
                   "crisis_path": true}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, view) = app
        .get(&format!("/api/v1/bookings/{flagged}"), Some(&employee))
        .await;
    assert_eq!(view["support_offered"], true, "{view}");
    let (_, view) = app
        .get(&format!("/api/v1/bookings/{other}"), Some(&employee))
        .await;
    assert_eq!(view["support_offered"], false, "{view}");
    let (_, view) = app
        .get(&format!("/api/v1/bookings/{flagged}"), Some(&consultant))
        .await;
    assert!(
        view.get("support_offered").is_none(),
        "the consultant is not told: {view}"
    );
    // The offer: its employee only.
    for (who, token, expected) in [
        (
            "employee B",
            Some(app.token(&f.employee_b).await),
            StatusCode::NOT_FOUND,
        ),
        (
            "consultant",
            Some(consultant.clone()),
            StatusCode::FORBIDDEN,
        ),
        ("HR", Some(hr.clone()), StatusCode::FORBIDDEN),
        ("nobody", None, StatusCode::UNAUTHORIZED),
    ] {
        assert_eq!(
            app.get(&support, token.as_deref()).await.0,
            expected,
            "{who}"
        );
        assert_eq!(
            app.post(&support, token.as_deref(), json!({"consent": true}))
                .await
                .0,
            expected,
            "{who}"
        );
    }
    assert_eq!(
        app.get(
            &format!("/api/v1/bookings/{other}/support"),
            Some(&employee)
        )
        .await
        .0,
        StatusCode::NOT_FOUND,
        "a session not flagged offers nothing"
    );
    let (status, offer) = app.get(&support, Some(&employee)).await;
    assert_eq!(status, StatusCode::OK, "{offer}");
    assert!(
        offer["helplines"].to_string().contains("0570-783-556"),
        "{offer}"
    );
    assert_eq!(
        (
            offer["org_contact"].clone(),
            offer["can_put_in_touch"].clone()
        ),
        (Value::Null, json!(false))
    );
    let (status, body) = app
        .post(&support, Some(&employee), json!({"consent": true}))
        .await;
    assert_eq!(
        (status, body["error"]["code"].clone()),
        (StatusCode::CONFLICT, json!("no_support_contact"))
    );

    // HR sets the org's contact; bad input is named, another org's HR is not
    // told the org exists.
    let contact_path = format!("/api/v1/orgs/{}/support-contact", f.org_a);
    let (status, body) = app
        .call(
            "PUT",
            &contact_path,
            Some(&hr),
            Some(json!({"name": "産業医 山田クリニック", "phone": "call us"})),
        )
        .await;
    assert_eq!(
        (status, body["error"]["details"]["field"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("phone")),
        "{body}"
    );
    let contact = json!({"name": "産業医 山田クリニック", "email": EAP, "phone": "03-1234-5678", "hours": "平日 9:00–17:00"});
    let (status, _) = app
        .call(
            "PUT",
            &contact_path,
            Some(&app.token(&f.hr_b).await),
            Some(contact.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = app
        .call("PUT", &contact_path, Some(&hr), Some(contact))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // What HR can read, before the employee asks.
    let hr_reads = [
        format!("/api/v1/orgs/{}/reports/themes", f.org_a),
        format!("/api/v1/orgs/{}/reports/usage", f.org_a),
        format!("/api/v1/orgs/{}/credits", f.org_a),
        contact_path.clone(),
        format!("/api/v1/orgs/{}/invitations", f.org_a),
    ];
    let mut before = Vec::new();
    for path in &hr_reads {
        before.push(app.get(path, Some(&hr)).await);
    }
    // Without consent nothing is passed on; with it, once.
    let (status, body) = app
        .post(&support, Some(&employee), json!({"consent": false}))
        .await;
    assert_eq!(
        (status, body["error"]["code"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("consent_required"))
    );
    let (status, asked) = app
        .post(&support, Some(&employee), json!({"consent": true}))
        .await;
    assert_eq!(status, StatusCode::OK, "{asked}");
    assert!(
        asked["requested_at"].is_string() && asked["can_put_in_touch"] == true,
        "{asked}"
    );
    let (_, again) = app
        .post(&support, Some(&employee), json!({"consent": true}))
        .await;
    assert_eq!(
        again["requested_at"], asked["requested_at"],
        "asking twice changes nothing"
    );
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let to_eap = loop {
        let mail = app.written_mail();
        let to_eap: Vec<_> = mail.iter().filter(|m| m.is_to(EAP)).cloned().collect();
        if !to_eap.is_empty()
            && mail
                .iter()
                .any(|m| m.is_to(&f.employee_a.email) && m.subject().contains("相談窓口"))
        {
            break to_eap;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the request was not passed on"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        app.written_mail().iter().filter(|m| m.is_to(EAP)).count(),
        1,
        "one email, however often asked"
    );
    let text = &to_eap[0].body;
    assert!(
        text.contains(&f.employee_a.email),
        "the address is passed on: {text}"
    );
    for private in ["体調", "はな", "health", &f.consultant.email] {
        assert!(
            !text.contains(private),
            "{private} reached the contact: {text}"
        );
    }
    for mail in app.written_mail() {
        assert!(
            !mail.is_to(&f.hr_a.email),
            "HR was emailed: {}",
            mail.subject()
        );
        assert!(
            !(mail.is_to(&f.consultant.email) && mail.subject().contains("相談")),
            "the consultant was told"
        );
    }
    // HR reads exactly what it read before.
    for (path, seen) in hr_reads.iter().zip(&before) {
        assert_eq!(&app.get(path, Some(&hr)).await, seen, "{path} moved for HR");
    }
    // The employee's own data says so; HR's cannot.
    let (_, export) = app.get("/api/v1/booking/me/data", Some(&employee)).await;
    assert_eq!(
        export["support_requests"][0]["booking_id"], flagged,
        "{export}"
    );
    app.stop().await;
}
