//! Scrubbing an organisational summary before it leaves booking: contact
//! details (emails, URLs, phone and staff numbers) and the names on the
//! org's and the consultant's deny lists, in Japanese and English text.

/// Replaces email addresses, URLs and long digit runs (phone, staff numbers).
pub fn scrub(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let is_addr = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-');
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        // URLs: http(s):// up to whitespace or a non-ASCII character.
        let rest: String = chars[i..chars.len().min(i + 8)].iter().collect();
        if rest.starts_with("http://") || rest.starts_with("https://") {
            while i < chars.len() && chars[i].is_ascii() && !chars[i].is_whitespace() {
                i += 1;
            }
            out.push_str("[url]");
            continue;
        }
        // Emails: expand around '@'.
        if chars[i] == '@' {
            let mut start = i;
            while start > 0 && is_addr(chars[start - 1]) {
                start -= 1;
            }
            let mut end = i + 1;
            while end < chars.len() && is_addr(chars[end]) {
                end += 1;
            }
            if start < i && end > i + 1 {
                let keep = out.chars().count() - (i - start);
                out = out.chars().take(keep).collect();
                out.push_str("[email]");
                i = end;
                continue;
            }
        }
        // Digit runs with at least 6 digits (phones, employee numbers).
        if chars[i].is_ascii_digit() || chars[i] == '+' {
            let mut end = i;
            let mut digits = 0;
            while end < chars.len()
                && (chars[end].is_ascii_digit()
                    || matches!(chars[end], '-' | '+' | '(' | ')' | ' '))
            {
                digits += usize::from(chars[end].is_ascii_digit());
                end += 1;
            }
            if digits >= 6 {
                out.push_str("[number]");
                if end > 0 && chars[end - 1] == ' ' {
                    out.push(' ');
                }
                i = end;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// The words a display name contributes to a deny list: the full name (with
/// and without its spaces) and each part of it — Japanese parts of two or
/// more characters (佐藤), Latin parts of three or more letters (Sato).
pub fn name_terms(display_name: &str) -> Vec<String> {
    let full = display_name.trim();
    let mut terms = Vec::new();
    if full.is_empty() {
        return terms;
    }
    terms.push(full.to_owned());
    let joined: String = full.split_whitespace().collect();
    terms.push(joined);
    for part in full.split(|c: char| c.is_whitespace() || matches!(c, '・' | '･' | '.' | ',')) {
        let n = part.chars().count();
        let long_enough = if part.is_ascii() { n >= 3 } else { n >= 2 };
        if long_enough {
            terms.push(part.to_owned());
        }
    }
    terms.sort();
    terms.dedup();
    terms
}

/// Replaces every deny-listed term with `[name]`: Latin terms
/// case-insensitively and as whole words, Japanese terms wherever they occur
/// (Japanese has no spaces between words). Longer terms go first, so a full
/// name is not left half-replaced by one of its parts.
pub fn redact_names(text: &str, terms: &[String]) -> String {
    let mut terms: Vec<&str> = terms
        .iter()
        .map(|t| t.trim())
        .filter(|t| t.chars().count() >= 2)
        .collect();
    terms.sort_by_key(|t| std::cmp::Reverse(t.chars().count()));
    terms.dedup();
    let mut out = text.to_owned();
    for term in terms {
        out = replace_term(&out, term);
    }
    out
}

fn replace_term(text: &str, term: &str) -> String {
    const MARK: &str = "[name]";
    let haystack = text.to_lowercase();
    let needle = term.to_lowercase();
    // Lower-casing can change byte lengths outside ASCII; then fall back to
    // an exact, case-sensitive match.
    if haystack.len() != text.len() || needle.len() != term.len() {
        return text.replace(term, MARK);
    }
    let ascii = term.is_ascii();
    let bytes = text.as_bytes();
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let mut from = 0;
    while let Some(found) = haystack[from..].find(&needle) {
        let start = from + found;
        let end = start + needle.len();
        let bounded = !ascii
            || ((start == 0 || !is_word(bytes[start - 1]))
                && (end == bytes.len() || !is_word(bytes[end])));
        let inside_mark = start > 0 && bytes[start - 1] == b'[' && text[end..].starts_with(']');
        if bounded && !inside_mark {
            out.push_str(&text[last..start]);
            out.push_str(MARK);
            last = end;
        }
        from = end;
    }
    out.push_str(&text[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contact_details_are_removed_in_japanese_and_english_text() {
        assert_eq!(
            scrub("連絡はhanako.sato@example.co.jpまで"),
            "連絡は[email]まで"
        );
        assert_eq!(
            scrub("call +81 90-1234-5678 or see https://intra.example.com/x?id=3 today"),
            "call [number] or see [url] today"
        );
        assert_eq!(scrub("社員番号 0012345 の件"), "社員番号 [number] の件");
        assert_eq!(scrub("2026年に3回"), "2026年に3回", "short numbers stay");
        assert_eq!(scrub("評価制度への不安"), "評価制度への不安");
    }

    #[test]
    fn names_are_redacted_whole_and_in_parts() {
        let mut terms = name_terms("佐藤 花子");
        terms.extend(name_terms("Ken Tanaka"));
        assert_eq!(
            redact_names("佐藤花子さんと佐藤さん、花子さんの件", &terms),
            "[name]さんと[name]さん、[name]さんの件"
        );
        assert_eq!(
            redact_names("Talked with ken TANAKA and Tanakas' team", &terms),
            "Talked with [name] and Tanakas' team",
            "whole words only, any case"
        );
        assert_eq!(
            redact_names("Kentucky office", &terms),
            "Kentucky office",
            "no partial words"
        );
        assert_eq!(redact_names("評価制度への不安", &terms), "評価制度への不安");
        assert!(name_terms("A").len() <= 2, "one-letter parts are not terms");
        assert!(!name_terms("Li Na").contains(&"Li".to_owned()));
    }
}
