//! `/invitations/accept`: the page an invitation email links to. It works
//! without JavaScript: a form that posts back here. The form carries the
//! invitation's own secret token, so another site cannot forge a submission.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;
use shared::error::ApiError;

use super::escape_html;
use taiwa_identity::IdentityState;
use taiwa_identity::accept::{AcceptRequest, accept};

const FORM: &str = include_str!("../../../../frontend/templates/accept_invitation.html");
const DONE: &str = include_str!("../../../../frontend/templates/invitation_accepted.html");

/// The page's routes.
pub fn router(state: IdentityState) -> Router {
    Router::new()
        .route("/invitations/accept", get(show).post(submit))
        .with_state(state)
}

#[derive(Deserialize)]
struct LinkQuery {
    #[serde(default)]
    token: String,
}

/// The visitor's language: Japanese unless their `taiwa_lang` cookie says
/// English (the web pages' own choice).
fn english(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .any(|c| c.trim() == "taiwa_lang=en")
}

fn t<'a>(en: bool, ja: &'a str, english: &'a str) -> &'a str {
    if en { english } else { ja }
}

/// Why the account could not be made, in the page language.
fn reason(en: bool, code: &str, message: &str) -> String {
    match code {
        "weak_password" => t(
            en,
            "パスワードは12〜128文字で、よく使われるものは使えません。別のパスワードにしてください。",
            "The password must have 12–128 characters and not be a common one. Please choose another.",
        ),
        "invalid_display_name" => t(
            en,
            "表示名は1〜80文字で入力してください。",
            "The display name must have 1–80 characters.",
        ),
        "invitation_invalid" => t(
            en,
            "この招待リンクは使えません（使用済み・新しい招待に置き換え・期限切れのいずれかです）。人事担当に再送を依頼してください。",
            "This invitation link no longer works (used, replaced by a newer one, or expired). Please ask HR to send it again.",
        ),
        "already_registered" => t(
            en,
            "このアドレスにはすでにアカウントがあります。ログインしてください。",
            "This address already has an account; please sign in.",
        ),
        _ => message,
    }
    .to_owned()
}

fn form(en: bool, token: &str, display_name: &str, error: Option<&str>) -> Html<String> {
    let error = error.map_or_else(String::new, |e| {
        format!(r#"<p class="error" role="alert">{}</p>"#, escape_html(e))
    });
    let back = format!("/invitations/accept?token={token}");
    let switch = format!(
        "/lang/{}?back={}",
        if en { "ja" } else { "en" },
        taiwa_web::session::urlencode(&back)
    );
    Html(
        FORM.replace("{{lang}}", t(en, "ja", "en"))
            .replace("{{title}}", t(en, "招待を受ける", "Accept your invitation"))
            .replace(
                "{{intro}}",
                t(
                    en,
                    "表示名（ニックネーム可）とパスワードを設定してください。相談の予約や内容が会社に知られることはありません。",
                    "Choose a display name (a nickname is fine) and a password. Your company never learns whom you book or what you say.",
                ),
            )
            .replace("{{name_label}}", t(en, "表示名", "Display name"))
            .replace(
                "{{password_label}}",
                t(en, "パスワード（12〜128文字）", "Password (12–128 characters)"),
            )
            .replace("{{submit}}", t(en, "アカウントを作成", "Create account"))
            .replace("{{switch_label}}", t(en, "日本語", "English"))
            .replace("{{switch_lang}}", t(en, "ja", "en"))
            .replace("{{switch_href}}", &escape_html(&switch))
            .replace("{{error}}", &error)
            .replace("{{token}}", &escape_html(token))
            .replace("{{display_name}}", &escape_html(display_name)),
    )
}

fn done(en: bool) -> Html<String> {
    Html(
        DONE.replace("{{lang}}", t(en, "ja", "en"))
            .replace(
                "{{title}}",
                t(en, "アカウントを作成しました", "Your account is ready"),
            )
            .replace(
                "{{done}}",
                t(
                    en,
                    "招待メールのアドレスと、設定したパスワードでログインできます。",
                    "Sign in with the invited address and the password you chose.",
                ),
            )
            .replace("{{sign_in}}", t(en, "ログインする", "Sign in")),
    )
}

async fn show(headers: HeaderMap, Query(query): Query<LinkQuery>) -> Html<String> {
    form(english(&headers), &query.token, "", None)
}

async fn submit(
    State(state): State<IdentityState>,
    headers: HeaderMap,
    Form(body): Form<AcceptRequest>,
) -> Response {
    let en = english(&headers);
    match accept(&state, &body).await {
        Ok(_) => done(en).into_response(),
        Err(ApiError::Expected {
            status,
            code,
            message,
            ..
        }) => (
            status,
            form(
                en,
                &body.token,
                &body.display_name,
                Some(&reason(en, code, &message)),
            ),
        )
            .into_response(),
        Err(unexpected) => unexpected.into_response(),
    }
}
