//! What ranking reads of the consultants, eight at a time in the blocks'
//! slot order, and a bound on the eight totals computed together.
//!
//! The bound is the score's own formula on inputs that are at most a hair
//! below the real ones (the next free slot kept to the minute, before the
//! real one), so each lane's bound is within `SLACK` of a value at least its
//! real total; a consultant whose bound plus `SLACK` is below the pool's
//! last member cannot enter it, and most never reach exact scoring.

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

/// Per chunk, the best each input reaches over its lanes that take any
/// language (columns, so that a query bounds every chunk in one vectorised
/// pass): what bounds the features other than values for a whole chunk.
#[derive(Debug, Default)]
pub(super) struct ChunkTable {
    langs: Vec<u32>,
    specialties: Vec<u32>,
    soonest_minute: Vec<i32>,
    /// 1 when some lane's next free slot is unknown, else 0.
    unknown: Vec<f32>,
    rating: Vec<f32>,
    least_shown: Vec<f32>,
}

impl ChunkTable {
    /// Sets chunk `c`'s row from its lanes (growing the table as needed).
    pub fn set(&mut self, c: usize, f: &LaneFacts) {
        if self.langs.len() <= c {
            let n = c + 1;
            self.langs.resize(n, 0);
            self.specialties.resize(n, 0);
            self.soonest_minute.resize(n, i32::MAX);
            self.unknown.resize(n, 0.0);
            self.rating.resize(n, 0.0);
            self.least_shown.resize(n, 0.0);
        }
        let (mut langs, mut specialties, mut soonest, mut unknown) = (0, 0, i32::MAX, 0.0);
        let (mut rating, mut least_shown) = (f32::NEG_INFINITY, f32::INFINITY);
        for l in 0..LANES {
            if f.langs[l] == 0 {
                continue;
            }
            langs |= f.langs[l];
            specialties |= f.specialties[l];
            if f.unknown[l] != 0.0 {
                unknown = 1.0;
            } else {
                soonest = soonest.min(f.next_minute[l]);
            }
            rating = rating.max(f.rating[l]);
            least_shown = least_shown.min(f.shown[l]);
        }
        self.langs[c] = langs;
        self.specialties[c] = specialties;
        self.soonest_minute[c] = soonest;
        self.unknown[c] = unknown;
        // An empty chunk bounds nothing: its row is never read (no languages).
        self.rating[c] = if langs == 0 { 0.0 } else { rating };
        self.least_shown[c] = if langs == 0 { 0.0 } else { least_shown };
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

    /// For every chunk, the most the features other than values add to
    /// the total of any of its lanes (within the slack); NEG_INFINITY when
    /// no lane takes the query's languages. One branch-free pass over the
    /// table's columns.
    pub fn others(&self, t: &ChunkTable, out: &mut Vec<f32>) {
        let [_, ws, wa, wr] = self.weights;
        out.clear();
        out.extend(
            t.langs
                .iter()
                .zip(&t.specialties)
                .zip(t.soonest_minute.iter().zip(&t.unknown))
                .zip(t.rating.iter().zip(&t.least_shown))
                .map(
                    |(((langs, specialties), (soonest, unknown)), (rating, shown))| {
                        let specialty = popcount(self.topics & specialties) as f32 * self.per_topic
                            + self.no_topics;
                        let minutes = soonest.wrapping_sub(self.now_minute).max(0) as f32;
                        let soon = (1.0 - minutes * PER_MINUTE_OF_TWO_WEEKS).clamp(0.0, 1.0);
                        let availability = soon.max(0.2 * unknown);
                        let other = ws * specialty
                            + wa * availability
                            + wr * rating
                            + self.boost * (1.0 - shown * self.per_shown);
                        if langs & self.languages == 0 {
                            f32::NEG_INFINITY
                        } else {
                            other
                        }
                    },
                ),
        );
    }

    /// The bound on a value term for similarity `sim`.
    pub fn values(&self, sim: f32) -> f32 {
        self.weights[0] * ((sim + 1.0) * 0.5)
    }

    /// The eight lanes' bounds given their similarities; NEG_INFINITY for
    /// lanes whose languages the query does not take. Written without
    /// branches so that it compiles to vector instructions on the baseline
    /// x86-64 target (SSE2): no division, a bit-counting popcount, selects.
    pub fn bounds(&self, f: &LaneFacts, sims: &[f32; LANES]) -> [f32; LANES] {
        let [wv, ws, wa, wr] = self.weights;
        let mut out = [0.0f32; LANES];
        for l in 0..LANES {
            let values = (sims[l] + 1.0) * 0.5;
            let specialty =
                popcount(self.topics & f.specialties[l]) as f32 * self.per_topic + self.no_topics;
            let minutes = f.next_minute[l].wrapping_sub(self.now_minute).max(0) as f32;
            let soon = (1.0 - minutes * PER_MINUTE_OF_TWO_WEEKS).clamp(0.0, 1.0);
            let availability = soon + f.unknown[l] * (0.2 - soon);
            let total = wv * values
                + ws * specialty
                + wa * availability
                + wr * f.rating[l]
                + self.boost * (1.0 - f.shown[l] * self.per_shown);
            out[l] = if f.langs[l] & self.languages == 0 {
                f32::NEG_INFINITY
            } else {
                total
            };
        }
        out
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
