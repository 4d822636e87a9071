use super::*;

fn input() -> ProfileInput {
    ProfileInput {
        display_name: "佐藤 花子".into(),
        headline: "転職とキャリアチェンジの相談なら".into(),
        message: String::new(),
        qualification: "national_career_consultant".into(),
        registration_number: "16012345".into(),
        specialties: vec!["career_change".into(), "career_change".into()],
        industries: vec!["IT".into()],
        languages: vec!["ja".into()],
        years_experience: 8,
        region: "kanto".into(),
        gender: None,
        age_band: Some("40s".into()),
        session_formats: vec!["video".into()],
        affiliated_org_ids: vec![],
        accepting_clients: true,
    }
}

#[test]
fn a_good_profile_parses_and_deduplicates() {
    let draft = input().parse().expect("valid");
    assert_eq!(draft.specialties, ["career_change"]);
}

#[test]
fn every_problem_is_reported_with_its_field() {
    let bad = ProfileInput {
        display_name: " ".into(),
        qualification: "guru".into(),
        registration_number: "1 2".into(),
        specialties: vec!["astrology".into()],
        languages: vec![],
        region: "mars".into(),
        years_experience: 99,
        ..input()
    };
    let fields: Vec<&str> = bad
        .parse()
        .expect_err("invalid")
        .into_iter()
        .map(|(f, _)| f)
        .collect();
    for f in [
        "display_name",
        "qualification",
        "registration_number",
        "specialties",
        "languages",
        "region",
        "years_experience",
    ] {
        assert!(fields.contains(&f), "{f} not reported: {fields:?}");
    }
}
