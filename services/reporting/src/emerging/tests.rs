use super::*;

#[test]
fn japanese_is_split_into_words_without_particles_or_placeholders() {
    assert_eq!(
        tokens("在宅勤務が増えた。[name]さんとＡＩの話"),
        ["在宅", "勤務", "増え", "ai"]
    );
    assert_eq!(
        tokens("キャリアの方向性に悩んでいる。上司との関係がつらい。評価基準がわかりにくい"),
        [
            "キャリア",
            "方向",
            "悩ん",
            "上司",
            "関係",
            "つらい",
            "評価",
            "基準",
            "わかり"
        ]
    );
    assert_eq!(tokens("そうですね"), Vec::<String>::new(), "hiragana alone");
    // No character bigrams: 「キャリア」 is one word, never 「キャ」「ャリ」.
    assert!(
        !tokens("キャリア相談")
            .iter()
            .any(|t| t == "キャ" || t == "ャリ")
    );
}

/// Three kinds of Japanese summaries: remote work (tagged workload), elder
/// care (tagged life events) and generative AI — which the taxonomy does
/// not have, so its sessions are tagged all over the place.
fn corpus() -> Vec<(String, Vec<String>)> {
    let groups: [(&[&str], &[&str]); 3] = [
        (
            &[
                "在宅勤務で通勤はなくなった",
                "在宅勤務の孤立感がつらい",
                "オンライン会議ばかりで疲れる",
                "在宅の評価が不安",
                "通勤時間を学びに使いたい",
            ],
            &["workload"],
        ),
        (
            &[
                "親の介護と仕事の両立",
                "介護休業の使い方を知りたい",
                "介護のため時短勤務を検討",
                "遠距離介護の負担",
                "介護離職は避けたい",
            ],
            &["life_events"],
        ),
        (
            &[
                "生成AIで仕事がなくなる不安",
                "生成AIの活用を学びたい",
                "生成AIに業務を任せる上司",
                "プロンプトの書き方を学ぶ",
                "生成AI時代のキャリア",
            ],
            &["skills", "career_direction", "job_change"],
        ),
    ];
    let mut docs = Vec::new();
    for (phrases, tags) in groups {
        for i in 0..15 {
            let text = format!(
                "{}。{}。相談した。",
                phrases[i % phrases.len()],
                phrases[(i * 2 + 1) % phrases.len()]
            );
            docs.push((text, vec![tags[i % tags.len()].to_owned()]));
        }
    }
    docs
}

#[test]
fn japanese_summaries_fall_into_their_topics_and_the_untagged_one_is_emerging() {
    let found = discover(&corpus(), 10).expect("a clustering");
    assert_eq!(found.documents, 45);
    // Three topics (a sub-topic may split off and stay hidden if small).
    assert!((3..=5).contains(&found.k), "{found:?}");
    assert!(found.hidden <= 5, "{found:?}");
    let by_term = |term: &str| {
        found
            .clusters
            .iter()
            .find(|c| c.top_terms.iter().any(|t| t == term))
            .unwrap_or_else(|| panic!("no cluster about {term}: {found:?}"))
    };
    let care = by_term("介護");
    assert_eq!(care.size, 15);
    assert_eq!(care.dominant_theme.as_deref(), Some("life_events"));
    assert!(!care.is_emerging());
    let ai = by_term("生成ai");
    assert_eq!(ai.size, 15);
    assert!(ai.is_emerging(), "{ai:?}");
    assert!(!by_term("在宅").is_emerging());
}

#[test]
fn too_few_summaries_or_small_clusters_show_nothing() {
    let docs = corpus();
    assert!(discover(&docs[..15], 10).is_none());
    let found = discover(&docs, 20).expect("45 summaries are enough to try");
    assert!(found.clusters.iter().all(|c| c.size >= 20), "{found:?}");
    assert_eq!(
        found.hidden + found.clusters.iter().map(|c| c.size).sum::<usize>(),
        45,
        "every summary is either in a shown cluster or counted as hidden"
    );
    assert!(
        found.hidden > 0,
        "a 15-summary topic stays hidden: {found:?}"
    );
}
