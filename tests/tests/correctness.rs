//! Booking's edges under outside pressure, on both backends: an
//! `Idempotency-Key` raced by its own retries, ten employees booking and
//! cancelling one consultant at once (lock order), instants at the ends of
//! what the time library can hold, and the days the clocks change.

use std::time::Duration as Wait;

use chrono::{DateTime, Duration, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};
use taiwa_tests::{Backend, TestApp, on_both_backends};

on_both_backends!(
    retries_with_one_key_get_one_booking,
    booking_and_cancelling_under_contention_never_fail,
    far_instants_are_refused_at_every_edge,
    the_repeated_hour_of_a_fall_back_night_is_booked_twice,
    sessions_end_at_midnight_and_touching_hours_hold_one,
    a_moved_session_stays_one_event_with_a_higher_sequence,
    every_held_session_is_counted_once_whatever_comes_first,
);

/// Sets every-day hours in `zone` for the fixture consultant and grants org A
/// 500 credits; returns the consultant's and employee A's tokens.
async fn setup(app: &TestApp, zone: &str, start: &str, end: &str, notice: u32) -> (String, String) {
    let f = app.fixtures.clone();
    let consultant = app.token(&f.consultant).await;
    let every_day: Vec<Value> = (1..=7)
        .map(|d| json!({"weekday": d, "start": start, "end": end}))
        .collect();
    let (status, body) = app
        .call("PUT", "/api/v1/consultants/me/availability", Some(&consultant), Some(json!({
            "timezone": zone, "weekly": every_day, "session_minutes": [30, 60], "buffer_minutes": 0,
            "min_notice_minutes": notice, "horizon_days": 365, "max_per_day": 0
        })))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let hr = app.token(&f.hr_a).await;
    let (status, body) = app
        .post(
            &format!("/api/v1/orgs/{}/credits/grants", f.org_a),
            Some(&hr),
            json!({"amount": 500}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    (consultant, app.token(&f.employee_a).await)
}

fn booking_request(
    app: &TestApp,
    token: &str,
    start: &str,
    minutes: u32,
) -> reqwest::RequestBuilder {
    app.http
        .post(format!("{}/api/v1/bookings", app.base))
        .bearer_auth(token)
        .json(&json!({"consultant_id": app.fixtures.consultant.id, "starts_at": start, "duration_minutes": minutes}))
}

async fn sent(r: reqwest::RequestBuilder) -> (StatusCode, Value) {
    let response = r.send().await.expect("send");
    let status = response.status();
    let text = response.text().await.unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn slots(app: &TestApp, token: &str, from: &str, to: &str, minutes: u32) -> Vec<String> {
    let (status, body) = app
        .get(
            &format!(
                "/api/v1/consultants/{}/slots?from={from}&to={to}&duration_minutes={minutes}",
                app.fixtures.consultant.id
            ),
            Some(token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["slots"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["starts_at"].as_str().map(str::to_owned))
        .collect()
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Five copies of one request with one key, sent at once (a client retrying
/// on a timeout) make one booking and one charge; every copy is told about
/// it. The key sent again for another time is refused, not answered with the
/// first booking.
async fn retries_with_one_key_get_one_booking(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, employee) = setup(&app, "UTC", "08:00", "18:00", 60).await;
    let day = Utc::now().date_naive() + Duration::days(3);
    let start = rfc3339(day.and_hms_opt(10, 0, 0).expect("time").and_utc());
    let key = uuid::Uuid::new_v4().to_string();
    let copies: Vec<_> = (0..5)
        .map(|_| {
            tokio::spawn(sent(
                booking_request(&app, &employee, &start, 60).header("Idempotency-Key", &key),
            ))
        })
        .collect();
    let mut ids = Vec::new();
    for copy in copies {
        let (status, body) = copy.await.expect("join");
        assert_eq!(
            status,
            StatusCode::CREATED,
            "every retry gets the booking: {body}"
        );
        ids.push(body["id"].clone());
    }
    ids.dedup();
    assert_eq!(ids.len(), 1, "one booking: {ids:?}");
    assert_eq!(
        app.true_credit_balance(app.fixtures.org_a).await,
        499,
        "charged once"
    );

    let other = rfc3339(day.and_hms_opt(12, 0, 0).expect("time").and_utc());
    let (status, body) =
        sent(booking_request(&app, &employee, &other, 60).header("Idempotency-Key", &key)).await;
    assert_eq!(
        (status, body["error"]["code"].clone()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!("idempotency_key_reused")
        ),
        "{body}"
    );
    let (status, body) =
        sent(booking_request(&app, &employee, &start, 30).header("Idempotency-Key", &key)).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "another length is another request: {body}"
    );
    let with_nickname = app
        .http
        .post(format!("{}/api/v1/bookings", app.base))
        .bearer_auth(&employee)
        .header("Idempotency-Key", &key)
        .json(
            &json!({"consultant_id": app.fixtures.consultant.id, "starts_at": start,
                      "duration_minutes": 60, "nickname": "ハナ"}),
        );
    let (status, body) = sent(with_nickname).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "another nickname is another request, not the first booking: {body}"
    );
    assert_eq!(
        app.true_credit_balance(app.fixtures.org_a).await,
        499,
        "nothing more taken"
    );
    // The same request once more still answers with the first booking.
    let (status, body) =
        sent(booking_request(&app, &employee, &start, 60).header("Idempotency-Key", &key)).await;
    assert_eq!(
        (status, body["id"].clone()),
        (StatusCode::CREATED, ids[0].clone())
    );
    app.stop().await;
}

/// Ten employees of one org book the consultant's first free times and
/// cancel them again, all at once, for a minute on PostgreSQL (15 s on
/// SQLite): booking locks the calendar and then the balance, and so must
/// cancelling, or PostgreSQL aborts one of them ("deadlock detected" → 500).
async fn booking_and_cancelling_under_contention_never_fail(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    // Notice beyond the 24-hour cutoff, so employees may cancel every slot.
    let (_, _) = setup(&app, "UTC", "00:00", "23:00", 26 * 60).await;
    let org = app.fixtures.org_a;
    let mut tokens = Vec::new();
    for i in 0..10 {
        let who = app
            .add_employee(org, &format!("racer{i}@a.example.com"))
            .await;
        tokens.push(app.password_login(&who).await);
    }
    let run_for = match backend {
        Backend::Postgres => Wait::from_secs(60),
        Backend::Sqlite => Wait::from_secs(15),
    };
    let deadline = tokio::time::Instant::now() + run_for;
    let from = rfc3339(Utc::now() + Duration::hours(27));
    let to = rfc3339(Utc::now() + Duration::hours(40));
    let mut racers = tokio::task::JoinSet::new();
    for token in tokens {
        let http = app.http.clone();
        let base = app.base.clone();
        let consultant = app.fixtures.consultant.id;
        let (from, to) = (from.clone(), to.clone());
        racers.spawn(async move {
            let mut seen: Vec<(StatusCode, String)> = Vec::new();
            let mut n = 0usize;
            while tokio::time::Instant::now() < deadline {
                n += 1;
                let listed: Value = match http
                    .get(format!("{base}/api/v1/consultants/{consultant}/slots?from={from}&to={to}&duration_minutes=60"))
                    .bearer_auth(&token)
                    .send()
                    .await
                {
                    Ok(r) if r.status().is_server_error() => {
                        seen.push((r.status(), r.text().await.unwrap_or_default()));
                        continue;
                    }
                    Ok(r) => r.json().await.unwrap_or(Value::Null),
                    Err(e) => panic!("slots: {e}"),
                };
                // The first free time every other turn (each booking of it
                // moves the consultant's next free time, so booking and
                // cancelling both write the calendar's row), else one of
                // the next two: the racers collide.
                let pick = if n.is_multiple_of(2) { 0 } else { n % 3 };
                let Some(start) = listed["slots"][pick]["starts_at"].as_str().map(str::to_owned) else {
                    continue;
                };
                let r = http
                    .post(format!("{base}/api/v1/bookings"))
                    .bearer_auth(&token)
                    .json(&json!({"consultant_id": consultant, "starts_at": start, "duration_minutes": 60}))
                    .send()
                    .await
                    .expect("book");
                let status = r.status();
                let body: Value = r.json().await.unwrap_or(Value::Null);
                seen.push((status, body["error"]["code"].as_str().unwrap_or("").to_owned()));
                if status == StatusCode::CREATED {
                    let id = body["id"].as_str().unwrap_or_default().to_owned();
                    let r = http
                        .post(format!("{base}/api/v1/bookings/{id}/cancel"))
                        .bearer_auth(&token)
                        .json(&json!({}))
                        .send()
                        .await
                        .expect("cancel");
                    let status = r.status();
                    let body: Value = r.json().await.unwrap_or(Value::Null);
                    seen.push((status, body["error"]["code"].as_str().unwrap_or("cancelled").to_owned()));
                }
            }
            seen
        });
    }
    let seen: Vec<(StatusCode, String)> = racers.join_all().await.into_iter().flatten().collect();
    let failures: Vec<_> = seen.iter().filter(|(s, _)| s.is_server_error()).collect();
    let booked = seen
        .iter()
        .filter(|(s, _)| *s == StatusCode::CREATED)
        .count();
    let cancelled = seen
        .iter()
        .filter(|(s, c)| *s == StatusCode::OK && c == "cancelled")
        .count();
    let taken = seen
        .iter()
        .filter(|(s, c)| *s == StatusCode::CONFLICT && c == "slot_taken")
        .count();
    println!(
        "{backend:?}: {booked} booked, {cancelled} cancelled, {taken} slot_taken, {} server errors",
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} server errors, first {:?}",
        failures.len(),
        failures.first()
    );
    assert!(
        booked >= 20 && cancelled == booked,
        "{booked} booked, {cancelled} cancelled"
    );
    assert!(taken > 0, "the racers collided at least once");
    assert_eq!(
        app.true_credit_balance(org).await,
        500,
        "every credit came back: the ledger agrees with the balance"
    );
    app.stop().await;
}

/// A deterministic spread of instants over the whole range chrono holds.
fn far_instants() -> Vec<String> {
    let mut out: Vec<String> = [
        "-262143-01-01T00:00:00Z",
        "+262142-12-31T23:00:00Z",
        "+262142-12-31T23:59:59Z",
        "0000-01-01T00:00:00Z",
        "0001-01-01T00:00:00Z",
        "1969-12-31T23:59:59Z",
        "1999-12-31T23:59:59Z",
        "2201-01-01T00:00:00Z",
        "9999-12-31T23:59:59Z",
    ]
    .map(str::to_owned)
    .to_vec();
    // splitmix64 over the seconds chrono can represent.
    let (min, max) = (
        DateTime::<Utc>::MIN_UTC.timestamp(),
        DateTime::<Utc>::MAX_UTC.timestamp(),
    );
    let mut state: u64 = 0x5EED_2026;
    for _ in 0..40 {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        let span = u64::try_from(max - min).unwrap_or(u64::MAX);
        let offset = i64::try_from(z % span).unwrap_or(0);
        if let Some(t) = DateTime::<Utc>::from_timestamp(min + offset, 0)
            && !(2000..=2200).contains(&chrono::Datelike::year(&t))
        {
            out.push(t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
        }
    }
    out
}

fn encoded(s: &str) -> String {
    s.replace('+', "%2B").replace(':', "%3A")
}

/// Every route that takes an instant or a period answers an instant far
/// outside 2000–2200 with a clear 4xx in the error shape, never a 500 and
/// never a dropped connection.
async fn far_instants_are_refused_at_every_edge(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixtures.clone();
    let (consultant, employee) = setup(&app, "Asia/Tokyo", "09:00", "18:00", 60).await;
    let hr = app.token(&f.hr_a).await;
    let operator = app.token(&f.operator).await;
    let start = rfc3339(Utc::now() + Duration::days(3));
    let listed = slots(
        &app,
        &employee,
        &start,
        &rfc3339(Utc::now() + Duration::days(6)),
        60,
    )
    .await;
    let (status, booked) = sent(booking_request(&app, &employee, &listed[0], 60)).await;
    assert_eq!(status, StatusCode::CREATED, "{booked}");
    let booking = booked["id"].as_str().expect("id").to_owned();
    let instants = far_instants();
    assert!(instants.len() > 30, "{} instants", instants.len());
    let mut checked = 0;
    for t in &instants {
        // The year as written, keeping a minus sign (a year before 0).
        let digits = t
            .trim_start_matches(['+', '-'])
            .split('-')
            .next()
            .unwrap_or("0");
        let year = if t.starts_with('-') {
            format!("-{digits}")
        } else {
            digits.to_owned()
        };
        let probes: Vec<(&str, String, Option<Value>, &str)> = vec![
            (
                "POST",
                "/api/v1/bookings".into(),
                Some(
                    json!({"consultant_id": f.consultant.id, "starts_at": t, "duration_minutes": 60}),
                ),
                &employee,
            ),
            (
                "POST",
                format!("/api/v1/bookings/{booking}/reschedule"),
                Some(json!({"starts_at": t})),
                &employee,
            ),
            (
                "GET",
                format!(
                    "/api/v1/consultants/{}/slots?from={}",
                    f.consultant.id,
                    encoded(t)
                ),
                None,
                &employee,
            ),
            (
                "GET",
                format!(
                    "/api/v1/consultants/{}/slots?from={}&to={}",
                    f.consultant.id,
                    encoded(&start),
                    encoded(t)
                ),
                None,
                &employee,
            ),
            (
                "POST",
                "/api/v1/consultants/me/availability/overrides".into(),
                Some(json!({"date": format!("{year}-01-01"), "intervals": []})),
                &consultant,
            ),
            (
                "GET",
                format!(
                    "/api/v1/orgs/{}/reports/themes?from={year}-Q1&to={year}-Q4",
                    f.org_a
                ),
                None,
                &hr,
            ),
            (
                "GET",
                format!(
                    "/api/v1/orgs/{}/reports/usage?from={year}-01&to={year}-Q2",
                    f.org_a
                ),
                None,
                &hr,
            ),
            (
                "GET",
                format!("/api/v1/operator/emerging-themes?from={year}-Q1"),
                None,
                &operator,
            ),
        ];
        for (method, path, body, token) in probes {
            let (status, answer) = app.call(method, &path, Some(token), body).await;
            assert!(
                status.is_client_error() && answer["error"]["code"].is_string(),
                "{method} {path}: {status} {answer}"
            );
            checked += 1;
        }
    }
    println!("{checked} requests with far instants, each a 4xx with the error body");
    // Nothing moved: the booking is where it was, one credit taken.
    let (_, still) = app
        .get(&format!("/api/v1/bookings/{booking}"), Some(&employee))
        .await;
    assert_eq!(
        (still["starts_at"].clone(), still["status"].clone()),
        (booked["starts_at"].clone(), json!("confirmed"))
    );
    assert_eq!(app.true_credit_balance(f.org_a).await, 499);
    app.stop().await;
}

/// New York falls back on the first Sunday of November: 01:00–02:00 local
/// happens twice. Hours of 01:00–02:00 that night are two real hours: both
/// 01:00s are listed and both can be booked, each a different instant.
async fn the_repeated_hour_of_a_fall_back_night_is_booked_twice(backend: Backend) {
    use chrono::Datelike;
    let today = Utc::now().date_naive();
    let fall_back = |year: i32| {
        let first = chrono::NaiveDate::from_ymd_opt(year, 11, 1).expect("date");
        first + Duration::days(i64::from((7 - first.weekday().num_days_from_sunday()) % 7))
    };
    let mut night = fall_back(today.year());
    if night <= today + Duration::days(1) {
        night = fall_back(today.year() + 1);
    }
    the_repeated_hour_on(backend, &night.to_string()).await;
}

async fn the_repeated_hour_on(backend: Backend, date: &str) {
    let app = TestApp::spawn(backend).await;
    let (_, employee) = setup(&app, "America/New_York", "01:00", "02:00", 60).await;
    let first = format!("{date}T05:00:00Z"); // 01:00 EDT
    let second = format!("{date}T06:00:00Z"); // 01:00 EST
    let listed = slots(
        &app,
        &employee,
        &format!("{date}T00:00:00Z"),
        &format!("{date}T12:00:00Z"),
        60,
    )
    .await;
    let listed: Vec<DateTime<Utc>> = listed.iter().filter_map(|s| s.parse().ok()).collect();
    let expected: Vec<DateTime<Utc>> = [&first, &second]
        .iter()
        .filter_map(|s| s.parse().ok())
        .collect();
    assert_eq!(listed, expected, "both occurrences of 01:00 are listed");
    let (status, body) = sent(booking_request(&app, &employee, &first, 60)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = sent(booking_request(&app, &employee, &second, 60)).await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "the second 01:00 is another hour: {body}"
    );
    app.stop().await;
}

/// An override may end at 24:00 (a session ending at local midnight), and
/// two touching intervals hold a session across their seam. (The spring-gap
/// day, which Japan does not have, is covered by the slot arithmetic's unit
/// tests in `domain/availability.rs`.)
async fn sessions_end_at_midnight_and_touching_hours_hold_one(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (consultant, employee) = setup(&app, "Asia/Tokyo", "09:00", "10:00", 60).await;
    let day = (Utc::now() + Duration::days(5)).date_naive();
    let (status, body) = app
        .post(
            "/api/v1/consultants/me/availability/overrides",
            Some(&consultant),
            json!({"date": day.to_string(), "intervals": [
                {"start": "09:00", "end": "09:30"}, {"start": "09:30", "end": "11:00"},
                {"start": "23:00", "end": "24:00"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "24:00 ends the day: {body}");
    // Tokyo is UTC+9: 09:00 local is 00:00Z, 23:00 local is 14:00Z.
    let nine = rfc3339(day.and_hms_opt(0, 0, 0).expect("time").and_utc());
    let eleven_pm = rfc3339(day.and_hms_opt(14, 0, 0).expect("time").and_utc());
    let listed = slots(
        &app,
        &employee,
        &nine,
        &rfc3339(day.and_hms_opt(15, 0, 0).expect("time").and_utc()),
        60,
    )
    .await;
    assert!(
        listed.contains(&nine) && listed.contains(&eleven_pm),
        "{listed:?}"
    );
    let (status, body) = sent(booking_request(&app, &employee, &nine, 60)).await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "an hour across 09:00–09:30 and 09:30–11:00: {body}"
    );
    let (status, body) = sent(booking_request(&app, &employee, &eleven_pm, 60)).await;
    assert_eq!(status, StatusCode::CREATED, "23:00–24:00: {body}");
    let (_, availability) = app
        .get("/api/v1/consultants/me/availability", Some(&consultant))
        .await;
    assert_eq!(availability["weekly"][0]["end"], "10:00", "{availability}");
    app.stop().await;
}

/// Sends raw bytes on a new connection and reads until the server closes it
/// (or 15 s pass); returns what came back.
async fn raw_exchange(base: &str, request: &[u8]) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    stream.write_all(request).await.expect("write");
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Wait::from_secs(15), stream.read_to_end(&mut answer)).await;
    String::from_utf8_lossy(&answer).into_owned()
}

fn json_error_of(answer: &str) -> Value {
    let body = answer.split("\r\n\r\n").nth(1).unwrap_or_default();
    serde_json::from_str(body).unwrap_or(Value::Null)
}

/// Requests too long or malformed for the HTTP parser are answered with the
/// JSON error body too, not a bare status line.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_and_malformed_requests_get_the_error_body() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let cases: Vec<(Vec<u8>, &str, &str)> = vec![
        (
            format!(
                "GET /api/v1/consultants?q={} HTTP/1.1\r\nHost: t\r\n\r\n",
                "a".repeat(100 * 1024)
            )
            .into_bytes(),
            "HTTP/1.1 414",
            "uri_too_long",
        ),
        (
            format!(
                "GET /api/v1/consultants?q={} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
                "a".repeat(10 * 1024)
            )
            .into_bytes(),
            "HTTP/1.1 414",
            "uri_too_long",
        ),
        (
            format!(
                "GET /healthz HTTP/1.1\r\nHost: t\r\nX-Big: {}\r\n\r\n",
                "b".repeat(600 * 1024)
            )
            .into_bytes(),
            "HTTP/1.1 431",
            "headers_too_large",
        ),
        (
            b"BR\x01KEN / HTTP/1.1\r\nHost: t\r\n\r\n".to_vec(),
            "HTTP/1.1 400",
            "bad_request",
        ),
    ];
    for (request, status, code) in cases {
        let answer = raw_exchange(&app.base, &request).await;
        assert!(
            answer.starts_with(status),
            "{status}: {}",
            answer.lines().next().unwrap_or("")
        );
        assert_eq!(json_error_of(&answer)["error"]["code"], code, "{answer}");
    }
    app.stop().await;
}

/// Connections that never send a whole request head — idle ones and
/// half-sent ones — are closed after the header-read timeout (10 s), so a
/// few thousand of them cannot hold the server's sockets forever.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_and_half_sent_connections_are_closed() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = TestApp::spawn(Backend::Sqlite).await;
    let addr = app.base.trim_start_matches("http://").to_owned();
    let started = tokio::time::Instant::now();
    let mut held = tokio::task::JoinSet::new();
    for i in 0..150 {
        let addr = addr.clone();
        held.spawn(async move {
            let mut stream = tokio::net::TcpStream::connect(&addr)
                .await
                .expect("connect");
            match i % 3 {
                // Half-sent: a head that never ends.
                1 => stream
                    .write_all(b"GET /healthz HTTP/1.1\r\nHost: t\r\nX-Slow: ")
                    .await
                    .expect("write"),
                // Kept alive after one answered request, then idle.
                2 => stream
                    .write_all(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
                    .await
                    .expect("write"),
                // Idle from the start.
                _ => {}
            }
            let mut buf = [0u8; 512];
            // The server closes: read returns 0 (or an error), within 25 s
            // (10 s plus slack for a loaded two-core CI machine, where a
            // connection idle from the start has been seen closing late;
            // hyper's own default would be 30 s, and axum::serve's none).
            let connected = tokio::time::Instant::now();
            let closed = tokio::time::timeout(Wait::from_secs(25), async {
                loop {
                    match stream.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(_) => {}
                    }
                }
            })
            .await;
            (i % 3, closed.is_ok(), connected.duration_since(started))
        });
    }
    let outcomes = held.join_all().await;
    let open: Vec<(usize, Wait)> = outcomes
        .iter()
        .filter(|(_, c, _)| !c)
        .map(|(kind, _, connected_after)| (*kind, *connected_after))
        .collect();
    let took = started.elapsed();
    assert!(
        open.is_empty(),
        "still open after 25 s (0 idle, 1 half-sent, 2 kept alive; with when each connected): {open:?}"
    );
    assert!(
        took >= Wait::from_secs(9),
        "not before the timeout: {took:?}"
    );
    // The server still serves.
    let (status, _) = app.get("/healthz", None).await;
    assert_eq!(status, StatusCode::OK);
    app.stop().await;
}

/// Five wrong one-time codes in 15 minutes stop further guesses for the
/// account, even a right one (a six-digit code cannot be guessed in five).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_one_time_codes_are_limited_to_five_per_quarter_hour() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let operator = app.fixtures.operator.clone();
    let right = operator.totp_code().expect("code");
    let wrong = if right == "000000" {
        "000001"
    } else {
        "000000"
    };
    let attempt = |code: String| {
        let app = &app;
        let email = operator.email.clone();
        async move {
            app.post(
                "/api/v1/auth/login",
                None,
                json!({"email": email, "password": taiwa_tests::FIXTURE_PASSWORD, "totp": code}),
            )
            .await
        }
    };
    for n in 1..=5 {
        let (status, body) = attempt(wrong.to_owned()).await;
        assert_eq!(
            (status, body["error"]["code"].clone()),
            (StatusCode::UNAUTHORIZED, json!("invalid_otp")),
            "wrong code {n}: {body}"
        );
    }
    let (status, body) = attempt(right).await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "the sixth try, even right: {body}"
    );
    assert_eq!(body["error"]["code"], "rate_limited", "{body}");
    app.stop().await;
}

/// The language switch goes back only to a path on this site: a `back` that
/// a browser would read as another origin (tab, backslash, `//`) goes home.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_language_switch_never_redirects_off_site() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    for (back, expected) in [
        ("/%09/evil.example/x", "/"),
        ("/%0A/evil.example", "/"),
        ("/%5Cevil.example", "/"),
        ("//evil.example", "/"),
        ("https://evil.example/", "/"),
        ("/bookings", "/bookings"),
    ] {
        let response = client
            .get(format!("{}/lang/en?back={back}", app.base))
            .send()
            .await
            .expect("switch");
        assert!(
            response.status().is_redirection(),
            "{back}: {}",
            response.status()
        );
        let location = response.headers()["location"]
            .to_str()
            .unwrap_or("")
            .to_owned();
        assert_eq!(location, expected, "back={back}");
    }
    app.stop().await;
}

/// The calendar invites, per recipient, unfolded: (to, method, uid, sequence, ics).
fn invites(app: &TestApp) -> Vec<(String, String, String, u32, String)> {
    let mut out = Vec::new();
    for parts in app.written_mail_parts() {
        let Some(head) = parts.first() else { continue };
        let to = head
            .headers
            .lines()
            .find_map(|l| l.strip_prefix("To: "))
            .unwrap_or_default()
            .to_owned();
        for part in &parts {
            if !part.headers.contains("text/calendar") {
                continue;
            }
            let ics = part.body.clone();
            let unfolded = ics.replace("\r\n ", "").replace("\n ", "");
            let field = |name: &str| {
                unfolded
                    .lines()
                    .find_map(|l| l.strip_prefix(name))
                    .unwrap_or_default()
                    .trim()
                    .to_owned()
            };
            out.push((
                to.clone(),
                field("METHOD:"),
                field("UID:"),
                field("SEQUENCE:").parse().unwrap_or(u32::MAX),
                ics,
            ));
        }
    }
    out
}

/// A moved session stays one calendar event (RFC 5546): the new time is a
/// REQUEST with the same UID and a higher SEQUENCE, not a cancellation and a
/// new event; cancelling it afterwards is a CANCEL with a higher one still.
/// Every invite names Taiwa as organiser and only its recipient as
/// attendee, and its lines are folded at 75 octets.
async fn a_moved_session_stays_one_event_with_a_higher_sequence(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixtures.clone();
    let (_, employee) = setup(&app, "UTC", "08:00", "18:00", 60).await;
    let day = Utc::now().date_naive() + Duration::days(3);
    let at = |h: u32| rfc3339(day.and_hms_opt(h, 0, 0).expect("time").and_utc());
    let (status, first) = sent(booking_request(&app, &employee, &at(10), 60)).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    let id = first["id"].as_str().expect("id").to_owned();
    let (status, moved) = app
        .post(
            &format!("/api/v1/bookings/{id}/reschedule"),
            Some(&employee),
            json!({"starts_at": at(12)}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    let moved_id = moved["id"].as_str().expect("id").to_owned();
    let (status, _) = app
        .post(
            &format!("/api/v1/bookings/{moved_id}/cancel"),
            Some(&employee),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let deadline = tokio::time::Instant::now() + Wait::from_secs(15);
    let all = loop {
        let all = invites(&app);
        if all.len() >= 6 || tokio::time::Instant::now() > deadline {
            break all;
        }
        tokio::time::sleep(Wait::from_millis(100)).await;
    };
    let summary: Vec<(String, String, u32)> = all
        .iter()
        .map(|(to, m, _, s, _)| (to.clone(), m.clone(), *s))
        .collect();
    for who in [&f.employee_a.email, &f.consultant.email] {
        let mut mine: Vec<(String, u32)> = summary
            .iter()
            .filter(|(to, _, _)| to == who)
            .map(|(_, m, s)| (m.clone(), *s))
            .collect();
        mine.sort_by_key(|(_, s)| *s);
        assert_eq!(
            mine,
            [
                ("REQUEST".to_owned(), 0),
                ("REQUEST".to_owned(), 1),
                ("CANCEL".to_owned(), 2)
            ],
            "{who}: booked, moved (an update), cancelled — {summary:?}"
        );
    }
    let uids: std::collections::BTreeSet<&str> =
        all.iter().map(|(_, _, uid, _, _)| uid.as_str()).collect();
    assert_eq!(uids.len(), 1, "one event throughout: {uids:?}");
    for (to, _, _, _, ics) in &all {
        let unfolded = ics.replace("\r\n ", "").replace("\n ", "");
        assert!(unfolded.contains("ORGANIZER;CN=Taiwa:mailto:"), "{ics}");
        let attendees: Vec<&str> = unfolded
            .lines()
            .filter(|l| l.starts_with("ATTENDEE"))
            .collect();
        assert_eq!(attendees.len(), 1, "{ics}");
        assert!(
            attendees[0].ends_with(&format!("mailto:{to}")),
            "only the recipient: {ics}"
        );
        assert!(
            ics.lines().all(|l| l.trim_end_matches('\r').len() <= 75),
            "folded: {ics}"
        );
    }
    app.stop().await;
}

/// Every held session is counted in usage once, whichever comes first: the
/// employee's feedback or the consultant's record.
async fn every_held_session_is_counted_once_whatever_comes_first(backend: Backend) {
    let ids = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seeded = ids.clone();
    let app = TestApp::spawn_seeded(backend, |db, f| async move {
        for _ in 0..2 {
            let id = taiwa_tests::seed_booking(&db, &f, f.employee_a.id, -Duration::hours(3), None)
                .await;
            seeded.lock().expect("lock").push(id);
        }
    })
    .await;
    let held = ids.lock().expect("lock").clone();
    let f = app.fixtures.clone();
    let consultant = app.token(&f.consultant).await;
    let employee = app.token(&f.employee_a).await;
    let record =
        json!({"private_notes": "メモ", "themes": ["workload"], "org_summary": "業務量の相談"});
    let feedback = json!({"rating": 5, "share_with_org": false, "cohort_consent": false});
    // The first: record, then feedback. The second: feedback, then record.
    let steps = [
        (
            held[0],
            [
                ("record", &consultant, &record),
                ("feedback", &employee, &feedback),
            ],
        ),
        (
            held[1],
            [
                ("feedback", &employee, &feedback),
                ("record", &consultant, &record),
            ],
        ),
    ];
    for (id, order) in steps {
        for (what, token, body) in order {
            let (status, answer) = app
                .post(
                    &format!("/api/v1/bookings/{id}/{what}"),
                    Some(token),
                    body.clone(),
                )
                .await;
            assert!(status.is_success(), "{what} on {id}: {status} {answer}");
        }
    }
    let counted = || async {
        sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM reporting_usage WHERE org_id = $1 AND outcome = 'held'",
        )
        .bind(f.org_a.to_string())
        .fetch_one(app.db.pool())
        .await
        .expect("usage")
    };
    let deadline = tokio::time::Instant::now() + Wait::from_secs(10);
    while counted().await < 2 && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Wait::from_millis(100)).await;
    }
    assert_eq!(counted().await, 2, "both held sessions are in usage");
    app.stop().await;
}

/// A password confirming a sensitive change is protected like a sign-in:
/// after five wrong ones from one address, the next must wait.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn password_checks_on_sensitive_changes_are_throttled() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let employee = app.token(&app.fixtures.employee_a).await;
    for n in 1..=5 {
        let (status, body) = app
            .call(
                "DELETE",
                "/api/v1/me",
                Some(&employee),
                Some(json!({"password": "not-my-password-1"})),
            )
            .await;
        assert_eq!(
            (status, body["error"]["code"].clone()),
            (StatusCode::UNPROCESSABLE_ENTITY, json!("wrong_password")),
            "wrong password {n}"
        );
    }
    for (path, method, body) in [
        (
            "/api/v1/me",
            "DELETE",
            json!({"password": taiwa_tests::FIXTURE_PASSWORD}),
        ),
        (
            "/api/v1/me/mfa/totp",
            "POST",
            json!({"password": taiwa_tests::FIXTURE_PASSWORD}),
        ),
    ] {
        let (status, answer) = app.call(method, path, Some(&employee), Some(body)).await;
        assert_eq!(
            (status, answer["error"]["code"].clone()),
            (StatusCode::TOO_MANY_REQUESTS, json!("rate_limited")),
            "{method} {path}: {answer}"
        );
    }
    app.stop().await;
}
