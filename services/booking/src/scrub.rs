//! Scrubbing an organisational summary before it leaves booking for the
//! client org's de-identified report (DESIGN.md, "The confidentiality
//! promise", 6): personal data as consultants really type it — full-width
//! characters from a Japanese IME, any dash, kana readings of names,
//! romanised names, addresses, dates of birth and id numbers.
//!
//! The text is read in its NFKC form, with Unicode digits and dashes folded
//! and case folded for matching; the output is the NFKC form of the input
//! with each piece of personal data replaced by one marker:
//!
//! | marker        | what it replaces |
//! |---------------|------------------|
//! | `[name]`      | a listed name in any of its forms, or a name on no list found by its context |
//! | `[email]`     | an email address, also `name (at) example.com` |
//! | `[url]`       | a URL in any case, `www.…`, or a domain with a path |
//! | `[handle]`    | a social handle (`@hanako_s`, `LINE ID: …`) |
//! | `[phone]`     | a phone or extension number |
//! | `[postcode]`  | a postcode (〒100-0001) |
//! | `[address]`   | a street address: place, block numbers, building, floor, room |
//! | `[birthdate]` | a date of birth (1985年4月12日生まれ, 昭和60年, S60.4.12, born 12 April 1985) |
//! | `[id]`        | an employee, My Number, licence, passport, insurance or other id number; a number plate |
//!
//! Listed names ([`redact_names`]) are matched in every form a term takes
//! (both kana scripts, any width and case, with or without spaces, variant
//! kanji such as 髙 and 邉), and in the nicknames made from a reading
//! (すぎっち, 「めぐ」); short and everyday ones only where the context
//! makes them a name, and not where the name is a place (品川オフィス).
//! Names on no list are found by their context: before an honorific or
//! title (田中さん, 森GL), in a frame that makes a person of them (母(香織),
//! 夫の健太が, 次女凛(3歳), 旧姓藤井で, Doctor (Claire Dawson), a client,
//! Whitaker, her English name "Amy"), or as a common Japanese family or
//! given name written as a full name (大西 渚, Jun Miura).
//!
//! Numbers may be written in kanji digits (〇九〇・一二三四・五六七八).
//! Ordinary text stays: counts and years (2026年に3回, 二〇二六年), dates that
//! are not births, amounts, words that contain a name (Kentucky), and the
//! everyday words that take an honorific (お客さん, 皆さん, 営業部長).

mod address;
mod around;
mod common_names;
mod contact;
mod context;
mod dates;
mod dictionary;
mod english;
mod frames;
mod kana;
mod listed;
mod nicknames;
mod numbers;
mod numerals;
mod places;
mod relatives;
mod terms;
mod text;
mod variants;
mod words;

use regex::Regex;

use listed::NameList;
use text::{Redactions, Text};

/// The deny-list terms of one person: from their display name and, when known, its reading (katakana).
///
/// The name whole (with and without spaces) and each part of it, one-kanji
/// and two-letter parts included (the matcher wants context for those);
/// the reading whole and in parts, in katakana and hiragana; and the
/// Hepburn romanisations of the reading's parts (sato, satou, satoh, satō).
pub fn name_terms(name: &str, reading: Option<&str>) -> Vec<String> {
    terms::of_person(name, reading)
}

/// Contact details, numbers, addresses, dates of birth, IDs (no name list).
pub fn scrub(text: &str) -> String {
    let text = Text::new(text);
    let mut found = Redactions::default();
    details(&text, &mut found);
    found.apply(&text)
}

/// Replaces every listed term (and its variants) with `[name]`.
///
/// Variants: the other kana script, without spaces or middle dots, any case
/// and width. Latin terms match whole words only; a one-kanji term, a
/// two-kana term or an everyday word only before an honorific or title or
/// next to another listed term; a two-letter Latin term when capitalised.
/// The compiled form of a list is kept for the next calls with the same
/// list (an org of 5,000 people compiles in about 0.1 s and then scrubs a
/// summary in a few milliseconds).
pub fn redact_names(text: &str, terms: &[String]) -> String {
    let text = Text::new(text);
    let mut found = Redactions::default();
    NameList::shared(terms).find(&text, &mut found);
    found.apply(&text)
}

/// The whole pipeline used for the hand-off: normalise, scrub, redact listed names, redact names found by context.
pub fn scrub_summary(text: &str, terms: &[String]) -> String {
    let text = Text::new(text);
    let mut found = Redactions::default();
    details(&text, &mut found);
    NameList::shared(terms).find(&text, &mut found);
    context::find(&text, &mut found);
    found.apply(&text)
}

fn details(text: &Text, found: &mut Redactions) {
    contact::find(text, found);
    let dates = dates::find(text, found);
    // Numbers first: a bare 090-1234-5678 is a phone number before it is a block number.
    numbers::find(text, found, &dates);
    numerals::find(text, found);
    address::find(text, found, &dates);
}

#[expect(
    clippy::expect_used,
    reason = "the patterns are constants, and every one is compiled by the unit tests"
)]
fn compile(pattern: &str) -> Regex {
    Regex::new(pattern).expect("a valid pattern")
}

#[cfg(test)]
mod tests;
