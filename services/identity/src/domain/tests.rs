use super::*;

#[test]
fn names_and_readings_are_optional_and_readings_become_katakana() {
    assert_eq!(
        PersonName::parse(Some(" "), None),
        Ok(PersonName::default())
    );
    assert_eq!(
        PersonName::parse(Some("佐藤 花子"), Some("さとう　はなこ")),
        Ok(PersonName {
            full_name: Some("佐藤 花子".to_owned()),
            reading: Some("サトウ ハナコ".to_owned()),
        })
    );
    assert!(PersonName::parse(None, Some("Sato")).is_err());
    assert!(PersonName::parse(Some(&"名".repeat(61)), None).is_err());
}

#[test]
fn cohorts_are_optional_trimmed_and_bounded() {
    assert_eq!(parse_cohort(None, Some(" ")), Ok(None));
    assert_eq!(
        parse_cohort(Some(" 営業部 "), Some("30s")),
        Ok(Some(Cohort {
            department: Some("営業部".to_owned()),
            age_band: Some("30s".to_owned())
        }))
    );
    assert!(parse_cohort(None, Some("37")).is_err());
    assert!(parse_cohort(Some(&"部".repeat(61)), None).is_err());
}

#[test]
fn emails_are_normalised_and_checked() {
    assert_eq!(
        Email::parse("  Hana.Sato@Example.CO.JP ").map(|e| e.0),
        Ok("hana.sato@example.co.jp".to_owned())
    );
    for bad in [
        "",
        "no-at.example.com",
        "a@b",
        "a b@example.com",
        "@example.com",
        "a@.example.com",
        "a@example..com",
        "a@b@example.com",
        ".a@example.com",
    ] {
        assert!(Email::parse(bad).is_err(), "{bad:?} should be rejected");
    }
    assert!(Email::parse(&format!("{}@example.com", "a".repeat(65))).is_err());
}

#[test]
fn passwords_follow_the_policy_in_characters_not_bytes() {
    assert!(Password::parse("short").is_err());
    assert!(Password::parse("            ").is_err());
    assert!(Password::parse("correct horse battery").is_ok());
    // 12 Japanese characters are 36 bytes but 12 characters: accepted.
    assert!(Password::parse("たいわたいわたいわたいわ").is_ok());
    assert!(Password::parse(&"xy".repeat(65)).is_err());
    assert!(Password::parse(&"xy".repeat(64)).is_ok());
    assert_eq!(
        format!("{:?}", Password::parse("correct horse battery")),
        "Ok(Password(…))"
    );
}

#[test]
fn display_names_are_trimmed_and_bounded() {
    assert_eq!(
        DisplayName::parse("  さくら ").map(|d| d.0),
        Ok("さくら".to_owned())
    );
    assert!(DisplayName::parse("   ").is_err());
    assert!(DisplayName::parse(&"名".repeat(81)).is_err());
    assert!(DisplayName::parse("a\u{0007}b").is_err());
}

#[test]
fn common_passwords_are_refused_and_good_ones_pass() {
    for weak in [
        "Password2026!",
        "password1234",
        "qwertyuiop12",
        "QwertyQwerty",
        "aaaaaaaaaaaa",
        "123456789012",
        "iloveyou2026",
        "  welcome!!!  ",
        "Taiwa!2026!!",
        "Sakura12345678",
        "0987654321098",
    ] {
        assert!(Password::parse(weak).is_err(), "{weak} should be refused");
    }
    for good in [
        "correct horse battery staple",
        "fixture-password-123",
        "藍色の猫が三匹いる部屋の窓辺",
        "a long enough passphrase",
    ] {
        assert!(Password::parse(good).is_ok(), "{good} should pass");
    }
}
