//! The operator's pages: consultant approvals (with the qualification and
//! registration number to check), the theme taxonomy with emerging themes
//! and the sensitive counts HR never sees.

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::State;
use axum::http::Method;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::WebState;
use crate::ctx::{Chrome, Ctx};
use crate::pages::employee::Terms;
use crate::session::{Visitor, urlencode};

/// The routes.
pub fn router() -> Router<WebState> {
    Router::new()
        .route("/operator/consultants", get(approvals))
        .route("/operator/consultants/approval", post(approve))
        .route("/operator/themes", get(themes))
}

/// A consultant waiting for approval.
pub struct Applicant {
    id: String,
    name: String,
    qualification: String,
    registration_number: String,
    headline: String,
    specialties: String,
    years: i64,
}

#[derive(Template)]
#[template(path = "operator/approvals.html")]
struct ApprovalsPage {
    c: Chrome,
    pending: Vec<Applicant>,
}

/// Consultants waiting for approval.
pub async fn approvals(State(web): State<WebState>, v: Visitor) -> Response {
    let mut ctx = match Ctx::require(&web, v, &["operator"]).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let l = ctx.l();
    let pending: Value = match ctx.get("/api/v1/consultants/pending").await {
        Ok(p) => p,
        Err(f) => return ctx.failed(&f),
    };
    let terms = Terms::load(&ctx).await;
    let p = ApprovalsPage {
        c: ctx.chrome(l.t("コンサルタントの承認", "Consultant approvals")),
        pending: pending["items"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|c| Applicant {
                id: c["id"].as_str().unwrap_or("").to_owned(),
                name: c["display_name"].as_str().unwrap_or("").to_owned(),
                qualification: terms
                    .label("qualifications", c["qualification"].as_str().unwrap_or("")),
                registration_number: c["registration_number"].as_str().unwrap_or("").to_owned(),
                headline: c["headline"].as_str().unwrap_or("").to_owned(),
                specialties: terms.labels("specialties", &c["specialties"]),
                years: c["years_experience"].as_i64().unwrap_or(0),
            })
            .collect(),
    };
    ctx.page(&p)
}

/// A decision.
#[derive(Deserialize)]
pub struct ApprovalForm {
    #[serde(default)]
    csrf: String,
    consultant_id: String,
    status: String,
}

/// Approves or rejects a consultant.
pub async fn approve(
    State(web): State<WebState>,
    v: Visitor,
    Form(form): Form<ApprovalForm>,
) -> Response {
    let mut ctx = match Ctx::require(&web, v, &["operator"]).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    if let Some(r) = ctx.csrf_refusal(&form.csrf) {
        return r;
    }
    let answer = ctx
        .call(
            Method::POST,
            &format!(
                "/api/v1/consultants/{}/approval",
                urlencode(&form.consultant_id)
            ),
            Some(&json!({"status": form.status})),
        )
        .await;
    if !answer.ok() {
        let f = answer.into();
        return ctx.failed(&f);
    }
    ctx.redirect("/operator/consultants")
}

#[derive(Template)]
#[template(path = "operator/themes.html")]
struct ThemesPage {
    c: Chrome,
    themes: Vec<(String, String, bool)>,
    clusters: Vec<(String, i64, bool)>,
    sensitive: Vec<(String, String, String)>,
}

/// The taxonomy, emerging themes and sensitive counts.
pub async fn themes(State(web): State<WebState>, v: Visitor) -> Response {
    let mut ctx = match Ctx::require(&web, v, &["operator"]).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let l = ctx.l();
    let taxonomy: Value = ctx.get("/api/v1/themes").await.unwrap_or_default();
    let emerging: Value = ctx
        .get("/api/v1/operator/emerging-themes")
        .await
        .unwrap_or_default();
    let sensitive: Value = ctx
        .get("/api/v1/operator/sensitive-themes")
        .await
        .unwrap_or_default();
    let p = ThemesPage {
        c: ctx.chrome(l.t("テーマ", "Themes")),
        themes: taxonomy
            .as_array()
            .into_iter()
            .flatten()
            .map(|t| {
                (
                    t["code"].as_str().unwrap_or("").to_owned(),
                    l.label(t).to_owned(),
                    t["sensitive"].as_bool().unwrap_or(false),
                )
            })
            .collect(),
        clusters: emerging["clusters"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|c| {
                let terms = c["top_terms"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|t| t.as_str())
                    .collect::<Vec<_>>()
                    .join("・");
                (
                    terms,
                    c["size"].as_i64().unwrap_or(0),
                    c["emerging"].as_bool().unwrap_or(false),
                )
            })
            .collect(),
        sensitive: sensitive["cells"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|c| {
                (
                    c["theme"].as_str().unwrap_or("").to_owned(),
                    c["period"].as_str().unwrap_or("").to_owned(),
                    c["count"].as_i64().map_or_else(
                        || c["hidden_because"].as_str().unwrap_or("").to_owned(),
                        |n| n.to_string(),
                    ),
                )
            })
            .collect(),
    };
    ctx.page(&p)
}
