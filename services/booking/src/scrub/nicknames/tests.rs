use super::*;

fn has(forms: &[(String, Nickname)], form: &str, kind: Nickname) -> bool {
    forms.iter().any(|(f, k)| f == form && *k == kind)
}

#[test]
fn nicknames_of_a_reading() {
    let forms = of_reading("ムラカミ");
    assert!(has(&forms, "むらっち", Nickname::Ended));
    assert!(has(&forms, "ムラピー", Nickname::Ended));
    assert!(has(&forms, "むらかみん", Nickname::Ended));
    assert!(has(&forms, "むら", Nickname::Quoted));
    assert!(has(&forms, "mura", Nickname::Quoted));
    let forms = of_reading("チョウノ");
    assert!(has(&forms, "ちょうっち", Nickname::Ended));
}

#[test]
fn no_nickname_that_is_a_word() {
    let forms = of_reading("ハットリ");
    assert!(!forms.iter().any(|(f, _)| f == "ハッピー"));
    let forms = of_reading("サイトウ");
    assert!(!forms.iter().any(|(f, _)| f == "サイン"));
    assert!(of_reading("ア").is_empty());
    assert!(of_reading("森").is_empty());
}
