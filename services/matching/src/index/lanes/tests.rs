//! The eight-lane bound never falls more than its slack below the exact
//! total the ranking computes.

use proptest::prelude::*;

use super::super::MatchQuery;
use super::super::facts::Facts;
use super::super::tests::{few_specialties, weights};
use super::{BlockTable, LaneFacts, SLACK, Terms};
use crate::domain::ranking::{Features, Weights, availability_feature, specialty_feature};

fn exact(f: &Facts, sim: f32, q: &MatchQuery, max_shown: u32) -> f32 {
    let features = Features {
        values: (sim + 1.0) / 2.0,
        specialty: specialty_feature(q.topics, f.specialties),
        availability: availability_feature(f.next_available, q.now_ms),
        rating: f.rating,
    };
    q.weights.score(&features)
        + q.exposure_boost * (1.0 - f.shown as f32 / (max_shown as f32 + 1.0))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn the_bound_holds_every_lane_within_its_slack(
        lanes in prop::collection::vec(
            (1u32..4, any::<u32>(), prop::option::of(-40i64 * 86_400_000..40 * 86_400_000), 0.0f32..1.0, 0u32..50, -1.0f32..1.0),
            8,
        ),
        topics in prop_oneof![Just(0u32), any::<u32>()],
        weights in (0.0f32..1.0, 0.0f32..1.0, 0.0f32..1.0, 0.0f32..1.0),
        boost in 0.0f32..0.4,
        now in 1_700_000_000_000i64..1_800_000_000_000,
        max_extra in 0u32..20,
    ) {
        let weights = Weights { values: weights.0, specialty: weights.1, availability: weights.2, rating: weights.3 }
            .normalised()
            .unwrap_or_default();
        let query = MatchQuery {
            vector: [0.0; 10], topics, languages: 1, org: None, skip: Default::default(), weights,
            now_ms: now, want: 10, exposure_boost: boost, mmr_lambda: 0.85,
        };
        let max_shown = lanes.iter().map(|l| l.4).max().unwrap_or(0) + max_extra;
        let mut packed = LaneFacts::default();
        let facts: Vec<Facts> = lanes.iter().map(|(langs, specialties, at, rating, shown, _)| Facts {
            langs: *langs,
            specialties: *specialties,
            next_available: at.map(|a| now + a),
            rating: *rating,
            shown: *shown,
        }).collect();
        for (l, f) in facts.iter().enumerate() {
            packed.set(l, f);
        }
        let sims: [f32; 8] = std::array::from_fn(|l| lanes[l].5);
        let terms = Terms::new(&query, max_shown);
        let bounds = terms.bounds(&terms.lane_others(&packed), &sims);
        for (l, f) in facts.iter().enumerate() {
            let total = exact(f, sims[l], &query, max_shown);
            if f.langs & 1 == 0 {
                prop_assert_eq!(bounds[l], f32::NEG_INFINITY);
            } else {
                prop_assert!(bounds[l] + SLACK >= total, "lane {l}: bound {} < total {total}", bounds[l]);
                prop_assert!(bounds[l] <= total + SLACK, "lane {l}: bound {} far above {total}", bounds[l]);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn a_blocks_row_bounds_every_lane_in_it(
        lanes in prop::collection::vec(
            (0u32..4, prop_oneof![few_specialties(0), any::<u32>()], prop::option::of(-40i64 * 86_400_000..40 * 86_400_000), 0.0f32..1.0, 0u32..50),
            1..40,
        ),
        topics in prop_oneof![Just(0u32), few_specialties(1), any::<u32>()],
        languages in 1u32..4,
        weights in weights(),
        boost in prop_oneof![Just(0.0f32), 0.0f32..0.4],
        now in 1_700_000_000_000i64..1_800_000_000_000,
        max_extra in 0u32..20,
    ) {
        let query = MatchQuery {
            vector: [0.0; 10], topics, languages, org: None, skip: Default::default(), weights,
            now_ms: now, want: 10, exposure_boost: boost, mmr_lambda: 0.85,
        };
        let max_shown = lanes.iter().map(|l| l.4).max().unwrap_or(0) + max_extra;
        // The lanes in chunks of eight, the last one padded.
        let mut chunks = vec![LaneFacts::default(); lanes.len().div_ceil(8)];
        for (k, (langs, specialties, at, rating, shown)) in lanes.iter().enumerate() {
            chunks[k / 8].set(k % 8, &Facts {
                langs: *langs,
                specialties: *specialties,
                next_available: at.map(|a| now + a),
                rating: *rating,
                shown: *shown,
            });
        }
        let mut table = BlockTable::default();
        table.set(0, &chunks);
        let terms = Terms::new(&query, max_shown);
        let mut rows = Vec::new();
        terms.others(&table, &mut rows);
        prop_assert_eq!(rows.len(), 1);
        let best_lane = chunks
            .iter()
            .flat_map(|c| terms.lane_others(c))
            .fold(f32::NEG_INFINITY, f32::max);
        if lanes.iter().all(|l| l.0 & languages == 0) {
            prop_assert_eq!(rows[0], f32::NEG_INFINITY);
        } else {
            prop_assert!(rows[0] + SLACK >= best_lane, "row {} < best lane {best_lane}", rows[0]);
            prop_assert!(!rows[0].is_nan());
        }
    }
}
