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
