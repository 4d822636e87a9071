//! The values assessment, one screen per group of items (one item of each
//! dimension per screen), with progress; answers wait in a cookie until the
//! last screen, so it can be resumed. Then the values profile as a radar.

use askama::Template;
use axum::Form;
use axum::extract::Query;
use axum::http::{Method, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::HashMap;

use crate::charts::radar;
use crate::ctx::{Chrome, Ctx, EmployeeOrConsultant, Signed};
use crate::session::Visitor;

const DRAFT: &str = "taiwa_assessment";

/// One item as a screen shows it.
pub struct ItemView {
    id: String,
    text: String,
    value: u8,
}

#[derive(Template)]
#[template(path = "employee/assessment.html")]
struct AssessmentPage {
    c: Chrome,
    screen: usize,
    screens: usize,
    items: Vec<ItemView>,
    answered: usize,
    total: usize,
    error: Option<String>,
}

impl AssessmentPage {
    fn percent(&self) -> usize {
        self.answered * 100 / self.total.max(1)
    }
}

/// The instrument's items, interleaved: the first item of each dimension,
/// then the second, … (so a screen never shows one dimension's items together).
fn interleaved(instrument: &Value) -> Vec<Value> {
    let items = instrument["items"].as_array().cloned().unwrap_or_default();
    let mut by_dim: Vec<(String, Vec<Value>)> = Vec::new();
    for item in items {
        let d = item["dimension"].as_str().unwrap_or("").to_owned();
        match by_dim.iter_mut().find(|(k, _)| *k == d) {
            Some((_, v)) => v.push(item),
            None => by_dim.push((d, vec![item])),
        }
    }
    let longest = by_dim.iter().map(|(_, v)| v.len()).max().unwrap_or(0);
    (0..longest)
        .flat_map(|i| by_dim.iter().filter_map(move |(_, v)| v.get(i).cloned()))
        .collect()
}

/// The draft: one digit per item in interleaved order (`0` = unanswered).
fn draft(v: &Visitor, n: usize) -> Vec<u8> {
    let mut d: Vec<u8> = v
        .cookie_value(DRAFT)
        .unwrap_or("")
        .bytes()
        .map(|b| {
            if (b'1'..=b'6').contains(&b) {
                b - b'0'
            } else {
                0
            }
        })
        .collect();
    d.resize(n, 0);
    d
}

/// `?screen=`.
#[derive(Deserialize)]
pub struct ScreenQuery {
    screen: Option<usize>,
}

fn per_screen(instrument: &Value) -> usize {
    instrument["dimensions"]
        .as_array()
        .map_or(10, Vec::len)
        .max(1)
}

fn page(
    ctx: &Ctx,
    instrument: &Value,
    answers: &[u8],
    screen: usize,
    error: Option<String>,
) -> AssessmentPage {
    let l = ctx.l();
    let items = interleaved(instrument);
    let per = per_screen(instrument);
    let screens = items.len().div_ceil(per).max(1);
    let screen = screen.clamp(1, screens);
    let shown = items
        .iter()
        .enumerate()
        .skip((screen - 1) * per)
        .take(per)
        .map(|(i, item)| ItemView {
            id: item["id"].as_str().unwrap_or("").to_owned(),
            text: item[if l.ja() { "text_ja" } else { "text_en" }]
                .as_str()
                .unwrap_or("")
                .to_owned(),
            value: answers.get(i).copied().unwrap_or(0),
        })
        .collect();
    AssessmentPage {
        c: ctx.chrome(l.t("価値観アセスメント", "Values assessment")),
        screen,
        screens,
        items: shown,
        answered: answers.iter().filter(|a| **a > 0).count(),
        total: items.len(),
        error,
    }
}

/// A screen of the assessment.
pub async fn show(signed: Signed<EmployeeOrConsultant>, Query(q): Query<ScreenQuery>) -> Response {
    let mut ctx = signed.ctx;
    let instrument: Value = match ctx.get("/api/v1/assessment").await {
        Ok(i) => i,
        Err(f) => return ctx.failed(&f),
    };
    let n = interleaved(&instrument).len();
    let answers = draft(&ctx.v, n);
    // Resume where the first unanswered item is.
    let per = per_screen(&instrument);
    let first_open = answers.iter().position(|a| *a == 0).unwrap_or(0) / per + 1;
    let p = page(
        &ctx,
        &instrument,
        &answers,
        q.screen.unwrap_or(first_open),
        None,
    );
    ctx.page(&p)
}

/// Saves a screen's answers, then the next screen (or submits on the last).
pub async fn save(
    signed: Signed<EmployeeOrConsultant>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let mut ctx = signed.ctx;
    if let Some(r) = ctx.csrf_refusal(form.get("csrf").map_or("", String::as_str)) {
        return r;
    }
    let instrument: Value = match ctx.get("/api/v1/assessment").await {
        Ok(i) => i,
        Err(f) => return ctx.failed(&f),
    };
    let items = interleaved(&instrument);
    let mut answers = draft(&ctx.v, items.len());
    for (i, item) in items.iter().enumerate() {
        let id = item["id"].as_str().unwrap_or("");
        if let Some(value) = form.get(id).and_then(|v| v.parse::<u8>().ok())
            && (1..=6).contains(&value)
        {
            answers[i] = value;
        }
    }
    let digits: String = answers.iter().map(|a| char::from(b'0' + a)).collect();
    ctx.v.remember(DRAFT, &digits, 30 * 24 * 3600);
    let screen: usize = form.get("screen").and_then(|s| s.parse().ok()).unwrap_or(1);
    let per = per_screen(&instrument);
    let screens = items.len().div_ceil(per).max(1);
    let l = ctx.l();
    let go = form.get("go").map_or("next", String::as_str);
    if go == "back" {
        return ctx.redirect(&format!(
            "/assessment?screen={}",
            screen.saturating_sub(1).max(1)
        ));
    }
    // Every item of this screen needs an answer before moving on.
    let missing = items
        .iter()
        .enumerate()
        .skip((screen.max(1) - 1) * per)
        .take(per)
        .any(|(i, _)| answers[i] == 0);
    if missing {
        let p = page(
            &ctx,
            &instrument,
            &answers,
            screen,
            Some(
                l.t(
                    "すべての質問に答えてください。",
                    "Please answer every statement.",
                )
                .to_owned(),
            ),
        );
        let body = crate::ctx::render(&p);
        return ctx.v.respond((StatusCode::UNPROCESSABLE_ENTITY, body));
    }
    if screen < screens {
        return ctx.redirect(&format!("/assessment?screen={}", screen + 1));
    }
    let body = json!({
        "answers": items.iter().zip(&answers).map(|(item, v)| json!({"item_id": item["id"], "value": v})).collect::<Vec<_>>()
    });
    let answer = ctx
        .call(Method::POST, "/api/v1/assessment/responses", Some(&body))
        .await;
    if !answer.ok() {
        let p = page(&ctx, &instrument, &answers, 1, Some(answer.message()));
        let body = crate::ctx::render(&p);
        return ctx.v.respond((StatusCode::UNPROCESSABLE_ENTITY, body));
    }
    ctx.v.remember(DRAFT, "", 0);
    let next = if ctx.me.role == "employee" {
        "/values?done=1"
    } else {
        "/consultant/profile"
    };
    ctx.redirect(next)
}

#[derive(Template)]
#[template(path = "employee/values.html")]
struct ValuesPage {
    c: Chrome,
    chart: String,
    rows: Vec<(String, f64)>,
    done: bool,
}

/// `?done=1` after submitting.
#[derive(Deserialize)]
pub struct DoneQuery {
    done: Option<u8>,
}

/// The values profile as a radar chart.
pub async fn values(signed: Signed<EmployeeOrConsultant>, Query(q): Query<DoneQuery>) -> Response {
    let mut ctx = signed.ctx;
    let l = ctx.l();
    let latest = ctx
        .call(Method::GET, "/api/v1/assessment/responses/latest", None)
        .await;
    if latest.status == StatusCode::NOT_FOUND || latest.status == StatusCode::CONFLICT {
        return ctx.redirect("/assessment");
    }
    let latest: Value = match latest.parse() {
        Ok(v) => v,
        Err(f) => return ctx.failed(&f),
    };
    let instrument: Value = match ctx.get("/api/v1/assessment").await {
        Ok(i) => i,
        Err(f) => return ctx.failed(&f),
    };
    let rows: Vec<(String, f64)> = instrument["dimensions"]
        .as_array()
        .map(|dims| {
            dims.iter()
                .map(|d| {
                    let key = d["key"].as_str().unwrap_or("");
                    (
                        l.label(d).to_owned(),
                        latest["vector"][key].as_f64().unwrap_or(0.0),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let p = ValuesPage {
        c: ctx.chrome(l.t("あなたの価値観", "Your values")),
        chart: radar(&rows, l.t("価値観のレーダーチャート", "Values radar chart")),
        rows,
        done: q.done == Some(1),
    };
    ctx.page(&p)
}
