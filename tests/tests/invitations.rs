//! HR invitations: JSON and CSV, all-or-nothing validation, tenant isolation,
//! the email with its single-use link, accepting it, expiry.

use reqwest::StatusCode;
use serde_json::{Value, json};
use taiwa_tests::{Backend, FIXTURE_PASSWORD, TestApp, on_both_backends};

on_both_backends!(
    hr_invites_and_the_employee_accepts_once,
    csv_upload_reads_the_email_column,
    a_bad_row_sends_nothing,
    only_hr_of_that_org_may_invite,
    expired_and_replaced_links_do_not_work,
    the_link_in_the_email_opens_a_page_that_works_without_javascript,
    cohort_attributes_travel_from_the_invitation_to_booking,
    operators_create_client_orgs_whose_hr_is_invited,
    the_preview_reads_every_row_as_sending_would_and_sends_nothing,
);

/// Waits for the invitation email to `to` and returns the token in its link.
async fn token_from_mail(app: &TestApp, to: &str) -> String {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        if let Some(mail) = app.written_mail().into_iter().find(|m| m.is_to(to)) {
            return mail.link_token().expect("a link with a token in the mail");
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no invitation email to {to}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

async fn hr_invites_and_the_employee_accepts_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixtures.clone();
    let hr = app.token(&f.hr_a).await;
    let path = format!("/api/v1/orgs/{}/invitations", f.org_a);
    let (status, body) = app
        .post(&path, Some(&hr), json!({"emails": ["New.Person@A.example.com", f.employee_a.email, "new.person@a.example.com"]}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    // An address with an account is answered like any other (its owner gets
    // a notice instead of a link): only the duplicate is skipped.
    assert_eq!(body["invited"].as_array().map(Vec::len), Some(2), "{body}");
    assert_eq!(body["invited"][0]["email"], "new.person@a.example.com");
    let reasons: Vec<&str> = body["skipped"]
        .as_array()
        .expect("skipped")
        .iter()
        .filter_map(|s| s["reason"].as_str())
        .collect();
    assert_eq!(reasons, ["duplicate_in_request"], "{body}");

    let token = token_from_mail(&app, "new.person@a.example.com").await;
    let mail = app
        .written_mail()
        .into_iter()
        .find(|m| m.is_to("new.person@a.example.com"))
        .expect("mail");
    assert!(
        mail.body.contains("Org A") && mail.body.contains("Taiwa"),
        "the email names the org: {}",
        mail.body
    );

    let weak = app
        .post(
            "/api/v1/invitations/accept",
            None,
            json!({"token": token, "password": "short", "display_name": "はな"}),
        )
        .await;
    assert_eq!(weak.0, StatusCode::UNPROCESSABLE_ENTITY, "{}", weak.1);
    assert_eq!(weak.1["error"]["code"], "weak_password");

    let accept =
        json!({"token": token, "password": "a long enough passphrase", "display_name": "はな"});
    let (status, session) = app
        .post("/api/v1/invitations/accept", None, accept.clone())
        .await;
    assert_eq!(status, StatusCode::CREATED, "{session}");
    assert_eq!(session["role"], "employee");
    let (status, me) = app
        .get("/api/v1/me", session["access_token"].as_str())
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["org_id"], f.org_a.to_string());
    assert_eq!(me["display_name"], "はな");

    // Single use.
    let (status, again) = app.post("/api/v1/invitations/accept", None, accept).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{again}");
    assert_eq!(again["error"]["code"], "invitation_invalid");
    // The new password works.
    let (status, _) = app
        .login_response("new.person@a.example.com", "a long enough passphrase")
        .await;
    assert_eq!(status, StatusCode::OK);

    let (status, list) = app.get(&path, Some(&hr)).await;
    assert_eq!(status, StatusCode::OK);
    let status_of = |email: &str| {
        list["items"]
            .as_array()
            .and_then(|items| items.iter().find(|i| i["email"] == email))
            .map(|i| i["status"].clone())
    };
    assert_eq!(
        status_of("new.person@a.example.com"),
        Some(json!("accepted")),
        "{list}"
    );
    assert_eq!(
        status_of(&f.employee_a.email),
        Some(json!("pending")),
        "the existing account's invitation stays pending, as any unanswered one: {list}"
    );
    app.stop().await;
}

async fn csv_upload_reads_the_email_column(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixtures.clone();
    let hr = app.token(&f.hr_a).await;
    let csv = "\u{feff}name,email\n山田 花子,hanako@a.example.com\nTaro,taro@a.example.com\n,\n";
    let response = app
        .http
        .post(format!("{}/api/v1/orgs/{}/invitations", app.base, f.org_a))
        .bearer_auth(&hr)
        .header("content-type", "text/csv; charset=utf-8")
        .body(csv)
        .send()
        .await
        .expect("upload");
    assert_eq!(response.status(), StatusCode::CREATED);
    let body: Value = response.json().await.expect("json");
    let invited: Vec<&str> = body["invited"]
        .as_array()
        .expect("invited")
        .iter()
        .filter_map(|i| i["email"].as_str())
        .collect();
    assert_eq!(invited, ["hanako@a.example.com", "taro@a.example.com"]);
    token_from_mail(&app, "taro@a.example.com").await;
    app.stop().await;
}

async fn a_bad_row_sends_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixtures.clone();
    let hr = app.token(&f.hr_a).await;
    let path = format!("/api/v1/orgs/{}/invitations", f.org_a);
    let (status, body) = app
        .post(
            &path,
            Some(&hr),
            json!({"emails": ["ok@a.example.com", "not an email", "x@y"]}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["code"], "invalid_rows");
    let rows: Vec<u64> = body["error"]["details"]["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .filter_map(|r| r["row"].as_u64())
        .collect();
    assert_eq!(rows, [2, 3]);
    // Each bad row says which field is wrong and why, as a code.
    let codes: Vec<(&str, &str)> = body["error"]["details"]["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .filter_map(|r| Some((r["field"].as_str()?, r["code"].as_str()?)))
        .collect();
    assert_eq!(
        codes,
        [
            ("email", "email_bad_character"),
            ("email", "email_bad_domain")
        ]
    );
    let (_, list) = app.get(&path, Some(&hr)).await;
    assert_eq!(
        list["items"].as_array().map(Vec::len),
        Some(0),
        "nothing was created: {list}"
    );

    let (status, body) = app.post(&path, Some(&hr), json!({"emails": []})).await;
    assert_eq!(
        (status, body["error"]["code"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("no_addresses"))
    );
    let (status, body) = app
        .post(&path, Some(&hr), json!({"emails": "one@a.example.com"}))
        .await;
    assert_eq!(
        (status, body["error"]["code"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("invalid_body"))
    );
    app.stop().await;
}

async fn only_hr_of_that_org_may_invite(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixtures.clone();
    let path = format!("/api/v1/orgs/{}/invitations", f.org_a);
    let body = json!({"emails": ["someone@a.example.com"]});
    for (account, expected) in [
        (&f.hr_b, StatusCode::NOT_FOUND),
        (&f.employee_a, StatusCode::FORBIDDEN),
        (&f.consultant, StatusCode::FORBIDDEN),
    ] {
        let token = app.token(account).await;
        assert_eq!(
            app.post(&path, Some(&token), body.clone()).await.0,
            expected,
            "{}",
            account.email
        );
        assert_eq!(
            app.get(&path, Some(&token)).await.0,
            expected,
            "{}",
            account.email
        );
        // The preview is HR's of that org too.
        assert_eq!(
            app.post(&format!("{path}/preview"), Some(&token), body.clone())
                .await
                .0,
            expected,
            "{}",
            account.email
        );
    }
    assert_eq!(
        app.post(&path, None, body.clone()).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.post(&format!("{path}/preview"), None, body.clone())
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    let operator = app.token(&f.operator).await;
    assert_eq!(
        app.post(&path, Some(&operator), body.clone()).await.0,
        StatusCode::CREATED
    );
    let unknown_org = format!("/api/v1/orgs/{}/invitations", uuid::Uuid::new_v4());
    assert_eq!(
        app.post(&unknown_org, Some(&operator), body).await.0,
        StatusCode::NOT_FOUND
    );
    app.stop().await;
}

async fn expired_and_replaced_links_do_not_work(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixtures.clone();
    let hr = app.token(&f.hr_a).await;
    let path = format!("/api/v1/orgs/{}/invitations", f.org_a);
    app.post(&path, Some(&hr), json!({"emails": ["late@a.example.com"]}))
        .await;
    let token = token_from_mail(&app, "late@a.example.com").await;
    sqlx::query("UPDATE identity_invitations SET expires_at = 0 WHERE email = $1")
        .bind("late@a.example.com")
        .execute(app.db.pool())
        .await
        .expect("expire");
    let accept =
        |token: &str| json!({"token": token, "password": FIXTURE_PASSWORD, "display_name": "Late"});
    assert_eq!(
        app.post("/api/v1/invitations/accept", None, accept(&token))
            .await
            .0,
        StatusCode::NOT_FOUND
    );

    // Re-inviting replaces the old link: only the newest works.
    app.post(&path, Some(&hr), json!({"emails": ["twice@a.example.com"]}))
        .await;
    let first = token_from_mail(&app, "twice@a.example.com").await;
    for mail in std::fs::read_dir(app.data_dir.join("mail"))
        .expect("mail dir")
        .flatten()
    {
        std::fs::remove_file(mail.path()).ok();
    }
    app.post(&path, Some(&hr), json!({"emails": ["twice@a.example.com"]}))
        .await;
    let second = token_from_mail(&app, "twice@a.example.com").await;
    assert_ne!(first, second);
    assert_eq!(
        app.post("/api/v1/invitations/accept", None, accept(&first))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.post("/api/v1/invitations/accept", None, accept(&second))
            .await
            .0,
        StatusCode::CREATED
    );
    app.stop().await;
}

async fn the_link_in_the_email_opens_a_page_that_works_without_javascript(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixtures.clone();
    let hr = app.token(&f.hr_a).await;
    app.post(
        &format!("/api/v1/orgs/{}/invitations", f.org_a),
        Some(&hr),
        json!({"emails": ["page@a.example.com"]}),
    )
    .await;
    let token = token_from_mail(&app, "page@a.example.com").await;

    let page = app
        .http
        .get(format!("{}/invitations/accept?token={token}", app.base))
        .send()
        .await
        .expect("page");
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.expect("html");
    assert!(
        html.contains(&format!(r#"name="token" value="{token}""#)) && html.contains("<form"),
        "{html}"
    );

    // Whatever arrives in the link is escaped, never markup.
    let hostile = app
        .http
        .get(format!(
            "{}/invitations/accept?token=%22%3E%3Cscript%3Ex()%3C/script%3E",
            app.base
        ))
        .send()
        .await
        .expect("page");
    let html = hostile.text().await.expect("html");
    assert!(
        !html.contains("<script>x()") && html.contains("&quot;&gt;&lt;script&gt;"),
        "{html}"
    );

    let submit = |token: String, password: &'static str| {
        app.http
            .post(format!("{}/invitations/accept", app.base))
            .form(&[
                ("token", token.as_str()),
                ("display_name", "ページ"),
                ("password", password),
            ])
            .send()
    };
    let weak = submit(token.clone(), "short").await.expect("submit");
    assert_eq!(weak.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = weak.text().await.expect("html");
    assert!(
        html.contains("role=\"alert\"") && html.contains("ページ"),
        "the form comes back with the error and the name kept: {html}"
    );

    let done = submit(token.clone(), "page password long enough")
        .await
        .expect("submit");
    assert_eq!(done.status(), StatusCode::OK);
    assert!(
        done.text()
            .await
            .expect("html")
            .contains("アカウントを作成しました")
    );
    let (status, _) = app
        .login_response("page@a.example.com", "page password long enough")
        .await;
    assert_eq!(status, StatusCode::OK);
    let again = submit(token, "page password long enough")
        .await
        .expect("submit");
    assert_eq!(
        again.status(),
        StatusCode::NOT_FOUND,
        "single use, also through the page"
    );
    app.stop().await;
}

async fn cohort_attributes_travel_from_the_invitation_to_booking(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixtures.clone();
    let hr = app.token(&f.hr_a).await;
    let upload = |csv: &'static str| {
        app.http
            .post(format!("{}/api/v1/orgs/{}/invitations", app.base, f.org_a))
            .bearer_auth(&hr)
            .header("content-type", "text/csv; charset=utf-8")
            .body(csv)
            .send()
    };
    // A bad age band is a row error like a bad address: nothing is sent.
    let response = upload("email,部署,年代\nhanako@a.example.com,営業部,37\n")
        .await
        .expect("upload");
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["error"]["details"]["rows"][0]["row"], 2, "{body}");
    let response = upload("email,部署,年代\nhanako@a.example.com,営業部,30s\n")
        .await
        .expect("upload");
    assert_eq!(response.status(), StatusCode::CREATED);
    let (status, body) = app
        .post(
            &format!("/api/v1/orgs/{}/invitations", f.org_a),
            Some(&hr),
            json!({"people": [{"email": "ken@a.example.com", "department": "開発部"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    for (email, name) in [
        ("hanako@a.example.com", "佐藤 花子"),
        ("ken@a.example.com", "Ken"),
    ] {
        let token = token_from_mail(&app, email).await;
        let (status, _) = app
            .post(
                "/api/v1/invitations/accept",
                None,
                json!({"token": token, "password": "a long enough passphrase", "display_name": name}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED);
    }
    // Booking learns the org, name and cohort from identity's event.
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let rows: Vec<(String, Option<String>, Option<String>)> = sqlx::query_as(
            "SELECT display_name, org_id, cohort FROM booking_contacts WHERE email IN ('hanako@a.example.com', 'ken@a.example.com') ORDER BY email",
        )
        .fetch_all(app.db.pool())
        .await
        .expect("contacts");
        if rows.len() == 2 {
            let org = Some(f.org_a.to_string());
            assert_eq!(rows[0].0, "佐藤 花子");
            assert_eq!(rows[0].1, org);
            let cohort: Value =
                serde_json::from_str(rows[0].2.as_deref().expect("a cohort")).expect("json");
            assert_eq!(cohort, json!({"department": "営業部", "age_band": "30s"}));
            let cohort: Value =
                serde_json::from_str(rows[1].2.as_deref().expect("a cohort")).expect("json");
            assert_eq!(cohort, json!({"department": "開発部"}));
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "booking never learnt the contacts"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    // Reporting learns how many employees each group has (no names).
    loop {
        let sizes: Vec<(String, String, i64)> = sqlx::query_as(
            "SELECT dimension, group_name, eligible FROM reporting_cohort_sizes WHERE org_id = $1 ORDER BY dimension, group_name",
        )
        .bind(f.org_a.to_string())
        .fetch_all(app.db.pool())
        .await
        .expect("sizes");
        if sizes.len() == 3 {
            assert_eq!(
                sizes,
                [
                    ("age_band".to_owned(), "30s".to_owned(), 1),
                    ("department".to_owned(), "営業部".to_owned(), 1),
                    ("department".to_owned(), "開発部".to_owned(), 1),
                ]
            );
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "reporting never learnt the cohort sizes"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    app.stop().await;
}

async fn operators_create_client_orgs_whose_hr_is_invited(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixtures.clone();
    let operator = app.token(&f.operator).await;
    for who in [&f.hr_a, &f.employee_a, &f.consultant] {
        let token = app.token(who).await;
        assert_eq!(
            app.get("/api/v1/orgs", Some(&token)).await.0,
            StatusCode::FORBIDDEN
        );
        let (status, _) = app
            .post(
                "/api/v1/orgs",
                Some(&token),
                json!({"name": "X", "hr_email": "x@x.example"}),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
    for (body, code) in [
        (
            json!({"name": "  ", "hr_email": "hr@mirai.example"}),
            "invalid_org_name",
        ),
        (
            json!({"name": "Mirai", "hr_email": "not an email"}),
            "invalid_email",
        ),
    ] {
        let (status, answer) = app.post("/api/v1/orgs", Some(&operator), body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
        assert_eq!(answer["error"]["code"], code);
    }
    let (status, created) = app
        .post(
            "/api/v1/orgs",
            Some(&operator),
            json!({"name": "Mirai", "hr_email": "HR@Mirai.example"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let (status, again) = app
        .post(
            "/api/v1/orgs",
            Some(&operator),
            json!({"name": "Mirai", "hr_email": "other@mirai.example"}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{again}");
    let (status, taken) = app
        .post(
            "/api/v1/orgs",
            Some(&operator),
            json!({"name": "Other", "hr_email": f.hr_a.email}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{taken}");

    // The invitation makes its HR person, of that org.
    let token = token_from_mail(&app, "hr@mirai.example").await;
    let (status, session) = app
        .post(
            "/api/v1/invitations/accept",
            None,
            json!({"token": token, "password": "a long enough passphrase", "display_name": "人事 太郎"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{session}");
    assert_eq!(session["role"], "hr");
    let (_, me) = app
        .get("/api/v1/me", session["access_token"].as_str())
        .await;
    assert_eq!(me["org_id"], created["id"]);
    let (status, list) = app.get("/api/v1/orgs", Some(&operator)).await;
    assert_eq!(status, StatusCode::OK);
    let mirai = list["items"]
        .as_array()
        .and_then(|o| o.iter().find(|o| o["name"] == "Mirai"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        (mirai["hr"].as_i64(), mirai["employees"].as_i64()),
        (Some(1), Some(0)),
        "{list}"
    );
    assert!(
        !list.to_string().contains("人事 太郎"),
        "no names of people in the list"
    );
    app.stop().await;
}

/// The preview answers, row by row, what sending would do — the same
/// columns, the same checks, the age bands people write read into codes —
/// and neither stores an invitation nor sends an email; the file it passes
/// is then sent as previewed.
async fn the_preview_reads_every_row_as_sending_would_and_sends_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixtures.clone();
    let hr = app.token(&f.hr_a).await;
    let path = format!("/api/v1/orgs/{}/invitations", f.org_a);
    let upload = |path: String, csv: &'static str| {
        app.http
            .post(format!("{}{path}", app.base))
            .bearer_auth(&hr)
            .header("content-type", "text/csv; charset=utf-8")
            .body(csv)
            .send()
    };
    let csv = "\u{feff}メールアドレス,氏名,フリガナ,部署,年代\n\
        hana@a.example.com,佐藤 花子,さとう はなこ,営業部,30代\n\
        HANA@a.example.com,,,営業部,３０～３９\n\
        not-an-email,,Sato,開発部,若手\n\
        ken@a.example.com,,,開発部,60歳以上\n";
    let answer = upload(format!("{path}/preview"), csv)
        .await
        .expect("preview");
    assert_eq!(answer.status(), StatusCode::OK);
    let body: Value = answer.json().await.expect("json");
    assert_eq!(
        (body["invitable"].clone(), body["invalid"].clone()),
        (json!(2), json!(1)),
        "{body}"
    );
    let rows = body["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[0]["row"], 2, "the header is row 1");
    assert_eq!(rows[0]["age_band"], "30s");
    assert_eq!(rows[0]["name_reading"], "サトウ ハナコ");
    assert_eq!(rows[0]["problems"], json!([]));
    assert_eq!(
        (rows[1]["duplicate"].clone(), rows[1]["age_band"].clone()),
        (json!(true), json!("30s"))
    );
    let codes: Vec<&str> = rows[2]["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .filter_map(|p| p["code"].as_str())
        .collect();
    assert_eq!(
        codes,
        ["email_no_at", "age_band_unknown", "name_reading_invalid"]
    );
    assert_eq!(rows[3]["age_band"], "60_plus");
    let (_, list) = app.get(&path, Some(&hr)).await;
    assert_eq!(
        list["items"].as_array().map(Vec::len),
        Some(0),
        "the preview stored nothing: {list}"
    );
    // Sending the same file refuses the same row; without it, sends.
    let answer = upload(path.clone(), csv).await.expect("send");
    assert_eq!(answer.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = answer.json().await.expect("json");
    assert_eq!(body["error"]["details"]["rows"][0]["row"], 4, "{body}");
    let fixed = "メールアドレス,氏名,フリガナ,部署,年代\n\
        hana@a.example.com,佐藤 花子,さとう はなこ,営業部,30代\n\
        HANA@a.example.com,,,営業部,３０～３９\n\
        ken@a.example.com,,,開発部,60歳以上\n";
    let answer = upload(format!("{path}/preview"), fixed)
        .await
        .expect("preview");
    let body: Value = answer.json().await.expect("json");
    assert_eq!(
        (body["invitable"].clone(), body["invalid"].clone()),
        (json!(2), json!(0)),
        "{body}"
    );
    let answer = upload(path.clone(), fixed).await.expect("send");
    assert_eq!(answer.status(), StatusCode::CREATED);
    let body: Value = answer.json().await.expect("json");
    assert_eq!(body["invited"].as_array().map(Vec::len), Some(2), "{body}");
    assert_eq!(body["skipped"][0]["reason"], "duplicate_in_request");
    // Bad input to the preview: a clear error, never a 500.
    for (content_type, bad, code) in [
        ("text/csv", "email\n", "no_addresses"),
        ("application/json", "{", "malformed_json"),
        ("text/plain", "email\nx@y.z\n", "unsupported_media_type"),
    ] {
        let answer = app
            .http
            .post(format!("{}{path}/preview", app.base))
            .bearer_auth(&hr)
            .header("content-type", content_type)
            .body(bad)
            .send()
            .await
            .expect("preview");
        assert!(answer.status().is_client_error(), "{bad:?}");
        let body: Value = answer.json().await.expect("json");
        assert_eq!(body["error"]["code"], code, "{bad:?}");
    }
    app.stop().await;
}
