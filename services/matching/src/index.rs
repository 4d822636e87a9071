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
use crate::domain::ranking::{Features, Weights, availability_feature, mmr, specialty_feature};
use crate::domain::taxonomy::{LANGUAGES, SPECIALTIES, mask};
use crate::store::ConsultantRecord;

mod entry;

pub use entry::Entry;

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
mod tests;

#[cfg(test)]
mod scan_tests;
