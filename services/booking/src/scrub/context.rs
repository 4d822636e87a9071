//! Names on no list, found by their context: the word before an honorific
//! or title (田中さん, サトウ部長, Mikeさん, 森GL); the frames of
//! [`super::frames`] (母(香織), 夫の健太が); and English ones
//! ([`super::english`]: Mr. Tanaka, my manager Ken, Tanaka-san).

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::text::{Marker, Redactions, Text, is_han, is_hiragana, is_katakana, is_latin_word};
use super::words::{
    self, ENGLISH_COMMON_SET, HAN_ORDINARY_SET, HIRAGANA_ORDINARY_SET, KATAKANA_ORDINARY_SET,
    KATAKANA_TITLE_PREFIX_SET, ORG_WORD_SET, TITLE_SET,
};

/// Adds a `[name]` span for every name found by its context.
pub(super) fn find(text: &Text, out: &mut Redactions) {
    before_honorifics(text, out);
    super::frames::find(text, out);
    super::relatives::find(text, out);
    super::english::find(text, out);
}

static HONORIFIC: LazyLock<Regex> = LazyLock::new(|| {
    let all: Vec<&str> = [words::HONORIFICS, words::TITLES, words::LATIN_TITLES_AFTER]
        .iter()
        .flat_map(|list| list.split_whitespace())
        .collect();
    let alternatives: Vec<String> = words::longest_first(&all)
        .iter()
        .map(|w| regex::escape(w))
        .collect();
    super::compile(&alternatives.join("|"))
});

fn before_honorifics(text: &Text, out: &mut Redactions) {
    for found in HONORIFIC.find_iter(&text.lower) {
        let honorific = found.as_str();
        let latin_title = honorific.is_ascii();
        let title =
            latin_title || TITLE_SET.contains(honorific) || matches!(honorific, "先輩" | "先生");
        if latin_title && text.after(found.end()).is_some_and(is_latin_word) {
            continue;
        }
        if !stands_alone(honorific, &text.view[found.end()..], title) {
            continue;
        }
        let end = if text.before(found.start()) == Some(' ') {
            found.start() - 1
        } else {
            found.start()
        };
        if let Some(run) = name_run(text, end, title) {
            out.add(run, Marker::Name);
        }
    }
}

/// Whether the honorific is not the start of a longer word (様子, 氏名,
/// 部長職, ちゃんと).
fn stands_alone(honorific: &str, rest: &str, title: bool) -> bool {
    let next = rest.chars().next();
    let refuses = |chars: &str| next.is_some_and(|c| chars.contains(c));
    match honorific {
        "ちゃん" if rest.starts_with('と') => false,
        "様" => !refuses("子式相態々変"),
        "氏" => !refuses("名族神"),
        "君" => !refuses("臨主"),
        "殿" => !refuses("堂下様"),
        "さん" => !refuses("ざぜせそぽ"),
        _ if title && next.is_some_and(is_han) => words::TITLE_CONTINUATIONS
            .split_whitespace()
            .any(|w| rest.starts_with(w)),
        _ => true,
    }
}

/// The name ending at `end`, if the word there is one.
fn name_run(text: &Text, end: usize, title: bool) -> Option<Range<usize>> {
    let last = text.before(end)?;
    // A long vowel mark belongs to the kana before it (ちーちゃん, マーティン).
    let kind = if last == 'ー' {
        text.before(end - 'ー'.len_utf8()).map(script)?
    } else {
        script(last)
    };
    let kana = matches!(kind, Script::Katakana | Script::Hiragana);
    let start = run_start(text, end, |c| script(c) == kind || (kana && c == 'ー'));
    let run = &text.view[start..end];
    let chars = run.chars().count();
    let is_name = match kind {
        Script::Latin => latin_name(run),
        Script::Katakana => chars >= 2 && !ordinary_katakana(run) && !(title && role_katakana(run)),
        Script::Han => {
            let prefixed = matches!(text.before(start), Some('お' | 'ご'))
                || (run.starts_with('御') && chars <= 2);
            !(prefixed || ordinary_han(run) || (title && org_word(run)))
        }
        Script::Hiragana => return hiragana_name(text, start, end, title),
        Script::Other => false,
    };
    is_name.then_some(start..end)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Script {
    Latin,
    Katakana,
    Han,
    Hiragana,
    Other,
}

fn script(c: char) -> Script {
    if is_han(c) {
        Script::Han
    } else if is_katakana(c) || c == '・' {
        Script::Katakana
    } else if is_hiragana(c) {
        Script::Hiragana
    } else if is_latin_word(c) || matches!(c, '\'' | '’' | '-' | '.') {
        Script::Latin
    } else {
        Script::Other
    }
}

fn run_start(text: &Text, end: usize, same: impl Fn(char) -> bool) -> usize {
    let mut start = end;
    for (at, c) in text.view[..end].char_indices().rev() {
        if !same(c) {
            break;
        }
        start = at;
    }
    start
}

/// `Mike`, `Tanaka`, not `IT` or `team`.
fn latin_name(run: &str) -> bool {
    let word = run.trim_matches(|c: char| !c.is_alphabetic());
    let mut chars = word.chars();
    let capital = chars.next().is_some_and(char::is_uppercase);
    let acronym = word.chars().all(|c| !c.is_lowercase()) && word.chars().count() <= 3;
    capital
        && !acronym
        && word.chars().count() >= 2
        && !ENGLISH_COMMON_SET.contains(word.to_lowercase().as_str())
}

fn ordinary_katakana(run: &str) -> bool {
    KATAKANA_ORDINARY_SET.iter().any(|w| run.ends_with(w))
}

/// プロジェクト(マネージャー), ケア(マネジャー): a role before a title.
fn role_katakana(run: &str) -> bool {
    KATAKANA_TITLE_PREFIX_SET.iter().any(|w| run.ends_with(w))
}

/// Family, roles and set phrases: お客さん, 皆様, 担当者様, 社員さん.
fn ordinary_han(run: &str) -> bool {
    let chars: Vec<char> = run.chars().collect();
    (0..chars.len()).any(|from| {
        let tail: String = chars[from..].iter().collect();
        HAN_ORDINARY_SET.contains(tail.as_str()) && (from == 0 || tail.chars().count() >= 2)
    }) || TITLE_SET.iter().any(|t| run.ends_with(t))
        || ["者", "員", "社", "師", "士"]
            .iter()
            .any(|e| run.ends_with(e) && chars.len() >= 2)
}

/// A department or grade before a title: 営業部長, 人事課長, 新部長.
fn org_word(run: &str) -> bool {
    let ends_in_org = |s: &str| {
        let chars: Vec<char> = s.chars().collect();
        (0..chars.len()).any(|from| {
            let tail: String = chars[from..].iter().collect();
            ORG_WORD_SET.contains(tail.as_str()) && (from == 0 || tail.chars().count() >= 2)
        })
    };
    if ends_in_org(run) {
        return true;
    }
    let stripped = run.strip_suffix(|c: char| words::DEPARTMENT_ENDINGS.contains(c));
    stripped.is_some_and(|s| s.is_empty() || ends_in_org(s))
}

/// A name in hiragana before さん (まゆみさん), after a particle that ends
/// the word before it (同僚のまゆみさん).
fn hiragana_name(text: &Text, start: usize, end: usize, title: bool) -> Option<Range<usize>> {
    if title {
        return None;
    }
    let mut start = start;
    let particle = text.after(start).filter(|c| words::PARTICLES.contains(*c));
    if let Some(p) = particle
        && text
            .before(start)
            .is_some_and(|c| is_han(c) || is_katakana(c))
    {
        start += p.len_utf8();
    }
    let run = &text.view[start..end];
    let chars = run.chars().count();
    let ordinary = HIRAGANA_ORDINARY_SET.iter().any(|w| run.ends_with(w));
    (2..=6)
        .contains(&chars)
        .then_some(start..end)
        .filter(|_| !ordinary)
}
