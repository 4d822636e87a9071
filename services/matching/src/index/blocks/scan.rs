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
    pub(in crate::index) fn bounds(&self, q: &[f32; DIMS], q_norm: f32) -> Vec<(f32, u32)> {
        self.cones
            .bounds(q, q_norm)
            .into_iter()
            .enumerate()
            .map(|(b, bound)| (bound, b as u32))
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
        let sims = self.score_block(q, b, scratch);
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
        for (s, p) in sims.iter().flatten().zip(self.members_of(b)) {
            if best.len() < k || *s >= best[k - 1].0 {
                insert(best, k, *s, *p);
            }
        }
    }

    /// The dot products of `q` with the listed chunks' slots, eight per
    /// chunk, in the order listed (two chunks at a time: their independent
    /// chains of adds keep the floating-point units busy).
    fn score_chunks<'s>(
        &self,
        q: &[f32; DIMS],
        chunks: &[u32],
        scratch: &'s mut Scratch,
    ) -> &'s [[f32; LANES]] {
        let sims = &mut scratch[..chunks.len()];
        let mut pairs = chunks.chunks_exact(GROUP);
        let mut outs = sims.chunks_exact_mut(GROUP);
        for (pair, out) in pairs.by_ref().zip(outs.by_ref()) {
            let group = [
                &self.chunks[pair[0] as usize],
                &self.chunks[pair[1] as usize],
            ];
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
        for (c, o) in pairs.remainder().iter().zip(outs.into_remainder()) {
            *o = dot8(&self.chunks[*c as usize], q);
        }
        sims
    }

    /// The dot products of `q` with block `b`'s slots, eight per chunk;
    /// its members fill the first slots, in the order of `members_of(b)`.
    fn score_block<'s>(
        &self,
        q: &[f32; DIMS],
        b: usize,
        scratch: &'s mut Scratch,
    ) -> &'s [[f32; LANES]] {
        let mut chunks = [0u32; MAX_CHUNKS];
        let range = self.start[b]..self.start[b + 1];
        for (slot, c) in chunks.iter_mut().zip(range.clone()) {
            *slot = c as u32;
        }
        self.score_chunks(q, &chunks[..range.len()], scratch)
    }
}

/// Eight dot products at once, summed in dimension order from the first
/// product, as brute force's `sum()` does (bit for bit the same scores).
#[inline(always)]
pub(in crate::index) fn dot8(chunk: &Chunk, q: &[f32; DIMS]) -> [f32; LANES] {
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
