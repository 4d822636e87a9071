use crate::scrub::{name_terms, scrub_summary};

#[test]
fn a_listed_surname_before_a_site_is_a_place() {
    let terms: Vec<String> = [("浦和 健", "ウラワ ケン"), ("熊本 翼", "クマモト ツバサ")]
        .iter()
        .flat_map(|(name, reading)| name_terms(name, Some(reading)))
        .collect();
    for text in [
        "浦和オフィスに異動",
        "浦和支店と熊本の倉庫を兼務",
        "熊本・大分エリアを担当",
        "熊本の工場で研修",
        "熊本への出張が多い",
        "熊本出身で",
    ] {
        assert_eq!(scrub_summary(text, &terms), text);
    }
    for (text, expected) in [
        ("浦和支店長に相談", "[name]支店長に相談"),
        ("熊本エリアマネージャーが", "[name]エリアマネージャーが"),
        ("浦和の担当エリア", "[name]の担当エリア"),
        ("熊本さんの工場", "[name]さんの工場"),
        ("浦和が店を辞めた", "[name]が店を辞めた"),
    ] {
        assert_eq!(scrub_summary(text, &terms), expected, "{text}");
    }
}
