//! Keyword search with filters, a consultant's profile with their free
//! times in the employee's own time zone, and booking with the agenda card.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use chrono_tz::Tz;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{Card, Terms};
use crate::ctx::{Chrome, Employee, Signed, render};
use crate::pages::calendar::{Picker, Place, Wanted, picker};
use crate::session::urlencode;

#[derive(Template)]
#[template(path = "employee/search.html")]
struct SearchPage {
    c: Chrome,
    q: String,
    specialty: String,
    language: String,
    specialties: Vec<(String, String)>,
    languages: Vec<(String, String)>,
    cards: Vec<Card>,
    total: u64,
    page: u64,
    pages: u64,
    query: String,
    error: Option<String>,
}

/// The search form's fields.
#[derive(Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    specialty: String,
    #[serde(default)]
    language: String,
    page: Option<u64>,
}

/// Keyword search (Japanese and English) with filters and pages.
pub async fn search(signed: Signed<Employee>, Query(s): Query<SearchQuery>) -> Response {
    let mut ctx = signed.ctx;
    let l = ctx.l();
    let page = s.page.unwrap_or(1).max(1);
    let mut query = format!("q={}", urlencode(s.q.trim()));
    if !s.specialty.is_empty() {
        query.push_str(&format!("&specialty={}", urlencode(&s.specialty)));
    }
    if !s.language.is_empty() {
        query.push_str(&format!("&language={}", urlencode(&s.language)));
    }
    let answer = ctx
        .call(
            Method::GET,
            &format!("/api/v1/consultants?{query}&page={page}&per_page=20"),
            None,
        )
        .await;
    let terms = Terms::load(&ctx).await;
    let (cards, total, error) = if answer.ok() {
        let items = answer.body["items"].as_array().cloned().unwrap_or_default();
        (
            items.iter().map(|c| Card::of(c, &terms, l)).collect(),
            answer.body["total"].as_u64().unwrap_or(0),
            None,
        )
    } else {
        (Vec::new(), 0, Some(answer.message()))
    };
    let p = SearchPage {
        c: ctx.chrome(l.t("コンサルタントをさがす", "Find a consultant")),
        q: s.q,
        specialty: s.specialty,
        language: s.language,
        specialties: terms.of("specialties"),
        languages: terms.of("languages"),
        cards,
        total,
        page,
        pages: total.div_ceil(20).max(1),
        query,
        error,
    };
    let status = if p.error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let body = render(&p);
    ctx.v.respond((status, body))
}

#[derive(Template)]
#[template(path = "employee/consultant.html")]
struct ProfilePage {
    c: Chrome,
    card: Card,
    message: String,
    industries: String,
    formats: String,
    cal: Picker,
    zones: Vec<&'static str>,
    error: Option<String>,
}

/// `?tz=&duration=&month=&day=` of the profile page.
#[derive(Deserialize)]
pub struct ProfileQuery {
    tz: Option<String>,
    /// Minutes; anything else shows the consultant's default length.
    duration: Option<String>,
    month: Option<String>,
    day: Option<String>,
    error: Option<String>,
}

/// How sessions can be held (`video`, `phone`), in the page language.
fn format_label(l: crate::i18n::Lang, f: &str) -> &str {
    match f {
        "video" => l.t("ビデオ通話", "Video call"),
        "phone" => l.t("電話", "Phone"),
        other => other,
    }
}

/// The strings of a JSON array, each as `label` writes it, joined with `・`.
fn joined<'a>(list: &'a Value, label: impl Fn(&'a str) -> &'a str) -> String {
    list.as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(label)
        .collect::<Vec<_>>()
        .join("・")
}

/// A consultant's profile and the slot picker through their whole horizon.
pub async fn profile(
    signed: Signed<Employee>,
    Path(id): Path<String>,
    Query(q): Query<ProfileQuery>,
) -> Response {
    let mut ctx = signed.ctx;
    if let Some(tz) = q.tz.as_deref().and_then(|t| t.parse::<Tz>().ok()) {
        ctx.v.set_tz(tz);
    }
    let l = ctx.l();
    let id = urlencode(&id);
    let profile: Value = match ctx.get(&format!("/api/v1/consultants/{id}")).await {
        Ok(p) => p,
        Err(f) => return ctx.failed(&f),
    };
    let wanted = Wanted {
        month: q.month,
        day: q.day,
    };
    let place = Place {
        path: &format!("/consultants/{id}"),
        choose_length: true,
        near: None,
    };
    let minutes = q.duration.and_then(|d| d.parse::<u32>().ok());
    let cal = picker(&ctx, &id, minutes, &wanted, &place).await;
    let terms = Terms::load(&ctx).await;
    let p = ProfilePage {
        card: Card::of(&profile, &terms, l),
        c: ctx.chrome(profile["display_name"].as_str().unwrap_or("")),
        message: profile["message"].as_str().unwrap_or("").to_owned(),
        industries: joined(&profile["industries"], |i| i),
        formats: joined(&profile["session_formats"], |f| format_label(l, f)),
        cal,
        zones: crate::i18n::OFFERED_ZONES.to_vec(),
        error: q.error,
    };
    ctx.page(&p)
}

/// The booking form.
#[derive(Deserialize)]
pub struct BookForm {
    #[serde(default)]
    csrf: String,
    consultant_id: String,
    #[serde(default)]
    starts_at: String,
    duration: Option<i64>,
    #[serde(default)]
    topic: String,
    #[serde(default)]
    help: String,
    #[serde(default)]
    nickname: String,
}

/// Books the chosen time (one credit of the org), then shows the booking.
pub async fn book(signed: Signed<Employee>, Form(form): Form<BookForm>) -> Response {
    let mut ctx = signed.ctx;
    if let Some(r) = ctx.csrf_refusal(&form.csrf) {
        return r;
    }
    let l = ctx.l();
    let back = |error: &str| {
        format!(
            "/consultants/{}?duration={}&error={}",
            urlencode(&form.consultant_id),
            form.duration.unwrap_or(60),
            urlencode(error)
        )
    };
    if form.starts_at.is_empty() {
        return ctx.redirect(&back(
            l.t("時間を選んでください。", "Please choose a time."),
        ));
    }
    let agenda = (!form.topic.trim().is_empty()).then(|| {
        json!({"topic": form.topic.trim(), "help": if form.help.is_empty() { "think_with_me" } else { form.help.as_str() }})
    });
    let body = json!({
        "consultant_id": form.consultant_id,
        "starts_at": form.starts_at,
        "duration_minutes": form.duration.unwrap_or(60),
        "agenda": agenda,
        "nickname": (!form.nickname.trim().is_empty()).then(|| form.nickname.trim()),
    });
    let answer = ctx
        .call(Method::POST, "/api/v1/bookings", Some(&body))
        .await;
    if answer.status == StatusCode::CREATED {
        let id = answer.body["id"].as_str().unwrap_or("").to_owned();
        return ctx.redirect(&format!("/bookings/{id}?booked=1"));
    }
    let message = match answer.code() {
        "slot_taken" => l
            .t(
                "その時間は先に予約されました。別の時間を選んでください。",
                "That time was just taken. Please choose another.",
            )
            .to_owned(),
        "no_credits" => l
            .t(
                "会社のセッション枠が残っていません。人事担当にお問い合わせください。",
                "Your company has no session credits left. Please ask HR.",
            )
            .to_owned(),
        "not_bookable" => l
            .t("その時間は予約できません。", "That time cannot be booked.")
            .to_owned(),
        _ => answer.message(),
    };
    ctx.redirect(&back(&message))
}
