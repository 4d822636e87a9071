//! Signing in and out, the start page and the language switch.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{Method, StatusCode};
use axum::response::{Redirect, Response};
use serde::Deserialize;
use serde_json::json;

use crate::WebState;
use crate::ctx::{Chrome, render};
use crate::i18n::Lang;
use crate::session::{Tokens, Visitor, local_path};

#[derive(Template)]
#[template(path = "landing.html")]
struct Landing {
    c: Chrome,
}

/// Each role's first page.
pub fn home_of(role: &str) -> &'static str {
    match role {
        "employee" => "/matches",
        "consultant" => "/bookings",
        "hr" => "/hr/report",
        "operator" => "/operator/consultants",
        _ => "/",
    }
}

/// `/`: the role's first page when signed in, else the introduction.
pub async fn landing(State(web): State<WebState>, mut v: Visitor) -> Response {
    if let Some(me) = v.me(&web.api).await {
        return v.respond(Redirect::to(home_of(&me.role)));
    }
    let page = Landing {
        c: Chrome::new(&v, &web, None, v.lang.t("Taiwa（対話）", "Taiwa")),
    };
    let page = render(&page);
    v.respond(page)
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    c: Chrome,
    next: String,
    email: String,
    error: Option<String>,
    demo: bool,
}

/// `?next=` after signing in.
#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// The sign-in form.
pub async fn login_form(
    State(web): State<WebState>,
    mut v: Visitor,
    Query(q): Query<NextQuery>,
) -> Response {
    let page = LoginPage {
        c: Chrome::new(&v, &web, None, v.lang.t("ログイン", "Sign in")),
        next: local_path(q.next.as_deref()),
        email: String::new(),
        error: None,
        demo: web.dev_mailbox.is_some(),
    };
    let page = render(&page);
    v.respond(page)
}

/// The sign-in form's fields.
#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    totp: String,
    next: Option<String>,
}

/// Signs in and starts the web session.
pub async fn login(
    State(web): State<WebState>,
    mut v: Visitor,
    Form(form): Form<LoginForm>,
) -> Response {
    let l = v.lang;
    let next = local_path(form.next.as_deref());
    let again = |v: &Visitor, status: StatusCode, error: String| {
        let page = LoginPage {
            c: Chrome::new(v, &web, None, l.t("ログイン", "Sign in")),
            next: next.clone(),
            email: form.email.clone(),
            error: Some(error),
            demo: web.dev_mailbox.is_some(),
        };
        (status, render(&page))
    };
    if !v.csrf_ok(&form.csrf) {
        let page = again(
            &v,
            StatusCode::FORBIDDEN,
            l.t(
                "フォームの有効期限が切れました。もう一度お試しください。",
                "The form expired. Please try again.",
            )
            .to_owned(),
        );
        return v.respond(page);
    }
    let mut body = json!({ "email": form.email, "password": form.password });
    if !form.totp.trim().is_empty() {
        body["totp"] = json!(form.totp.trim());
    }
    let answer = web
        .api
        .call(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(&body),
            v.peer,
        )
        .await;
    let status = answer.status;
    let code = answer.code().to_owned();
    match answer.parse::<Tokens>() {
        Ok(tokens) => {
            v.sign_in(&tokens);
            let role = v.me(&web.api).await.map(|m| m.role).unwrap_or_default();
            let to = if next == "/" {
                home_of(&role).to_owned()
            } else {
                next.clone()
            };
            v.respond(Redirect::to(&to))
        }
        Err(_) if status == StatusCode::TOO_MANY_REQUESTS => {
            let page = again(
                &v,
                status,
                l.t(
                    "ログインの失敗が続いたため、しばらくお待ちください。",
                    "Too many failed sign-ins. Please wait a while.",
                )
                .to_owned(),
            );
            v.respond(page)
        }
        Err(_) => {
            let message = match code.as_str() {
                "mfa_required" => l.t(
                    "2段階認証がオンです。認証アプリの6桁のコードも入力してください。",
                    "Two-step sign-in is on: enter the 6-digit code from your authenticator app too.",
                ),
                "invalid_otp" => l.t(
                    "確認コードが違うか、すでに使われています。アプリに表示中のコードを入力してください。",
                    "The code is not correct or was already used. Enter the code the app shows now.",
                ),
                "account_suspended" => l.t(
                    "この登録は運営により一時停止されています。今後の予約は取り消され、相談者には連絡済みです。詳しくは運営にお問い合わせください。",
                    "Your registration is suspended by the platform: your future sessions were cancelled and your clients told. Please contact the platform's operators.",
                ),
                _ => l.t(
                    "メールアドレスまたはパスワードが違います。",
                    "The email or the password is not correct.",
                ),
            };
            let page = again(&v, StatusCode::UNAUTHORIZED, message.to_owned());
            v.respond(page)
        }
    }
}

/// The CSRF token of a plain form.
#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

/// Signs out (revokes the login) and goes back to the start.
pub async fn logout(
    State(web): State<WebState>,
    mut v: Visitor,
    Form(form): Form<CsrfForm>,
) -> Response {
    if v.csrf_ok(&form.csrf) {
        v.sign_out(&web.api).await;
    }
    v.respond(Redirect::to("/"))
}

/// `?back=` of the language switch.
#[derive(Deserialize)]
pub struct BackQuery {
    back: Option<String>,
}

/// Switches (and remembers) the language, then goes back.
pub async fn switch_lang(
    mut v: Visitor,
    Path(lang): Path<String>,
    Query(q): Query<BackQuery>,
) -> Response {
    v.set_lang(Lang::parse(Some(&lang)));
    let back = local_path(q.back.as_deref());
    v.respond(Redirect::to(&back))
}
