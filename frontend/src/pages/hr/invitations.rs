//! Invitations from a CSV: a preview, then all or nothing with per-row errors.

use askama::Template;
use axum::Form;
use axum::extract::Multipart;
use axum::http::{Method, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use serde_json::Value;

use super::org_of;
use crate::ctx::{Chrome, Ctx, Hr, Signed, render};

#[derive(Template)]
#[template(path = "hr/invitations.html")]
struct InvitationsPage {
    c: Chrome,
    preview: Vec<(usize, String, String, String, String)>,
    csv: String,
    sent: Vec<(String, String)>,
    list: Vec<(String, String, String)>,
    error: Option<String>,
}

async fn invitations_page(
    ctx: &Ctx,
    preview: Vec<(usize, String, String, String, String)>,
    csv: String,
    sent: Vec<(String, String)>,
    error: Option<String>,
) -> InvitationsPage {
    let l = ctx.l();
    let org = org_of(ctx);
    let list: Value = ctx
        .get(&format!("/api/v1/orgs/{org}/invitations"))
        .await
        .unwrap_or_default();
    InvitationsPage {
        c: ctx.chrome(l.t("社員の招待", "Invite employees")),
        preview,
        csv,
        sent,
        list: list["items"]
            .as_array()
            .into_iter()
            .flatten()
            .take(100)
            .map(|i| {
                (
                    i["email"].as_str().unwrap_or("").to_owned(),
                    i["status"].as_str().unwrap_or("").to_owned(),
                    l.when_str(i["expires_at"].as_str().unwrap_or(""), ctx.v.tz),
                )
            })
            .collect(),
        error,
    }
}

/// The invitations page.
pub async fn invitations(signed: Signed<Hr>) -> Response {
    let mut ctx = signed.ctx;
    let p = invitations_page(&ctx, Vec::new(), String::new(), Vec::new(), None).await;
    ctx.page(&p)
}

/// Rows of a CSV as the preview shows them: line, email, department, age band.
fn preview_rows(csv: &str) -> Vec<(usize, String, String, String, String)> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map(|h| h.iter().map(|s| s.trim().to_lowercase()).collect())
        .unwrap_or_default();
    let col = |names: &[&str]| headers.iter().position(|h| names.contains(&h.as_str()));
    let (email, dept, age) = (
        col(&["email", "メール", "メールアドレス"]),
        col(&["department", "部署"]),
        col(&["age_band", "年代"]),
    );
    reader
        .records()
        .enumerate()
        .map(|(i, r)| {
            let r = r.unwrap_or_default();
            let get = |c: Option<usize>| c.and_then(|c| r.get(c)).unwrap_or("").trim().to_owned();
            (i + 2, get(email), get(dept), get(age), String::new())
        })
        .collect()
}

/// Step 1: the uploaded CSV, shown before anything is sent.
pub async fn upload(signed: Signed<Hr>, mut multipart: Multipart) -> Response {
    let mut ctx = signed.ctx;
    let l = ctx.l();
    let (mut csrf, mut csv) = (String::new(), String::new());
    while let Ok(Some(field)) = multipart.next_field().await {
        let name = field.name().unwrap_or("").to_owned();
        let bytes = field.bytes().await.unwrap_or_default();
        match name.as_str() {
            "csrf" => csrf = String::from_utf8_lossy(&bytes).into_owned(),
            "file" => csv = String::from_utf8_lossy(&bytes).into_owned(),
            _ => {}
        }
    }
    if let Some(r) = ctx.csrf_refusal(&csrf) {
        return r;
    }
    let preview = preview_rows(&csv);
    let error = preview.is_empty().then(|| {
        l.t(
            "CSVに行がありません（1行目は見出し：email, department, age_band）。",
            "The CSV has no rows (first line: email, department, age_band).",
        )
        .to_owned()
    });
    let p = invitations_page(&ctx, preview, csv, Vec::new(), error).await;
    ctx.page(&p)
}

/// Step 2 fields.
#[derive(Deserialize)]
pub struct SendForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    csv: String,
}

/// Step 2: sends the invitations (all or nothing; per-row errors shown).
pub async fn send_invitations(signed: Signed<Hr>, Form(form): Form<SendForm>) -> Response {
    let mut ctx = signed.ctx;
    if let Some(r) = ctx.csrf_refusal(&form.csrf) {
        return r;
    }
    let org = org_of(&ctx);
    let answer = ctx
        .web
        .api
        .send(
            Method::POST,
            &format!("/api/v1/orgs/{org}/invitations"),
            ctx.v.token.as_deref(),
            "text/csv",
            form.csv.clone().into_bytes(),
            ctx.v.peer,
        )
        .await;
    if answer.ok() {
        let sent = answer.body["invited"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|i| {
                (
                    i["email"].as_str().unwrap_or("").to_owned(),
                    ctx.l().t("送信しました", "Invited").to_owned(),
                )
            })
            .chain(
                answer.body["skipped"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|i| {
                        (
                            i["email"].as_str().unwrap_or("").to_owned(),
                            i["reason"].as_str().unwrap_or("").to_owned(),
                        )
                    }),
            )
            .collect();
        let p = invitations_page(&ctx, Vec::new(), String::new(), sent, None).await;
        return ctx.page(&p);
    }
    // Per-row problems from the API's details, beside each row.
    let mut preview = preview_rows(&form.csv);
    for d in answer.body["error"]["details"]["rows"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let line = d["row"].as_u64().unwrap_or(0) as usize;
        let problem = d["message"].as_str().unwrap_or("").to_owned();
        if let Some(row) = preview.iter_mut().find(|r| r.0 == line) {
            row.4 = problem;
        }
    }
    let message = if answer.code() == "invalid_rows" && ctx.l().ja() {
        "問題のある行があるため、何も送信していません。各行の「問題」を直してから、もう一度お試しください。".to_owned()
    } else {
        answer.message()
    };
    let p = invitations_page(&ctx, preview, form.csv, Vec::new(), Some(message)).await;
    let page = render(&p);
    ctx.v.respond((StatusCode::UNPROCESSABLE_ENTITY, page))
}
