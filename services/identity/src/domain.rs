//! Identity's domain types, parsed at the edge: nothing past a handler sees a
//! raw string for an email, a password or a display name.

use secrecy::{ExposeSecret, SecretString};

/// A lower-cased, syntactically plausible email address.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Email(String);

impl Email {
    /// Parses user input: trims, lower-cases, and checks the shape
    /// `local@domain.tld` without spaces or control characters.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let s = raw.trim().to_lowercase();
        if s.is_empty() {
            return Err("the email address is empty".to_owned());
        }
        if s.len() > 254 {
            return Err("the email address is longer than 254 characters".to_owned());
        }
        if s.chars().any(|c| {
            c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';' | '"')
        }) {
            return Err(
                "the email address contains a space or a character addresses cannot have"
                    .to_owned(),
            );
        }
        let Some((local, domain)) = s.split_once('@') else {
            return Err("the email address has no @".to_owned());
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
            return Err("the part before @ is not valid".to_owned());
        }
        if !domain_ok {
            return Err("the part after @ is not a valid domain".to_owned());
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

/// The cohort attributes of an employee that HR gives with an invitation
/// (the contract's type: they leave identity only in
/// `identity.contact_changed.v1`, and booking passes them on only for
/// sessions whose employee consented to cohort reporting).
pub use shared::contracts::Cohort;

/// Reads a cohort from optional raw values; empty values count as absent.
/// `None` when neither is given. The department is 1–60 characters, the age
/// band one of [`AGE_BANDS`].
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
    if let Some(a) = age_band
        && !AGE_BANDS.contains(&a)
    {
        return Err(format!(
            "the age band must be one of {}",
            AGE_BANDS.join(", ")
        ));
    }
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
