//! The whole confidentiality promise in one test (issue 15): four observers
//! who must learn nothing — HR of the employee's org, HR of another org, an
//! employee of another org and an anonymous caller — record every answer
//! they can get: every GET of the OpenAPI document (with every org, the
//! consultant, and the ids of the sessions involved), the web pages HR can
//! open, and the public `/metrics`. Then one employee books, moves, cancels,
//! misses a session, gets a record with consent, gives feedback, books
//! again and erases their account. After every act each observer's answers
//! must be byte-identical to before (volatile headers aside) — there is no
//! release boundary in between: the run never straddles midnight, Japan
//! time (where weeks and quarters turn), nor an hour (where ranking reads
//! its clock).
//!
//! One family of answers is shared inventory: the other org's employee sees
//! the consultant's free times (slots, next free time, and rankings that
//! weigh it). While the employee holds a booking those may differ — only
//! they, checked separately — and once every booking is gone they too must
//! be identical again.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, Duration as Span, Timelike, Utc};
use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, COOKIE, SET_COOKIE};
use serde_json::{Value, json};
use taiwa_tests::{Backend, FIXTURE_PASSWORD, TestApp, on_both_backends};

on_both_backends!(nothing_an_observer_can_read_moves_when_one_employee_acts);

/// An answer as an observer sees it: status, content type and body.
type Answer = (u16, String, String);

/// Everything one observer can read, by a label that names the request.
type Snapshot = BTreeMap<String, Answer>;

/// Who observes, and how they authenticate.
struct Observer {
    name: &'static str,
    token: Option<String>,
    /// The web session's cookies, for the pages.
    cookies: Option<String>,
    pages: &'static [&'static str],
}

/// Requests whose answers are shared inventory (free times).
fn is_inventory(label: &str) -> bool {
    label.contains("/slots") || label.contains("/matches") || label.contains("/consultants")
}

/// Waits until no boundary where what observers see may legitimately
/// change (midnight in Japan: weeks and quarters; each hour: ranking's
/// clock) falls within the next four minutes.
async fn away_from_boundaries() {
    let now = Utc::now();
    let to_hour = 3600 - i64::from(now.minute() * 60 + now.second());
    if to_hour < 240 {
        tokio::time::sleep(Duration::from_secs(u64::try_from(to_hour).unwrap_or(0) + 2)).await;
    }
}

/// Cookies set by a response, as `name=value`.
fn set_cookies(response: &reqwest::Response) -> Vec<String> {
    response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next().map(str::to_owned))
        .collect()
}

/// A visitor who never signs in, with the cookie their first visit set.
async fn anonymous_visitor(app: &TestApp) -> String {
    let first = reqwest::Client::new()
        .get(format!("{}/login", app.base))
        .send()
        .await
        .expect("login page");
    set_cookies(&first).join("; ")
}

/// Signs `email` in on the web pages; returns the session's cookies.
async fn web_session(app: &TestApp, email: &str) -> String {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let form = http
        .get(format!("{}/login", app.base))
        .send()
        .await
        .expect("login page");
    let csrf_cookie = set_cookies(&form)
        .into_iter()
        .find(|c| c.starts_with("taiwa_csrf="))
        .expect("csrf");
    let csrf = csrf_cookie.trim_start_matches("taiwa_csrf=").to_owned();
    let signed = http
        .post(format!("{}/login", app.base))
        .header(COOKIE, &csrf_cookie)
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", email),
            ("password", FIXTURE_PASSWORD),
            ("next", "/"),
        ])
        .send()
        .await
        .expect("login");
    assert_eq!(signed.status(), StatusCode::SEE_OTHER);
    let mut cookies = vec![csrf_cookie];
    cookies.extend(set_cookies(&signed));
    cookies.join("; ")
}

async fn answer(app: &TestApp, path: &str, token: Option<&str>, cookies: Option<&str>) -> Answer {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let mut request = http.get(format!("{}{path}", app.base));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(cookies) = cookies {
        request = request.header(COOKIE, cookies);
    }
    let response = request.send().await.expect("get");
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let body = response.text().await.expect("body");
    (status, content_type, body)
}

/// The ids a request may name, by parameter, and a label for each.
struct Ids {
    orgs: Vec<(String, String)>,
    consultant: String,
    /// The sessions involved: label → id. The session booked later is
    /// probed before it exists with an id that names nothing.
    bookings: Vec<(String, String)>,
}

fn concrete_paths(template: &str, ids: &Ids) -> Vec<(String, String)> {
    let mut out = vec![(template.to_owned(), template.to_owned())];
    let mut substitute = |name: &str, values: &[(String, String)]| {
        out = out
            .iter()
            .flat_map(|(label, path)| {
                values.iter().map(move |(tag, value)| {
                    (
                        label.replace(name, &format!("{{{tag}}}")),
                        path.replace(name, value),
                    )
                })
            })
            .collect();
    };
    substitute("{org_id}", &ids.orgs);
    if template.starts_with("/api/v1/consultants/{id}") {
        substitute("{id}", &[("consultant".to_owned(), ids.consultant.clone())]);
    }
    substitute("{id}", &ids.bookings);
    substitute("{booking_id}", &ids.bookings);
    substitute(
        "{key}",
        &[(
            "key".to_owned(),
            "0123456789abcdef0123456789abcdef".to_owned(),
        )],
    );
    out
}

/// Fixed query strings: nothing in an answer should depend on when it was
/// asked within the run.
fn with_query(path: &str, from: DateTime<Utc>) -> Vec<String> {
    let window = format!(
        "from={}&to={}",
        from.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        (from + Span::days(3)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    );
    if path.ends_with("/slots") {
        vec![format!("{path}?{window}&duration_minutes=60")]
    } else if path.contains("/reports/themes") {
        vec![
            path.to_owned(),
            format!("{path}?by=department"),
            format!("{path}?by=age_band"),
        ]
    } else {
        vec![path.to_owned()]
    }
}

async fn snapshot(
    app: &TestApp,
    observer: &Observer,
    gets: &[String],
    ids: &Ids,
    from: DateTime<Utc>,
) -> Snapshot {
    use futures_util::StreamExt;
    // (label, path, with the token or with the cookies)
    let mut requests: Vec<(String, String, bool)> = Vec::new();
    for template in gets {
        for (label, path) in concrete_paths(template, ids) {
            for (n, url) in with_query(&path, from).into_iter().enumerate() {
                requests.push((format!("GET {label} #{n}"), url, true));
            }
        }
    }
    for page in observer.pages {
        requests.push((format!("page {page}"), (*page).to_owned(), false));
    }
    requests.push(("metrics".to_owned(), "/metrics".to_owned(), false));
    futures_util::stream::iter(requests)
        .map(|(label, url, api)| async move {
            let answer = if api {
                answer(app, &url, observer.token.as_deref(), None).await
            } else if url == "/metrics" {
                answer(app, &url, None, None).await
            } else {
                answer(app, &url, None, observer.cookies.as_deref()).await
            };
            (label, answer)
        })
        .buffer_unordered(8)
        .collect()
        .await
}

/// Waits until every outbox is delivered, so every consequence of an act
/// (hand-offs, ratings, availability, erasure) has landed.
async fn settled(app: &TestApp) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let mut pending = 0i64;
        for table in [
            "identity_outbox",
            "matching_outbox",
            "booking_outbox",
            "reporting_outbox",
        ] {
            pending += sqlx::query_scalar::<_, i64>(&format!(
                "SELECT COUNT(*) FROM {table} WHERE published_at IS NULL"
            ))
            .fetch_one(app.db.pool())
            .await
            .expect("outbox");
        }
        if pending == 0 {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{pending} events never delivered"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn compare(act: &str, observer: &str, before: &Snapshot, after: &Snapshot, inventory_too: bool) {
    assert_eq!(
        before.len(),
        after.len(),
        "{observer} after {act}: other requests"
    );
    for (label, seen) in before {
        if !inventory_too && observer == "employee of another org" && is_inventory(label) {
            continue;
        }
        let now = &after[label];
        assert!(
            seen == now,
            "after `{act}`, {observer} sees `{label}` change:\n  before: {} {}\n  after:  {} {}",
            seen.0,
            &seen.2[..seen.2.len().min(600)],
            now.0,
            &now.2[..now.2.len().min(600)],
        );
    }
}

async fn nothing_an_observer_can_read_moves_when_one_employee_acts(backend: Backend) {
    away_from_boundaries().await;
    // Two sessions the employee already held, 3 and 4 hours ago.
    // As in production: no development mailbox (in development it is
    // everyone's inbox at once, for a browser on the same machine only).
    let app = TestApp::spawn_full(
        backend,
        |c| c.dev_mailbox = false,
        |db, f| async move {
            taiwa_tests::seed_booking(&db, &f, f.employee_a.id, -Span::hours(4), Some("はな"))
                .await;
            taiwa_tests::seed_booking(&db, &f, f.employee_a.id, -Span::hours(3), Some("はな"))
                .await;
            // The employee has cohort attributes HR gave: their erasure
            // republishes the org's cohort sizes.
            let cohort = r#"{"department":"営業部","age_band":"30s"}"#;
            let mut tx = db.begin_write().await.expect("tx");
            taiwa_identity::store::set_cohort(&mut tx, f.employee_a.id, Some(cohort))
                .await
                .expect("cohort");
            taiwa_booking::store::save_contact(
                &mut tx,
                &taiwa_booking::store::NewContact {
                    user: f.employee_a.id,
                    org: Some(f.org_a),
                    email: f.employee_a.email.clone(),
                    display_name: f.employee_a.email.clone(),
                    cohort: Some(cohort.to_owned()),
                    name: taiwa_booking::store::PersonName::default(),
                },
                0,
            )
            .await
            .expect("contact");
            tx.commit().await.expect("commit");
        },
    )
    .await;
    let f = app.fixtures.clone();
    let hr_a = app.token(&f.hr_a).await;
    let employee = app.token(&f.employee_a).await;
    let consultant = app.token(&f.consultant).await;
    // The stage: the consultant's hours, the org's credits, and the other
    // org's employee with an assessment (so their matches are real).
    let every_day: Vec<Value> = (1..=7)
        .map(|d| json!({"weekday": d, "start": "08:00", "end": "18:00"}))
        .collect();
    let (status, _) = app
        .call("PUT", "/api/v1/consultants/me/availability", Some(&consultant), Some(json!({
            "timezone": "UTC", "weekly": every_day, "session_minutes": [60], "buffer_minutes": 0,
            "min_notice_minutes": 60, "horizon_days": 30, "max_per_day": 0
        })))
        .await;
    assert_eq!(status, StatusCode::OK);
    app.post(
        &format!("/api/v1/orgs/{}/credits/grants", f.org_a),
        Some(&hr_a),
        json!({"amount": 20}),
    )
    .await;
    let employee_b = app.token(&f.employee_b).await;
    let (_, instrument) = app.get("/api/v1/assessment", Some(&employee_b)).await;
    let answers: Vec<Value> = instrument["items"]
        .as_array()
        .expect("items")
        .iter()
        .enumerate()
        .map(|(i, item)| json!({"item_id": item["id"], "value": 1 + i % 6}))
        .collect();
    let (status, _) = app
        .post(
            "/api/v1/assessment/responses",
            Some(&employee_b),
            json!({"answers": answers}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, mine) = app.get("/api/v1/bookings", Some(&employee)).await;
    let held: Vec<String> = mine["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|b| b["id"].as_str().map(str::to_owned))
        .collect();
    settled(&app).await;

    // The observers and what they can ask.
    let (_, spec) = app.get("/api/openapi.json", None).await;
    let gets: Vec<String> = spec["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .filter(|(_, ops)| ops.get("get").is_some())
        .map(|(path, _)| path.clone())
        .collect();
    assert!(gets.len() >= 30, "{} GET operations", gets.len());
    const HR_PAGES: &[&str] = &[
        "/hr/report",
        "/hr/report.csv",
        "/hr/invitations",
        "/hr/credits",
        "/privacy",
        "/",
        "/dev/mail",
    ];
    const EMPLOYEE_PAGES: &[&str] = &["/matches", "/consultants", "/privacy", "/dev/mail"];
    let observers = [
        Observer {
            name: "HR of the org",
            token: Some(hr_a.clone()),
            cookies: Some(web_session(&app, &f.hr_a.email).await),
            pages: HR_PAGES,
        },
        Observer {
            name: "HR of another org",
            token: Some(app.token(&f.hr_b).await),
            cookies: Some(web_session(&app, &f.hr_b.email).await),
            pages: HR_PAGES,
        },
        Observer {
            name: "employee of another org",
            token: Some(employee_b.clone()),
            cookies: Some(web_session(&app, &f.employee_b.email).await),
            pages: EMPLOYEE_PAGES,
        },
        Observer {
            name: "anonymous",
            token: None,
            cookies: Some(anonymous_visitor(&app).await),
            pages: &["/", "/privacy", "/login", "/dev/mail"],
        },
    ];
    let mut ids = Ids {
        orgs: vec![
            ("org A".to_owned(), f.org_a.to_string()),
            ("org B".to_owned(), f.org_b.to_string()),
        ],
        consultant: f.consultant.id.to_string(),
        bookings: vec![
            ("held 1".to_owned(), held[0].clone()),
            ("held 2".to_owned(), held[1].clone()),
            ("new".to_owned(), uuid::Uuid::new_v4().to_string()),
        ],
    };
    let from = (Utc::now() + Span::days(2))
        .with_hour(0)
        .and_then(|t| t.with_minute(0))
        .and_then(|t| t.with_second(0))
        .and_then(|t| t.with_nanosecond(0))
        .expect("midnight");
    // Ranking takes its hourly snapshot of exposure at the first read.
    app.get("/api/v1/matches", Some(&employee_b)).await;
    let mut before = Vec::new();
    for o in &observers {
        before.push(snapshot(&app, o, &gets, &ids, from).await);
    }
    let total: usize = before.iter().map(BTreeMap::len).sum();
    assert!(total > 150, "{total} answers recorded");

    // One employee acts; after each act, every observer looks again.
    let at = |hour: u32| from + Span::hours(i64::from(hour));
    let (status, first) = app
        .post(
            "/api/v1/bookings",
            Some(&employee),
            json!({
                "consultant_id": f.consultant.id, "starts_at": at(10), "duration_minutes": 60,
                "agenda": {"topic": "異動の相談", "help": "think_with_me"}
            }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    let mut latest = first["id"].as_str().expect("id").to_owned();
    let check = async |act: &str, no_booking_left: bool, ids: &Ids| {
        settled(&app).await;
        for (o, seen) in observers.iter().zip(&before) {
            let now = snapshot(&app, o, &gets, ids, from).await;
            compare(act, o.name, seen, &now, no_booking_left);
        }
    };
    ids.bookings[2].1 = latest.clone();
    check("book", false, &ids).await;

    let (status, moved) = app
        .post(
            &format!("/api/v1/bookings/{latest}/reschedule"),
            Some(&employee),
            json!({"starts_at": at(13)}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    latest = moved["id"].as_str().expect("id").to_owned();
    ids.bookings[2].1 = latest.clone();
    check("reschedule", false, &ids).await;

    let (status, _) = app
        .post(
            &format!("/api/v1/bookings/{latest}/cancel"),
            Some(&employee),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    check("cancel", true, &ids).await;

    let (status, _) = app
        .post(
            &format!("/api/v1/bookings/{}/no-show", held[0]),
            Some(&consultant),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    check("marked no-show", true, &ids).await;

    let (status, body) = app
        .post(
            &format!("/api/v1/bookings/{}/record", held[1]),
            Some(&consultant),
            json!({
                "private_notes": "本人の希望は異動", "themes": ["transfer", "workload"],
                "org_summary": "異動と業務量の相談", "action_items": ["上司と話す"]
            }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    check("record", true, &ids).await;

    let (status, body) = app
        .post(
            &format!("/api/v1/bookings/{}/feedback", held[1]),
            Some(&employee),
            json!({
                "rating": 5, "share_with_org": true, "cohort_consent": true
            }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    check("feedback with consent", true, &ids).await;

    let (status, again) = app
        .post(
            "/api/v1/bookings",
            Some(&employee),
            json!({
                "consultant_id": f.consultant.id, "starts_at": at(15), "duration_minutes": 60
            }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{again}");
    ids.bookings[2].1 = again["id"].as_str().expect("id").to_owned();
    check("book again", false, &ids).await;

    let (status, _) = app
        .call(
            "DELETE",
            "/api/v1/me",
            Some(&employee),
            Some(json!({"password": FIXTURE_PASSWORD})),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    // Erasure cancels the future session: every booking is gone again.
    check("erasure", true, &ids).await;
    app.stop().await;
}
