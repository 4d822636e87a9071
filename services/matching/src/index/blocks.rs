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
mod cones;
mod scan;

use self::cones::Cones;

pub(in crate::index) use scan::dot8;

use crate::domain::instrument::DIMS;

/// Vectors per block that the clustering aims for.
const TARGET_BLOCK: usize = 128;
/// Vectors per chunk: one vectorised score computation.
pub(in crate::index) const LANES: usize = 8;
/// Chunks per block at most (a block's scores fit a fixed scratch buffer).
pub(in crate::index) const MAX_CHUNKS: usize = 32;

/// Eight vectors, dimension-major.
pub(in crate::index) type Chunk = [[f32; LANES]; DIMS];

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
    /// Each block's cone.
    cones: Cones,
    /// Whether the last block takes new vectors.
    open_tail: bool,
    /// Vectors written since the blocks were clustered.
    writes: usize,
    /// How many times the blocks were clustered again (block numbers change).
    generation: u64,
}

impl Default for Blocks {
    fn default() -> Self {
        Self {
            chunks: Vec::new(),
            owner: Vec::new(),
            slot: Vec::new(),
            start: vec![0],
            members: Vec::new(),
            cones: Cones::default(),
            open_tail: false,
            writes: 0,
            generation: 0,
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
                let b = blocks.members.len() - 1;
                blocks.cones.aim(b, part.iter().map(|p| &vectors[*p]));
                for &p in part {
                    blocks.place(p, &vectors[p]);
                }
            }
        }
        blocks
    }

    /// Chunk `c`'s eight vectors.
    pub fn chunk(&self, c: usize) -> &Chunk {
        &self.chunks[c]
    }

    /// Number of vectors.
    pub fn len(&self) -> usize {
        self.slot.len()
    }

    /// Number of blocks.
    pub fn block_count(&self) -> usize {
        self.members.len()
    }

    /// The block holding a position.
    pub fn block_of(&self, position: usize) -> usize {
        let chunk = self.slot[position] as usize / LANES;
        self.start.partition_point(|c| *c <= chunk) - 1
    }

    /// Number of chunks (of eight slots).
    pub fn chunk_count(&self) -> usize {
        self.chunks.len()
    }

    /// Block `b`'s chunks.
    pub fn chunks_of(&self, b: usize) -> std::ops::Range<usize> {
        self.start[b]..self.start[b + 1]
    }

    /// The positions in chunk `c`'s eight slots (padding slots hold stale
    /// or zero positions: callers know them by their empty lanes).
    pub fn owners_of_chunk(&self, c: usize) -> &[u32] {
        &self.owner[c * LANES..(c + 1) * LANES]
    }

    /// The positions in block `b`, in slot order.
    pub fn members_of(&self, b: usize) -> &[u32] {
        let s = self.start[b] * LANES;
        &self.owner[s..s + self.members[b]]
    }

    /// Changes whenever the blocks are clustered again (every block number
    /// and membership may differ after it).
    pub fn generation(&self) -> u64 {
        self.generation
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
        let b = self.block_of(position);
        if self.open_tail && b == self.members.len() - 1 {
            for (d, x) in vector.iter().enumerate() {
                self.chunks[s / LANES][d][s % LANES] = *x;
            }
            self.cones.widen(b, &vector);
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

    /// Counts a write; after many, clusters the blocks again.
    fn wrote(&mut self) {
        self.writes += 1;
        if self.writes > (self.len() / 8).max(1024) {
            let vectors: Vec<[f32; DIMS]> = (0..self.len()).map(|p| self.vector(p)).collect();
            let generation = self.generation + 1;
            *self = Self::build(&vectors);
            self.generation = generation;
        }
    }

    /// Starts an empty block at the end, with an empty cone.
    fn new_block(&mut self) {
        self.start.push(self.chunks.len());
        self.members.push(0);
        self.cones.push();
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
        self.cones.widen(b, vector);
    }
}
