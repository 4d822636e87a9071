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
    // Never an address of the org's own accounts (it would tell the org who
    // asked), nor one mail cannot go to.
    for (email, reason) in [
        (f.employee_a.email.as_str(), "own_account"),
        ("a@b@c.jp", "not_deliverable"),
    ] {
        let (status, body) = app
            .call(
                "PUT",
                &contact_path,
                Some(&hr),
                Some(json!({"name": "窓口", "email": email})),
            )
            .await;
        assert_eq!(
            (status, body["error"]["details"]["reason"].clone()),
            (StatusCode::UNPROCESSABLE_ENTITY, json!(reason)),
            "{body}"
        );
    }
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
    assert_eq!(
        asked["requested_to"],
        format!("産業医 山田クリニック <{EAP}>")
    );
    // A change of the contact afterwards does not redirect the request.
    let (status, _) = app
        .call(
            "PUT",
            &contact_path,
            Some(&hr),
            Some(json!({"name": "別の窓口", "email": "other@clinic.example.jp"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, again) = app
        .post(&support, Some(&employee), json!({"consent": true}))
        .await;
    assert_eq!(
        again["requested_at"], asked["requested_at"],
        "asking twice changes nothing"
    );
    assert_eq!(again["requested_to"], asked["requested_to"]);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let to_eap = loop {
        let to_eap: Vec<_> = app
            .written_mail()
            .into_iter()
            .filter(|m| m.is_to(EAP))
            .collect();
        if !to_eap.is_empty() {
            break to_eap;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the request was not passed on"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mail = app.written_mail();
    assert_eq!(
        mail.iter().filter(|m| m.is_to(EAP)).count(),
        1,
        "one email, however often asked"
    );
    assert!(
        !mail.iter().any(|m| m.is_to("other@clinic.example.jp")),
        "the later contact got nothing"
    );
    let subject = to_eap[0].subject();
    assert!(
        !subject.contains("相談") && !subject.to_lowercase().contains("support"),
        "the subject names no reason: {subject}"
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
    // Nobody else is emailed about it: not HR, the consultant or the
    // employee (a subject in a work mailbox would say too much).
    assert_eq!(
        mail.iter().filter(|m| m.subject() == subject).count(),
        1,
        "one email about it"
    );
    for m in &mail {
        assert!(!m.is_to(&f.hr_a.email), "HR was emailed: {}", m.subject());
    }
    // HR reads exactly what it read before (but the contact it changed
    // itself).
    for (path, seen) in hr_reads.iter().zip(&before) {
        if *path != contact_path {
            assert_eq!(&app.get(path, Some(&hr)).await, seen, "{path} moved for HR");
        }
    }
    // Every change of the contact is in the audit log operators read.
    let (_, audit) = app
        .get("/api/v1/booking/audit", Some(&app.token(&f.operator).await))
        .await;
    let changes = audit["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|i| i["action"] == "support_contact.set")
        .count();
    assert_eq!(changes, 2, "{audit}");
    // The employee's own data says so; HR's cannot.
    let (_, export) = app.get("/api/v1/booking/me/data", Some(&employee)).await;
    assert_eq!(
        export["support_requests"][0]["booking_id"], flagged,
        "{export}"
    );
    app.stop().await;
}
