use super::*;

#[test]
fn charts_escape_labels_and_use_no_inline_style() {
    let svg = radar(&[("<b>".to_owned(), 0.5), ("a".to_owned(), -1.0)], "t");
    assert!(svg.contains("&lt;b&gt;") && !svg.contains("style="));
    let svg = trends(
        &["2026-Q1".to_owned(), "2026-Q2".to_owned()],
        &[Series {
            label: "x".to_owned(),
            values: vec![Some(12), None],
        }],
        "t",
    );
    assert!(svg.contains("<circle") && !svg.contains("style="));
}
