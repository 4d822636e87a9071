use std::collections::HashMap;

use proptest::prelude::*;

use super::*;
use crate::domain::profile::ProfileDraft;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// The blocked, vectorised scan returns exactly the brute-force top-k
    /// (sizes around the block and lane boundaries included).
    #[test]
    fn the_fast_scan_equals_brute_force(n in 1usize..2500, k in 1usize..15, seed in any::<u64>()) {
        let mut x = seed | 1;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 40) as f32 / (1u64 << 24) as f32 - 0.5
        };
        let mut records = Vec::new();
        let mut vectors = HashMap::new();
        let mut raw = Vec::new();
        for i in 0..n {
            let id = ConsultantId(uuid::Uuid::from_u128(i as u128 + 1));
            let v: [f32; DIMS] = std::array::from_fn(|_| next());
            vectors.insert(id, v);
            raw.push((id, v));
            records.push(ConsultantRecord {
                id,
                profile: ProfileDraft {
                    display_name: String::new(), headline: String::new(), message: String::new(),
                    qualification: String::new(), registration_number: String::new(), specialties: vec![],
                    industries: vec![], languages: vec![], years_experience: 0, region: String::new(),
                    gender: None, age_band: None, session_formats: vec![],
                    affiliated_org_ids: vec![], accepting_clients: true,
                },
                status: ApprovalStatus::Approved,
                next_available_at: None,
                updated_at: 0,
            });
        }
        let q: [f32; DIMS] = std::array::from_fn(|_| next());
        let index = MatchIndex::build(records, &vectors, &HashMap::new());
        let fast: Vec<ConsultantId> = index.top_k_similar(&q, k).into_iter().map(|(id, _)| id).collect();
        let mut brute: Vec<(ConsultantId, f32)> = raw.iter().map(|(id, v)| (*id, v.iter().zip(&q).map(|(a, b)| a * b).sum())).collect();
        brute.sort_by(|a, b| b.1.total_cmp(&a.1));
        let expected: Vec<ConsultantId> = brute.iter().take(k).map(|(id, _)| *id).collect();
        prop_assert_eq!(fast, expected);
    }
}
