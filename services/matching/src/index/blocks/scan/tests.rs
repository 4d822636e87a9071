use proptest::prelude::*;

use super::super::Blocks;
use crate::domain::instrument::DIMS;

fn brute(vectors: &[[f32; DIMS]], q: &[f32; DIMS], k: usize) -> Vec<usize> {
    let mut all: Vec<(usize, f32)> = vectors
        .iter()
        .enumerate()
        .map(|(i, v)| (i, v.iter().zip(q).map(|(a, b)| a * b).sum()))
        .collect();
    all.sort_by(|a, b| b.1.total_cmp(&a.1));
    all.into_iter().take(k).map(|(i, _)| i).collect()
}

fn positions(found: Vec<(f32, usize)>) -> Vec<usize> {
    found.into_iter().map(|(_, i)| i).collect()
}

/// Vectors from a coarse grid, so that ties, duplicates and zero vectors occur.
fn vector() -> impl Strategy<Value = [f32; DIMS]> {
    proptest::collection::vec(-4i8..=4, DIMS)
        .prop_map(|v| std::array::from_fn(|d| f32::from(v[d]) / 4.0))
}

/// Tight bunches around a few directions, so that cones are narrow and
/// bounds nearly reached: a bound that were not conservative would show.
fn bunched() -> impl Strategy<Value = Vec<[f32; DIMS]>> {
    (
        proptest::collection::vec(vector(), 1..6),
        proptest::collection::vec((any::<usize>(), vector()), 0..1500),
    )
        .prop_map(|(centres, picks)| {
            picks
                .into_iter()
                .map(|(c, noise)| {
                    let centre = centres[c % centres.len()];
                    std::array::from_fn(|d| centre[d] + noise[d] / 64.0)
                })
                .collect()
        })
}

/// A write: set position (modulo the length) or push.
fn write() -> impl Strategy<Value = (Option<usize>, [f32; DIMS])> {
    (proptest::option::of(any::<usize>()), vector())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Before and after writes, the pruned search and the full scan both
    /// return exactly the brute-force top-k.
    #[test]
    fn the_pruned_search_equals_brute_force(
        mut vectors in prop_oneof![proptest::collection::vec(vector(), 0..1200), bunched()],
        writes in proptest::collection::vec(write(), 0..300),
        queries in proptest::collection::vec(prop_oneof![vector(), bunched().prop_map(|b| b.first().copied().unwrap_or_default())], 1..4),
        k in 0usize..20,
    ) {
        let mut blocks = Blocks::build(&vectors);
        for q in &queries {
            prop_assert_eq!(positions(blocks.top_k(q, k)), brute(&vectors, q, k));
            prop_assert_eq!(positions(blocks.full_scan(q, k)), brute(&vectors, q, k));
        }
        for (at, v) in writes {
            match at {
                Some(p) if !vectors.is_empty() => {
                    let p = p % vectors.len();
                    vectors[p] = v;
                    blocks.set(p, v);
                }
                _ => {
                    vectors.push(v);
                    blocks.push(v);
                }
            }
        }
        prop_assert_eq!(blocks.len(), vectors.len());
        for (p, v) in vectors.iter().enumerate() {
            prop_assert_eq!(blocks.vector(p), *v);
        }
        for q in &queries {
            prop_assert_eq!(positions(blocks.top_k(q, k)), brute(&vectors, q, k));
        }
    }
}

#[test]
fn many_writes_recluster_and_stay_exact() {
    let mut x = 0x2545_f491_4f6c_dd1d_u64;
    let mut unit = || {
        let v: [f32; DIMS] = std::array::from_fn(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 40) as f32 / (1u64 << 23) as f32 - 1.0
        });
        let norm = v.iter().map(|a| a * a).sum::<f32>().sqrt().max(1e-6);
        v.map(|a| a / norm)
    };
    let mut vectors: Vec<[f32; DIMS]> = (0..2000).map(|_| unit()).collect();
    let mut blocks = Blocks::build(&vectors);
    for i in 0..3000 {
        let v = unit();
        if i % 4 == 0 {
            vectors.push(v);
            blocks.push(v);
        } else {
            let p = (i * 7919) % vectors.len();
            vectors[p] = v;
            blocks.set(p, v);
        }
        if i % 500 == 0 {
            let q = unit();
            assert_eq!(positions(blocks.top_k(&q, 10)), brute(&vectors, &q, 10));
        }
    }
    for _ in 0..50 {
        let q = unit();
        assert_eq!(positions(blocks.top_k(&q, 10)), brute(&vectors, &q, 10));
    }
}
