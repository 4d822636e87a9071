use crate::scrub::scrub;

#[test]
fn emails_in_any_width_and_spelling() {
    assert_eq!(
        scrub("連絡はhanako.sato@example.co.jpまで"),
        "連絡は[email]まで"
    );
    assert_eq!(scrub("ｈａｎａｋｏ＠ｅｘａｍｐｌｅ．ｊｐへ"), "[email]へ");
    assert_eq!(scrub("mail: Hanako.Sato (at) example.com"), "mail: [email]");
    assert_eq!(
        scrub("write to hanako at example dot com"),
        "write to [email]"
    );
    assert_eq!(
        scrub("hanako.s あっと example.ne.jp とのこと"),
        "[email] とのこと"
    );
    assert_eq!(
        scrub("ando_n0527★outlook.example.com(★を@に)"),
        "[email](★を@に)"
    );
    assert_eq!(scrub("y.mori(a)example.org まで"), "[email] まで");
    assert_eq!(scrub("y.mori[at]example.org"), "[email]");
    assert_eq!(scrub("y.mori(アットマーク)example.org"), "[email]");
    assert_eq!(scrub("y.mori{at}example[dot]org"), "[email]");
    assert_eq!(scrub("Clause 3(a) applies."), "Clause 3(a) applies.");
    assert_eq!(
        scrub("look at example.com for details"),
        "look at example.com for details"
    );
}

#[test]
fn urls_in_any_case() {
    assert_eq!(
        scrub("see HTTPS://Intra.Example.com/X?id=3 today"),
        "see [url] today"
    );
    assert_eq!(
        scrub("資料はhttps://example.com/aを参照"),
        "資料は[url]を参照"
    );
    assert_eq!(scrub("(www.example.jp/me)"), "([url])");
    assert_eq!(scrub("linkedin.com/in/hanako-sato です"), "[url] です");
}

#[test]
fn handles_but_not_mentions_or_emails() {
    assert_eq!(scrub("Xは@hanako_s0です"), "Xは[handle]です");
    assert_eq!(scrub("Instagram: hanako.s"), "Instagram: [handle]");
    assert_eq!(scrub("LINE ID: hanako88"), "LINE ID: [handle]");
    assert_eq!(scrub("@channel 共有です"), "@channel 共有です");
    for (text, expected) in [
        ("LINE id fujii.y07 about", "LINE id [handle] about"),
        (
            "(LINE: LINEのID「harada.y15」)",
            "(LINE: LINEのID「[handle]」)",
        ),
        ("DM: ライン rie-k", "DM: ライン [handle]"),
        ("Skype ID live:aya_0401", "Skype ID [handle]"),
        ("LINE ID：ａｒａｋｉ．ｍ８９", "LINE ID:[handle]"),
    ] {
        assert_eq!(scrub(text), expected, "{text}");
    }
    assert_eq!(
        scrub("Discordサーバー(ユーザー名 yamaneko_7#0419)で"),
        "Discordサーバー(ユーザー名 [handle])で"
    );
    assert_eq!(scrub("My WeChat is wx_lin2024."), "My WeChat is [handle].");
    for text in [
        "LINE for work chats",
        "online: yes",
        "Slack and Teams",
        "See issue#4021 in Jira.",
        "Slackで issue#4021 を共有",
        "LINE is down today",
        "He watches the Slack status.",
    ] {
        assert_eq!(scrub(text), text);
    }
}
