//! Ranking for an employee: the exact best `pool` consultants by their full
//! score (values, specialty, availability, rating, plus the exposure boost),
//! then MMR over that pool for variety.
//!
//! The pool is found block by block:
//! - a block's bound is its cone's bound on similarity, as a values term,
//!   plus a bound on what the other features add to any of its members (the
//!   best of each input over its members, and over its members with each
//!   specialty: `lanes::BlockTable`), computed for every block in a few
//!   passes over the table's columns (one, then one per topic);
//!   blocks whose bound cannot reach the pool are never read;
//! - the blocks that may reach it are read (the eight with the best bounds
//!   first, for a good floor early; then the rest in the order they are
//!   stored); in each, a chunk of eight first gets its lanes' other terms
//!   (`lanes`, exact within the slack) and is passed over when its best
//!   lane plus the block's values bound cannot reach the pool; otherwise
//!   its eight similarities bound its eight totals, and only consultants
//!   whose bound reaches the pool are scored exactly.
//!
//! That pass is compiled for the baseline x86-64 target and with AVX2
//! (eight lanes in one register), and the second runs where the processor
//! has it (`multiversion`). Rust never fuses a multiplication and an
//! addition unless asked (`mul_add`), so both copies round every operation
//! alike, and an exact score (`dot8`, `score`) is the same bits in either;
//! the bounds need only be bounds in each.
//!
//! Each bound is at most a small slack below a real maximum (the lanes keep
//! slots to the minute; f32 sums in another order), so every comparison
//! allows twice that slack: nothing that could enter the pool is passed
//! over, and the pool is exactly what scoring everyone gives
//! (`best_pool_exhaustive`), ties going to the earlier position.
//!
//! Tried and dropped (2026-12-08, `taiwa bench matching`): bounding every
//! chunk first, by its own cone and the best of each input over its eight
//! lanes, and reading only the chunks whose bound reached the pool. Those
//! bounds cost as much as reading the lanes (75–110 µs for 12,800 chunks),
//! and a quarter to two fifths of the chunks still passed, as one lane
//! rarely has the best of every input; with each lane's own terms a few
//! percent do. Also dropped: the remaining blocks best bound first (blocks
//! far apart in memory one after the other; 20–25 % slower), a first
//! round of 32 blocks instead of 8, and working out a block's eight-lane
//! terms in a pass of their own before its similarities.

use multiversion::multiversion;

use super::blocks::{LANES, dot8};
use super::facts::Facts;
use super::lanes::Terms;
use super::{Data, MatchQuery, Ranked};
use crate::domain::instrument::DIMS;
use crate::domain::ranking::{Features, availability_feature, mmr, specialty_feature};

/// Blocks scanned first, best bound first, for a good floor early; the rest
/// that may still reach the pool follow in storage order.
const FIRST_BLOCKS: usize = 8;

/// One consultant scored for one query.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Scored {
    /// Index position.
    pub position: usize,
    /// Score plus exposure boost: what the pool is chosen by.
    pub total: f32,
    /// The weighted score without the boost.
    pub score: f32,
    /// The features.
    pub features: Features,
}

/// Whether `a` ranks ahead of `b`: higher total, then lower position.
fn ahead(a: &Scored, b: &Scored) -> bool {
    a.total
        .total_cmp(&b.total)
        .then(b.position.cmp(&a.position))
        .is_gt()
}

/// Inserts into the sorted pool of at most `size`.
fn insert(best: &mut Vec<Scored>, size: usize, new: Scored) {
    if best.len() == size && !best.last().is_some_and(|last| ahead(&new, last)) {
        return;
    }
    let at = best.partition_point(|e| ahead(e, &new));
    best.insert(at, new);
    best.truncate(size);
}

/// The query's vector, or zeros when it is not finite (then values are
/// neutral for everyone).
fn query_vector(query: &MatchQuery) -> [f32; DIMS] {
    if query.vector.iter().all(|x| x.is_finite()) {
        query.vector
    } else {
        [0.0; DIMS]
    }
}

/// One ranking's search: the query, its vector and prepared terms, and the
/// pool's size.
struct Scan<'a> {
    q: &'a [f32; DIMS],
    query: &'a MatchQuery,
    terms: &'a Terms,
    /// By block, its cone's bound on similarity as a values term.
    block_values: &'a [f32],
    size: usize,
}

impl Scan<'_> {
    /// What a bound must reach for its consultants to enter the pool: the
    /// pool's last total, less twice the slack (a lane's bound may fall one
    /// slack short of its total, and sums taken in another order a hair
    /// more). Unbounded below while the pool is not full.
    fn floor(&self, best: &[Scored]) -> f32 {
        if best.len() == self.size {
            best[self.size - 1].total - 2.0 * self.terms.slack()
        } else {
            f32::NEG_INFINITY
        }
    }
}

/// How many candidates MMR chooses from for `want`.
pub(super) fn pool_size(want: usize) -> usize {
    (want * 5).max(50)
}

impl Data {
    /// The exposure boost of someone shown `shown` times in the snapshot.
    fn boost(&self, query: &MatchQuery, shown: u32) -> f32 {
        query.exposure_boost * (1.0 - shown as f32 / (self.max_exposure as f32 + 1.0))
    }

    /// Scores position `p`, with facts `f`, whose similarity to the query is `sim`.
    fn score(&self, p: usize, f: &Facts, sim: f32, query: &MatchQuery) -> Scored {
        let features = Features {
            values: (sim + 1.0) / 2.0,
            specialty: specialty_feature(query.topics, f.specialties),
            availability: availability_feature(f.next_available, query.now_ms),
            rating: f.rating,
        };
        let score = query.weights.score(&features);
        Scored {
            position: p,
            total: score + self.boost(query, f.shown),
            score,
            features,
        }
    }

    /// Whether the query may be shown position `p` at all.
    fn proposable(&self, p: usize, query: &MatchQuery) -> bool {
        self.facts[p].langs & query.languages != 0 && self.allowed(p, query)
    }

    /// Whether the query's exclusions and org allow position `p`.
    fn allowed(&self, p: usize, query: &MatchQuery) -> bool {
        !query.skip.contains(&self.ids[p])
            && !query.org.is_some_and(|org| {
                self.entries[p]
                    .record
                    .profile
                    .affiliated_org_ids
                    .contains(&org)
            })
    }

    /// The best `size` proposable consultants by total, best first.
    pub(super) fn best_pool(&self, query: &MatchQuery, size: usize) -> Vec<Scored> {
        self.search(query, size).0
    }

    /// How many chunks `best_pool` scores.
    #[cfg(any(test, feature = "bench"))]
    pub(super) fn chunks_scanned(&self, query: &MatchQuery, size: usize) -> usize {
        self.search(query, size).1
    }

    /// The pool and the number of chunks scored to find it.
    fn search(&self, query: &MatchQuery, size: usize) -> (Vec<Scored>, usize) {
        let q = query_vector(query);
        let mut best = Vec::with_capacity(size + 1);
        if size == 0 {
            return (best, 0);
        }
        let terms = Terms::new(query, self.max_exposure);
        let (mut order, block_values) = self.block_bounds(&q, &terms);
        let by_bound = |a: &(f32, u32), b: &(f32, u32)| b.0.total_cmp(&a.0);
        let first = FIRST_BLOCKS.min(order.len());
        if first < order.len() && first > 0 {
            order.select_nth_unstable_by(first - 1, by_bound);
        }
        let (head, tail) = order.split_at_mut(first);
        head.sort_unstable_by(by_bound);
        let scan = Scan {
            q: &q,
            query,
            terms: &terms,
            block_values: &block_values,
            size,
        };
        let mut scanned = 0;
        for (bound, b) in head.iter() {
            scanned += self.scan_block(&scan, *bound, *b as usize, &mut best);
        }
        let floor = scan.floor(&best);
        let mut rest: Vec<(f32, u32)> = tail.iter().copied().filter(|c| c.0 >= floor).collect();
        // The rest in the order they are stored, each still skipped when
        // its bound falls below the pool: reading the blocks one after the
        // other lets the processor fetch ahead, which best bound first
        // (jumping about the catalogue) did not, at the cost of some blocks
        // scanned before the pool's floor has risen.
        rest.sort_unstable_by_key(|r| r.1);
        for (bound, b) in rest {
            scanned += self.scan_block(&scan, bound, b as usize, &mut best);
        }
        (best, scanned)
    }

    /// Every block's bound on its members' totals, with its number (NaN
    /// counts as unbounded), leaving out blocks with no member for the
    /// query's languages; and by block, its cone's bound as a values term.
    fn block_bounds(&self, q: &[f32; DIMS], terms: &Terms) -> (Vec<(f32, u32)>, Vec<f32>) {
        let q_norm = q.iter().map(|x| x * x).sum::<f32>().sqrt();
        let mut others = Vec::new();
        terms.others(&self.block_table, &mut others);
        // Paired by position below: a block without its row would be
        // dropped from the search.
        debug_assert_eq!(others.len(), self.blocks.block_count());
        let mut values = Vec::with_capacity(others.len());
        let bounds = self
            .blocks
            .bounds(q, q_norm)
            .into_iter()
            .zip(others)
            .map(|((similarity, b), others)| {
                let value = terms.values(similarity);
                values.push(if value.is_nan() { f32::INFINITY } else { value });
                let total = value + others;
                (if total.is_nan() { f32::INFINITY } else { total }, b)
            })
            .filter(|(bound, _)| *bound > f32::NEG_INFINITY)
            .collect();
        (bounds, values)
    }

    /// Scans block `b` unless its bound cannot reach the pool; returns how
    /// many chunks it scored.
    fn scan_block(&self, scan: &Scan<'_>, bound: f32, b: usize, best: &mut Vec<Scored>) -> usize {
        if bound < scan.floor(best) {
            return 0;
        }
        scan_chunks_dispatched(
            self,
            scan,
            scan.block_values[b],
            self.blocks.chunks_of(b),
            best,
        )
    }

    /// Scores the block's `chunks` whose values bound `values` (the
    /// block's cone's) plus their best lane's other terms reaches the
    /// pool: their eight similarities and the bounds on their eight totals,
    /// then exactly the lanes whose bound reaches the pool. Returns how
    /// many chunks it scored.
    #[inline(always)]
    fn scan_chunks(
        &self,
        scan: &Scan<'_>,
        values: f32,
        chunks: std::ops::Range<usize>,
        best: &mut Vec<Scored>,
    ) -> usize {
        let mut scanned = 0;
        for c in chunks {
            let others = scan.terms.lane_others(&self.lanes[c]);
            let floor = scan.floor(best);
            // NaN reaches anything: it is not below the floor.
            let reaches = |bounds: &[f32; LANES]| {
                bounds
                    .iter()
                    .fold(false, |any, b| any | (*b >= floor) | b.is_nan())
            };
            if !reaches(&others.map(|o| o + values)) {
                continue;
            }
            scanned += 1;
            let sims = dot8(self.blocks.chunk(c), scan.q);
            let bounds = scan.terms.bounds(&others, &sims);
            if reaches(&bounds) {
                self.scan_lanes(scan, c, &bounds, &sims, best);
            }
        }
        scanned
    }

    /// Scores exactly the lanes of chunk `c` whose bound reaches the pool.
    fn scan_lanes(
        &self,
        scan: &Scan<'_>,
        c: usize,
        bounds: &[f32; LANES],
        sims: &[f32; LANES],
        best: &mut Vec<Scored>,
    ) {
        let floor = scan.floor(best);
        for (lane, &p) in self.blocks.owners_of_chunk(c).iter().enumerate() {
            if bounds[lane] < floor || bounds[lane] == f32::NEG_INFINITY {
                continue;
            }
            let p = p as usize;
            let scored = self.score(p, &self.chunk_facts[c][lane], sims[lane], scan.query);
            let enters = best.len() < scan.size || best.last().is_some_and(|l| ahead(&scored, l));
            if enters && self.allowed(p, scan.query) {
                insert(best, scan.size, scored);
            }
        }
    }

    /// The same pool from scoring every consultant: the reference the
    /// search is tested against.
    pub(super) fn best_pool_exhaustive(&self, query: &MatchQuery, size: usize) -> Vec<Scored> {
        let q = query_vector(query);
        let mut all: Vec<Scored> = (0..self.ids.len())
            .filter(|p| self.proposable(*p, query))
            .map(|p| {
                let v = self.blocks.vector(p);
                let mut sim = v[0] * q[0];
                for d in 1..DIMS {
                    sim += v[d] * q[d];
                }
                self.score(p, &self.facts[p], sim, query)
            })
            .collect();
        let order = |a: &Scored, b: &Scored| {
            if ahead(a, b) {
                std::cmp::Ordering::Less
            } else if ahead(b, a) {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        };
        if size < all.len() {
            all.select_nth_unstable_by(size, order);
            all.truncate(size);
        }
        all.sort_by(order);
        all
    }

    /// Picks `want` of the pool (best first) by maximal marginal relevance.
    pub(super) fn diversify(&self, pool: &[Scored], query: &MatchQuery) -> Vec<Ranked> {
        let candidates: Vec<(usize, f32)> =
            pool.iter().enumerate().map(|(k, s)| (k, s.total)).collect();
        let vectors: Vec<[f32; DIMS]> = pool
            .iter()
            .map(|s| self.blocks.vector(s.position))
            .collect();
        let similarity = |a: usize, b: usize| {
            let dot: f32 = vectors[a].iter().zip(&vectors[b]).map(|(x, y)| x * y).sum();
            let values = (dot + 1.0) / 2.0;
            let sa = self.entries[pool[a].position].specialties;
            let sb = self.entries[pool[b].position].specialties;
            let union = (sa | sb).count_ones().max(1) as f32;
            0.6 * values + 0.4 * (sa & sb).count_ones() as f32 / union
        };
        mmr(&candidates, query.want, query.mmr_lambda, similarity)
            .into_iter()
            .map(|(k, _)| {
                let s = pool[k];
                Ranked {
                    entry: self.entries[s.position].clone(),
                    vector: vectors[k],
                    features: s.features,
                    score: s.score,
                }
            })
            .collect()
    }
}

/// `Data::scan_chunks`, compiled for the baseline x86-64 target and with
/// AVX2 (the eight lanes of a chunk in one register); the second runs where
/// the processor has AVX2. The macro's expansion calls the AVX2 copy in an
/// `unsafe` block of its own, after checking the processor; our crates
/// hold no `unsafe` of their own (the workspace forbids it).
#[multiversion(targets("x86_64+avx2"))]
fn scan_chunks_dispatched<'a>(
    data: &Data,
    scan: &Scan<'a>,
    values: f32,
    chunks: std::ops::Range<usize>,
    best: &mut Vec<Scored>,
) -> usize {
    data.scan_chunks(scan, values, chunks, best)
}

#[cfg(test)]
mod tests;
