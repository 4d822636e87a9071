use super::*;

#[test]
fn readings_are_romanised_as_people_write_them() {
    let sato = romaji("サトウ");
    for form in ["satou", "sato", "satoh", "satō"] {
        assert!(sato.contains(&form.to_owned()), "{form} in {sato:?}");
    }
    assert!(romaji("ハナコ").contains(&"hanako".to_owned()));
    assert!(romaji("ケンイチ").contains(&"ken'ichi".to_owned()));
    assert!(romaji("ケンイチ").contains(&"kenichi".to_owned()));
    assert!(romaji("ホンマ").contains(&"homma".to_owned()));
    assert!(romaji("ハットリ").contains(&"hattori".to_owned()));
    assert!(romaji("シュンスケ").contains(&"shunsuke".to_owned()));
    assert!(romaji("ユーコ").contains(&"yuuko".to_owned()));
    assert!(romaji("ユーコ").contains(&"yuko".to_owned()));
    assert!(romaji("佐藤").is_empty());
    assert!(romaji("キム").contains(&"kim".to_owned()));
}

#[test]
fn kana_scripts_convert_both_ways() {
    assert_eq!(to_hiragana("サトウ ハナコ"), "さとう はなこ");
    assert_eq!(to_katakana("さとう"), "サトウ");
}
