use crate::scrub::scrub;

#[test]
fn phone_numbers_however_typed() {
    for (text, expected) in [
        ("call +81 90-1234-5678 or", "call [phone] or"),
        ("０９０－１２３４－５６７８まで", "[phone]まで"),
        ("090.1234.5678", "[phone]"),
        (
            "03‐1234‐5678 / 03–1234–5678 / 03—1234—5678",
            "[phone] / [phone] / [phone]",
        ),
        (
            "090−1234−5678、090ー1234ー5678、090～1234～5678",
            "[phone]、[phone]、[phone]",
        ),
        ("(03)1234-5678", "[phone]"),
        ("09012345678", "[phone]"),
        ("090-1234-5678 03-1234-5678", "[phone] [phone]"),
        ("内線1234まで", "内線[phone]まで"),
        ("TEL: 5678", "TEL: [phone]"),
        ("(415) 555-0123", "[phone]"),
    ] {
        assert_eq!(scrub(text), expected, "{text}");
    }
}

#[test]
fn postcodes_and_ids() {
    for (text, expected) in [
        ("〒100-0001 東京都", "〒[postcode] 東京都"),
        ("〒１０００００１", "〒[postcode]"),
        ("郵便番号は1500001", "郵便番号は[postcode]"),
        ("社員番号 0012345 の件", "社員番号 [id] の件"),
        ("社員番号：A12345", "社員番号:[id]"),
        ("社員番号は123です", "社員番号は[id]です"),
        ("employee ID E-4821", "employee ID [id]"),
        ("badge #7731", "badge #[id]"),
        ("マイナンバー 1234 5678 9012", "マイナンバー [id]"),
        ("免許証番号 123456789012", "免許証番号 [id]"),
        ("パスポートはTK1234567", "パスポートは[id]"),
        ("EMP-00123の件", "[id]の件"),
        ("口座 1234567", "口座 [id]"),
        ("residence card no. GK64010362GF", "residence card no. [id]"),
        ("被保険者証(記号 1203 番号 45)", "被保険者証(記号 [id])"),
        ("車のナンバー(品川 330 さ 12-34)", "車のナンバー([id])"),
        (
            "Desk phone ext. 2093; mobile",
            "Desk phone ext. [phone]; mobile",
        ),
        ("内線番号1882に", "内線番号[phone]に"),
    ] {
        assert_eq!(scrub(text), expected, "{text}");
    }
}

#[test]
fn ordinary_numbers_stay() {
    for text in [
        "2026年に3回",
        "年収600万円",
        "1,200,000円",
        "3.14159",
        "2020-2023年",
        "ISO27001の認証",
        "Ticket JIRA-12345 is open",
        "TOEIC 850点",
        "3-5年",
        "10:00-12:00",
        "週3-4回",
        "1200000円",
        "iPhone15",
    ] {
        assert_eq!(scrub(text), text);
    }
}
