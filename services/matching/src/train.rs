//! `taiwa matching train`: learns ranking weights from past session ratings
//! with linfa's logistic regression, and keeps them only if they beat the
//! hand-set weights on held-out sessions (AUC of "rated 4 or 5").
//!
//! Features of a past session: value similarity between the employee and the
//! consultant, and the consultant's Bayesian rating from their *other*
//! sessions (leave-one-out, so a rating never predicts itself). Topics and
//! availability at booking time are not in the history yet, so their hand-set
//! weights are kept and the learned coefficients share out the rest.

use std::collections::HashMap;

use anyhow::Context;
use linfa::prelude::*;
use linfa_logistic::LogisticRegression;
use ndarray::{Array1, Array2};
use shared::db::Db;
use shared::time;

use crate::domain::ranking::{Weights, bayesian_rating};
use crate::store::{self, ModelRecord};

/// Fewest ratings worth learning from.
pub const MIN_ROWS: usize = 100;

/// Area under the ROC curve of `scores` for `labels` (Mann–Whitney, ties halved).
pub fn auc(scores: &[f64], labels: &[bool]) -> f64 {
    let positives = labels.iter().filter(|l| **l).count();
    let negatives = labels.len() - positives;
    if positives == 0 || negatives == 0 {
        return 0.5;
    }
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|a, b| scores[*a].total_cmp(&scores[*b]));
    // Average ranks over ties.
    let mut ranks = vec![0.0; scores.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && scores[order[j + 1]] == scores[order[i]] {
            j += 1;
        }
        let rank = (i + j) as f64 / 2.0 + 1.0;
        for k in i..=j {
            ranks[order[k]] = rank;
        }
        i = j + 1;
    }
    let rank_sum: f64 = labels
        .iter()
        .zip(&ranks)
        .filter(|(l, _)| **l)
        .map(|(_, r)| r)
        .sum();
    (rank_sum - (positives * (positives + 1)) as f64 / 2.0) / (positives * negatives) as f64
}

/// What training found.
#[derive(Debug)]
pub struct TrainReport {
    /// The stored model.
    pub model: ModelRecord,
    /// Logistic coefficients (values, rating) and intercept.
    pub coefficients: (f64, f64, f64),
}

/// Trains, evaluates on a held-out fifth, stores the model, and activates it
/// when its AUC beats the hand-set weights'.
pub async fn train(db: &Db) -> anyhow::Result<TrainReport> {
    let mut conn = db.pool().acquire().await.context("reading ratings")?;
    let ratings = store::all_ratings(&mut conn).await?;
    let vectors = store::latest_vectors(&mut conn).await?;
    drop(conn);

    let mut totals: HashMap<_, (f32, u32)> = HashMap::new();
    for r in &ratings {
        let t = totals.entry(r.consultant).or_default();
        t.0 += r.rating as f32;
        t.1 += 1;
    }
    let mut rows: Vec<([f64; 2], bool, bool)> = Vec::new(); // features, label, held out
    for (k, r) in ratings.iter().enumerate() {
        let (Some(e), Some(c)) = (
            vectors.get(&r.employee.to_string()),
            vectors.get(&r.consultant.to_string()),
        ) else {
            continue;
        };
        let (e, c) = (e.matching_form(), c.matching_form());
        let cosine: f32 = e.iter().zip(c.iter()).map(|(a, b)| a * b).sum();
        let values = f64::from((cosine + 1.0) / 2.0);
        let (sum, n) = totals.get(&r.consultant).copied().unwrap_or_default();
        let others = bayesian_rating(sum - r.rating as f32, n.saturating_sub(1));
        let rating = f64::from((others - 1.0) / 4.0);
        rows.push(([values, rating], r.rating >= 4, k % 5 == 0));
    }
    anyhow::ensure!(
        rows.len() >= MIN_ROWS,
        "only {} usable ratings; need at least {MIN_ROWS}",
        rows.len()
    );
    let (test, train): (Vec<_>, Vec<_>) = rows.into_iter().partition(|r| r.2);
    let to_x = |rows: &[([f64; 2], bool, bool)]| {
        Array2::from_shape_fn((rows.len(), 2), |(i, j)| rows[i].0[j])
    };
    let y: Array1<bool> = train.iter().map(|r| r.1).collect();
    anyhow::ensure!(
        y.iter().any(|l| *l) && y.iter().any(|l| !*l),
        "the ratings are all good or all bad; nothing to learn"
    );
    let fitted = LogisticRegression::default()
        .max_iterations(200)
        .fit(&Dataset::new(to_x(&train), y))
        .context("fitting the logistic regression")?;
    let x_test = to_x(&test);
    let labels: Vec<bool> = test.iter().map(|r| r.1).collect();
    let learned: Vec<f64> = fitted.predict_probabilities(&x_test).to_vec();
    let hand = Weights::default();
    let handset: Vec<f64> = test
        .iter()
        .map(|r| f64::from(hand.values) * r.0[0] + f64::from(hand.rating) * r.0[1])
        .collect();
    let (auc_learned, auc_handset) = (auc(&learned, &labels), auc(&handset, &labels));

    let params = fitted.params();
    let (b_values, b_rating) = (params[0].max(0.0), params[1].max(0.0));
    let share = f64::from(hand.values + hand.rating);
    let total = (b_values + b_rating).max(1e-9);
    let weights = Weights {
        values: (share * b_values / total) as f32,
        specialty: hand.specialty,
        availability: hand.availability,
        rating: (share * b_rating / total) as f32,
    };
    let model = ModelRecord {
        weights,
        auc_learned,
        auc_handset,
        train_rows: i64::try_from(train.len())?,
        test_rows: i64::try_from(test.len())?,
        active: auc_learned > auc_handset + 0.005 && b_values + b_rating > 0.0,
    };
    let mut tx = db.begin_write().await?;
    store::insert_model(&mut tx, &model, time::to_db(time::now())).await?;
    tx.commit().await?;
    Ok(TrainReport {
        model,
        coefficients: (params[0], params[1], fitted.intercept()),
    })
}

#[cfg(test)]
mod tests;
