//! The catalogues the matching bench runs on (`--data`), none chosen to
//! flatter the engine:
//! - `uniform`: normalised Gaussian vectors, uniform on the sphere — no
//!   structure at all, the hard case for pruning;
//! - `clustered`: a dozen profiles with spread around each, as when many
//!   consultants share a school of practice;
//! - `near-duplicate`: one direction plus noise of 1e-3, where the cone
//!   bounds cannot tell blocks apart;
//! - `assessments`: the matching form of simulated people answering the real
//!   instrument (latent profile plus answer noise, rounded to the 1–6 scale).
//!
//! Queries come from the same distribution as the catalogue.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::domain::instrument::DIMS;
use crate::synthetic::{answers_for, latent};

/// A kind of catalogue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DataSet {
    /// Normalised Gaussian: uniform on the sphere.
    Uniform,
    /// A dozen profiles, each with spread.
    Clustered,
    /// One direction plus noise of 1e-3.
    NearDuplicate,
    /// Simulated answers to the real instrument.
    Assessments,
}

impl DataSet {
    /// Every kind, in the order the bench reports them.
    pub const ALL: [DataSet; 4] = [
        DataSet::Uniform,
        DataSet::Clustered,
        DataSet::NearDuplicate,
        DataSet::Assessments,
    ];

    /// The name `--data` takes.
    pub fn name(self) -> &'static str {
        match self {
            DataSet::Uniform => "uniform",
            DataSet::Clustered => "clustered",
            DataSet::NearDuplicate => "near-duplicate",
            DataSet::Assessments => "assessments",
        }
    }

    /// `n` vectors of this kind from `seed`.
    pub fn vectors(self, n: usize, seed: u64) -> Vec<[f32; DIMS]> {
        let mut rng = StdRng::seed_from_u64(seed);
        // The same centres and direction for the catalogue and its queries.
        let mut shared = StdRng::seed_from_u64(0xC0FFEE);
        let centres: Vec<[f32; DIMS]> = (0..12).map(|_| gaussian(&mut shared)).collect();
        let direction = gaussian(&mut shared);
        (0..n)
            .map(|_| match self {
                DataSet::Uniform => unit(gaussian(&mut rng)),
                DataSet::Clustered => {
                    let c = unit(centres[rng.random_range(0..centres.len())]);
                    let noise = gaussian(&mut rng);
                    unit(std::array::from_fn(|d| c[d] + 0.25 * noise[d]))
                }
                DataSet::NearDuplicate => {
                    let c = unit(direction);
                    let noise = gaussian(&mut rng);
                    unit(std::array::from_fn(|d| c[d] + 1e-3 * noise[d]))
                }
                DataSet::Assessments => {
                    let z = latent(&mut rng);
                    answers_for(&mut rng, &z)
                        .map(|a| a.score().matching_form())
                        .unwrap_or([0.0; DIMS])
                }
            })
            .collect()
    }
}

impl std::str::FromStr for DataSet {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|d| d.name() == s)
            .ok_or_else(|| {
                format!("unknown data set {s:?}: uniform, clustered, near-duplicate or assessments")
            })
    }
}

/// A standard normal vector (Box–Muller).
fn gaussian(rng: &mut StdRng) -> [f32; DIMS] {
    std::array::from_fn(|_| {
        let u: f64 = rng.random_range(f64::EPSILON..1.0);
        let v: f64 = rng.random_range(0.0..1.0);
        ((-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()) as f32
    })
}

/// `v` scaled to unit length (zero stays zero).
fn unit(v: [f32; DIMS]) -> [f32; DIMS] {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 { v.map(|x| x / norm) } else { v }
}
