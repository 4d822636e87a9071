//! Matching's handlers, mirroring the URL tree under `/api/v1`.

pub mod assessment;
pub mod consultants;
pub mod matches;
pub mod search;

use axum::http::HeaderMap;
use axum::http::header::ACCEPT_LANGUAGE;

use crate::domain::ranking::Lang;

/// The language to answer in: `?lang=` first, then `Accept-Language`, else Japanese.
pub fn language(query: Option<&str>, headers: &HeaderMap) -> Lang {
    let wanted = query.map(str::to_owned).or_else(|| {
        headers
            .get(ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    });
    match wanted {
        Some(l) if l.trim_start().to_ascii_lowercase().starts_with("en") => Lang::En,
        _ => Lang::Ja,
    }
}
