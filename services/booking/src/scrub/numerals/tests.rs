use crate::scrub::scrub;

#[test]
fn kanji_digit_numbers_are_redacted() {
    for (text, expected) in [
        ("携帯は〇七〇・三一四一・五九二六です", "携帯は[phone]です"),
        ("〇三ー五五五五ー〇一九八に電話", "[phone]に電話"),
        ("〇八〇九八七六五四三二", "[phone]"),
        ("携帯 〇八〇 一二一二 三四三四", "携帯 [phone]"),
        ("TEL 〇六(六三四一)七七八八", "TEL [phone]"),
        ("〒二六〇-〇〇二七 千葉市", "〒[postcode] 千葉市"),
        ("郵便番号は九八〇八八一一", "郵便番号は[postcode]"),
        ("社員番号 四七一一八", "社員番号 [id]"),
        ("内線 二〇九三", "内線 [phone]"),
    ] {
        assert_eq!(scrub(text), expected, "{text}");
    }
}

#[test]
fn counting_numerals_stay() {
    for text in [
        "入社三年目",
        "二〇二六年の組織変更",
        "第一四半期の目標",
        "一・二年目の社員",
        "〇〇〇-〇〇〇〇-〇〇〇〇(伏せ字)",
        "一二三四五六七八九十",
        "連絡先は二〇二六年に変わる",
    ] {
        assert_eq!(scrub(text), text);
    }
}
