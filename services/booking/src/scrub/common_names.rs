//! Japanese names on no list recognised as common names by their shape:
//! family and given name with a space between (大西 渚, 辰巳 みなみ), where
//! one of the two is a common name, and a common surname before a clinic
//! or an office (竹内クリニック, 秋山法律事務所).

use std::sync::LazyLock;

use regex::Regex;

use super::dictionary::{GIVEN, SURNAME};
use super::frames::given_name_after_space;
use super::text::{Marker, Redactions, Text, is_han, is_hiragana, is_katakana};
use super::words::{BRACKET_ORDINARY_SET, HAN_ORDINARY_SET, ORG_WORD_SET, PLACE_SURNAME_SET};

/// Adds a `[name]` span for every full name and clinic name found.
pub(super) fn find(text: &Text, out: &mut Redactions) {
    spaced_full_names(text, out);
    clinics(text, out);
}

/// 大西 渚, 菊地 誠, 辰巳 みなみ: family name, a space, given name, where
/// one of the two is a common name.
fn spaced_full_names(text: &Text, out: &mut Redactions) {
    static PAIR: LazyLock<Regex> = LazyLock::new(|| {
        super::compile(
            r"([\p{Han}々ヶ]+)[ ]([\p{Han}々ヶ]{1,3}|[\p{Katakana}ー]{2,5}|[\p{Hiragana}ー]{2,6})",
        )
    });
    let ordinary = |w: &str| {
        HAN_ORDINARY_SET.contains(w) || ORG_WORD_SET.contains(w) || BRACKET_ORDINARY_SET.contains(w)
    };
    let mut at = 0;
    while let Some(caps) = PAIR.captures_at(&text.view, at) {
        let (Some(family), Some(given)) = (caps.get(1), caps.get(2)) else {
            break;
        };
        at = family.end();
        let family_run = family.as_str();
        let known_family = family_run
            .char_indices()
            .map(|(i, _)| i)
            .find(|i| SURNAME.written.contains(&family_run[*i..]));
        let given_end = if given.as_str().starts_with(is_hiragana) {
            // Kana given names run into the particles after them (みなみが).
            let known = given_name_after_space(given.as_str());
            if known.is_empty() {
                continue;
            }
            given.start() + known.len()
        } else {
            let next = text.after(given.end());
            let cut = next.is_some_and(|c| {
                is_han(c) || (is_katakana(c) && given.as_str().starts_with(is_katakana))
            });
            if cut || ordinary(given.as_str()) {
                continue;
            }
            given.end()
        };
        let known_given = GIVEN.written.contains(&text.view[given.start()..given_end]);
        let start = match known_family {
            Some(from) => family.start() + from,
            None if known_given => {
                // The last three kanji at most are the family name.
                let keep = family_run.char_indices().rev().nth(2).map_or(0, |(i, _)| i);
                family.start() + keep
            }
            None => continue,
        };
        out.add(start..given_end, Marker::Name);
    }
}

/// 竹内クリニック, 秋山医院: a common surname names the doctor.
fn clinics(text: &Text, out: &mut Redactions) {
    static CLINIC: LazyLock<Regex> = LazyLock::new(|| {
        super::compile(
            r"([\p{Han}々]{2,4})(?:クリニック|医院|歯科|内科|外科|眼科|皮膚科|耳鼻科|小児科|整形外科|心療内科|法律事務所|会計事務所|税理士事務所)",
        )
    });
    for caps in CLINIC.captures_iter(&text.view) {
        if let Some(run) = caps.get(1)
            && let Some(from) = (0..run.as_str().len())
                .filter(|i| run.as_str().is_char_boundary(*i))
                .find(|i| {
                    SURNAME.written.contains(&run.as_str()[*i..])
                        && !PLACE_SURNAME_SET.contains(&run.as_str()[*i..])
                })
        {
            out.add(run.start() + from..run.end(), Marker::Name);
        }
    }
}
