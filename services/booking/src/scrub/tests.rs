use super::*;

fn terms(people: &[(&str, Option<&str>)]) -> Vec<String> {
    people
        .iter()
        .flat_map(|(name, reading)| terms::of_person(name, *reading))
        .collect()
}

#[test]
fn contact_details_are_removed_in_japanese_and_english_text() {
    assert_eq!(
        scrub("連絡はhanako.sato@example.co.jpまで"),
        "連絡は[email]まで"
    );
    assert_eq!(
        scrub("call +81 90-1234-5678 or see https://intra.example.com/x?id=3 today"),
        "call [phone] or see [url] today"
    );
    assert_eq!(scrub("社員番号 0012345 の件"), "社員番号 [id] の件");
    assert_eq!(scrub("2026年に3回"), "2026年に3回", "short numbers stay");
    assert_eq!(scrub("評価制度への不安"), "評価制度への不安");
}

#[test]
fn names_are_redacted_whole_and_in_parts() {
    let terms = terms(&[("佐藤 花子", None), ("Ken Tanaka", None)]);
    assert_eq!(
        redact_names("佐藤花子さんと佐藤さん、花子さんの件", &terms),
        "[name]さんと[name]さん、[name]さんの件"
    );
    assert_eq!(
        redact_names("Talked with ken TANAKA and Tanakas' team", &terms),
        "Talked with [name] and Tanakas' team",
        "whole words only, any case"
    );
    assert_eq!(
        redact_names("Kentucky office", &terms),
        "Kentucky office",
        "no partial words"
    );
    assert_eq!(redact_names("評価制度への不安", &terms), "評価制度への不安");
}

#[test]
fn readings_and_romaji_of_listed_names_are_redacted() {
    let terms = terms(&[
        ("佐藤 花子", Some("サトウ ハナコ")),
        ("林 誠", Some("ハヤシ マコト")),
    ]);
    for (text, expected) in [
        ("さとうさんとサトウさん", "[name]さんと[name]さん"),
        ("ｻﾄｳさん", "[name]さん"),
        (
            "Sato-san and SATOH and Satō",
            "[name]-san and [name] and [name]",
        ),
        ("林さんと林部長", "[name]さんと[name]部長"),
        ("林 誠は", "[name]は"),
        ("誠さんと林さん", "[name]さんと[name]さん"),
        ("はなこちゃん", "[name]ちゃん"),
    ] {
        assert_eq!(redact_names(text, &terms), expected, "{text}");
    }
}

#[test]
fn short_name_parts_need_context() {
    let terms = terms(&[
        ("林 誠", Some("ハヤシ マコト")),
        ("森 愛", Some("モリ アイ")),
        ("Li Na", None),
        ("Wu Ming", None),
        ("原 陽菜", Some("ハラ ヒナ")),
    ]);
    for text in [
        "森林の保全",
        "誠実な人柄",
        "アイデアが多い",
        "メモリ不足",
        "ハラスメント研修",
        "AI tools",
        "Li-ion battery",
        "Wu-Tang",
        "原因を探る",
    ] {
        assert_eq!(redact_names(text, &terms), text);
    }
    assert_eq!(
        redact_names("Li said so; so did Wu.", &terms),
        "[name] said so; so did [name]."
    );
    assert_eq!(
        redact_names("森さん、アイちゃん", &terms),
        "[name]さん、[name]ちゃん"
    );
}

#[test]
fn listed_names_match_in_variant_kanji() {
    let terms = terms(&[("高橋 一郎", None), ("渡辺 茜", None), ("斎藤 学", None)]);
    assert_eq!(
        redact_names("髙橋が渡邉と齋藤に伝えた", &terms),
        "[name]が[name]と[name]に伝えた"
    );
    assert_eq!(redact_names("斉藤と話した", &terms), "[name]と話した");
}

#[test]
fn a_name_listed_with_other_names_needs_no_honorific() {
    let terms = terms(&[("岡部 誠", None), ("堤 真一", None), ("森 愛", None)]);
    assert_eq!(
        redact_names("メンバーは岡部、堤、森の3名", &terms),
        "メンバーは[name]、[name]、[name]の3名"
    );
    assert_eq!(
        redact_names("岡部、森林を歩く", &terms),
        "[name]、森林を歩く"
    );
}

#[test]
fn nicknames_made_from_a_listed_reading() {
    let terms = terms(&[("村上 千秋", Some("ムラカミ チアキ"))]);
    for (text, expected) in [
        ("皆から「むらっち」と呼ばれる", "皆から「[name]」と呼ばれる"),
        ("チアキンが来た", "[name]が来た"),
        ("部では「ちあ」。", "部では「[name]」。"),
        ("team calls her \"Chia\"", "team calls her \"[name]\""),
    ] {
        assert_eq!(redact_names(text, &terms), expected, "{text}");
    }
    for text in ["むらがある", "ちあきらめ", "チアリーダー", "スイッチ"] {
        assert_eq!(redact_names(text, &terms), text);
    }
}

#[test]
fn an_english_word_after_an_article_is_no_listed_name() {
    let terms = terms(&[("Summer Hayes", None)]);
    assert_eq!(
        redact_names("The Summer bonus was cut; I met Summer later.", &terms),
        "The Summer bonus was cut; I met [name] later."
    );
    assert_eq!(
        redact_names("He says that Summer agreed.", &terms),
        "He says that [name] agreed."
    );
}

#[test]
fn names_on_no_list_are_found_by_their_context() {
    for (text, expected) in [
        ("取引先の熊谷様から", "取引先の[name]様から"),
        ("義母の田中さんが", "義母の[name]さんが"),
        ("井上係長とは面識がない", "[name]係長とは面識がない"),
        ("サトウさんとMikeさん", "[name]さんと[name]さん"),
        ("同僚のまゆみさん", "同僚の[name]さん"),
        (
            "a former boss, Mr. Kato, said",
            "a former boss, Mr. [name], said",
        ),
        ("my manager Ken Ito agreed", "my manager [name] agreed"),
        (
            "a colleague named Li joined",
            "a colleague named [name] joined",
        ),
        ("Oka-san explained", "[name]-san explained"),
        ("林SVに相談", "[name]SVに相談"),
    ] {
        assert_eq!(scrub_summary(text, &[]), expected, "{text}");
    }
}

#[test]
fn everyday_words_with_honorifics_stay() {
    for text in [
        "お客さんの声",
        "皆さんに共有",
        "上司の方と話した",
        "部長職への昇進",
        "課長代理になった",
        "営業部長と面談",
        "先輩社員の支援",
        "たくさんの仕事",
        "みなさんありがとう",
        "お疲れ様です",
        "様子を見る",
        "氏名の欄",
        "ちゃんと話す",
        "パートさんが多い",
        "人事部長の判断",
        "新部長が着任",
        "社長の方針",
        "担当者様へ",
        "my manager said no",
        "Mr. and Mrs. are titles",
        "Monday with my manager",
    ] {
        assert_eq!(scrub_summary(text, &[]), text);
    }
}

#[test]
fn the_whole_pipeline_on_one_summary() {
    let terms = terms(&[("佐藤 花子", Some("サトウ ハナコ"))]);
    let summary = "佐藤さん（ｈａｎａｋｏ＠ｅｘａｍｐｌｅ．ｊｐ、０９０－１２３４－５６７８）は1985年4月12日生まれ。\
                   〒100-0001 東京都千代田区千代田1-1。社員番号 A12345。";
    assert_eq!(
        scrub_summary(summary, &terms),
        "[name]さん([email]、[phone])は[birthdate]生まれ。〒[postcode] [address]。社員番号 [id]。"
    );
}

#[test]
fn a_large_list_stays_compiled_while_small_ones_pass_through() {
    let large: Vec<String> = (0..3_000)
        .flat_map(|n| terms::of_person(&format!("Person{n} Family{n}"), None))
        .collect();
    let first = listed::NameList::shared(&large);
    for n in 0..10 {
        listed::NameList::shared(&terms(&[(&format!("Small{n} Org"), None)]));
    }
    let again = listed::NameList::shared(&large);
    assert!(std::sync::Arc::ptr_eq(&first, &again));
}
