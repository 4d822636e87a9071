//! The search over the blocks: every block's bound from its cone, the most
//! promising blocks first, and every block skipped whose bound is below the
//! current k-th best. The bound carries a margin for f32 rounding, so the
//! result is exactly the brute-force top-k (ties go to the lower position);
//! when nothing can be skipped, the search is a full scan.

use super::{Blocks, Chunk, LANES, MAX_CHUNKS};
use crate::domain::instrument::DIMS;

/// Chunks scored together: two chunks' independent chains of adds keep the
/// floating-point units busy without running out of SSE registers.
const GROUP: usize = 2;
/// Blocks scanned, best bound first, before the rest are filtered and sorted.
const FIRST_BLOCKS: usize = 8;
/// Slack on a block's bound, relative to |q| · the block's largest norm: f32
/// rounding in a similarity or a bound is below 1e-6 of that.
const MARGIN: f32 = 1e-4;

/// One block's scores.
type Scratch = [[f32; LANES]; MAX_CHUNKS];

impl Blocks {
    /// The `k` highest dot products with `q` as (similarity, position), best
    /// first, ties to the lower position: exactly what brute force returns.
    pub fn top_k(&self, q: &[f32; DIMS], k: usize) -> Vec<(f32, usize)> {
        let q_norm = q.iter().map(|x| x * x).sum::<f32>().sqrt();
        if !q_norm.is_finite() {
            return self.full_scan(q, k);
        }
        if k == 0 || self.len() == 0 {
            return Vec::new();
        }
        let mut best = Vec::with_capacity(k + 1);
        let mut scratch: Scratch = [[0.0; LANES]; MAX_CHUNKS];
        let mut order = self.bounds(q, q_norm);
        // The few most promising blocks first, for a good k-th best early.
        let first = FIRST_BLOCKS.min(order.len());
        if first < order.len() {
            order.select_nth_unstable_by(first - 1, |a, b| b.0.total_cmp(&a.0));
        }
        let (head, tail) = order.split_at_mut(first);
        head.sort_unstable_by(|a, b| b.0.total_cmp(&a.0));
        self.scan_in_order(q, k, head.iter(), &mut best, &mut scratch);
        let kth = if best.len() == k {
            best[k - 1].0
        } else {
            f32::NEG_INFINITY
        };
        let mut rest: Vec<(f32, u32)> = tail
            .iter()
            .copied()
            .filter(|(bound, _)| bound.is_nan() || *bound >= kth)
            .collect();
        rest.sort_unstable_by(|a, b| b.0.total_cmp(&a.0));
        self.scan_in_order(q, k, rest.iter(), &mut best, &mut scratch);
        best.into_iter().map(|(s, p)| (s, p as usize)).collect()
    }

    /// The same result from scoring every vector (the worst case of `top_k`).
    pub fn full_scan(&self, q: &[f32; DIMS], k: usize) -> Vec<(f32, usize)> {
        let mut best = Vec::with_capacity(k + 1);
        let mut scratch: Scratch = [[0.0; LANES]; MAX_CHUNKS];
        if k > 0 {
            for b in 0..self.members.len() {
                self.scan_block(q, b, k, &mut best, &mut scratch);
            }
        }
        best.into_iter().map(|(s, p)| (s, p as usize)).collect()
    }

    /// Scans blocks given best bound first, until a bound falls below the k-th best.
    fn scan_in_order<'a>(
        &self,
        q: &[f32; DIMS],
        k: usize,
        blocks: impl Iterator<Item = &'a (f32, u32)>,
        best: &mut Vec<(f32, u32)>,
        scratch: &mut Scratch,
    ) {
        for (bound, b) in blocks {
            if best.len() == k && *bound < best[k - 1].0 {
                return;
            }
            self.scan_block(q, *b as usize, k, best, scratch);
        }
    }

    /// Every block's upper bound on `q · x` over its members, with its number.
    fn bounds(&self, q: &[f32; DIMS], q_norm: f32) -> Vec<(f32, u32)> {
        let mut dot = vec![0.0f32; self.members.len()];
        for (axis, w) in self.axis.iter().zip(q) {
            for (s, a) in dot.iter_mut().zip(axis) {
                *s += w * a;
            }
        }
        let inv = if q_norm > 0.0 { 1.0 / q_norm } else { 0.0 };
        dot.iter()
            .zip(self.cos_r.iter().zip(&self.sin_r))
            .zip(self.norm_max.iter().zip(&self.norm_min))
            .enumerate()
            .map(|(b, ((s, (cos_r, sin_r)), (max, min)))| {
                // The cosine of q's angle from the axis, then of the smallest
                // angle q can make with a member of the cone: cos(angle − r).
                // The 1e-5 under the root covers rounding in `c` where the
                // root is steep (near ±1).
                let c = (s * inv).clamp(-1.0, 1.0);
                let best_cos = if c >= *cos_r {
                    1.0
                } else {
                    (c * cos_r + (1.0 - c * c + 1e-5).sqrt() * sin_r).min(1.0)
                };
                let scale = if best_cos >= 0.0 { *max } else { *min };
                (q_norm * (scale * best_cos + MARGIN * max), b as u32)
            })
            .collect()
    }

    /// Scores block `b` and merges it into `best` unless it holds nothing better.
    fn scan_block(
        &self,
        q: &[f32; DIMS],
        b: usize,
        k: usize,
        best: &mut Vec<(f32, u32)>,
        scratch: &mut Scratch,
    ) {
        let (c0, c1) = (self.start[b], self.start[b + 1]);
        let chunks = &self.chunks[c0..c1];
        let sims = &mut scratch[..c1 - c0];
        let mut groups = chunks.chunks_exact(GROUP);
        let mut outs = sims.chunks_exact_mut(GROUP);
        for (group, out) in groups.by_ref().zip(outs.by_ref()) {
            let mut acc = [[0.0f32; LANES]; GROUP];
            for (a, chunk) in acc.iter_mut().zip(group) {
                *a = chunk[0].map(|x| x * q[0]);
            }
            for d in 1..DIMS {
                let w = q[d];
                for (a, chunk) in acc.iter_mut().zip(group) {
                    for (x, y) in a.iter_mut().zip(&chunk[d]) {
                        *x += y * w;
                    }
                }
            }
            out.copy_from_slice(&acc);
        }
        for (chunk, o) in groups.remainder().iter().zip(outs.into_remainder()) {
            *o = dot8(chunk, q);
        }
        let mut lanes = [f32::NEG_INFINITY; LANES];
        for out in sims.iter() {
            for (l, x) in lanes.iter_mut().zip(out) {
                *l = if *x > *l { *x } else { *l };
            }
        }
        let max = lanes
            .iter()
            .fold(f32::NEG_INFINITY, |a, x| if *x > a { *x } else { a });
        if best.len() == k && max < best[k - 1].0 {
            return;
        }
        let owners = &self.owner[c0 * LANES..c0 * LANES + self.members[b]];
        for (s, p) in sims.iter().flatten().zip(owners) {
            if best.len() < k || *s >= best[k - 1].0 {
                insert(best, k, *s, *p);
            }
        }
    }
}

/// Eight dot products at once, summed in dimension order from the first
/// product, as brute force's `sum()` does (bit for bit the same scores).
#[inline(always)]
fn dot8(chunk: &Chunk, q: &[f32; DIMS]) -> [f32; LANES] {
    let mut acc = chunk[0].map(|x| x * q[0]);
    for (column, w) in chunk.iter().zip(q).skip(1) {
        for (a, x) in acc.iter_mut().zip(column) {
            *a += x * w;
        }
    }
    acc
}

/// Whether `a` ranks ahead of `b`: higher similarity, then lower position.
fn ahead(a: (f32, u32), b: (f32, u32)) -> bool {
    a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)).is_gt()
}

/// Inserts into the sorted k-best list.
#[inline]
fn insert(best: &mut Vec<(f32, u32)>, k: usize, s: f32, position: u32) {
    let new = (s, position);
    if best.len() == k && !ahead(new, best[k - 1]) {
        return;
    }
    let at = best.partition_point(|e| ahead(*e, new));
    best.insert(at, new);
    best.truncate(k);
}

#[cfg(test)]
mod tests;
