//! Bookings for both sides: the list (the employee's own; the consultant's
//! sessions with their agendas), a booking with cancel and reschedule, the
//! employee's feedback with its receipt, and the consultant's record.

mod cancel;
mod feedback;
mod record;
mod support;

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, Query};
use axum::http::Method;
use axum::response::Response;
use axum::routing::get;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::WebState;
use crate::ctx::{Chrome, Ctx, Employee, EmployeeOrConsultant, Signed};
use crate::pages::calendar::{Picker, Place, Wanted, picker};
use crate::session::urlencode;
/// The routes.
pub fn router() -> Router<WebState> {
    Router::new()
        .route("/bookings", get(list))
        .route("/bookings/{id}", get(show))
        .route(
            "/bookings/{id}/cancel",
            get(cancel::cancel_form).post(cancel::cancel),
        )
        .route(
            "/bookings/{id}/reschedule",
            get(reschedule_form).post(reschedule),
        )
        .route(
            "/bookings/{id}/feedback",
            get(feedback::feedback_form).post(feedback::feedback),
        )
        .route(
            "/bookings/{id}/record",
            get(record::record_form).post(record::record),
        )
        .route(
            "/bookings/{id}/support",
            get(support::support).post(support::ask),
        )
}

/// A booking as the pages show it.
pub struct BookingRow {
    id: String,
    /// The start, RFC 3339 (for `<time datetime>`).
    starts_at: String,
    when: String,
    minutes: i64,
    status: String,
    status_label: String,
    with: String,
    topic: String,
    help: String,
    join_url: String,
    past: bool,
    /// The employee gave feedback already (no second "Feedback" link).
    rated: bool,
    /// The caller may still cancel or move it.
    changeable: bool,
    /// Until when they may (local), or empty.
    changeable_until: String,
    /// The consultant flagged the session so that its employee is offered
    /// more support (the crisis path).
    support_offered: bool,
}

fn status_label(l: crate::i18n::Lang, s: &str) -> String {
    match s {
        "confirmed" => l.t("予約済み", "Confirmed"),
        "completed" => l.t("実施済み", "Held"),
        "no_show" => l.t("欠席", "Missed"),
        "cancelled" => l.t("キャンセル", "Cancelled"),
        "rescheduled" => l.t("変更済み", "Moved"),
        other => other,
    }
    .to_owned()
}

fn help_label(l: crate::i18n::Lang, s: &str) -> String {
    match s {
        "just_listen" => l.t("まず話を聞いてほしい", "Just listen"),
        "think_with_me" => l.t("一緒に考えてほしい", "Think it through with me"),
        "advise_me" => l.t("アドバイスがほしい", "Give me advice"),
        _ => "",
    }
    .to_owned()
}

/// Who the booking is with, as the caller sees them: the consultant's name
/// for the employee, the nickname for the consultant.
async fn with_whom(ctx: &Ctx, b: &Value) -> String {
    if ctx.me.role == "employee" {
        let id = urlencode(b["consultant_id"].as_str().unwrap_or(""));
        ctx.get::<Value>(&format!("/api/v1/consultants/{id}"))
            .await
            .map(|p| p["display_name"].as_str().unwrap_or("").to_owned())
            .unwrap_or_default()
    } else {
        b["nickname"].as_str().map_or_else(
            || ctx.l().t("（名前なし）", "(no name given)").to_owned(),
            str::to_owned,
        )
    }
}

async fn row(ctx: &Ctx, b: &Value) -> BookingRow {
    let with = with_whom(ctx, b).await;
    row_with(ctx, b, with)
}

fn row_with(ctx: &Ctx, b: &Value, with: String) -> BookingRow {
    let l = ctx.l();
    let starts = b["starts_at"].as_str().unwrap_or("");
    let start = DateTime::parse_from_rfc3339(starts)
        .map(|t| t.with_timezone(&Utc))
        .ok();
    let end = b["ends_at"]
        .as_str()
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok());
    let status = b["status"].as_str().unwrap_or("").to_owned();
    let until = b["changeable_until"].as_str();
    BookingRow {
        id: b["id"].as_str().unwrap_or("").to_owned(),
        starts_at: starts.to_owned(),
        when: l.when_str(starts, ctx.v.tz),
        minutes: match (start, end) {
            (Some(s), Some(e)) => (e.with_timezone(&Utc) - s).num_minutes(),
            _ => 0,
        },
        status_label: status_label(l, &status),
        status,
        with,
        topic: b["agenda"]["topic"].as_str().unwrap_or("").to_owned(),
        help: help_label(l, b["agenda"]["help"].as_str().unwrap_or("")),
        join_url: b["join_url"].as_str().unwrap_or("").to_owned(),
        past: start.is_some_and(|s| s <= Utc::now()),
        rated: b["feedback_given"].as_bool() == Some(true),
        changeable: until
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
            .is_some_and(|until| until > Utc::now()),
        changeable_until: until.map(|t| l.when_str(t, ctx.v.tz)).unwrap_or_default(),
        support_offered: b["support_offered"].as_bool() == Some(true),
    }
}

#[derive(Template)]
#[template(path = "bookings/list.html")]
struct ListPage {
    c: Chrome,
    upcoming: Vec<BookingRow>,
    past: Vec<BookingRow>,
    consultant: bool,
}

/// A booking from the API with its row, or the API's refusal.
async fn load(ctx: &Ctx, id: &str) -> Result<(Value, BookingRow), crate::api::ApiFailure> {
    let booking: Value = ctx
        .get(&format!("/api/v1/bookings/{}", urlencode(id)))
        .await?;
    let shown = row(ctx, &booking).await;
    Ok((booking, shown))
}

/// The caller's bookings.
pub async fn list(signed: Signed<EmployeeOrConsultant>) -> Response {
    let mut ctx = signed.ctx;
    let l = ctx.l();
    let bookings: Value = match ctx.get("/api/v1/bookings").await {
        Ok(b) => b,
        Err(f) => return ctx.failed(&f),
    };
    let mut upcoming = Vec::new();
    let mut past = Vec::new();
    for b in bookings["items"].as_array().into_iter().flatten() {
        let r = row_with(&ctx, b, String::new());
        if r.status == "rescheduled" {
            // Moved: the booking it was moved to is in the list at its new time.
            continue;
        }
        if r.past || r.status != "confirmed" {
            past.push((b, r))
        } else {
            upcoming.push((b, r))
        }
    }
    // The API lists by start: upcoming soonest first, the past latest first.
    past.reverse();
    past.truncate(60);
    // Names for the rows shown only, one look-up per person however many
    // sessions with them.
    let mut names: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    for (b, r) in upcoming.iter_mut().chain(past.iter_mut()) {
        let key = format!("{}/{}", b["consultant_id"], b["nickname"]);
        r.with = match names.get(&key) {
            Some(name) => name.clone(),
            None => {
                let name = with_whom(&ctx, b).await;
                names.insert(key, name.clone());
                name
            }
        };
    }
    let [upcoming, past] = [upcoming, past].map(|rows| rows.into_iter().map(|(_, r)| r).collect());
    let consultant = ctx.me.role == "consultant";
    let p = ListPage {
        c: ctx.chrome(if consultant {
            l.t("セッション", "Sessions")
        } else {
            l.t("予約", "My bookings")
        }),
        upcoming,
        past,
        consultant,
    };
    ctx.page(&p)
}

#[derive(Template)]
#[template(path = "bookings/show.html")]
struct ShowPage {
    c: Chrome,
    b: BookingRow,
    booked: bool,
    consultant: bool,
    error: Option<String>,
}

/// `?booked=1&error=`.
#[derive(Deserialize)]
pub struct ShowQuery {
    booked: Option<u8>,
    error: Option<String>,
}

/// One booking.
pub async fn show(
    signed: Signed<EmployeeOrConsultant>,
    Path(id): Path<String>,
    Query(q): Query<ShowQuery>,
) -> Response {
    let mut ctx = signed.ctx;
    let (_, b) = match load(&ctx, &id).await {
        Ok(found) => found,
        Err(f) => return ctx.failed(&f),
    };
    let p = ShowPage {
        c: ctx.chrome(ctx.l().t("予約の詳細", "Booking")),
        b,
        booked: q.booked == Some(1),
        consultant: ctx.me.role == "consultant",
        error: q.error,
    };
    ctx.page(&p)
}

/// Back to the booking (`id` URL-safe), with the API's reason for refusing.
fn back_with_reason(ctx: &mut Ctx, id: &str, answer: &crate::api::Answer) -> Response {
    ctx.redirect(&format!(
        "/bookings/{id}?error={}",
        urlencode(&answer.message())
    ))
}

#[derive(Template)]
#[template(path = "bookings/reschedule.html")]
struct ReschedulePage {
    c: Chrome,
    b: BookingRow,
    cal: Picker,
}

/// The free times to move a booking to.
pub async fn reschedule_form(
    signed: Signed<Employee>,
    Path(id): Path<String>,
    Query(wanted): Query<Wanted>,
) -> Response {
    let mut ctx = signed.ctx;
    let (booking, b) = match load(&ctx, &id).await {
        Ok(found) => found,
        Err(f) => return ctx.failed(&f),
    };
    let consultant = urlencode(booking["consultant_id"].as_str().unwrap_or(""));
    let place = Place {
        path: &format!("/bookings/{}/reschedule", urlencode(&b.id)),
        choose_length: false,
        near: DateTime::parse_from_rfc3339(&b.starts_at)
            .ok()
            .map(|t| t.with_timezone(&Utc)),
    };
    let minutes = u32::try_from(b.minutes).ok().filter(|m| *m > 0);
    let cal = picker(&ctx, &consultant, minutes, &wanted, &place).await;
    let l = ctx.l();
    let p = ReschedulePage {
        c: ctx.chrome(l.t("予約の時間を変更", "Move this booking")),
        cal,
        b,
    };
    ctx.page(&p)
}

/// The new time.
#[derive(Deserialize)]
pub struct RescheduleForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    starts_at: String,
}

/// Moves a booking (atomically: the old time is released only if the new one is taken).
pub async fn reschedule(
    signed: Signed<Employee>,
    Path(id): Path<String>,
    Form(form): Form<RescheduleForm>,
) -> Response {
    let mut ctx = signed.ctx;
    if let Some(r) = ctx.csrf_refusal(&form.csrf) {
        return r;
    }
    let id = urlencode(&id);
    let answer = ctx
        .call(
            Method::POST,
            &format!("/api/v1/bookings/{id}/reschedule"),
            Some(&json!({"starts_at": form.starts_at})),
        )
        .await;
    if !answer.ok() {
        return back_with_reason(&mut ctx, &id, &answer);
    }
    let new_id = answer.body["id"].as_str().map_or(id.clone(), urlencode);
    ctx.redirect(&format!("/bookings/{new_id}"))
}
