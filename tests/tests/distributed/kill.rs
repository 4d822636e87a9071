//! `kill -9` of the booking process in the middle of booking.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use serde_json::json;
use sqlx::Row;
use taiwa_tests::cluster::Cluster;

use crate::support::{assert_booking_invariants, book_until_answered, slots_to_fight_over, tokens};

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
