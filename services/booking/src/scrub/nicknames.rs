//! Nicknames made from a listed reading, the way Japanese colleagues make
//! them: the first two morae or the whole of a name part with a nickname
//! ending (スギタ → すぎっち, キノシタ → きのぴー, イズミ → いずみん), and the
//! first two morae alone when quoted (「めぐ」 for メグミ, "Mizu" for ミズホ).

use super::kana::{romaji, to_hiragana};
use super::text::is_katakana;

/// Endings that make a nickname of a name's first morae (すぎっち, きのぴー).
const ENDINGS: [&str; 8] = [
    "ッチ",
    "ッピ",
    "ピー",
    "リン",
    "ポン",
    "ヤン",
    "ッペ",
    "ッシー",
];

/// How a derived nickname must sit in the text to be a name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Nickname {
    /// With its ending, a word of its own (すぎっち): as a kana word.
    Ended,
    /// The first morae alone (めぐ, mizu): only inside quotation marks.
    Quoted,
}

/// The longest name part nicknames are made from, in morae; a longer
/// katakana term is a whole reading (サトウハナコ), whose first morae are
/// its family name's.
const LONGEST_PART: usize = 5;

/// The nicknames of one katakana name part (no spaces), in katakana,
/// hiragana and (for the quoted ones) romaji, lower case.
#[cfg(test)]
pub(super) fn of_reading(part: &str) -> Vec<(String, Nickname)> {
    let mut out = Vec::new();
    if let Some((prefix, longer)) = first_morae(part) {
        out.extend(of_first_morae(&prefix, longer));
    }
    out.extend(of_whole_part(part));
    out
}

/// The first two morae of a name part, and whether the part is longer;
/// `None` for no katakana part, or a prefix that ends in ッ or ー (ハッ of
/// ハットリ would make ハッピー).
pub(super) fn first_morae(part: &str) -> Option<(String, bool)> {
    if !part.chars().all(is_katakana) {
        return None;
    }
    let morae = morae(part);
    let usable =
        (2..=LONGEST_PART).contains(&morae.len()) && !matches!(morae[1].as_str(), "ッ" | "ー");
    usable.then(|| (morae[..2].concat(), morae.len() > 2))
}

/// The nicknames made from the first two morae of a part: with an ending
/// (スギッチ), and, when the part is longer, alone in quotes (「めぐ」, "Mizu").
pub(super) fn of_first_morae(prefix: &str, longer: bool) -> Vec<(String, Nickname)> {
    let mut out = Vec::new();
    for ending in ENDINGS {
        with_hiragana(&mut out, format!("{prefix}{ending}"), Nickname::Ended);
    }
    if longer {
        with_hiragana(&mut out, prefix.to_owned(), Nickname::Quoted);
        for latin in romaji(prefix) {
            out.push((latin, Nickname::Quoted));
        }
    }
    out
}

/// The nicknames made from a whole part of three morae or more: with an
/// ending (ムラカミッチ) or ン (イズミン); a shorter stem with ン is too
/// often a word (サイン, オカン).
pub(super) fn of_whole_part(part: &str) -> Vec<(String, Nickname)> {
    let mut out = Vec::new();
    let morae = morae(part).len();
    if !part.chars().all(is_katakana) || !(3..=LONGEST_PART).contains(&morae) {
        return out;
    }
    for ending in ENDINGS {
        with_hiragana(&mut out, format!("{part}{ending}"), Nickname::Ended);
    }
    if !part.ends_with('ン') {
        with_hiragana(&mut out, format!("{part}ン"), Nickname::Ended);
    }
    out
}

fn with_hiragana(out: &mut Vec<(String, Nickname)>, form: String, kind: Nickname) {
    out.push((to_hiragana(&form), kind));
    out.push((form, kind));
}

/// The morae of a katakana word: a kana with the small kana after it.
fn morae(katakana: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in katakana.chars() {
        match out.last_mut() {
            Some(last) if "ャュョァィゥェォヮ".contains(c) => last.push(c),
            _ => out.push(c.to_string()),
        }
    }
    out
}

#[cfg(test)]
mod tests;
