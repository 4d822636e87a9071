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

#[test]
fn age_bands_as_people_write_them() {
    for (written, band) in [
        ("30s", Some("30s")),
        ("60_plus", Some("60_plus")),
        ("30代", Some("30s")),
        ("３０代", Some("30s")),
        (" 40代前半 ", Some("40s")),
        ("50代後半", Some("50s")),
        ("30-39", Some("30s")),
        ("30〜39", Some("30s")),
        ("３０～３９歳", Some("30s")),
        ("40 - 49", Some("40s")),
        ("30's", Some("30s")),
        ("20代", Some("under_30")),
        ("20-29", Some("under_30")),
        ("30歳未満", Some("under_30")),
        ("Under 30", Some("under_30")),
        ("~29", Some("under_30")),
        ("60代", Some("60_plus")),
        ("70代", Some("60_plus")),
        ("60歳以上", Some("60_plus")),
        ("60+", Some("60_plus")),
        ("60代以上", Some("60_plus")),
        // A range across two bands, an age, a half decade, words: refused.
        ("25-34", None),
        ("35", None),
        ("35代", None),
        ("40歳以上", None),
        ("若手", None),
        ("", None),
        ("39-30", None),
        ("99999999999999999999代", None),
    ] {
        assert_eq!(read_age_band(written), band, "{written:?}");
    }
    let cohort = parse_cohort(Some("営業部"), Some("30代")).expect("read");
    assert_eq!(cohort.and_then(|c| c.age_band).as_deref(), Some("30s"));
    assert!(parse_cohort(None, Some("若手")).is_err());
}

#[test]
fn each_email_problem_has_its_code() {
    for (raw, code) in [
        ("", "email_empty"),
        ("a b@example.com", "email_bad_character"),
        ("hana.example.com", "email_no_at"),
        (".hana@example.com", "email_bad_local_part"),
        ("hana@example", "email_bad_domain"),
    ] {
        assert_eq!(
            Email::parse(raw).map(|_| ()).map_err(EmailError::code),
            Err(code),
            "{raw:?}"
        );
    }
    assert_eq!(EmailError::NoAt.to_string(), "the email address has no @");
}
