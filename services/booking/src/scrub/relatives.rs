//! Names on no list next to a word for a relative or another person, found
//! by their shape where no dictionary knows them: a Latin name (夫 Ken、,
//! 義母(Anne)); a later item of a bracket (妻(ブラジル出身、アナ)); a word
//! followed by an age, a birth or a former job in brackets (祖母のキヨ(90歳),
//! 次女楓(2019年生)); two kanji that end the way given names end (兄の悠真が);
//! what follows a maiden or family name label (旧姓森下で, 夫の姓は三田);
//! and a common name addressed in quoted speech (「浩之、もう寝なさい」).

use std::sync::LazyLock;

use regex::Regex;

use super::dictionary::{GIVEN, SURNAME, is_romanised_name};
use super::frames::{bracketed_name, person_words};
use super::text::{Marker, Redactions, Text, is_han, is_katakana, is_latin_word};
use super::words::{
    self, ENGLISH_COMMON_SET, HAN_ORDINARY_SET, KATAKANA_ORDINARY_SET, NAME_FINAL_ORDINARY_SET,
    ORG_WORD_SET,
};

/// Adds a `[name]` span for every name found next to a person word.
pub(super) fn find(text: &Text, out: &mut Redactions) {
    latin_names(text, out);
    bracket_items(text, out);
    described(text, out);
    given_name_shapes(text, out);
    labelled(text, out);
    addressed(text, out);
}

fn relatives() -> String {
    words::longest_first(&words::RELATIVES.split_whitespace().collect::<Vec<_>>()).join("|")
}

/// A capitalised Latin word (or two) that is no English word.
fn latin_name(name: &str) -> bool {
    name.split(' ')
        .all(|w| !ENGLISH_COMMON_SET.contains(w.to_lowercase().as_str()))
}

/// 義母(Anne), 上司(Tanaka)、 and, after a relative, 夫 Ken、.
fn latin_names(text: &Text, out: &mut Redactions) {
    static BRACKETED: LazyLock<Regex> = LazyLock::new(|| {
        super::compile(&format!(
            r"(?:{})[ ]?\([ ]?(\p{{Lu}}\p{{Ll}}+(?:[ ]\p{{Lu}}\p{{Ll}}+)?)[ ]?[)、,]",
            person_words()
        ))
    });
    static AFTER_RELATIVE: LazyLock<Regex> = LazyLock::new(|| {
        super::compile(&format!(
            r"(?:{})(?:の|は|が|:)?[ ]?(\p{{Lu}}\p{{Ll}}+(?:[ ]\p{{Lu}}\p{{Ll}}+)?)",
            relatives()
        ))
    });
    for (re, bracketed) in [(&*BRACKETED, true), (&*AFTER_RELATIVE, false)] {
        for caps in re.captures_iter(&text.view) {
            let Some(name) = caps.get(1) else {
                continue;
            };
            let next = text.after(name.end());
            // Unbracketed, a product may follow (母はFacebookを): a
            // Japanese name, or one set off by a mark, is a person.
            let set_off = bracketed
                || is_romanised_name(name.as_str())
                || next.is_some_and(|c| "、,。.()さ".contains(c));
            if set_off && latin_name(name.as_str()) && !next.is_some_and(is_latin_word) {
                out.add(name.range(), Marker::Name);
            }
        }
    }
}

/// 妻(ブラジル出身、アナ): the later items of a bracket after a person
/// word (the first is read by [`super::frames`]), when written in
/// katakana or Latin letters, or a common name.
fn bracket_items(text: &Text, out: &mut Redactions) {
    static BRACKET: LazyLock<Regex> = LazyLock::new(|| {
        super::compile(&format!(r"(?:{})[ ]?\(([^()]{{1,40}})\)", person_words()))
    });
    static ITEM: LazyLock<Regex> = LazyLock::new(|| super::compile(r"[^、,]+"));
    for caps in BRACKET.captures_iter(&text.view) {
        let Some(inside) = caps.get(1) else {
            continue;
        };
        for found in ITEM.find_iter(inside.as_str()).skip(1) {
            let item = found.as_str().trim();
            let start =
                inside.start() + found.start() + (found.len() - found.as_str().trim_start().len());
            let chars = item.chars().count();
            let katakana = item.chars().all(|c| is_katakana(c) || c == '・')
                && (2..=10).contains(&chars)
                && !KATAKANA_ORDINARY_SET.iter().any(|w| item.ends_with(w));
            let latin = item.starts_with(char::is_uppercase)
                && item.chars().skip(1).all(|c| c.is_lowercase() || c == ' ')
                && latin_name(item);
            let common = GIVEN.written.contains(item) || SURNAME.written.contains(item);
            if katakana || latin || common {
                out.add(start..start + item.len(), Marker::Name);
            }
        }
    }
}

/// 祖母のキヨ(90歳), 次女楓(2019年生), 父の一朗(元教員): a word after a
/// person word and の (or right after a relative), followed in brackets
/// by what describes a person, and no event in a life (長男誕生(2歳差)).
fn described(text: &Text, out: &mut Redactions) {
    static DESCRIBED: LazyLock<Regex> = LazyLock::new(|| {
        super::compile(&format!(
            r"(?:(?:{})の([\p{{Han}}々ヶ]{{1,4}}|[\p{{Katakana}}ー]{{2,8}}|\p{{Hiragana}}{{2,4}})|(?:{})([\p{{Han}}々ヶ]{{1,4}}|[\p{{Katakana}}ー]{{2,8}}))[ ]?\(([^()]{{1,24}})\)",
            person_words(),
            relatives()
        ))
    });
    static PERSON_DETAIL: LazyLock<Regex> = LazyLock::new(|| {
        super::compile(
            r"^[0-9]{1,3}[ ]?(?:歳|才|か月|ヶ月)|生まれ|(?:[0-9]|年|日)[ ]?生$|^元[\p{Han}]{0,4}(?:員|師|士|者|官|医|家|手)$|^(?:小|中|高)[0-9一二三四五六]|年生$|^享年",
        )
    });
    for caps in DESCRIBED.captures_iter(&text.view) {
        let (Some(name), Some(detail)) = (caps.get(1).or_else(|| caps.get(2)), caps.get(3)) else {
            continue;
        };
        let word = name.as_str();
        let event = words::LIFE_EVENTS
            .split_whitespace()
            .any(|e| word.ends_with(e));
        let ordinary = KATAKANA_ORDINARY_SET.contains(word) || !bracketed_name(word);
        let counted = is_count(word);
        if PERSON_DETAIL.is_match(detail.as_str()) && !event && !ordinary && !counted {
            out.add(name.range(), Marker::Name);
        }
    }
}

/// 兄の悠真が, 長女結菜、: two kanji after a relative that end the way
/// given names end (真, 人, 男, 子, 郎, 美, 菜 …) and are no everyday word
/// with that ending (写真, 本人, 様子), before a particle or a mark.
fn given_name_shapes(text: &Text, out: &mut Redactions) {
    static SHAPE: LazyLock<Regex> = LazyLock::new(|| {
        super::compile(&format!(
            r"(?:{})(?:の|は|が|:|・|、)?([\p{{Han}}々]{{2}})(?:[のはがをにとも、。(]|$)",
            relatives()
        ))
    });
    for caps in SHAPE.captures_iter(&text.view) {
        let Some(name) = caps.get(1) else {
            continue;
        };
        let word = name.as_str();
        let ends_like_a_name = word
            .chars()
            .last()
            .is_some_and(|c| words::NAME_FINALS.contains(c));
        let counted = is_count(word);
        if ends_like_a_name
            && !counted
            && !NAME_FINAL_ORDINARY_SET.contains(word)
            && !HAN_ORDINARY_SET.contains(word)
        {
            out.add(name.range(), Marker::Name);
        }
    }
}

/// 二人, 数名, 両名: a number of people, not a name (一郎 is one).
fn is_count(word: &str) -> bool {
    let mut chars = word.chars();
    let last = chars.next_back();
    last.is_some_and(|c| "人名組".contains(c))
        && chars
            .as_str()
            .chars()
            .all(|c| "一二三四五六七八九十数何両".contains(c))
        && !chars.as_str().is_empty()
}

/// 旧姓森下で, 夫の姓は三田, 本名:佐久間: what follows a label for a
/// family or real name is one, unless it is about the name (旧姓使用).
fn labelled(text: &Text, out: &mut Redactions) {
    static LABEL: LazyLock<Regex> = LazyLock::new(|| {
        super::compile(
            r"(?:旧姓(?:は|が|の|:|=|・)?|(?:本名|通称|名字|苗字|(?:^|[^\p{Han}])姓)(?:は|が|の|:|=|[ ]))[ ]?[「『]?([\p{Han}々ヶ]{1,4}|[\p{Katakana}ー]{2,8})",
        )
    });
    for caps in LABEL.captures_iter(&text.view) {
        let Some(name) = caps.get(1) else {
            continue;
        };
        let word = name.as_str();
        let about_the_name = words::NAME_ADMIN
            .split_whitespace()
            .any(|w| word.starts_with(w));
        let next = text.after(name.end());
        let ends = next
            .is_none_or(|c| !is_han(c) && (words::PARTICLES.contains(c) || !c.is_alphanumeric()));
        if ends && !about_the_name && bracketed_name(word) && !ORG_WORD_SET.contains(word) {
            out.add(name.range(), Marker::Name);
        }
    }
}

/// 「浩之、もう寝なさい」: a common given or family name addressed at the
/// start of quoted speech.
fn addressed(text: &Text, out: &mut Redactions) {
    static VOCATIVE: LazyLock<Regex> =
        LazyLock::new(|| super::compile(r"[「『]([\p{Han}々]{1,3}|[\p{Katakana}ー]{2,6})[、,!?]"));
    for caps in VOCATIVE.captures_iter(&text.view) {
        if let Some(name) = caps.get(1)
            && (GIVEN.written.contains(name.as_str()) || SURNAME.written.contains(name.as_str()))
        {
            out.add(name.range(), Marker::Name);
        }
    }
}

#[cfg(test)]
mod tests;
