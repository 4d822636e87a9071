//! The text the detectors read, and the redactions they collect.
//!
//! The output is cut from the NFKC form of the input (full-width letters,
//! digits and `＠` become ASCII; half-width katakana become full-width). The
//! detectors read two views of it with the same character positions:
//! `view` also writes every Unicode decimal digit as an ASCII digit and every
//! dash or wave dash as `-` (the prolonged sound mark `ー` stays, the number
//! patterns accept it), and `lower` is `view` lower-cased with variant kanji
//! in their common form (髙 as 高, 邉 as 辺), for matching listed names.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use unicode_normalization::UnicodeNormalization;

use super::variants::common_form;

/// What a redacted span becomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Marker {
    Name,
    Email,
    Url,
    Handle,
    Phone,
    Postcode,
    Address,
    Birthdate,
    Id,
}

impl Marker {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Marker::Name => "[name]",
            Marker::Email => "[email]",
            Marker::Url => "[url]",
            Marker::Handle => "[handle]",
            Marker::Phone => "[phone]",
            Marker::Postcode => "[postcode]",
            Marker::Address => "[address]",
            Marker::Birthdate => "[birthdate]",
            Marker::Id => "[id]",
        }
    }
}

/// A normalised text and its matching views.
pub(super) struct Text {
    nfkc: String,
    /// NFKC with ASCII digits and `-` for dashes; case kept.
    pub view: String,
    /// `view` lower-cased character by character, variant kanji in their
    /// common form (same byte offsets).
    pub lower: String,
    /// For every byte offset of `view` (and its end), the offset in `nfkc`.
    to_nfkc: Vec<usize>,
    /// Markers already in the text (`[name]`): never matched again.
    markers: Vec<Range<usize>>,
}

impl Text {
    pub(super) fn new(input: &str) -> Self {
        let nfkc: String = input.nfkc().collect();
        let mut view = String::with_capacity(nfkc.len());
        let mut lower = String::with_capacity(nfkc.len());
        let mut to_nfkc = Vec::with_capacity(nfkc.len() + 1);
        for (at, c) in nfkc.char_indices() {
            let v = fold(c);
            let l = common_form(lower_keeping_length(v));
            view.push(v);
            lower.push(l);
            to_nfkc.extend(std::iter::repeat_n(at, v.len_utf8()));
        }
        to_nfkc.push(nfkc.len());
        static MARKERS: LazyLock<Regex> = LazyLock::new(|| {
            super::compile(
                r"\[(?:name|email|url|handle|phone|postcode|address|birthdate|id|number)\]",
            )
        });
        let markers = MARKERS.find_iter(&lower).map(|m| m.range()).collect();
        Text {
            nfkc,
            view,
            lower,
            to_nfkc,
            markers,
        }
    }

    /// The character before byte offset `at` of the views.
    pub(super) fn before(&self, at: usize) -> Option<char> {
        self.view[..at].chars().next_back()
    }

    /// The character at byte offset `at` of the views.
    pub(super) fn after(&self, at: usize) -> Option<char> {
        self.view[at..].chars().next()
    }
}

/// A short string (a name, a term) as [`Text::view`] has it: NFKC, digits
/// and dashes folded, case kept.
pub(super) fn normal_form(s: &str) -> String {
    if unicode_normalization::is_nfkc_quick(s.chars()) == unicode_normalization::IsNormalized::Yes {
        s.chars().map(fold).collect()
    } else {
        s.nfkc().map(fold).collect()
    }
}

/// A short string as [`Text::lower`] has it.
pub(super) fn matching_form(s: &str) -> String {
    normal_form(s)
        .chars()
        .map(|c| common_form(lower_keeping_length(c)))
        .collect()
}

/// Digits to ASCII, dashes to `-`.
fn fold(c: char) -> char {
    if c == '~' {
        return '-';
    }
    if c.is_ascii() {
        return c;
    }
    if is_dash(c) {
        return '-';
    }
    // Kana and kanji are the bulk of the text, and hold no digits.
    if is_han(c) || is_hiragana(c) || is_katakana(c) {
        return c;
    }
    match decimal_value(c) {
        Some(d) => char::from_digit(d, 10).unwrap_or(c),
        None => c,
    }
}

fn is_dash(c: char) -> bool {
    matches!(
        c,
        '\u{2010}'
            ..='\u{2015}'
                | '\u{2043}'
                | '\u{2212}'
                | '\u{2500}'
                | '\u{2501}'
                | '\u{2E3A}'
                | '\u{2E3B}'
                | '\u{301C}'
                | '\u{3030}'
                | '\u{FE58}'
                | '\u{FE63}'
                | '\u{FF0D}'
                | '\u{FF5E}'
    )
}

/// The value of a Unicode decimal digit. Decimal digits come in runs of ten
/// code points from zero, so the value is the distance back to the run's start.
fn decimal_value(c: char) -> Option<u32> {
    if !c.is_numeric() {
        return None;
    }
    let code = u32::from(c);
    let numeric = |at: u32| char::from_u32(at).is_some_and(char::is_numeric);
    let value = (1..=9)
        .take_while(|k| code >= *k && numeric(code - k))
        .count();
    let zero = code - u32::try_from(value).ok()?;
    let whole_run = (0..10).all(|k| numeric(zero + k));
    let starts_run = zero == 0 || !numeric(zero - 1);
    (whole_run && starts_run)
        .then(|| u32::try_from(value).ok())
        .flatten()
}

fn lower_keeping_length(c: char) -> char {
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) if l.len_utf8() == c.len_utf8() => l,
        _ => c,
    }
}

/// Kanji (and the iteration marks and ヶ that names and places use).
pub(super) fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{3134F}' | '々' | '〆' | 'ヶ')
}

/// Katakana, with the prolonged sound mark.
pub(super) fn is_katakana(c: char) -> bool {
    matches!(c, '\u{30A1}'..='\u{30FA}' | '\u{30FC}'..='\u{30FF}' | '\u{31F0}'..='\u{31FF}')
}

pub(super) fn is_hiragana(c: char) -> bool {
    matches!(c, '\u{3041}'..='\u{3096}' | '\u{309D}'..='\u{309F}')
}

/// A letter or digit of a Latin-script word (for whole-word matching).
pub(super) fn is_latin_word(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || (matches!(c, '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}') && c.is_alphabetic())
}

/// The spans found so far, in byte offsets of [`Text::view`].
#[derive(Default)]
pub(super) struct Redactions {
    spans: Vec<(Range<usize>, Marker)>,
}

impl Redactions {
    pub(super) fn add(&mut self, span: Range<usize>, marker: Marker) {
        if !span.is_empty() {
            self.spans.push((span, marker));
        }
    }

    /// The text with every span replaced by its marker. Overlapping spans are
    /// merged (the first one's marker wins); touching spans of one kind become
    /// one marker.
    pub(super) fn apply(mut self, text: &Text) -> String {
        self.spans.retain(|(span, _)| {
            !text
                .markers
                .iter()
                .any(|m| m.start < span.end && span.start < m.end)
        });
        self.spans
            .sort_by_key(|(span, _)| (span.start, std::cmp::Reverse(span.end)));
        let mut merged: Vec<(Range<usize>, Marker)> = Vec::with_capacity(self.spans.len());
        for (span, marker) in self.spans {
            match merged.last_mut() {
                Some((last, kind))
                    if span.start < last.end || (span.start == last.end && *kind == marker) =>
                {
                    last.end = last.end.max(span.end);
                }
                _ => merged.push((span, marker)),
            }
        }
        let mut out = String::with_capacity(text.nfkc.len());
        let mut from = 0;
        for (span, marker) in merged {
            let (start, end) = (text.to_nfkc[span.start], text.to_nfkc[span.end]);
            out.push_str(&text.nfkc[from..start]);
            out.push_str(marker.as_str());
            from = end;
        }
        out.push_str(&text.nfkc[from..]);
        out
    }
}

#[cfg(test)]
mod tests;
