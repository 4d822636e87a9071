use super::*;

fn has(terms: &[String], term: &str) -> bool {
    terms.iter().any(|t| t == term)
}

#[test]
fn a_person_gives_name_reading_and_romaji_terms() {
    let terms = of_person("佐藤　花子", Some("ｻﾄｳ ﾊﾅｺ"));
    for term in [
        "佐藤 花子",
        "佐藤花子",
        "佐藤",
        "花子",
        "サトウ ハナコ",
        "サトウハナコ",
        "サトウ",
        "ハナコ",
        "さとう",
        "はなこ",
        "さとう はなこ",
        "sato",
        "satou",
        "satoh",
        "satō",
        "hanako",
    ] {
        assert!(has(&terms, term), "{term} in {terms:?}");
    }
}

#[test]
fn short_parts_are_terms_but_initials_are_not() {
    let terms = of_person("林 誠", Some("はやし まこと"));
    assert!(has(&terms, "林") && has(&terms, "誠") && has(&terms, "ハヤシ"));
    let terms = of_person("Li Na", None);
    assert!(has(&terms, "Li") && has(&terms, "Na"));
    let terms = of_person("John F. Kennedy", None);
    assert!(!has(&terms, "F") && !has(&terms, "F."));
    assert!(of_person("A", None).is_empty());
    assert!(of_person("  ", None).is_empty());
}

#[test]
fn terms_match_in_both_kana_scripts_and_without_spaces() {
    let forms = match_forms("サトウ・ハナコ");
    for form in [
        "サトウ ハナコ",
        "サトウハナコ",
        "さとうはなこ",
        "サトウ・ハナコ",
    ] {
        assert!(has(&forms, form), "{form} in {forms:?}");
    }
    assert_eq!(match_forms("Ken TANAKA"), ["ken tanaka", "kentanaka"]);
}
