use crate::scrub::scrub;

#[test]
fn dates_of_birth_in_every_form() {
    for (text, expected) in [
        ("1985年4月12日生まれ", "[birthdate]生まれ"),
        ("昭和60年生まれ", "[birthdate]生まれ"),
        ("昭和六十年四月十二日", "[birthdate]"),
        ("生年月日：S60.4.12", "生年月日:[birthdate]"),
        ("DOB 1985/04/12.", "DOB [birthdate]."),
        (
            "She was born 12 April 1985 in Osaka",
            "She was born [birthdate] in Osaka",
        ),
        ("born on April 12, 1985", "born on [birthdate]"),
        ("誕生日は4月12日です", "誕生日は[birthdate]です"),
        ("１９８５／０４／１２", "[birthdate]"),
        ("born in 1985", "born in [birthdate]"),
        ("1990年生", "[birthdate]生"),
        ("DOB 12/04/85 was", "DOB [birthdate] was"),
        ("S60生まれの同期", "[birthdate]生まれの同期"),
    ] {
        assert_eq!(scrub(text), expected, "{text}");
    }
}

#[test]
fn other_dates_and_counts_stay() {
    for text in [
        "2026年に3回",
        "2024年4月1日に異動",
        "2024-04-01の面談",
        "入社2年生",
        "3年間",
        "平成元年",
        "April 2024",
        "2020-2023年",
        "10:00-12:00",
        "M3 chip",
        "S60",
    ] {
        assert_eq!(scrub(text), text);
    }
}
