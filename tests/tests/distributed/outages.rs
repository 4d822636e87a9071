//! Outages of the infrastructure: NATS stopped for a minute, PostgreSQL
//! restarted under load.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::json;
use sqlx::Row;
use taiwa_tests::cluster::Cluster;

use crate::support::{book_until_answered, mails_sent, pending, slots_to_fight_over, tokens};

/// NATS is stopped for 60 s while employees keep booking: the bookings
/// succeed, `/readyz` stays ready and reports NATS away, and once NATS is back every event
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
    // Still ready (requests are served, events wait in the outbox), and
    // NATS reported away.
    let (status, body) = cluster.readyz_body("booking").await;
    assert_eq!(
        (status, body["checks"]["nats"].clone()),
        (200, serde_json::json!("down")),
        "readyz stays ready and reports NATS away: {body}"
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
