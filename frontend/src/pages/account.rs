//! `/account/mfa`: two-step sign-in (TOTP). Anyone can turn it on; operators
//! must, and are sent here until their login used a code.

use askama::Template;
use axum::Form;
use axum::Router;
use axum::http::Method;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::json;

use crate::WebState;
use crate::ctx::{Chrome, Ctx, Enrolment, Signed};
use crate::pages::auth::home_of;
use crate::session::Tokens;

/// The routes.
pub fn router() -> Router<WebState> {
    Router::new()
        .route("/account/mfa", get(page))
        .route("/account/mfa/start", post(start))
        .route("/account/mfa/confirm", post(confirm))
        .route("/account/mfa/remove", post(remove))
}

#[derive(Deserialize)]
struct Status {
    totp: String,
    required: bool,
    this_login: bool,
}

/// A secret being set up, shown once.
pub struct NewSecret {
    secret: String,
    uri: String,
}

#[derive(Template)]
#[template(path = "account/mfa.html")]
struct MfaPage {
    c: Chrome,
    totp: String,
    required: bool,
    this_login: bool,
    new_secret: Option<NewSecret>,
    error: Option<String>,
}

async fn show(mut ctx: Ctx, new_secret: Option<NewSecret>, error: Option<String>) -> Response {
    let status: Status = match ctx.get("/api/v1/me/mfa").await {
        Ok(s) => s,
        Err(f) => return ctx.failed(&f),
    };
    let l = ctx.l();
    let p = MfaPage {
        c: ctx.chrome(l.t("2段階認証", "Two-step sign-in")),
        totp: status.totp,
        required: status.required,
        this_login: status.this_login,
        new_secret,
        error,
    };
    ctx.page(&p)
}

/// The status, and what can be done next.
pub async fn page(signed: Signed<Enrolment>) -> Response {
    show(signed.ctx, None, None).await
}

/// The fields of the forms here.
#[derive(Deserialize)]
pub struct MfaForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    enrolment_code: String,
}

/// Makes a new secret and shows it with the confirmation form.
pub async fn start(signed: Signed<Enrolment>, Form(form): Form<MfaForm>) -> Response {
    let mut ctx = signed.ctx;
    if let Some(r) = ctx.csrf_refusal(&form.csrf) {
        return r;
    }
    #[derive(Deserialize)]
    struct Enrolled {
        secret: String,
        otpauth_uri: String,
    }
    let body = if form.enrolment_code.trim().is_empty() {
        json!({"password": form.password})
    } else {
        json!({"password": form.password, "enrolment_code": form.enrolment_code})
    };
    match ctx
        .call(Method::POST, "/api/v1/me/mfa/totp", Some(&body))
        .await
        .parse::<Enrolled>()
    {
        Ok(e) => {
            let secret = NewSecret {
                secret: group(&e.secret),
                uri: e.otpauth_uri,
            };
            show(ctx, Some(secret), None).await
        }
        Err(f) => {
            let l = ctx.l();
            let message = match f.code.as_str() {
                "wrong_password" => l
                    .t("パスワードが違います。", "The password is not correct.")
                    .to_owned(),
                "enrolment_code_required" => l
                    .t(
                        "運営者は、別の運営者から受け取った登録コードが必要です。",
                        "Operators need the enrolment code another operator gave them.",
                    )
                    .to_owned(),
                "invalid_enrolment_code" => l
                    .t(
                        "登録コードが違うか、期限が切れています。",
                        "The enrolment code is not correct or has expired.",
                    )
                    .to_owned(),
                "rate_limited" => l
                    .t(
                        "試行が多すぎます。しばらく待ってからもう一度お試しください。",
                        "Too many attempts. Wait a moment and try again.",
                    )
                    .to_owned(),
                _ => f.message.clone(),
            };
            show(ctx, None, Some(message)).await
        }
    }
}

/// The secret in groups of four, easier to type.
fn group(secret: &str) -> String {
    secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Confirms the secret with a code; the web session becomes a login made
/// with it.
pub async fn confirm(signed: Signed<Enrolment>, Form(form): Form<MfaForm>) -> Response {
    let mut ctx = signed.ctx;
    if let Some(r) = ctx.csrf_refusal(&form.csrf) {
        return r;
    }
    let body = json!({"code": form.code});
    match ctx
        .call(Method::POST, "/api/v1/me/mfa/totp/confirm", Some(&body))
        .await
        .parse::<Tokens>()
    {
        Ok(tokens) => {
            ctx.v.sign_in(&tokens);
            let home = home_of(&ctx.me.role);
            ctx.redirect(home)
        }
        Err(f) => {
            let l = ctx.l();
            let message = match f.code.as_str() {
                "invalid_otp" => l
                    .t(
                        "確認コードが違います。アプリに表示中のコードを入力してください（端末の時刻が正しいかもご確認ください）。",
                        "The code is not correct. Enter the code the app shows now (and check the device's clock).",
                    )
                    .to_owned(),
                _ => f.message.clone(),
            };
            show(ctx, None, Some(message)).await
        }
    }
}

/// Turns two-step sign-in off (not for operators).
pub async fn remove(signed: Signed<Enrolment>, Form(form): Form<MfaForm>) -> Response {
    let mut ctx = signed.ctx;
    if let Some(r) = ctx.csrf_refusal(&form.csrf) {
        return r;
    }
    let body = json!({"password": form.password, "code": form.code});
    ctx.act(
        Method::DELETE,
        "/api/v1/me/mfa/totp",
        Some(&body),
        "/account/mfa",
    )
    .await
}
