use crate::scrub::scrub_summary;

#[test]
fn names_in_english_frames() {
    for (text, expected) in [
        (
            "A customer, Arjun, keeps asking",
            "A customer, [name], keeps asking",
        ),
        (
            "The recruiter (Tom Whitaker) says",
            "The recruiter ([name]) says",
        ),
        ("care manager: Ryo Uno", "care manager: [name]"),
        (
            "Her sister Misaki lives nearby",
            "Her sister [name] lives nearby",
        ),
        (
            "Emergency contact: Laura Baines (mother).",
            "Emergency contact: [name] (mother).",
        ),
        (
            "a former manager at another firm, Dawson, as a model",
            "a former manager at another firm, [name], as a model",
        ),
        (
            "知人の紹介でJun Miura(外資系の人事)に会い",
            "知人の紹介で[name](外資系の人事)に会い",
        ),
        (
            "a letter from Ms. Baker at the bank",
            "a letter from Ms. [name] at the bank",
        ),
        ("Ms. van der Berg called", "Ms. [name] called"),
        (
            "her fiancé Ren lives in Kobe",
            "her fiancé [name] lives in Kobe",
        ),
        (
            "She goes by her Korean name \"Jiwoo\" in the team.",
            "She goes by her Korean name \"[name]\" in the team.",
        ),
        ("His nickname is Sunny.", "His nickname is [name]."),
        (
            "ケアマネジャーのKikuchi-sanから",
            "ケアマネジャーの[name]-sanから",
        ),
    ] {
        assert_eq!(scrub_summary(text, &[]), expected, "{text}");
    }
}

#[test]
fn english_words_after_person_words_stay() {
    for text in [
        "my manager said no",
        "Monday with my manager",
        "the client, Japan, and",
        "Park Avenue office",
        "a senior Engineer joined",
        "my boss In the meeting",
        "She reports to the VP, Engineering, and to the Head of Sales.",
        "The name of the project is Phoenix.",
        "a nickname for the team",
        "her son's school",
    ] {
        assert_eq!(scrub_summary(text, &[]), text);
    }
}
