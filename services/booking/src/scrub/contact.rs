//! Contact details: email addresses (also written `name (at) example.com`,
//! `name(a)example.com`, `name[at]example.com`), URLs (any case, with or
//! without a scheme when there is a path) and social handles (`@hanako_s`,
//! `LINE ID: hanako88`, `Her LINE ID is hanako_88`, a Discord tag `neko#0412`).

use std::sync::LazyLock;

use regex::Regex;

use super::text::{Marker, Redactions, Text, is_latin_word};
use super::words::ENGLISH_COMMON_SET;

/// Chat and social services whose account names are handles.
const SERVICES: &str = "line|ライン|skype|slack|wechat|weixin|discord|chatwork|チャットワーク|instagram|insta|インスタ|twitter|ツイッター|facebook|github|telegram|kakaotalk|kakao|カカオトーク|カカオ|tiktok|threads|qiita|zenn";

/// Adds the spans of emails, URLs and handles.
pub(super) fn find(text: &Text, out: &mut Redactions) {
    static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
        super::compile(
            r"[a-z0-9][a-z0-9._%+\-]*[ ]?(?:@|[(\[{<][ ]?(?:at|a|@|あっと|アット(?:マーク)?)[ ]?[)\]}>]|あっと|アット(?:マーク)?|[★☆])[ ]?[a-z0-9][a-z0-9\-]*(?:(?:\.|[ ]?(?:[(\[{<][ ]?(?:dot|\.)[ ]?[)\]}>]|ドット|どっと)[ ]?)[a-z0-9\-]+)+",
        )
    });
    static SPELLED_EMAIL: LazyLock<Regex> = LazyLock::new(|| {
        super::compile(r"[a-z0-9][a-z0-9._%+\-]*[ ]at[ ][a-z0-9\-]+(?:[ ]dot[ ][a-z0-9\-]+)+")
    });
    static URL: LazyLock<Regex> = LazyLock::new(|| {
        super::compile(
            r"(?:(?:https?|ftp)[:;]//|www\.)[!-~]+|[a-z0-9][a-z0-9\-]*(?:\.[a-z0-9\-]+)*\.(?:com|net|org|jp|io|co|me|info|biz|dev|app|ai|us|uk|cn|kr|tw|in|page|site|link|ly|gl|be)/[!-~]+",
        )
    });
    static HANDLE: LazyLock<Regex> =
        LazyLock::new(|| super::compile(r"@([a-z0-9_][a-z0-9_.]{1,29})"));
    static LABELLED_HANDLE: LazyLock<Regex> = LazyLock::new(|| {
        super::compile(&format!(
            r"(?:{SERVICES})((?:[ :=「『(、]|の|は|が|で|dm|line|ライン|id|アカウント|account|handle|ユーザー名|username|is|was){{0,8}})(@?[a-z0-9][a-z0-9_.\-:]{{2,}})",
        ))
    });
    for re in [&*EMAIL, &*SPELLED_EMAIL] {
        for found in re.find_iter(&text.lower) {
            out.add(found.range(), Marker::Email);
        }
    }
    for found in URL.find_iter(&text.lower) {
        if text
            .before(found.start())
            .is_some_and(|c| is_latin_word(c) || c == '@')
        {
            continue;
        }
        let url = found
            .as_str()
            .trim_end_matches(['.', ',', ';', ':', '!', '?', ')', ']', '}', '\'', '"']);
        out.add(found.start()..found.start() + url.len(), Marker::Url);
    }
    for caps in HANDLE.captures_iter(&text.lower) {
        let (Some(all), Some(name)) = (caps.get(0), caps.get(1)) else {
            continue;
        };
        let attached = text
            .before(all.start())
            .is_some_and(|c| is_latin_word(c) || "._%+-".contains(c));
        let name = name.as_str().trim_end_matches('.');
        let group_mention = matches!(name, "channel" | "here" | "all" | "everyone");
        if !attached && !group_mention && name.chars().any(|c| c.is_ascii_alphabetic()) {
            out.add(all.start()..all.start() + 1 + name.len(), Marker::Handle);
        }
    }
    // `LINE id fujii.y07`, `LINEのID「harada.y15」`, `ライン rie-k`: after a
    // service, a word that reads as an id (digits or `._-:` in it, or a
    // label such as `ID:` or `「` before it), not an English word.
    for caps in LABELLED_HANDLE.captures_iter(&text.lower) {
        let (Some(all), Some(gap), Some(handle)) = (caps.get(0), caps.get(1), caps.get(2)) else {
            continue;
        };
        let labels = [
            "id",
            ":",
            "「",
            "『",
            "=",
            "アカウント",
            "account",
            "handle",
            "ユーザー名",
            "username",
        ];
        let labelled = labels.iter().any(|l| gap.as_str().contains(l));
        // A full stop or colon after the handle ends the sentence.
        let kept = handle.as_str().trim_end_matches(['.', ':', '-']);
        let id_like = kept.contains(|c: char| c.is_ascii_digit() || "_.-:".contains(c));
        let word = ENGLISH_COMMON_SET.contains(kept);
        if !text.before(all.start()).is_some_and(is_latin_word) && (labelled || id_like) && !word {
            out.add(handle.start()..handle.start() + kept.len(), Marker::Handle);
        }
    }
    tags(text, out);
}

/// `yamaneko#4471`: a user name with a four-digit tag (Discord's old form,
/// Battle.net's), in a sentence that names such a service or a user name;
/// `issue#1234` in a sentence about tickets is no handle.
fn tags(text: &Text, out: &mut Redactions) {
    static TAG: LazyLock<Regex> =
        LazyLock::new(|| super::compile(r"[a-z0-9_][a-z0-9_.\-]{1,31}#[0-9]{4}"));
    static ABOUT_ACCOUNTS: LazyLock<Regex> = LazyLock::new(|| {
        super::compile(
            r"discord|ディスコード|battle\.?net|battletag|ユーザー名|ユーザーネーム|ハンドル|username|user[ ]name|handle|gamertag|タグ",
        )
    });
    for found in TAG.find_iter(&text.lower) {
        let glued = text.before(found.start()).is_some_and(is_latin_word)
            || text.after(found.end()).is_some_and(|c| c.is_ascii_digit());
        let head = &text.lower[..found.start()];
        let sentence = head
            .rfind(['。', '.', '!', '?', '\n'])
            .map_or(head, |at| &head[at..]);
        if !glued && ABOUT_ACCOUNTS.is_match(sentence) {
            out.add(found.range(), Marker::Handle);
        }
    }
}

#[cfg(test)]
mod tests;
