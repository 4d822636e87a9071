//! Keyword search with filters, a consultant's profile with their free
//! times in the employee's own time zone, and booking with the agenda card.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{Card, Terms};
use crate::ctx::{Chrome, Ctx, Employee, Signed, render};
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

/// A free time as the slot picker shows it.
pub struct SlotChoice {
    /// RFC 3339 start (UTC).
    pub starts_at: String,
    /// Local `HH:MM`.
    pub time: String,
}

/// One local day of the slot picker.
pub struct Day {
    /// Local date.
    pub label: String,
    /// Its free times.
    pub slots: Vec<SlotChoice>,
}

#[derive(Template)]
#[template(path = "employee/consultant.html")]
struct ProfilePage {
    c: Chrome,
    card: Card,
    message: String,
    industries: String,
    formats: String,
    days: Vec<Day>,
    tz: String,
    zones: Vec<&'static str>,
    duration: i64,
    error: Option<String>,
}

/// `?tz=&duration=` of the profile page.
#[derive(Deserialize)]
pub struct ProfileQuery {
    tz: Option<String>,
    duration: Option<i64>,
    error: Option<String>,
}

pub(crate) fn days(slots: &Value, tz: Tz, l: crate::i18n::Lang) -> Vec<Day> {
    let mut days: Vec<Day> = Vec::new();
    for s in slots["slots"].as_array().into_iter().flatten() {
        let Some(at) = s["starts_at"]
            .as_str()
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        else {
            continue;
        };
        let local = at.with_timezone(&tz);
        let full = l.when(at.with_timezone(&Utc), tz);
        let label =
            full.rsplit_once(if l.ja() { '）' } else { ',' })
                .map_or(full.clone(), |(d, _)| {
                    if l.ja() {
                        format!("{d}）")
                    } else {
                        d.to_owned()
                    }
                });
        let choice = SlotChoice {
            starts_at: s["starts_at"].as_str().unwrap_or("").to_owned(),
            time: local.format("%H:%M").to_string(),
        };
        match days.last_mut() {
            Some(d) if d.label == label => d.slots.push(choice),
            _ => days.push(Day {
                label,
                slots: vec![choice],
            }),
        }
    }
    // A local time the clocks repeat (a fall-back night) shows its offset,
    // so the two occurrences can be told apart.
    for day in &mut days {
        let times: Vec<String> = day.slots.iter().map(|c| c.time.clone()).collect();
        for choice in &mut day.slots {
            if times.iter().filter(|t| **t == choice.time).count() > 1
                && let Ok(at) = DateTime::parse_from_rfc3339(&choice.starts_at)
            {
                choice.time = at.with_timezone(&tz).format("%H:%M (UTC%:z)").to_string();
            }
        }
    }
    days
}

/// The strings of a JSON array, joined with `・`.
fn joined(list: &Value) -> String {
    list.as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect::<Vec<_>>()
        .join("・")
}

/// A consultant's free times for the next two weeks (`id` URL-safe).
pub(crate) async fn two_weeks_of_slots(ctx: &Ctx, id: &str, duration: i64) -> Value {
    let now = Utc::now();
    let from = now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let to = (now + Duration::days(14)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    ctx.get(&format!(
        "/api/v1/consultants/{id}/slots?from={}&to={}&duration_minutes={duration}",
        urlencode(&from),
        urlencode(&to)
    ))
    .await
    .unwrap_or_default()
}

/// A consultant's profile and free times for the next two weeks.
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
    let duration = q.duration.filter(|d| [45, 60].contains(d)).unwrap_or(60);
    let slots = two_weeks_of_slots(&ctx, &id, duration).await;
    let terms = Terms::load(&ctx).await;
    let tz = ctx.v.tz;
    let p = ProfilePage {
        card: Card::of(&profile, &terms, l),
        c: ctx.chrome(profile["display_name"].as_str().unwrap_or("")),
        message: profile["message"].as_str().unwrap_or("").to_owned(),
        industries: joined(&profile["industries"]),
        formats: joined(&profile["session_formats"]),
        days: days(&slots, tz, l),
        tz: tz.name().to_owned(),
        zones: crate::i18n::OFFERED_ZONES.to_vec(),
        duration,
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
