//! Several replicas of a service at once.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use sqlx::Row;
use taiwa_tests::cluster::Cluster;

use crate::support::{mails_in, pending, slots_to_fight_over, tokens};

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
