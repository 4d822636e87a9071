//! Entry points for `cargo fuzz` (`fuzz/` at the root): the parser of
//! assessment answers, with the invariants a fuzzer should never break. Unit
//! tests run every seed of `fuzz/seeds/` through it.

use crate::domain::instrument::{Answers, ITEMS, SCALE_MAX, SCALE_MIN};
use crate::routes::assessment::ResponsesInput;

/// Reads `data` as answers and, when they are valid, scores them.
///
/// A first byte `{` means the data is the JSON body of
/// `POST /api/v1/assessment/responses`. Otherwise the bytes are answers in
/// instrument order, so the fuzzer reaches complete sets quickly: each byte is
/// an answer (some out of range), and a byte's top bit repeats its item.
pub fn assessment_answers(data: &[u8]) {
    let raw: Vec<(String, i64)> = if data.first() == Some(&b'{') {
        let Ok(body) = serde_json::from_slice::<ResponsesInput>(data) else {
            return;
        };
        body.answers
            .into_iter()
            .map(|a| (a.item_id, a.value))
            .collect()
    } else {
        let mut raw = Vec::new();
        for (item, byte) in ITEMS.iter().zip(data) {
            let value = i64::from(byte & 0x07) - 1; // −1 … 6
            raw.push((item.id.to_owned(), value));
            if byte & 0x80 != 0 {
                raw.push((item.id.to_owned(), value));
            }
        }
        raw
    };
    let Ok(answers) = Answers::parse(&raw) else {
        return;
    };
    assert!(
        raw.len() == ITEMS.len(),
        "valid answers name every item once"
    );
    assert!(
        raw.iter().all(|(_, v)| (SCALE_MIN..=SCALE_MAX).contains(v)),
        "valid answers are on the scale"
    );
    let vector = answers.score();
    for score in vector.0 {
        assert!(
            score.is_finite() && (-1.0..=1.0).contains(&score),
            "score {score} out of [-1, 1]"
        );
    }
    let form = vector.matching_form();
    let norm: f32 = form.iter().map(|x| x * x).sum::<f32>().sqrt();
    assert!(
        norm == 0.0 || (norm - 1.0).abs() < 1e-4,
        "matching form has length {norm}"
    );
    let again: Vec<(String, i64)> = answers
        .pairs()
        .into_iter()
        .map(|(id, v)| (id.to_owned(), v))
        .collect();
    assert_eq!(
        Answers::parse(&again).ok(),
        Some(answers),
        "answers survive a round trip"
    );
}

#[cfg(test)]
mod tests;
