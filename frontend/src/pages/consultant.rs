//! The consultant's own pages: availability (weekly hours, a day's
//! override, lengths, buffers, notice, horizon, daily cap) and the profile.

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::Query;
use axum::http::{Method, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::WebState;
use crate::ctx::{Chrome, Consultant, Ctx, Fields, Signed, render};
use crate::pages::employee::Terms;

/// The routes.
pub fn router() -> Router<WebState> {
    Router::new()
        .route(
            "/consultant/availability",
            get(availability).post(save_availability),
        )
        .route("/consultant/availability/override", post(save_override))
        .route("/consultant/profile", get(profile).post(save_profile))
}

/// One weekday's hours (two ranges at most on this form).
pub struct DayHours {
    weekday: u8,
    name: &'static str,
    ranges: [(String, String); 2],
}

#[derive(Template)]
#[template(path = "consultant/availability.html")]
struct AvailabilityPage {
    c: Chrome,
    days: Vec<DayHours>,
    timezone: String,
    zones: Vec<&'static str>,
    lengths: Vec<(i64, bool)>,
    buffer: i64,
    notice: i64,
    horizon: i64,
    max_per_day: i64,
    saved: bool,
    error: Option<String>,
}

/// `?saved=1&error=`.
#[derive(Deserialize)]
pub struct SavedQuery {
    saved: Option<u8>,
    error: Option<String>,
}

fn availability_page(ctx: &Ctx, a: &Value, saved: bool, error: Option<String>) -> AvailabilityPage {
    let l = ctx.l();
    const NAMES: [(&str, &str); 7] = [
        ("月", "Monday"),
        ("火", "Tuesday"),
        ("水", "Wednesday"),
        ("木", "Thursday"),
        ("金", "Friday"),
        ("土", "Saturday"),
        ("日", "Sunday"),
    ];
    let weekly = a["weekly"].as_array().cloned().unwrap_or_default();
    let days = (1..=7u8)
        .map(|d| {
            let mut ranges: [(String, String); 2] = Default::default();
            for (slot, rule) in weekly
                .iter()
                .filter(|r| r["weekday"].as_u64() == Some(u64::from(d)))
                .take(2)
                .enumerate()
            {
                ranges[slot] = (
                    rule["start"].as_str().unwrap_or("").to_owned(),
                    // A time field cannot show 24:00; its 00:00 ends at midnight.
                    match rule["end"].as_str().unwrap_or("") {
                        "24:00" => "00:00".to_owned(),
                        end => end.to_owned(),
                    },
                );
            }
            let (ja, en) = NAMES[usize::from(d - 1)];
            DayHours {
                weekday: d,
                name: l.t(ja, en),
                ranges,
            }
        })
        .collect();
    let lengths: Vec<i64> = a["session_minutes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_i64)
        .collect();
    AvailabilityPage {
        c: ctx.chrome(l.t("受付時間", "Availability")),
        days,
        timezone: a["timezone"].as_str().unwrap_or("Asia/Tokyo").to_owned(),
        zones: crate::i18n::OFFERED_ZONES.to_vec(),
        lengths: [30, 45, 60, 90]
            .iter()
            .map(|m| (*m, lengths.contains(m)))
            .collect(),
        buffer: a["buffer_minutes"].as_i64().unwrap_or(15),
        notice: a["min_notice_minutes"].as_i64().unwrap_or(120),
        horizon: a["horizon_days"].as_i64().unwrap_or(30),
        max_per_day: a["max_per_day"].as_i64().unwrap_or(4),
        saved,
        error,
    }
}

/// The availability editor.
pub async fn availability(signed: Signed<Consultant>, Query(q): Query<SavedQuery>) -> Response {
    let mut ctx = signed.ctx;
    let current = ctx
        .call(Method::GET, "/api/v1/consultants/me/availability", None)
        .await;
    let a = if current.ok() {
        current.body
    } else {
        json!({})
    };
    let p = availability_page(&ctx, &a, q.saved == Some(1), q.error);
    ctx.page(&p)
}

/// Saves the weekly hours and rules.
pub async fn save_availability(signed: Signed<Consultant>, Form(form): Form<Fields>) -> Response {
    let mut ctx = signed.ctx;
    if let Some(r) = ctx.csrf_refusal(form.get("csrf")) {
        return r;
    }
    let mut weekly = Vec::new();
    for d in 1..=7 {
        for slot in 0..2 {
            let (start, end) = (
                form.get(&format!("start_{d}_{slot}")),
                form.get(&format!("end_{d}_{slot}")),
            );
            if !start.is_empty() || !end.is_empty() {
                weekly.push(json!({"weekday": d, "start": start, "end": end}));
            }
        }
    }
    let number = |k: &str| form.get(k).parse::<i64>().unwrap_or(-1);
    let body = json!({
        "timezone": form.get("timezone"),
        "weekly": weekly,
        "session_minutes": form.all("length").filter_map(|v| v.parse::<i64>().ok()).collect::<Vec<_>>(),
        "buffer_minutes": number("buffer"),
        "min_notice_minutes": number("notice"),
        "horizon_days": number("horizon"),
        "max_per_day": number("max_per_day"),
    });
    let answer = ctx
        .call(
            Method::PUT,
            "/api/v1/consultants/me/availability",
            Some(&body),
        )
        .await;
    if answer.ok() {
        return ctx.redirect("/consultant/availability?saved=1");
    }
    // Show what they typed, with the API's reason.
    let p = availability_page(&ctx, &body, false, Some(answer.message()));
    let page = render(&p);
    ctx.v.respond((StatusCode::UNPROCESSABLE_ENTITY, page))
}

/// A day's override: other hours that day, or none.
#[derive(Deserialize)]
pub struct OverrideForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    start: String,
    #[serde(default)]
    end: String,
}

/// Saves an override for one date.
pub async fn save_override(signed: Signed<Consultant>, Form(form): Form<OverrideForm>) -> Response {
    let mut ctx = signed.ctx;
    if let Some(r) = ctx.csrf_refusal(&form.csrf) {
        return r;
    }
    let intervals: Vec<Value> = if form.start.is_empty() && form.end.is_empty() {
        Vec::new()
    } else {
        vec![json!({"start": form.start, "end": form.end})]
    };
    let answer = ctx
        .call(
            Method::POST,
            "/api/v1/consultants/me/availability/overrides",
            Some(&json!({"date": form.date, "intervals": intervals})),
        )
        .await;
    if answer.ok() {
        ctx.redirect("/consultant/availability?saved=1")
    } else {
        ctx.redirect(&format!(
            "/consultant/availability?error={}",
            crate::session::urlencode(&answer.message())
        ))
    }
}

#[derive(Template)]
#[template(path = "consultant/profile.html")]
struct ProfilePage {
    c: Chrome,
    p: Value,
    status: String,
    specialties: Vec<(String, String, bool)>,
    languages: Vec<(String, String, bool)>,
    saved: bool,
    error: Option<String>,
}

fn field_str<'a>(p: &'a Value, k: &str) -> &'a str {
    p[k].as_str().unwrap_or("")
}

impl ProfilePage {
    fn text(&self, k: &str) -> &str {
        field_str(&self.p, k)
    }
    fn accepting(&self) -> bool {
        self.p["accepting_clients"].as_bool().unwrap_or(false)
    }
}

async fn profile_page(ctx: &Ctx, p: Value, saved: bool, error: Option<String>) -> ProfilePage {
    let l = ctx.l();
    let terms = Terms::load(ctx).await;
    let has = |k: &str, code: &str| {
        p[k].as_array()
            .into_iter()
            .flatten()
            .any(|c| c.as_str() == Some(code))
    };
    let status = match field_str(&p, "status") {
        "approved" => l.t(
            "承認済み（マッチングに表示されます）",
            "Approved (shown in matches)",
        ),
        "pending" => l.t("運営の確認待ち", "Waiting for the operator's check"),
        "rejected" => l.t("承認されませんでした", "Not approved"),
        "suspended" => l.t("一時停止中", "Suspended"),
        _ => "",
    }
    .to_owned();
    ProfilePage {
        c: ctx.chrome(l.t("プロフィール", "Profile")),
        specialties: terms
            .of("specialties")
            .into_iter()
            .map(|(c, lab)| {
                let on = has("specialties", &c);
                (c, lab, on)
            })
            .collect(),
        languages: terms
            .of("languages")
            .into_iter()
            .map(|(c, lab)| {
                let on = has("languages", &c);
                (c, lab, on)
            })
            .collect(),
        status,
        p,
        saved,
        error,
    }
}

/// The profile editor.
pub async fn profile(signed: Signed<Consultant>, Query(q): Query<SavedQuery>) -> Response {
    let mut ctx = signed.ctx;
    let p: Value = ctx
        .get("/api/v1/consultants/me/profile")
        .await
        .unwrap_or_else(|_| json!({}));
    let page = profile_page(&ctx, p, q.saved == Some(1), q.error).await;
    ctx.page(&page)
}

/// Saves the fields this form edits; the rest stay as they are.
pub async fn save_profile(signed: Signed<Consultant>, Form(form): Form<Fields>) -> Response {
    let mut ctx = signed.ctx;
    if let Some(r) = ctx.csrf_refusal(form.get("csrf")) {
        return r;
    }
    let mut p: Value = ctx
        .get("/api/v1/consultants/me/profile")
        .await
        .unwrap_or_else(|_| json!({}));
    for k in ["display_name", "headline", "message", "registration_number"] {
        p[k] = json!(form.get(k));
    }
    p["years_experience"] = json!(form.get("years_experience").parse::<i64>().unwrap_or(-1));
    p["accepting_clients"] = json!(!form.get("accepting_clients").is_empty());
    p["specialties"] = json!(form.all("specialty").collect::<Vec<_>>());
    p["languages"] = json!(form.all("language").collect::<Vec<_>>());
    if p["session_formats"].as_array().is_none_or(Vec::is_empty) {
        p["session_formats"] = json!(["video"]);
    }
    let answer = ctx
        .call(Method::PUT, "/api/v1/consultants/me/profile", Some(&p))
        .await;
    if answer.ok() {
        return ctx.redirect("/consultant/profile?saved=1");
    }
    let page = profile_page(&ctx, p, false, Some(answer.message())).await;
    let body = render(&page);
    ctx.v.respond((StatusCode::UNPROCESSABLE_ENTITY, body))
}
