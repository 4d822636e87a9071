//! Reporting over HTTP on both backends: the taxonomy, intake of booking's
//! de-identified hand-off, and the theme report with small cells suppressed,
//! sensitive themes hidden, and HR of other orgs and other roles kept out.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};
use taiwa_tests::{Backend, TestApp, on_both_backends};

on_both_backends!(
    the_theme_report_protects_small_groups,
    cohort_breakdowns_hide_what_subtraction_would_reveal,
    usage_counts_sessions_and_credits_per_quarter,
    noisy_releases_spend_a_yearly_budget,
    operators_see_emerging_themes_as_terms_only,
);

/// Publishes booking's hand-off events as booking does (through its outbox).
async fn publish(app: &TestApp, month: &str, people: &[(String, Vec<&str>, Value)]) {
    publish_flagged(app, month, people, false).await;
}

/// As [`publish`], the records carrying the crisis-path flag or not. A month
/// of a released quarter is written straight into reporting's store, as
/// intake took it in before the release (intake now refuses it: a released
/// quarter never changes); an open month goes through booking's outbox.
async fn publish_flagged(
    app: &TestApp,
    month: &str,
    people: &[(String, Vec<&str>, Value)],
    crisis_path: bool,
) {
    let released = shared::quarters::Quarter::of_month(month)
        .is_some_and(|q| q.is_released(shared::time::now()));
    let mut tx = app.db.begin_write().await.expect("tx");
    for (pseudonym, themes, cohort) in people {
        if released {
            let themes: Vec<String> = themes.iter().map(|t| (*t).to_owned()).collect();
            taiwa_reporting::store::record_session(
                &mut tx,
                app.db.backend(),
                &taiwa_reporting::store::NewRecord {
                    id: &uuid::Uuid::now_v7().to_string(),
                    org_id: app.fixtures.org_a,
                    period: month,
                    pseudonym,
                    themes: &themes,
                    summary: "業務量の相談",
                    cohort: (!cohort.is_null()).then(|| cohort.to_string()),
                    crisis_path,
                },
                0,
            )
            .await
            .expect("record");
            continue;
        }
        taiwa_booking::OUTBOX
            .publish(
                &mut tx,
                &shared::contracts::SessionShared {
                    org_id: app.fixtures.org_a,
                    period: month.to_owned(),
                    pseudonym: pseudonym.clone(),
                    themes: themes.iter().map(|t| (*t).to_owned()).collect(),
                    summary: "業務量の相談".to_owned(),
                    cohort: serde_json::from_value(cohort.clone()).expect("a cohort"),
                    crisis_path,
                },
            )
            .await
            .expect("publish");
    }
    tx.commit().await.expect("commit");
}

/// Polls the report until `ready` holds (the hand-off is delivered asynchronously).
async fn report_when(
    app: &TestApp,
    hr: &str,
    query: &str,
    ready: impl Fn(&Value) -> bool,
) -> Value {
    let path = format!("/api/v1/orgs/{}/reports/themes?{query}", app.fixtures.org_a);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let (status, report) = app.get(&path, Some(hr)).await;
        assert_eq!(status, StatusCode::OK, "{report}");
        if ready(&report) {
            return report;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the hand-off did not arrive: {report}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until reporting has taken in `n` records.
async fn wait_for_records(app: &TestApp, n: usize) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    loop {
        let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM reporting_records")
            .fetch_one(app.db.pool())
            .await
            .expect("count");
        if stored as usize >= n {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "only {stored} of {n} records arrived"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Every tally row, sorted (zero rows left out).
async fn tally_rows(app: &TestApp) -> Vec<(String, String, String, String, i64)> {
    sqlx::query_as(
        "SELECT org_id, quarter, cohort, theme, people FROM reporting_tallies WHERE people <> 0 \
         ORDER BY org_id, quarter, cohort, theme",
    )
    .fetch_all(app.db.pool())
    .await
    .expect("tallies")
}

/// The tallies intake kept equal a rebuild from the records.
async fn assert_tallies_match_a_rebuild(app: &TestApp) {
    let kept = tally_rows(app).await;
    assert!(!kept.is_empty(), "intake tallied nothing");
    let mut tx = app.db.begin_write().await.expect("tx");
    taiwa_reporting::store::rebuild_tallies(&mut tx)
        .await
        .expect("rebuild");
    tx.commit().await.expect("commit");
    assert_eq!(tally_rows(app).await, kept);
}

fn rows(report: &Value) -> usize {
    report["rows"].as_array().map_or(0, Vec::len)
}

async fn the_theme_report_protects_small_groups(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixtures.clone();
    let mut people = Vec::new();
    people.extend((0..12).map(|i| {
        (
            format!("w{i}"),
            vec!["workload", "career_direction"],
            Value::Null,
        )
    }));
    people.push(("w0".to_owned(), vec!["workload"], Value::Null)); // the same person again
    people.extend((0..3).map(|i| (format!("p{i}"), vec!["pay"], Value::Null)));
    people.extend((0..12).map(|i| (format!("h{i}"), vec!["health"], Value::Null)));
    // August and September are one quarter, released 7 days after it ended.
    publish(&app, "2026-08", &people[..6]).await;
    publish(&app, "2026-09", &people[6..]).await;
    // Eleven of the twelve on health agreed to the crisis path in a second session.
    let crisis: Vec<(String, Vec<&str>, Value)> = (0..11)
        .map(|i| (format!("h{i}"), vec!["health"], Value::Null))
        .collect();
    publish_flagged(&app, "2026-09", &crisis, true).await;
    wait_for_records(&app, people.len() + crisis.len()).await;

    let hr = app.token(&f.hr_a).await;
    let path = format!(
        "/api/v1/orgs/{}/reports/themes?from=2026-Q3&to=2026-Q3",
        f.org_a
    );
    let report = report_when(&app, &hr, "from=2026-Q3&to=2026-Q3", |r| rows(r) == 2).await;
    assert_eq!(report["released"], json!(["2026-Q3"]));
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
    assert_eq!(
        suppressed.len(),
        9,
        "every other non-sensitive theme is listed as hidden, raised or not: {report}"
    );
    let pay = suppressed
        .iter()
        .find(|s| s["theme"] == "pay")
        .expect("pay is hidden");
    assert_eq!(pay["reason"], "fewer_than_k");
    assert!(
        pay.get("count").is_none(),
        "a suppressed cell carries no count"
    );
    assert!(
        !report.to_string().contains("health"),
        "sensitive themes never reach HR: {report}"
    );
    assert!(
        !report.to_string().contains("業務量の相談"),
        "no verbatim text for HR (the themes' names are the taxonomy's)"
    );
    // The whole report, field by field, as HR's clients read it (the same
    // snapshot on both backends).
    insta::assert_snapshot!(
        "theme_report_json",
        serde_json::to_string_pretty(&report).expect("json")
    );

    let csv = app
        .http
        .get(format!(
            "{}/api/v1/orgs/{}/reports/themes.csv?from=2026-Q3&to=2026-Q3",
            app.base, f.org_a
        ))
        .bearer_auth(&hr)
        .send()
        .await
        .expect("csv");
    let text = csv.text().await.expect("text");
    assert!(
        text.contains("workload,2026-Q3,all,12,")
            && text.contains("pay,2026-Q3,all,,fewer_than_k")
            && !text.contains("health"),
        "{text}"
    );
    insta::assert_snapshot!("theme_report_csv", text);
    // Labelled for people in the page's language: headers, theme names,
    // groups and reasons; no code, and still no sensitive theme.
    let (_, themes) = app.get("/api/v1/themes", None).await;
    let label = |code: &str, lang: &str| {
        themes
            .as_array()
            .expect("themes")
            .iter()
            .find(|t| t["code"] == code)
            .and_then(|t| t[format!("label_{lang}")].as_str())
            .expect("label")
            .to_owned()
    };
    for (lang, header, all, hidden) in [
        (
            "ja",
            "テーマ,四半期,グループ,人数,非表示の理由",
            "全体",
            "人数が少ないため",
        ),
        (
            "en",
            "Theme,Quarter,Group,People,Hidden because",
            "Everyone",
            "Too few people",
        ),
    ] {
        let labelled = app
            .http
            .get(format!(
                "{}/api/v1/orgs/{}/reports/themes.csv?from=2026-Q3&to=2026-Q3&lang={lang}",
                app.base, f.org_a
            ))
            .bearer_auth(&hr)
            .send()
            .await
            .expect("csv")
            .text()
            .await
            .expect("text");
        let lines: Vec<&str> = labelled.trim_start_matches('\u{feff}').lines().collect();
        assert_eq!(lines[0], header);
        assert_eq!(lines.len(), text.lines().count(), "the same cells");
        let workload = format!("{},2026-Q3,{all},12,", label("workload", lang));
        let pay = format!("{},2026-Q3,{all},,{hidden}", label("pay", lang));
        assert!(
            lines.contains(&workload.as_str()) && lines.contains(&pay.as_str()),
            "{labelled}"
        );
        for code in ["workload", "fewer_than_k", ",all,"] {
            assert!(!labelled.contains(code), "{code} in {labelled}");
        }
        assert!(!labelled.contains(&label("health", lang)), "{labelled}");
    }

    // The export was audited: who, what, when; operators read the trail.
    let (status, audit) = app
        .get(
            "/api/v1/reporting/audit",
            Some(&app.token(&f.operator).await),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{audit}");
    assert_eq!(audit["items"][0]["action"], "report.export");
    assert_eq!(audit["items"][0]["actor_id"], f.hr_a.id.to_string());
    assert_eq!(audit["items"][0]["object_id"], f.org_a.to_string());
    assert_eq!(
        app.get("/api/v1/reporting/audit", Some(&hr)).await.0,
        StatusCode::FORBIDDEN
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
        "by=religion",
        "from=2026-Q4&to=2026-Q3",
        "from=2026-13&to=2026-13",
        "from=2026-Q5",
        "from=2020-Q1&to=2026-Q3",
    ] {
        let (status, body) = app
            .get(
                &format!("/api/v1/orgs/{}/reports/themes?{bad}", f.org_a),
                Some(&hr),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {body}");
    }
    // The quarter still running is not released yet.
    let (_, current) = app
        .get(
            &format!(
                "/api/v1/orgs/{}/reports/themes?from=2026-Q3&to=2099-Q4",
                f.org_a
            ),
            Some(&hr),
        )
        .await;
    assert_eq!(current["error"]["code"], "invalid_period", "{current}");
    let now = chrono::Utc::now();
    let this_quarter = format!(
        "{}-Q{}",
        chrono::Datelike::year(&now),
        chrono::Datelike::month(&now).div_ceil(3)
    );
    let (status, current) = app
        .get(
            &format!("/api/v1/orgs/{}/reports/themes?to={this_quarter}", f.org_a),
            Some(&hr),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(current["pending"], json!([this_quarter]), "{current}");
    assert!(
        current["rows"]
            .as_array()
            .is_some_and(|r| r.iter().all(|c| c["period"] != this_quarter.as_str())),
        "{current}"
    );
    let (_, themes) = app.get("/api/v1/themes", None).await;
    assert!(themes.as_array().is_some_and(|t| {
        t.iter()
            .any(|x| x["code"] == "health" && x["sensitive"] == true)
    }));

    // Operators see the sensitive themes HR never sees, under the same rules.
    let (status, sensitive) = app
        .get(
            "/api/v1/operator/sensitive-themes?from=2026-Q3&to=2026-Q3",
            Some(&app.token(&f.operator).await),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{sensitive}");
    let sensitive_cell = |theme: &str| {
        sensitive["cells"]
            .as_array()
            .and_then(|c| {
                c.iter()
                    .find(|c| c["theme"] == theme && c["org_id"] == f.org_a.to_string())
            })
            .cloned()
            .unwrap_or_default()
    };
    assert_eq!(sensitive_cell("health")["count"], 12, "{sensitive}");
    assert_eq!(
        sensitive_cell("crisis_path")["count"],
        11,
        "distinct people with the flag: {sensitive}"
    );
    for by in ["none", "department", "age_band"] {
        let (_, hr_view) = app.get(&format!("{path}&by={by}"), Some(&hr)).await;
        let text = hr_view.to_string();
        assert!(
            !text.contains("crisis") && !text.contains("health"),
            "HR never sees sensitive themes or the flag: {text}"
        );
    }
    assert_eq!(
        app.get("/api/v1/operator/sensitive-themes", Some(&hr))
            .await
            .0,
        StatusCode::FORBIDDEN
    );

    // "You said, we did": HR answers a released theme; employees read it.
    let responses = format!("/api/v1/orgs/{}/responses", f.org_a);
    for (theme, period, expected) in [
        ("pay", "2026-Q3", StatusCode::CONFLICT),
        ("health", "2026-Q3", StatusCode::CONFLICT),
        ("workload", "2099-Q1", StatusCode::UNPROCESSABLE_ENTITY),
        ("workload", "2026-09", StatusCode::UNPROCESSABLE_ENTITY),
    ] {
        let (status, body) = app
            .post(
                &responses,
                Some(&hr),
                json!({"theme": theme, "period": period, "message": "検討します"}),
            )
            .await;
        assert_eq!(status, expected, "{theme} {period}: {body}");
    }
    let (status, published) = app
        .post(
            &responses,
            Some(&hr),
            json!({"theme": "workload", "period": "2026-Q3", "message": "10月から業務量の見直しを始めました。"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{published}");
    let employee = app.token(&f.employee_a).await;
    let (status, list) = app.get(&responses, Some(&employee)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        list["items"][0]["message"],
        "10月から業務量の見直しを始めました。"
    );
    assert_eq!(
        app.post(
            &responses,
            Some(&employee),
            json!({"theme": "workload", "period": "2026-Q3", "message": "x"})
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get(&responses, Some(&app.token(&f.employee_b).await))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&responses, Some(&app.token(&f.consultant).await))
            .await
            .0,
        StatusCode::FORBIDDEN
    );

    // Intake is idempotent on the event id.
    let id: String = sqlx::query_scalar("SELECT id FROM reporting_records LIMIT 1")
        .fetch_one(app.db.pool())
        .await
        .expect("id");
    let tallies = tally_rows(&app).await;
    let mut tx = app.db.begin_write().await.expect("tx");
    let again = taiwa_reporting::store::NewRecord {
        id: &id,
        org_id: f.org_a,
        period: "2026-08",
        pseudonym: "x",
        themes: &["pay".to_owned()],
        summary: "",
        cohort: None,
        crisis_path: false,
    };
    assert!(
        !taiwa_reporting::store::record_session(&mut tx, app.db.backend(), &again, 0)
            .await
            .expect("insert"),
        "a redelivered event is not stored twice"
    );
    tx.commit().await.expect("commit");
    assert_eq!(tally_rows(&app).await, tallies, "nor tallied twice");
    assert_tallies_match_a_rebuild(&app).await;
    app.stop().await;
}

async fn cohort_breakdowns_hide_what_subtraction_would_reveal(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let hr = app.token(&app.fixtures.hr_a).await;
    // Sales: 30 people, 15 raised workload; dev: 30, 14; legal: 30, 4; and 20
    // people who did not consent to cohort reporting, 2 of them on workload.
    let mut people = Vec::new();
    for (dept, n, raised) in [("sales", 30, 15), ("dev", 30, 14), ("legal", 30, 4)] {
        for i in 0..n {
            let themes = if i < raised {
                vec!["workload"]
            } else {
                vec!["skills"]
            };
            people.push((
                format!("{dept}{i}"),
                themes,
                json!({"department": dept, "age_band": "30s"}),
            ));
        }
    }
    people.extend((0..20).map(|i| {
        (
            format!("n{i}"),
            vec![if i < 2 { "workload" } else { "skills" }],
            Value::Null,
        )
    }));
    let sizes = serde_json::from_value(json!({
        "department": {"sales": 60, "dev": 60, "legal": 60, "tiny": 40},
        "age_band": {"30s": 400},
    }))
    .expect("sizes");
    let mut conn = app.db.pool().acquire().await.expect("conn");
    taiwa_reporting::store::replace_cohort_sizes(&mut conn, app.fixtures.org_a, &sizes, 1)
        .await
        .expect("sizes");
    drop(conn);
    publish(&app, "2026-05", &people).await;
    // Q1: a tiny team of 40 employees, 20 of whom talked (15 about workload),
    // among 30 others: it clears k, but only teams of 50 or more are groups.
    let mut q1: Vec<(String, Vec<&str>, Value)> = (0..20)
        .map(|i| {
            let theme = if i < 15 { "workload" } else { "skills" };
            (
                format!("tiny{i}"),
                vec![theme],
                json!({"department": "tiny"}),
            )
        })
        .collect();
    q1.extend((0..30).map(|i| (format!("o{i}"), vec!["skills"], Value::Null)));
    publish(&app, "2026-02", &q1).await;
    wait_for_records(&app, people.len() + q1.len()).await;
    let tiny = report_when(&app, &hr, "from=2026-Q1&to=2026-Q1&by=department", |_| true).await;
    assert!(!tiny.to_string().contains("tiny"), "{tiny}");
    let all = report_when(&app, &hr, "from=2026-Q2&to=2026-Q2", |_| true).await;
    let cell = |report: &Value, theme: &str, group: &str, key: &str| {
        ["rows", "suppressed"]
            .iter()
            .flat_map(|list| report[*list].as_array().cloned().unwrap_or_default())
            .find(|c| c["theme"] == theme && c["group"] == group)
            .map(|c| c[key].clone())
    };
    assert_eq!(
        cell(&all, "workload", "all", "count"),
        Some(json!(35)),
        "{all}"
    );
    let by_dept = report_when(&app, &hr, "from=2026-Q2&to=2026-Q2&by=department", |_| true).await;
    assert_eq!(by_dept["by"], "department");
    assert_eq!(
        cell(&by_dept, "workload", "sales", "count"),
        Some(json!(15)),
        "{by_dept}"
    );
    assert_eq!(
        cell(&by_dept, "workload", "legal", "reason"),
        Some(json!("fewer_than_k"))
    );
    assert_eq!(
        cell(&by_dept, "workload", "dev", "reason"),
        Some(json!("complementary")),
        "35 - 15 - 14 would give legal and the others: {by_dept}"
    );
    // Everyone with a cohort is in their 30s: releasing 30s (33 on workload)
    // would show that 2 of the 20 without cohort consent raised it.
    let by_age = report_when(&app, &hr, "from=2026-Q2&to=2026-Q2&by=age_band", |_| true).await;
    assert_eq!(
        cell(&by_age, "workload", "30s", "reason"),
        Some(json!("complementary")),
        "{by_age}"
    );
    assert!(
        !by_age.to_string().contains("\"n1") && !by_dept.to_string().contains("legal0"),
        "no pseudonyms reach HR"
    );
    assert_tallies_match_a_rebuild(&app).await;
    app.stop().await;
}

async fn usage_counts_sessions_and_credits_per_quarter(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixtures.clone();
    let mut tx = app.db.begin_write().await.expect("tx");
    let mut closed = Vec::new();
    // Q3: 12 people, 14 sessions held (two people twice), one missed.
    closed.extend((0..12).map(|i| ("2026-08", format!("u{i}"), "held")));
    closed.extend((0..2).map(|i| ("2026-09", format!("u{i}"), "held")));
    closed.push(("2026-09", "u5".to_owned(), "no_show"));
    // Q2: only 3 people.
    closed.extend((0..3).map(|i| ("2026-05", format!("v{i}"), "held")));
    // Released quarters: as intake took them in before their release.
    for (month, pseudonym, outcome) in &closed {
        taiwa_reporting::store::insert_usage(
            &mut tx,
            &uuid::Uuid::now_v7().to_string(),
            f.org_a,
            month,
            pseudonym,
            outcome,
            0,
        )
        .await
        .expect("usage");
    }
    tx.commit().await.expect("commit");
    let hr = app.token(&f.hr_a).await;
    let path = format!(
        "/api/v1/orgs/{}/reports/usage?from=2026-Q2&to=2026-Q3",
        f.org_a
    );
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let usage = loop {
        let (status, usage) = app.get(&path, Some(&hr)).await;
        assert_eq!(status, StatusCode::OK, "{usage}");
        if rows(&usage) == 1 && usage["rows"][0]["no_shows"] == 1 {
            break usage;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "usage never arrived: {usage}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(
        usage["rows"][0],
        json!({"period": "2026-Q3", "people": 12, "sessions_held": 14, "no_shows": 1, "credits_used": 15})
    );
    assert_eq!(
        usage["suppressed"],
        json!([{"period": "2026-Q2", "reason": "fewer_than_k"}])
    );
    assert_eq!(
        app.get(&path, Some(&app.token(&f.hr_b).await)).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&path, Some(&app.token(&f.employee_a).await))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    app.stop().await;
}

async fn noisy_releases_spend_a_yearly_budget(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let hr = app.token(&app.fixtures.hr_a).await;
    let people: Vec<(String, Vec<&str>, Value)> = (0..40)
        .map(|i| {
            (
                format!("p{i}"),
                if i < 20 {
                    vec!["workload"]
                } else {
                    vec!["skills"]
                },
                Value::Null,
            )
        })
        .collect();
    publish(&app, "2026-08", &people).await;
    wait_for_records(&app, people.len()).await;
    let exact = report_when(&app, &hr, "from=2026-Q3&to=2026-Q3", |r| rows(r) == 2).await;
    assert!(exact["noise"].is_null());
    for (bad, why) in [
        ("noise=true&epsilon=0.01", "too small"),
        ("epsilon=1", "without noise=true"),
    ] {
        let (status, _) = app
            .get(
                &format!(
                    "/api/v1/orgs/{}/reports/themes?from=2026-Q3&to=2026-Q3&{bad}",
                    app.fixtures.org_a
                ),
                Some(&hr),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{why}");
    }
    let noisy_path = format!(
        "/api/v1/orgs/{}/reports/themes?from=2026-Q3&to=2026-Q3&noise=true",
        app.fixtures.org_a
    );
    for left in [3.0, 2.0, 1.0, 0.0] {
        let (status, noisy) = app.get(&noisy_path, Some(&hr)).await;
        assert_eq!(status, StatusCode::OK, "{noisy}");
        assert_eq!(noisy["noise"]["epsilon"], 1.0);
        assert_eq!(noisy["noise"]["budget_left"], left);
        assert_eq!(rows(&noisy), 2, "the same cells are released");
        assert_eq!(
            noisy["suppressed"], exact["suppressed"],
            "suppression uses the true counts"
        );
    }
    let (status, refused) = app.get(&noisy_path, Some(&hr)).await;
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    assert_eq!(refused["error"]["code"], "privacy_budget_spent");
    // Exact reports are not part of the budget.
    assert_eq!(
        app.get(&noisy_path.replace("&noise=true", ""), Some(&hr))
            .await
            .0,
        StatusCode::OK
    );
    app.stop().await;
}

async fn operators_see_emerging_themes_as_terms_only(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let topics: [(&[&str], &str); 3] = [
        (
            &[
                "在宅勤務で通勤はなくなった",
                "在宅勤務の孤立感がつらい",
                "在宅の評価が不安",
            ],
            "workload",
        ),
        (
            &[
                "親の介護と仕事の両立",
                "介護休業の使い方を知りたい",
                "遠距離介護の負担",
            ],
            "life_events",
        ),
        (
            &[
                "生成AIで仕事がなくなる不安",
                "生成AIの活用を学びたい",
                "生成AI時代のキャリア",
            ],
            "skills",
        ),
    ];
    let mut tx = app.db.begin_write().await.expect("tx");
    let mut n = 0;
    for (t, (phrases, theme)) in topics.iter().enumerate() {
        for i in 0..15 {
            // The AI sessions are tagged with several themes: none explains them.
            let theme = if t == 2 {
                ["skills", "career_direction", "job_change"][i % 3]
            } else {
                theme
            };
            let summary = format!("{}。{}。", phrases[i % 3], phrases[(i + 1) % 3]);
            // A released quarter: as intake took it in before the release.
            taiwa_reporting::store::record_session(
                &mut tx,
                app.db.backend(),
                &taiwa_reporting::store::NewRecord {
                    id: &uuid::Uuid::now_v7().to_string(),
                    org_id: app.fixtures.org_a,
                    period: "2026-08",
                    pseudonym: &format!("e{t}-{i}"),
                    themes: &[theme.to_owned()],
                    summary: &summary,
                    cohort: None,
                    crisis_path: false,
                },
                0,
            )
            .await
            .expect("record");
            n += 1;
        }
    }
    tx.commit().await.expect("commit");
    wait_for_records(&app, n).await;
    let path = "/api/v1/operator/emerging-themes?from=2026-Q3&to=2026-Q3";
    let operator = app.token(&app.fixtures.operator).await;
    let (status, found) = app.get(path, Some(&operator)).await;
    assert_eq!(status, StatusCode::OK, "{found}");
    assert_eq!(found["documents"], 45);
    let clusters = found["clusters"].as_array().expect("clusters");
    let about = |term: &str| {
        clusters
            .iter()
            .find(|c| {
                c["top_terms"]
                    .as_array()
                    .is_some_and(|t| t.iter().any(|x| x == term))
            })
            .cloned()
            .unwrap_or_else(|| panic!("no cluster about {term}: {found}"))
    };
    assert_eq!(about("生成ai")["emerging"], true, "{found}");
    // Words, not character bigrams: 介護休業 reads as 介護 and 休業.
    let care_terms = about("介護")["top_terms"].to_string();
    assert!(
        care_terms.contains("休業") && !care_terms.contains("護休"),
        "{care_terms}"
    );
    assert_eq!(about("介護")["emerging"], false);
    assert_eq!(about("介護")["dominant_theme"], "life_events");
    assert!(
        clusters
            .iter()
            .all(|c| c["size"].as_u64().unwrap_or(0) >= 10)
    );
    assert!(
        !found.to_string().contains("遠距離介護の負担"),
        "terms only, never a summary"
    );
    for who in [
        &app.fixtures.hr_a,
        &app.fixtures.employee_a,
        &app.fixtures.consultant,
    ] {
        assert_eq!(
            app.get(path, Some(&app.token(who).await)).await.0,
            StatusCode::FORBIDDEN
        );
    }
    app.stop().await;
}
