//! The in-memory match index: an `ndarray` matrix of consultants' values
//! vectors (ipsatised, unit length) plus per-consultant features, loaded at
//! start and kept current by the service's writes and events. A request scores
//! every consultant with one matrix–vector product; no database query per
//! candidate. The plain top-k by similarity searches a blocked copy of the
//! vectors that skips whole blocks (`blocks`).

mod blocks;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, RwLock};

use ndarray::{Array1, Array2, ArrayView1, Axis};
use shared::ids::OrgId;

use self::blocks::Blocks;
use crate::domain::instrument::DIMS;
use crate::domain::profile::{ApprovalStatus, ConsultantId};
use crate::domain::ranking::{
    Features, Weights, availability_feature, bayesian_rating, mmr, specialty_feature,
};
use crate::domain::taxonomy::{LANGUAGES, SPECIALTIES, mask};
use crate::store::ConsultantRecord;

/// What the index keeps about a consultant besides the vector.
#[derive(Clone, Debug)]
pub struct Entry {
    /// The stored record (profile, status, next free slot).
    pub record: Arc<ConsultantRecord>,
    /// Specialties as a bitmask over `SPECIALTIES`.
    pub specialties: u32,
    /// Languages as a bitmask over `LANGUAGES`.
    pub languages: u32,
    /// Sum and count of session ratings.
    pub ratings: (f32, u32),
    /// Whether the consultant answered the assessment.
    pub has_vector: bool,
}

impl Entry {
    fn eligible(&self) -> bool {
        self.record.status == ApprovalStatus::Approved && self.record.profile.accepting_clients
    }

    /// The Bayesian rating and number of ratings.
    pub fn rating(&self) -> (f32, u32) {
        (
            bayesian_rating(self.ratings.0, self.ratings.1),
            self.ratings.1,
        )
    }
}

struct Data {
    ids: Vec<ConsultantId>,
    pos: HashMap<ConsultantId, usize>,
    vectors: Array2<f32>,
    /// The same vectors in spatially coherent blocks, for exact top-k.
    blocks: Blocks,
    entries: Vec<Entry>,
    shown: Vec<u32>,
    /// `shown` as it stood at the start of `exposure_hour`: what the
    /// fair-exposure boost reads, so one person's reads never shift another
    /// person's ranking within the hour.
    exposure: Vec<u32>,
    /// The hour (ms since the epoch / 3,600,000) `exposure` was taken in.
    exposure_hour: i64,
}

impl Default for Data {
    fn default() -> Self {
        Self {
            ids: Vec::new(),
            pos: HashMap::new(),
            vectors: Array2::zeros((0, DIMS)),
            blocks: Blocks::default(),
            entries: Vec::new(),
            shown: Vec::new(),
            exposure: Vec::new(),
            exposure_hour: i64::MIN,
        }
    }
}

/// What an employee asks for.
#[derive(Clone, Debug)]
pub struct MatchQuery {
    /// The employee's matching-form vector.
    pub vector: [f32; DIMS],
    /// Topics as a bitmask over `SPECIALTIES`.
    pub topics: u32,
    /// Languages the employee can hold a session in (bitmask over `LANGUAGES`).
    pub languages: u32,
    /// The employee's org: its affiliated consultants are never proposed.
    pub org: Option<OrgId>,
    /// Consultants never to propose (excluded, or already shown).
    pub skip: HashSet<ConsultantId>,
    /// Feature weights (normalised).
    pub weights: Weights,
    /// Now, epoch ms.
    pub now_ms: i64,
    /// How many to return.
    pub want: usize,
    /// Fair-exposure boost strength (0 = pure score).
    pub exposure_boost: f32,
    /// MMR trade-off (1 = pure score).
    pub mmr_lambda: f32,
}

/// One ranked candidate.
#[derive(Clone, Debug)]
pub struct Ranked {
    /// Who.
    pub entry: Entry,
    /// Their matching-form vector.
    pub vector: [f32; DIMS],
    /// Feature values.
    pub features: Features,
    /// The weighted score (without the exposure boost).
    pub score: f32,
}

/// The index.
#[derive(Default)]
pub struct MatchIndex {
    data: RwLock<Data>,
}

impl std::fmt::Debug for MatchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MatchIndex")
            .field("consultants", &self.len())
            .finish()
    }
}

fn entry_for(record: ConsultantRecord, ratings: (f32, u32), has_vector: bool) -> Entry {
    Entry {
        specialties: mask(&SPECIALTIES, &record.profile.specialties),
        languages: mask(&LANGUAGES, &record.profile.languages),
        record: Arc::new(record),
        ratings,
        has_vector,
    }
}

impl MatchIndex {
    /// Builds the index from the stored catalogue.
    pub fn build(
        records: Vec<ConsultantRecord>,
        vectors: &HashMap<ConsultantId, [f32; DIMS]>,
        ratings: &HashMap<ConsultantId, (f32, u32)>,
    ) -> Self {
        let n = records.len();
        let mut data = Data {
            vectors: Array2::zeros((n, DIMS)),
            ..Data::default()
        };
        let mut by_position = vec![[0.0f32; DIMS]; n];
        for (i, record) in records.into_iter().enumerate() {
            let id = record.id;
            let vector = vectors.get(&id);
            if let Some(v) = vector {
                data.vectors.row_mut(i).assign(&ArrayView1::from(&v[..]));
                by_position[i] = *v;
            }
            data.pos.insert(id, i);
            data.ids.push(id);
            data.entries.push(entry_for(
                record,
                ratings.get(&id).copied().unwrap_or_default(),
                vector.is_some(),
            ));
            data.shown.push(0);
            data.exposure.push(0);
        }
        data.blocks = Blocks::build(&by_position);
        Self {
            data: RwLock::new(data),
        }
    }

    /// Number of consultants.
    pub fn len(&self) -> usize {
        self.data.read().map_or(0, |d| d.ids.len())
    }

    /// Whether the index is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A consultant's entry.
    pub fn get(&self, id: ConsultantId) -> Option<Entry> {
        let data = self.data.read().ok()?;
        data.pos.get(&id).map(|&i| data.entries[i].clone())
    }

    /// Approved consultants (for listing and filtering search results).
    pub fn approved(&self) -> Vec<Entry> {
        self.data
            .read()
            .map(|d| {
                d.entries
                    .iter()
                    .filter(|e| e.record.status == ApprovalStatus::Approved)
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Inserts or replaces a consultant's record (keeping vector and ratings).
    pub fn upsert(&self, record: ConsultantRecord) {
        let Ok(mut data) = self.data.write() else {
            return;
        };
        let id = record.id;
        match data.pos.get(&id).copied() {
            Some(i) => {
                let old = &data.entries[i];
                let entry = entry_for(record, old.ratings, old.has_vector);
                data.entries[i] = entry;
            }
            None => {
                let i = data.ids.len();
                let zeros = Array1::<f32>::zeros(DIMS);
                if data.vectors.push_row(zeros.view()).is_err() {
                    // Not in standard layout: rebuild the matrix with the new row.
                    let mut grown = Array2::zeros((i + 1, DIMS));
                    for (r, row) in data.vectors.rows().into_iter().enumerate() {
                        grown.row_mut(r).assign(&row);
                    }
                    data.vectors = grown;
                }
                data.blocks.push([0.0; DIMS]);
                data.pos.insert(id, i);
                data.ids.push(id);
                data.entries.push(entry_for(record, (0.0, 0), false));
                data.shown.push(0);
                data.exposure.push(0);
            }
        }
    }

    /// Sets a consultant's values vector (matching form).
    pub fn set_vector(&self, id: ConsultantId, vector: [f32; DIMS]) {
        let Ok(mut data) = self.data.write() else {
            return;
        };
        if let Some(&i) = data.pos.get(&id) {
            data.vectors
                .row_mut(i)
                .assign(&ArrayView1::from(&vector[..]));
            data.blocks.set(i, vector);
            data.entries[i].has_vector = true;
        }
    }

    /// Sets a consultant's rating sum and count (as the table holds them).
    pub fn set_ratings(&self, id: ConsultantId, total: f32, count: u32) {
        let Ok(mut data) = self.data.write() else {
            return;
        };
        if let Some(&i) = data.pos.get(&id) {
            data.entries[i].ratings = (total, count);
        }
    }

    /// Counts that these consultants were shown to someone at `now_ms`.
    /// The first count of a new hour first takes the snapshot the boost
    /// reads during that hour.
    pub fn record_shown(&self, ids: &[ConsultantId], now_ms: i64) {
        let Ok(mut data) = self.data.write() else {
            return;
        };
        let hour = now_ms.div_euclid(3_600_000);
        if hour != data.exposure_hour {
            data.exposure = data.shown.clone();
            data.exposure_hour = hour;
        }
        for id in ids {
            if let Some(&i) = data.pos.get(id) {
                data.shown[i] = data.shown[i].saturating_add(1);
            }
        }
    }

    /// How often each consultant was shown (for fairness measurements).
    pub fn shown_counts(&self) -> Vec<u32> {
        self.data
            .read()
            .map_or_else(|_| Vec::new(), |d| d.shown.clone())
    }

    /// The ids of the `k` consultants whose vectors are most similar to `q`,
    /// best first (ties to the earlier consultant): exactly the brute-force
    /// top-k, found without reading the blocks that cannot hold any of it.
    pub fn top_k_similar(&self, q: &[f32; DIMS], k: usize) -> Vec<(ConsultantId, f32)> {
        self.data.read().map_or_else(
            |_| Vec::new(),
            |d| {
                let found = d.blocks.top_k(q, k);
                found.into_iter().map(|(s, i)| (d.ids[i], s)).collect()
            },
        )
    }

    /// The same as `top_k_similar` from scoring every consultant: the search's
    /// worst case, for the benchmark.
    pub fn top_k_similar_full_scan(&self, q: &[f32; DIMS], k: usize) -> Vec<(ConsultantId, f32)> {
        self.data.read().map_or_else(
            |_| Vec::new(),
            |d| {
                let found = d.blocks.full_scan(q, k);
                found.into_iter().map(|(s, i)| (d.ids[i], s)).collect()
            },
        )
    }

    /// Ranks eligible consultants for an employee: score every one, take the
    /// best few, re-rank them for variety, return `want`.
    pub fn rank(&self, query: &MatchQuery) -> Vec<Ranked> {
        let Ok(data) = self.data.read() else {
            return Vec::new();
        };
        if data.ids.is_empty() || query.want == 0 {
            return Vec::new();
        }
        let sims = data.vectors.dot(&ArrayView1::from(&query.vector[..]));
        let employee_has_vector = query.vector.iter().any(|v| *v != 0.0);
        let max_shown = data.exposure.iter().copied().max().unwrap_or(0) as f32;
        let mut scored: Vec<(usize, f32, f32, Features)> = Vec::with_capacity(data.ids.len());
        for (i, entry) in data.entries.iter().enumerate() {
            if !entry.eligible()
                || entry.languages & query.languages == 0
                || query.skip.contains(&data.ids[i])
                || query
                    .org
                    .is_some_and(|org| entry.record.profile.affiliated_org_ids.contains(&org))
            {
                continue;
            }
            let values = if employee_has_vector && entry.has_vector {
                (sims[i] + 1.0) / 2.0
            } else {
                0.5
            };
            let (rating, _) = entry.rating();
            let features = Features {
                values,
                specialty: specialty_feature(query.topics, entry.specialties),
                availability: availability_feature(entry.record.next_available_at, query.now_ms),
                rating: (rating - 1.0) / 4.0,
            };
            let score = query.weights.score(&features);
            let boost = query.exposure_boost * (1.0 - data.exposure[i] as f32 / (max_shown + 1.0));
            scored.push((i, score + boost, score, features));
        }
        let pool = (query.want * 5).max(50).min(scored.len());
        if pool == 0 {
            return Vec::new();
        }
        scored.select_nth_unstable_by(pool - 1, |a, b| b.1.total_cmp(&a.1));
        scored.truncate(pool);
        let candidates: Vec<(usize, f32)> =
            scored.iter().enumerate().map(|(k, s)| (k, s.1)).collect();
        let row = |k: usize| data.vectors.index_axis(Axis(0), scored[k].0);
        let similarity = |a: usize, b: usize| {
            let values = (row(a).dot(&row(b)) + 1.0) / 2.0;
            let (sa, sb) = (
                data.entries[scored[a].0].specialties,
                data.entries[scored[b].0].specialties,
            );
            let union = (sa | sb).count_ones().max(1) as f32;
            0.6 * values + 0.4 * (sa & sb).count_ones() as f32 / union
        };
        mmr(&candidates, query.want, query.mmr_lambda, similarity)
            .into_iter()
            .map(|(k, _)| {
                let (i, _, score, features) = scored[k];
                let mut vector = [0.0f32; DIMS];
                for (d, v) in data.vectors.row(i).iter().enumerate() {
                    vector[d] = *v;
                }
                Ranked {
                    entry: data.entries[i].clone(),
                    vector,
                    features,
                    score,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use proptest::prelude::*;

    use super::*;
    use crate::domain::profile::ProfileDraft;

    fn record(
        n: usize,
        status: ApprovalStatus,
        accepting: bool,
        languages: &[&str],
        affiliated: Vec<OrgId>,
    ) -> ConsultantRecord {
        ConsultantRecord {
            id: ConsultantId(uuid::Uuid::from_u128(n as u128 + 1)),
            profile: ProfileDraft {
                display_name: format!("c{n}"),
                headline: "h".into(),
                message: String::new(),
                qualification: "national_career_consultant".into(),
                registration_number: "12345678".into(),
                specialties: vec![SPECIALTIES[n % SPECIALTIES.len()].code.into()],
                industries: vec![],
                languages: languages.iter().map(|l| (*l).to_owned()).collect(),
                years_experience: 5,
                region: "kanto".into(),
                gender: None,
                age_band: None,
                session_formats: vec!["video".into()],
                affiliated_org_ids: affiliated,
                accepting_clients: accepting,
            },
            status,
            next_available_at: None,
            updated_at: 0,
        }
    }

    fn unit(seed: u64) -> [f32; DIMS] {
        let mut v = [0.0f32; DIMS];
        let mut x = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        for d in v.iter_mut() {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            *d = ((x >> 33) as f32 / (1u64 << 31) as f32) - 0.5;
        }
        let norm = v.iter().map(|a| a * a).sum::<f32>().sqrt().max(1e-6);
        v.map(|a| a / norm)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Whatever the catalogue, candidates are eligible, distinct, and as
        /// many as asked for when that many are eligible.
        #[test]
        fn candidates_are_always_eligible_and_exactly_as_many_as_asked(
            states in proptest::collection::vec((0u8..4, any::<bool>(), 0u8..3, any::<bool>(), any::<u64>()), 1..120),
            excluded_every in 2usize..9,
            want in 1usize..25,
            boost in 0.0f32..0.2,
            lambda in 0.5f32..1.0,
        ) {
            let org = OrgId(uuid::Uuid::from_u128(999));
            let other = OrgId(uuid::Uuid::from_u128(998));
            let records: Vec<ConsultantRecord> = states.iter().enumerate().map(|(n, (s, accepting, lang, affiliated, _))| {
                let status = [ApprovalStatus::Approved, ApprovalStatus::Pending, ApprovalStatus::Rejected, ApprovalStatus::Suspended][*s as usize % 4];
                let languages: &[&str] = match lang { 0 => &["ja"], 1 => &["en"], _ => &["ja", "en"] };
                record(n, status, *accepting, languages, if *affiliated { vec![org] } else { vec![other] })
            }).collect();
            let vectors: HashMap<ConsultantId, [f32; DIMS]> = records.iter().zip(&states).map(|(r, s)| (r.id, unit(s.4))).collect();
            let skip: HashSet<ConsultantId> = records.iter().enumerate().filter(|(n, _)| n % excluded_every == 0).map(|(_, r)| r.id).collect();
            let eligible: HashSet<ConsultantId> = records.iter().filter(|r| {
                r.status == ApprovalStatus::Approved && r.profile.accepting_clients && r.profile.languages.iter().any(|l| l == "ja")
                    && !r.profile.affiliated_org_ids.contains(&org) && !skip.contains(&r.id)
            }).map(|r| r.id).collect();
            let index = MatchIndex::build(records, &vectors, &HashMap::new());
            let query = MatchQuery {
                vector: unit(7), topics: 0b101, languages: mask(&LANGUAGES, &["ja"]), org: Some(org), skip,
                weights: Weights::default(), now_ms: 0, want, exposure_boost: boost, mmr_lambda: lambda,
            };
            let ranked = index.rank(&query);
            prop_assert_eq!(ranked.len(), want.min(eligible.len()));
            let ids: HashSet<ConsultantId> = ranked.iter().map(|r| r.entry.record.id).collect();
            prop_assert_eq!(ids.len(), ranked.len(), "no consultant twice");
            prop_assert!(ids.is_subset(&eligible), "an ineligible consultant was proposed");
        }
    }

    #[test]
    fn the_most_similar_come_first_without_diversity_or_boost() {
        let records: Vec<_> = (0..50)
            .map(|n| record(n, ApprovalStatus::Approved, true, &["ja"], vec![]))
            .collect();
        let vectors: HashMap<_, _> = records
            .iter()
            .enumerate()
            .map(|(n, r)| (r.id, unit(n as u64)))
            .collect();
        let target = records[17].id;
        let index = MatchIndex::build(records, &vectors, &HashMap::new());
        let q = unit(17);
        assert_eq!(index.top_k_similar(&q, 1)[0].0, target);
        let query = MatchQuery {
            vector: q,
            topics: 0,
            languages: mask(&LANGUAGES, &["ja"]),
            org: None,
            skip: HashSet::new(),
            weights: Weights {
                values: 1.0,
                specialty: 0.0,
                availability: 0.0,
                rating: 0.0,
            },
            now_ms: 0,
            want: 1,
            exposure_boost: 0.0,
            mmr_lambda: 1.0,
        };
        assert_eq!(index.rank(&query)[0].entry.record.id, target);
    }

    #[test]
    fn upserts_grow_the_matrix_and_keep_vectors() {
        let index = MatchIndex::build(
            vec![record(0, ApprovalStatus::Approved, true, &["ja"], vec![])],
            &HashMap::new(),
            &HashMap::new(),
        );
        let new = record(1, ApprovalStatus::Approved, true, &["ja"], vec![]);
        let id = new.id;
        index.upsert(new);
        index.set_vector(id, unit(3));
        assert_eq!(index.len(), 2);
        assert_eq!(index.top_k_similar(&unit(3), 1)[0].0, id);
        let mut changed = record(1, ApprovalStatus::Suspended, true, &["ja"], vec![]);
        changed.profile.display_name = "renamed".into();
        index.upsert(changed);
        assert_eq!(
            index.top_k_similar(&unit(3), 1)[0].0,
            id,
            "the vector survives a profile change"
        );
        assert_eq!(index.approved().len(), 1);
    }
}

#[cfg(test)]
mod scan_tests {
    use std::collections::HashMap;

    use proptest::prelude::*;

    use super::*;
    use crate::domain::profile::ProfileDraft;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// The blocked, vectorised scan returns exactly the brute-force top-k
        /// (sizes around the block and lane boundaries included).
        #[test]
        fn the_fast_scan_equals_brute_force(n in 1usize..2500, k in 1usize..15, seed in any::<u64>()) {
            let mut x = seed | 1;
            let mut next = || {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x >> 40) as f32 / (1u64 << 24) as f32 - 0.5
            };
            let mut records = Vec::new();
            let mut vectors = HashMap::new();
            let mut raw = Vec::new();
            for i in 0..n {
                let id = ConsultantId(uuid::Uuid::from_u128(i as u128 + 1));
                let v: [f32; DIMS] = std::array::from_fn(|_| next());
                vectors.insert(id, v);
                raw.push((id, v));
                records.push(ConsultantRecord {
                    id,
                    profile: ProfileDraft {
                        display_name: String::new(), headline: String::new(), message: String::new(),
                        qualification: String::new(), registration_number: String::new(), specialties: vec![],
                        industries: vec![], languages: vec![], years_experience: 0, region: String::new(),
                        gender: None, age_band: None, session_formats: vec![],
                        affiliated_org_ids: vec![], accepting_clients: true,
                    },
                    status: ApprovalStatus::Approved,
                    next_available_at: None,
                    updated_at: 0,
                });
            }
            let q: [f32; DIMS] = std::array::from_fn(|_| next());
            let index = MatchIndex::build(records, &vectors, &HashMap::new());
            let fast: Vec<ConsultantId> = index.top_k_similar(&q, k).into_iter().map(|(id, _)| id).collect();
            let mut brute: Vec<(ConsultantId, f32)> = raw.iter().map(|(id, v)| (*id, v.iter().zip(&q).map(|(a, b)| a * b).sum())).collect();
            brute.sort_by(|a, b| b.1.total_cmp(&a.1));
            let expected: Vec<ConsultantId> = brute.iter().take(k).map(|(id, _)| *id).collect();
            prop_assert_eq!(fast, expected);
        }
    }
}
