//! Cones that hold groups of vectors (a block's members): an
//! axis, the cosine and sine of the widest member's angle from it, and the
//! members' norm range; and every cone's bound on `q · x` over its members.

use crate::domain::instrument::DIMS;

/// Slack on a cone's bound, relative to |q| · the cone's largest norm: f32
/// rounding in a similarity or a bound is below 1e-6 of that.
const MARGIN: f32 = 1e-4;

/// Cones, by number; axes dimension-major so bounding them all vectorises.
#[derive(Debug)]
pub struct Cones {
    /// `axis[d][i]`: unit length or zero.
    axis: Vec<Vec<f32>>,
    /// Cosine of the widest member's angle from the axis (rounded down).
    cos_r: Vec<f32>,
    /// Sine of that angle (rounded up).
    sin_r: Vec<f32>,
    /// Members' largest and smallest norm (rounded outwards).
    norm_max: Vec<f32>,
    norm_min: Vec<f32>,
}

impl Default for Cones {
    fn default() -> Self {
        Self {
            axis: vec![Vec::new(); DIMS],
            cos_r: Vec::new(),
            sin_r: Vec::new(),
            norm_max: Vec::new(),
            norm_min: Vec::new(),
        }
    }
}

impl Cones {
    /// Number of cones.
    pub fn len(&self) -> usize {
        self.cos_r.len()
    }

    /// Adds an empty cone (it holds nothing until widened).
    pub fn push(&mut self) {
        for axis in &mut self.axis {
            axis.push(0.0);
        }
        self.cos_r.push(1.0);
        self.sin_r.push(0.0);
        self.norm_max.push(0.0);
        self.norm_min.push(f32::INFINITY);
    }

    /// Points empty cone `i`'s axis at the mean direction of `vectors`.
    pub fn aim<'a>(&mut self, i: usize, vectors: impl Iterator<Item = &'a [f32; DIMS]>) {
        let mut sum = [0.0f64; DIMS];
        for v in vectors {
            for (s, x) in sum.iter_mut().zip(v) {
                *s += f64::from(*x);
            }
        }
        let norm = sum.iter().map(|s| s * s).sum::<f64>().sqrt();
        if norm > 0.0 {
            for (axis, s) in self.axis.iter_mut().zip(&sum) {
                axis[i] = (s / norm) as f32;
            }
        }
    }

    /// Widens cone `i` and its norm range to hold `vector`.
    pub fn widen(&mut self, i: usize, vector: &[f32; DIMS]) {
        let norm = vector
            .iter()
            .map(|x| f64::from(*x).powi(2))
            .sum::<f64>()
            .sqrt();
        self.norm_max[i] = self.norm_max[i].max((norm * (1.0 + 1e-6)) as f32);
        self.norm_min[i] = self.norm_min[i].min((norm * (1.0 - 1e-6)) as f32);
        if norm == 0.0 {
            return; // scores zero whatever the cone; the norm range holds it
        }
        let axis: [f64; DIMS] = std::array::from_fn(|d| f64::from(self.axis[d][i]));
        let axis_norm = axis.iter().map(|a| a * a).sum::<f64>().sqrt();
        if axis_norm == 0.0 {
            for (d, x) in vector.iter().enumerate() {
                self.axis[d][i] = (f64::from(*x) / norm) as f32;
            }
            self.cos_r[i] = 1.0;
            self.sin_r[i] = 0.0;
            return self.widen(i, vector);
        }
        let cos = axis
            .iter()
            .zip(vector)
            .map(|(a, x)| a * f64::from(*x))
            .sum::<f64>()
            / (axis_norm * norm);
        let cos_r = (cos - 1e-6).clamp(-1.0, 1.0).min(f64::from(self.cos_r[i]));
        if cos_r < f64::from(self.cos_r[i]) {
            self.cos_r[i] = cos_r as f32;
            self.sin_r[i] = ((1.0 - cos_r * cos_r).max(0.0).sqrt() * (1.0 + 1e-6)).min(1.0) as f32;
        }
    }

    /// Every cone's upper bound on `q · x` over its members, in order.
    pub fn bounds(&self, q: &[f32; DIMS], q_norm: f32) -> Vec<f32> {
        let mut dot = vec![0.0f32; self.len()];
        for (axis, w) in self.axis.iter().zip(q) {
            for (s, a) in dot.iter_mut().zip(axis) {
                *s += w * a;
            }
        }
        let inv = if q_norm > 0.0 { 1.0 / q_norm } else { 0.0 };
        for (s, ((cos_r, sin_r), (max, min))) in dot.iter_mut().zip(
            self.cos_r
                .iter()
                .zip(&self.sin_r)
                .zip(self.norm_max.iter().zip(&self.norm_min)),
        ) {
            // The cosine of q's angle from the axis, then of the smallest
            // angle q can make with a member of the cone: cos(angle − r).
            // The 1e-5 under the root covers rounding in `c` where the
            // root is steep (near ±1).
            let c = (*s * inv).clamp(-1.0, 1.0);
            let best_cos = if c >= *cos_r {
                1.0
            } else {
                (c * cos_r + (1.0 - c * c + 1e-5).sqrt() * sin_r).min(1.0)
            };
            let scale = if best_cos >= 0.0 { *max } else { *min };
            *s = q_norm * (scale * best_cos + MARGIN * max);
        }
        dot
    }
}
