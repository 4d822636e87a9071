//! Email over real SMTP: `.ci/run` starts an aiosmtpd server that writes a
//! Maildir; Taiwa sends the invitation there and the test reads what arrived.

use reqwest::StatusCode;
use serde_json::json;
use taiwa_tests::{Backend, ReceivedMail, TestApp};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(taiwa_smtp),
    ignore = "needs an SMTP server: set TAIWA_TEST_SMTP_URL and TAIWA_TEST_MAILDIR"
)]
async fn an_invitation_arrives_over_smtp_and_its_link_works() {
    let smtp_url = std::env::var("TAIWA_TEST_SMTP_URL").expect("TAIWA_TEST_SMTP_URL");
    let maildir =
        std::path::PathBuf::from(std::env::var("TAIWA_TEST_MAILDIR").expect("TAIWA_TEST_MAILDIR"));
    let app = TestApp::spawn_with(Backend::Sqlite, |c| c.smtp_url = Some(smtp_url.into())).await;
    let f = app.fixtures.clone();
    let address = format!("smtp-{}@a.example.com", uuid::Uuid::new_v4().simple());
    let hr = app.token(&f.hr_a).await;
    let (status, body) = app
        .post(
            &format!("/api/v1/orgs/{}/invitations", f.org_a),
            Some(&hr),
            json!({"emails": [address]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(15);
    let mail = loop {
        let found = std::fs::read_dir(maildir.join("new"))
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| std::fs::read_to_string(e.path()).ok())
            .map(|raw| ReceivedMail::parse(&raw))
            .find(|m| m.is_to(&address));
        if let Some(mail) = found {
            break mail;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no message to {address} in {}",
            maildir.display()
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert!(
        app.written_mail().is_empty(),
        "with SMTP configured nothing is written to files"
    );
    assert!(mail.headers.contains("Subject:"), "{}", mail.headers);
    assert!(mail.body.contains("Org A"), "{}", mail.body);
    let token = mail.link_token().expect("link");
    let (status, session) = app
        .post("/api/v1/invitations/accept", None, json!({"token": token, "password": "smtp delivered passphrase", "display_name": "SMTP"}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{session}");
    app.stop().await;
}

/// The decoded `text/calendar` part of a raw multipart message.
fn calendar_part(raw: &str) -> String {
    let raw = raw.replace("\r\n", "\n");
    let at = raw
        .find("Content-Type: text/calendar")
        .expect("a calendar part");
    let part = &raw[at..];
    let (headers, rest) = part.split_once("\n\n").expect("part headers");
    let body: String = rest
        .lines()
        .take_while(|l| !l.starts_with("--"))
        .collect::<Vec<_>>()
        .join("\n");
    let headers = headers.to_ascii_lowercase();
    if headers.contains("content-transfer-encoding: base64") {
        let joined: String = body.split_whitespace().collect();
        let bytes = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, joined)
            .expect("base64");
        String::from_utf8(bytes)
            .expect("utf-8")
            .replace("\r\n", "\n")
    } else {
        ReceivedMail::parse(&format!("{headers}\n\n{body}"))
            .body
            .replace("\r\n", "\n")
    }
}

/// Messages in the Maildir addressed to `to` that contain `needle`, waiting
/// until `enough` of them arrived.
async fn wait_for(maildir: &std::path::Path, to: &str, needle: &str, enough: usize) -> Vec<String> {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        let found: Vec<String> = std::fs::read_dir(maildir.join("new"))
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| std::fs::read_to_string(e.path()).ok())
            .filter(|raw| ReceivedMail::parse(raw).is_to(to) && raw.contains(needle))
            .collect();
        if found.len() >= enough {
            return found;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "only {} message(s) to {to} with {needle:?}",
            found.len()
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(taiwa_smtp),
    ignore = "needs an SMTP server: set TAIWA_TEST_SMTP_URL and TAIWA_TEST_MAILDIR"
)]
async fn booking_confirmations_and_cancellations_arrive_over_smtp_with_calendar_invites() {
    use chrono::{Timelike, Utc};
    let smtp_url = std::env::var("TAIWA_TEST_SMTP_URL").expect("TAIWA_TEST_SMTP_URL");
    let maildir =
        std::path::PathBuf::from(std::env::var("TAIWA_TEST_MAILDIR").expect("TAIWA_TEST_MAILDIR"));
    let app = TestApp::spawn_with(Backend::Sqlite, |c| c.smtp_url = Some(smtp_url.into())).await;
    let f = app.fixtures.clone();
    // Addresses unique to this run, since the Maildir is shared.
    let run = uuid::Uuid::new_v4().simple().to_string();
    let (employee_to, consultant_to) = (
        format!("employee-{run}@a.example.com"),
        format!("consultant-{run}@platform.example.com"),
    );
    for (user, email) in [
        (f.employee_a.id, &employee_to),
        (f.consultant.id, &consultant_to),
    ] {
        sqlx::query("UPDATE booking_contacts SET email = $2 WHERE user_id = $1")
            .bind(user.to_string())
            .bind(email)
            .execute(app.db.pool())
            .await
            .expect("contact");
    }
    let consultant = app.token(&f.consultant).await;
    let every_day: Vec<serde_json::Value> = (1..=7)
        .map(|d| json!({"weekday": d, "start": "08:00", "end": "18:00"}))
        .collect();
    let (status, _) = app
        .call("PUT", "/api/v1/consultants/me/availability", Some(&consultant), Some(json!({
            "timezone": "UTC", "weekly": every_day, "session_minutes": [60], "buffer_minutes": 0,
            "min_notice_minutes": 60, "horizon_days": 30, "max_per_day": 0
        })))
        .await;
    assert_eq!(status, StatusCode::OK);
    let hr = app.token(&f.hr_a).await;
    app.post(
        &format!("/api/v1/orgs/{}/credits/grants", f.org_a),
        Some(&hr),
        json!({"amount": 1}),
    )
    .await;
    let start = (Utc::now() + chrono::Duration::days(3))
        .with_hour(10)
        .and_then(|t| t.with_minute(0))
        .and_then(|t| t.with_second(0))
        .and_then(|t| t.with_nanosecond(0))
        .expect("time");
    let employee = app.token(&f.employee_a).await;
    let (status, booking) = app
        .post(
            "/api/v1/bookings",
            Some(&employee),
            json!({"consultant_id": f.consultant.id, "starts_at": start, "duration_minutes": 60}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{booking}");
    let uid_of = |ics: &str| {
        ics.lines()
            .find_map(|l| l.strip_prefix("UID:").map(str::to_owned))
            .expect("a UID")
    };
    let mut uids = Vec::new();
    for to in [&employee_to, &consultant_to] {
        let mail = wait_for(&maildir, to, "method=REQUEST", 1).await;
        let ics = calendar_part(&mail[0]);
        assert!(
            ics.contains("BEGIN:VCALENDAR") && ics.contains("METHOD:REQUEST"),
            "{ics}"
        );
        assert!(ics.contains("SEQUENCE:0"), "{ics}");
        uids.push(uid_of(&ics));
    }
    assert_eq!(uids[0], uids[1], "one event, one UID for both");
    let id = booking["id"].as_str().expect("id");
    let (status, _) = app
        .post(
            &format!("/api/v1/bookings/{id}/cancel"),
            Some(&employee),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    for to in [&employee_to, &consultant_to] {
        let mail = wait_for(&maildir, to, "method=CANCEL", 1).await;
        let ics = calendar_part(&mail[0]);
        assert!(
            ics.contains("METHOD:CANCEL") && ics.contains("STATUS:CANCELLED"),
            "{ics}"
        );
        assert_eq!(
            uid_of(&ics),
            uids[0],
            "the cancellation names the same event"
        );
        assert!(!ics.contains("SEQUENCE:0"), "the sequence moved on: {ics}");
    }
    assert!(app.written_mail().is_empty(), "nothing went to files");
    app.stop().await;
}
