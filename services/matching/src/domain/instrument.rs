//! The values instrument and its scoring (documented in `docs/assessment.md`):
//! a 6-point scale, reverse-keyed items scored `7 − answer`, a dimension's
//! score is the mean of its keyed answers centred and scaled to [−1, 1].

use std::collections::HashMap;

use serde::Serialize;
use utoipa::ToSchema;

pub use super::instrument_items::{DIMENSIONS, ITEMS, VERSION};

/// Number of value dimensions.
pub const DIMS: usize = DIMENSIONS.len();
/// Lowest answer.
pub const SCALE_MIN: i64 = 1;
/// Highest answer.
pub const SCALE_MAX: i64 = 6;

/// A value dimension.
#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
pub struct Dimension {
    /// Stable key, e.g. `autonomy`.
    pub key: &'static str,
    /// Japanese label.
    pub label_ja: &'static str,
    /// English label.
    pub label_en: &'static str,
}

/// One statement to rate.
#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
pub struct Item {
    /// Stable id, e.g. `AUT1`.
    pub id: &'static str,
    /// The dimension it measures.
    pub dimension: &'static str,
    /// Whether agreeing means valuing the dimension less.
    pub reverse: bool,
    /// Japanese wording.
    pub text_ja: &'static str,
    /// English wording.
    pub text_en: &'static str,
}

/// A person's values: one score in [−1, 1] per dimension, in `DIMENSIONS` order.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ValuesVector(pub [f64; DIMS]);

impl ValuesVector {
    /// The vector as `{dimension key: score}`, in a stable (key) order so
    /// the same vector always reads the same.
    pub fn by_key(&self) -> std::collections::BTreeMap<&'static str, f64> {
        DIMENSIONS
            .iter()
            .zip(self.0)
            .map(|(d, v)| (d.key, (v * 1000.0).round() / 1000.0))
            .collect()
    }

    /// Ipsatised (the person's own mean removed) and scaled to unit length,
    /// for cosine similarity; all zeros when every dimension scored alike.
    pub fn matching_form(&self) -> [f32; DIMS] {
        let mean = self.0.iter().sum::<f64>() / DIMS as f64;
        let centred: Vec<f64> = self.0.iter().map(|v| v - mean).collect();
        let norm = centred.iter().map(|v| v * v).sum::<f64>().sqrt();
        let mut out = [0.0f32; DIMS];
        if norm > 1e-9 {
            for (o, c) in out.iter_mut().zip(centred) {
                *o = (c / norm) as f32;
            }
        }
        out
    }
}

/// Why a set of answers cannot be scored; names the item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AnswerError {
    /// An item of the instrument was not answered.
    Missing(&'static str),
    /// An answer names no item of the instrument.
    Unknown(String),
    /// An item was answered twice.
    Duplicate(String),
    /// An answer is outside 1..6.
    OutOfRange(String, i64),
}

impl std::fmt::Display for AnswerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Missing(id) => write!(f, "item {id} is not answered"),
            Self::Unknown(id) => write!(f, "item {id} is not part of the assessment"),
            Self::Duplicate(id) => write!(f, "item {id} is answered more than once"),
            Self::OutOfRange(id, v) => {
                write!(f, "item {id}: {v} is outside {SCALE_MIN}..{SCALE_MAX}")
            }
        }
    }
}

impl AnswerError {
    /// The item the problem is about.
    pub fn item(&self) -> &str {
        match self {
            Self::Missing(id) => id,
            Self::Unknown(id) | Self::Duplicate(id) | Self::OutOfRange(id, _) => id,
        }
    }
}

/// A complete, valid set of answers.
#[derive(Clone, Debug, PartialEq)]
pub struct Answers(HashMap<&'static str, i64>);

impl Answers {
    /// Checks that every item is answered exactly once within the scale.
    pub fn parse(raw: &[(String, i64)]) -> Result<Self, AnswerError> {
        let mut answers = HashMap::new();
        for (id, value) in raw {
            let item = ITEMS
                .iter()
                .find(|i| i.id == id)
                .ok_or_else(|| AnswerError::Unknown(id.clone()))?;
            if !(SCALE_MIN..=SCALE_MAX).contains(value) {
                return Err(AnswerError::OutOfRange(id.clone(), *value));
            }
            if answers.insert(item.id, *value).is_some() {
                return Err(AnswerError::Duplicate(id.clone()));
            }
        }
        if let Some(missing) = ITEMS.iter().find(|i| !answers.contains_key(i.id)) {
            return Err(AnswerError::Missing(missing.id));
        }
        Ok(Self(answers))
    }

    /// The answers as `(item id, value)` pairs in instrument order.
    pub fn pairs(&self) -> Vec<(&'static str, i64)> {
        ITEMS
            .iter()
            .filter_map(|i| self.0.get(i.id).map(|v| (i.id, *v)))
            .collect()
    }

    /// Scores the answers.
    pub fn score(&self) -> ValuesVector {
        let mut sums = [0.0f64; DIMS];
        let mut counts = [0usize; DIMS];
        for item in &ITEMS {
            let Some(d) = DIMENSIONS.iter().position(|d| d.key == item.dimension) else {
                continue;
            };
            let Some(&answer) = self.0.get(item.id) else {
                continue;
            };
            let keyed = if item.reverse {
                SCALE_MIN + SCALE_MAX - answer
            } else {
                answer
            };
            sums[d] += keyed as f64;
            counts[d] += 1;
        }
        let midpoint = (SCALE_MIN + SCALE_MAX) as f64 / 2.0;
        let half_range = (SCALE_MAX - SCALE_MIN) as f64 / 2.0;
        let mut out = [0.0f64; DIMS];
        for d in 0..DIMS {
            if counts[d] > 0 {
                out[d] = (sums[d] / counts[d] as f64 - midpoint) / half_range;
            }
        }
        ValuesVector(out)
    }
}

#[cfg(test)]
mod tests;
