//! The in-memory match index: consultants' values vectors (ipsatised, unit
//! length) plus per-consultant features, loaded at
//! start and kept current by the service's writes and events. No database
//! query per request or per candidate.
//!
//! The vectors are also kept in spatially coherent blocks (`blocks`), with
//! each consultant's other ranking inputs eight at a time beside them
//! (`lanes`), so that a query bounds what a block can score: the plain
//! top-k by similarity and an employee's full ranking (`rank`) both skip the
//! blocks that cannot reach the answer, and both return exactly what scoring
//! everyone would.

mod blocks;
mod facts;
mod lanes;
mod rank;

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, RwLock};

use shared::ids::OrgId;

use self::blocks::Blocks;
use self::facts::Facts;
use self::lanes::{BlockTable, LaneFacts};
use crate::domain::instrument::DIMS;
use crate::domain::profile::{ApprovalStatus, ConsultantId};
use crate::domain::ranking::{Features, Weights};
use crate::domain::taxonomy::{LANGUAGES, SPECIALTIES, mask};
use crate::store::ConsultantRecord;

mod entry;

pub use entry::Entry;

struct Data {
    ids: Vec<ConsultantId>,
    pos: HashMap<ConsultantId, usize>,
    /// The vectors, in spatially coherent blocks.
    blocks: Blocks,
    entries: Vec<Entry>,
    /// What ranking reads of each entry, compact, by position. Their
    /// `shown` is the count as it stood at the start of `exposure_hour`:
    /// what the fair-exposure boost reads, so one person's reads never
    /// shift another person's ranking within the hour.
    facts: Vec<Facts>,
    /// The same eight at a time by the blocks' chunks, so a block's scan
    /// reads them in order and bounds eight totals at once.
    lanes: Vec<LaneFacts>,
    /// The facts themselves by the same chunks, for exact scoring without
    /// reading them by position.
    chunk_facts: Vec<[Facts; blocks::LANES]>,
    /// Each block's best inputs: with its cone, they bound its members'
    /// totals (follows `blocks`).
    block_table: BlockTable,
    /// Times shown; counted under the read lock.
    shown: Vec<AtomicU32>,
    /// The largest count in the snapshot.
    max_exposure: u32,
    /// The hour (ms since the epoch / 3,600,000) `exposure` was taken in.
    exposure_hour: i64,
}

impl Default for Data {
    fn default() -> Self {
        Self {
            ids: Vec::new(),
            pos: HashMap::new(),
            blocks: Blocks::default(),
            entries: Vec::new(),
            facts: Vec::new(),
            lanes: Vec::new(),
            chunk_facts: Vec::new(),
            block_table: BlockTable::default(),
            shown: Vec::new(),
            max_exposure: 0,
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

fn entry_for(record: ConsultantRecord, ratings: (f32, u32)) -> Entry {
    Entry {
        specialties: mask(&SPECIALTIES, &record.profile.specialties),
        languages: mask(&LANGUAGES, &record.profile.languages),
        record: Arc::new(record),
        ratings,
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
        let mut data = Data::default();
        let mut by_position = vec![[0.0f32; DIMS]; n];
        for (i, record) in records.into_iter().enumerate() {
            let id = record.id;
            if let Some(v) = vectors.get(&id) {
                by_position[i] = *v;
            }
            data.pos.insert(id, i);
            data.ids.push(id);
            let entry = entry_for(record, ratings.get(&id).copied().unwrap_or_default());
            data.facts.push(Facts::of(&entry));
            data.entries.push(entry);
            data.shown.push(AtomicU32::new(0));
        }
        data.blocks = Blocks::build(&by_position);
        data.refresh_all();
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
                let entry = entry_for(record, old.ratings);
                data.entries[i] = entry;
                data.refresh(i);
            }
            None => {
                let i = data.ids.len();
                data.pos.insert(id, i);
                data.ids.push(id);
                let entry = entry_for(record, (0.0, 0));
                data.facts.push(Facts::of(&entry));
                data.entries.push(entry);
                data.shown.push(AtomicU32::new(0));
                data.move_vector(i, |blocks| blocks.push([0.0; DIMS]));
            }
        }
    }

    /// Sets a consultant's values vector (matching form).
    pub fn set_vector(&self, id: ConsultantId, vector: [f32; DIMS]) {
        let Ok(mut data) = self.data.write() else {
            return;
        };
        if let Some(&i) = data.pos.get(&id) {
            data.move_vector(i, |blocks| blocks.set(i, vector));
        }
    }

    /// Sets a consultant's rating sum and count (as the table holds them).
    pub fn set_ratings(&self, id: ConsultantId, total: f32, count: u32) {
        let Ok(mut data) = self.data.write() else {
            return;
        };
        if let Some(&i) = data.pos.get(&id) {
            data.entries[i].ratings = (total, count);
            data.refresh(i);
        }
    }

    /// Takes the exposure snapshot of `now_ms`'s hour if this is the first
    /// call in it: ranking calls this first, so a whole hour's rankings
    /// read one snapshot. The snapshot only moves forward: a late call from
    /// the hour before changes nothing.
    pub fn begin_hour(&self, now_ms: i64) {
        let hour = now_ms.div_euclid(3_600_000);
        if self.data.read().is_ok_and(|d| d.exposure_hour < hour)
            && let Ok(mut data) = self.data.write()
            && data.exposure_hour < hour
        {
            data.snapshot_exposure(hour);
        }
    }

    /// Counts that these consultants were shown to someone at `now_ms`
    /// (under the read lock: reads never wait for each other).
    pub fn record_shown(&self, ids: &[ConsultantId], now_ms: i64) {
        self.begin_hour(now_ms);
        let Ok(data) = self.data.read() else {
            return;
        };
        for id in ids {
            if let Some(&i) = data.pos.get(id) {
                let _ = data.shown[i].fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| {
                    Some(n.saturating_add(1))
                });
            }
        }
    }

    /// How often each consultant was shown (for fairness measurements).
    pub fn shown_counts(&self) -> Vec<u32> {
        self.data.read().map_or_else(
            |_| Vec::new(),
            |d| d.shown.iter().map(|n| n.load(Ordering::Relaxed)).collect(),
        )
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

    /// Ranks proposable consultants for an employee: the exact best pool by
    /// full score (blocks that cannot reach it are skipped), re-ranked for
    /// variety; returns `want`.
    pub fn rank(&self, query: &MatchQuery) -> Vec<Ranked> {
        let Ok(data) = self.data.read() else {
            return Vec::new();
        };
        if query.want == 0 {
            return Vec::new();
        }
        let pool = data.best_pool(query, rank::pool_size(query.want));
        data.diversify(&pool, query)
    }

    /// The same ranking from scoring every consultant: the search's
    /// reference and worst case, for tests and the benchmark.
    pub fn rank_exhaustive(&self, query: &MatchQuery) -> Vec<Ranked> {
        let Ok(data) = self.data.read() else {
            return Vec::new();
        };
        if query.want == 0 {
            return Vec::new();
        }
        let pool = data.best_pool_exhaustive(query, rank::pool_size(query.want));
        data.diversify(&pool, query)
    }
}

#[cfg(any(test, feature = "bench"))]
impl MatchIndex {
    /// How many chunks of eight the ranking search scores for `query`,
    /// and how many there are (for the benchmark).
    pub fn chunks_scanned(&self, query: &MatchQuery) -> (usize, usize) {
        self.data.read().map_or((0, 0), |d| {
            (
                d.chunks_scanned(query, rank::pool_size(query.want)),
                d.blocks.chunk_count(),
            )
        })
    }
}

impl Data {
    /// Runs a write to the blocks that moves position `p`, then brings the
    /// lanes and table rows up to date: the block it left and the one it
    /// joined, or every block when the write clustered them again.
    fn move_vector(&mut self, p: usize, write: impl FnOnce(&mut Blocks)) {
        let left = (p < self.blocks.len()).then(|| self.blocks.block_of(p));
        let generation = self.blocks.generation();
        write(&mut self.blocks);
        if self.blocks.generation() != generation {
            return self.refresh_all();
        }
        if let Some(b) = left {
            self.refresh_block(b);
        }
        self.refresh_block(self.blocks.block_of(p));
    }

    /// Recomputes position `p`'s facts (keeping its snapshot count) and its block.
    fn refresh(&mut self, p: usize) {
        self.facts[p] = Facts {
            shown: self.facts[p].shown,
            ..Facts::of(&self.entries[p])
        };
        self.refresh_block(self.blocks.block_of(p));
    }

    /// Block `b`'s lanes and table row from its members.
    fn refresh_block(&mut self, b: usize) {
        self.lanes
            .resize(self.blocks.chunk_count(), LaneFacts::default());
        self.chunk_facts
            .resize(self.blocks.chunk_count(), Default::default());
        let chunks = self.blocks.chunks_of(b);
        let members = self.blocks.members_of(b);
        for (k, c) in chunks.enumerate() {
            let lanes = &mut self.lanes[c];
            for lane in 0..blocks::LANES {
                let facts = members
                    .get(k * blocks::LANES + lane)
                    .map_or_else(Facts::default, |p| self.facts[*p as usize]);
                lanes.set(lane, &facts);
                self.chunk_facts[c][lane] = facts;
            }
        }
        self.block_table
            .set(b, &self.lanes[self.blocks.chunks_of(b)]);
    }

    /// Every block's lanes and table rows.
    fn refresh_all(&mut self) {
        // Clustering again may leave fewer chunks: no stale row stays.
        self.block_table = BlockTable::default();
        self.lanes.truncate(self.blocks.chunk_count());
        self.chunk_facts.truncate(self.blocks.chunk_count());
        for b in 0..self.blocks.block_count() {
            self.refresh_block(b);
        }
    }

    /// Takes the counts the boost reads during `hour`.
    fn snapshot_exposure(&mut self, hour: i64) {
        for (f, n) in self.facts.iter_mut().zip(&self.shown) {
            f.shown = n.load(Ordering::Relaxed);
        }
        self.max_exposure = self.facts.iter().map(|f| f.shown).max().unwrap_or(0);
        self.exposure_hour = hour;
        self.refresh_all();
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod scan_tests;
