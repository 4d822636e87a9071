use super::{label, valid_code};

#[test]
fn codes_are_lowercase_words_and_not_reserved() {
    for good in ["generative_ai", "dx2", "return_to_work"] {
        assert!(valid_code(good), "{good}");
    }
    for bad in [
        "",
        "ai",
        "Generative",
        "2fa",
        "生成ai",
        "crisis_path",
        "all",
        "a-b",
        &"x".repeat(41),
    ] {
        assert!(!valid_code(bad), "{bad}");
    }
}

#[test]
fn labels_are_trimmed_and_bounded() {
    assert_eq!(label("label_ja", "  生成AI  ").expect("fine"), "生成AI");
    for bad in ["", "   ", &"あ".repeat(41), "a\u{202E}b", "a\nb"] {
        let refused = label("label_ja", bad).expect_err(bad);
        assert!(
            matches!(
                refused,
                shared::error::ApiError::Expected {
                    code: "invalid_label",
                    ..
                }
            ),
            "{refused:?}"
        );
    }
    assert!(label("label_en", &"a".repeat(40)).is_ok());
}
