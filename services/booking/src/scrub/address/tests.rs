use crate::scrub::scrub;

#[test]
fn japanese_addresses_with_place_building_and_room() {
    for (text, expected) in [
        (
            "自宅は東京都千代田区丸の内二丁目7番3号です",
            "自宅は[address]です",
        ),
        (
            "住所：世田谷区太子堂1-2-3 サンハイツ405号室",
            "住所:[address]",
        ),
        ("大阪市北区梅田3丁目1-1 梅田タワー12F", "[address]"),
        ("横浜市中区本町5-4に", "[address]に"),
        (
            "〒100-0001 東京都千代田区千代田1-1",
            "〒[postcode] [address]",
        ),
        ("札幌市中央区北1条西2丁目", "[address]"),
        ("渋谷区渋谷2-21-1 渋谷ヒカリエ8F", "[address]"),
        ("12番地の3", "[address]"),
        ("実家は品川区大崎6の6の11です", "実家は[address]です"),
    ] {
        assert_eq!(scrub(text), expected, "{text}");
    }
}

#[test]
fn english_and_romanised_addresses() {
    assert_eq!(
        scrub("lives at 1-2-3 Marunouchi, Chiyoda-ku, Tokyo."),
        "lives at [address]."
    );
    assert_eq!(
        scrub("moved to 221 Baker Street, Apt 4 last year"),
        "moved to [address] last year"
    );
    assert_eq!(
        scrub("Home: Flat 7, 42 Ash Grove, Leeds LS6 2AB (temporary)"),
        "Home: [address] (temporary)"
    );
    assert_eq!(
        scrub("Unit 3B 15 Harbor View Square, Portland, OR 97201."),
        "[address]."
    );
    for text in [
        "Park Avenue office",
        "Flat 2 of the plan",
        "Hill Street, London",
    ] {
        assert_eq!(scrub(text), text);
    }
}

#[test]
fn ordinary_numbers_are_no_addresses() {
    for text in [
        "3-5年の経験",
        "週2-3回",
        "2024-04-01に",
        "第3-4四半期",
        "5階の会議室",
        "ステップ1",
    ] {
        assert_eq!(scrub(text), text);
    }
}
