//! `/account/mfa`: two-step sign-in (TOTP). Anyone can turn it on; operators
//! must, and are sent here until their login used a code. The new secret is
//! shown as a QR code and as a key to type; turning it on (or renewing them)
//! shows ten recovery codes once.

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
        .route("/account/mfa/recovery-codes", post(renew_recovery_codes))
}

#[derive(Deserialize)]
struct Status {
    totp: String,
    required: bool,
    this_login: bool,
    recovery_codes_left: i64,
}

/// A secret being set up, shown once.
pub struct NewSecret {
    secret: String,
    uri: String,
    /// The URI as an inline SVG QR code.
    qr: Option<String>,
}

/// What the page shows once, besides the status.
#[derive(Default)]
pub struct Once {
    new_secret: Option<NewSecret>,
    recovery_codes: Vec<String>,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "account/mfa.html")]
struct MfaPage {
    c: Chrome,
    totp: String,
    required: bool,
    this_login: bool,
    recovery_codes_left: i64,
    once: Once,
    /// Where to go on after saving new recovery codes.
    home: &'static str,
}

async fn show(mut ctx: Ctx, once: Once) -> Response {
    let status: Status = match ctx.get("/api/v1/me/mfa").await {
        Ok(s) => s,
        // What is shown once (a secret, recovery codes) is never lost to a
        // failed status read: the state follows from what was just done.
        Err(_) if !once.recovery_codes.is_empty() || once.new_secret.is_some() => Status {
            totp: if once.new_secret.is_some() {
                "pending"
            } else {
                "on"
            }
            .to_owned(),
            required: ctx.me.role == "operator",
            this_login: once.new_secret.is_none(),
            recovery_codes_left: i64::try_from(once.recovery_codes.len()).unwrap_or(0),
        },
        Err(f) => return ctx.failed(&f),
    };
    let l = ctx.l();
    let p = MfaPage {
        c: ctx.chrome(l.t("2段階認証", "Two-step sign-in")),
        totp: status.totp,
        required: status.required,
        this_login: status.this_login,
        recovery_codes_left: status.recovery_codes_left,
        once,
        home: home_of(&ctx.me.role),
    };
    // Secrets and recovery codes stay out of every cache, the browser's too.
    let mut page = ctx.page(&p);
    page.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    page
}

/// The status, and what can be done next.
pub async fn page(signed: Signed<Enrolment>) -> Response {
    show(signed.ctx, Once::default()).await
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
            let label = ctx.l().t(
                "認証アプリで読み取るQRコード",
                "QR code to scan with an authenticator app",
            );
            let secret = NewSecret {
                secret: group(&e.secret),
                qr: crate::qr::svg(&e.otpauth_uri, label),
                uri: e.otpauth_uri,
            };
            let once = Once {
                new_secret: Some(secret),
                ..Once::default()
            };
            show(ctx, once).await
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
            show(ctx, failed(message)).await
        }
    }
}

fn failed(message: String) -> Once {
    Once {
        error: Some(message),
        ..Once::default()
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
/// with it, and the recovery codes are shown (once).
pub async fn confirm(signed: Signed<Enrolment>, Form(form): Form<MfaForm>) -> Response {
    let mut ctx = signed.ctx;
    if let Some(r) = ctx.csrf_refusal(&form.csrf) {
        return r;
    }
    #[derive(Deserialize)]
    struct Confirmed {
        #[serde(flatten)]
        tokens: Tokens,
        recovery_codes: Vec<String>,
    }
    let body = json!({"code": form.code});
    let confirmed = ctx
        .call(Method::POST, "/api/v1/me/mfa/totp/confirm", Some(&body))
        .await
        .parse::<Confirmed>();
    if let Ok(confirmed) = &confirmed {
        // From here on the page's calls speak as the new login.
        ctx.v.sign_in(&confirmed.tokens);
    }
    show_codes(ctx, confirmed.map(|c| c.recovery_codes)).await
}

/// New recovery codes (shown once), or why there are none.
async fn show_codes(ctx: Ctx, codes: Result<Vec<String>, crate::api::ApiFailure>) -> Response {
    match codes {
        Ok(recovery_codes) => {
            let once = Once {
                recovery_codes,
                ..Once::default()
            };
            show(ctx, once).await
        }
        Err(f) => {
            let message = code_problem(&ctx, &f);
            show(ctx, failed(message)).await
        }
    }
}

/// What to tell about a refused code or password.
fn code_problem(ctx: &Ctx, f: &crate::api::ApiFailure) -> String {
    let l = ctx.l();
    match f.code.as_str() {
        "invalid_otp" => l
            .t(
                "確認コードが違います。アプリに表示中のコードを入力してください（端末の時刻が正しいかもご確認ください）。",
                "The code is not correct. Enter the code the app shows now (and check the device's clock).",
            )
            .to_owned(),
        "wrong_password" => l
            .t("パスワードが違います。", "The password is not correct.")
            .to_owned(),
        "rate_limited" => l
            .t(
                "試行が多すぎます。しばらく待ってからもう一度お試しください。",
                "Too many attempts. Wait a moment and try again.",
            )
            .to_owned(),
        _ => f.message.clone(),
    }
}

/// Replaces the recovery codes and shows the new ones (once).
pub async fn renew_recovery_codes(
    signed: Signed<Enrolment>,
    Form(form): Form<MfaForm>,
) -> Response {
    let mut ctx = signed.ctx;
    if let Some(r) = ctx.csrf_refusal(&form.csrf) {
        return r;
    }
    #[derive(Deserialize)]
    struct Renewed {
        recovery_codes: Vec<String>,
    }
    let body = json!({"password": form.password, "code": form.code});
    let renewed = ctx
        .call(Method::POST, "/api/v1/me/mfa/recovery-codes", Some(&body))
        .await
        .parse::<Renewed>();
    show_codes(ctx, renewed.map(|r| r.recovery_codes)).await
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
