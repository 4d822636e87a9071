//! Hierarchical k-means: groups the index's vectors into spatially coherent
//! clusters of about a target size, so that each block's cone is narrow.

use crate::domain::instrument::DIMS;

/// Lloyd iterations per level.
const KMEANS_ITERATIONS: usize = 6;

/// Groups positions into spatially coherent clusters of about
/// `target`: k-means into about √(n / target) groups, then each
/// group into groups of about `target`.
pub fn cluster(vectors: &[[f32; DIMS]], target: usize) -> Vec<Vec<usize>> {
    let n = vectors.len();
    let mut seed = 0x5eed_u64;
    let all: Vec<usize> = (0..n).collect();
    let top = (n.div_ceil(target) as f64).sqrt().ceil() as usize;
    kmeans(vectors, &all, top, &mut seed)
        .into_iter()
        .flat_map(|group| {
            let k = group.len().div_ceil(target);
            kmeans(vectors, &group, k, &mut seed)
        })
        .collect()
}

/// Lloyd's k-means over `members`, seeded with members picked at random;
/// returns the non-empty groups.
fn kmeans(vectors: &[[f32; DIMS]], members: &[usize], k: usize, seed: &mut u64) -> Vec<Vec<usize>> {
    if k <= 1 || members.len() <= k {
        return vec![members.to_vec()];
    }
    let mut pick = || members[(splitmix(seed) % members.len() as u64) as usize];
    let mut centers: Vec<[f32; DIMS]> = (0..k).map(|_| vectors[pick()]).collect();
    let mut assigned = vec![0usize; members.len()];
    for _ in 0..KMEANS_ITERATIONS {
        for (a, &m) in assigned.iter_mut().zip(members) {
            let v = &vectors[m];
            let mut nearest = (f32::INFINITY, 0);
            for (c, center) in centers.iter().enumerate() {
                let d: f32 = center.iter().zip(v).map(|(x, y)| (x - y) * (x - y)).sum();
                if d < nearest.0 {
                    nearest = (d, c);
                }
            }
            *a = nearest.1;
        }
        let mut sums = vec![([0.0f64; DIMS], 0usize); k];
        for (&a, &m) in assigned.iter().zip(members) {
            for (s, x) in sums[a].0.iter_mut().zip(&vectors[m]) {
                *s += f64::from(*x);
            }
            sums[a].1 += 1;
        }
        for (center, (sum, count)) in centers.iter_mut().zip(&sums) {
            *center = if *count == 0 {
                vectors[pick()]
            } else {
                sum.map(|s| (s / *count as f64) as f32)
            };
        }
    }
    let mut groups = vec![Vec::new(); k];
    for (&a, &m) in assigned.iter().zip(members) {
        groups[a].push(m);
    }
    groups.retain(|g| !g.is_empty());
    groups
}

/// SplitMix64: a small deterministic generator for picking seeds.
fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}
