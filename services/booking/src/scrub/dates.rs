//! Dates of birth. Every date is found (1985年4月12日, 昭和六十年, S60.4.12,
//! 1985/04/12, 12 April 1985, born in 1985); it is a date of birth when a
//! birth word stands next to it (生年月日, 生まれ, born, DOB), when it is in
//! an era before Heisei (昭和60年), or when it is a full date of a year
//! when a working adult was born (1900–2005). Other dates are returned so
//! that the number patterns leave them alone (2024-04-01 is no phone).

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::text::{Marker, Redactions, Text, is_latin_word};

/// Adds the spans of dates of birth; returns the other dates.
pub(super) fn find(text: &Text, out: &mut Redactions) -> Vec<Range<usize>> {
    static DATE: LazyLock<Regex> = LazyLock::new(|| {
        let kd = "[〇一二三四五六七八九十百千]";
        let era = "(?:明治|大正|昭和|平成|令和)";
        let month = "(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";
        let ord = "(?:st|nd|rd|th)?";
        let sep = "[ ]?[./-][ ]?";
        let md = format!("(?:[0-9]{{1,2}}|{kd}{{1,3}})");
        super::compile(&format!(
            "{era}[ ]?[0-9]{{1,2}}[./-][0-9]{{1,2}}[./-][0-9]{{1,2}}\
            |(?:{era}[ ]?)?(?:[0-9]{{1,4}}|{kd}{{1,5}}|元)[ ]?年(?:[ ]?{md}[ ]?月(?:[ ]?{md}[ ]?日)?)?\
            |{md}[ ]?月[ ]?{md}[ ]?日\
            |(?-u:\\b)[mtshr][ ]?[0-9]{{1,2}}[./-][0-9]{{1,2}}(?:[./-][0-9]{{1,2}})?\
            |[0-9]{{1,2}}{ord}[ ]+(?:of[ ]+)?{month}\\.?(?:,?[ ]+[0-9]{{4}})?\
            |(?-u:\\b){month}\\.?[ ]+[0-9]{{1,2}}{ord}(?:,?[ ]+[0-9]{{4}})?\
            |(?-u:\\b){month}\\.?,?[ ]+[0-9]{{4}}\
            |[0-9]{{4}}{sep}[0-9]{{1,2}}(?:{sep}[0-9]{{1,2}})?\
            |[0-9]{{1,2}}[./-][0-9]{{1,2}}[./-](?:[0-9]{{4}}|[0-9]{{2}})\
            |[0-9]{{2}}[./][0-9]{{1,2}}[./][0-9]{{1,2}}\
            |(?-u:\\b)[mtsh][0-9]{{2}}(?-u:\\b)\
            |[0-9]{{8}}|[0-9]{{1,2}}/[0-9]{{1,2}}|[0-9]{{4}}"
        ))
    });
    let mut other = Vec::new();
    for found in DATE.find_iter(&text.lower) {
        let span = found.range();
        // Not glued to a word or number: `tokyo2024`, `A19850412`, `12345`.
        if text.before(span.start).is_some_and(is_latin_word)
            || text.after(span.end).is_some_and(is_latin_word)
        {
            continue;
        }
        let Some(date) = Date::parse(found.as_str()) else {
            continue;
        };
        if date.is_birth() || birth_word_near(text, &span, &date) {
            out.add(span, Marker::Birthdate);
        } else if !found.as_str().bytes().all(|b| b.is_ascii_digit()) || found.as_str().len() > 4 {
            // A bare four-digit number may be a year, or an extension.
            other.push(span);
        }
    }
    other
}

/// What a matched date says.
struct Date {
    /// The western year, when the date has one.
    year: Option<u32>,
    /// Year, month and day are all given.
    full: bool,
    /// An era before Heisei (昭和, S60).
    old_era: bool,
    /// The year has four digits or an era (not `2年`, `10年`).
    sure_year: bool,
}

impl Date {
    fn parse(date: &str) -> Option<Self> {
        let mut numbers = numbers(date);
        let era = era_base(date);
        let month_name = era.is_none() && date.chars().any(|c| c.is_ascii_alphabetic());
        let year_at = if let Some(base) = era {
            if date.contains('元') {
                numbers.insert(0, (1, 1));
            }
            numbers.first_mut()?.0 += base;
            Some(0)
        } else if let [(n, 8)] = numbers[..] {
            numbers = vec![(n / 10000, 4), (n / 100 % 100, 2), (n % 100, 2)];
            Some(0)
        } else if let Some(at) = numbers.iter().position(|(_, digits)| *digits == 4) {
            Some(at)
        } else if date.contains('年') || (numbers.len() == 3 && numbers[0].1 == 2 && !month_name) {
            // A two-digit year (85年, 85/4/12, 12/04/85); `2年` and `100年`
            // are durations.
            let at = match numbers[..] {
                [(first, _), _, (last, 2)] if first <= 31 && last > 31 => 2,
                _ => 0,
            };
            let year = numbers.get_mut(at)?;
            if year.1 != 2 {
                return None;
            }
            year.0 += if year.0 > 30 { 1900 } else { 2000 };
            Some(at)
        } else {
            None
        };
        let year = year_at.map(|at| numbers[at].0);
        if year.is_some_and(|y| !(1868..=2099).contains(&y)) {
            return None;
        }
        let others: Vec<u32> = numbers
            .iter()
            .enumerate()
            .filter(|(k, _)| Some(*k) != year_at)
            .map(|(_, (n, _))| *n)
            .collect();
        let day_or_month = |n: &u32| (1..=31).contains(n);
        if !others.iter().all(day_or_month)
            || (!month_name && !others.is_empty() && !others.iter().any(|n| *n <= 12))
        {
            return None;
        }
        Some(Date {
            year,
            full: year.is_some() && numbers.len() + usize::from(month_name) >= 3,
            // S60 alone may be a size or a model; S60.4.12 and 昭和60年 are dates.
            old_era: era.is_some_and(|base| base < 1988)
                && (numbers.len() > 1 || !date.starts_with(|c: char| c.is_ascii_alphabetic())),
            sure_year: era.is_some() || year_at.is_some_and(|at| numbers[at].1 >= 4),
        })
    }

    fn is_birth(&self) -> bool {
        self.old_era || (self.full && self.year.is_some_and(|y| (1900..=2005).contains(&y)))
    }
}

/// The western year of an era's year 0 (昭和 and S: 1925).
fn era_base(date: &str) -> Option<u32> {
    const ERAS: [(&str, char, u32); 5] = [
        ("明治", 'm', 1867),
        ("大正", 't', 1911),
        ("昭和", 's', 1925),
        ("平成", 'h', 1988),
        ("令和", 'r', 2018),
    ];
    let mut chars = date.chars();
    let letter = chars.next()?;
    let digit_next = chars
        .as_str()
        .trim_start()
        .starts_with(|c: char| c.is_ascii_digit());
    ERAS.iter()
        .find(|(name, abbr, _)| date.starts_with(name) || (letter == *abbr && digit_next))
        .map(|era| era.2)
}

/// The numbers of a date, with their digit counts (kanji numerals count
/// their characters: 一九八五 has four).
fn numbers(date: &str) -> Vec<(u32, usize)> {
    let mut out = Vec::new();
    let mut run = String::new();
    for c in date.chars().chain(std::iter::once(' ')) {
        let same_kind = run
            .chars()
            .next()
            .is_none_or(|r| r.is_ascii_digit() == c.is_ascii_digit());
        if (c.is_ascii_digit() || "〇一二三四五六七八九十百千".contains(c)) && same_kind
        {
            run.push(c);
            continue;
        }
        if !run.is_empty() {
            let value = run.parse().ok().or_else(|| kanji_number(&run));
            if let Some(value) = value {
                out.push((value, run.chars().count()));
            }
            run.clear();
        }
        if c.is_ascii_digit() || "〇一二三四五六七八九十百千".contains(c) {
            run.push(c);
        }
    }
    out
}

/// 六十 → 60, 一九八五 → 1985, 千九百八十五 → 1985.
fn kanji_number(s: &str) -> Option<u32> {
    let digit = |c: char| {
        "〇一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .and_then(|d| u32::try_from(d).ok())
    };
    if s.chars().all(|c| digit(c).is_some()) {
        return s.chars().try_fold(0u32, |n, c| Some(n * 10 + digit(c)?));
    }
    let (mut total, mut current) = (0, 0);
    for c in s.chars() {
        match c {
            '十' => (total, current) = (total + current.max(1) * 10, 0),
            '百' => (total, current) = (total + current.max(1) * 100, 0),
            '千' => (total, current) = (total + current.max(1) * 1000, 0),
            c => current = digit(c)?,
        }
    }
    Some(total + current)
}

/// A birth word just before the date in the same sentence (生年月日は…,
/// born on…, DOB:) or just after it (…生まれ, …生).
fn birth_word_near(text: &Text, span: &Range<usize>, date: &Date) -> bool {
    static BEFORE: LazyLock<Regex> = LazyLock::new(|| {
        super::compile(
            r"生年月日|誕生日|生まれ|うまれ|誕生|birth[ ]?date|birthday|date[ ]of[ ]birth|\bd\.?o\.?b\b|\bborn\b|\bb\.[ ]?$",
        )
    });
    static AFTER: LazyLock<Regex> = LazyLock::new(|| {
        super::compile(
            r"^[ ]?(?:[のにで][ ]?)?(?:生まれ|うまれ|誕生|生誕|born|生(?:[^活産命徒きじ涯成物地]|$))",
        )
    });
    let head = &text.lower[..span.start];
    let window_start = head.char_indices().rev().nth(24).map_or(0, |(at, _)| at);
    let window = &head[window_start..];
    let sentence = window
        .rfind(['。', '！', '？', '!', '?', '\n'])
        .map_or(window, |at| &window[at..]);
    if BEFORE.is_match(sentence) {
        return true;
    }
    let tail = &text.lower[span.end..];
    let tail = &tail[..tail.char_indices().nth(6).map_or(tail.len(), |(at, _)| at)];
    if let Some(found) = AFTER.find(tail) {
        let only_sei = !found.as_str().contains("まれ")
            && !found.as_str().contains("born")
            && !found.as_str().contains('誕');
        return !only_sei || date.sure_year;
    }
    false
}

#[cfg(test)]
mod tests;
