//! Numbers: phone numbers (any dash, dots, spaces, `+81`, full-width
//! digits), postcodes, the block numbers of addresses (1-2-3) and
//! identifiers — after a label (社員番号 A123, マイナンバー, 免許証,
//! パスポート), letters with five or more digits (EMP-00123), or any other
//! run of six or more digits that is no date, year range or amount.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::text::{Marker, Redactions, Text, is_latin_word};

/// Adds the spans of phone numbers, postcodes, block numbers and ids;
/// `dates` are left alone.
pub(super) fn find(text: &Text, out: &mut Redactions, dates: &[Range<usize>]) {
    labelled(text, out, dates);
    static LETTERS_AND_DIGITS: LazyLock<Regex> = LazyLock::new(|| {
        super::compile(r"[a-z]{1,3}[ ]?-?[ ]?[0-9]{5,}[a-z]{0,4}|[a-z]{4}-?[0-9]{7,}")
    });
    for found in LETTERS_AND_DIGITS.find_iter(&text.lower) {
        let standard = ["iso", "jis", "rfc", "cve", "iec"]
            .iter()
            .any(|s| found.as_str().starts_with(s));
        if !standard && !glued(text, &found.range()) {
            out.add(found.range(), Marker::Id);
        }
    }
    // Number plates: 品川 330 さ 12-34, 多摩500ひ・・17.
    static PLATE: LazyLock<Regex> = LazyLock::new(|| {
        super::compile(
            r"(?:\p{Han}{1,4}|\p{Katakana}{2,5})[ ]?[0-9]{2,3}[ ]?\p{Hiragana}[ ]?(?:[0-9]{1,2}-[0-9]{2}|[・.]{1,3}[0-9]{1,3})",
        )
    });
    for found in PLATE.find_iter(&text.view) {
        if !text.after(found.end()).is_some_and(|c| c.is_ascii_digit()) {
            out.add(found.range(), Marker::Id);
        }
    }
    static RUN: LazyLock<Regex> = LazyLock::new(|| {
        super::compile(
            r"(?:\+[ ]?)?\(?[0-9]+(?:(?:[ ]?[-ー][ ]?|[ ]?\)[ ]?[-ー]?[ ]?|[ ]?\([ ]?|[ .・])[0-9]+)*\)?",
        )
    });
    for found in RUN.find_iter(&text.lower) {
        let run = found.as_str().trim_end_matches([' ', ')']);
        let span = found.start()..found.start() + run.len();
        if dates
            .iter()
            .any(|d| d.start <= span.start && span.end <= d.end)
        {
            continue;
        }
        if let Some(marker) = classify(text, &span, false) {
            out.add(span, marker);
            continue;
        }
        // Two numbers side by side: 090-1234-5678 03-1234-5678.
        let mut parts = Vec::new();
        let mut at = span.start;
        for part in run.split(' ') {
            let part_span = at..at + part.len();
            at += part.len() + 1;
            if let Some(marker) = classify(text, &part_span, false).filter(|_| run.contains(' ')) {
                parts.push((part_span, marker));
            }
        }
        if parts.is_empty()
            && let Some(marker) = classify(text, &span, true)
        {
            out.add(span, marker);
        }
        for (part, marker) in parts {
            out.add(part, marker);
        }
    }
}

/// Whether a span is glued to letters or digits around it.
fn glued(text: &Text, span: &Range<usize>) -> bool {
    text.before(span.start).is_some_and(is_latin_word)
        || text.after(span.end).is_some_and(is_latin_word)
}

/// What a run of digits is; `long` also takes any run of six or more digits.
fn classify(text: &Text, span: &Range<usize>, long: bool) -> Option<Marker> {
    let run = &text.lower[span.clone()];
    let groups: Vec<&str> = run
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .collect();
    let lengths: Vec<usize> = groups.iter().map(|g| g.len()).collect();
    let digits: usize = lengths.iter().sum();
    let dashed = run
        .chars()
        .filter(|c| !c.is_ascii_digit())
        .all(|c| matches!(c, '-' | 'ー'));
    let head = text.lower[..span.start].trim_end_matches(' ');
    if head.ends_with('〒') && digits == 7 {
        return Some(Marker::Postcode);
    }
    if lengths == [3, 4] && dashed {
        return Some(Marker::Postcode);
    }
    let leading_zero = run.trim_start_matches(['(', ' ']).starts_with('0');
    if (run.starts_with('+') && (8..=15).contains(&digits))
        || (leading_zero && (10..=11).contains(&digits))
    {
        return Some(Marker::Phone);
    }
    if lengths == [3, 3, 4] {
        return Some(Marker::Phone);
    }
    if dashed
        && (3..=4).contains(&groups.len())
        && lengths.iter().all(|l| *l <= 4)
        && lengths[0] <= 3
        && !leading_zero
    {
        return Some(Marker::Address);
    }
    if !long || digits < 6 {
        return None;
    }
    let decimal = groups.len() == 2 && run.contains('.') && !run.contains(['-', ' ']);
    let year = |g: &&str| g.len() == 4 && (g.starts_with("19") || g.starts_with("20"));
    let years =
        groups.iter().all(year) || (groups.len() == 2 && year(&groups[0]) && lengths[1] == 2);
    static AMOUNT: LazyLock<Regex> = LazyLock::new(|| {
        super::compile(
            r"^[ ]?(?:円|万|億|千|ドル|ユーロ|yen|usd|jpy|人|件|名|%|点|回|時間|分|歳|km|kg|個|台|本|社|行|文字|words?|people|times)",
        )
    });
    let money = head.ends_with(['¥', '$', '€', '£']) || AMOUNT.is_match(&text.lower[span.end..]);
    if decimal || years || money || glued(text, span) {
        return None;
    }
    let phone = run.starts_with('+') || (leading_zero && (9..=12).contains(&digits));
    Some(if phone { Marker::Phone } else { Marker::Id })
}

/// What may stand between a label and its number (`社員番号は`, `ID: `).
pub(super) const GAP: &str = r"(?:[ ]*(?:no\.?|number|番号|は|が|:|=|#|\.|、|,|is|was)[ ]*)*[ ]*";

/// Labels of phone and extension numbers.
pub(super) const PHONE_LABELS: &str =
    "電話|でんわ|tel|phone|mobile|cell|携帯|ケータイ|内線|ext|extension|fax|ファックス|直通|連絡先";

/// Labels of postcodes.
pub(super) const POSTCODE_LABELS: &str = "郵便番号|〒|postal[ ]?code|post[ ]?code|zip[ ]?code|zip";

/// Labels of employee and other id numbers (社番 and 職番 are the short
/// forms of 社員番号 and 職員番号).
pub(super) const ID_LABELS: &str = "社員番号|社員no|社員id|社員コード|従業員番号|従業員no|従業員id|職員番号|職員no|職員id|人事番号|個人番号|マイナンバー|my[ ]?number|運転免許証?番号|免許証?番号|運転免許証?|免許証|パスポート番号|パスポート|旅券番号|passport|driver'?s[ ]licen[cs]e|licen[cs]e[ ]?(?:no|number|#)|保険証番号|保険証|被保険者番号|保険者番号|基礎年金番号|年金番号|口座番号|account[ ]?(?:no|number|#)|学籍番号|会員番号|在留カード番号|在留カード|社会保障番号|ssn|social[ ]security|employee[ ]?(?:no|number|id|code|#)|badge[ ]?(?:no|number|id|#)?|staff[ ]?(?:no|number|id|code|#)|emp[ ]?(?:no|id)|personnel[ ](?:no|number)|id|社番|職番|顧客番号|登録番号";

/// Numbers after a label that says what they are: phone and extension
/// numbers (内線 1234), postcodes, employee and other id numbers.
fn labelled(text: &Text, out: &mut Redactions, dates: &[Range<usize>]) {
    static PHONE: LazyLock<Regex> = LazyLock::new(|| {
        super::compile(&format!(
            r"(?:{PHONE_LABELS}){GAP}(\+?[ ]?\(?[0-9][0-9 \-ー.()]*[0-9]|[0-9])"
        ))
    });
    static POSTCODE: LazyLock<Regex> = LazyLock::new(|| {
        super::compile(&format!(
            r"(?:{POSTCODE_LABELS}){GAP}([0-9]{{3}}[ ]?-?[ ]?[0-9]{{4}})"
        ))
    });
    static ID: LazyLock<Regex> = LazyLock::new(|| {
        super::compile(&format!(
            r"(?:{ID_LABELS}){GAP}((?:[a-z]{{1,4}}[ ]?-?[ ]?)?[0-9][a-z0-9]*(?:[-/][a-z0-9]+)*(?:[ ][0-9]{{2,}}[a-z0-9]*)*)"
        ))
    });
    // Health insurance cards: 記号 1203 番号 45.
    static SYMBOL_AND_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
        super::compile(&format!(
            r"記号{GAP}([0-9a-z][0-9a-z\-]*(?:[ ]?(?:番号|no\.?)[ ]?[:]?[ ]?[0-9]+)?)"
        ))
    });
    for caps in SYMBOL_AND_NUMBER.captures_iter(&text.lower) {
        if let Some(value) = caps.get(1) {
            out.add(value.range(), Marker::Id);
        }
    }
    for (re, marker, min_digits) in [
        (&*PHONE, Marker::Phone, 3),
        (&*POSTCODE, Marker::Postcode, 7),
        (&*ID, Marker::Id, 1),
    ] {
        for caps in re.captures_iter(&text.lower) {
            let (Some(all), Some(value)) = (caps.get(0), caps.get(1)) else {
                continue;
            };
            let label_glued = all.as_str().starts_with(|c: char| c.is_ascii_alphabetic())
                && text.before(all.start()).is_some_and(is_latin_word);
            let digits = value.as_str().chars().filter(char::is_ascii_digit).count();
            let in_date = dates
                .iter()
                .any(|d| d.start <= value.start() && value.end() <= d.end);
            if !label_glued && digits >= min_digits && !(in_date && marker == Marker::Phone) {
                out.add(value.range(), marker);
            }
        }
    }
}

#[cfg(test)]
mod tests;
