//! Booking over HTTP on both backends: a slot is booked once among 100
//! racers, overlaps and stacked buffers conflict, cancel re-opens, reschedule
//! is atomic, credits are exact, idempotency keys, and confidentiality.

use std::time::Duration;

use chrono::{DateTime, Duration as Span, Timelike, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};
use taiwa_tests::{Backend, TestApp, on_both_backends};

on_both_backends!(
    a_next_free_time_that_has_passed_is_announced_again,
    a_long_history_keeps_the_coming_sessions_listed,
    one_slot_one_winner_among_a_hundred,
    overlapping_times_raced_give_one_session,
    a_booking_checked_against_a_calendar_that_changed_is_not_written,
    overlaps_and_buffers_conflict,
    cancel_reopens_and_reschedule_is_atomic,
    credits_idempotency_and_notice,
    concurrent_bookings_never_take_more_credits_than_exist,
    reads_of_private_notes_are_audited_or_refused,
    only_the_two_participants_see_a_booking,
    each_booking_has_its_own_room_and_availability_flows,
    feedback_after_a_held_session_reaches_matching,
    both_participants_get_calendar_invites,
    records_are_private_encrypted_and_handed_off_only_with_consent,
    shared_summaries_lose_names_and_carry_the_cohort_only_with_consent,
    the_consultant_marks_a_missed_session_as_no_show,
    reminders_are_sent_once_and_follow_changes,
    action_items_belong_to_the_employee_and_follow_ups_hold_slots,
);

/// The day after tomorrow at `hour`:00 UTC (beyond the 24-hour cutoff).
fn later(hour: u32) -> DateTime<Utc> {
    let t = Utc::now() + Span::days(2);
    t.with_hour(hour)
        .and_then(|t| t.with_minute(0))
        .and_then(|t| t.with_second(0))
        .and_then(|t| t.with_nanosecond(0))
        .expect("time")
}

async fn setup(app: &TestApp, buffer: u32) -> (String, String, String) {
    let f = app.fixtures.clone();
    let consultant = app.token(&f.consultant).await;
    let every_day: Vec<Value> = (1..=7)
        .map(|d| json!({"weekday": d, "start": "08:00", "end": "18:00"}))
        .collect();
    let (status, body) = app
        .call("PUT", "/api/v1/consultants/me/availability", Some(&consultant), Some(json!({
            "timezone": "UTC", "weekly": every_day, "session_minutes": [30, 60], "buffer_minutes": buffer,
            "min_notice_minutes": 60, "horizon_days": 30, "max_per_day": 0
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
    assert_eq!(
        (status, body["balance"].clone()),
        (StatusCode::OK, json!(500)),
        "{body}"
    );
    (consultant, app.token(&f.employee_a).await, hr)
}

fn book(app: &TestApp, token: &str, start: DateTime<Utc>, minutes: u32) -> reqwest::RequestBuilder {
    app.http
        .post(format!("{}/api/v1/bookings", app.base))
        .bearer_auth(token)
        .json(&json!({"consultant_id": app.fixtures.consultant.id, "starts_at": start, "duration_minutes": minutes,
                      "agenda": {"topic": "異動について考えたい", "help": "think_with_me"}, "nickname": "ハナ"}))
}

async fn status_of(r: reqwest::RequestBuilder) -> (StatusCode, Value) {
    let response = r.send().await.expect("send");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn one_slot_one_winner_among_a_hundred(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, employee, hr) = setup(&app, 0).await;
    let start = later(10);
    let racers: Vec<_> = (0..100)
        .map(|_| tokio::spawn(book(&app, &employee, start, 60).send()))
        .collect();
    let mut created = 0;
    let mut taken = 0;
    for racer in racers {
        let response = racer.await.expect("join").expect("response");
        match response.status() {
            StatusCode::CREATED => created += 1,
            StatusCode::CONFLICT => taken += 1,
            other => panic!(
                "unexpected {other}: {}",
                response.text().await.unwrap_or_default()
            ),
        }
    }
    assert_eq!((created, taken), (1, 99));
    assert_eq!(
        app.true_credit_balance(app.fixtures.org_a).await,
        499,
        "exactly one credit taken"
    );
    let (_, credits) = app
        .get(
            &format!("/api/v1/orgs/{}/credits", app.fixtures.org_a),
            Some(&hr),
        )
        .await;
    assert_eq!(
        credits["balance"], 500,
        "HR's view does not move with one booking"
    );
    app.stop().await;
}

/// Racers for different times that overlap: no unique key tells them
/// apart, only the calendar's lock or its version does.
async fn overlapping_times_raced_give_one_session(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, employee, _) = setup(&app, 0).await;
    let ten = later(10);
    // 10:00–11:00 overlaps 10:00–10:30 and 10:30–11:00, which do not
    // overlap each other: either the hour wins, or both halves do.
    let asks = [(ten, 60), (ten, 30), (ten + Span::minutes(30), 30)];
    let racers: Vec<_> = (0..60)
        .map(|i| {
            let (start, minutes) = asks[i % asks.len()];
            (
                i % asks.len(),
                tokio::spawn(book(&app, &employee, start, minutes).send()),
            )
        })
        .collect();
    let mut created = [0; 3];
    for (ask, racer) in racers {
        let response = racer.await.expect("join").expect("response");
        match response.status() {
            StatusCode::CREATED => created[ask] += 1,
            StatusCode::CONFLICT => {}
            other => panic!(
                "unexpected {other}: {}",
                response.text().await.unwrap_or_default()
            ),
        }
    }
    assert!(
        created == [1, 0, 0] || created == [0, 1, 1],
        "sessions made per ask: {created:?}"
    );
    let overlapping: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM booking_bookings a JOIN booking_bookings b \
         ON a.consultant_id = b.consultant_id AND a.id < b.id \
         AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at \
         WHERE a.status = 'confirmed' AND b.status = 'confirmed'",
    )
    .fetch_one(app.db.pool())
    .await
    .expect("overlaps");
    assert_eq!(overlapping, 0);
    let made: i64 = created.iter().sum();
    assert_eq!(
        app.true_credit_balance(app.fixtures.org_a).await,
        500 - made
    );
    app.stop().await;
}

/// A booking validated against the calendar as read is written only if the
/// calendar is still that one: a change of availability or of one date,
/// another booking or a cancellation in between makes the write a no-op, a
/// write that meets a transaction holding the calendar waits and checks
/// again, and an org without credit moves nothing (PostgreSQL's path; on SQLite every
/// booking holds the database's write lock from its checks to its commit,
/// which the other tests here cover).
async fn a_booking_checked_against_a_calendar_that_changed_is_not_written(backend: Backend) {
    use taiwa_booking::domain::booking::{BookingId, BookingRecord, BookingStatus};
    use taiwa_booking::store::{self, AtVersion};

    let app = TestApp::spawn(backend).await;
    let (consultant, employee, _) = setup(&app, 0).await;
    let f = app.fixtures.clone();
    let start = later(14);
    let record = |start: DateTime<Utc>| BookingRecord {
        id: BookingId::new(),
        consultant_id: f.consultant.id,
        employee_id: f.employee_a.id,
        org_id: f.org_a,
        starts_at: start,
        ends_at: start + Span::minutes(60),
        status: BookingStatus::Confirmed,
        nickname: None,
        agenda: None,
        idempotency_key: None,
        rescheduled_to: None,
    };
    let mut conn = app.db.pool().acquire().await.expect("conn");
    let consultant_id = f.consultant.id;
    let snapshot = async |conn: &mut sqlx::AnyConnection| {
        store::snapshot(
            conn,
            consultant_id,
            start - Span::days(2),
            start + Span::days(2),
        )
        .await
        .expect("snapshot")
        .expect("the consultant has a calendar")
    };
    let write = async |conn: &mut sqlx::AnyConnection, booking: BookingRecord, version: i64| {
        let notice =
            taiwa_booking::notify::entry(booking.id, taiwa_booking::notify::Kind::Confirmed)
                .expect("notice");
        store::write_booking_at_version(
            conn,
            &booking,
            version,
            &notice,
            taiwa_booking::OUTBOX.table(),
            &[],
            0,
        )
        .await
        .expect("write")
    };
    // Confirmed bookings, and org A's credit balance.
    let written = async |conn: &mut sqlx::AnyConnection| {
        let confirmed = sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM booking_bookings WHERE status = 'confirmed'",
        )
        .fetch_one(conn)
        .await
        .expect("count");
        (confirmed, app.true_credit_balance(f.org_a).await)
    };
    // The calendar as it is now, checked to have moved on from `previous`;
    // on PostgreSQL a booking checked against `previous` is then not
    // written (asked right after each change, so only that change moved it).
    let moved_on = async |conn: &mut sqlx::AnyConnection, previous: i64, what: &str| {
        let now = snapshot(conn).await;
        assert!(now.version > previous, "{what} moves the version on");
        if backend == Backend::Postgres {
            let unchanged = written(conn).await;
            assert_eq!(
                write(conn, record(start), previous).await,
                AtVersion::Moved,
                "a write checked before {what}"
            );
            assert_eq!(
                written(conn).await,
                unchanged,
                "nothing written after {what}"
            );
        }
        now
    };

    // Every write of the calendar moves its version on, on both engines.
    let before = snapshot(&mut conn).await;
    let every_day: Vec<Value> = (1..=7)
        .map(|d| json!({"weekday": d, "start": "08:00", "end": "18:00"}))
        .collect();
    let (status, body) = app
        .call("PUT", "/api/v1/consultants/me/availability", Some(&consultant), Some(json!({
            "timezone": "UTC", "weekly": every_day, "session_minutes": [30, 60], "buffer_minutes": 0,
            "min_notice_minutes": 60, "horizon_days": 30, "max_per_day": 0
        })))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let after_hours = moved_on(&mut conn, before.version, "the weekly hours").await;
    let (status, body) = status_of(book(&app, &employee, later(9), 60)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let after_booking = moved_on(&mut conn, after_hours.version, "another booking").await;
    assert_eq!(
        after_booking.busy.len(),
        1,
        "the snapshot holds the new session"
    );
    let (status, body) = app
        .post(
            "/api/v1/consultants/me/availability/overrides",
            Some(&consultant),
            json!({"date": (start + Span::days(5)).date_naive(), "intervals": [{"start": "10:00", "end": "12:00"}]}),
        )
        .await;
    assert!(status.is_success(), "{status} {body}");
    let after_override = moved_on(&mut conn, after_booking.version, "an override").await;
    let (status, body) = status_of(book(&app, &employee, later(11), 30)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let booked = moved_on(&mut conn, after_override.version, "a second booking").await;
    let id = body["id"].as_str().expect("id");
    let (status, body) = app
        .post(
            &format!("/api/v1/bookings/{id}/cancel"),
            Some(&employee),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let after_cancel = moved_on(&mut conn, booked.version, "a cancellation").await;
    assert_eq!(after_cancel.busy.len(), 1, "the cancelled time is free");
    if backend == Backend::Sqlite {
        // SQLite books under the write lock only; the write at a version
        // below is PostgreSQL's.
        app.stop().await;
        return;
    }

    let (made, balance) = written(&mut conn).await;

    // An org with no credit — never granted any, or down to a balance of
    // 0 — : nothing written, and the calendar's version stays (a booking
    // that cannot be paid for does not make others retry).
    let unfunded = || BookingRecord {
        employee_id: f.employee_b.id,
        org_id: f.org_b,
        ..record(start)
    };
    assert_eq!(
        write(&mut conn, unfunded(), after_cancel.version).await,
        AtVersion::NoCredit,
        "no balance row"
    );
    sqlx::query("INSERT INTO booking_credit_balances (org_id, balance) VALUES ($1, 0)")
        .bind(f.org_b.to_string())
        .execute(&mut *conn)
        .await
        .expect("a balance of 0");
    assert_eq!(
        write(&mut conn, unfunded(), after_cancel.version).await,
        AtVersion::NoCredit,
        "a balance of 0"
    );
    assert_eq!(snapshot(&mut conn).await.version, after_cancel.version);

    // A write that meets a transaction holding the calendar waits for it,
    // then checks the version again: the holder moved it on, so nothing.
    let current = snapshot(&mut conn).await;
    let backend_pid = "SELECT CAST(pg_backend_pid() AS BIGINT)";
    let mut holder = app.db.begin_write().await.expect("tx");
    let holder_pid: i64 = sqlx::query_scalar(backend_pid)
        .fetch_one(&mut *holder)
        .await
        .expect("pid");
    store::lock_consultant(&mut holder, consultant_id)
        .await
        .expect("lock");
    let db = app.db.clone();
    let (pid_tx, pid_rx) = tokio::sync::oneshot::channel::<i64>();
    let waiting = tokio::spawn({
        let booking = record(start);
        async move {
            let mut conn = db.pool().acquire().await.expect("conn");
            let pid: i64 = sqlx::query_scalar(backend_pid)
                .fetch_one(&mut *conn)
                .await
                .expect("pid");
            let _ = pid_tx.send(pid);
            let notice =
                taiwa_booking::notify::entry(booking.id, taiwa_booking::notify::Kind::Confirmed)
                    .expect("notice");
            store::write_booking_at_version(
                &mut conn,
                &booking,
                current.version,
                &notice,
                taiwa_booking::OUTBOX.table(),
                &[],
                0,
            )
            .await
            .expect("write")
        }
    });
    // Seen by PostgreSQL itself blocked by the holder, not merely not done.
    let waiter_pid = pid_rx.await.expect("the writer's pid");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let blocked_by_the_holder = sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE pid = CAST($1 AS INT) \
             AND CAST($2 AS INT) = ANY(pg_blocking_pids(pid))",
        )
        .bind(waiter_pid)
        .bind(holder_pid)
        .fetch_one(&mut *conn)
        .await
        .expect("pg_stat_activity");
        if blocked_by_the_holder == 1 {
            break;
        }
        assert!(!waiting.is_finished(), "the write waits for the holder");
        assert!(
            tokio::time::Instant::now() < deadline,
            "the write never waited on the calendar's lock"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(!waiting.is_finished(), "the write waits for the holder");
    holder.commit().await.expect("commit");
    assert_eq!(waiting.await.expect("task"), AtVersion::Moved);
    assert_eq!(
        written(&mut conn).await,
        (made, balance),
        "still nothing written"
    );

    let latest = snapshot(&mut conn).await;
    assert_eq!(
        write(&mut conn, record(start), latest.version).await,
        AtVersion::Written
    );
    assert_eq!(written(&mut conn).await, (made + 1, balance - 1));
    assert_eq!(
        write(&mut conn, record(start), latest.version).await,
        AtVersion::Moved,
        "its own write moved the version on"
    );
    drop(conn);
    app.stop().await;
}

async fn overlaps_and_buffers_conflict(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, employee, _) = setup(&app, 15).await;
    assert_eq!(
        status_of(book(&app, &employee, later(10), 60)).await.0,
        StatusCode::CREATED
    );
    let (status, body) = status_of(book(&app, &employee, later(10) + Span::minutes(30), 30)).await;
    assert_eq!(
        (status, body["error"]["code"].clone()),
        (StatusCode::CONFLICT, json!("slot_taken")),
        "10:30–11:00 overlaps 10:00–11:00 (10:30–11:30 is covered in the domain tests)"
    );
    let (status, _) = status_of(book(&app, &employee, later(11), 30)).await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "11:00 is inside the stacked 15 + 15 minute buffers"
    );
    assert_eq!(
        status_of(book(&app, &employee, later(11) + Span::minutes(30), 30))
            .await
            .0,
        StatusCode::CREATED
    );
    let (status, body) = status_of(book(&app, &employee, later(20), 60)).await;
    assert_eq!(
        (status, body["error"]["code"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("not_bookable")),
        "outside hours"
    );
    let (status, _) = status_of(book(&app, &employee, later(13), 45)).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "45 minutes is not offered"
    );
    app.stop().await;
}

async fn slots(app: &TestApp, token: &str, day: DateTime<Utc>) -> Vec<String> {
    let from = day.with_hour(0).expect("midnight");
    let url = format!(
        "/api/v1/consultants/{}/slots?from={}&to={}&duration_minutes=60",
        app.fixtures.consultant.id,
        from.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        (from + Span::days(1)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    );
    let (status, body) = app.get(&url, Some(token)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["slots"]
        .as_array()
        .expect("slots")
        .iter()
        .filter_map(|s| s["starts_at"].as_str().map(str::to_owned))
        .collect()
}

fn same_instant(listed: &[String], t: DateTime<Utc>) -> bool {
    listed
        .iter()
        .any(|s| s.parse::<DateTime<Utc>>().is_ok_and(|x| x == t))
}

async fn cancel_reopens_and_reschedule_is_atomic(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, employee, hr) = setup(&app, 0).await;
    let (_, b) = status_of(book(&app, &employee, later(9), 60)).await;
    let id = b["id"].as_str().expect("id").to_owned();
    assert!(
        !same_instant(&slots(&app, &employee, later(9)).await, later(9)),
        "a booked slot is not listed"
    );
    // Every listed slot can be booked.
    let listed = slots(&app, &employee, later(9)).await;
    assert!(same_instant(&listed, later(10)) && same_instant(&listed, later(8)));

    // Reschedule onto a taken slot changes nothing.
    let (_, other) = status_of(book(&app, &employee, later(14), 60)).await;
    let (status, _) = app
        .post(
            &format!("/api/v1/bookings/{id}/reschedule"),
            Some(&employee),
            json!({"starts_at": later(14)}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (_, unchanged) = app
        .get(&format!("/api/v1/bookings/{id}"), Some(&employee))
        .await;
    assert_eq!(
        (
            unchanged["status"].clone(),
            unchanged["starts_at"]
                .as_str()
                .and_then(|s| s.parse::<DateTime<Utc>>().ok())
        ),
        (json!("confirmed"), Some(later(9)))
    );

    let (status, moved) = app
        .post(
            &format!("/api/v1/bookings/{id}/reschedule"),
            Some(&employee),
            json!({"starts_at": later(16)}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    let (_, old) = app
        .get(&format!("/api/v1/bookings/{id}"), Some(&employee))
        .await;
    assert_eq!(
        (old["status"].clone(), old["rescheduled_to"].clone()),
        (json!("rescheduled"), moved["id"].clone())
    );
    let listed = slots(&app, &employee, later(9)).await;
    assert!(
        same_instant(&listed, later(9)) && !same_instant(&listed, later(16)),
        "old freed, new taken"
    );

    // Cancel re-opens and refunds; a second cancel is harmless.
    let new_id = moved["id"].as_str().expect("id").to_owned();
    let (status, cancelled) = app
        .post(
            &format!("/api/v1/bookings/{new_id}/cancel"),
            Some(&employee),
            json!({}),
        )
        .await;
    assert_eq!(
        (status, cancelled["status"].clone()),
        (StatusCode::OK, json!("cancelled"))
    );
    let (status, again) = app
        .post(
            &format!("/api/v1/bookings/{new_id}/cancel"),
            Some(&employee),
            json!({}),
        )
        .await;
    assert_eq!(
        (status, again["status"].clone()),
        (StatusCode::OK, json!("cancelled"))
    );
    assert!(
        same_instant(&slots(&app, &employee, later(9)).await, later(16)),
        "cancel re-opens the slot"
    );
    assert_eq!(
        app.true_credit_balance(app.fixtures.org_a).await,
        499,
        "two bookings taken, one refunded (the move kept its credit)"
    );
    let (_, credits) = app
        .get(
            &format!("/api/v1/orgs/{}/credits", app.fixtures.org_a),
            Some(&hr),
        )
        .await;
    assert_eq!(credits["balance"], 500, "HR sees none of it this week");
    assert!(other["id"].is_string());
    app.stop().await;
}

async fn credits_idempotency_and_notice(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixtures.clone();
    let (_, _, _) = setup(&app, 0).await;
    // Org B has no credits.
    let employee_b = app.token(&f.employee_b).await;
    let (status, body) = status_of(book(&app, &employee_b, later(9), 60)).await;
    assert_eq!(
        (status, body["error"]["code"].clone()),
        (StatusCode::PAYMENT_REQUIRED, json!("no_credits"))
    );

    let employee = app.token(&f.employee_a).await;
    let key = uuid::Uuid::new_v4().to_string();
    let (s1, first) =
        status_of(book(&app, &employee, later(12), 60).header("Idempotency-Key", &key)).await;
    let (s2, second) =
        status_of(book(&app, &employee, later(12), 60).header("Idempotency-Key", &key)).await;
    assert_eq!((s1, s2), (StatusCode::CREATED, StatusCode::CREATED));
    assert_eq!(
        first["id"], second["id"],
        "a retried request returns the first booking"
    );
    assert_eq!(app.true_credit_balance(f.org_a).await, 499, "charged once");

    // Minimum notice is 60 minutes.
    let soon = Utc::now() + Span::minutes(20);
    let (status, _) = status_of(book(&app, &employee, soon, 30)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // Within the 24-hour cutoff an employee cannot cancel.
    let today_late = Utc::now() + Span::hours(3);
    let listed = slots(&app, &employee, today_late).await;
    if let Some(start) = listed
        .iter()
        .filter_map(|s| s.parse::<DateTime<Utc>>().ok())
        .find(|t| *t > Utc::now() + Span::hours(2))
    {
        let (_, near) = status_of(book(&app, &employee, start, 60)).await;
        let (status, body) = app
            .post(
                &format!(
                    "/api/v1/bookings/{}/cancel",
                    near["id"].as_str().unwrap_or_default()
                ),
                Some(&employee),
                json!({}),
            )
            .await;
        assert_eq!(
            (status, body["error"]["code"].clone()),
            (StatusCode::CONFLICT, json!("cutoff_passed")),
            "{body}"
        );
        let consultant = app.token(&f.consultant).await;
        let (status, _) = app
            .post(
                &format!(
                    "/api/v1/bookings/{}/cancel",
                    near["id"].as_str().unwrap_or_default()
                ),
                Some(&consultant),
                json!({}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "the consultant can always cancel");
    }
    let (status, _) = app
        .post(
            &format!("/api/v1/orgs/{}/credits/grants", f.org_a),
            Some(&employee),
            json!({"amount": 5}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app
        .post(
            &format!("/api/v1/orgs/{}/credits/grants", f.org_a),
            Some(&app.token(&f.hr_a).await),
            json!({"amount": 0}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    app.stop().await;
}

async fn only_the_two_participants_see_a_booking(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixtures.clone();
    let (consultant, employee, hr) = setup(&app, 0).await;
    let (_, b) = status_of(book(&app, &employee, later(9), 60)).await;
    let path = format!("/api/v1/bookings/{}", b["id"].as_str().expect("id"));

    let (status, seen) = app.get(&path, Some(&consultant)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (seen["agenda"]["help"].clone(), seen["nickname"].clone()),
        (json!("think_with_me"), json!("ハナ"))
    );
    let (_, list) = app.get("/api/v1/bookings", Some(&consultant)).await;
    assert_eq!(list["items"].as_array().map(Vec::len), Some(1));

    for (who, expected) in [
        (&hr, StatusCode::FORBIDDEN),
        (&app.token(&f.operator).await, StatusCode::FORBIDDEN),
        (&app.token(&f.employee_b).await, StatusCode::NOT_FOUND),
    ] {
        assert_eq!(app.get(&path, Some(who)).await.0, expected);
        assert_eq!(
            app.post(&format!("{path}/cancel"), Some(who), json!({}))
                .await
                .0,
            expected
        );
    }
    assert_eq!(
        app.get("/api/v1/bookings", Some(&hr)).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        status_of(book(&app, &hr, later(11), 60)).await.0,
        StatusCode::FORBIDDEN
    );
    let slots_path = format!("/api/v1/consultants/{}/slots", f.consultant.id);
    assert_eq!(
        app.get(&slots_path, Some(&hr)).await.0,
        StatusCode::FORBIDDEN
    );
    let (_, other_list) = app
        .get("/api/v1/bookings", Some(&app.token(&f.employee_b).await))
        .await;
    assert_eq!(other_list["items"].as_array().map(Vec::len), Some(0));
    assert_eq!(
        app.get(
            &format!("/api/v1/bookings/{}", uuid::Uuid::new_v4()),
            Some(&employee)
        )
        .await
        .0,
        StatusCode::NOT_FOUND
    );
    // HR of another org cannot even read org A's balance.
    let hr_b = app.token(&f.hr_b).await;
    assert_eq!(
        app.get(&format!("/api/v1/orgs/{}/credits", f.org_a), Some(&hr_b))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    app.stop().await;
}

async fn each_booking_has_its_own_room_and_availability_flows(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixtures.clone();
    let consultant = app.token(&f.consultant).await;
    let profile = json!({
        "display_name": "予約 相談員", "headline": "一緒に考えます", "qualification": "national_career_consultant",
        "registration_number": "16000001", "specialties": ["skills"], "languages": ["ja"], "years_experience": 3,
        "region": "kanto", "session_formats": ["video"], "accepting_clients": true
    });
    assert_eq!(
        app.call(
            "PUT",
            "/api/v1/consultants/me/profile",
            Some(&consultant),
            Some(profile)
        )
        .await
        .0,
        StatusCode::OK
    );
    let (_, employee, _) = setup(&app, 0).await;
    let operator = app.token(&f.operator).await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    // A new profile waits for approval: until then it cannot be booked (404,
    // as for a consultant who does not exist).
    loop {
        let (status, _) = status_of(book(&app, &employee, later(9), 30)).await;
        if status == StatusCode::NOT_FOUND {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "pending yet bookable: {status}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let approval = format!("/api/v1/consultants/{}/approval", f.consultant.id);
    assert_eq!(
        app.post(&approval, Some(&operator), json!({"status": "approved"}))
            .await
            .0,
        StatusCode::OK
    );
    // Booking's availability reaches matching through the outbox.
    loop {
        let (_, p) = app
            .get(
                &format!("/api/v1/consultants/{}", f.consultant.id),
                Some(&operator),
            )
            .await;
        if p["next_available_at"].is_string() {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "matching never heard of the availability: {p}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // The approval reaches booking: the consultant can be booked.
    let first = loop {
        let (status, b) = status_of(book(&app, &employee, later(9), 30)).await;
        if status == StatusCode::CREATED {
            break b;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "approval never reached booking: {status} {b}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let (status, second) = status_of(book(&app, &employee, later(11), 30)).await;
    assert_eq!(status, StatusCode::CREATED, "{second}");
    let link = |b: &Value| b["join_url"].as_str().unwrap_or_default().to_owned();
    let (a, b) = (link(&first), link(&second));
    for (booking, url) in [(&first, &a), (&second, &b)] {
        assert!(
            url.contains(&format!("/join/{}/", booking["id"].as_str().unwrap_or("?"))),
            "a link of its own: {url}"
        );
    }
    assert_ne!(a, b, "two bookings of one consultant never share a link");
    // The door: closed before the session (with when it opens), refused
    // with another booking's key, gone once cancelled.
    let room_api = |url: &str| {
        url.split_once("/join/")
            .map(|(_, rest)| format!("/api/v1/rooms/{rest}"))
    };
    let door_a = room_api(&a).expect("room path");
    let (status, early) = app.get(&door_a, None).await;
    assert_eq!(
        (status, early["error"]["code"].clone()),
        (StatusCode::CONFLICT, json!("room_not_open")),
        "{early}"
    );
    let opens: DateTime<Utc> = early["error"]["details"]["opens_at"]
        .as_str()
        .and_then(|t| t.parse().ok())
        .expect("opens_at");
    assert_eq!(opens, later(9) - Span::minutes(10));
    let key_a = a.rsplit('/').next().unwrap_or_default();
    let forged = format!(
        "/api/v1/rooms/{}/{key_a}",
        second["id"].as_str().unwrap_or("?")
    );
    assert_eq!(app.get(&forged, None).await.0, StatusCode::NOT_FOUND);
    assert_eq!(
        app.get(&format!("{door_a}0"), None).await.0,
        StatusCode::NOT_FOUND
    );
    let cancel = format!(
        "/api/v1/bookings/{}/cancel",
        first["id"].as_str().unwrap_or("?")
    );
    assert_eq!(
        app.post(&cancel, Some(&employee), json!({})).await.0,
        StatusCode::OK
    );
    assert_eq!(app.get(&door_a, None).await.0, StatusCode::GONE);
    // Sessions under way: each room opens, and each is its own.
    let rooms: Vec<String> = {
        let mut out = Vec::new();
        for minutes_ago in [5, 125] {
            let id = taiwa_tests::seed_booking(
                &app.db,
                &f,
                f.employee_a.id,
                -Span::minutes(minutes_ago),
                None,
            )
            .await;
            let (status, view) = app
                .get(&format!("/api/v1/bookings/{id}"), Some(&employee))
                .await;
            assert_eq!(status, StatusCode::OK);
            let door = room_api(view["join_url"].as_str().unwrap_or_default()).expect("link");
            let (status, room) = app.get(&door, None).await;
            if minutes_ago == 5 {
                assert_eq!(status, StatusCode::OK, "{room}");
                out.push(room["room_url"].as_str().unwrap_or_default().to_owned());
            } else {
                // Ended 65 minutes ago: closed, 30 minutes after its end.
                assert_eq!(status, StatusCode::GONE, "{room}");
            }
        }
        out
    };
    assert!(
        rooms[0].starts_with("https://meet.jit.si/taiwa-"),
        "{rooms:?}"
    );
    // The confirmation email and its invite carry the booking's own link.
    let mail_deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let mails = app.written_mail_parts();
        let confirmation = mails.iter().find(|parts| {
            parts
                .iter()
                .any(|p| p.is_to(&f.employee_a.email) && p.body.contains(&b))
        });
        if let Some(parts) = confirmation {
            let invite = parts
                .iter()
                .find(|p| p.body.contains("BEGIN:VCALENDAR"))
                .expect("an invite");
            let unfolded = invite.body.replace("\r\n ", "").replace("\n ", "");
            assert!(unfolded.contains(&format!("LOCATION:{b}")), "{unfolded}");
            assert!(
                !parts.iter().any(|p| p.body.contains(&a)),
                "no other booking's link"
            );
            break;
        }
        assert!(
            tokio::time::Instant::now() < mail_deadline,
            "no email with the second booking's link"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    app.stop().await;
}

async fn feedback_after_a_held_session_reaches_matching(backend: Backend) {
    let (app, held) = spawn_with_held_sessions(backend, 1).await;
    let held = held[0];
    let f = app.fixtures.clone();
    let (_, employee, hr) = setup(&app, 0).await;
    let path = format!("/api/v1/bookings/{held}/feedback");
    let body = json!({"rating": 5, "share_with_org": true, "cohort_consent": false});
    // Whether feedback was given: the employee sees it on their booking and
    // in their list; the consultant's view does not carry the field (they
    // see the status a rating closes to "completed", as before).
    let consultant = app.token(&f.consultant).await;
    assert_eq!(
        app.get(&format!("/api/v1/bookings/{held}"), Some(&consultant))
            .await
            .0,
        StatusCode::OK,
        "the consultant's own session"
    );
    let given = |who: String| {
        let app = &app;
        async move {
            let (_, one) = app
                .get(&format!("/api/v1/bookings/{held}"), Some(&who))
                .await;
            let (_, list) = app.get("/api/v1/bookings", Some(&who)).await;
            let listed = list["items"]
                .as_array()
                .and_then(|items| items.iter().find(|b| b["id"] == held.to_string()))
                .map(|b| b["feedback_given"].clone());
            (one["feedback_given"].clone(), listed)
        }
    };
    assert_eq!(
        given(employee.clone()).await,
        (json!(false), Some(json!(false)))
    );
    assert_eq!(
        given(consultant.clone()).await,
        (Value::Null, Some(Value::Null))
    );
    for (token, expected) in [
        (&hr, StatusCode::FORBIDDEN),
        (&app.token(&f.employee_b).await, StatusCode::NOT_FOUND),
        (&app.token(&f.consultant).await, StatusCode::FORBIDDEN),
    ] {
        assert_eq!(app.post(&path, Some(token), body.clone()).await.0, expected);
    }
    assert_eq!(
        app.post(
            &path,
            Some(&employee),
            json!({"rating": 6, "share_with_org": true, "cohort_consent": false})
        )
        .await
        .0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let (status, receipt) = app.post(&path, Some(&employee), body.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{receipt}");
    assert_eq!(receipt["receipt"]["shared_with_org"], true);
    let never = receipt["receipt"]["never_shared"].to_string();
    assert!(
        never.contains("name") && never.contains("date"),
        "{receipt}"
    );
    assert!(
        !receipt["receipt"]["shared"]
            .to_string()
            .contains("coarse group"),
        "no cohort without consent: {receipt}"
    );
    assert_eq!(
        app.post(&path, Some(&employee), body).await.0,
        StatusCode::CONFLICT,
        "rated once"
    );
    let (_, b) = app
        .get(&format!("/api/v1/bookings/{held}"), Some(&employee))
        .await;
    assert_eq!(b["status"], "completed");
    assert_eq!(
        given(employee.clone()).await,
        (json!(true), Some(json!(true)))
    );
    assert_eq!(
        given(consultant.clone()).await,
        (Value::Null, Some(Value::Null))
    );

    // A future session cannot be rated yet.
    let (_, future) = status_of(book(&app, &employee, later(9), 60)).await;
    let (status, _) = app
        .post(
            &format!(
                "/api/v1/bookings/{}/feedback",
                future["id"].as_str().unwrap_or_default()
            ),
            Some(&employee),
            json!({"rating": 4, "share_with_org": false, "cohort_consent": false}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);

    // The rating reaches matching through booking's outbox.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM matching_ratings")
            .fetch_one(app.db.pool())
            .await
            .expect("count");
        if n == 1 {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "matching never received the rating"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    app.stop().await;
}

/// Raw `.eml` files written so far.
fn raw_mail(app: &TestApp) -> Vec<String> {
    std::fs::read_dir(app.data_dir.join("mail"))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .collect()
}

async fn wait_for_mail(app: &TestApp, count: impl Fn(&[String]) -> bool) -> Vec<String> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let mail = raw_mail(app);
        if count(&mail) {
            return mail;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "expected mail did not arrive: {} files",
            mail.len()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The written mail to `to` that carries an invite of `method`: its decoded
/// subject, its text, and the invite unfolded (the folds fall inside the
/// random link; the validators check the folding on every mail).
fn mail_with_invite(app: &TestApp, to: &str, method: &str) -> (String, String, String) {
    let parts = app
        .written_mail_parts()
        .into_iter()
        .find(|parts| {
            parts
                .iter()
                .any(|p| p.headers.contains(&format!("method={method}")))
                && parts.first().is_some_and(|p| p.is_to(to))
        })
        .unwrap_or_else(|| panic!("no mail to {to} with a {method} invite"));
    let text = parts
        .iter()
        .find(|p| {
            p.headers
                .to_ascii_lowercase()
                .contains("content-type: text/plain")
        })
        .map(|p| p.body.clone())
        .unwrap_or_default();
    let invite = parts
        .iter()
        .find(|p| p.headers.contains(&format!("method={method}")))
        .map(|p| p.body.replace("\r\n ", "").replace("\n ", ""))
        .unwrap_or_default();
    (parts[0].subject(), text, invite)
}

async fn both_participants_get_calendar_invites(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixtures.clone();
    let (_, employee, _) = setup(&app, 0).await;
    let (_, b) = status_of(book(&app, &employee, later(9), 60)).await;
    let invites = |m: &[String], method: &str| {
        m.iter()
            .filter(|x| x.contains("text/calendar") && x.contains(&format!("method={method}")))
            .count()
    };
    let mail = wait_for_mail(&app, |m| invites(m, "REQUEST") == 2).await;
    for who in [&f.employee_a.email, &f.consultant.email] {
        assert!(
            mail.iter()
                .any(|m| m.contains(&format!("To: {who}")) && m.contains("method=REQUEST")),
            "no invite to {who}"
        );
    }
    assert!(
        !mail.iter().any(|m| m.contains("ハナ")
            || m.contains(&f.employee_a.email)
                && m.contains(&format!("To: {}", f.consultant.email))),
        "the consultant's invite names nobody"
    );
    // The employee's confirmation as sent: the text, then the invite.
    let (subject, text, invite) = mail_with_invite(&app, &f.employee_a.email, "REQUEST");
    insta::assert_snapshot!(
        "confirmation_mail",
        taiwa_tests::normalised(&format!("Subject: {subject}\n\n{text}"))
    );
    insta::assert_snapshot!("confirmation_invite_ics", taiwa_tests::normalised(&invite));
    app.post(
        &format!(
            "/api/v1/bookings/{}/cancel",
            b["id"].as_str().unwrap_or_default()
        ),
        Some(&employee),
        json!({}),
    )
    .await;
    wait_for_mail(&app, |m| invites(m, "CANCEL") == 2).await;
    // The consultant's cancellation as sent: it names nobody, and its
    // invite withdraws the same event (one UID, a higher SEQUENCE).
    let (_, text, invite) = mail_with_invite(&app, &f.consultant.email, "CANCEL");
    let uid_of = |method: &str| {
        let (_, _, invite) = mail_with_invite(&app, &f.consultant.email, method);
        invite
            .lines()
            .find(|l| l.starts_with("UID:"))
            .map(str::to_owned)
    };
    assert_eq!(
        uid_of("CANCEL").expect("the cancellation's UID"),
        uid_of("REQUEST").expect("the invite's UID"),
        "the cancellation withdraws the event the invite made"
    );
    insta::assert_snapshot!(
        "cancellation_mail_to_consultant",
        taiwa_tests::normalised(&format!("{text}\n---\n{invite}"))
    );
    app.stop().await;
}

/// Taiwa with `n` sessions employee A already held with the consultant.
async fn spawn_with_held_sessions(
    backend: Backend,
    n: usize,
) -> (TestApp, Vec<taiwa_booking::domain::booking::BookingId>) {
    let ids = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seeded = ids.clone();
    let app = TestApp::spawn_seeded(backend, |db, f| async move {
        for _ in 0..n {
            let id = held_session(db.clone(), f.clone(), f.employee_a.id).await;
            seeded.lock().expect("lock").push(id);
        }
    })
    .await;
    let held = ids.lock().expect("lock").clone();
    (app, held)
}

async fn held_session(
    db: shared::db::Db,
    f: taiwa_tests::Fixtures,
    employee: shared::ids::UserId,
) -> taiwa_booking::domain::booking::BookingId {
    taiwa_tests::seed_booking(&db, &f, employee, -Span::hours(3), None).await
}

async fn records_are_private_encrypted_and_handed_off_only_with_consent(backend: Backend) {
    let (app, held) = spawn_with_held_sessions(backend, 2).await;
    let (shared, private) = (held[0], held[1]);
    let f = app.fixtures.clone();
    let consultant = app.token(&f.consultant).await;
    let employee = app.token(&f.employee_a).await;
    let hr = app.token(&f.hr_a).await;
    let notes = "本人は異動希望を上司に言えていない。次回までに選択肢を整理。";
    let record = json!({"private_notes": notes, "themes": ["transfer", "manager_relationship"], "org_summary": "異動の相談。連絡は taro@example.com まで、内線 03-1234-5678"});
    for id in [shared, private] {
        let (status, saved) = app
            .post(
                &format!("/api/v1/bookings/{id}/record"),
                Some(&consultant),
                record.clone(),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{saved}");
    }
    let path = format!("/api/v1/bookings/{shared}/record");
    let (status, read) = app.get(&path, Some(&consultant)).await;
    assert_eq!(
        (status, read["private_notes"].clone()),
        (StatusCode::OK, json!(notes))
    );
    for (who, expected) in [
        (&employee, StatusCode::FORBIDDEN),
        (&hr, StatusCode::FORBIDDEN),
    ] {
        assert_eq!(app.get(&path, Some(who)).await.0, expected);
        assert_eq!(app.post(&path, Some(who), record.clone()).await.0, expected);
    }
    let stored: Vec<String> = sqlx::query_scalar("SELECT private_notes FROM booking_records")
        .fetch_all(app.db.pool())
        .await
        .expect("rows");
    assert!(
        stored.iter().all(|s| !s.contains("異動")),
        "notes are encrypted at rest"
    );
    let (status, _) = app
        .post(
            &path,
            Some(&consultant),
            json!({"private_notes": "", "themes": ["Bad Code"], "org_summary": ""}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // Nothing reaches reporting before the employee decides, nor when they decline.
    let handoffs = || async {
        sqlx::query_scalar::<_, String>(
            "SELECT payload FROM booking_outbox WHERE topic = 'booking.session_shared.v1'",
        )
        .fetch_all(app.db.pool())
        .await
        .expect("outbox")
    };
    assert!(handoffs().await.is_empty());
    app.post(
        &format!("/api/v1/bookings/{private}/feedback"),
        Some(&employee),
        json!({"rating": 4, "share_with_org": false, "cohort_consent": false}),
    )
    .await;
    assert!(handoffs().await.is_empty(), "declined: nothing shared");
    let (status, _) = app
        .post(
            &format!("/api/v1/bookings/{shared}/feedback"),
            Some(&employee),
            json!({"rating": 5, "share_with_org": true, "cohort_consent": false}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let sent = handoffs().await;
    assert_eq!(sent.len(), 1, "exactly one hand-off");
    let payload: Value = serde_json::from_str(&sent[0]).expect("json");
    for secret in [
        shared.to_string(),
        f.employee_a.id.to_string(),
        f.consultant.id.to_string(),
        "taro@example.com".to_owned(),
        "1234-5678".to_owned(),
    ] {
        assert!(
            !sent[0].contains(&secret),
            "the hand-off leaks {secret}: {payload}"
        );
    }
    assert_eq!(payload["org_id"], f.org_a.to_string());
    assert!(
        payload["period"].as_str().is_some_and(|p| p.len() == 7),
        "{payload}"
    );
    assert_eq!(
        payload["themes"],
        json!(["manager_relationship", "transfer"])
    );
    assert!(
        payload["summary"]
            .as_str()
            .is_some_and(|s| s.contains("[email]") && s.contains("[phone]")),
        "{payload}"
    );
    // Rewriting the record does not send it twice.
    app.post(&path, Some(&consultant), record.clone()).await;
    assert_eq!(handoffs().await.len(), 1);

    // Crypto-shredding: without the employee's key the notes are gone.
    sqlx::query("DELETE FROM booking_data_keys")
        .execute(app.db.pool())
        .await
        .expect("shred");
    let (status, body) = app.get(&path, Some(&consultant)).await;
    assert_eq!(
        (status, body["error"]["code"].clone()),
        (StatusCode::GONE, json!("notes_erased"))
    );
    app.stop().await;
}

async fn reminders_are_sent_once_and_follow_changes(backend: Backend) {
    use std::sync::Arc;
    use taiwa_booking::reminders::send_due;
    use taiwa_booking::{BookingSettings, BookingState};
    let app = TestApp::spawn(backend).await;
    let (_, employee, _) = setup(&app, 0).await;
    // A worker of our own, with a clock we control, mailing into its own folder.
    let worker = || {
        let state = BookingState {
            db: app.db.clone(),
            tokens: Arc::new(shared::auth::TokenKeys::new(
                &taiwa_tests::TEST_JWT_SECRET.to_owned().into(),
                Duration::from_secs(60),
            )),
            wakeup: shared::events::Wakeup::default(),
            settings: BookingSettings::default(),
            master: Arc::new(taiwa_booking::crypto::MasterKey::from_secret(
                &"m".repeat(40).into(),
            )),
            payments: None,
            public_url: "http://127.0.0.1".to_owned(),
            rooms: taiwa_booking::rooms::Rooms::new(
                Arc::new(taiwa_booking::rooms::JitsiMeet::new(
                    "https://meet.example.org",
                )),
                [3; 32],
                "http://127.0.0.1",
            ),
        };
        let mailer = shared::mail::Mailer::new(
            None,
            &app.data_dir.join("reminders"),
            "Taiwa <no-reply@taiwa.test>",
        )
        .expect("mailer");
        (state, mailer)
    };
    let jobs = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM booking_reminders WHERE sent_at IS NULL")
            .fetch_one(app.db.pool())
            .await
            .expect("count")
    };
    let (_, kept) = status_of(book(&app, &employee, later(9), 60)).await;
    assert_eq!(jobs().await, 2, "24 h and 1 h before");

    let (state, mailer) = worker();
    assert_eq!(
        send_due(&state, &mailer, later(9) - Span::hours(25))
            .await
            .expect("send"),
        0,
        "nothing due yet"
    );
    assert_eq!(
        send_due(&state, &mailer, later(9) - Span::hours(23))
            .await
            .expect("send"),
        1,
        "the 24-hour reminder"
    );
    assert_eq!(
        send_due(&state, &mailer, later(9) - Span::hours(23))
            .await
            .expect("send"),
        0,
        "sent once"
    );
    let (state2, mailer2) = worker(); // a restarted worker
    assert_eq!(
        send_due(&state2, &mailer2, later(9) - Span::hours(22))
            .await
            .expect("send"),
        0,
        "a restart sends nothing twice"
    );
    assert_eq!(
        send_due(&state2, &mailer2, later(9) - Span::minutes(30))
            .await
            .expect("send"),
        1,
        "the 1-hour reminder"
    );
    let mails = std::fs::read_dir(app.data_dir.join("reminders"))
        .expect("dir")
        .count();
    assert_eq!(mails, 4, "two reminders to two people");

    // Cancelled: its reminders are gone. Moved: they follow the new time.
    let (_, cancelled) = status_of(book(&app, &employee, later(14), 60)).await;
    app.post(
        &format!(
            "/api/v1/bookings/{}/cancel",
            cancelled["id"].as_str().unwrap_or_default()
        ),
        Some(&employee),
        json!({}),
    )
    .await;
    assert_eq!(jobs().await, 0);
    let (_, moving) = status_of(book(&app, &employee, later(11), 60)).await;
    let old_id = moving["id"].as_str().unwrap_or_default().to_owned();
    let (status, moved) = app
        .post(
            &format!("/api/v1/bookings/{old_id}/reschedule"),
            Some(&employee),
            json!({"starts_at": later(16)}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    assert!(
        reminder_due_times(&app, &old_id).await.is_empty(),
        "the old time's reminders are gone"
    );
    let new_due = reminder_due_times(&app, moved["id"].as_str().unwrap_or_default()).await;
    let expected: Vec<i64> = [later(16) - Span::hours(24), later(16) - Span::hours(1)]
        .iter()
        .map(|t| t.timestamp_millis())
        .collect();
    assert_eq!(new_due, expected, "they follow the new time");
    assert_eq!(
        send_due(&state, &mailer, later(16) - Span::minutes(30))
            .await
            .expect("send"),
        2,
        "both sent for the new time"
    );
    assert!(kept["id"].is_string());
    app.stop().await;
}

async fn reminder_due_times(app: &TestApp, booking: &str) -> Vec<i64> {
    sqlx::query_scalar::<_, i64>(
        "SELECT due_at FROM booking_reminders WHERE booking_id = $1 ORDER BY due_at",
    )
    .bind(booking)
    .fetch_all(app.db.pool())
    .await
    .expect("due times")
}

async fn action_items_belong_to_the_employee_and_follow_ups_hold_slots(backend: Backend) {
    let (app, held) = spawn_with_held_sessions(backend, 1).await;
    let held = held[0];
    let f = app.fixtures.clone();
    let (consultant, employee, hr) = setup(&app, 0).await;
    let record = json!({"private_notes": "-", "themes": ["career_direction"], "org_summary": "", "action_items": ["転職サイトに登録する", "上司と \"面談\" する"]});
    let (status, saved) = app
        .post(
            &format!("/api/v1/bookings/{held}/record"),
            Some(&consultant),
            record,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");

    let (status, mine) = app.get("/api/v1/action-items", Some(&employee)).await;
    assert_eq!(status, StatusCode::OK);
    let items = mine["items"].as_array().expect("items").clone();
    assert_eq!(items.len(), 2);
    let first = items[0]["id"].as_str().expect("id").to_owned();
    assert_eq!(
        app.post(
            &format!("/api/v1/action-items/{first}/done"),
            Some(&app.token(&f.employee_b).await),
            json!({"done": true})
        )
        .await
        .0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.post(
            &format!("/api/v1/action-items/{first}/done"),
            Some(&employee),
            json!({"done": true})
        )
        .await
        .0,
        StatusCode::NO_CONTENT
    );
    let (_, mine) = app.get("/api/v1/action-items", Some(&employee)).await;
    assert_eq!(
        mine["items"]
            .as_array()
            .map(|v| v.iter().filter(|i| i["done"] == true).count()),
        Some(1)
    );
    let csv = app
        .http
        .get(format!("{}/api/v1/action-items?format=csv", app.base))
        .bearer_auth(&employee)
        .send()
        .await
        .expect("csv");
    assert!(
        csv.headers()["content-type"]
            .to_str()
            .unwrap_or("")
            .starts_with("text/csv")
    );
    let text = csv.text().await.expect("text");
    assert!(
        text.starts_with("\u{feff}text,done")
            && text.contains("転職サイトに登録する")
            && text.contains("\"\"面談\"\""),
        "{text}"
    );
    assert_eq!(
        app.get("/api/v1/action-items", Some(&hr)).await.0,
        StatusCode::FORBIDDEN
    );

    // At the next session the consultant sees them.
    let (_, next) = status_of(book(&app, &employee, later(9), 60)).await;
    let next_id = next["id"].as_str().expect("id").to_owned();
    let (status, seen) = app
        .get(
            &format!("/api/v1/bookings/{next_id}/action-items"),
            Some(&consultant),
        )
        .await;
    assert_eq!(
        (status, seen["items"].as_array().map(Vec::len)),
        (StatusCode::OK, Some(2))
    );
    assert_eq!(
        app.get(
            &format!("/api/v1/bookings/{next_id}/action-items"),
            Some(&hr)
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );

    // Follow-ups every week, three ahead, each held like any booking.
    let (status, follow) = app
        .post(
            &format!("/api/v1/bookings/{next_id}/follow-ups"),
            Some(&employee),
            json!({"every_weeks": 1, "count": 3}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{follow}");
    let statuses: Vec<&str> = follow["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter_map(|r| r["status"].as_str())
        .collect();
    assert_eq!(statuses, ["confirmed", "confirmed", "confirmed"]);
    let (_, again) = app
        .post(
            &format!("/api/v1/bookings/{next_id}/follow-ups"),
            Some(&employee),
            json!({"every_weeks": 1, "count": 1}),
        )
        .await;
    assert_eq!(again["results"][0]["status"], "slot_taken");
    assert_eq!(
        app.post(
            &format!("/api/v1/bookings/{next_id}/follow-ups"),
            Some(&employee),
            json!({"every_weeks": 1, "count": 4})
        )
        .await
        .0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let (_, list) = app.get("/api/v1/bookings", Some(&employee)).await;
    assert_eq!(
        list["items"]
            .as_array()
            .map(|v| v.iter().filter(|b| b["status"] == "confirmed").count()),
        Some(4)
    );
    app.stop().await;
}

async fn shared_summaries_lose_names_and_carry_the_cohort_only_with_consent(backend: Backend) {
    let (app, held) = spawn_with_held_sessions(backend, 2).await;
    let (with_cohort, without_cohort) = (held[0], held[1]);
    let f = app.fixtures.clone();
    // As identity's contact event would record them: names and a cohort.
    for (user, name, cohort) in [
        (
            f.employee_a.id,
            "佐藤 花子",
            Some(r#"{"department":"営業部","age_band":"30s"}"#),
        ),
        (f.hr_a.id, "Ken Tanaka", None),
        (f.consultant.id, "鈴木 一郎", None),
    ] {
        sqlx::query(
            "UPDATE booking_contacts SET display_name = $2, cohort = $3 WHERE user_id = $1",
        )
        .bind(user.to_string())
        .bind(name)
        .bind(cohort)
        .execute(app.db.pool())
        .await
        .expect("contact");
    }
    let consultant = app.token(&f.consultant).await;
    let employee = app.token(&f.employee_a).await;
    let deny = "/api/v1/consultants/me/name-deny-list";
    assert_eq!(
        app.call(
            "PUT",
            deny,
            Some(&employee),
            Some(json!({"terms": ["山田"]}))
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.call(
            "PUT",
            deny,
            Some(&consultant),
            Some(json!({"terms": ["x"]}))
        )
        .await
        .0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let (status, list) = app
        .call(
            "PUT",
            deny,
            Some(&consultant),
            Some(json!({"terms": [" 山田 ", "Project Falcon", "山田"]})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list["terms"], json!(["Project Falcon", "山田"]));
    assert_eq!(app.get(deny, Some(&consultant)).await.1, list);

    let summary = "佐藤花子さんは山田部長との関係に悩む。Ken Tanaka (HR) の件、project falcon の負荷。鈴木より。\
                   canary.7f3a@example.com / https://canary-7f3a.example.com/p / 090-3141-5926";
    // The crisis-path flag goes with a sensitive theme only.
    let (status, body) = app
        .post(
            &format!("/api/v1/bookings/{without_cohort}/record"),
            Some(&consultant),
            json!({"private_notes": "", "themes": ["workload"], "org_summary": "", "crisis_path": true}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["code"], "crisis_path_needs_sensitive_theme");
    for (id, themes, crisis_path) in [
        (with_cohort, json!(["manager_relationship"]), false),
        (
            without_cohort,
            json!(["manager_relationship", "harassment"]),
            true,
        ),
    ] {
        let (status, saved) = app
            .post(
                &format!("/api/v1/bookings/{id}/record"),
                Some(&consultant),
                json!({"private_notes": "CANARY-NOTES-7f3a", "themes": themes, "org_summary": summary, "crisis_path": crisis_path}),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(saved["crisis_path"], crisis_path);
    }
    for (id, consent) in [(with_cohort, true), (without_cohort, false)] {
        let (status, _) = app
            .post(
                &format!("/api/v1/bookings/{id}/feedback"),
                Some(&employee),
                json!({"rating": 5, "share_with_org": true, "cohort_consent": consent}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let sent: Vec<Value> = sqlx::query_scalar::<_, String>(
        "SELECT payload FROM booking_outbox WHERE topic = 'booking.session_shared.v1' ORDER BY id",
    )
    .fetch_all(app.db.pool())
    .await
    .expect("outbox")
    .iter()
    .map(|p| serde_json::from_str(p).expect("json"))
    .collect();
    assert_eq!(sent.len(), 2);
    for payload in &sent {
        let text = payload["summary"].as_str().expect("summary");
        for name in ["佐藤", "花子", "山田", "Tanaka", "Ken", "falcon", "鈴木"] {
            assert!(!text.contains(name), "{name} leaks: {text}");
        }
        assert!(text.contains("[name]さんは[name]部長"), "{text}");
        assert!(
            text.contains("の負荷"),
            "the rest of the summary stays: {text}"
        );
    }
    let cohorts: Vec<&Value> = sent.iter().map(|p| &p["cohort"]).collect();
    assert!(
        cohorts.contains(&&json!({"department": "営業部", "age_band": "30s"})),
        "{cohorts:?}"
    );
    assert!(
        cohorts.contains(&&Value::Null),
        "no cohort without consent: {cohorts:?}"
    );
    let flags: Vec<(&Value, &Value)> = sent
        .iter()
        .map(|p| (&p["cohort"], &p["crisis_path"]))
        .collect();
    assert!(
        flags.contains(&(&Value::Null, &json!(true)))
            && flags.iter().filter(|f| f.1 == &json!(true)).count() == 1,
        "the flag travels with its record only: {flags:?}"
    );

    // Canaries: nothing of the private notes or the summary's contact details
    // reaches reporting's tables, nor any HR response.
    let canaries = ["7f3a", "3141-5926", "Tanaka", "佐藤"];
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let stored = loop {
        let rows: Vec<(String, String, Option<String>)> =
            sqlx::query_as("SELECT pseudonym, summary, cohort FROM reporting_records")
                .fetch_all(app.db.pool())
                .await
                .expect("reporting records");
        if rows.len() == 2 {
            break rows;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the hand-off never reached reporting"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let hr = app.token(&f.hr_a).await;
    let mut seen = format!("{stored:?}");
    for path in [
        "reports/themes?from=2025-Q1&to=2026-Q4",
        "reports/themes.csv?from=2025-Q1&to=2026-Q4",
        "reports/usage?from=2025-Q1&to=2026-Q4",
    ] {
        let response = app
            .http
            .get(format!("{}/api/v1/orgs/{}/{path}", app.base, f.org_a))
            .bearer_auth(&hr)
            .send()
            .await
            .expect("report");
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        seen.push_str(&response.text().await.expect("text"));
    }
    for canary in canaries {
        assert!(!seen.contains(canary), "{canary} leaked: {seen}");
    }
}

async fn the_consultant_marks_a_missed_session_as_no_show(backend: Backend) {
    let (app, held) = spawn_with_held_sessions(backend, 1).await;
    let missed = held[0];
    let f = app.fixtures.clone();
    let (consultant, employee, hr) = setup(&app, 0).await;
    let path = format!("/api/v1/bookings/{missed}/no-show");
    for (who, token, expected) in [
        ("its employee", &employee, StatusCode::FORBIDDEN),
        ("HR", &hr, StatusCode::FORBIDDEN),
        (
            "another employee",
            &app.token(&f.employee_b).await,
            StatusCode::NOT_FOUND,
        ),
    ] {
        assert_eq!(
            app.post(&path, Some(token), json!({})).await.0,
            expected,
            "{who}"
        );
    }
    let (status, marked) = app.post(&path, Some(&consultant), json!({})).await;
    assert_eq!(
        (status, marked["status"].clone()),
        (StatusCode::OK, json!("no_show")),
        "{marked}"
    );
    let (status, again) = app.post(&path, Some(&consultant), json!({})).await;
    assert_eq!(
        (status, again["status"].clone()),
        (StatusCode::OK, json!("no_show"))
    );
    let usage: Vec<String> = sqlx::query_scalar(
        "SELECT payload FROM booking_outbox WHERE topic = 'booking.session_closed.v1'",
    )
    .fetch_all(app.db.pool())
    .await
    .expect("outbox");
    assert_eq!(
        usage.len(),
        1,
        "one usage record, however often it is marked"
    );
    assert!(usage[0].contains("\"no_show\"") && !usage[0].contains(&f.employee_a.id.to_string()));
    // A missed session takes no feedback and no record.
    let (status, _) = app
        .post(
            &format!("/api/v1/bookings/{missed}/feedback"),
            Some(&employee),
            json!({"rating": 1, "share_with_org": false, "cohort_consent": false}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, _) = app
        .post(
            &format!("/api/v1/bookings/{missed}/record"),
            Some(&consultant),
            json!({"private_notes": "-", "themes": [], "org_summary": ""}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    // A session that has not started cannot be missed yet.
    let (_, upcoming) = status_of(book(&app, &employee, later(11), 60)).await;
    let (status, body) = app
        .post(
            &format!(
                "/api/v1/bookings/{}/no-show",
                upcoming["id"].as_str().expect("id")
            ),
            Some(&consultant),
            json!({}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].clone()),
        (StatusCode::CONFLICT, json!("not_started"))
    );
}

async fn concurrent_bookings_never_take_more_credits_than_exist(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixtures.clone();
    setup(&app, 0).await;
    // Org B has exactly 3 credits; its employee asks for 10 different slots at once.
    let operator = app.token(&f.operator).await;
    let (status, _) = app
        .post(
            &format!("/api/v1/orgs/{}/credits/grants", f.org_b),
            Some(&operator),
            json!({"amount": 3}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let employee = app.token(&f.employee_b).await;
    let mut set = tokio::task::JoinSet::new();
    for hour in 8..18 {
        let request = book(&app, &employee, later(hour), 60);
        set.spawn(async move { status_of(request).await });
    }
    let outcomes: Vec<(StatusCode, Value)> = set.join_all().await;
    let created = outcomes
        .iter()
        .filter(|(s, _)| *s == StatusCode::CREATED)
        .count();
    let refused = outcomes
        .iter()
        .filter(|(s, b)| *s == StatusCode::PAYMENT_REQUIRED && b["error"]["code"] == "no_credits")
        .count();
    assert_eq!((created, refused), (3, 7), "{outcomes:?}");
    assert_eq!(
        app.true_credit_balance(f.org_b).await,
        0,
        "never below zero"
    );
    let ledger: i64 = sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(delta), 0) AS BIGINT) FROM booking_credit_ledger WHERE org_id = $1",
    )
    .bind(f.org_b.to_string())
    .fetch_one(app.db.pool())
    .await
    .expect("ledger");
    assert_eq!(
        ledger, 0,
        "the ledger agrees with the balance: +3 granted, -3 booked"
    );
}

async fn reads_of_private_notes_are_audited_or_refused(backend: Backend) {
    let (app, held) = spawn_with_held_sessions(backend, 1).await;
    let f = app.fixtures.clone();
    let consultant = app.token(&f.consultant).await;
    let path = format!("/api/v1/bookings/{}/record", held[0]);
    let notes = "AUDITED-NOTES-51c2";
    let (status, _) = app
        .post(
            &path,
            Some(&consultant),
            json!({"private_notes": notes, "themes": ["skills"], "org_summary": ""}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, read) = app.get(&path, Some(&consultant)).await;
    assert_eq!(
        (status, read["private_notes"].clone()),
        (StatusCode::OK, json!(notes))
    );
    let operator = app.token(&f.operator).await;
    let (status, audit) = app.get("/api/v1/booking/audit", Some(&operator)).await;
    assert_eq!(status, StatusCode::OK, "{audit}");
    let entry = &audit["items"][0];
    assert_eq!(entry["action"], "record.read");
    assert_eq!(entry["actor_id"], f.consultant.id.to_string());
    assert_eq!(entry["actor_role"], "consultant");
    assert_eq!(entry["object_id"], held[0].to_string());
    assert!(
        !audit.to_string().contains(notes),
        "the audit never holds the notes"
    );
    for who in [&f.hr_a, &f.consultant, &f.employee_a] {
        assert_eq!(
            app.get("/api/v1/booking/audit", Some(&app.token(who).await))
                .await
                .0,
            StatusCode::FORBIDDEN
        );
    }
    // Without an audit trail, the read does not happen.
    sqlx::query("DROP TABLE booking_audit")
        .execute(app.db.pool())
        .await
        .expect("drop");
    let (status, body) = app.get(&path, Some(&consultant)).await;
    assert!(status.is_server_error(), "{status} {body}");
    assert!(!body.to_string().contains(notes), "{body}");
    assert!(body["error"]["code"].is_string(), "the error shape: {body}");
}

/// More sessions behind than a list holds: the list still ends with the
/// ones to come (it once held the 500 oldest), and starts with the latest
/// of the past, by start throughout, for both participants.
async fn a_long_history_keeps_the_coming_sessions_listed(backend: Backend) {
    let held = taiwa_booking::store::LISTED as usize + 3;
    let app = TestApp::spawn_seeded(backend, move |db, f| async move {
        for i in 0..held {
            let ago = -Span::hours(2 * (i as i64 + 1));
            taiwa_tests::seed_booking(&db, &f, f.employee_a.id, ago, None).await;
        }
        for days in [3, 4] {
            taiwa_tests::seed_booking(&db, &f, f.employee_a.id, Span::days(days), None).await;
        }
    })
    .await;
    let f = app.fixtures.clone();
    // Each participant, and how long before the start they stop changing it:
    // the employee at the 24-hour cutoff, the consultant at the start.
    for (who, before) in [
        (&f.employee_a, Span::hours(24)),
        (&f.consultant, Span::zero()),
    ] {
        let (status, list) = app
            .get("/api/v1/bookings", Some(&app.token(who).await))
            .await;
        assert_eq!(status, StatusCode::OK, "{list}");
        let starts: Vec<chrono::DateTime<chrono::Utc>> = list["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|b| {
                b["starts_at"]
                    .as_str()
                    .expect("start")
                    .parse()
                    .expect("RFC 3339")
            })
            .collect();
        assert_eq!(starts.len(), taiwa_booking::store::LISTED as usize + 2);
        assert!(starts.windows(2).all(|w| w[0] < w[1]), "by start");
        let now = chrono::Utc::now();
        assert!(
            starts[starts.len() - 2..].iter().all(|t| *t > now),
            "the two to come are listed"
        );
        assert!(
            starts[starts.len() - 3] < now && starts[starts.len() - 3] > now - Span::hours(3),
            "the latest held one too"
        );
        let last = &list["items"][starts.len() - 1];
        let until: chrono::DateTime<chrono::Utc> = last["changeable_until"]
            .as_str()
            .expect("changeable_until")
            .parse()
            .expect("RFC 3339");
        assert_eq!(until, starts[starts.len() - 1] - before, "{last}");
    }
    app.stop().await;
}

/// When the announced next free time goes by with nobody booking and the
/// hours unchanged, the worker announces the next one (matching would
/// otherwise show and rank by a time already gone), once.
async fn a_next_free_time_that_has_passed_is_announced_again(backend: Backend) {
    use taiwa_booking::booking::announce_passed;
    let app = TestApp::spawn(backend).await;
    setup(&app, 0).await;
    let consultant = app.fixtures.consultant.id.to_string();
    let announced = || async {
        sqlx::query_scalar::<_, Option<i64>>(
            "SELECT announced_next_at FROM booking_availability WHERE consultant_id = $1",
        )
        .bind(&consultant)
        .fetch_one(app.db.pool())
        .await
        .expect("announced")
    };
    let events = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM booking_outbox WHERE topic = $1")
            .bind("booking.availability_changed.v1")
            .fetch_one(app.db.pool())
            .await
            .expect("events")
    };
    let now = Utc::now();
    let now_ms = now.timestamp_millis();
    assert!(
        announced().await.is_some_and(|t| t > now_ms),
        "announced when the hours were set"
    );
    assert_eq!(
        announce_passed(&app.db, now).await.expect("announce"),
        0,
        "nothing has passed"
    );
    // As if that time went by: announced an hour ago.
    sqlx::query("UPDATE booking_availability SET announced_next_at = $1 WHERE consultant_id = $2")
        .bind(now_ms - 3_600_000)
        .bind(&consultant)
        .execute(app.db.pool())
        .await
        .expect("age the announcement");
    let before = events().await;
    // The app's own worker may have got there first (it runs every 30 s).
    assert!(announce_passed(&app.db, now).await.expect("announce") <= 1);
    assert!(
        announced().await.is_some_and(|t| t > now_ms),
        "the next free time again"
    );
    assert!(events().await > before, "matching is told");
    assert_eq!(
        announce_passed(&app.db, Utc::now())
            .await
            .expect("announce"),
        0,
        "once"
    );
    app.stop().await;
}
