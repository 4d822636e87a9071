//! "My data": download everything Taiwa holds about the employee (one JSON
//! file, from identity, matching and booking) and erase the account.

use askama::Template;
use axum::Form;
use axum::http::{Method, StatusCode, header};
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::ctx::{Chrome, Employee, Signed, render};

#[derive(Template)]
#[template(path = "employee/data.html")]
struct DataPage {
    c: Chrome,
    error: Option<String>,
}

/// The page.
pub async fn page(signed: Signed<Employee>) -> Response {
    let mut ctx = signed.ctx;
    let p = DataPage {
        c: ctx.chrome(ctx.l().t("わたしのデータ", "My data")),
        error: None,
    };
    ctx.page(&p)
}

/// Everything in one JSON file.
pub async fn download(signed: Signed<Employee>) -> Response {
    let mut ctx = signed.ctx;
    let mut export = json!({ "exported_at": chrono::Utc::now().to_rfc3339() });
    for (key, path) in [
        ("identity", "/api/v1/me/data"),
        ("matching", "/api/v1/matching/me/data"),
        ("booking", "/api/v1/booking/me/data"),
    ] {
        match ctx.get::<Value>(path).await {
            Ok(part) => export[key] = part,
            Err(f) => return ctx.failed(&f),
        }
    }
    let body = serde_json::to_string_pretty(&export).unwrap_or_default();
    ctx.v.respond((
        [
            (header::CONTENT_TYPE, "application/json; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"taiwa-my-data.json\"",
            ),
        ],
        body,
    ))
}

/// The erase form.
#[derive(Deserialize)]
pub struct EraseForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    password: String,
    confirm: Option<String>,
}

/// Erases the account, then signs out.
pub async fn erase(signed: Signed<Employee>, Form(form): Form<EraseForm>) -> Response {
    let mut ctx = signed.ctx;
    if let Some(r) = ctx.csrf_refusal(&form.csrf) {
        return r;
    }
    let l = ctx.l();
    let answer = if form.confirm.is_none() {
        None
    } else {
        Some(
            ctx.call(
                Method::DELETE,
                "/api/v1/me",
                Some(&json!({"password": form.password})),
            )
            .await,
        )
    };
    match answer {
        Some(a) if a.ok() => {
            ctx.v.sign_out(&ctx.web.api).await;
            ctx.redirect("/?erased=1")
        }
        other => {
            let error = match other {
                None => l
                    .t(
                        "確認のチェックを入れてください。",
                        "Please tick the confirmation.",
                    )
                    .to_owned(),
                Some(a) if a.code() == "wrong_password" => l
                    .t("パスワードが違います。", "The password is not correct.")
                    .to_owned(),
                Some(a) => a.message(),
            };
            let p = DataPage {
                c: ctx.chrome(l.t("わたしのデータ", "My data")),
                error: Some(error),
            };
            let page = render(&p);
            ctx.v.respond((StatusCode::UNPROCESSABLE_ENTITY, page))
        }
    }
}
