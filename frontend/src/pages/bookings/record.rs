//! The consultant's session record: private notes, themes, the summary,
//! action items and the crisis-path flag.

use askama::Template;
use axum::Form;
use axum::extract::Path;
use axum::http::Method;
use axum::response::Response;
use serde_json::{Value, json};

use super::{BookingRow, row};
use crate::ctx::{Chrome, Consultant, Ctx, Fields, Signed};
use crate::session::urlencode;

#[derive(Template)]
#[template(path = "bookings/record.html")]
struct RecordPage {
    c: Chrome,
    b: BookingRow,
    themes: Vec<(String, String, bool, bool)>,
    private_notes: String,
    org_summary: String,
    action_items: String,
    crisis_path: bool,
    saved: bool,
    error: Option<String>,
}

async fn record_page(
    ctx: &Ctx,
    id: &str,
    record: &Value,
    saved: bool,
    error: Option<String>,
) -> Result<RecordPage, crate::api::ApiFailure> {
    let l = ctx.l();
    let booking: Value = ctx.get(&format!("/api/v1/bookings/{id}")).await?;
    // Retired themes too: one the record already carries stays on it (and
    // in the form, marked), never dropped by saving the form again.
    let taxonomy: Value = ctx.get("/api/v1/themes?include_retired=true").await?;
    let chosen: Vec<&str> = record["themes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t.as_str())
        .collect();
    Ok(RecordPage {
        c: ctx.chrome(l.t("セッションの記録", "Session record")),
        b: row(ctx, &booking).await,
        themes: taxonomy
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|t| {
                let code = t["code"].as_str().unwrap_or("").to_owned();
                let on = chosen.contains(&code.as_str());
                let retired = t["retired"].as_bool().unwrap_or(false);
                if retired && !on {
                    return None;
                }
                let label = if retired {
                    format!("{}{}", l.label(t), l.t("（廃止済み）", " (retired)"))
                } else {
                    l.label(t).to_owned()
                };
                Some((code, label, t["sensitive"].as_bool().unwrap_or(false), on))
            })
            .collect(),
        private_notes: record["private_notes"].as_str().unwrap_or("").to_owned(),
        org_summary: record["org_summary"].as_str().unwrap_or("").to_owned(),
        action_items: record["action_items"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|a| a.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
        crisis_path: record["crisis_path"].as_bool().unwrap_or(false),
        saved,
        error,
    })
}

/// The consultant's record form (the notes are read, and the read audited).
pub async fn record_form(signed: Signed<Consultant>, Path(id): Path<String>) -> Response {
    let mut ctx = signed.ctx;
    let id = urlencode(&id);
    let existing = ctx
        .call(Method::GET, &format!("/api/v1/bookings/{id}/record"), None)
        .await;
    let record = if existing.ok() {
        existing.body
    } else {
        Value::Null
    };
    match record_page(&ctx, &id, &record, false, None).await {
        Ok(p) => ctx.page(&p),
        Err(f) => ctx.failed(&f),
    }
}

/// Saves the record.
pub async fn record(
    signed: Signed<Consultant>,
    Path(id): Path<String>,
    Form(form): Form<Fields>,
) -> Response {
    let mut ctx = signed.ctx;
    if let Some(r) = ctx.csrf_refusal(form.get("csrf")) {
        return r;
    }
    let id = urlencode(&id);
    let body = json!({
        "private_notes": form.get("private_notes"),
        "org_summary": form.get("org_summary"),
        "themes": form.all("theme").collect::<Vec<_>>(),
        "action_items": form.get("action_items").lines().map(str::trim).filter(|a| !a.is_empty()).collect::<Vec<_>>(),
        "crisis_path": !form.get("crisis_path").is_empty(),
    });
    let answer = ctx
        .call(
            Method::POST,
            &format!("/api/v1/bookings/{id}/record"),
            Some(&body),
        )
        .await;
    let (record, saved, error) = if answer.ok() {
        (answer.body.clone(), true, None)
    } else {
        (body, false, Some(answer.message()))
    };
    match record_page(&ctx, &id, &record, saved, error).await {
        Ok(p) => {
            let status = if saved {
                axum::http::StatusCode::OK
            } else {
                answer.status
            };
            let page = crate::ctx::render(&p);
            ctx.v.respond((status, page))
        }
        Err(f) => ctx.failed(&f),
    }
}
