//! The index's vectors in blocks, for exact top-k without reading them all.
//!
//! Vectors are kept in spatially coherent blocks (hierarchical k-means when
//! the index is built, `cluster`), each block with a cone that holds all its
//! members: an axis, the cosine and sine of the widest member's angle from it,
//! and the members' norm range. A query bounds every block's best possible
//! similarity from its cone alone and skips the blocks that cannot beat the
//! current k-th best (`scan`).
//!
//! Inside a block, vectors are stored eight at a time, dimension-major
//! (`[[f32; 8]; DIMS]`), so that scoring vectorises on the baseline x86-64
//! target. Writes keep every cone valid: a changed vector leaves its block
//! (the cone still holds the rest) for an open block at the end, whose cone
//! widens to hold it, as does a new one's. After many writes the blocks are
//! clustered again.

mod cluster;
mod scan;

use crate::domain::instrument::DIMS;

/// Vectors per block that the clustering aims for.
const TARGET_BLOCK: usize = 128;
/// Vectors per chunk: one vectorised score computation.
const LANES: usize = 8;
/// Chunks per block at most (a block's scores fit a fixed scratch buffer).
const MAX_CHUNKS: usize = 32;

/// Eight vectors, dimension-major.
type Chunk = [[f32; LANES]; DIMS];

/// The blocked copy of the vectors, addressed by the index's positions.
#[derive(Debug)]
pub struct Blocks {
    chunks: Vec<Chunk>,
    /// Slot (`chunk * LANES + lane`) to position.
    owner: Vec<u32>,
    /// Position to slot.
    slot: Vec<u32>,
    /// Block `b` holds chunks `start[b]..start[b + 1]`.
    start: Vec<usize>,
    /// Members of each block (they fill its first slots).
    members: Vec<usize>,
    /// Cone axes, dimension-major (`axis[d][b]`), unit length or zero.
    axis: Vec<Vec<f32>>,
    /// Cosine of the widest member's angle from the axis (rounded down).
    cos_r: Vec<f32>,
    /// Sine of that angle (rounded up).
    sin_r: Vec<f32>,
    /// Members' largest and smallest norm (rounded outwards).
    norm_max: Vec<f32>,
    norm_min: Vec<f32>,
    /// Whether the last block takes new vectors.
    open_tail: bool,
    /// Vectors written since the blocks were clustered.
    writes: usize,
}

impl Default for Blocks {
    fn default() -> Self {
        Self {
            chunks: Vec::new(),
            owner: Vec::new(),
            slot: Vec::new(),
            start: vec![0],
            members: Vec::new(),
            axis: vec![Vec::new(); DIMS],
            cos_r: Vec::new(),
            sin_r: Vec::new(),
            norm_max: Vec::new(),
            norm_min: Vec::new(),
            open_tail: false,
            writes: 0,
        }
    }
}

impl Blocks {
    /// Clusters `vectors` (by position) into blocks.
    pub fn build(vectors: &[[f32; DIMS]]) -> Self {
        let mut blocks = Self {
            slot: vec![0; vectors.len()],
            ..Self::default()
        };
        for group in cluster::cluster(vectors, TARGET_BLOCK) {
            for part in group.chunks(MAX_CHUNKS * LANES) {
                blocks.new_block();
                blocks.aim(part.iter().map(|p| &vectors[*p]));
                for &p in part {
                    blocks.place(p, &vectors[p]);
                }
            }
        }
        blocks
    }

    /// Number of vectors.
    pub fn len(&self) -> usize {
        self.slot.len()
    }

    /// The vector at a position.
    pub fn vector(&self, position: usize) -> [f32; DIMS] {
        let s = self.slot[position] as usize;
        std::array::from_fn(|d| self.chunks[s / LANES][d][s % LANES])
    }

    /// Appends a vector at the next position (into the open block at the end).
    pub fn push(&mut self, vector: [f32; DIMS]) {
        self.open_tail_with_room();
        self.slot.push(0);
        self.place(self.slot.len() - 1, &vector);
        self.wrote();
    }

    /// Replaces the vector at a position. It leaves its block (whose cone
    /// stays valid for the rest) for the open block at the end, whose cone
    /// widens to hold it.
    pub fn set(&mut self, position: usize, vector: [f32; DIMS]) {
        let s = self.slot[position] as usize;
        let b = self.start.partition_point(|c| *c <= s / LANES) - 1;
        if self.open_tail && b == self.members.len() - 1 {
            for (d, x) in vector.iter().enumerate() {
                self.chunks[s / LANES][d][s % LANES] = *x;
            }
            self.widen(b, &vector);
        } else {
            // Fill the hole with the block's last member; its lane becomes padding.
            let last = self.start[b] * LANES + self.members[b] - 1;
            let moved = self.vector(self.owner[last] as usize);
            for (d, x) in moved.iter().enumerate() {
                self.chunks[s / LANES][d][s % LANES] = *x;
                self.chunks[last / LANES][d][last % LANES] = 0.0;
            }
            self.owner[s] = self.owner[last];
            self.slot[self.owner[s] as usize] = s as u32;
            self.members[b] -= 1;
            self.open_tail_with_room();
            self.place(position, &vector);
        }
        self.wrote();
    }

    /// Makes sure the last block is open and has room.
    fn open_tail_with_room(&mut self) {
        let full = self.members.last().is_none_or(|m| *m == MAX_CHUNKS * LANES);
        if !self.open_tail || full {
            self.new_block();
            self.open_tail = true;
        }
    }

    /// Points the last block's axis at the mean direction of `vectors`.
    fn aim<'a>(&mut self, vectors: impl Iterator<Item = &'a [f32; DIMS]>) {
        let mut sum = [0.0f64; DIMS];
        for v in vectors {
            for (s, x) in sum.iter_mut().zip(v) {
                *s += f64::from(*x);
            }
        }
        let norm = sum.iter().map(|s| s * s).sum::<f64>().sqrt();
        if norm > 0.0 {
            let b = self.members.len() - 1;
            for (axis, s) in self.axis.iter_mut().zip(&sum) {
                axis[b] = (s / norm) as f32;
            }
        }
    }

    /// Counts a write; after many, clusters the blocks again.
    fn wrote(&mut self) {
        self.writes += 1;
        if self.writes > (self.len() / 8).max(1024) {
            let vectors: Vec<[f32; DIMS]> = (0..self.len()).map(|p| self.vector(p)).collect();
            *self = Self::build(&vectors);
        }
    }

    /// Starts an empty block at the end, with an empty cone.
    fn new_block(&mut self) {
        self.start.push(self.chunks.len());
        self.members.push(0);
        for axis in &mut self.axis {
            axis.push(0.0);
        }
        self.cos_r.push(1.0);
        self.sin_r.push(0.0);
        self.norm_max.push(0.0);
        self.norm_min.push(f32::INFINITY);
        self.open_tail = false;
    }

    /// Puts the vector at `position` into the last block.
    fn place(&mut self, position: usize, vector: &[f32; DIMS]) {
        let b = self.members.len() - 1;
        if self.members[b] == (self.chunks.len() - self.start[b]) * LANES {
            self.chunks.push([[0.0; LANES]; DIMS]);
            self.owner.extend([0; LANES]);
            self.start[b + 1] = self.chunks.len();
        }
        let s = self.start[b] * LANES + self.members[b];
        self.members[b] += 1;
        self.owner[s] = position as u32;
        self.slot[position] = s as u32;
        for (d, x) in vector.iter().enumerate() {
            self.chunks[s / LANES][d][s % LANES] = *x;
        }
        self.widen(b, vector);
    }

    /// Widens block `b`'s cone and norm range to hold `vector`.
    fn widen(&mut self, b: usize, vector: &[f32; DIMS]) {
        let norm = vector
            .iter()
            .map(|x| f64::from(*x).powi(2))
            .sum::<f64>()
            .sqrt();
        self.norm_max[b] = self.norm_max[b].max((norm * (1.0 + 1e-6)) as f32);
        self.norm_min[b] = self.norm_min[b].min((norm * (1.0 - 1e-6)) as f32);
        if norm == 0.0 {
            return; // scores zero whatever the cone; the norm range holds it
        }
        let axis: [f64; DIMS] = std::array::from_fn(|d| f64::from(self.axis[d][b]));
        let axis_norm = axis.iter().map(|a| a * a).sum::<f64>().sqrt();
        if axis_norm == 0.0 {
            for (d, x) in vector.iter().enumerate() {
                self.axis[d][b] = (f64::from(*x) / norm) as f32;
            }
            self.cos_r[b] = 1.0;
            self.sin_r[b] = 0.0;
            return self.widen(b, vector);
        }
        let cos = axis
            .iter()
            .zip(vector)
            .map(|(a, x)| a * f64::from(*x))
            .sum::<f64>()
            / (axis_norm * norm);
        let cos_r = (cos - 1e-6).clamp(-1.0, 1.0).min(f64::from(self.cos_r[b]));
        if cos_r < f64::from(self.cos_r[b]) {
            self.cos_r[b] = cos_r as f32;
            self.sin_r[b] = ((1.0 - cos_r * cos_r).max(0.0).sqrt() * (1.0 + 1e-6)).min(1.0) as f32;
        }
    }
}
