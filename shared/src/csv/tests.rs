use super::cell;

#[test]
fn formulas_become_text_and_quotes_double() {
    assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
    assert_eq!(cell("+1"), "'+1");
    assert_eq!(cell("-2+3"), "'-2+3");
    assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
    assert_eq!(cell("\t=1"), "'\t=1");
    assert_eq!(cell("＝1+1"), "'＝1+1");
    assert_eq!(cell("面談の準備, a=1"), "\"面談の準備, a=1\"");
    assert_eq!(cell("all"), "all");
}
