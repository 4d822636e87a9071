//! `taiwa matching train` on both backends: the learned weights are stored
//! with their held-out AUC, and used by the service only when they beat the
//! hand-set weights.

use std::sync::Arc;

use shared::auth::TokenKeys;
use shared::events::Wakeup;
use shared::ids::UserId;
use taiwa_matching::domain::instrument::{Answers, ITEMS, VERSION};
use taiwa_matching::domain::profile::ConsultantId;
use taiwa_matching::domain::ranking::Weights;
use taiwa_matching::{MatchingState, store, train};
use taiwa_tests::{Backend, TEST_JWT_SECRET, TestDb, on_both_backends};

on_both_backends!(
    learned_weights_are_used_only_when_they_are_better,
    too_few_ratings_is_a_clear_error
);

/// Answers leaning on dimension `d` (or on none).
fn answers(lean: Option<usize>) -> Answers {
    let raw: Vec<(String, i64)> = ITEMS
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let on = lean.is_some_and(|d| i / 5 == d);
            let value = match (on, item.reverse) {
                (true, false) => 6,
                (true, true) => 1,
                _ => 2 + (i as i64 % 3),
            };
            (item.id.to_owned(), value)
        })
        .collect();
    Answers::parse(&raw).expect("valid answers")
}

/// Ratings that depend only on which consultant it was: half always delight,
/// half disappoint, whatever the values. The hand-set weights (mostly value
/// similarity) rank these poorly; a learned model finds the rating feature.
async fn seed_ratings(db: &shared::db::Db, employees: usize, consultants: usize) {
    let mut tx = db.begin_write().await.expect("tx");
    let consultant_ids: Vec<ConsultantId> = (0..consultants)
        .map(|_| ConsultantId(UserId::new().0))
        .collect();
    for (k, c) in consultant_ids.iter().enumerate() {
        let a = answers(Some(k % 10));
        store::insert_assessment(
            &mut tx,
            &uuid::Uuid::now_v7().to_string(),
            UserId(c.0),
            VERSION,
            &a.pairs(),
            &a.score(),
            0,
        )
        .await
        .expect("c");
    }
    for e in 0..employees {
        let employee = UserId::new();
        let a = answers(Some((e * 3) % 10));
        store::insert_assessment(
            &mut tx,
            &uuid::Uuid::now_v7().to_string(),
            employee,
            VERSION,
            &a.pairs(),
            &a.score(),
            0,
        )
        .await
        .expect("e");
        for (k, c) in consultant_ids.iter().enumerate() {
            if (k + e) % 3 != 0 {
                continue;
            }
            let rating = if k % 2 == 0 { 5 } else { 2 };
            store::insert_rating(
                &mut tx,
                &uuid::Uuid::now_v7().to_string(),
                *c,
                employee,
                rating,
                0,
            )
            .await
            .expect("rating");
        }
    }
    tx.commit().await.expect("commit");
}

async fn learned_weights_are_used_only_when_they_are_better(backend: Backend) {
    let t = TestDb::fresh(backend).await;
    seed_ratings(&t.db, 30, 20).await;
    let report = train::train(&t.db).await.expect("training");
    let m = &report.model;
    assert_eq!(m.train_rows + m.test_rows, 200);
    assert!(
        m.auc_learned > 0.95,
        "the rating feature separates perfectly: {m:?}"
    );
    assert!(m.auc_learned > m.auc_handset, "{m:?}");
    assert!(m.active, "{m:?}");
    assert!(m.weights.rating > m.weights.values, "{m:?}");

    let keys = Arc::new(TokenKeys::new(
        &TEST_JWT_SECRET.to_owned().into(),
        std::time::Duration::from_secs(60),
    ));
    let state = MatchingState::load(t.db.clone(), keys, Wakeup::default(), None)
        .await
        .expect("load");
    assert_eq!(
        state.default_weights, m.weights,
        "the service ranks with the learned weights"
    );
}

async fn too_few_ratings_is_a_clear_error(backend: Backend) {
    let t = TestDb::fresh(backend).await;
    seed_ratings(&t.db, 2, 5).await;
    let err = train::train(&t.db)
        .await
        .expect_err("too little to learn from");
    assert!(format!("{err:#}").contains("need at least"), "{err:#}");
    let keys = Arc::new(TokenKeys::new(
        &TEST_JWT_SECRET.to_owned().into(),
        std::time::Duration::from_secs(60),
    ));
    let state = MatchingState::load(t.db.clone(), keys, Wakeup::default(), None)
        .await
        .expect("load");
    assert_eq!(
        state.default_weights,
        Weights::default(),
        "hand-set weights without a model"
    );
}
