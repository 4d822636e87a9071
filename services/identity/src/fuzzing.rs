//! Entry points for `cargo fuzz` (`fuzz/` at the root): the reader of HR's
//! invitation uploads (CSV or JSON), with the invariants a fuzzer should never
//! break. Unit tests run every seed of `fuzz/seeds/` through it.

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, header};

use crate::domain::{Email, parse_cohort};
use crate::routes::invitations::{Row, rows};

/// Reads `data` as an invitation upload: a first byte `{` means JSON, anything
/// else CSV. Every row's address and cohort are parsed as the handler does;
/// a CSV upload written back out and read again gives the same rows.
pub fn invitation_upload(data: &[u8]) {
    let json = data.first() == Some(&b'{');
    let content_type = if json { "application/json" } else { "text/csv" };
    let mut headers = HeaderMap::new();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    let Ok(parsed) = rows(&headers, &Bytes::copy_from_slice(data)) else {
        return;
    };
    for pair in parsed.windows(2) {
        assert!(pair[0].row < pair[1].row, "row numbers increase");
    }
    for row in &parsed {
        if let Ok(email) = Email::parse(&row.email) {
            assert_eq!(
                Email::parse(email.as_str()).as_ref(),
                Ok(&email),
                "parsing an address twice changes it"
            );
            assert!(!email.as_str().chars().any(char::is_whitespace));
        }
        if let Ok(Some(cohort)) = parse_cohort(row.department.as_deref(), row.age_band.as_deref()) {
            assert!(cohort.department.is_none_or(|d| d.chars().count() <= 60));
        }
    }
    if !json {
        let again = rows(&headers, &Bytes::from(write_csv(&parsed)));
        let again = again.unwrap_or_else(|e| panic!("rows written back do not read: {e:?}"));
        let cells = |rows: &[Row]| -> Vec<(String, Option<String>, Option<String>)> {
            rows.iter()
                .map(|r| (r.email.clone(), r.department.clone(), r.age_band.clone()))
                .collect()
        };
        assert_eq!(cells(&parsed), cells(&again), "CSV round trip");
    }
}

fn write_csv(rows: &[Row]) -> Vec<u8> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let header = ["email", "department", "age_band"];
    let mut records = vec![header.map(str::to_owned).to_vec()];
    for r in rows {
        records.push(vec![
            r.email.clone(),
            r.department.clone().unwrap_or_default(),
            r.age_band.clone().unwrap_or_default(),
        ]);
    }
    for record in records {
        if out.write_record(&record).is_err() {
            return Vec::new();
        }
    }
    out.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests;
