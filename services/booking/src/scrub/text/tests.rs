use super::*;

#[test]
fn views_fold_digits_dashes_and_case_but_keep_positions() {
    let text = Text::new("ＴＥＬ０９０‐１２３４—５６７８ ٣ ১২");
    assert_eq!(text.view, "TEL090-1234-5678 3 12");
    assert_eq!(text.lower, "tel090-1234-5678 3 12");
    let mut spans = Redactions::default();
    spans.add(3..16, Marker::Phone);
    assert_eq!(spans.apply(&text), "TEL[phone] ٣ ১২");
}

#[test]
fn variant_kanji_are_matched_in_the_lower_view_only() {
    let text = Text::new("髙橋と渡邉と山﨑と斉藤");
    assert_eq!(text.lower, "高橋と渡辺と山崎と斎藤");
    assert_eq!(text.view, "髙橋と渡邉と山﨑と斉藤");
    assert_eq!(matching_form("齋藤"), "斎藤");
}

#[test]
fn ordinary_numerals_are_not_digits() {
    assert_eq!(decimal_value('〇'), None);
    assert_eq!(decimal_value('一'), None);
    assert_eq!(decimal_value('௰'), None, "Tamil ten is not a digit");
    assert_eq!(decimal_value('௯'), Some(9));
}
