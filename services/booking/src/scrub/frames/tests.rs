use crate::scrub::scrub_summary;

#[test]
fn names_in_japanese_frames() {
    for (text, expected) in [
        ("母(香織)の入院", "母([name])の入院"),
        ("前の会社の上司(金子)に", "前の会社の上司([name])に"),
        ("叔父(三浦亮)の会社", "叔父([name])の会社"),
        (
            "父親(三宅実、1950年生まれ)",
            "父親([name]、[birthdate]生まれ)",
        ),
        ("緊急連絡先:小松 由美(母)", "緊急連絡先:[name](母)"),
        ("夫の健太が海外赴任", "夫の[name]が海外赴任"),
        ("旧姓の杉浦のまま", "旧姓の[name]のまま"),
        ("元上司の熊田からの誘い", "元上司の[name]からの誘い"),
        ("友人菊地 誠と副業", "友人[name]と副業"),
        ("父の桐山茂が経営する", "父の[name]が経営する"),
        ("長女花子、次男湊。", "長女[name]、次男[name]。"),
        (
            "Emergency contact: 母 大西 渚, 連絡",
            "Emergency contact: 母 [name], 連絡",
        ),
        ("かかりつけの竹内クリニック", "かかりつけの[name]クリニック"),
        ("上司は「ハナ」と呼ぶ", "上司は「[name]」と呼ぶ"),
        ("あだ名は「ちーちゃん」", "あだ名は「[name]ちゃん」"),
    ] {
        assert_eq!(scrub_summary(text, &[]), expected, "{text}");
    }
}

#[test]
fn person_words_before_ordinary_words_stay() {
    for text in [
        "母の介護が必要",
        "上司の進め方",
        "夫の転勤が決まった",
        "上司(当時)の判断",
        "母の千葉の実家",
        "父(故人)",
        "母の愛が",
        "上司の評価",
        "新宿クリニック",
        "大阪支社",
        "子供(小学生)の送り迎え",
        "「管理職」と呼ばれる",
        "取引先(大手)との交渉",
        "上司(部長)と面談",
        "夫(会社員)は単身赴任",
        "母(自営業)",
    ] {
        assert_eq!(scrub_summary(text, &[]), text);
    }
}
