use std::collections::HashMap;

use proptest::prelude::*;

use super::*;

pub(in crate::index) fn record(
    n: usize,
    status: ApprovalStatus,
    accepting: bool,
    languages: &[&str],
    affiliated: Vec<OrgId>,
) -> ConsultantRecord {
    let mut record = ConsultantRecord::sample(status);
    record.id = ConsultantId(uuid::Uuid::from_u128(n as u128 + 1));
    let profile = &mut record.profile;
    profile.display_name = format!("c{n}");
    profile.specialties = vec![SPECIALTIES[n % SPECIALTIES.len()].code.into()];
    profile.languages = languages.iter().map(|l| (*l).to_owned()).collect();
    profile.affiliated_org_ids = affiliated;
    profile.accepting_clients = accepting;
    record
}

/// A set of none to three of the taxonomy's fourteen specialties (as
/// consultants have them, and topics as the route sends them when `least`
/// is 1).
pub(in crate::index) fn few_specialties(least: usize) -> impl Strategy<Value = u32> {
    prop::collection::vec(0u32..14, least..4)
        .prop_map(|bits| bits.iter().fold(0, |a, b| a | 1 << b))
}

/// Weights as the generators give them, each sometimes exactly zero (0 ×
/// −∞ is NaN: a bound over no lane must still bound nothing), normalised.
pub(in crate::index) fn weights() -> impl Strategy<Value = Weights> {
    let weight = || prop_oneof![Just(0.0f32), 0.0f32..1.0];
    (weight(), weight(), weight(), weight()).prop_map(
        |(values, specialty, availability, rating)| {
            Weights {
                values,
                specialty,
                availability,
                rating,
            }
            .normalised()
            .unwrap_or_default()
        },
    )
}

fn unit(seed: u64) -> [f32; DIMS] {
    let mut v = [0.0f32; DIMS];
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    for d in v.iter_mut() {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        *d = ((x >> 33) as f32 / (1u64 << 31) as f32) - 0.5;
    }
    let norm = v.iter().map(|a| a * a).sum::<f32>().sqrt().max(1e-6);
    v.map(|a| a / norm)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Whatever the catalogue, candidates are eligible, distinct, and as
    /// many as asked for when that many are eligible.
    #[test]
    fn candidates_are_always_eligible_and_exactly_as_many_as_asked(
        states in proptest::collection::vec((0u8..4, any::<bool>(), 0u8..3, any::<bool>(), any::<u64>()), 1..120),
        excluded_every in 2usize..9,
        want in 1usize..25,
        boost in 0.0f32..0.2,
        lambda in 0.5f32..1.0,
    ) {
        let org = OrgId(uuid::Uuid::from_u128(999));
        let other = OrgId(uuid::Uuid::from_u128(998));
        let records: Vec<ConsultantRecord> = states.iter().enumerate().map(|(n, (s, accepting, lang, affiliated, _))| {
            let status = [ApprovalStatus::Approved, ApprovalStatus::Pending, ApprovalStatus::Rejected, ApprovalStatus::Suspended][*s as usize % 4];
            let languages: &[&str] = match lang { 0 => &["ja"], 1 => &["en"], _ => &["ja", "en"] };
            record(n, status, *accepting, languages, if *affiliated { vec![org] } else { vec![other] })
        }).collect();
        let vectors: HashMap<ConsultantId, [f32; DIMS]> = records.iter().zip(&states).map(|(r, s)| (r.id, unit(s.4))).collect();
        let skip: HashSet<ConsultantId> = records.iter().enumerate().filter(|(n, _)| n % excluded_every == 0).map(|(_, r)| r.id).collect();
        let eligible: HashSet<ConsultantId> = records.iter().filter(|r| {
            r.status == ApprovalStatus::Approved && r.profile.accepting_clients && r.profile.languages.iter().any(|l| l == "ja")
                && !r.profile.affiliated_org_ids.contains(&org) && !skip.contains(&r.id)
        }).map(|r| r.id).collect();
        let index = MatchIndex::build(records, &vectors, &HashMap::new());
        let query = MatchQuery {
            vector: unit(7), topics: 0b101, languages: mask(&LANGUAGES, &["ja"]), org: Some(org), skip,
            weights: Weights::default(), now_ms: 0, want, exposure_boost: boost, mmr_lambda: lambda,
        };
        let ranked = index.rank(&query);
        prop_assert_eq!(ranked.len(), want.min(eligible.len()));
        let ids: HashSet<ConsultantId> = ranked.iter().map(|r| r.entry.record.id).collect();
        prop_assert_eq!(ids.len(), ranked.len(), "no consultant twice");
        prop_assert!(ids.is_subset(&eligible), "an ineligible consultant was proposed");
    }
}

#[test]
fn the_most_similar_come_first_without_diversity_or_boost() {
    let records: Vec<_> = (0..50)
        .map(|n| record(n, ApprovalStatus::Approved, true, &["ja"], vec![]))
        .collect();
    let vectors: HashMap<_, _> = records
        .iter()
        .enumerate()
        .map(|(n, r)| (r.id, unit(n as u64)))
        .collect();
    let target = records[17].id;
    let index = MatchIndex::build(records, &vectors, &HashMap::new());
    let q = unit(17);
    assert_eq!(index.top_k_similar(&q, 1)[0].0, target);
    let query = MatchQuery {
        vector: q,
        topics: 0,
        languages: mask(&LANGUAGES, &["ja"]),
        org: None,
        skip: HashSet::new(),
        weights: Weights {
            values: 1.0,
            specialty: 0.0,
            availability: 0.0,
            rating: 0.0,
        },
        now_ms: 0,
        want: 1,
        exposure_boost: 0.0,
        mmr_lambda: 1.0,
    };
    assert_eq!(index.rank(&query)[0].entry.record.id, target);
}

#[test]
fn upserts_grow_the_matrix_and_keep_vectors() {
    let index = MatchIndex::build(
        vec![record(0, ApprovalStatus::Approved, true, &["ja"], vec![])],
        &HashMap::new(),
        &HashMap::new(),
    );
    let new = record(1, ApprovalStatus::Approved, true, &["ja"], vec![]);
    let id = new.id;
    index.upsert(new);
    index.set_vector(id, unit(3));
    assert_eq!(index.len(), 2);
    assert_eq!(index.top_k_similar(&unit(3), 1)[0].0, id);
    let mut changed = record(1, ApprovalStatus::Suspended, true, &["ja"], vec![]);
    changed.profile.display_name = "renamed".into();
    index.upsert(changed);
    assert_eq!(
        index.top_k_similar(&unit(3), 1)[0].0,
        id,
        "the vector survives a profile change"
    );
    assert_eq!(index.approved().len(), 1);
}
