//! Matching over HTTP on both backends: the assessment, ten candidates with
//! reasons and who may never appear, "ten more", exclusions, search in
//! Japanese and English, profiles and their approval, and booking's events.

use std::collections::HashSet;
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};
use shared::db::Db;
use shared::ids::UserId;
use taiwa_matching::domain::profile::{ApprovalStatus, ConsultantId, ProfileDraft};
use taiwa_matching::store;
use taiwa_tests::{Backend, Fixtures, TestApp, on_both_backends};

on_both_backends!(
    the_assessment_then_ten_candidates_with_reasons,
    search_finds_japanese_substrings_and_english_words,
    profiles_wait_for_an_operators_approval,
    booking_events_update_availability,
);

fn draft(name: &str, headline: &str, specialties: &[&str], languages: &[&str]) -> ProfileDraft {
    ProfileDraft {
        display_name: name.to_owned(),
        headline: headline.to_owned(),
        message: String::new(),
        qualification: "national_career_consultant".to_owned(),
        registration_number: "16012345".to_owned(),
        specialties: specialties.iter().map(|s| (*s).to_owned()).collect(),
        industries: vec!["IT".to_owned()],
        languages: languages.iter().map(|s| (*s).to_owned()).collect(),
        years_experience: 10,
        region: "kanto".to_owned(),
        gender: None,
        age_band: None,
        session_formats: vec!["video".to_owned()],
        affiliated_org_ids: vec![],
        accepting_clients: true,
    }
}

/// Ids of consultants that must never be proposed to employee A.
#[derive(Default)]
struct Special {
    ineligible: Vec<ConsultantId>,
    tenshoku: Option<ConsultantId>,
    english: Option<ConsultantId>,
}

async fn add(db: &Db, draft: &ProfileDraft, status: ApprovalStatus) -> ConsultantId {
    let id = ConsultantId(UserId::new().0);
    let mut conn = db.pool().acquire().await.expect("conn");
    store::upsert_profile(&mut conn, id, draft, 0)
        .await
        .expect("profile");
    store::set_status(&mut conn, id, status, 0)
        .await
        .expect("status");
    id
}

async fn catalogue(db: Db, f: Fixtures) -> Special {
    let mut special = Special::default();
    for n in 0..30 {
        let specialties: &[&str] = if n % 2 == 0 {
            &["career_change", "skills"]
        } else {
            &["management", "workload"]
        };
        add(
            &db,
            &draft(
                &format!("相談員 {n}"),
                "一緒に考えます",
                specialties,
                &["ja"],
            ),
            ApprovalStatus::Approved,
        )
        .await;
    }
    special.tenshoku = Some(
        add(
            &db,
            &draft(
                "転職 さん",
                "キャリア転職支援のプロ",
                &["career_change"],
                &["ja"],
            ),
            ApprovalStatus::Approved,
        )
        .await,
    );
    special.english = Some(
        add(
            &db,
            &draft(
                "Emily Smith",
                "Career conversations for international staff",
                &["global"],
                &["en"],
            ),
            ApprovalStatus::Approved,
        )
        .await,
    );
    special.ineligible.push(
        add(
            &db,
            &draft("保留 さん", "キャリア転職支援", &["career_change"], &["ja"]),
            ApprovalStatus::Pending,
        )
        .await,
    );
    special.ineligible.push(
        add(
            &db,
            &draft("停止 さん", "一緒に考えます", &["career_change"], &["ja"]),
            ApprovalStatus::Suspended,
        )
        .await,
    );
    special.ineligible.push(
        add(
            &db,
            &draft("却下 さん", "一緒に考えます", &["career_change"], &["ja"]),
            ApprovalStatus::Rejected,
        )
        .await,
    );
    let mut full = draft("満員 さん", "一緒に考えます", &["career_change"], &["ja"]);
    full.accepting_clients = false;
    special
        .ineligible
        .push(add(&db, &full, ApprovalStatus::Approved).await);
    let mut affiliated = draft("社内 さん", "一緒に考えます", &["career_change"], &["ja"]);
    affiliated.affiliated_org_ids = vec![f.org_a];
    special
        .ineligible
        .push(add(&db, &affiliated, ApprovalStatus::Approved).await);
    // English only: not proposed to an employee who speaks Japanese only.
    special.ineligible.push(
        special
            .english
            .unwrap_or_else(|| ConsultantId(UserId::new().0)),
    );
    special
}

fn answers(value: impl Fn(usize, &Value) -> i64, instrument: &Value) -> Value {
    let items = instrument["items"].as_array().expect("items");
    json!({ "answers": items.iter().enumerate().map(|(i, it)| json!({"item_id": it["id"], "value": value(i, it)})).collect::<Vec<_>>() })
}

fn ids(body: &Value) -> Vec<String> {
    body["candidates"]
        .as_array()
        .expect("candidates")
        .iter()
        .map(|c| {
            c["consultant"]["id"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
        .collect()
}

async fn the_assessment_then_ten_candidates_with_reasons(backend: Backend) {
    let special = std::sync::Arc::new(std::sync::Mutex::new(Special::default()));
    let s2 = special.clone();
    let app = TestApp::spawn_seeded(backend, |db, f| async move {
        let made = catalogue(db, f).await;
        *s2.lock().expect("lock") = made;
    })
    .await;
    let ineligible: HashSet<String> = special
        .lock()
        .expect("lock")
        .ineligible
        .iter()
        .map(|i| i.to_string())
        .collect();
    let f = app.fixtures.clone();
    let employee = app.token(&f.employee_a).await;

    let (status, instrument) = app.get("/api/v1/assessment", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(instrument["scale"], json!({"min": 1, "max": 6}));
    assert_eq!(instrument["dimensions"].as_array().map(Vec::len), Some(10));
    assert_eq!(instrument["items"].as_array().map(Vec::len), Some(50));

    let (status, body) = app.get("/api/v1/matches", Some(&employee)).await;
    assert_eq!(
        (status, body["error"]["code"].clone()),
        (StatusCode::CONFLICT, json!("assessment_required"))
    );

    let first_item = instrument["items"][0]["id"].clone();
    let mut missing = answers(|_, _| 4, &instrument);
    missing["answers"]
        .as_array_mut()
        .expect("answers")
        .remove(0);
    for (label, body) in [
        ("missing", missing),
        (
            "out of range",
            answers(|i, _| if i == 0 { 7 } else { 4 }, &instrument),
        ),
        (
            "zero",
            answers(|i, _| if i == 0 { 0 } else { 4 }, &instrument),
        ),
    ] {
        let (status, err) = app
            .post("/api/v1/assessment/responses", Some(&employee), body)
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{label}: {err}");
        assert_eq!(
            err["error"]["details"]["item"], first_item,
            "{label} names the item: {err}"
        );
    }
    let mut unknown = answers(|_, _| 4, &instrument);
    unknown["answers"]
        .as_array_mut()
        .expect("answers")
        .push(json!({"item_id": "ZZZ9", "value": 3}));
    let (status, err) = app
        .post("/api/v1/assessment/responses", Some(&employee), unknown)
        .await;
    assert_eq!(
        (status, err["error"]["details"]["item"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("ZZZ9"))
    );
    let hr = app.token(&f.hr_a).await;
    assert_eq!(
        app.post(
            "/api/v1/assessment/responses",
            Some(&hr),
            answers(|_, _| 4, &instrument)
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );

    let (status, result) = app
        .post(
            "/api/v1/assessment/responses",
            Some(&employee),
            answers(|i, _| 1 + (i as i64 * 7) % 6, &instrument),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{result}");
    let vector = result["vector"].as_object().expect("vector");
    assert_eq!(vector.len(), 10);
    assert!(
        vector
            .values()
            .all(|v| v.as_f64().is_some_and(|x| (-1.0..=1.0).contains(&x)))
    );

    let (status, page1) = app.get("/api/v1/matches?limit=10", Some(&employee)).await;
    assert_eq!(status, StatusCode::OK, "{page1}");
    let first = ids(&page1);
    assert_eq!(first.len(), 10);
    assert_eq!(first.iter().collect::<HashSet<_>>().len(), 10);
    for c in page1["candidates"].as_array().expect("candidates") {
        assert!(
            c["reasons"]
                .as_array()
                .is_some_and(|r| !r.is_empty()
                    && r.iter().all(|x| x.as_str().is_some_and(|s| !s.is_empty()))),
            "{c}"
        );
        assert!(
            !ineligible.contains(c["consultant"]["id"].as_str().unwrap_or_default()),
            "ineligible proposed: {c}"
        );
    }
    // The catalogue changes between pages: an operator suspends one of
    // page 1's consultants. "Ten more" still continues page 1 as it was
    // shown, so the one who would now move up into page 1 is not lost.
    let operator = app.token(&f.operator).await;
    let suspended = first[0].clone();
    let (status, body) = app
        .post(
            &format!("/api/v1/consultants/{suspended}/approval"),
            Some(&operator),
            json!({"status": "suspended"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, page2) = app
        .get("/api/v1/matches?limit=10&page=2", Some(&employee))
        .await;
    let second = ids(&page2);
    assert_eq!(second.len(), 10);
    assert!(
        second.iter().all(|id| !first.contains(id)),
        "ten more never repeats"
    );
    // 31 eligible (30 + キャリア転職支援), one suspended after page 1: the
    // 21 not yet shown come as pages of 10, 10, then the last one.
    let (_, page3) = app
        .get("/api/v1/matches?limit=10&page=3", Some(&employee))
        .await;
    let (_, page4) = app
        .get("/api/v1/matches?limit=10&page=4", Some(&employee))
        .await;
    let (_, page5) = app
        .get("/api/v1/matches?limit=10&page=5", Some(&employee))
        .await;
    assert_eq!(
        (ids(&page3).len(), ids(&page4).len(), ids(&page5).len()),
        (10, 1, 0)
    );
    let mut all: Vec<String> = [first.clone(), second.clone(), ids(&page3), ids(&page4)].concat();
    assert!(all.iter().all(|id| !ineligible.contains(id)));
    assert!(
        [second.clone(), ids(&page3), ids(&page4)]
            .concat()
            .iter()
            .all(|id| *id != suspended),
        "the suspended consultant is not proposed again"
    );
    all.sort();
    all.dedup();
    assert_eq!(
        all.len(),
        31,
        "every eligible consultant exactly once across the pages, none lost when the catalogue changed"
    );

    let (_, three) = app
        .get("/api/v1/matches?limit=3&lang=en", Some(&employee))
        .await;
    assert_eq!(ids(&three).len(), 3);
    let reason = three["candidates"][0]["reasons"][0]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(reason.is_ascii(), "English reasons: {reason}");
    for bad in ["limit=0", "limit=51", "page=0", "limit=abc"] {
        let (status, body) = app
            .get(&format!("/api/v1/matches?{bad}"), Some(&employee))
            .await;
        assert!(
            status == StatusCode::UNPROCESSABLE_ENTITY || status == StatusCode::BAD_REQUEST,
            "{bad}: {status} {body}"
        );
    }

    // "Try someone else": the excluded consultant is gone from fresh lists.
    let (status, _) = app
        .post(
            "/api/v1/matches/exclusions",
            Some(&employee),
            json!({"consultant_id": first[0]}),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, again) = app.get("/api/v1/matches", Some(&employee)).await;
    assert!(!ids(&again).contains(&first[0]));

    // Topics shift the list towards specialists.
    let (status, prefs) = app
        .call("PUT", "/api/v1/matches/preferences", Some(&employee), Some(json!({"topics": ["management"], "weights": {"values": 0.1, "specialty": 1.0, "availability": 0.0, "rating": 0.0}})))
        .await;
    assert_eq!(status, StatusCode::OK, "{prefs}");
    // Left out of the PUT, the exclusion stays; `[]` would clear it.
    assert_eq!(prefs["excluded"], json!([first[0]]), "{prefs}");
    let (_, focused) = app.get("/api/v1/matches?limit=5", Some(&employee)).await;
    for c in focused["candidates"].as_array().expect("candidates") {
        assert!(
            c["consultant"]["specialties"]
                .as_array()
                .is_some_and(|s| s.contains(&json!("management"))),
            "{c}"
        );
    }
    let (status, _) = app
        .call(
            "PUT",
            "/api/v1/matches/preferences",
            Some(&employee),
            Some(json!({"topics": ["astrology"]})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = app
        .call(
            "PUT",
            "/api/v1/matches/preferences",
            Some(&employee),
            Some(
                json!({"weights": {"values": -1, "specialty": 0, "availability": 0, "rating": 0}}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, kept) = app
        .get("/api/v1/matches/preferences", Some(&employee))
        .await;
    assert_eq!(
        kept["excluded"],
        json!([first[0]]),
        "refusals change nothing"
    );
    let (status, cleared) = app
        .call(
            "PUT",
            "/api/v1/matches/preferences",
            Some(&employee),
            Some(json!({"topics": ["management"], "excluded": []})),
        )
        .await;
    assert_eq!(
        (status, cleared["excluded"].clone()),
        (StatusCode::OK, json!([]))
    );

    for who in [&f.hr_a, &f.consultant, &f.operator] {
        let token = app.token(who).await;
        assert_eq!(
            app.get("/api/v1/matches", Some(&token)).await.0,
            StatusCode::FORBIDDEN,
            "{}",
            who.email
        );
    }
    app.stop().await;
}

async fn search_finds_japanese_substrings_and_english_words(backend: Backend) {
    let special = std::sync::Arc::new(std::sync::Mutex::new(Special::default()));
    let s2 = special.clone();
    let app = TestApp::spawn_seeded(backend, |db, f| async move {
        *s2.lock().expect("lock") = catalogue(db, f).await;
    })
    .await;
    let (tenshoku, english) = {
        let s = special.lock().expect("lock");
        (
            s.tenshoku.map(|i| i.to_string()),
            s.english.map(|i| i.to_string()),
        )
    };
    let token = app.token(&app.fixtures.employee_a.clone()).await;
    let found = |body: &Value| -> Vec<String> {
        body["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter_map(|i| i["id"].as_str().map(str::to_owned))
            .collect()
    };

    let (status, body) = app
        .get("/api/v1/consultants?q=%E8%BB%A2%E8%81%B7", Some(&token))
        .await; // 転職
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(
        found(&body).contains(&tenshoku.clone().expect("seeded")),
        "転職 finds キャリア転職支援: {body}"
    );
    // 15 career_change specialists (転職・キャリアチェンジ), キャリア転職支援, and the
    // approved one not taking clients (search shows every approved profile);
    // never the pending one, nor the one tied to the searcher's own org.
    assert_eq!(body["total"], 17, "{body}");
    let (_, body) = app.get("/api/v1/consultants?q=careers", Some(&token)).await;
    assert!(
        found(&body).contains(&english.clone().expect("seeded")),
        "careers finds Career: {body}"
    );
    let (_, body) = app
        .get(
            "/api/v1/consultants?q=%E8%BB%A2%E8%81%B7%20international",
            Some(&token),
        )
        .await;
    assert_eq!(body["total"], 0, "all words must match: {body}");
    let (_, body) = app
        .get(
            "/api/v1/consultants?specialty=global&language=en",
            Some(&token),
        )
        .await;
    assert_eq!(found(&body), [english.expect("seeded")]);
    let (_, body) = app
        .get(
            "/api/v1/consultants?specialty=management&language=en",
            Some(&token),
        )
        .await;
    assert_eq!(body["total"], 0, "filters combine: {body}");
    let (_, body) = app
        .get("/api/v1/consultants?per_page=7&page=2", Some(&token))
        .await;
    assert_eq!(
        (
            body["items"].as_array().map(Vec::len),
            body["total"].clone()
        ),
        (Some(7), json!(33)),
        "34 approved, one of them tied to the searcher's org: {body}"
    );
    let (_, body) = app
        .get("/api/v1/consultants?q=%E4%BF%9D%E7%95%99", Some(&token))
        .await; // 保留 (pending)
    assert_eq!(
        body["total"], 0,
        "pending profiles are not searchable: {body}"
    );
    for bad in [
        "per_page=0",
        "per_page=101",
        "page=0",
        "specialty=astrology",
        "language=xx",
        "page=abc",
    ] {
        let (status, body) = app
            .get(&format!("/api/v1/consultants?{bad}"), Some(&token))
            .await;
        assert!(
            status == StatusCode::UNPROCESSABLE_ENTITY || status == StatusCode::BAD_REQUEST,
            "{bad}: {status} {body}"
        );
        assert!(body["error"]["code"].is_string(), "{bad}: {body}");
    }
    assert_eq!(
        app.get("/api/v1/consultants", None).await.0,
        StatusCode::UNAUTHORIZED
    );
    app.stop().await;
}

fn profile_body(registration: &str) -> Value {
    json!({
        "display_name": "新しい 相談員", "headline": "管理職の伴走とキャリア転職支援", "message": "よろしくお願いします。",
        "qualification": "technician_grade2", "registration_number": registration, "specialties": ["management", "career_change"],
        "industries": ["製造"], "languages": ["ja", "en"], "years_experience": 7, "region": "kinki",
        "session_formats": ["video"], "accepting_clients": true
    })
}

async fn profiles_wait_for_an_operators_approval(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixtures.clone();
    let consultant = app.token(&f.consultant).await;
    let employee = app.token(&f.employee_a).await;
    let operator = app.token(&f.operator).await;
    let id = f.consultant.id.to_string();

    let (status, err) = app.call("PUT", "/api/v1/consultants/me/profile", Some(&consultant), Some(json!({"display_name": "", "headline": "x", "qualification": "guru", "registration_number": "1", "specialties": [], "languages": ["ja"], "years_experience": 1, "region": "kanto", "session_formats": ["video"], "accepting_clients": true}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    for field in [
        "display_name",
        "qualification",
        "registration_number",
        "specialties",
    ] {
        assert!(
            err["error"]["details"]["fields"][field].is_string(),
            "{field}: {err}"
        );
    }
    assert_eq!(
        app.call(
            "PUT",
            "/api/v1/consultants/me/profile",
            Some(&employee),
            Some(profile_body("16099999"))
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );

    let (status, saved) = app
        .call(
            "PUT",
            "/api/v1/consultants/me/profile",
            Some(&consultant),
            Some(profile_body("16099999")),
        )
        .await;
    assert_eq!(
        (status, saved["status"].clone()),
        (StatusCode::OK, json!("pending")),
        "{saved}"
    );
    assert_eq!(
        app.get(&format!("/api/v1/consultants/{id}"), Some(&employee))
            .await
            .0,
        StatusCode::NOT_FOUND,
        "pending is invisible"
    );
    let (_, search) = app
        .get("/api/v1/consultants?q=%E4%BC%B4%E8%B5%B0", Some(&employee))
        .await; // 伴走
    assert_eq!(search["total"], 0);

    let (status, pending) = app
        .get("/api/v1/consultants/pending", Some(&operator))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(pending["items"][0]["registration_number"], "16099999");
    assert_eq!(
        app.get("/api/v1/consultants/pending", Some(&employee))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    let approval = format!("/api/v1/consultants/{id}/approval");
    assert_eq!(
        app.post(&approval, Some(&employee), json!({"status": "approved"}))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post(&approval, Some(&operator), json!({"status": "pending"}))
            .await
            .0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        app.post(&approval, Some(&operator), json!({"status": "maybe"}))
            .await
            .0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let unknown = format!("/api/v1/consultants/{}/approval", uuid::Uuid::new_v4());
    assert_eq!(
        app.post(&unknown, Some(&operator), json!({"status": "approved"}))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    let (status, approved) = app
        .post(&approval, Some(&operator), json!({"status": "approved"}))
        .await;
    assert_eq!(
        (status, approved["status"].clone()),
        (StatusCode::OK, json!("approved"))
    );

    let (status, public) = app
        .get(&format!("/api/v1/consultants/{id}"), Some(&employee))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        public.get("affiliated_org_ids").is_none(),
        "private fields stay private: {public}"
    );
    let (_, search) = app
        .get("/api/v1/consultants?q=%E4%BC%B4%E8%B5%B0", Some(&employee))
        .await;
    assert_eq!(search["items"][0]["id"], id, "{search}");

    // A new registration number needs a new check.
    let (_, changed) = app
        .call(
            "PUT",
            "/api/v1/consultants/me/profile",
            Some(&consultant),
            Some(profile_body("16011111")),
        )
        .await;
    assert_eq!(changed["status"], "pending");
    app.stop().await;
}

async fn booking_events_update_availability(backend: Backend) {
    let holder = std::sync::Arc::new(std::sync::Mutex::new(None));
    let h2 = holder.clone();
    let app = TestApp::spawn_seeded(backend, |db, _| async move {
        *h2.lock().expect("lock") = Some(
            add(
                &db,
                &draft("空き さん", "一緒に考えます", &["skills"], &["ja"]),
                ApprovalStatus::Approved,
            )
            .await,
        );
    })
    .await;
    let id = holder.lock().expect("lock").expect("seeded");
    let token = app.token(&app.fixtures.employee_a.clone()).await;
    let (_, before) = app
        .get(&format!("/api/v1/consultants/{id}"), Some(&token))
        .await;
    assert!(before["next_available_at"].is_null());

    // Booking's contract, published as booking would: through its outbox.
    let at = "2030-01-02T03:00:00Z";
    let mut tx = app.db.begin_write().await.expect("tx");
    taiwa_booking::OUTBOX
        .publish(
            &mut tx,
            &shared::contracts::AvailabilityChanged {
                consultant_id: shared::ids::UserId(id.0),
                next_available_at: Some(at.parse().expect("instant")),
            },
        )
        .await
        .expect("publish");
    tx.commit().await.expect("commit");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let (_, after) = app
            .get(&format!("/api/v1/consultants/{id}"), Some(&token))
            .await;
        if after["next_available_at"]
            .as_str()
            .is_some_and(|s| s.starts_with("2030-01-02T03:00:00"))
        {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "availability not applied: {after}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    app.stop().await;
}
