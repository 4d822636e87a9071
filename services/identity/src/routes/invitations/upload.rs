//! Reading HR's upload: JSON (`emails` or `people`) or CSV (any header
//! language, Excel's byte-order mark), each row with its number.

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode, header};
use serde::Deserialize;
use shared::error::ApiError;
use utoipa::ToSchema;

/// Whom to invite: `emails`, or `people` with cohort attributes (or send
/// `text/csv` with an `email` column and optional `department` and
/// `age_band` columns).
#[derive(Deserialize, ToSchema)]
pub struct InviteRequest {
    /// Email addresses.
    #[serde(default)]
    pub emails: Vec<String>,
    /// People with their cohort attributes.
    #[serde(default)]
    pub people: Vec<Invitee>,
}

/// One person to invite, with the cohort attributes reports may group by
/// (only for sessions whose employee consents), and optionally their name
/// and its reading, which booking keeps out of organisational summaries.
#[derive(Deserialize, ToSchema)]
pub struct Invitee {
    /// Address.
    pub email: String,
    /// Full name (氏名), 1–60 characters.
    #[serde(default)]
    pub name: Option<String>,
    /// Its reading (フリガナ), katakana or hiragana.
    #[serde(default)]
    pub name_reading: Option<String>,
    /// Department or division (1–60 characters).
    #[serde(default)]
    pub department: Option<String>,
    /// `under_30`, `30s`, `40s`, `50s` or `60_plus`.
    #[serde(default)]
    pub age_band: Option<String>,
}

/// One row of a request, numbered from 1.
pub(crate) struct Row {
    pub(crate) row: usize,
    pub(crate) email: String,
    pub(crate) department: Option<String>,
    pub(crate) age_band: Option<String>,
    pub(crate) name: Option<String>,
    pub(crate) reading: Option<String>,
}

impl Row {
    fn plain(row: usize, email: String) -> Self {
        Self {
            row,
            email,
            department: None,
            age_band: None,
            name: None,
            reading: None,
        }
    }
}

/// Reads the rows from JSON or CSV, each with its row number.
pub(crate) fn rows(headers: &HeaderMap, body: &Bytes) -> Result<Vec<Row>, ApiError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if content_type.starts_with("application/json") {
        let request: InviteRequest = serde_json::from_slice(body).map_err(|e| {
            if e.is_syntax() || e.is_eof() {
                ApiError::bad_request("malformed_json", "the request body is not valid JSON")
            } else {
                ApiError::unprocessable(
                    "invalid_body",
                    format!("expected {{\"emails\": [\"…\"]}} or {{\"people\": [{{\"email\": \"…\"}}]}}: {e}"),
                )
            }
        })?;
        let plain = request.emails.into_iter().map(|e| Row::plain(0, e));
        let people = request.people.into_iter().map(|p| Row {
            row: 0,
            email: p.email,
            department: p.department,
            age_band: p.age_band,
            name: p.name,
            reading: p.name_reading,
        });
        return Ok(plain
            .chain(people)
            .enumerate()
            .map(|(i, row)| Row { row: i + 1, ..row })
            .collect());
    }
    if content_type.starts_with("text/csv") {
        return csv_rows(body);
    }
    Err(ApiError::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
        "send application/json {\"emails\": […]} or text/csv with an email column",
    ))
}

/// Which column holds what, from a header row.
struct Columns {
    email: usize,
    department: Option<usize>,
    age_band: Option<usize>,
    name: Option<usize>,
    reading: Option<usize>,
}

impl Columns {
    fn from_header(record: &csv::StringRecord) -> Option<Self> {
        let find = |names: &[&str]| {
            record
                .iter()
                .position(|f| names.contains(&f.trim().to_lowercase().as_str()))
        };
        Some(Self {
            email: find(&["email", "e-mail", "メール", "メールアドレス"])?,
            department: find(&["department", "部署", "部門", "所属"]),
            age_band: find(&["age_band", "age band", "年代"]),
            name: find(&[
                "name",
                "full_name",
                "full name",
                "氏名",
                "名前",
                "氏名（漢字）",
            ]),
            reading: find(&[
                "name_reading",
                "reading",
                "フリガナ",
                "ふりがな",
                "カナ",
                "氏名（カナ）",
                "氏名(カナ)",
            ]),
        })
    }
}

fn csv_rows(body: &Bytes) -> Result<Vec<Row>, ApiError> {
    let text = std::str::from_utf8(body)
        .map_err(|_| ApiError::unprocessable("invalid_csv", "the CSV file must be UTF-8"))?;
    let text = text.trim_start_matches('\u{feff}'); // Excel's byte-order mark
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut columns = Columns {
        email: 0,
        department: None,
        age_band: None,
        name: None,
        reading: None,
    };
    let mut out = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record
            .map_err(|e| ApiError::unprocessable("invalid_csv", format!("row {}: {e}", i + 1)))?;
        if i == 0
            && let Some(found) = Columns::from_header(&record)
        {
            columns = found;
            continue;
        }
        let cell = |index: Option<usize>| {
            index
                .and_then(|c| record.get(c))
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        let Some(email) = cell(Some(columns.email)) else {
            continue;
        };
        out.push(Row {
            department: cell(columns.department),
            age_band: cell(columns.age_band),
            name: cell(columns.name),
            reading: cell(columns.reading),
            ..Row::plain(i + 1, email)
        });
    }
    Ok(out)
}
