//! Faults against the cluster's own PostgreSQL, NATS and processes.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use sqlx::Row;
use taiwa_tests::cluster::Cluster;

use crate::distributed::free_hours;

/// A definitive answer to a booking attempt (anything else is retried).
fn definitive(status: u16) -> bool {
    matches!(status, 201 | 402 | 409 | 422)
}

/// Books with an idempotency key, retrying through outages until the answer
/// is definitive; `(status, booking id, retries)`.
async fn book_until_answered(
    http: reqwest::Client,
    gateway: String,
    token: String,
    body: Value,
    key: String,
) -> (u16, Option<String>, usize) {
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut retries = 0;
    loop {
        let sent = http
            .post(format!("{gateway}/api/v1/bookings"))
            .bearer_auth(&token)
            .header("idempotency-key", &key)
            .json(&body)
            .send()
            .await;
        if let Ok(answer) = sent {
            let status = answer.status().as_u16();
            let body: Value = answer.json().await.unwrap_or(Value::Null);
            if definitive(status) {
                return (status, body["id"].as_str().map(str::to_owned), retries);
            }
        }
        retries += 1;
        assert!(
            Instant::now() < deadline,
            "a booking attempt got no definitive answer in 120 s"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Consultants (from one employee's matches) with free hours 3+ days ahead,
/// so no reminder is due during the test.
async fn slots_to_fight_over(
    cluster: &Cluster,
    token: &str,
    want: usize,
    per_consultant: usize,
) -> Vec<(String, String)> {
    crate::distributed::answer_assessment(cluster, token, 1).await;
    let (_, matches) = cluster
        .call("GET", "/api/v1/matches?limit=10", Some(token), None)
        .await;
    let mut slots = Vec::new();
    for c in matches["candidates"].as_array().into_iter().flatten() {
        let id = c["consultant"]["id"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        for start in free_hours(cluster, token, &id, 3)
            .await
            .into_iter()
            .take(per_consultant)
        {
            slots.push((id.clone(), start));
        }
        if slots.len() >= want {
            break;
        }
    }
    assert!(
        slots.len() >= want.min(8),
        "enough free hours to book: {}",
        slots.len()
    );
    slots.truncate(want);
    slots
}

async fn tokens(cluster: &Cluster, n: usize) -> Vec<String> {
    let mut out = Vec::new();
    for i in 1..=n {
        out.push(cluster.login(&format!("employee{i}@demo.taiwa.test")).await);
    }
    out
}

/// The booking invariants, read from the database: no two live bookings of
/// a consultant overlap; every booking took exactly one credit and no credit
/// was taken for nothing; the balance is the ledger's sum; every reminder
/// belongs to a booking and every future confirmed booking has both.
async fn assert_booking_invariants(cluster: &Cluster, since: i64) -> i64 {
    let mut db = cluster.db().await;
    let overlaps: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM booking_bookings a JOIN booking_bookings b \
         ON a.consultant_id = b.consultant_id AND a.id < b.id \
         AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at \
         WHERE a.status IN ('confirmed', 'completed', 'no_show') AND b.status IN ('confirmed', 'completed', 'no_show')",
    )
    .fetch_one(&mut db)
    .await
    .expect("overlaps")
    .get("n");
    assert_eq!(overlaps, 0, "double bookings");
    let uncharged: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM booking_bookings b WHERE b.status = 'confirmed' AND b.created_at >= $1 AND \
         (SELECT COALESCE(SUM(l.delta), 0) FROM booking_credit_ledger l WHERE l.reference = b.id) <> -1",
    )
    .bind(since)
    .fetch_one(&mut db)
    .await
    .expect("charges")
    .get("n");
    assert_eq!(
        uncharged, 0,
        "a confirmed booking not charged exactly one credit"
    );
    let orphaned_credits: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM booking_credit_ledger l WHERE l.reason = 'booking' \
         AND NOT EXISTS (SELECT 1 FROM booking_bookings b WHERE b.id = l.reference)",
    )
    .fetch_one(&mut db)
    .await
    .expect("orphaned credits")
    .get("n");
    assert_eq!(orphaned_credits, 0, "credits taken for no booking");
    let unbalanced: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM booking_credit_balances c WHERE c.balance <> \
         (SELECT COALESCE(SUM(l.delta), 0) FROM booking_credit_ledger l WHERE l.org_id = c.org_id)",
    )
    .fetch_one(&mut db)
    .await
    .expect("balances")
    .get("n");
    assert_eq!(unbalanced, 0, "a balance that is not its ledger's sum");
    let orphaned_reminders: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM booking_reminders r \
         WHERE NOT EXISTS (SELECT 1 FROM booking_bookings b WHERE b.id = r.booking_id AND b.status = 'confirmed') \
         AND r.sent_at IS NULL",
    )
    .fetch_one(&mut db)
    .await
    .expect("orphaned reminders")
    .get("n");
    assert_eq!(
        orphaned_reminders, 0,
        "reminders pending for no live booking"
    );
    let now = chrono::Utc::now().timestamp_millis();
    let missing_reminders: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM booking_bookings b WHERE b.status = 'confirmed' AND b.starts_at > $1 \
         AND b.created_at >= $2 AND (SELECT COUNT(*) FROM booking_reminders r WHERE r.booking_id = b.id) <> 2",
    )
    .bind(now + 25 * 3_600_000)
    .bind(since)
    .fetch_one(&mut db)
    .await
    .expect("reminders")
    .get("n");
    assert_eq!(
        missing_reminders, 0,
        "a future booking without its two reminders"
    );
    sqlx::query("SELECT COUNT(*) AS n FROM booking_bookings WHERE status = 'confirmed'")
        .fetch_one(&mut db)
        .await
        .expect("count")
        .get("n")
}

/// 100 booking attempts (20 employees, 5 attempts per hour on 20 hours)
/// while the booking process is killed with SIGKILL at random moments and
/// restarted: every attempt ends with a definitive answer, no hour is booked
/// twice, no credit or reminder is orphaned, and every 201 is a booking.
pub async fn killing_booking_mid_booking_loses_and_doubles_nothing() {
    let mut cluster = Cluster::start(&[]).await;
    let employees = tokens(&cluster, 20).await;
    let slots = slots_to_fight_over(&cluster, &employees[0], 20, 4).await;
    let since = chrono::Utc::now().timestamp_millis();
    let before = assert_booking_invariants(&cluster, since).await;

    let mut attempts = tokio::task::JoinSet::new();
    for i in 0..100 {
        let (consultant, start) = slots[i % slots.len()].clone();
        let body = json!({"consultant_id": consultant, "starts_at": start, "duration_minutes": 60});
        let task = book_until_answered(
            cluster.http.clone(),
            cluster.gateway(),
            employees[(i * 7 + i / 20) % employees.len()].clone(),
            body,
            format!("fault-kill-{i}"),
        );
        attempts.spawn(async move {
            // Spread the attempts over a few seconds, so kills land mid-way.
            tokio::time::sleep(Duration::from_millis((i as u64 * 37) % 3000)).await;
            (i, task.await)
        });
    }
    // Four kills at pseudo-random moments while the attempts run.
    let mut kills = 0;
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    while kills < 4 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        tokio::time::sleep(Duration::from_millis(150 + seed % 900)).await;
        cluster.process("booking").kill();
        kills += 1;
        if kills == 1 {
            // With booking down, the gateway answers at once, in the error shape.
            let asked = Instant::now();
            let (status, body) = cluster
                .call("GET", "/api/v1/bookings", Some(&employees[0]), None)
                .await;
            assert_eq!(
                (status, body["error"]["code"].as_str()),
                (503, Some("service_unavailable")),
                "{body}"
            );
            assert!(
                asked.elapsed() < Duration::from_secs(3),
                "the gateway took {:?}",
                asked.elapsed()
            );
        }
        tokio::time::sleep(Duration::from_millis(100 + seed % 300)).await;
        cluster.process("booking").restart();
    }
    let mut winners: HashMap<usize, Vec<String>> = HashMap::new();
    let mut answers: HashMap<u16, usize> = HashMap::new();
    let mut retried = 0;
    while let Some(done) = attempts.join_next().await {
        let (i, (status, id, retries)) = done.expect("attempt");
        retried += usize::from(retries > 0);
        *answers.entry(status).or_default() += 1;
        if status == 201 {
            winners
                .entry(i % slots.len())
                .or_default()
                .push(id.expect("an id with 201"));
        }
    }
    assert!(
        cluster.wait_ready("booking", Duration::from_secs(30)).await,
        "booking came back"
    );
    assert!(kills >= 3, "the booking process was killed {kills} times");
    assert!(
        retried > 0,
        "no attempt met a dead booking process: the kills missed"
    );
    for (slot, ids) in &winners {
        assert_eq!(
            ids.len(),
            1,
            "hour {slot} was given to {} attempts",
            ids.len()
        );
    }
    let after = assert_booking_invariants(&cluster, since).await;
    assert_eq!(
        usize::try_from(after - before).unwrap_or(0),
        winners.len(),
        "every 201 is one confirmed booking, and no other appeared"
    );
    let mut db = cluster.db().await;
    let confirmed: HashSet<String> =
        sqlx::query("SELECT id FROM booking_bookings WHERE status = 'confirmed'")
            .fetch_all(&mut db)
            .await
            .expect("bookings")
            .iter()
            .map(|r| r.get("id"))
            .collect();
    for ids in winners.values() {
        assert!(
            confirmed.contains(&ids[0]),
            "an acknowledged booking was lost"
        );
    }
    println!(
        "kill -9 of booking: {kills} kills during 100 attempts, {retried} attempts retried through them; answers {answers:?}; {} hours booked once each; 0 double bookings, 0 orphaned credits or reminders",
        winners.len()
    );
}

/// Emails a booking service sent (its mail folder), for counting effects.
fn mails_sent(cluster: &Cluster) -> usize {
    std::fs::read_dir(cluster.dir.join("booking").join("mail"))
        .map(|d| {
            d.flatten()
                .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
                .count()
        })
        .unwrap_or(0)
}

/// NATS is stopped for 60 s while employees keep booking: the bookings
/// succeed, `/readyz` says NATS is away, and once NATS is back every event
/// of the outage reaches each of its consumers and takes effect once: one
/// notifier inbox row and two emails per booking, matching's view updated.
pub async fn events_survive_a_nats_outage_and_take_effect_once() {
    let mut cluster = Cluster::start(&[]).await;
    let employees = tokens(&cluster, 10).await;
    // One hour per consultant: every booking should succeed.
    let slots = slots_to_fight_over(&cluster, &employees[0], 10, 1).await;
    // Let the start-up events settle, then count.
    let settle = Instant::now() + Duration::from_secs(30);
    while pending(&cluster).await > 0 && Instant::now() < settle {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let mails_before = mails_sent(&cluster);
    let outage_started = chrono::Utc::now().timestamp_millis();

    cluster.nats.stop();
    let down = Instant::now();
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(
        cluster.readyz("booking").await,
        503,
        "readyz reports NATS away"
    );
    let mut booked = Vec::new();
    for (i, (consultant, start)) in slots.iter().enumerate() {
        let (status, id, _) = book_until_answered(
            cluster.http.clone(),
            cluster.gateway(),
            employees[i].clone(),
            json!({"consultant_id": consultant, "starts_at": start, "duration_minutes": 60}),
            format!("fault-nats-{i}"),
        )
        .await;
        assert_eq!(status, 201, "booking during the NATS outage");
        booked.push(id.expect("id"));
        tokio::time::sleep(Duration::from_secs(4)).await;
    }
    let remaining = Duration::from_secs(60).saturating_sub(down.elapsed());
    tokio::time::sleep(remaining).await;
    assert_eq!(
        mails_sent(&cluster),
        mails_before,
        "nothing was delivered while NATS was away"
    );
    cluster.nats.start_again();
    let back = Instant::now();

    // Every event of the outage delivered, and applied once.
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        if pending(&cluster).await == 0 && mails_sent(&cluster) >= mails_before + 2 * booked.len() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "events of the outage not delivered: {} pending, {} mails (want {})\n{}",
            pending(&cluster).await,
            mails_sent(&cluster) - mails_before,
            2 * booked.len(),
            cluster.log("booking")
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let delivered_after = back.elapsed();
    // Give redeliveries (if any) the chance to show as duplicates.
    tokio::time::sleep(Duration::from_secs(5)).await;
    assert_eq!(
        mails_sent(&cluster),
        mails_before + 2 * booked.len(),
        "two emails per booking, no more"
    );
    let mut db = cluster.db().await;
    let rows = sqlx::query(
        "SELECT o.id, (SELECT COUNT(*) FROM booking_inbox i WHERE i.event_id = o.id AND i.consumer = 'booking.notifier') AS applied \
         FROM booking_outbox o WHERE o.topic = 'booking.notify.v1' AND o.created_at >= $1",
    )
    .bind(outage_started)
    .fetch_all(&mut db)
    .await
    .expect("outbox");
    assert_eq!(rows.len(), booked.len(), "one notify event per booking");
    for row in &rows {
        assert_eq!(
            row.get::<i64, _>("applied"),
            1,
            "each event applied exactly once by the notifier"
        );
    }
    println!(
        "NATS stopped 60 s: {} bookings made meanwhile; after NATS returned every event was delivered in {:.1} s; {} emails (2 per booking), each notify event applied once",
        booked.len(),
        delivered_after.as_secs_f64(),
        mails_sent(&cluster) - mails_before
    );
}

async fn pending(cluster: &Cluster) -> i64 {
    let mut db = cluster.db().await;
    let mut total = 0;
    for table in [
        "identity_outbox",
        "matching_outbox",
        "booking_outbox",
        "reporting_outbox",
    ] {
        let n: i64 = sqlx::query(&format!(
            "SELECT COUNT(*) AS n FROM {table} WHERE published_at IS NULL"
        ))
        .fetch_one(&mut db)
        .await
        .map(|r| r.get("n"))
        .unwrap_or(0);
        total += n;
    }
    total
}

/// PostgreSQL is restarted while readers keep the gateway busy: `/readyz`
/// reports it, no request outlives its timeout, and errors stop within 10 s
/// of PostgreSQL being back.
pub async fn a_postgresql_restart_is_reported_and_recovered_from() {
    let cluster = Arc::new(Cluster::start(&[("TAIWA_REQUEST_TIMEOUT_SECS", "10")]).await);
    let token = cluster.login("employee3@demo.taiwa.test").await;
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let started = Instant::now();
    let mut load = tokio::task::JoinSet::new();
    for worker in 0..8 {
        let (cluster, token, stop) = (Arc::clone(&cluster), token.clone(), Arc::clone(&stop));
        load.spawn(async move {
            let paths = [
                "/api/v1/consultants?q=%E8%BB%A2%E8%81%B7",
                "/api/v1/bookings",
                "/api/v1/themes",
                "/api/v1/me",
            ];
            let mut seen = Vec::new();
            let mut n = worker;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let t = Instant::now();
                let (status, _) = cluster
                    .call("GET", paths[n % paths.len()], Some(&token), None)
                    .await;
                seen.push((t.duration_since(started), t.elapsed(), status));
                n += 1;
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            seen
        });
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    cluster.postgres.stop();
    let stopped_at = started.elapsed();
    let mut reported = HashSet::new();
    let until = Instant::now() + Duration::from_secs(6);
    while Instant::now() < until {
        for service in ["gateway", "matching", "booking", "reporting"] {
            if cluster.readyz(service).await == 503 {
                reported.insert(service);
            }
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    cluster.postgres.start_again();
    let back_at = started.elapsed();
    tokio::time::sleep(Duration::from_secs(15)).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let mut requests = Vec::new();
    while let Some(seen) = load.join_next().await {
        requests.extend(seen.expect("worker"));
    }
    assert_eq!(
        reported.len(),
        4,
        "every service's /readyz reported the database: {reported:?}"
    );
    let longest = requests
        .iter()
        .map(|(_, took, _)| *took)
        .max()
        .unwrap_or_default();
    assert!(
        longest <= Duration::from_secs(12),
        "a request hung for {longest:?} (the request timeout is 10 s)"
    );
    // Felt as errors, or as waits (a request may wait for the database up to
    // the pool's acquire timeout, within the request's own).
    let felt: usize = requests
        .iter()
        .filter(|(at, took, s)| {
            *at < back_at
                && *at + *took > stopped_at
                && (*s != 200 || *took > Duration::from_secs(1))
        })
        .count();
    let server_errors = requests.iter().filter(|(_, _, s)| *s == 500).count();
    assert_eq!(server_errors, 0, "a database outage is a 503, never a 500");
    let statuses: HashMap<u16, usize> = requests.iter().fold(HashMap::new(), |mut m, (_, _, s)| {
        *m.entry(*s).or_default() += 1;
        m
    });
    assert!(
        felt > 0,
        "the outage was felt (else the test measured nothing): {statuses:?}, stopped at {stopped_at:?}, back at {back_at:?}, readyz {reported:?}"
    );
    let last_error = requests
        .iter()
        .filter(|(_, _, s)| *s != 200)
        .map(|(at, took, _)| *at + *took)
        .max()
        .unwrap_or_default();
    let recovered_in = last_error.saturating_sub(back_at);
    assert!(
        recovered_in <= Duration::from_secs(10),
        "errors went on {recovered_in:?} after PostgreSQL returned"
    );
    println!(
        "PostgreSQL restart under load: {} requests ({statuses:?}), {felt} of those during the outage failed or waited, longest {:.2} s, /readyz 503 on all four, errors stopped {:.2} s after it returned",
        requests.len(),
        longest.as_secs_f64(),
        recovered_in.as_secs_f64()
    );
}

fn mails_in(dirs: &[std::path::PathBuf]) -> usize {
    dirs.iter()
        .filter_map(|d| std::fs::read_dir(d).ok())
        .map(|d| {
            d.flatten()
                .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
                .count()
        })
        .sum()
}

/// Two booking and two matching processes on one database and NATS: 20
/// employees racing for one hour over both booking replicas give one winner;
/// a due reminder is sent once although both replicas' workers look for it;
/// a profile change made on one matching replica reaches the other's index.
pub async fn replicas_share_the_work_without_doubling_it() {
    let mut cluster = Cluster::start(&[]).await;
    let booking_b = cluster.add_replica("booking").await;
    let matching_b = cluster.add_replica("matching").await;
    let booking_a = cluster
        .processes
        .iter()
        .find(|p| p.service == "booking")
        .map(|p| p.base())
        .expect("booking");
    let employees = tokens(&cluster, 20).await;
    let (consultant, start) = slots_to_fight_over(&cluster, &employees[0], 1, 1)
        .await
        .remove(0);
    let service_token = cluster.service_token();

    let mut racers = tokio::task::JoinSet::new();
    for (i, token) in employees.iter().enumerate() {
        let base = if i % 2 == 0 {
            booking_a.clone()
        } else {
            booking_b.clone()
        };
        let (http, token, service_token) =
            (cluster.http.clone(), token.clone(), service_token.clone());
        let body = json!({"consultant_id": consultant, "starts_at": start, "duration_minutes": 60});
        racers.spawn(async move {
            let answer = http
                .post(format!("{base}/api/v1/bookings"))
                .bearer_auth(token)
                .header(shared::service_auth::HEADER, service_token)
                .json(&body)
                .send()
                .await
                .expect("a booking replica answers");
            let status = answer.status().as_u16();
            (status, answer.json::<Value>().await.unwrap_or(Value::Null))
        });
    }
    let mut statuses: HashMap<u16, usize> = HashMap::new();
    let mut winner = None;
    while let Some(done) = racers.join_next().await {
        let (status, body) = done.expect("racer");
        *statuses.entry(status).or_default() += 1;
        if status == 201 {
            winner = body["id"].as_str().map(str::to_owned);
        }
    }
    assert_eq!(
        statuses.get(&201),
        Some(&1),
        "one winner over two replicas: {statuses:?}"
    );
    assert_eq!(statuses.get(&409), Some(&19), "{statuses:?}");
    let booking = winner.expect("the winner's booking");

    // Its 24-hour reminder falls due now: one of the two workers sends it,
    // once. First let the booking's confirmations (2 emails) go out.
    let mail_dirs = cluster.mail_dirs("booking");
    let settle = Instant::now() + Duration::from_secs(60);
    while (pending(&cluster).await > 0 || mails_in(&mail_dirs) < 2) && Instant::now() < settle {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(
        mails_in(&mail_dirs),
        2,
        "the winner's two confirmations, once"
    );
    let mails_before = mails_in(&mail_dirs);
    let mut db = cluster.db().await;
    sqlx::query("UPDATE booking_reminders SET due_at = $1 WHERE booking_id = $2 AND kind = '24h'")
        .bind(chrono::Utc::now().timestamp_millis() - 1000)
        .bind(&booking)
        .execute(&mut db)
        .await
        .expect("making the reminder due");
    let deadline = Instant::now() + Duration::from_secs(75);
    loop {
        let sent: Option<i64> = sqlx::query(
            "SELECT sent_at FROM booking_reminders WHERE booking_id = $1 AND kind = '24h'",
        )
        .bind(&booking)
        .fetch_one(&mut db)
        .await
        .expect("reminder")
        .get("sent_at");
        if sent.is_some() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the reminder was not sent within 75 s"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    // Both workers run every 30 s: wait a full round of each.
    tokio::time::sleep(Duration::from_secs(35)).await;
    let reminder_mails = mails_in(&mail_dirs) - mails_before;
    assert_eq!(
        reminder_mails, 2,
        "one reminder to each participant, from one replica"
    );

    // A profile change made through the gateway (matching replica A) is
    // found by the other replica's search and index.
    let (_, me) = cluster
        .call("GET", "/api/v1/me", Some(&employees[0]), None)
        .await;
    assert!(me["id"].is_string());
    let email: String = sqlx::query("SELECT email FROM identity_users WHERE id = $1")
        .bind(&consultant)
        .fetch_one(&mut db)
        .await
        .expect("consultant")
        .get("email");
    let consultant_token = cluster.login(&email).await;
    let (status, mut profile) = cluster
        .call(
            "GET",
            "/api/v1/consultants/me/profile",
            Some(&consultant_token),
            None,
        )
        .await;
    assert_eq!(status, 200, "{profile}");
    let marker = "Zephyrine";
    profile["headline"] = json!(format!("{marker} career conversations"));
    let (status, answer) = cluster
        .call(
            "PUT",
            "/api/v1/consultants/me/profile",
            Some(&consultant_token),
            Some(profile),
        )
        .await;
    assert!(
        status == 200 || status == 204,
        "profile update: {status} {answer}"
    );
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let found = cluster
            .http
            .get(format!("{matching_b}/api/v1/consultants?q={marker}"))
            .bearer_auth(&employees[0])
            .header(shared::service_auth::HEADER, cluster.service_token())
            .send()
            .await
            .expect("matching replica B")
            .json::<Value>()
            .await
            .unwrap_or(Value::Null);
        if found["items"]
            .as_array()
            .is_some_and(|items| items.iter().any(|c| c["id"] == consultant))
        {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "matching replica B never saw the change: {found}"
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    println!(
        "replicas: 2 booking + 2 matching processes; 20 racers over both booking replicas → {statuses:?}; a due reminder sent once ({reminder_mails} emails); a profile change on one matching replica found on the other"
    );
}
