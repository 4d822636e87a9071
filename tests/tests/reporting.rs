//! Reporting over HTTP on both backends: the taxonomy, intake of booking's
//! de-identified hand-off, and the theme report with small cells suppressed,
//! sensitive themes hidden, and HR of other orgs and other roles kept out.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};
use taiwa_tests::{Backend, TestApp, on_both_backends};

on_both_backends!(the_theme_report_protects_small_groups);

async fn the_theme_report_protects_small_groups(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixtures.clone();
    // Booking's hand-off, published through booking's outbox as booking does.
    let mut tx = app.db.begin_write().await.expect("tx");
    let mut publish = Vec::new();
    publish.extend((0..12).map(|i| (format!("w{i}"), vec!["workload", "career_direction"])));
    publish.push(("w0".to_owned(), vec!["workload"])); // the same person again
    publish.extend((0..3).map(|i| (format!("p{i}"), vec!["pay"])));
    publish.extend((0..12).map(|i| (format!("h{i}"), vec!["health"])));
    for (pseudonym, themes) in &publish {
        taiwa_booking::OUTBOX
            .enqueue(&mut tx, "booking.session_shared.v1", &json!({
                "org_id": f.org_a, "period": "2026-11", "pseudonym": pseudonym, "themes": themes,
                "summary": "業務量の相談", "cohort": null
            }))
            .await
            .expect("enqueue");
    }
    tx.commit().await.expect("commit");

    let hr = app.token(&f.hr_a).await;
    let path = format!(
        "/api/v1/orgs/{}/reports/themes?from=2026-11&to=2026-11",
        f.org_a
    );
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let report = loop {
        let (status, report) = app.get(&path, Some(&hr)).await;
        assert_eq!(status, StatusCode::OK, "{report}");
        let cells = report["rows"].as_array().map_or(0, Vec::len)
            + report["suppressed"].as_array().map_or(0, Vec::len);
        if cells == 3 {
            break report;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the hand-off did not arrive: {report}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(report["k"], 10);
    let count = |theme: &str| {
        report["rows"]
            .as_array()
            .and_then(|rows| rows.iter().find(|r| r["theme"] == theme))
            .map(|r| r["count"].clone())
    };
    assert_eq!(
        count("workload"),
        Some(json!(12)),
        "distinct people, not sessions: {report}"
    );
    assert_eq!(count("career_direction"), Some(json!(12)));
    let suppressed: Vec<&Value> = report["suppressed"]
        .as_array()
        .expect("suppressed")
        .iter()
        .collect();
    assert_eq!(suppressed.len(), 1);
    assert_eq!(suppressed[0]["theme"], "pay");
    assert!(
        suppressed[0].get("count").is_none(),
        "a suppressed cell carries no count"
    );
    assert!(
        !report.to_string().contains("health"),
        "sensitive themes never reach HR: {report}"
    );
    assert!(
        !report.to_string().contains("業務量"),
        "no verbatim text for HR"
    );

    let csv = app
        .http
        .get(format!(
            "{}/api/v1/orgs/{}/reports/themes.csv?from=2026-11&to=2026-11",
            app.base, f.org_a
        ))
        .bearer_auth(&hr)
        .send()
        .await
        .expect("csv");
    let text = csv.text().await.expect("text");
    assert!(
        text.contains("workload,2026-11,all,12")
            && text.contains("pay,2026-11,all,suppressed")
            && !text.contains("health"),
        "{text}"
    );

    assert_eq!(
        app.get(&path, Some(&app.token(&f.hr_b).await)).await.0,
        StatusCode::NOT_FOUND,
        "another org's HR"
    );
    for who in [&f.employee_a, &f.consultant, &f.operator] {
        assert_eq!(
            app.get(&path, Some(&app.token(who).await)).await.0,
            StatusCode::FORBIDDEN,
            "{}",
            who.email
        );
    }
    for bad in [
        "by=department",
        "from=2026-12&to=2026-11",
        "from=2026-13&to=2026-13",
        "from=2020-01&to=2026-11",
    ] {
        let (status, body) = app
            .get(
                &format!("/api/v1/orgs/{}/reports/themes?{bad}", f.org_a),
                Some(&hr),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {body}");
    }
    let (_, themes) = app.get("/api/v1/themes", None).await;
    assert!(themes.as_array().is_some_and(|t| {
        t.iter()
            .any(|x| x["code"] == "health" && x["sensitive"] == true)
    }));

    // Intake is idempotent on the event id.
    let id: String = sqlx::query_scalar("SELECT id FROM reporting_records LIMIT 1")
        .fetch_one(app.db.pool())
        .await
        .expect("id");
    let mut conn = app.db.pool().acquire().await.expect("conn");
    let again = taiwa_reporting::store::NewRecord {
        id: &id,
        org_id: f.org_a,
        period: "2026-11",
        pseudonym: "x",
        themes: &["pay".to_owned()],
        summary: "",
        cohort: None,
    };
    assert!(
        !taiwa_reporting::store::insert_record(&mut conn, &again, 0)
            .await
            .expect("insert"),
        "a redelivered event is not stored twice"
    );
    app.stop().await;
}
