//! Numbers written digit by digit in kanji numerals, as people copy them
//! from handwriting or vertical text: phone numbers (〇九〇・一二三四・五六七八),
//! postcodes (〒一〇〇‐〇〇〇一) and labelled ids (社員番号 一二三四五). Kanji
//! numerals that count (三年目, 二〇二六年, 第一四半期) are too short, or
//! have no label or shape of a phone number or postcode; a run of 〇 alone is
//! a placeholder (〇〇〇-〇〇〇〇).

use std::sync::LazyLock;

use regex::Regex;

use super::numbers::{GAP, ID_LABELS, PHONE_LABELS, POSTCODE_LABELS};
use super::text::{Marker, Redactions, Text};

/// The kanji digits, in order of value.
const KANJI_DIGITS: &str = "〇一二三四五六七八九";

/// Adds the spans of phone numbers, postcodes and ids with kanji digits.
pub(super) fn find(text: &Text, out: &mut Redactions) {
    static RUN: LazyLock<Regex> = LazyLock::new(|| {
        let digit = "[0-9〇一二三四五六七八九]";
        super::compile(&format!(r"{digit}+(?:(?:[ ]?[-ー・.()][ ]?|[ ]){digit}+)*"))
    });
    for found in RUN.find_iter(&text.lower) {
        let run = found.as_str();
        let kanji = run.chars().filter(|c| KANJI_DIGITS.contains(*c)).count();
        if kanji == 0 || run.chars().filter(|c| *c != '〇').all(|c| !is_digit(c)) {
            continue;
        }
        // A counter after the run makes it a count or a date (二〇二六年).
        let counted = text
            .after(found.end())
            .is_some_and(|c| "年月日歳才回人件時分円万億".contains(c));
        if counted {
            continue;
        }
        if let Some(marker) = classify(run, &text.lower[..found.start()]) {
            out.add(found.range(), marker);
        }
    }
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || KANJI_DIGITS.contains(c)
}

/// What a run of digits is, by its label (the text before it) or its shape.
fn classify(run: &str, head: &str) -> Option<Marker> {
    static PHONE: LazyLock<Regex> =
        LazyLock::new(|| super::compile(&format!(r"(?:{PHONE_LABELS}){GAP}$")));
    static POSTCODE: LazyLock<Regex> =
        LazyLock::new(|| super::compile(&format!(r"(?:{POSTCODE_LABELS}){GAP}$")));
    static ID: LazyLock<Regex> =
        LazyLock::new(|| super::compile(&format!(r"(?:{ID_LABELS}){GAP}$")));
    let groups: Vec<usize> = run
        .split(|c: char| !is_digit(c))
        .filter(|g| !g.is_empty())
        .map(|g| g.chars().count())
        .collect();
    let digits: usize = groups.iter().sum();
    // The label is read from the last few characters only.
    let head = &head[head.char_indices().rev().nth(24).map_or(0, |(at, _)| at)..];
    if POSTCODE.is_match(head) && digits == 7 {
        return Some(Marker::Postcode);
    }
    if PHONE.is_match(head) && digits >= 4 {
        return Some(Marker::Phone);
    }
    if ID.is_match(head) && digits >= 4 {
        return Some(Marker::Id);
    }
    if groups == [3, 4] && run.contains('-') {
        return Some(Marker::Postcode);
    }
    let leading_zero = run.starts_with(['0', '〇']);
    (leading_zero && (10..=11).contains(&digits) && groups.len() <= 4).then_some(Marker::Phone)
}

#[cfg(test)]
mod tests;
