//! Simulated people for the demo data and the benchmarks: latent values
//! profiles and the assessment answers that express them through the real
//! instrument.

use rand::Rng;
use rand::rngs::StdRng;

use crate::domain::instrument::{Answers, DIMENSIONS, DIMS, ITEMS};

/// Answers that express a latent values profile `z` (each in [−1, 1]) with noise.
pub fn answers_for(rng: &mut StdRng, z: &[f64; DIMS]) -> anyhow::Result<Answers> {
    let raw: Vec<(String, i64)> = ITEMS
        .iter()
        .map(|item| {
            let d = DIMENSIONS
                .iter()
                .position(|d| d.key == item.dimension)
                .unwrap_or(0);
            let lean = if item.reverse { -z[d] } else { z[d] };
            let value = (3.5 + 2.5 * lean + rng.random_range(-0.9..0.9))
                .round()
                .clamp(1.0, 6.0) as i64;
            (item.id.to_owned(), value)
        })
        .collect();
    Answers::parse(&raw).map_err(|e| anyhow::anyhow!("demo answers: {e}"))
}

/// A latent values profile, each dimension uniform in [−1, 1].
pub fn latent(rng: &mut StdRng) -> [f64; DIMS] {
    let mut z = [0.0; DIMS];
    for v in &mut z {
        *v = rng.random_range(-1.0..1.0);
    }
    z
}
