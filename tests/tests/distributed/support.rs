//! What the distributed tests share: booking through outages, finding free
//! hours to fight over, the booking invariants read from the database, and
//! counting effects (emails, pending events).

use std::time::{Duration, Instant};

use serde_json::Value;
use sqlx::Row;
use taiwa_tests::cluster::Cluster;

use crate::distributed::free_hours;

/// A definitive answer to a booking attempt (anything else is retried).
pub fn definitive(status: u16) -> bool {
    matches!(status, 201 | 402 | 409 | 422)
}

/// Books with an idempotency key, retrying through outages until the answer
/// is definitive; `(status, booking id, retries)`.
pub async fn book_until_answered(
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
pub async fn slots_to_fight_over(
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

pub async fn tokens(cluster: &Cluster, n: usize) -> Vec<String> {
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
pub async fn assert_booking_invariants(cluster: &Cluster, since: i64) -> i64 {
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

/// Emails a booking service sent (its mail folder), for counting effects.
pub fn mails_sent(cluster: &Cluster) -> usize {
    std::fs::read_dir(cluster.dir.join("booking").join("mail"))
        .map(|d| {
            d.flatten()
                .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
                .count()
        })
        .unwrap_or(0)
}

/// Events not yet published, over every outbox.
pub async fn pending(cluster: &Cluster) -> i64 {
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

/// Emails in these mail folders.
pub fn mails_in(dirs: &[std::path::PathBuf]) -> usize {
    dirs.iter()
        .filter_map(|d| std::fs::read_dir(d).ok())
        .map(|d| {
            d.flatten()
                .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
                .count()
        })
        .sum()
}
