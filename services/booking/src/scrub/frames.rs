//! Japanese names on no list, found by a frame that makes a person of
//! them: in brackets after a person word (母(香織), 上司(金子), 叔父(三浦亮))
//! or before one (小松 由美(母)); a common name after a person word
//! (夫の健太が, 旧姓の杉浦, 友人菊地 誠と); family and given name with a
//! space (大西 渚); a common surname before a clinic (竹内クリニック); a
//! nickname (「ハナ」と呼ぶ, あだ名は「ちーちゃん」).

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::dictionary::{GIVEN, SURNAME, surname_prefix};
use super::text::{Marker, Redactions, Text, is_han, is_hiragana, is_katakana};
use super::words::{
    self, BRACKET_ORDINARY_SET, HAN_ORDINARY_SET, KATAKANA_ORDINARY_SET, ORG_WORD_SET,
    PLACE_SURNAME_SET,
};

/// A name written in Japanese: kanji or kana, at most one space inside.
const JA_NAME: &str = r"[\p{Han}々ヶ\p{Katakana}ー\p{Hiragana}]{1,5}(?:[ ][\p{Han}々ヶ\p{Katakana}ー\p{Hiragana}]{1,4})?";

/// The person words, longest first, as regex alternatives.
pub(super) fn person_words() -> String {
    words::longest_first(&words::PERSON_WORDS.split_whitespace().collect::<Vec<_>>()).join("|")
}

/// Adds a `[name]` span for every name found by a Japanese frame.
pub(super) fn find(text: &Text, out: &mut Redactions) {
    static AFTER_PERSON: LazyLock<Regex> = LazyLock::new(|| {
        super::compile(&format!(r"(?:{})[ ]?\(({JA_NAME})[)、,]", person_words()))
    });
    static BEFORE_PERSON: LazyLock<Regex> = LazyLock::new(|| {
        super::compile(&format!(r"({JA_NAME})[ ]?\((?:{})[)、,]", person_words()))
    });
    static NICKNAME: LazyLock<Regex> = LazyLock::new(|| {
        super::compile(
            r"(?:(?:あだ名|愛称|ニックネーム|呼び名|通称)(?:は|が|:)?[ ]?「([^」]{1,10})」|「([^」]{1,10})」(?:と|って)(?:呼|よ)(?:ば|ん|ぶ|べ))",
        )
    });
    for re in [&*AFTER_PERSON, &*BEFORE_PERSON] {
        for caps in re.captures_iter(&text.view) {
            if let Some(name) = caps.get(1).map(|m| trim_to_name(text, m.range()))
                && bracketed_name(&text.view[name.clone()])
            {
                out.add(name, Marker::Name);
            }
        }
    }
    for caps in NICKNAME.captures_iter(&text.view) {
        let labelled = caps.get(1).is_some();
        if let Some(quoted) = caps.get(1).or_else(|| caps.get(2)) {
            let honorific = ["ちゃん", "くん", "さん", "君"]
                .iter()
                .find(|h| quoted.as_str().ends_with(*h));
            let end = quoted.end() - honorific.map_or(0, |h| h.len());
            let name = &text.view[quoted.start()..end];
            // What someone is called may be a role (「管理職」と呼ばれる): a
            // nickname has a label, an honorific, or is a short kana word.
            let kana =
                name.chars().all(|c| is_katakana(c) || is_hiragana(c)) && name.chars().count() <= 4;
            let ordinary = KATAKANA_ORDINARY_SET.contains(name)
                || words::TITLES.split_whitespace().any(|t| t == name);
            if labelled || honorific.is_some() || (kana && !ordinary) {
                out.add(quoted.start()..end, Marker::Name);
            }
        }
    }
    after_person_words(text, out);
    super::common_names::find(text, out);
}

/// The end of a run before a bracket that is part of the name: `由美` in
/// `緊急連絡先:小松 由美`, whole when a space joins family and given name.
fn trim_to_name(text: &Text, span: Range<usize>) -> Range<usize> {
    let run = &text.view[span.clone()];
    // Hiragana before the name are the particles of the sentence (…には田中).
    let from = run
        .char_indices()
        .rfind(|(_, c)| is_hiragana(*c))
        .map_or(0, |(at, c)| at + c.len_utf8());
    let name_hiragana = run.chars().all(|c| is_hiragana(c) || c == 'ー' || c == ' ');
    if name_hiragana {
        span
    } else {
        span.start + from..span.end
    }
}

/// A bracketed word that is a name: not empty, not a role or a state
/// (会社員, 自営業, 主婦 end as occupations do).
pub(super) fn bracketed_name(name: &str) -> bool {
    let bare: String = name.chars().filter(|c| *c != ' ').collect();
    let occupation = bare.chars().count() >= 2
        && bare.ends_with(['員', '者', '師', '業', '職', '医', '官', '婦']);
    !bare.is_empty()
        && !occupation
        && !BRACKET_ORDINARY_SET.contains(bare.as_str())
        && !HAN_ORDINARY_SET.contains(bare.as_str())
        && !ORG_WORD_SET.contains(bare.as_str())
        && !words::TITLES.split_whitespace().any(|t| t == bare)
        && !words::PERSON_WORDS.split_whitespace().any(|p| p == bare)
}

/// 夫の健太が, 旧姓の杉浦のまま, 友人菊地 誠と: a common name right after
/// a person word.
fn after_person_words(text: &Text, out: &mut Redactions) {
    static PERSON: LazyLock<Regex> = LazyLock::new(|| {
        super::compile(&format!(r"(?:{})(?:の|は|が|:|、|・|[ ])?", person_words()))
    });
    for found in PERSON.find_iter(&text.view) {
        let rest = &text.view[found.end()..];
        let first: String = rest.chars().take_while(|c| is_han(*c)).collect();
        if first.is_empty() {
            continue;
        }
        let after_first = &rest[first.len()..];
        let second = after_first
            .strip_prefix(' ')
            .map_or(String::new(), given_name_after_space);
        let span_end = |len: usize| found.end()..found.end() + len;
        if !second.is_empty()
            && (SURNAME.written.contains(&first) || GIVEN.written.contains(&second))
        {
            out.add(span_end(first.len() + 1 + second.len()), Marker::Name);
        } else if common_name(&first, after_first) {
            out.add(span_end(first.len()), Marker::Name);
        }
    }
}

/// The given name after a family name and a space: kanji, or a known
/// given name in kana (みなみ in `みなみが`).
pub(super) fn given_name_after_space(rest: &str) -> String {
    let han: String = rest.chars().take_while(|c| is_han(*c)).collect();
    if !han.is_empty() {
        return han;
    }
    let kana: String = rest
        .chars()
        .take_while(|c| is_hiragana(*c) || is_katakana(*c))
        .collect();
    let ends: Vec<usize> = kana
        .char_indices()
        .map(|(at, c)| at + c.len_utf8())
        .collect();
    ends.into_iter()
        .rev()
        .map(|end| &kana[..end])
        .find(|prefix| GIVEN.written.contains(*prefix))
        .unwrap_or_default()
        .to_owned()
}

/// A run of kanji that is a common name on its own (杉浦, 健太), or a
/// common surname and a common given name (中村健太).
fn common_name(run: &str, after: &str) -> bool {
    let next = after.chars().next();
    let particle = next.is_some_and(|c| words::PARTICLES.contains(c));
    if run.chars().count() == 1 {
        // One kanji before a particle or a mark (夫の進が, 次男湊。), not
        // a verb stem (進め方).
        let mark = next.is_none_or(|c| "。、,.()「」・".contains(c));
        return GIVEN.written.contains(run) && (particle || mark);
    }
    let particle = particle
        || next.is_none_or(|c| !is_hiragana(c))
        || ["から", "まで", "より"]
            .iter()
            .any(|p| after.starts_with(p));
    let surname_alone = SURNAME.written.contains(run) && !PLACE_SURNAME_SET.contains(run);
    // Two kanji of a family name and a common given name (桐山茂が).
    let split = run.char_indices().nth(2).map(|(at, _)| at);
    let family_and_given = split
        .is_some_and(|at| run.chars().count() <= 4 && GIVEN.written.contains(&run[at..]))
        && next.is_some_and(|c| words::PARTICLES.contains(c));
    let given_alone = GIVEN.written.contains(run);
    let both = surname_prefix(run).is_some_and(|at| GIVEN.written.contains(&run[at..]));
    family_and_given || (particle && (surname_alone || given_alone || both))
}

#[cfg(test)]
mod tests;
