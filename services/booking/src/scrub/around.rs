//! What surrounds a match of a listed term: the honorific or title that
//! makes a short term a name (林さん, Tanaka-san, Mr. Li), the other part of
//! the name next to it, and the Latin word boundaries and capitals that tell
//! a name from an ordinary word (Kentucky, Li-ion, Mark II, in April).

use std::ops::Range;

use super::text::{Text, is_latin_word};
use super::words;

/// `Mark II`, `Hill Street`, `April 2027`: a word that opens a longer
/// proper noun or a date.
pub(super) fn in_proper_noun(text: &Text, span: &Range<usize>) -> bool {
    let rest = &text.view[span.end..];
    rest.strip_prefix(' ')
        .is_some_and(|next| next.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit()))
}

/// `in April`, `from May`: a month, not a person.
pub(super) fn month_of_a_date(text: &Text, span: &Range<usize>) -> bool {
    const MONTHS: &str =
        "january february march april may june july august september october november december";
    const BEFORE: &str =
        "in from since until till by of during before after last next this early late mid end";
    let word = &text.lower[span.clone()];
    let previous = text.lower[..span.start]
        .split_whitespace()
        .next_back()
        .unwrap_or("");
    MONTHS.split(' ').any(|m| m == word) && BEFORE.split(' ').any(|b| b == previous)
}

/// `The April pay revision`, `this Summer`: an English word after an
/// article or a demonstrative is used as a word, not as a person's name.
pub(super) fn after_determiner(text: &Text, at: usize) -> bool {
    const DETERMINERS: &str = "the a an this these those every each our their its";
    let previous = text.lower[..at]
        .split_whitespace()
        .next_back()
        .unwrap_or("");
    text.lower[..at].ends_with(' ') && DETERMINERS.split(' ').any(|d| d == previous)
}

/// Whether a Latin match is part of a longer word: `Kentucky`, `Li-ion`,
/// `Wu-Tang`, `Tanakas` (but not `Tanaka's`, `Tanaka-san`).
pub(super) fn latin_glued(text: &Text, span: &Range<usize>) -> bool {
    let before = &text.lower[..span.start];
    let after = &text.lower[span.end..];
    let joiner = |c: char| matches!(c, '-' | '\'' | '’');
    let mut back = before.chars().rev();
    let word_before = match back.next() {
        Some(c) if is_latin_word(c) => true,
        Some(c) if joiner(c) => back.next().is_some_and(is_latin_word),
        _ => false,
    };
    let mut ahead = after.chars();
    let word_after = match ahead.next() {
        Some(c) if is_latin_word(c) => true,
        Some(c) if joiner(c) => {
            let rest = ahead.as_str();
            let possessive = rest.starts_with('s') && !rest[1..].starts_with(is_latin_word);
            rest.starts_with(is_latin_word) && !possessive && !honorific_after(text, span.end)
        }
        _ => false,
    };
    word_before || word_after
}

/// `Li`, `Tanaka`: an upper-case letter, then lower case.
pub(super) fn is_capitalised(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase) && chars.all(|c| !c.is_uppercase())
}

pub(super) fn starts_sentence(text: &Text, at: usize) -> bool {
    text.view[..at]
        .trim_end()
        .chars()
        .next_back()
        .is_none_or(|c| ".!?。！？:;\"“(「『\n".contains(c))
}

/// Whether `first` ends where `second` starts, or one space or middle dot before.
pub(super) fn touches(text: &Text, first: &Range<usize>, second: &Range<usize>) -> bool {
    first.end == second.start
        || (first.end < second.start
            && text.view[first.end..second.start].chars().count() == 1
            && matches!(text.after(first.end), Some(' ' | '・')))
}

/// Whether `item` is listed next to `name` (岡部、堤、三枝の3名; Ito, Li and
/// Wu): one list mark between them, and `item` a whole item, not the start
/// or end of a longer word (佐藤、森林).
pub(super) fn listed_with(text: &Text, name: &Range<usize>, item: &Range<usize>) -> bool {
    // One mark (three bytes at most) and a space.
    let between = |from: usize, to: usize| {
        if to - from > 4 {
            return false;
        }
        let gap = text.view[from..to].trim_end_matches(' ');
        matches!(gap, "、" | "," | "・" | "/" | "と")
    };
    let ends_item =
        |c: Option<char>| c.is_none_or(|c| words::PARTICLES.contains(c) || !c.is_alphanumeric());
    if name.end < item.start && between(name.end, item.start) {
        ends_item(text.after(item.end))
    } else if item.end < name.start && between(item.end, name.start) {
        ends_item(text.before(item.start))
    } else {
        false
    }
}

/// An honorific or title after the span, or a Latin title before it.
pub(super) fn context_around(text: &Text, span: &Range<usize>) -> bool {
    honorific_after(text, span.end) || latin_title_before(text, span.start)
}

/// 田中[さん], 林 [部長], Tanaka[-san].
pub(super) fn honorific_after(text: &Text, at: usize) -> bool {
    let rest = &text.lower[at..];
    let rest = rest.strip_prefix(' ').unwrap_or(rest);
    if words::HONORIFICS
        .split_whitespace()
        .chain(words::TITLES.split_whitespace())
        .any(|h| rest.starts_with(h))
    {
        return true;
    }
    let latin_title = words::LATIN_TITLES_AFTER.split_whitespace().any(|t| {
        rest.strip_prefix(t)
            .is_some_and(|after| !after.starts_with(is_latin_word))
    });
    if latin_title && !text.before(at).is_some_and(is_latin_word) {
        return true;
    }
    let Some(rest) = text.lower[at..].strip_prefix(['-', ' ']) else {
        return false;
    };
    words::LATIN_HONORIFICS.split_whitespace().any(|h| {
        rest.strip_prefix(h)
            .is_some_and(|after| after.chars().next().is_none_or(|c| !is_latin_word(c)))
    })
}

/// [Mr. ]Tanaka, [Dr ]Li.
pub(super) fn latin_title_before(text: &Text, at: usize) -> bool {
    let head = text.lower[..at].trim_end_matches(' ');
    let head = head.strip_suffix('.').unwrap_or(head);
    words::LATIN_TITLES.split_whitespace().any(|t| {
        head.strip_suffix(t)
            .is_some_and(|rest| rest.chars().next_back().is_none_or(|c| !is_latin_word(c)))
    }) && at > head.len()
}
