//! Ten candidates with their reasons, and the employee's controls: topics,
//! weights, exclusions and "ten more".

use askama::Template;
use axum::Form;
use axum::extract::Query;
use axum::http::{Method, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{Card, Terms};
use crate::ctx::{Chrome, Employee, Fields, Signed};

/// A candidate as the page shows them.
pub struct CandidateView {
    card: Card,
    reasons: Vec<String>,
    next: Option<String>,
}

#[derive(Template)]
#[template(path = "employee/matches.html")]
struct MatchesPage {
    c: Chrome,
    candidates: Vec<CandidateView>,
    page: u32,
    topics: Vec<(String, String, bool)>,
    weights: [(String, String, u32); 4],
    excluded: usize,
}

/// `?page=`.
#[derive(Deserialize)]
pub struct PageQuery {
    page: Option<u32>,
}

/// Weight as a 0–4 step from the API's relative weight.
fn step(w: f64) -> u32 {
    (w * 4.0).round().clamp(0.0, 8.0) as u32
}

/// The matches.
pub async fn show(signed: Signed<Employee>, Query(q): Query<PageQuery>) -> Response {
    let mut ctx = signed.ctx;
    let l = ctx.l();
    let page = q.page.unwrap_or(1).clamp(1, 50);
    let answer = ctx
        .call(
            Method::GET,
            &format!("/api/v1/matches?limit=10&page={page}&lang={}", l.code()),
            None,
        )
        .await;
    if answer.status == StatusCode::CONFLICT {
        return ctx.redirect("/assessment");
    }
    let matches: Value = match answer.parse() {
        Ok(m) => m,
        Err(f) => return ctx.failed(&f),
    };
    let prefs: Value = ctx
        .get("/api/v1/matches/preferences")
        .await
        .unwrap_or_default();
    let terms = Terms::load(&ctx).await;
    let tz = ctx.v.tz;
    let candidates = matches["candidates"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| CandidateView {
            card: Card::of(&c["consultant"], &terms, l),
            reasons: c["reasons"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|r| r.as_str().map(str::to_owned))
                .collect(),
            next: c["next_available_at"].as_str().map(|t| l.when_str(t, tz)),
        })
        .collect();
    let chosen: Vec<&str> = prefs["topics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t.as_str())
        .collect();
    let w = &prefs["weights"];
    let weight = |key: &str, default: f64| step(w[key].as_f64().unwrap_or(default));
    let p = MatchesPage {
        c: ctx.chrome(l.t("あなたへのおすすめ", "Your matches")),
        candidates,
        page,
        topics: terms
            .of("specialties")
            .into_iter()
            .map(|(code, label)| {
                let on = chosen.contains(&code.as_str());
                (code, label, on)
            })
            .collect(),
        weights: [
            (
                "values".to_owned(),
                l.t("価値観の近さ", "Shared values").to_owned(),
                weight("values", 1.0),
            ),
            (
                "specialty".to_owned(),
                l.t("相談テーマの専門性", "Specialty in my topics")
                    .to_owned(),
                weight("specialty", 1.0),
            ),
            (
                "availability".to_owned(),
                l.t("早く話せること", "Available soon").to_owned(),
                weight("availability", 1.0),
            ),
            (
                "rating".to_owned(),
                l.t("評価", "Rating").to_owned(),
                weight("rating", 1.0),
            ),
        ],
        excluded: prefs["excluded"].as_array().map_or(0, Vec::len),
    };
    ctx.page(&p)
}

/// Saves topics and weights.
pub async fn preferences(signed: Signed<Employee>, Form(form): Form<Fields>) -> Response {
    let mut ctx = signed.ctx;
    if let Some(r) = ctx.csrf_refusal(form.get("csrf")) {
        return r;
    }
    let mut prefs: Value = ctx
        .get("/api/v1/matches/preferences")
        .await
        .unwrap_or_else(|_| json!({}));
    let topics: Vec<&str> = form.all("topic").collect();
    let weight = |k: &str| {
        form.get(k)
            .parse::<f64>()
            .map_or(1.0, |w| (w / 4.0).clamp(0.0, 2.0))
    };
    // The exclusions are left out: the API keeps them as they are then, so
    // one made meanwhile (a low rating) is never undone by this form.
    if let Some(fields) = prefs.as_object_mut() {
        fields.remove("excluded");
    }
    prefs["topics"] = json!(topics);
    prefs["weights"] = json!({
        "values": weight("values"), "specialty": weight("specialty"),
        "availability": weight("availability"), "rating": weight("rating"),
    });
    ctx.act(
        Method::PUT,
        "/api/v1/matches/preferences",
        Some(&prefs),
        "/matches",
    )
    .await
}

/// The exclude button.
#[derive(Deserialize)]
pub struct ExcludeForm {
    #[serde(default)]
    csrf: String,
    consultant_id: String,
    back: Option<String>,
}

/// Takes a consultant off the employee's list (never seen by HR, never
/// counted against the consultant).
pub async fn exclude(signed: Signed<Employee>, Form(form): Form<ExcludeForm>) -> Response {
    let mut ctx = signed.ctx;
    if let Some(r) = ctx.csrf_refusal(&form.csrf) {
        return r;
    }
    let back = crate::session::local_path(form.back.as_deref());
    let then = if back == "/" { "/matches" } else { &back };
    let body = json!({ "consultant_id": form.consultant_id });
    ctx.act(
        Method::POST,
        "/api/v1/matches/exclusions",
        Some(&body),
        then,
    )
    .await
}
