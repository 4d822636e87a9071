//! How candidates are scored, re-ranked and explained.
//!
//! Features, each in [0, 1]: value similarity (cosine of ipsatised vectors
//! mapped to 0..1), specialty overlap with the employee's topics, availability
//! soon, and a Bayesian-averaged rating. The score is their weighted sum (hand-
//! set weights until a learned model beats them), plus a small boost for
//! consultants who have been shown less (fair exposure). The top of that list
//! is then re-ranked with maximal marginal relevance so that ten candidates
//! are not ten copies of one profile.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::instrument::{DIMENSIONS, DIMS};
use super::taxonomy::{QUALIFICATIONS, SPECIALTIES, find};

/// Feature values of one consultant for one employee.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Features {
    /// Value similarity, 0..1 (0.5 neutral).
    pub values: f32,
    /// Share of the employee's topics the consultant specialises in (0.5 when none chosen).
    pub specialty: f32,
    /// 1 when available now, falling to 0 at two weeks; 0.2 when unknown.
    pub availability: f32,
    /// Bayesian-averaged rating mapped to 0..1.
    pub rating: f32,
}

/// Relative weights of the features (an employee may change them).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Weights {
    /// Weight of value similarity.
    pub values: f32,
    /// Weight of specialty overlap.
    pub specialty: f32,
    /// Weight of availability soon.
    pub availability: f32,
    /// Weight of the rating.
    pub rating: f32,
}

impl Default for Weights {
    /// The hand-set weights used before a learned model beats them.
    fn default() -> Self {
        Self {
            values: 0.5,
            specialty: 0.25,
            availability: 0.15,
            rating: 0.10,
        }
    }
}

impl Weights {
    /// Weights scaled to sum to one; `None` if any is negative or not finite
    /// or all are zero.
    pub fn normalised(self) -> Option<Self> {
        let all = [self.values, self.specialty, self.availability, self.rating];
        if all.iter().any(|w| !w.is_finite() || *w < 0.0) {
            return None;
        }
        let sum: f32 = all.iter().sum();
        (sum > 0.0).then(|| Self {
            values: self.values / sum,
            specialty: self.specialty / sum,
            availability: self.availability / sum,
            rating: self.rating / sum,
        })
    }

    /// The weighted score of `f`.
    pub fn score(&self, f: &Features) -> f32 {
        self.values * f.values
            + self.specialty * f.specialty
            + self.availability * f.availability
            + self.rating * f.rating
    }
}

/// Prior mean rating and its weight in ratings (Bayesian average).
pub const RATING_PRIOR: f32 = 4.0;
/// Ratings move a consultant's standing only in groups from at least this
/// many distinct people (the report's smallest k), so no one's single
/// rating is visible to others in their matches.
pub const RATINGS_RELEASED_FROM: usize = 5;
/// How many ratings the prior counts as.
pub const RATING_PRIOR_WEIGHT: f32 = 5.0;

/// The Bayesian average of `n` ratings summing to `sum`, on the 1..5 scale.
pub fn bayesian_rating(sum: f32, n: u32) -> f32 {
    (RATING_PRIOR * RATING_PRIOR_WEIGHT + sum) / (RATING_PRIOR_WEIGHT + n as f32)
}

/// Availability feature from the next free slot (epoch ms) and now.
pub fn availability_feature(next_available_at: Option<i64>, now_ms: i64) -> f32 {
    match next_available_at {
        None => 0.2,
        Some(at) => {
            let days = ((at - now_ms).max(0) as f32) / 86_400_000.0;
            (1.0 - days / 14.0).clamp(0.0, 1.0)
        }
    }
}

/// Specialty feature: the share of chosen topics covered (bitmasks).
pub fn specialty_feature(topics: u32, specialties: u32) -> f32 {
    if topics == 0 {
        0.5
    } else {
        (topics & specialties).count_ones() as f32 / topics.count_ones() as f32
    }
}

/// The language reasons are written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    /// Japanese (the default).
    Ja,
    /// English.
    En,
}

/// What a reason needs to know about one candidate.
pub struct ReasonInput<'a> {
    /// The employee's matching-form vector.
    pub employee: &'a [f32; DIMS],
    /// The consultant's matching-form vector.
    pub consultant: &'a [f32; DIMS],
    /// Feature values.
    pub features: Features,
    /// The employee's topics (bitmask over `SPECIALTIES`).
    pub topics: u32,
    /// The consultant's specialties (bitmask).
    pub specialties: u32,
    /// Milliseconds from now to the next free slot, if known.
    pub ms_until_available: Option<i64>,
    /// Bayesian rating and the number of ratings.
    pub rating: (f32, u32),
    /// Years of experience.
    pub years_experience: u32,
    /// Qualification code.
    pub qualification: &'a str,
}

/// What the candidates shown together have on average, so that each one's
/// reasons can lead with what sets it apart.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Baseline {
    /// Mean feature values.
    pub features: Features,
    /// Mean years of experience.
    pub years_experience: f32,
}

impl Baseline {
    /// The mean of `inputs` (all zero when there are none).
    pub fn of(inputs: &[ReasonInput<'_>]) -> Self {
        let n = inputs.len().max(1) as f32;
        let sum = |f: fn(&ReasonInput<'_>) -> f32| inputs.iter().map(f).sum::<f32>() / n;
        Self {
            features: Features {
                values: sum(|i| i.features.values),
                specialty: sum(|i| i.features.specialty),
                availability: sum(|i| i.features.availability),
                rating: sum(|i| i.features.rating),
            },
            years_experience: sum(|i| i.years_experience as f32),
        }
    }
}

/// Up to three plain-language reasons, never empty. Each reason that holds
/// for the candidate (values close, specialties in the employee's topics,
/// free soon, highly rated, experience) is ranked by how far the candidate
/// is above `baseline` — the candidates shown with it — on that feature, so
/// that ten candidates do not all read alike where their data differs.
pub fn reasons(input: &ReasonInput<'_>, baseline: &Baseline, lang: Lang) -> Vec<String> {
    // (how far above the others, the reason)
    let mut found: Vec<(f32, String)> = Vec::new();
    let f = &input.features;
    let b = &baseline.features;
    // Values: the dimensions both lean towards most (the weaker of the two
    // leanings, so that the consultant's own profile counts), when the
    // overall similarity is real.
    if f.values >= 0.6 {
        let mut shared: Vec<(usize, f32)> = (0..DIMS)
            .map(|d| (d, input.employee[d].min(input.consultant[d])))
            .filter(|(_, both)| *both > 0.0)
            .collect();
        shared.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let names: Vec<&str> = shared
            .iter()
            .take(2)
            .map(|(d, _)| match lang {
                Lang::Ja => DIMENSIONS[*d].label_ja,
                Lang::En => DIMENSIONS[*d].label_en,
            })
            .collect();
        if !names.is_empty() {
            found.push((
                f.values - b.values,
                match lang {
                    Lang::Ja => format!("大切にしている価値観が近い（{}）", names.join("、")),
                    Lang::En => format!(
                        "Values close to yours on {}",
                        names.join(" and ").to_lowercase()
                    ),
                },
            ));
        }
    }
    let overlap = input.topics & input.specialties;
    if overlap != 0 {
        let names: Vec<&str> = SPECIALTIES
            .iter()
            .enumerate()
            .filter(|(i, _)| overlap & (1 << i) != 0)
            .take(2)
            .map(|(_, t)| if lang == Lang::Ja { t.ja } else { t.en })
            .collect();
        let (covered, asked) = (overlap.count_ones(), input.topics.count_ones());
        let reason = match (lang, covered == asked) {
            (Lang::Ja, true) => format!("「{}」を専門にしています", names.join("」「")),
            (Lang::Ja, false) => format!(
                "「{}」を専門にしています（選んだ{asked}つのうち{covered}つ）",
                names.join("」「")
            ),
            (Lang::En, true) => format!("Specialises in {}", names.join(" and ")),
            (Lang::En, false) => format!(
                "Specialises in {} ({covered} of your {asked} topics)",
                names.join(" and ")
            ),
        };
        found.push((f.specialty - b.specialty, reason));
    }
    if let Some(reason) = input.ms_until_available.and_then(|ms| soon(ms, lang)) {
        found.push((f.availability - b.availability, reason));
    }
    let (rating, n) = input.rating;
    if n >= 3 && rating >= 4.3 {
        found.push((
            f.rating - b.rating,
            match lang {
                Lang::Ja => format!("相談者からの評価が高い（{rating:.1}／5、{n}件）"),
                Lang::En => format!("Highly rated by clients ({rating:.1}/5 from {n})"),
            },
        ));
    }
    // Experience, on a 20-year scale so it competes with the features; it
    // always holds, so there is at least one reason.
    let q = find(&QUALIFICATIONS, input.qualification);
    let years = input.years_experience;
    found.push((
        (years as f32 - baseline.years_experience) / 20.0,
        match (lang, q) {
            (Lang::Ja, Some(q)) => format!("{}・経験{years}年", q.ja),
            (Lang::En, Some(q)) => format!("{} with {years} years of experience", q.en),
            (Lang::Ja, None) => format!("経験{years}年"),
            (Lang::En, None) => format!("{years} years of experience"),
        },
    ));
    // Most distinctive first; ties keep the order above. The sort is stable.
    found.sort_by(|a, b| b.0.total_cmp(&a.0));
    found.truncate(3);
    found.into_iter().map(|(_, r)| r).collect()
}

/// "Free within …" for a next free slot `ms` away, rounded up: hours under
/// a day, then days up to a week (a slot 42 hours away is "within 2 days",
/// never "within a day"); nothing for later ones, or for one already past.
fn soon(ms: i64, lang: Lang) -> Option<String> {
    const HOUR: i64 = 3_600_000;
    if ms < 0 {
        // A next free time already past is stale news, not "soon".
        return None;
    }
    let hours = ((ms + HOUR - 1) / HOUR).max(1);
    if hours < 24 {
        return Some(match (lang, hours) {
            (Lang::Ja, h) => format!("{h}時間以内に空きがあります"),
            (Lang::En, 1) => "Available within the hour".to_owned(),
            (Lang::En, h) => format!("Available within {h} hours"),
        });
    }
    let days = (hours + 23) / 24;
    (days <= 7).then(|| match (lang, days) {
        (Lang::Ja, d) => format!("{d}日以内に空きがあります"),
        (Lang::En, 1) => "Available within a day".to_owned(),
        (Lang::En, d) => format!("Available within {d} days"),
    })
}

/// Maximal marginal relevance: picks `want` of `candidates` (index, score),
/// each time the one maximising `lambda·score − (1−lambda)·max similarity to
/// those already picked`. Each candidate's largest similarity to the picked
/// ones is kept and updated with the latest pick only.
pub fn mmr(
    candidates: &[(usize, f32)],
    want: usize,
    lambda: f32,
    similarity: impl Fn(usize, usize) -> f32,
) -> Vec<(usize, f32)> {
    // Each remaining candidate with its largest similarity to those picked.
    let mut remaining: Vec<((usize, f32), f32)> = candidates.iter().map(|c| (*c, 0.0)).collect();
    let mut picked: Vec<(usize, f32)> = Vec::with_capacity(want);
    while picked.len() < want && !remaining.is_empty() {
        if let Some((last, _)) = picked.last() {
            for ((i, _), redundancy) in &mut remaining {
                *redundancy = redundancy.max(similarity(*i, *last));
            }
        }
        let mut best = 0;
        let mut best_value = f32::NEG_INFINITY;
        for (k, ((_, score), redundancy)) in remaining.iter().enumerate() {
            let value = lambda * score - (1.0 - lambda) * redundancy;
            if value > best_value {
                best_value = value;
                best = k;
            }
        }
        picked.push(remaining.swap_remove(best).0);
    }
    picked
}

#[cfg(test)]
mod tests;
