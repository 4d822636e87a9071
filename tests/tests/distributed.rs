//! The distributed mode across processes: four `taiwa serve --service …`
//! processes on a private PostgreSQL and a private NATS JetStream, driven
//! through the gateway as clients would, with faults injected. Switched on by
//! `TAIWA_TEST_DISTRIBUTED=1` (as `.ci/run` does); otherwise reported as
//! ignored, with why.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use sqlx::Row;
use taiwa_tests::cluster::Cluster;

macro_rules! distributed_tests {
    ($($name:ident),* $(,)?) => {$(
        #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
        #[cfg_attr(not(taiwa_distributed), ignore = "needs nats-server and PostgreSQL's binaries: set TAIWA_TEST_DISTRIBUTED=1")]
        async fn $name() {
            distributed::$name().await
        }
    )*};
}

distributed_tests!(
    a_journey_crosses_the_four_processes,
    killing_booking_mid_booking_loses_and_doubles_nothing,
    events_survive_a_nats_outage_and_take_effect_once,
    a_postgresql_restart_is_reported_and_recovered_from,
    replicas_share_the_work_without_doubling_it,
);

#[path = "distributed/kill.rs"]
mod kill;
#[path = "distributed/outages.rs"]
mod outages;
#[path = "distributed/replicas.rs"]
mod replicas;
#[path = "distributed/support.rs"]
mod support;

mod distributed {
    use super::*;
    pub(crate) use crate::kill::killing_booking_mid_booking_loses_and_doubles_nothing;
    pub(crate) use crate::outages::{
        a_postgresql_restart_is_reported_and_recovered_from,
        events_survive_a_nats_outage_and_take_effect_once,
    };
    pub(crate) use crate::replicas::replicas_share_the_work_without_doubling_it;

    /// Answers every item of the assessment, varied by `seed`.
    pub async fn answer_assessment(cluster: &Cluster, token: &str, seed: usize) {
        let (status, instrument) = cluster
            .call("GET", "/api/v1/assessment", Some(token), None)
            .await;
        assert_eq!(status, 200, "{instrument}");
        let answers: Vec<Value> = instrument["items"]
            .as_array()
            .expect("items")
            .iter()
            .enumerate()
            .map(|(i, item)| json!({"item_id": item["id"], "value": (i * 7 + seed) % 6 + 1}))
            .collect();
        let (status, body) = cluster
            .call(
                "POST",
                "/api/v1/assessment/responses",
                Some(token),
                Some(json!({"answers": answers})),
            )
            .await;
        assert_eq!(status, 201, "{body}");
    }

    /// The first free hour of a consultant in the next two weeks.
    pub async fn first_slot(cluster: &Cluster, token: &str, consultant: &str) -> Option<String> {
        free_hours(cluster, token, consultant, 0)
            .await
            .into_iter()
            .next()
    }

    /// A consultant's free hours from `after_days` days on, for two weeks.
    pub async fn free_hours(
        cluster: &Cluster,
        token: &str,
        consultant: &str,
        after_days: i64,
    ) -> Vec<String> {
        let from = chrono::Utc::now() + chrono::Duration::days(after_days);
        let to = from + chrono::Duration::days(14);
        let path = format!(
            "/api/v1/consultants/{consultant}/slots?from={}&to={}&duration_minutes=60",
            from.format("%Y-%m-%dT%H:%M:%SZ"),
            to.format("%Y-%m-%dT%H:%M:%SZ")
        );
        let (status, body) = cluster.call("GET", &path, Some(token), None).await;
        assert_eq!(status, 200, "{body}");
        body["slots"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| s["starts_at"].as_str().map(str::to_owned))
            .collect()
    }

    /// Themes of Demo Corp's report for a quarter, as `theme → count`.
    async fn theme_counts(
        cluster: &Cluster,
        token: &str,
        org: &str,
        quarter: &str,
    ) -> HashMap<String, u64> {
        let path = format!("/api/v1/orgs/{org}/reports/themes?from={quarter}&to={quarter}");
        let (status, body) = cluster.call("GET", &path, Some(token), None).await;
        assert_eq!(status, 200, "{body}");
        body["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .filter(|r| r["group"] == "all")
            .map(|r| {
                (
                    r["theme"].as_str().unwrap_or("").to_owned(),
                    r["count"].as_u64().unwrap_or(0),
                )
            })
            .collect()
    }

    /// Reporting's records of a month.
    async fn records_in(db: &mut sqlx::PgConnection, month: &str) -> i64 {
        sqlx::query("SELECT COUNT(*) AS n FROM reporting_records WHERE period = $1")
            .bind(month)
            .fetch_one(db)
            .await
            .expect("records")
            .get::<i64, _>("n")
    }

    /// Assessment → ten candidates → booking → the session is held (the test
    /// moves it into a released quarter, as time would) → the consultant's
    /// record and the employee's consent → the record reaches reporting, in
    /// the quarter still open, and the released quarter's report stays as it
    /// was. Every request goes through the gateway, and every
    /// event between the services travels through NATS JetStream.
    pub async fn a_journey_crosses_the_four_processes() {
        let cluster = Cluster::start(&[]).await;
        let employee = cluster.login("employee7@demo.taiwa.test").await;
        let hr = cluster.login("hr@demo.taiwa.test").await;
        let (_, me) = cluster
            .call("GET", "/api/v1/me", Some(&employee), None)
            .await;
        let org = me["org_id"].as_str().expect("org").to_owned();

        answer_assessment(&cluster, &employee, 3).await;
        let (status, matches) = cluster
            .call("GET", "/api/v1/matches?limit=10", Some(&employee), None)
            .await;
        assert_eq!(status, 200, "{matches}");
        let candidates = matches["candidates"]
            .as_array()
            .expect("candidates")
            .clone();
        assert_eq!(candidates.len(), 10, "ten candidates: {matches}");

        let mut booked = None;
        for c in &candidates {
            let consultant = c["consultant"]["id"].as_str().expect("id").to_owned();
            if let Some(start) = first_slot(&cluster, &employee, &consultant).await {
                let (status, body) = cluster
                    .call(
                        "POST",
                        "/api/v1/bookings",
                        Some(&employee),
                        Some(json!({"consultant_id": consultant, "starts_at": start, "duration_minutes": 60})),
                    )
                    .await;
                assert_eq!(status, 201, "{body}");
                booked = Some((body["id"].as_str().expect("id").to_owned(), consultant));
                break;
            }
        }
        let (booking, consultant) = booked.expect("one of the ten has a free hour");

        // The session is held: move it to 14 August (a closed quarter), as
        // time would.
        let held = chrono::DateTime::parse_from_rfc3339("2026-08-14T01:00:00Z").expect("time");
        let mut db = cluster.db().await;
        sqlx::query("UPDATE booking_bookings SET starts_at = $1, ends_at = $2 WHERE id = $3")
            .bind(held.timestamp_millis())
            .bind(held.timestamp_millis() + 3_600_000)
            .bind(&booking)
            .execute(&mut db)
            .await
            .expect("moving the session");
        let email: String = sqlx::query("SELECT email FROM identity_users WHERE id = $1")
            .bind(&consultant)
            .fetch_one(&mut db)
            .await
            .expect("the consultant's account")
            .get("email");
        let consultant_token = cluster.login(&email).await;

        let before = theme_counts(&cluster, &hr, &org, "2026-Q3").await;
        let (theme, _) = before
            .iter()
            .max_by_key(|(_, n)| **n)
            .map(|(t, n)| (t.clone(), *n))
            .expect("Demo Corp's Q3 report has released themes");
        let open_month = shared::quarters::Month::of(chrono::Utc::now()).to_string();
        let records_before = records_in(&mut db, &open_month).await;
        // An operator adds a theme at reporting; booking, in its own
        // process, takes records with it once the taxonomy's event has come
        // through NATS (until then: unknown_theme).
        let operator = cluster.operator_login().await;
        let (status, body) = cluster
            .call(
                "POST",
                "/api/v1/operator/themes",
                Some(&operator),
                Some(json!({"code": "generative_ai", "label_ja": "生成AI・DX", "label_en": "Generative AI and DX"})),
            )
            .await;
        assert_eq!(status, 201, "new theme: {body}");
        let deadline = Instant::now() + Duration::from_secs(60);
        let (status, body) = loop {
            let (status, body) = cluster
                .call(
                    "POST",
                    &format!("/api/v1/bookings/{booking}/record"),
                    Some(&consultant_token),
                    Some(json!({"private_notes": "confidential notes", "themes": [theme, "generative_ai"], "org_summary": "Wants to grow into a new role."})),
                )
                .await;
            if body["error"]["code"] != "unknown_theme" || Instant::now() > deadline {
                break (status, body);
            }
            tokio::time::sleep(Duration::from_millis(300)).await;
        };
        assert!(status == 200 || status == 201, "record: {status} {body}");
        let (status, body) = cluster
            .call(
                "POST",
                &format!("/api/v1/bookings/{booking}/feedback"),
                Some(&employee),
                Some(json!({"rating": 5, "share_with_org": true, "cohort_consent": false})),
            )
            .await;
        assert_eq!(status, 201, "feedback: {body}");

        // booking → NATS → reporting: the record arrives — in the quarter
        // still open, since Q3 is released and a released quarter never
        // changes.
        let deadline = Instant::now() + Duration::from_secs(60);
        while records_in(&mut db, &open_month).await < records_before + 1 {
            assert!(
                Instant::now() < deadline,
                "the record never reached reporting\nbooking log:\n{}\nreporting log:\n{}",
                cluster.log("booking"),
                cluster.log("reporting")
            );
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        assert_eq!(
            theme_counts(&cluster, &hr, &org, "2026-Q3").await,
            before,
            "the released quarter did not move"
        );
        // And the rating reached matching's index through NATS too: the
        // consultant's profile counts the new rating.
        let rated: i64 =
            sqlx::query("SELECT COUNT(*) AS n FROM matching_ratings WHERE consultant_id = $1")
                .bind(&consultant)
                .fetch_one(&mut db)
                .await
                .expect("ratings")
                .get("n");
        assert!(rated >= 1, "matching stored the rating");
    }
}
