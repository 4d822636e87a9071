//! The operators' taxonomy: themes added, renamed, retired and reinstated
//! over HTTP on both backends; booking learns each change from reporting's
//! event and checks records against it; a report keeps the names its
//! quarter was released under; nobody but an operator can change it.

use std::time::Duration;

use chrono::Duration as Span;
use reqwest::StatusCode;
use serde_json::{Value, json};
use taiwa_tests::{Backend, TestApp, on_both_backends};

on_both_backends!(operators_curate_the_taxonomy_and_old_reports_keep_their_names);

/// Writes a record with `themes` until booking answers something other
/// than `while_status`/`while_code` (it learns the taxonomy from an event),
/// at most ten seconds: the last answer.
async fn write_until(
    app: &TestApp,
    token: &str,
    booking: &str,
    themes: &[&str],
    while_code: &str,
) -> (StatusCode, Value) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let answer = app
            .post(
                &format!("/api/v1/bookings/{booking}/record"),
                Some(token),
                json!({"private_notes": "", "themes": themes, "org_summary": "生成AIの活用について話した。"}),
            )
            .await;
        if answer.1["error"]["code"] != while_code || tokio::time::Instant::now() > deadline {
            return answer;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn theme<'a>(taxonomy: &'a Value, code: &str) -> &'a Value {
    taxonomy["themes"]
        .as_array()
        .and_then(|t| t.iter().find(|t| t["code"] == code))
        .unwrap_or_else(|| panic!("no {code} in {taxonomy}"))
}

async fn operators_curate_the_taxonomy_and_old_reports_keep_their_names(backend: Backend) {
    let app = TestApp::spawn_seeded(backend, |db, f| async move {
        taiwa_tests::seed_booking(&db, &f, f.employee_a.id, -Span::hours(3), None).await;
        taiwa_tests::seed_booking(&db, &f, f.employee_a.id, -Span::hours(30), None).await;
    })
    .await;
    let f = app.fixtures.clone();
    let operator = app.token(&f.operator).await;
    let hr = app.token(&f.hr_a).await;
    let consultant = app.token(&f.consultant).await;
    let employee = app.token(&f.employee_a).await;

    // A record in a released quarter (2026-Q3), so HR's report has cells.
    let mut tx = app.db.begin_write().await.expect("tx");
    taiwa_reporting::store::record_session(
        &mut tx,
        app.db.backend(),
        &taiwa_reporting::store::NewRecord {
            id: &uuid::Uuid::now_v7().to_string(),
            org_id: f.org_a,
            period: "2026-08",
            pseudonym: "p1",
            themes: &["workload".to_owned()],
            summary: "業務量について。",
            cohort: None,
            crisis_path: false,
        },
        0,
    )
    .await
    .expect("record");
    tx.commit().await.expect("commit");
    let q3 = format!(
        "/api/v1/orgs/{}/reports/themes?from=2026-Q3&to=2026-Q3",
        f.org_a
    );
    let label_of = |report: &Value, code: &str| {
        report["labels"]
            .as_array()
            .and_then(|l| l.iter().find(|t| t["code"] == code))
            .map(|t| t["label_ja"].as_str().unwrap_or("").to_owned())
    };
    let (status, before) = app.get(&q3, Some(&hr)).await;
    assert_eq!(status, StatusCode::OK, "{before}");
    assert_eq!(
        label_of(&before, "workload").as_deref(),
        Some("業務量・働き方")
    );
    assert_eq!(label_of(&before, "health"), None, "never a sensitive theme");

    // Only operators curate; the others cannot even read the history.
    let (status, start) = app.get("/api/v1/operator/themes", Some(&operator)).await;
    assert_eq!(status, StatusCode::OK, "{start}");
    assert_eq!(start["version"], 1);
    assert_eq!(start["themes"].as_array().map(Vec::len), Some(13));
    let new_theme = json!({"code": "generative_ai", "label_ja": "生成AI・DX", "label_en": "Generative AI and DX"});
    for token in [&hr, &consultant, &employee] {
        assert_eq!(
            app.get("/api/v1/operator/themes", Some(token)).await.0,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            app.post("/api/v1/operator/themes", Some(token), new_theme.clone())
                .await
                .0,
            StatusCode::FORBIDDEN
        );
    }
    assert_eq!(
        app.post("/api/v1/operator/themes", None, new_theme.clone())
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );

    // Bad input: a clear error, nothing changed.
    for (body, status, code, field) in [
        (
            json!({"code": "AI!", "label_ja": "x", "label_en": "x"}),
            422,
            "invalid_code",
            Some("code"),
        ),
        (
            json!({"code": "crisis_path", "label_ja": "x", "label_en": "x"}),
            422,
            "invalid_code",
            Some("code"),
        ),
        (
            json!({"code": "new_one", "label_ja": " ", "label_en": "x"}),
            422,
            "invalid_label",
            Some("label_ja"),
        ),
        (
            json!({"code": "new_one", "label_ja": "x", "label_en": "a".repeat(41)}),
            422,
            "invalid_label",
            Some("label_en"),
        ),
        (
            json!({"code": "workload", "label_ja": "新しい", "label_en": "New"}),
            409,
            "theme_exists",
            None,
        ),
        (
            json!({"code": "new_one", "label_ja": "キャリアの方向性", "label_en": "New"}),
            409,
            "label_taken",
            None,
        ),
    ] {
        let (got, answer) = app
            .post("/api/v1/operator/themes", Some(&operator), body.clone())
            .await;
        assert_eq!(
            (got.as_u16(), answer["error"]["code"].as_str()),
            (status, Some(code)),
            "{body}: {answer}"
        );
        assert_eq!(
            answer["error"]["details"]["field"].as_str(),
            field,
            "{answer}"
        );
    }
    assert_eq!(
        app.get("/api/v1/operator/themes", Some(&operator)).await.1["version"],
        1
    );

    // A new theme: offered at once, and booking takes records with it once
    // reporting's event has reached it.
    let (status, added) = app
        .post("/api/v1/operator/themes", Some(&operator), new_theme)
        .await;
    assert_eq!(status, StatusCode::CREATED, "{added}");
    assert_eq!(added["version"], 2);
    assert_eq!(theme(&added, "generative_ai")["sensitive"], false);
    let (_, offered) = app.get("/api/v1/themes", None).await;
    assert!(offered.to_string().contains("generative_ai"), "{offered}");
    let (_, mine) = app.get("/api/v1/bookings", Some(&employee)).await;
    let held: Vec<String> = mine["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|b| b["id"].as_str().unwrap_or("").to_owned())
        .collect();
    let (status, body) = write_until(
        &app,
        &consultant,
        &held[0],
        &["generative_ai"],
        "unknown_theme",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = write_until(&app, &consultant, &held[1], &["no_such_theme"], "").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("unknown_theme"))
    );

    // Renamed: the new name from now on; the released quarter keeps the old.
    let (status, renamed) = app
        .call(
            "PUT",
            "/api/v1/operator/themes/workload",
            Some(&operator),
            Some(json!({"label_ja": "業務量・長時間労働", "label_en": "Workload and long hours"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{renamed}");
    let versions = &theme(&renamed, "workload")["versions"];
    assert_eq!(versions.as_array().map(Vec::len), Some(2), "{versions}");
    assert_eq!(versions[0]["label_ja"], "業務量・働き方");
    assert!(versions[0]["valid_from"].is_null() && versions[1]["valid_from"].is_string());
    let (_, now_offered) = app.get("/api/v1/themes", None).await;
    assert!(now_offered.to_string().contains("業務量・長時間労働"));
    let (_, after) = app.get(&q3, Some(&hr)).await;
    assert_eq!(
        label_of(&after, "workload").as_deref(),
        Some("業務量・働き方"),
        "{after}"
    );
    let csv = app
        .http
        .get(format!(
            "{}/api/v1/orgs/{}/reports/themes.csv?from=2026-Q3&to=2026-Q3&lang=ja",
            app.base, f.org_a
        ))
        .bearer_auth(&hr)
        .send()
        .await
        .expect("csv")
        .text()
        .await
        .expect("text");
    assert!(
        csv.contains("業務量・働き方") && !csv.contains("長時間労働"),
        "{csv}"
    );
    let mut conn = app.db.pool().acquire().await.expect("conn");
    let far = shared::time::to_db(chrono::Utc::now() + Span::days(1));
    let named_now = taiwa_reporting::store::taxonomy::themes_as_of(&mut conn, far)
        .await
        .expect("labels");
    assert!(named_now.iter().any(|t| t.label_ja == "業務量・長時間労働"));
    drop(conn);
    // The same names again: no new version.
    let (_, same) = app
        .call(
            "PUT",
            "/api/v1/operator/themes/workload",
            Some(&operator),
            Some(json!({"label_ja": "業務量・長時間労働", "label_en": "Workload and long hours"})),
        )
        .await;
    assert_eq!(same["version"], renamed["version"]);

    // Retired: not offered, refused for a new record once booking knows,
    // kept on the record that has it; sensitive themes stay.
    let (status, retired) = app
        .post(
            "/api/v1/operator/themes/generative_ai/retire",
            Some(&operator),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{retired}");
    assert!(theme(&retired, "generative_ai")["retired_at"].is_string());
    let (_, offered) = app.get("/api/v1/themes", None).await;
    assert!(!offered.to_string().contains("generative_ai"), "{offered}");
    let (_, all) = app.get("/api/v1/themes?include_retired=true", None).await;
    assert!(
        all.as_array().is_some_and(|t| t
            .iter()
            .any(|t| t["code"] == "generative_ai" && t["retired"] == true)),
        "{all}"
    );
    // Its name stays taken while it is retired (it may come back).
    let (status, body) = app
        .call(
            "PUT",
            "/api/v1/operator/themes/pay",
            Some(&operator),
            Some(json!({"label_ja": "生成AI・DX", "label_en": "Pay"})),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("label_taken")),
        "{body}"
    );
    // The record that carries it shows it in the consultant's form, marked
    // and checked, so saving the form again keeps it.
    let form = app
        .http
        .get(format!("{}/bookings/{}/record", app.base, held[0]))
        .header(
            "Cookie",
            format!("taiwa_lang=ja; taiwa_access={consultant}"),
        )
        .send()
        .await
        .expect("form")
        .text()
        .await
        .expect("html");
    assert!(
        form.contains(r#"value="generative_ai" checked"#) && form.contains("（廃止済み）"),
        "{form}"
    );
    // Booking hears of it from reporting's event (a write before that would
    // still take the theme, and the record would then keep it).
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let retired: i64 =
            sqlx::query_scalar("SELECT retired FROM booking_themes WHERE code = 'generative_ai'")
                .fetch_one(app.db.pool())
                .await
                .expect("booking's copy");
        if retired == 1 {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "booking never heard of the retirement"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (status, body) = write_until(&app, &consultant, &held[1], &["generative_ai"], "").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("retired_theme")),
        "{body}"
    );
    let (status, body) = write_until(
        &app,
        &consultant,
        &held[0],
        &["generative_ai", "skills"],
        "",
    )
    .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "a record keeps the retired theme it had: {body}"
    );
    let (status, body) = app
        .call(
            "PUT",
            "/api/v1/operator/themes/no_such_theme",
            Some(&operator),
            Some(json!({"label_ja": "キャリアの方向性", "label_en": "x"})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "no such theme before a taken name: {body}"
    );
    for (path, status, code) in [
        (
            "/api/v1/operator/themes/health/retire",
            StatusCode::CONFLICT,
            Some("sensitive_theme"),
        ),
        (
            "/api/v1/operator/themes/no_such_theme/retire",
            StatusCode::NOT_FOUND,
            Some("not_found"),
        ),
    ] {
        let (got, answer) = app.post(path, Some(&operator), json!({})).await;
        assert_eq!(
            (got, answer["error"]["code"].as_str()),
            (status, code),
            "{path}"
        );
    }
    let (status, back) = app
        .post(
            "/api/v1/operator/themes/generative_ai/reinstate",
            Some(&operator),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{back}");
    assert!(theme(&back, "generative_ai")["retired_at"].is_null());
    assert!(
        app.get("/api/v1/themes", None)
            .await
            .1
            .to_string()
            .contains("generative_ai")
    );

    // Every change is in reporting's audit log, by the operator.
    let (_, audit) = app.get("/api/v1/reporting/audit", Some(&operator)).await;
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|e| e["action"].as_str())
        .filter(|a| a.starts_with("taxonomy."))
        .collect();
    assert_eq!(
        actions,
        [
            "taxonomy.reinstate",
            "taxonomy.retire",
            "taxonomy.rename",
            "taxonomy.add"
        ],
        "{audit}"
    );
    app.stop().await;
}
