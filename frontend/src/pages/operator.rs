//! The operator's pages: consultant approvals (with the qualification and
//! registration number to check), client orgs, and the theme taxonomy
//! (`taxonomy`: curated, with emerging themes and the sensitive counts HR
//! never sees).

mod taxonomy;

use askama::Template;
use axum::Form;
use axum::Router;
use axum::http::Method;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::WebState;
use crate::ctx::{Chrome, Ctx, Operator, Signed};
use crate::pages::employee::Terms;
use crate::session::urlencode;

/// The routes.
pub fn router() -> Router<WebState> {
    Router::new()
        .route("/operator/consultants", get(approvals))
        .route("/operator/consultants/approval", post(approve))
        .route("/operator/themes", get(taxonomy::page).post(taxonomy::add))
        .route("/operator/themes/rename", post(taxonomy::rename))
        .route("/operator/themes/state", post(taxonomy::set_state))
        .route("/operator/orgs", get(orgs).post(create_org))
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
pub async fn approvals(signed: Signed<Operator>) -> Response {
    let mut ctx = signed.ctx;
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
pub async fn approve(signed: Signed<Operator>, Form(form): Form<ApprovalForm>) -> Response {
    let mut ctx = signed.ctx;
    if let Some(r) = ctx.csrf_refusal(&form.csrf) {
        return r;
    }
    ctx.act(
        Method::POST,
        &format!(
            "/api/v1/consultants/{}/approval",
            urlencode(&form.consultant_id)
        ),
        Some(&json!({"status": form.status})),
        "/operator/consultants",
    )
    .await
}

#[derive(Template)]
#[template(path = "operator/orgs.html")]
struct OrgsPage {
    c: Chrome,
    orgs: Vec<(String, String, i64, i64)>,
    created: Option<String>,
    error: Option<String>,
    name: String,
    hr_email: String,
}

async fn orgs_page(
    ctx: &Ctx,
    created: Option<String>,
    error: Option<String>,
    form: Option<&OrgForm>,
) -> OrgsPage {
    let l = ctx.l();
    let list: Value = ctx.get("/api/v1/orgs").await.unwrap_or_default();
    OrgsPage {
        c: ctx.chrome(l.t("契約企業", "Client organisations")),
        orgs: list["items"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|o| {
                (
                    o["name"].as_str().unwrap_or("").to_owned(),
                    l.when_str(o["created_at"].as_str().unwrap_or(""), ctx.v.tz),
                    o["employees"].as_i64().unwrap_or(0),
                    o["hr"].as_i64().unwrap_or(0),
                )
            })
            .collect(),
        created,
        error,
        name: form.map(|f| f.name.clone()).unwrap_or_default(),
        hr_email: form.map(|f| f.hr_email.clone()).unwrap_or_default(),
    }
}

/// The client orgs.
pub async fn orgs(signed: Signed<Operator>) -> Response {
    let mut ctx = signed.ctx;
    let p = orgs_page(&ctx, None, None, None).await;
    ctx.page(&p)
}

/// A new org's fields.
#[derive(Deserialize)]
pub struct OrgForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    hr_email: String,
}

/// Creates an org and invites its first HR person.
pub async fn create_org(signed: Signed<Operator>, Form(form): Form<OrgForm>) -> Response {
    let mut ctx = signed.ctx;
    if let Some(r) = ctx.csrf_refusal(&form.csrf) {
        return r;
    }
    let answer = ctx
        .call(
            Method::POST,
            "/api/v1/orgs",
            Some(&json!({"name": form.name, "hr_email": form.hr_email})),
        )
        .await;
    let status = answer.status;
    let (created, error, keep) = if answer.ok() {
        (answer.body["name"].as_str().map(str::to_owned), None, None)
    } else {
        (None, Some(answer.message()), Some(&form))
    };
    let p = orgs_page(&ctx, created, error, keep).await;
    let page = crate::ctx::render(&p);
    ctx.v.respond((status, page))
}
