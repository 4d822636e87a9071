//! The deny-list terms of one person, and the forms a term is matched in.

use super::kana::{romaji, to_hiragana, to_katakana};
use super::text::{is_han, is_hiragana, is_katakana, is_latin_word, matching_form, normal_form};

/// The terms of one person: the name whole (with and without its spaces)
/// and in parts; the reading in katakana and hiragana, whole and in parts;
/// and the Hepburn romanisations of the reading's parts. Kanji parts of one
/// character and Latin parts of two letters are kept (the matcher wants
/// context for them); Latin initials and single kana are not.
pub(super) fn of_person(name: &str, reading: Option<&str>) -> Vec<String> {
    let mut terms = Vec::new();
    let name = tidy(name);
    if !name.is_empty() {
        let parts = parts(&name);
        terms.push(name.clone());
        terms.push(parts.concat());
        for part in parts {
            let part = part.trim_matches(|c: char| matches!(c, '.' | '\'' | '-'));
            terms.push(part.to_owned());
            if part.contains('-') {
                terms.extend(part.split('-').map(str::to_owned));
                terms.push(part.replace('-', ""));
            }
        }
    }
    if let Some(reading) = reading
        .map(|r| to_katakana(&tidy(r)))
        .filter(|r| !r.is_empty())
    {
        let parts = parts(&reading);
        let mut forms = vec![parts.join(" "), parts.concat()];
        forms.extend(parts.iter().map(|p| (*p).to_owned()));
        for form in forms {
            terms.push(to_hiragana(&form));
            terms.push(form);
        }
        for part in &parts {
            terms.extend(romaji(part));
        }
    }
    terms.retain(|t| long_enough(t));
    terms.sort();
    terms.dedup();
    terms
}

/// NFKC, trimmed, runs of whitespace as one space.
fn tidy(s: &str) -> String {
    normal_form(s)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn parts(s: &str) -> Vec<&str> {
    s.split(|c: char| c.is_whitespace() || matches!(c, '・' | ',' | '、' | '/'))
        .filter(|p| !p.is_empty())
        .collect()
}

/// One kanji can be a name (林); one Latin letter or one kana cannot.
fn long_enough(term: &str) -> bool {
    if term.chars().any(is_han) {
        return true;
    }
    term.chars().filter(|c| c.is_alphanumeric()).count() >= 2
}

/// The forms a listed term is matched in (lower-cased, like
/// [`Text::lower`]): as given, without its spaces and middle dots, with
/// a middle dot as a space, and in the other kana script.
pub(super) fn match_forms(term: &str) -> Vec<String> {
    let mut form = matching_form(term);
    let untidy = form.starts_with(' ') || form.ends_with(' ') || form.contains("  ");
    if untidy || form.contains(|c: char| c.is_whitespace() && c != ' ') {
        form = form.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    if form.is_empty() {
        return Vec::new();
    }
    let mut forms = Vec::with_capacity(4);
    if form.contains([' ', '・']) {
        forms.push(form.replace([' ', '・'], ""));
        if form.contains('・') {
            forms.push(form.replace('・', " "));
        }
    }
    let latin = form
        .chars()
        .all(|c| is_latin_word(c) || matches!(c, ' ' | '-' | '\''));
    if latin && form.contains('-') {
        forms.push(form.replace('-', " "));
    }
    forms.push(form);
    for k in 0..forms.len() {
        let letters = || forms[k].chars().filter(|c| *c != ' ');
        if letters().all(is_katakana) {
            forms.push(to_hiragana(&forms[k]));
        } else if letters().all(|c| is_hiragana(c) || c == 'ー') {
            forms.push(to_katakana(&forms[k]));
        }
    }
    forms.retain(|f| long_enough(f));
    forms.sort();
    forms.dedup();
    forms
}

#[cfg(test)]
mod tests;
