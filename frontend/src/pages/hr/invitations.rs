//! Invitations from a CSV: a template to download, a preview that runs the
//! same checks as sending (row by row, in the page language), then all or
//! nothing.

use askama::Template;
use axum::Form;
use axum::extract::Multipart;
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::Value;

use super::org_of;
use crate::api::Answer;
use crate::ctx::{Chrome, Ctx, Hr, Signed, render};
use crate::i18n::Lang;

/// One row of the preview.
struct PreviewRow {
    line: u64,
    email: String,
    name: String,
    reading: String,
    department: String,
    age_band: String,
    /// Duplicates an earlier row (one invitation is sent).
    duplicate: bool,
    /// What stops it, in the page language.
    problems: Vec<String>,
}

/// One invitation sent earlier.
struct Sent {
    email: String,
    status: String,
    expires: String,
}

#[derive(Template)]
#[template(path = "hr/invitations.html")]
struct InvitationsPage {
    c: Chrome,
    preview: Vec<PreviewRow>,
    invitable: u64,
    invalid: u64,
    csv: String,
    sent: Vec<(String, String)>,
    list: Vec<Sent>,
    error: Option<String>,
}

fn status_label(l: Lang, status: &str) -> String {
    match status {
        "pending" => l.t("登録待ち", "Waiting"),
        "accepted" => l.t("登録済み", "Joined"),
        "expired" => l.t("期限切れ", "Expired"),
        "replaced" => l.t(
            "再送済み（新しい招待に置き換え）",
            "Replaced by a newer one",
        ),
        other => other,
    }
    .to_owned()
}

/// An age band's code as the page says it.
fn age_band_label(l: Lang, code: &str) -> String {
    match code {
        "under_30" => l.t("30歳未満", "Under 30"),
        "30s" => l.t("30代", "30s"),
        "40s" => l.t("40代", "40s"),
        "50s" => l.t("50代", "50s"),
        "60_plus" => l.t("60歳以上", "60 and over"),
        other => other,
    }
    .to_owned()
}

/// A row problem's code in the page language (the API's English message
/// for a code this page does not know).
fn problem_label(l: Lang, code: &str, message: &str) -> String {
    match code {
        "email_empty" => l.t("メールアドレスが空です。", "The email address is empty."),
        "email_too_long" => l.t("メールアドレスが長すぎます（254文字まで）。", "The email address is too long (254 characters at most)."),
        "email_bad_character" => l.t("メールアドレスに空白か使えない文字があります。", "The email address has a space or a character addresses cannot have."),
        "email_no_at" => l.t("メールアドレスに @ がありません。", "The email address has no @."),
        "email_bad_local_part" => l.t("メールアドレスの @ より前が正しくありません。", "The part before @ is not valid."),
        "email_bad_domain" => l.t("メールアドレスの @ より後（ドメイン）が正しくありません。", "The part after @ is not a valid domain."),
        "department_invalid" => l.t("部署は60文字までで、改行などは使えません。", "The department must be at most 60 characters, without line breaks."),
        "age_band_unknown" => l.t("年代は「30歳未満」「30代」「40代」「50代」「60歳以上」（「30-39」も可）で書いてください。", "Write the age band as under 30, 30s, 40s, 50s or 60 and over (30-39 works too)."),
        "name_invalid" => l.t("氏名は60文字までで、改行などは使えません。", "The name must be at most 60 characters, without line breaks."),
        "name_reading_invalid" => l.t("フリガナはカタカナかひらがなで、60文字までです。", "The reading must be katakana or hiragana, at most 60 characters."),
        _ => message,
    }
    .to_owned()
}

/// Why a whole file was refused, in the page language.
fn refusal(l: Lang, answer: &Answer) -> String {
    match answer.code() {
        "no_addresses" => l.t(
            "CSVにメールアドレスの行がありません。テンプレートの見出し（メールアドレス, 氏名, フリガナ, 部署, 年代）をお使いください。",
            "The CSV has no rows with an email address. Use the template's header (email, name, name_reading, department, age_band).",
        ).to_owned(),
        "too_many_rows" => l.t("一度に招待できるのは5,000人までです。ファイルを分けてください。", "At most 5,000 people at a time. Please split the file.").to_owned(),
        "invalid_csv" => l.t("CSVとして読めませんでした。UTF-8で保存したCSVをお使いください。", "The file could not be read as a CSV. Please save it as UTF-8 CSV.").to_owned(),
        _ => answer.message(),
    }
}

async fn invitations_page(ctx: &Ctx, csv: String, error: Option<String>) -> InvitationsPage {
    let l = ctx.l();
    let org = org_of(ctx);
    let list: Value = ctx
        .get(&format!("/api/v1/orgs/{org}/invitations"))
        .await
        .unwrap_or_default();
    InvitationsPage {
        c: ctx.chrome(l.t("社員の招待", "Invite employees")),
        preview: Vec::new(),
        invitable: 0,
        invalid: 0,
        csv,
        sent: Vec::new(),
        list: list["items"]
            .as_array()
            .into_iter()
            .flatten()
            .take(100)
            .map(|i| Sent {
                email: i["email"].as_str().unwrap_or("").to_owned(),
                status: status_label(l, i["status"].as_str().unwrap_or("")),
                expires: l.when_str(i["expires_at"].as_str().unwrap_or(""), ctx.v.tz),
            })
            .collect(),
        error,
    }
}

/// Sends `csv` to `path` of the org's invitations as HR.
async fn post_csv(ctx: &Ctx, path: &str, csv: &str) -> Answer {
    let org = org_of(ctx);
    ctx.web
        .api
        .send(
            Method::POST,
            &format!("/api/v1/orgs/{org}/invitations{path}"),
            ctx.v.token.as_deref(),
            "text/csv",
            csv.as_bytes().to_vec(),
            ctx.v.peer,
        )
        .await
}

/// The page with the API's reading of `csv`, row by row.
async fn previewed(ctx: &Ctx, csv: String, error: Option<String>) -> InvitationsPage {
    let l = ctx.l();
    let answer = post_csv(ctx, "/preview", &csv).await;
    if !answer.ok() {
        return invitations_page(ctx, String::new(), Some(refusal(l, &answer))).await;
    }
    let mut page = invitations_page(ctx, csv, error).await;
    let text = |v: &Value| v.as_str().unwrap_or("").to_owned();
    page.preview = answer.body["rows"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| PreviewRow {
            line: r["row"].as_u64().unwrap_or(0),
            email: text(&r["email"]),
            name: text(&r["name"]),
            reading: text(&r["name_reading"]),
            department: text(&r["department"]),
            age_band: age_band_label(l, r["age_band"].as_str().unwrap_or("")),
            duplicate: r["duplicate"].as_bool() == Some(true),
            problems: r["problems"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| {
                    problem_label(
                        l,
                        p["code"].as_str().unwrap_or(""),
                        p["message"].as_str().unwrap_or(""),
                    )
                })
                .collect(),
        })
        .collect();
    page.invitable = answer.body["invitable"].as_u64().unwrap_or(0);
    page.invalid = answer.body["invalid"].as_u64().unwrap_or(0);
    page
}

/// The invitations page.
pub async fn invitations(signed: Signed<Hr>) -> Response {
    let mut ctx = signed.ctx;
    let p = invitations_page(&ctx, String::new(), None).await;
    ctx.page(&p)
}

/// The CSV template: the header in the page language (every header the
/// upload reads), with Excel's byte-order mark so Japanese opens right.
pub async fn template(signed: Signed<Hr>) -> Response {
    let l = signed.ctx.l();
    let header = l.t(
        "メールアドレス,氏名,フリガナ,部署,年代\r\n",
        "email,name,name_reading,department,age_band\r\n",
    );
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"taiwa-invitations-template.csv\"",
            ),
        ],
        format!("\u{feff}{header}"),
    )
        .into_response()
}

/// Step 1: the uploaded CSV, read row by row as sending would read it.
pub async fn upload(signed: Signed<Hr>, mut multipart: Multipart) -> Response {
    let mut ctx = signed.ctx;
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
    let p = previewed(&ctx, csv, None).await;
    let status = if p.invalid > 0 || p.error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = render(&p);
    ctx.v.respond((status, page))
}

/// Step 2 fields.
#[derive(Deserialize)]
pub struct SendForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    csv: String,
}

/// Step 2: sends the invitations (all or nothing; per-row problems shown).
pub async fn send_invitations(signed: Signed<Hr>, Form(form): Form<SendForm>) -> Response {
    let mut ctx = signed.ctx;
    if let Some(r) = ctx.csrf_refusal(&form.csrf) {
        return r;
    }
    let l = ctx.l();
    let answer = post_csv(&ctx, "", &form.csv).await;
    if answer.ok() {
        let mut p = invitations_page(&ctx, String::new(), None).await;
        p.sent = answer.body["invited"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|i| {
                (
                    i["email"].as_str().unwrap_or("").to_owned(),
                    l.t("送信しました", "Invited").to_owned(),
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
                            l.t("重複のため1通のみ送信", "Duplicate: sent once")
                                .to_owned(),
                        )
                    }),
            )
            .collect();
        return ctx.page(&p);
    }
    let message = if answer.code() == "invalid_rows" {
        l.t(
            "問題のある行があるため、何も送信していません。各行の問題を直してから、もう一度お試しください。",
            "Some rows have a problem, so nothing was sent. Fix each row's problem and try again.",
        )
        .to_owned()
    } else {
        refusal(l, &answer)
    };
    let p = previewed(&ctx, form.csv, Some(message)).await;
    let page = render(&p);
    ctx.v.respond((StatusCode::UNPROCESSABLE_ENTITY, page))
}
