//! The ranking search against scoring everyone: the same pool, in the same
//! order, and so the same candidates, whatever the catalogue, the query and
//! the writes since the index was built.

use std::collections::{HashMap, HashSet};

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use shared::ids::OrgId;

use super::super::tests::{few_specialties, weights};
use super::super::{MatchIndex, MatchQuery};
use super::pool_size;
use crate::domain::instrument::DIMS;
use crate::domain::profile::{ApprovalStatus, ConsultantId};
use crate::domain::ranking::Weights;
use crate::domain::taxonomy::{LANGUAGES, SPECIALTIES};
use crate::store::ConsultantRecord;

const DAY: i64 = 86_400_000;

/// One generated consultant: status, accepting, languages, affiliated,
/// specialties, next slot in hours (none when negative), ratings, vector.
type Spec = (u8, bool, u8, bool, u32, i64, (u8, u32), Vec<f32>);

fn spec() -> impl Strategy<Value = Spec> {
    (
        0u8..4,
        prop::bool::weighted(0.9),
        0u8..3,
        prop::bool::weighted(0.1),
        // As the catalogue has them (none to three of the fourteen), or
        // any bits: dense sets make every block's rows alike.
        prop_oneof![few_specialties(0), any::<u32>()],
        -100i64..(40 * 24),
        (0u8..5, 0u32..20),
        prop_oneof![
            3 => prop::collection::vec(-1.0f32..1.0, DIMS),
            1 => Just(vec![0.0; DIMS]),
            1 => prop::collection::vec(0.3f32..0.31, DIMS),
        ],
    )
}

fn record(n: usize, s: &Spec, org: OrgId) -> ConsultantRecord {
    let status = [
        ApprovalStatus::Approved,
        ApprovalStatus::Approved,
        ApprovalStatus::Pending,
        ApprovalStatus::Suspended,
    ][s.0 as usize];
    let languages: &[&str] = [&["ja"][..], &["en"], &["ja", "en"]][s.2 as usize];
    let affiliated = if s.3 { vec![org] } else { vec![] };
    let mut record = super::super::tests::record(n, status, s.1, languages, affiliated);
    record.profile.specialties = SPECIALTIES
        .iter()
        .enumerate()
        .filter(|(i, _)| s.4 & (1 << i) != 0)
        .map(|(_, t)| t.code.to_owned())
        .collect();
    record.next_available_at = (s.5 >= 0).then_some(s.5 * DAY / 24);
    record
}

fn normalised(v: &[f32]) -> [f32; DIMS] {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    std::array::from_fn(|d| if norm > 0.0 { v[d] / norm } else { 0.0 })
}

fn ids(ranked: &[super::super::Ranked]) -> Vec<(ConsultantId, f32)> {
    ranked
        .iter()
        .map(|r| (r.entry.record.id, r.score))
        .collect()
}

/// A catalogue, with some writes after the build, and a query.
fn case(
    specs: &[Spec],
    writes: &[(usize, Spec)],
    shown: &[(usize, u8)],
) -> (MatchIndex, Vec<ConsultantId>, OrgId) {
    let org = OrgId(uuid::Uuid::from_u128(999));
    let records: Vec<ConsultantRecord> = specs
        .iter()
        .enumerate()
        .map(|(n, s)| record(n, s, org))
        .collect();
    let all: Vec<ConsultantId> = records.iter().map(|r| r.id).collect();
    let vectors: HashMap<ConsultantId, [f32; DIMS]> = records
        .iter()
        .zip(specs)
        .filter(|(_, s)| s.7.iter().any(|x| *x != 0.0))
        .map(|(r, s)| (r.id, normalised(&s.7)))
        .collect();
    let ratings: HashMap<ConsultantId, (f32, u32)> = records
        .iter()
        .zip(specs)
        .map(|(r, s)| (r.id, (f32::from(s.6.0 + 1) * s.6.1 as f32, s.6.1)))
        .collect();
    let index = MatchIndex::build(records, &vectors, &ratings);
    // Writes: profile changes of existing consultants, new ones, new vectors
    // and ratings, then some consultants shown (an hour earlier, so the
    // boost's snapshot holds them).
    for (k, (target, s)) in writes.iter().enumerate() {
        let n = if k % 3 == 0 {
            specs.len() + k
        } else {
            target % specs.len()
        };
        index.upsert(record(n, s, org));
        let id = ConsultantId(uuid::Uuid::from_u128(n as u128 + 1));
        if s.7.iter().any(|x| *x != 0.0) {
            index.set_vector(id, normalised(&s.7));
        }
        index.set_ratings(id, f32::from(s.6.0 + 1) * s.6.1 as f32, s.6.1);
    }
    for (target, times) in shown {
        let id = all[target % all.len()];
        for _ in 0..*times {
            index.record_shown(&[id], 0);
        }
    }
    index.record_shown(&[], 3_600_000);
    (index, all, org)
}

/// Topics as the route sends them (one to three), none, or any bits.
fn topics() -> impl Strategy<Value = u32> {
    prop_oneof![Just(0u32), few_specialties(1), any::<u32>()]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn the_ranking_search_equals_scoring_everyone(
        specs in prop::collection::vec(spec(), 1..400),
        writes in prop::collection::vec((any::<usize>(), spec()), 0..30),
        shown in prop::collection::vec((any::<usize>(), 0u8..6), 0..40),
        query_vector in prop_oneof![3 => prop::collection::vec(-1.0f32..1.0, DIMS), 1 => Just(vec![0.0; DIMS])],
        topics in topics(),
        languages in 1u32..4,
        weights in weights(),
        excluded_every in 2usize..20,
        with_org in any::<bool>(),
        want in 1usize..30,
        boost in prop_oneof![Just(0.0f32), 0.0f32..0.4],
        now_hours in 0i64..(30 * 24),
    ) {
        let (index, all, org) = case(&specs, &writes, &shown);
        let skip: HashSet<ConsultantId> = all.iter().step_by(excluded_every).copied().collect();
        let query = MatchQuery {
            vector: normalised(&query_vector),
            topics: topics & ((1 << SPECIALTIES.len()) - 1),
            languages: languages & ((1 << LANGUAGES.len()) - 1),
            org: with_org.then_some(org),
            skip,
            weights,
            now_ms: now_hours * DAY / 24,
            want,
            exposure_boost: boost,
            mmr_lambda: 0.85,
        };
        let data = index.data.read().expect("index");
        let engine = data.best_pool(&query, pool_size(want));
        let brute = data.best_pool_exhaustive(&query, pool_size(want));
        prop_assert_eq!(&engine, &brute, "the pool differs from scoring everyone");
        drop(data);
        prop_assert_eq!(ids(&index.rank(&query)), ids(&index.rank_exhaustive(&query)));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(6))]

    /// Past the first blocks, the rest are read in storage order, each
    /// skipped when its bound falls below the pool: a catalogue of more
    /// blocks than the first round.
    #[test]
    fn the_search_equals_scoring_everyone_past_the_first_blocks(
        specs in prop::collection::vec(spec(), 2000..3000),
        query_vector in prop::collection::vec(-1.0f32..1.0, DIMS),
        topics in topics(),
        weights in weights(),
        now_hours in 0i64..(30 * 24),
    ) {
        let (index, _, _) = case(&specs, &[], &[]);
        let query = MatchQuery {
            vector: normalised(&query_vector),
            topics: topics & ((1 << SPECIALTIES.len()) - 1),
            languages: 1,
            org: None,
            skip: HashSet::new(),
            weights,
            now_ms: now_hours * DAY / 24,
            want: 10,
            exposure_boost: 0.2,
            mmr_lambda: 0.85,
        };
        let data = index.data.read().expect("index");
        prop_assert!(data.blocks.block_count() > super::FIRST_BLOCKS);
        prop_assert_eq!(
            data.best_pool(&query, pool_size(10)),
            data.best_pool_exhaustive(&query, pool_size(10))
        );
    }
}

/// The bounds are tight enough to skip: on a large catalogue, most chunks
/// are never scored (a search that scans everything would pass the
/// test above).
#[test]
fn the_search_skips_most_chunks_on_a_large_catalogue() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let specs: Vec<Spec> = (0..20_000)
        .map(|_| spec().new_tree(&mut runner).expect("spec").current())
        .collect();
    let (index, _, _) = case(&specs, &[], &[]);
    let query = MatchQuery {
        vector: normalised(&[0.5, -0.2, 0.1, 0.9, -0.4, 0.3, 0.0, -0.7, 0.2, 0.1]),
        topics: 0b11,
        languages: 1,
        org: None,
        skip: HashSet::new(),
        weights: Weights::default(),
        now_ms: 0,
        want: 10,
        exposure_boost: 0.2,
        mmr_lambda: 0.85,
    };
    let data = index.data.read().expect("index");
    let scanned = data.chunks_scanned(&query, pool_size(10));
    let chunks = data.blocks.chunk_count();
    assert!(scanned * 2 < chunks, "{scanned} of {chunks} chunks scanned");
    assert_eq!(
        data.best_pool(&query, pool_size(10)),
        data.best_pool_exhaustive(&query, pool_size(10))
    );
}

/// Enough vector writes to cluster the blocks again (more than 1,024):
/// the lanes and table rows follow, and the search still equals scoring
/// everyone.
#[test]
fn the_search_stays_exact_after_the_blocks_are_clustered_again() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let specs: Vec<Spec> = (0..600)
        .map(|_| spec().new_tree(&mut runner).expect("spec").current())
        .collect();
    let (index, all, org) = case(&specs, &[], &[]);
    for k in 0..1_500 {
        let s = spec().new_tree(&mut runner).expect("spec").current();
        let id = all[(k * 7) % all.len()];
        index.set_vector(id, normalised(&s.7));
        if k % 5 == 0 {
            index.upsert(record(1_000 + k, &s, org));
        }
    }
    let query = MatchQuery {
        vector: normalised(&[0.2, -0.5, 0.1, 0.3, -0.1, 0.4, 0.0, -0.2, 0.6, 0.1]),
        topics: 0b101,
        languages: 1,
        org: Some(org),
        skip: all.iter().step_by(9).copied().collect(),
        weights: Weights::default(),
        now_ms: DAY,
        want: 10,
        exposure_boost: 0.2,
        mmr_lambda: 0.85,
    };
    let data = index.data.read().expect("index");
    assert!(
        data.blocks.generation() > 0,
        "the blocks were clustered again"
    );
    assert_eq!(
        data.best_pool(&query, pool_size(10)),
        data.best_pool_exhaustive(&query, pool_size(10))
    );
}
