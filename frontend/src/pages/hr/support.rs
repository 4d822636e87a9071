//! The org's support contact for the crisis path: its occupational
//! physician or EAP, where an employee's request to be put in touch is sent
//! (with their consent, and never to HR).

use askama::Template;
use axum::Form;
use axum::http::Method;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};

use super::org_of;
use crate::ctx::{Chrome, Hr, Signed};

#[derive(Template)]
#[template(path = "hr/support.html")]
struct SupportPage {
    c: Chrome,
    /// The contact as set, or as typed.
    f: ContactForm,
    saved: bool,
    error: Option<String>,
}

fn page(ctx: &crate::ctx::Ctx, f: ContactForm, saved: bool, error: Option<String>) -> SupportPage {
    let l = ctx.l();
    SupportPage {
        c: ctx.chrome(l.t(
            "相談窓口（産業医・EAP）",
            "Support contact (occupational physician, EAP)",
        )),
        f,
        saved,
        error,
    }
}

/// The contact's fields.
#[derive(Deserialize, Default)]
pub struct ContactForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    url: String,
    #[serde(default)]
    hours: String,
}

/// `?saved=1` after saving.
#[derive(Deserialize)]
pub struct Saved {
    saved: Option<u8>,
}

fn text(v: &Value) -> String {
    v.as_str().unwrap_or("").to_owned()
}

/// The form, with the contact as set.
pub async fn support(
    signed: Signed<Hr>,
    axum::extract::Query(q): axum::extract::Query<Saved>,
) -> Response {
    let mut ctx = signed.ctx;
    let contact: Value = ctx
        .get(&format!("/api/v1/orgs/{}/support-contact", org_of(&ctx)))
        .await
        .unwrap_or_default();
    let form = ContactForm {
        name: text(&contact["name"]),
        email: text(&contact["email"]),
        phone: text(&contact["phone"]),
        url: text(&contact["url"]),
        hours: text(&contact["hours"]),
        ..ContactForm::default()
    };
    let p = page(&ctx, form, q.saved == Some(1), None);
    ctx.page(&p)
}

/// Saves the contact; what was typed stays on a refusal.
pub async fn save(signed: Signed<Hr>, Form(form): Form<ContactForm>) -> Response {
    let mut ctx = signed.ctx;
    if let Some(r) = ctx.csrf_refusal(&form.csrf) {
        return r;
    }
    let l = ctx.l();
    let optional = |v: &str| (!v.trim().is_empty()).then(|| v.trim().to_owned());
    let body = json!({
        "name": form.name,
        "email": optional(&form.email),
        "phone": optional(&form.phone),
        "url": optional(&form.url),
        "hours": optional(&form.hours),
    });
    let answer = ctx
        .call(
            Method::PUT,
            &format!("/api/v1/orgs/{}/support-contact", org_of(&ctx)),
            Some(&body),
        )
        .await;
    if answer.ok() {
        return ctx.redirect("/hr/support?saved=1");
    }
    let details = &answer.body["error"]["details"];
    let error = match details["field"].as_str() {
        Some("email") if details["reason"] == "own_account" => l.t(
            "会社の Taiwa アカウント（人事部門を含む）のアドレスは登録できません。産業医・EAPご本人の宛先を入力してください。",
            "An address of the company's own Taiwa accounts (HR's included) cannot be the contact. Give the occupational physician's or EAP's own address.",
        ),
        Some("name") => l.t(
            "名前は1〜100文字で入力してください。",
            "The name must be 1–100 characters.",
        ),
        Some("email") => l.t(
            "メールアドレスが正しくありません。",
            "The email address is not valid.",
        ),
        Some("phone") => l.t(
            "電話番号は数字・空白・+ - ( ) の30文字までです。",
            "The phone number may have digits, spaces and + - ( ), up to 30 characters.",
        ),
        Some("url") => l.t(
            "ページは https:// で始まる300文字までのアドレスです。",
            "The page must be an https:// address of up to 300 characters.",
        ),
        Some("hours") => l.t(
            "受付時間は100文字までです。",
            "The hours may have up to 100 characters.",
        ),
        Some("contact") => l.t(
            "メール・電話・ページのどれか1つは入力してください。",
            "Give at least one way to reach it: email, phone or page.",
        ),
        _ => l.t("保存できませんでした。", "It could not be saved."),
    };
    let p = page(&ctx, form, false, Some(error.to_owned()));
    let page = crate::ctx::render(&p);
    ctx.v
        .respond((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page))
}
