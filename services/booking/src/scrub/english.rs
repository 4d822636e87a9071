//! Names on no list in Latin text, by their context: after a title (Mr.
//! Kato, Ms. Baker, Dr. van Dijk), given as a name (her English name
//! "Amy", goes by Jo), after a person word (my manager Ken Ito; a colleague named Li;
//! care manager: Ryo Uno; Doctor (Claire Dawson); a difficult client,
//! Whitaker, …), before a person word in brackets (Laura Baines (mother)),
//! before a Japanese honorific (Tanaka-san), and as First Last with a
//! common Japanese name (Jun Miura, TATSUMI Tsukasa).

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::dictionary::is_romanised_name;
use super::text::{Marker, Redactions, Text, is_latin_word};
use super::words::{self, ENGLISH_COMMON_SET};

/// One to three capitalised words (Ken, O'Brien, TATSUMI Tsukasa).
const NAME: &str = r"\p{Lu}[\p{L}'’\-]*(?:[ ]+\p{Lu}[\p{L}'’\-]*){0,2}";

/// The person words, longest first (`fiancée` before `fiancé`).
fn person_words() -> String {
    words::longest_first(
        &words::ENGLISH_PERSON_WORDS
            .split_whitespace()
            .collect::<Vec<_>>(),
    )
    .join("|")
}

/// Adds a `[name]` span for every name found by its English context.
pub(super) fn find(text: &Text, out: &mut Redactions) {
    static AFTER_TITLE: LazyLock<Regex> = LazyLock::new(|| {
        super::compile(&format!(
            r"(?-u:\b)(?i:mr|mrs|ms|mx|miss|dr|prof)(?-u:\b)\.?[ ]+((?:(?:de|van|von|der|den|da|di|du|del|della|la|le|bin|al)[ ]+){{0,2}}{NAME})"
        ))
    });
    // The person word ends at a space or a mark: `fiancé` ends in a letter
    // that an ASCII word boundary does not see.
    static AFTER_PERSON: LazyLock<Regex> = LazyLock::new(|| {
        super::compile(&format!(
            r"(?-u:\b)(?i:{})s?(?:[ ]*[,:(][ ]*|[ ]+)(?:(?i:named|called|is|was)[ ]+)?({NAME})",
            person_words()
        ))
    });
    static BEFORE_PERSON: LazyLock<Regex> = LazyLock::new(|| {
        super::compile(&format!(
            r"({NAME})[ ]*\((?i:{})(?:-in-law)?[),]",
            person_words()
        ))
    });
    static BEFORE_SAN: LazyLock<Regex> = LazyLock::new(|| {
        super::compile(&format!(
            r"(\p{{Latin}}[\p{{Latin}}'’]+)(-|[ ])(?i:{})(?-u:\b)",
            words::LATIN_HONORIFICS.replace(' ', "|")
        ))
    });
    static FIRST_LAST: LazyLock<Regex> = LazyLock::new(|| {
        super::compile(r"(\p{Lu}\p{Ll}+|\p{Lu}{2,})[ ]+(\p{Lu}\p{Ll}+|\p{Lu}{2,})")
    });
    // A name given as a name (her English name "Vivian", goes by Jo).
    static NAMED: LazyLock<Regex> = LazyLock::new(|| {
        super::compile(&format!(
            r#"(?-u:\b)(?i:(?:(?:first|given|last|family|maiden|middle|english|chinese|korean|japanese|real|legal|preferred|nick)[ ]?name|nickname|goes[ ]by|known[ ]as)(?:[ ]+(?:is|was))?[ ]*[:,]?|name[ ]*[:"“]|(?:her|his|their|my|whose)[ ]name[ ](?:is|was))[ ]*["“'‘]?({NAME})"#
        ))
    });
    for (re, after_title) in [
        (&*AFTER_TITLE, true),
        (&*AFTER_PERSON, false),
        (&*BEFORE_PERSON, false),
        (&*NAMED, false),
    ] {
        for caps in re.captures_iter(&text.view) {
            if let Some(name) = caps.get(1)
                && !glued_before(text, name.start())
            {
                let span = leading_names(&text.view, name.range(), after_title);
                out.add(span, Marker::Name);
            }
        }
    }
    for caps in BEFORE_SAN.captures_iter(&text.view) {
        let (Some(name), Some(joiner)) = (caps.get(1), caps.get(2)) else {
            continue;
        };
        let word = name.as_str();
        let capitalised = word.starts_with(char::is_uppercase);
        let common = ENGLISH_COMMON_SET.contains(word.to_lowercase().as_str());
        if !glued_before(text, name.start()) && !common && (joiner.as_str() == "-" || capitalised) {
            out.add(name.range(), Marker::Name);
        }
    }
    for caps in FIRST_LAST.captures_iter(&text.view) {
        let (Some(first), Some(last)) = (caps.get(1), caps.get(2)) else {
            continue;
        };
        let common = |w: &str| ENGLISH_COMMON_SET.contains(w.to_lowercase().as_str());
        let known = is_romanised_name(first.as_str()) || is_romanised_name(last.as_str());
        let whole = !glued_before(text, first.start())
            && !text.after(last.end()).is_some_and(is_latin_word);
        if known && whole && !common(first.as_str()) && !common(last.as_str()) {
            out.add(first.start()..last.end(), Marker::Name);
        }
    }
    appositions(text, out);
}

/// `a difficult client, Whitaker, whose…`; `a former manager at another
/// firm, Dawson, as…`: a capitalised word set off by commas shortly after
/// a person word, in the same sentence.
fn appositions(text: &Text, out: &mut Redactions) {
    static PERSON: LazyLock<Regex> =
        LazyLock::new(|| super::compile(&format!(r"(?-u:\b)(?i:{})s?", person_words())));
    static SET_OFF: LazyLock<Regex> =
        LazyLock::new(|| super::compile(&format!(r"^[^.;!?。]*?,[ ]+({NAME})[ ]*[,)]")));
    for person in PERSON.find_iter(&text.view) {
        if text.after(person.end()).is_some_and(is_latin_word) {
            continue;
        }
        let rest = &text.view[person.end()..];
        let window = &rest[..rest.char_indices().nth(60).map_or(rest.len(), |(at, _)| at)];
        if let Some(name) = SET_OFF.captures(window).and_then(|caps| caps.get(1)) {
            let span = person.end() + name.start()..person.end() + name.end();
            out.add(leading_names(&text.view, span, false), Marker::Name);
        }
    }
}

fn glued_before(text: &Text, at: usize) -> bool {
    text.before(at).is_some_and(is_latin_word)
}

/// The leading capitalised words that are names, not `The`, `Monday`, `I`.
/// After a title (Ms. Carter, Dr. Hill) a word is a name even when it is
/// also an English word; only a function word ends the name there.
fn leading_names(view: &str, span: Range<usize>, after_title: bool) -> Range<usize> {
    const FUNCTION_WORDS: &str =
        "the a an and or of to in on at for with by from i we he she they it";
    let mut end = span.start;
    let mut at = span.start;
    for word in view[span.clone()].split(' ') {
        if !word.is_empty() {
            let lower = word.to_lowercase();
            let stop = if after_title {
                FUNCTION_WORDS.split(' ').any(|w| w == lower)
            } else {
                ENGLISH_COMMON_SET.contains(lower.as_str())
            };
            if stop {
                break;
            }
            end = at + word.len();
        }
        at += word.len() + 1;
    }
    span.start..end
}

#[cfg(test)]
mod tests;
