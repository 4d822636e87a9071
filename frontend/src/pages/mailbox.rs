//! `/dev/mail`: the emails Taiwa wrote under `./data/mail/` — everyone's
//! inbox at once, so only for a browser on this machine, and off with
//! `TAIWA_DEV_MAILBOX=false` (embedded
//! default only), so a demo user can follow an invitation or read a
//! confirmation. Elsewhere it answers 404.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::WebState;
use crate::ctx::{Chrome, render};
use crate::session::Visitor;

/// One message in the list.
pub struct Mail {
    name: String,
    subject: String,
    to: String,
    date: String,
}

#[derive(Template)]
#[template(path = "mailbox.html")]
struct ListPage {
    c: Chrome,
    mails: Vec<Mail>,
}

#[derive(Template)]
#[template(path = "mail.html")]
struct MailPage {
    c: Chrome,
    mail: Mail,
    body: String,
    links: Vec<String>,
}

/// Decodes quoted-printable text (soft line breaks and `=XX`).
fn unquote(text: &str) -> String {
    let joined = text.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && i + 2 < bytes.len()
            && let Some(b) = joined
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Decodes a MIME encoded-word header (`=?utf-8?b?…?=`), else the raw value.
fn header_text(value: &str) -> String {
    use base64::Engine;
    let mut out = String::new();
    for word in value.split_whitespace() {
        let lower = word.to_ascii_lowercase();
        if let Some(rest) = lower
            .strip_prefix("=?utf-8?b?")
            .and_then(|r| r.strip_suffix("?="))
        {
            let start = word.len() - rest.len() - 2;
            if let Ok(bytes) =
                base64::engine::general_purpose::STANDARD.decode(&word[start..word.len() - 2])
            {
                out.push_str(&String::from_utf8_lossy(&bytes));
                continue;
            }
        }
        if let Some(rest) = lower
            .strip_prefix("=?utf-8?q?")
            .and_then(|r| r.strip_suffix("?="))
        {
            let start = word.len() - rest.len() - 2;
            out.push_str(&unquote(&word[start..word.len() - 2].replace('_', " ")));
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// A header's value in a block of headers (folded lines joined), decoded.
fn header_of(head: &str, key: &str) -> String {
    let mut value = String::new();
    let mut inside = false;
    for line in head.lines() {
        if inside && line.starts_with([' ', '\t']) {
            value.push(' ');
            value.push_str(line.trim_start());
            continue;
        }
        inside = line.len() > key.len()
            && line.is_char_boundary(key.len())
            && line[..key.len()].eq_ignore_ascii_case(key)
            && line.as_bytes()[key.len()] == b':';
        if inside {
            value = line[key.len() + 1..].trim().to_owned();
        }
    }
    header_text(&value)
}

fn split_head(raw: &str) -> (&str, &str) {
    raw.split_once("\r\n\r\n")
        .or_else(|| raw.split_once("\n\n"))
        .unwrap_or((raw, ""))
}

/// The readable text of a MIME entity: its text/plain part, decoded.
fn text_of(head: &str, body: &str) -> String {
    let content_type = header_of(head, "Content-Type");
    if content_type.to_ascii_lowercase().starts_with("multipart/") {
        let Some(boundary) = content_type
            .split(';')
            .filter_map(|p| p.trim().strip_prefix("boundary="))
            .next()
            .map(|b| b.trim_matches('"').to_owned())
        else {
            return body.to_owned();
        };
        let delimiter = format!("--{boundary}");
        return body
            .split(delimiter.as_str())
            .skip(1)
            .filter(|part| !part.starts_with("--"))
            .map(|part| {
                let (h, b) = split_head(part.trim_start_matches(['\r', '\n']));
                (header_of(h, "Content-Type").to_ascii_lowercase(), h, b)
            })
            .find(|(t, _, _)| t.starts_with("text/plain") || t.starts_with("multipart/"))
            .map(|(_, h, b)| text_of(h, b))
            .unwrap_or_default();
    }
    match header_of(head, "Content-Transfer-Encoding")
        .to_ascii_lowercase()
        .as_str()
    {
        "base64" => {
            use base64::Engine;
            let compact: String = body.chars().filter(|c| !c.is_whitespace()).collect();
            base64::engine::general_purpose::STANDARD
                .decode(compact)
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default()
        }
        "quoted-printable" => unquote(body),
        _ => body.to_owned(),
    }
    .replace("\r\n", "\n")
}

fn read(dir: &std::path::Path, name: &str) -> Option<(Mail, String)> {
    let raw = std::fs::read_to_string(dir.join(name)).ok()?;
    let (head, body) = split_head(&raw);
    let mail = Mail {
        name: name.to_owned(),
        subject: header_of(head, "Subject"),
        to: header_of(head, "To"),
        date: header_of(head, "Date"),
    };
    Some((mail, text_of(head, body)))
}

/// The mailbox is everyone's inbox at once: it answers only a browser on
/// this machine (never over the network), and only in development.
fn local(v: &Visitor) -> bool {
    v.peer.is_some_and(|p| p.ip().is_loopback())
}

/// The list, newest first.
pub async fn list(State(web): State<WebState>, mut v: Visitor) -> Response {
    let Some(dir) = web.dev_mailbox.clone().filter(|_| local(&v)) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mut names: Vec<(std::time::SystemTime, String)> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| e.file_name().to_string_lossy().ends_with(".eml"))
                .map(|e| {
                    (
                        e.metadata()
                            .and_then(|m| m.modified())
                            .unwrap_or(std::time::UNIX_EPOCH),
                        e.file_name().to_string_lossy().into_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    names.sort_by(|a, b| b.cmp(a));
    let mails = names
        .iter()
        .take(200)
        .filter_map(|(_, n)| read(&dir, n).map(|(m, _)| m))
        .collect();
    let p = ListPage {
        c: Chrome::new(
            &v,
            &web,
            None,
            v.lang.t("開発用メールボックス", "Dev mailbox"),
        ),
        mails,
    };
    let body = render(&p);
    v.respond(body)
}

/// One message, with its links.
pub async fn show(
    State(web): State<WebState>,
    mut v: Visitor,
    Path(name): Path<String>,
) -> Response {
    let Some(dir) = web.dev_mailbox.clone().filter(|_| local(&v)) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if !name.ends_with(".eml") || name.contains(['/', '\\']) || name.starts_with('.') {
        return StatusCode::NOT_FOUND.into_response();
    }
    let Some((mail, body)) = read(&dir, &name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let links = body
        .split(|c: char| c.is_whitespace() || c == '<' || c == '>' || c == '"')
        .filter(|w| w.starts_with("http://") || w.starts_with("https://"))
        .map(str::to_owned)
        .collect();
    let p = MailPage {
        c: Chrome::new(&v, &web, None, &mail.subject.clone()),
        mail,
        body,
        links,
    };
    let page = render(&p);
    v.respond(page)
}
