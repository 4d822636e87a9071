//! Upgrading a database that already holds credits (counted in Japan time,
//! before the zone was a setting) pins Japan, so a start in another zone is
//! refused; a new database is pinned by its first start instead.

#![expect(clippy::expect_used, reason = "a test fails loudly")]

use std::borrow::Cow;

use shared::db::{Db, embedded_url};
use sqlx::migrate::Migrator;

async fn fresh_db() -> Db {
    let dir = std::env::temp_dir().join(format!("taiwa-zone-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("dir");
    Db::connect(&embedded_url(&dir).expect("url"))
        .await
        .expect("db")
}

async fn pinned(db: &Db) -> Option<String> {
    sqlx::query_scalar("SELECT value FROM booking_settings WHERE name = 'time_zone'")
        .fetch_optional(db.pool())
        .await
        .expect("settings")
}

#[tokio::test]
async fn an_upgrade_with_data_pins_japan_and_a_new_database_waits_for_its_start() {
    let before_the_setting = Migrator {
        migrations: Cow::Owned(
            taiwa_booking::MIGRATOR
                .migrations
                .iter()
                .filter(|m| m.version < 3_000_016)
                .cloned()
                .collect(),
        ),
        ignore_missing: true,
        locking: false,
        no_tx: false,
    };
    let upgraded = fresh_db().await;
    upgraded
        .migrate(&before_the_setting)
        .await
        .expect("old schema");
    sqlx::query("INSERT INTO booking_credit_ledger (id, org_id, delta, reason, reference, created_at) VALUES ('l1', 'o1', 10, 'grant', NULL, 0)")
        .execute(upgraded.pool())
        .await
        .expect("data counted in Japan time");
    upgraded
        .migrate(&taiwa_booking::MIGRATOR)
        .await
        .expect("upgrade");
    assert_eq!(pinned(&upgraded).await.as_deref(), Some("Asia/Tokyo"));
    let refused = taiwa_booking::pin_time_zone(&upgraded, chrono_tz::Europe::London)
        .await
        .expect_err("another zone is refused after the upgrade");
    assert!(refused.to_string().contains("Asia/Tokyo"), "{refused}");

    let new = fresh_db().await;
    new.migrate(&taiwa_booking::MIGRATOR)
        .await
        .expect("new schema");
    assert_eq!(pinned(&new).await, None, "nothing counted yet");
    taiwa_booking::pin_time_zone(&new, chrono_tz::Europe::London)
        .await
        .expect("a new database takes the configured zone");
    assert_eq!(pinned(&new).await.as_deref(), Some("Europe/London"));
}
