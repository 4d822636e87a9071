//! What ranking reads of the consultants, eight at a time in the blocks'
//! slot order, and a bound on the eight totals computed together.
//!
//! The bound is the score's own formula on inputs that are at most a hair
//! below the real ones (the next free slot kept to the minute, before the
//! real one), so each lane's bound is within `SLACK` of a value at least its
//! real total; a consultant whose bound plus `SLACK` is below the pool's
//! last member cannot enter it, and most never reach exact scoring. A
//! block's table (`BlockTable`) bounds the same terms for all its lanes at
//! once.

use super::MatchQuery;
use super::blocks::LANES;
use super::facts::Facts;

/// What a lane's bound may fall short of its real total: the minute the
/// slot is kept to is under 5e-5 of the availability feature's two weeks,
/// and rounding in a dozen f32 operations on values below 2 is under 1e-6.
pub(super) const SLACK: f32 = 1e-3;

/// Eight consultants' ranking inputs (padding lanes take no languages).
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct LaneFacts {
    langs: [u32; LANES],
    specialties: [u32; LANES],
    /// The next free slot in minutes since the epoch, rounded down (clamped
    /// to half of i32's range, so differences never overflow).
    next_minute: [i32; LANES],
    /// 1 when the next free slot is unknown, else 0.
    unknown: [f32; LANES],
    rating: [f32; LANES],
    shown: [f32; LANES],
}

impl LaneFacts {
    /// Puts `f` in `lane`.
    pub fn set(&mut self, lane: usize, f: &Facts) {
        self.langs[lane] = f.langs;
        self.specialties[lane] = f.specialties;
        self.next_minute[lane] = f.next_available.map_or(0, minute);
        self.unknown[lane] = if f.next_available.is_none() { 1.0 } else { 0.0 };
        self.rating[lane] = f.rating;
        self.shown[lane] = f.shown as f32;
    }
}

/// The specialties that have columns of their own in the block table (the
/// taxonomy's; a topic bit beyond them is bounded by the block's best
/// inputs over all its lanes).
const BY_SPECIALTY: usize = crate::domain::taxonomy::SPECIALTIES.len();

/// Per block, the best each input reaches over some of its lanes, in
/// columns (so that a query bounds every block in a few vectorised passes).
#[derive(Debug, Default)]
struct Best {
    soonest_minute: Vec<i32>,
    /// 1 when some lane's next free slot is unknown, else 0.
    unknown: Vec<f32>,
    /// NEG_INFINITY when no lane counts: then the row bounds nothing.
    rating: Vec<f32>,
    least_shown: Vec<f32>,
}

impl Best {
    fn resize(&mut self, n: usize) {
        self.soonest_minute.resize(n, i32::MAX);
        self.unknown.resize(n, 0.0);
        self.rating.resize(n, f32::NEG_INFINITY);
        self.least_shown.resize(n, 0.0);
    }

    /// Sets row `b` from the lanes of `chunks` that `counts` picks.
    fn set(&mut self, b: usize, chunks: &[LaneFacts], counts: impl Fn(&LaneFacts, usize) -> bool) {
        let (mut soonest, mut unknown, mut any) = (i32::MAX, 0.0, false);
        let (mut rating, mut least_shown) = (f32::NEG_INFINITY, f32::INFINITY);
        for f in chunks {
            for l in (0..LANES).filter(|l| counts(f, *l)) {
                any = true;
                if f.unknown[l] != 0.0 {
                    unknown = 1.0;
                } else {
                    soonest = soonest.min(f.next_minute[l]);
                }
                rating = rating.max(f.rating[l]);
                least_shown = least_shown.min(f.shown[l]);
            }
        }
        self.soonest_minute[b] = soonest;
        self.unknown[b] = unknown;
        self.rating[b] = if any { rating } else { f32::NEG_INFINITY };
        self.least_shown[b] = if any { least_shown } else { 0.0 };
    }
}

/// What bounds the features other than values for a whole block: over its
/// lanes that take any language, the union of their languages and
/// specialties and the best of each other input; and the same best inputs
/// over only the lanes with each specialty. Most lanes have none of a
/// query's topics, so the bound for the lanes with a topic (their
/// specialty term, with their own best inputs) and the bound for the rest
/// (no specialty term, with the block's best inputs) are each tighter than
/// the block's best inputs with its union of specialties.
#[derive(Debug, Default)]
pub(super) struct BlockTable {
    langs: Vec<u32>,
    specialties: Vec<u32>,
    all: Best,
    /// By specialty, over the lanes that have it.
    by_specialty: Vec<Best>,
}

impl BlockTable {
    /// Sets block `b`'s row from its chunks' lanes (growing the table as
    /// needed).
    pub fn set(&mut self, b: usize, chunks: &[LaneFacts]) {
        if self.langs.len() <= b {
            let n = b + 1;
            self.langs.resize(n, 0);
            self.specialties.resize(n, 0);
            self.all.resize(n);
            self.by_specialty.resize_with(BY_SPECIALTY, Best::default);
            for best in &mut self.by_specialty {
                best.resize(n);
            }
        }
        let takes = |f: &LaneFacts, l: usize| f.langs[l] != 0;
        let (mut langs, mut specialties) = (0, 0);
        for f in chunks {
            for l in (0..LANES).filter(|l| takes(f, *l)) {
                langs |= f.langs[l];
                specialties |= f.specialties[l];
            }
        }
        self.langs[b] = langs;
        self.specialties[b] = specialties;
        self.all.set(b, chunks, takes);
        for (bit, best) in self.by_specialty.iter_mut().enumerate() {
            best.set(b, chunks, |f, l| {
                takes(f, l) && f.specialties[l] & (1 << bit) != 0
            });
        }
    }
}

/// Epoch ms to minutes, rounded down, within half of i32's range.
fn minute(ms: i64) -> i32 {
    let half = i64::from(i32::MAX / 2);
    ms.div_euclid(60_000).clamp(-half, half) as i32
}

/// The query's terms, prepared once per ranking.
pub(super) struct Terms {
    languages: u32,
    topics: u32,
    /// 1 / number of topics (0 without topics).
    per_topic: f32,
    /// The specialty feature without topics (0.5), else 0.
    no_topics: f32,
    weights: [f32; 4],
    now_minute: i32,
    boost: f32,
    /// 1 / (largest count shown + 1).
    per_shown: f32,
    /// `SLACK` scaled to the largest total the weights allow.
    slack: f32,
}

impl Terms {
    /// The terms of `query`, with the snapshot's largest count shown. The
    /// bounds hold for weights and a boost that are not negative, as the
    /// ranking's are (`Weights::normalised`, the trained model's clamp).
    pub fn new(query: &MatchQuery, max_shown: u32) -> Self {
        let w = &query.weights;
        debug_assert!(
            [
                w.values,
                w.specialty,
                w.availability,
                w.rating,
                query.exposure_boost
            ]
            .iter()
            .all(|x| *x >= 0.0),
            "negative weights would turn the bounds around"
        );
        Self {
            languages: query.languages,
            topics: query.topics,
            per_topic: if query.topics == 0 {
                0.0
            } else {
                1.0 / query.topics.count_ones() as f32
            },
            no_topics: if query.topics == 0 { 0.5 } else { 0.0 },
            weights: [w.values, w.specialty, w.availability, w.rating],
            // Now rounded down: a slot's distance is never overstated by
            // more than the minute it is kept to.
            now_minute: minute(query.now_ms),
            boost: query.exposure_boost,
            per_shown: 1.0 / (max_shown as f32 + 1.0),
            slack: SLACK
                * (w.values + w.specialty + w.availability + w.rating + query.exposure_boost)
                    .max(1.0),
        }
    }

    /// How far below a lane's real total its bound may fall.
    pub fn slack(&self) -> f32 {
        self.slack
    }

    /// For every block, the most the features other than values add to
    /// the total of any of its lanes (within the slack); NEG_INFINITY when
    /// no lane takes the query's languages. Lanes with none of the query's
    /// topics are bounded by the block's best inputs without a specialty
    /// term; lanes with a topic by the best inputs of the lanes with that
    /// topic, plus the specialty term of the block's union. Branch-free
    /// passes over the table's columns: one, then one per topic.
    pub fn others(&self, t: &BlockTable, out: &mut Vec<f32>) {
        let [_, ws, _, _] = self.weights;
        let n = t.langs.len();
        out.clear();
        out.resize(n, 0.0);
        self.rest(&t.all, out);
        // Without topics everyone's specialty term is the same; with them,
        // this is the term of a lane with none.
        let none = ws * self.no_topics;
        for (o, langs) in out.iter_mut().zip(&t.langs[..n]) {
            *o = if langs & self.languages == 0 {
                f32::NEG_INFINITY
            } else {
                *o + none
            };
        }
        if self.topics == 0 {
            return;
        }
        let mut with = vec![0.0; n];
        for bit in (0..32).filter(|bit| self.topics & (1 << bit) != 0) {
            // A lane with this topic: its own best inputs where the table
            // has them, else the block's.
            self.rest(t.by_specialty.get(bit).unwrap_or(&t.all), &mut with);
            for ((o, w), specialties) in out.iter_mut().zip(&with).zip(&t.specialties[..n]) {
                let w = ws * popcount(self.topics & specialties) as f32 * self.per_topic + w;
                // NEG_INFINITY (no lane for the query) stays below anything.
                *o = if *o == f32::NEG_INFINITY {
                    *o
                } else {
                    o.max(w)
                };
            }
        }
    }

    /// By block, the most availability, rating and exposure add, from the
    /// best inputs `b` (NEG_INFINITY or NaN where no lane counts), into
    /// `out` (as long as the table).
    fn rest(&self, b: &Best, out: &mut [f32]) {
        let [_, _, wa, wr] = self.weights;
        let n = out.len();
        let (soonest, unknown) = (&b.soonest_minute[..n], &b.unknown[..n]);
        let (rating, shown) = (&b.rating[..n], &b.least_shown[..n]);
        for i in 0..n {
            // The best of a slot so soon and, should a lane's be unknown, 0.2.
            let availability = self.soon(soonest[i]).max(0.2 * unknown[i]);
            out[i] = wa * availability + wr * rating[i] + self.exposure(shown[i]);
        }
    }

    /// The availability feature of a slot at `minute` (from now, kept to
    /// the minute, so at most a minute's share below the real one).
    #[inline(always)]
    fn soon(&self, minute: i32) -> f32 {
        let minutes = minute.wrapping_sub(self.now_minute).max(0) as f32;
        (1.0 - minutes * PER_MINUTE_OF_TWO_WEEKS).clamp(0.0, 1.0)
    }

    /// The exposure boost of someone shown `shown` times.
    #[inline(always)]
    fn exposure(&self, shown: f32) -> f32 {
        self.boost * (1.0 - shown * self.per_shown)
    }

    /// The bound on a value term for similarity `sim`.
    #[inline(always)]
    pub fn values(&self, sim: f32) -> f32 {
        self.weights[0] * ((sim + 1.0) * 0.5)
    }

    /// The most the features other than values add to each of the eight
    /// lanes' totals (within the slack); NEG_INFINITY for lanes whose
    /// languages the query does not take. Written without branches so
    /// that it compiles to vector instructions on the baseline x86-64
    /// target (SSE2) and with AVX2: no division, a bit-counting popcount,
    /// selects.
    #[inline(always)]
    pub fn lane_others(&self, f: &LaneFacts) -> [f32; LANES] {
        let [_, ws, wa, wr] = self.weights;
        let mut out = [0.0f32; LANES];
        for (l, out) in out.iter_mut().enumerate() {
            let specialty =
                popcount(self.topics & f.specialties[l]) as f32 * self.per_topic + self.no_topics;
            let soon = self.soon(f.next_minute[l]);
            let availability = soon + f.unknown[l] * (0.2 - soon);
            let other =
                ws * specialty + wa * availability + wr * f.rating[l] + self.exposure(f.shown[l]);
            *out = if f.langs[l] & self.languages == 0 {
                f32::NEG_INFINITY
            } else {
                other
            };
        }
        out
    }

    /// The eight lanes' bounds given what the other features add
    /// (`lane_others`) and their similarities.
    #[inline(always)]
    pub fn bounds(&self, others: &[f32; LANES], sims: &[f32; LANES]) -> [f32; LANES] {
        std::array::from_fn(|l| others[l] + self.values(sims[l]))
    }
}

/// The availability feature falls from 1 to 0 over two weeks of minutes.
const PER_MINUTE_OF_TWO_WEEKS: f32 = 1.0 / (14.0 * 1440.0);

/// Set bits of `x`, by bit arithmetic that vectorises (the baseline x86-64
/// target has no popcount instruction).
#[inline(always)]
fn popcount(x: u32) -> u32 {
    let x = x - ((x >> 1) & 0x5555_5555);
    let x = (x & 0x3333_3333) + ((x >> 2) & 0x3333_3333);
    let x = (x + (x >> 4)) & 0x0f0f_0f0f;
    let x = x + (x >> 8);
    (x + (x >> 16)) & 0x3f
}

#[cfg(test)]
mod tests;
