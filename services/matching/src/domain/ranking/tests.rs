use super::*;

#[test]
fn weights_normalise_and_reject_nonsense() {
    let w = Weights {
        values: 2.0,
        specialty: 1.0,
        availability: 1.0,
        rating: 0.0,
    }
    .normalised()
    .expect("valid");
    assert!((w.values - 0.5).abs() < 1e-6);
    assert!(
        Weights {
            values: -1.0,
            ..Weights::default()
        }
        .normalised()
        .is_none()
    );
    assert!(
        Weights {
            values: 0.0,
            specialty: 0.0,
            availability: 0.0,
            rating: 0.0
        }
        .normalised()
        .is_none()
    );
    assert!(
        Weights {
            values: f32::NAN,
            ..Weights::default()
        }
        .normalised()
        .is_none()
    );
}

#[test]
fn the_bayesian_rating_starts_at_the_prior_and_moves_with_evidence() {
    assert!((bayesian_rating(0.0, 0) - RATING_PRIOR).abs() < 1e-6);
    assert!(bayesian_rating(5.0, 1) < bayesian_rating(50.0, 10));
    assert!(bayesian_rating(50.0, 10) < 5.0);
}

#[test]
fn features_are_bounded() {
    assert_eq!(availability_feature(None, 0), 0.2);
    assert_eq!(availability_feature(Some(0), 1000), 1.0);
    assert_eq!(availability_feature(Some(30 * 86_400_000), 0), 0.0);
    assert_eq!(specialty_feature(0, 0b101), 0.5);
    assert_eq!(specialty_feature(0b11, 0b01), 0.5);
    assert_eq!(specialty_feature(0b11, 0b11), 1.0);
}

#[test]
fn mmr_prefers_variety_over_near_duplicates() {
    // 0 and 1 are twins with the best scores; 2 is different and nearly as good.
    let sim = |a: usize, b: usize| {
        if a.min(b) == 0 && a.max(b) == 1 {
            1.0
        } else {
            0.0
        }
    };
    let picked: Vec<usize> = mmr(&[(0, 0.9), (1, 0.89), (2, 0.85)], 2, 0.7, sim)
        .into_iter()
        .map(|p| p.0)
        .collect();
    assert_eq!(picked, [0, 2]);
    let pure: Vec<usize> = mmr(&[(0, 0.9), (1, 0.89), (2, 0.85)], 2, 1.0, sim)
        .into_iter()
        .map(|p| p.0)
        .collect();
    assert_eq!(pure, [0, 1]);
}

#[test]
fn reasons_are_never_empty_and_speak_the_language() {
    let mut e = [0.0f32; DIMS];
    e[0] = 0.8;
    let input = ReasonInput {
        employee: &e,
        consultant: &e,
        features: Features {
            values: 0.9,
            specialty: 1.0,
            availability: 1.0,
            rating: 0.8,
        },
        topics: 0b10,
        specialties: 0b10,
        ms_until_available: Some(2 * 86_400_000),
        rating: (4.6, 12),
        years_experience: 12,
        qualification: "national_career_consultant",
    };
    // Alone on its page, nothing sets it apart: the reasons keep their order.
    let alone = Baseline::of(std::slice::from_ref(&input));
    let ja = reasons(&input, &alone, Lang::Ja);
    assert_eq!(ja.len(), 3);
    assert!(ja[0].contains(DIMENSIONS[0].label_ja), "{ja:?}");
    assert!(ja[1].contains("転職"), "{ja:?}");
    let en = reasons(&input, &alone, Lang::En);
    assert!(en[1].contains("career change"), "{en:?}");
    let bare = ReasonInput {
        features: Features::default(),
        topics: 0,
        ms_until_available: None,
        rating: (4.0, 0),
        ..input
    };
    assert_eq!(
        reasons(&bare, &alone, Lang::En),
        ["National Career Consultant (Japan) with 12 years of experience"]
    );
}

#[test]
fn free_within_counts_hours_and_rounds_up() {
    const H: i64 = 3_600_000;
    let cases = [
        (
            0,
            Some("1時間以内に空きがあります"),
            Some("Available within the hour"),
        ),
        (
            H / 2,
            Some("1時間以内に空きがあります"),
            Some("Available within the hour"),
        ),
        (
            5 * H,
            Some("5時間以内に空きがあります"),
            Some("Available within 5 hours"),
        ),
        (
            5 * H + 1,
            Some("6時間以内に空きがあります"),
            Some("Available within 6 hours"),
        ),
        (
            23 * H,
            Some("23時間以内に空きがあります"),
            Some("Available within 23 hours"),
        ),
        (
            24 * H,
            Some("1日以内に空きがあります"),
            Some("Available within a day"),
        ),
        (
            24 * H + 1,
            Some("2日以内に空きがあります"),
            Some("Available within 2 days"),
        ),
        (
            42 * H,
            Some("2日以内に空きがあります"),
            Some("Available within 2 days"),
        ),
        (
            7 * 24 * H,
            Some("7日以内に空きがあります"),
            Some("Available within 7 days"),
        ),
        (7 * 24 * H + 1, None, None),
        (-1, None, None),
        (-3 * H, None, None),
    ];
    for (ms, ja, en) in cases {
        assert_eq!(soon(ms, Lang::Ja).as_deref(), ja, "{ms} ms");
        assert_eq!(soon(ms, Lang::En).as_deref(), en, "{ms} ms");
    }
}

#[test]
fn each_candidate_leads_with_what_sets_it_apart_from_the_others_shown() {
    let mut e = [0.0f32; DIMS];
    e[0] = 0.8;
    e[1] = 0.5;
    let mut leaning_other_way = e;
    leaning_other_way[0] = 0.3;
    leaning_other_way[1] = 0.9;
    let common = ReasonInput {
        employee: &e,
        consultant: &e,
        features: Features {
            values: 0.8,
            specialty: 1.0,
            availability: 0.3,
            rating: 0.5,
        },
        topics: 0b10,
        specialties: 0b10,
        ms_until_available: Some(6 * 86_400_000),
        rating: (4.3, 3),
        years_experience: 8,
        qualification: "national_career_consultant",
    };
    let soon = ReasonInput {
        features: Features {
            availability: 1.0,
            ..common.features
        },
        ms_until_available: Some(5 * 3_600_000),
        ..common
    };
    let rated = ReasonInput {
        features: Features {
            rating: 0.95,
            ..common.features
        },
        rating: (4.8, 40),
        ..common
    };
    let veteran = ReasonInput {
        years_experience: 30,
        ..common
    };
    let other_values = ReasonInput {
        consultant: &leaning_other_way,
        ..common
    };
    let shown = [soon, rated, veteran, other_values];
    let baseline = Baseline::of(&shown);
    let first: Vec<String> = shown
        .iter()
        .map(|c| reasons(c, &baseline, Lang::En)[0].clone())
        .collect();
    assert_eq!(first[0], "Available within 5 hours", "{first:?}");
    assert_eq!(
        first[1], "Highly rated by clients (4.8/5 from 40)",
        "{first:?}"
    );
    assert!(first[2].contains("30 years"), "{first:?}");
    // Values: named by what both lean towards, so the same employee reads
    // different dimensions for consultants who lean differently.
    let values_of = |c: &ReasonInput<'_>| {
        reasons(c, &baseline, Lang::En)
            .into_iter()
            .find(|r| r.starts_with("Values"))
            .expect("a values reason")
    };
    assert_ne!(values_of(&shown[0]), values_of(&shown[3]));
    // Where the data is the same, so are the reasons.
    assert_eq!(
        reasons(&shown[0], &baseline, Lang::Ja),
        reasons(&ReasonInput { ..shown[0] }, &baseline, Lang::Ja)
    );
    // Topics partly covered say how many.
    let partly = ReasonInput {
        topics: 0b110,
        ..common
    };
    assert!(
        reasons(
            &partly,
            &Baseline::of(std::slice::from_ref(&partly)),
            Lang::En
        )
        .iter()
        .any(|r| r.ends_with("(1 of your 2 topics)")),
    );
}
