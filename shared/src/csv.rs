//! One CSV cell, as every export writes it.

/// Quotes a field for CSV where it needs it (RFC 4180: a `,`, `"` or line
/// break inside; `"` doubled) and defuses
/// spreadsheet formulas (OWASP "CSV injection"): a value starting with `=`,
/// `+`, `-`, `@`, a tab or a carriage return — or their full-width forms,
/// which a Japanese IME types — gets a leading `'`, so Excel, LibreOffice and
/// Google Sheets show it as text instead of running it.
pub fn cell(value: &str) -> String {
    let live = value.starts_with([
        '=', '+', '-', '@', '\t', '\r', '\u{FF1D}', '\u{FF0B}', '\u{FF0D}', '\u{FF20}',
    ]);
    let value = if live {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

#[cfg(test)]
mod tests;
