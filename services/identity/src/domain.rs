//! Identity's domain types, parsed at the edge: nothing past a handler sees a
//! raw string for an email, a password or a display name.

use secrecy::{ExposeSecret, SecretString};

/// Why a string is not an email address we accept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EmailError {
    /// Nothing was given.
    Empty,
    /// Longer than 254 characters.
    TooLong,
    /// A space, control character or `<>,;"`.
    BadCharacter,
    /// No `@`.
    NoAt,
    /// The part before `@` is empty, too long or has dots out of place.
    BadLocalPart,
    /// The part after `@` is not a domain.
    BadDomain,
}

impl EmailError {
    /// A stable code for clients (`email_no_at`, …).
    pub fn code(self) -> &'static str {
        match self {
            Self::Empty => "email_empty",
            Self::TooLong => "email_too_long",
            Self::BadCharacter => "email_bad_character",
            Self::NoAt => "email_no_at",
            Self::BadLocalPart => "email_bad_local_part",
            Self::BadDomain => "email_bad_domain",
        }
    }
}

impl std::fmt::Display for EmailError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Empty => "the email address is empty",
            Self::TooLong => "the email address is longer than 254 characters",
            Self::BadCharacter => {
                "the email address contains a space or a character addresses cannot have"
            }
            Self::NoAt => "the email address has no @",
            Self::BadLocalPart => "the part before @ is not valid",
            Self::BadDomain => "the part after @ is not a valid domain",
        })
    }
}

impl std::error::Error for EmailError {}

/// A lower-cased, syntactically plausible email address.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Email(String);

impl Email {
    /// Parses user input: trims, lower-cases, and checks the shape
    /// `local@domain.tld` without spaces or control characters.
    pub fn parse(raw: &str) -> Result<Self, EmailError> {
        let s = raw.trim().to_lowercase();
        if s.is_empty() {
            return Err(EmailError::Empty);
        }
        if s.len() > 254 {
            return Err(EmailError::TooLong);
        }
        if s.chars().any(|c| {
            c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';' | '"')
        }) {
            return Err(EmailError::BadCharacter);
        }
        let Some((local, domain)) = s.split_once('@') else {
            return Err(EmailError::NoAt);
        };
        let domain_ok = domain.contains('.')
            && !domain.contains('@')
            && !domain.starts_with(['.', '-'])
            && !domain.ends_with(['.', '-'])
            && !domain.contains("..");
        if local.is_empty()
            || local.len() > 64
            || local.starts_with('.')
            || local.ends_with('.')
            || local.contains("..")
        {
            return Err(EmailError::BadLocalPart);
        }
        if !domain_ok {
            return Err(EmailError::BadDomain);
        }
        Ok(Self(s))
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A password that meets the policy (12–128 characters). It never prints.
pub struct Password(SecretString);

/// Shortest accepted password, in characters.
pub const PASSWORD_MIN_CHARS: usize = 12;
/// Longest accepted password, in characters.
pub const PASSWORD_MAX_CHARS: usize = 128;

impl Password {
    /// Checks a new password against the policy.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let n = raw.chars().count();
        if n < PASSWORD_MIN_CHARS {
            return Err(format!(
                "the password must have at least {PASSWORD_MIN_CHARS} characters"
            ));
        }
        if n > PASSWORD_MAX_CHARS {
            return Err(format!(
                "the password must have at most {PASSWORD_MAX_CHARS} characters"
            ));
        }
        if raw.trim().is_empty() {
            return Err("the password cannot be only spaces".to_owned());
        }
        if is_common(raw) {
            return Err(
                "this password is too common (it follows a pattern found in breached-password lists); choose another"
                    .to_owned(),
            );
        }
        Ok(Self(SecretString::from(raw.to_owned())))
    }

    /// The password's bytes, for hashing.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

/// Bases of common passwords (`common_passwords.txt`).
const COMMON_PASSWORDS: &str = include_str!("common_passwords.txt");

/// Whether a password is a common base with decoration (digits, symbols,
/// spaces around it), a repetition of one, one repeated character, or a run
/// of consecutive keys or digits.
fn is_common(raw: &str) -> bool {
    let lower = raw.to_lowercase();
    let core = lower.trim_matches(|c: char| !c.is_alphabetic());
    if core.is_empty() {
        // Only digits and symbols: refuse runs like 123456789012.
        return is_run(&lower);
    }
    let chars: Vec<char> = core.chars().collect();
    if chars.iter().all(|c| *c == chars[0]) || is_run(core) {
        return true;
    }
    COMMON_PASSWORDS
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .any(|base| {
            core == base
                || (core.len().is_multiple_of(base.len())
                    && core.len() > base.len()
                    && core == base.repeat(core.len() / base.len()))
        })
}

/// Consecutive keys of a keyboard row, or consecutive digits or letters
/// (up or down), covering the whole string.
fn is_run(s: &str) -> bool {
    const ROWS: [&str; 5] = [
        "`1234567890-=",
        "qwertyuiop[]",
        "asdfghjkl;'",
        "zxcvbnm,./",
        "abcdefghijklmnopqrstuvwxyz",
    ];
    let reversed: String = s.chars().rev().collect();
    let digits = "012345678901234567890123456789";
    ROWS.iter()
        .any(|row| row.contains(s) || row.contains(reversed.as_str()))
        || digits.contains(s)
        || digits.contains(reversed.as_str())
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(…)")
    }
}

/// The name shown for a person (an employee may choose a nickname).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    /// 1–80 characters after trimming, no control characters.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let s = raw.trim();
        if s.is_empty() {
            return Err("the display name is empty".to_owned());
        }
        if s.chars().count() > 80 {
            return Err("the display name is longer than 80 characters".to_owned());
        }
        if s.chars().any(char::is_control) {
            return Err("the display name contains control characters".to_owned());
        }
        Ok(Self(s.to_owned()))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Age bands HR may give (coarse on purpose: exact ages identify people).
pub const AGE_BANDS: [&str; 5] = ["under_30", "30s", "40s", "50s", "60_plus"];

/// The age band an HR file means, as people write it: the codes
/// themselves, 「30代」, 「30-39」 (or 〜, ～, full-width digits), 「30s」,
/// 「30歳未満」, 「60歳以上」, 「60+」, and a decade of the twenties or the
/// sixties and over for the open bands. `None` for anything else.
pub fn read_age_band(raw: &str) -> Option<&'static str> {
    let s: String = raw
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '〜' | '～' | '~' | '－' | '−' | '–' | '—' | 'ー' => '-',
            '＋' => '+',
            other => other,
        })
        .collect::<String>()
        .to_lowercase();
    if let Some(code) = AGE_BANDS.iter().find(|b| **b == s) {
        return Some(code);
    }
    let decade = |d: u32| match d {
        0..=29 => Some("under_30"),
        30..=39 => Some("30s"),
        40..=49 => Some("40s"),
        50..=59 => Some("50s"),
        60..=130 => Some("60_plus"),
        _ => None,
    };
    let number = |t: &str| t.parse::<u32>().ok();
    // 「30歳未満」「30未満」「under 30」「~29」「-29」: the band below 30.
    if let Some(n) = s
        .strip_suffix("歳未満")
        .or_else(|| s.strip_suffix("未満"))
        .or_else(|| s.strip_prefix("under"))
        .and_then(number)
    {
        return (n == 30).then_some("under_30");
    }
    if let Some(n) = s
        .strip_suffix("代以上")
        .or_else(|| s.strip_suffix("歳以上"))
        .or_else(|| s.strip_suffix("以上"))
        .or_else(|| s.strip_suffix('+'))
        .and_then(number)
    {
        return (n == 60).then_some("60_plus");
    }
    if let Some(n) = s.strip_prefix('-').and_then(number) {
        return (n == 29).then_some("under_30");
    }
    // 「30代」「30s」「30's」「30代前半」: a decade.
    for suffix in ["代前半", "代後半", "代", "'s", "s"] {
        if let Some(n) = s.strip_suffix(suffix).and_then(number) {
            return (n % 10 == 0).then(|| decade(n)).flatten();
        }
    }
    // 「30-39」: a range inside one band.
    if let Some((low, high)) = s.split_once('-')
        && let (Some(low), Some(high)) = (number(low), number(high.trim_end_matches('歳')))
        && low <= high
    {
        let band = decade(low);
        return (band == decade(high)).then_some(band).flatten();
    }
    None
}

/// The cohort attributes of an employee that HR gives with an invitation
/// (the contract's type: they leave identity only in
/// `identity.contact_changed.v1`, and booking passes them on only for
/// sessions whose employee consented to cohort reporting).
pub use shared::contracts::Cohort;

/// Reads a cohort from optional raw values; empty values count as absent.
/// `None` when neither is given. The department is 1–60 characters, the age
/// band one of [`AGE_BANDS`] or a way people write one ([`read_age_band`]).
pub fn parse_cohort(
    department: Option<&str>,
    age_band: Option<&str>,
) -> Result<Option<Cohort>, String> {
    let department = department.map(str::trim).filter(|d| !d.is_empty());
    let age_band = age_band.map(str::trim).filter(|a| !a.is_empty());
    if let Some(d) = department
        && (d.chars().count() > 60 || d.chars().any(char::is_control))
    {
        return Err("the department must be 1–60 characters without control characters".to_owned());
    }
    let age_band = match age_band {
        None => None,
        Some(a) => Some(read_age_band(a).ok_or_else(|| {
            format!(
                "the age band must be one of {} (or written as 30代, 30-39, 60歳以上)",
                AGE_BANDS.join(", ")
            )
        })?),
    };
    if department.is_none() && age_band.is_none() {
        return Ok(None);
    }
    Ok(Some(Cohort {
        department: department.map(str::to_owned),
        age_band: age_band.map(str::to_owned),
    }))
}

/// A person's name and its reading (氏名, フリガナ) as HR gave them with an
/// invitation, if they did: kept out of organisational summaries, never
/// shown to consultants.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PersonName {
    /// Full name, 1–60 characters.
    pub full_name: Option<String>,
    /// Its reading in katakana (hiragana is converted), 1–60 characters.
    pub reading: Option<String>,
}

impl PersonName {
    /// Reads optional raw values; empty values count as absent.
    pub fn parse(full_name: Option<&str>, reading: Option<&str>) -> Result<Self, String> {
        let full_name = full_name.map(str::trim).filter(|n| !n.is_empty());
        if let Some(n) = full_name
            && (n.chars().count() > 60 || n.chars().any(char::is_control))
        {
            return Err("the name must be 1–60 characters without control characters".to_owned());
        }
        let reading = reading.map(str::trim).filter(|r| !r.is_empty());
        let reading = match reading {
            None => None,
            Some(r) => {
                let katakana: String = r
                    .chars()
                    .map(|c| match c {
                        // Hiragana ぁ–ゖ → katakana ァ–ヶ.
                        '\u{3041}'..='\u{3096}' => char::from_u32(c as u32 + 0x60).unwrap_or(c),
                        '\u{3000}' => ' ',
                        other => other,
                    })
                    .collect();
                let ok = katakana.chars().count() <= 60
                    && katakana
                        .chars()
                        .all(|c| matches!(c, '\u{30A1}'..='\u{30FA}' | 'ー' | '・' | ' '));
                if !ok {
                    return Err(
                        "the reading (フリガナ) must be katakana or hiragana, at most 60 characters"
                            .to_owned(),
                    );
                }
                Some(katakana)
            }
        };
        Ok(Self {
            full_name: full_name.map(str::to_owned),
            reading,
        })
    }
}

#[cfg(test)]
mod tests;
