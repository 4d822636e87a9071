//! The crisis path for the employee: public helplines, their org's
//! occupational physician or EAP, and a request to be put in touch, which
//! says exactly what is passed on and to whom before they agree.

use askama::Template;
use axum::Form;
use axum::extract::Path;
use axum::http::Method;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{BookingRow, load};
use crate::ctx::{Chrome, Ctx, Employee, Signed};
use crate::session::urlencode;

/// A helpline as the page shows it.
struct Line {
    name: String,
    about: String,
    phone: String,
    url: String,
}

#[derive(Template)]
#[template(path = "bookings/support.html")]
struct SupportPage {
    c: Chrome,
    b: BookingRow,
    lines: Vec<Line>,
    /// The org's contact: name, phone, page, hours, email.
    contact: Option<(String, String, String, String, String)>,
    can_put_in_touch: bool,
    /// When they asked (local), if they did.
    requested: String,
    /// To whom (`name <address>`), as they agreed.
    requested_to: String,
    error: Option<String>,
}

fn page(ctx: &Ctx, b: BookingRow, offer: &Value, error: Option<String>) -> SupportPage {
    let l = ctx.l();
    let text = |v: &Value| v.as_str().unwrap_or("").to_owned();
    let lang = |v: &Value, key: &str| text(&v[format!("{key}_{}", l.code())]);
    let contact = &offer["org_contact"];
    SupportPage {
        c: ctx.chrome(l.t("より専門的な相談先", "More support")),
        b,
        lines: offer["helplines"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|h| Line {
                name: lang(h, "name"),
                about: lang(h, "about"),
                phone: text(&h["phone"]),
                url: text(&h["url"]),
            })
            .collect(),
        contact: contact.is_object().then(|| {
            (
                text(&contact["name"]),
                text(&contact["phone"]),
                text(&contact["url"]),
                text(&contact["hours"]),
                text(&contact["email"]),
            )
        }),
        can_put_in_touch: offer["can_put_in_touch"].as_bool() == Some(true),
        requested: offer["requested_at"]
            .as_str()
            .map(|t| l.when_str(t, ctx.v.tz))
            .unwrap_or_default(),
        requested_to: text(&offer["requested_to"]),
        error,
    }
}

/// The page (the session's employee only; 404 unless it was flagged).
pub async fn support(signed: Signed<Employee>, Path(id): Path<String>) -> Response {
    let mut ctx = signed.ctx;
    let (_, b) = match load(&ctx, &id).await {
        Ok(found) => found,
        Err(f) => return ctx.failed(&f),
    };
    let offer: Value = match ctx
        .get(&format!("/api/v1/bookings/{}/support", urlencode(&id)))
        .await
    {
        Ok(o) => o,
        Err(f) => return ctx.failed(&f),
    };
    let p = page(&ctx, b, &offer, None);
    ctx.page(&p)
}

/// The consent form.
#[derive(Deserialize)]
pub struct AskForm {
    #[serde(default)]
    csrf: String,
    consent: Option<String>,
}

/// Asks to be put in touch, then shows the page with the confirmation.
pub async fn ask(
    signed: Signed<Employee>,
    Path(id): Path<String>,
    Form(form): Form<AskForm>,
) -> Response {
    let mut ctx = signed.ctx;
    if let Some(r) = ctx.csrf_refusal(&form.csrf) {
        return r;
    }
    let l = ctx.l();
    let path = format!("/api/v1/bookings/{}/support", urlencode(&id));
    let answer = ctx
        .call(
            Method::POST,
            &path,
            Some(&json!({"consent": form.consent.is_some()})),
        )
        .await;
    if answer.ok() {
        return ctx.redirect(&format!("/bookings/{}/support", urlencode(&id)));
    }
    let error = match answer.code() {
        "consent_required" => l.t(
            "伝えてよいことを確認のうえ、チェックを入れてください。",
            "Please tick the box to agree to what is passed on.",
        ),
        "no_support_contact" => l.t(
            "会社の相談窓口への取り次ぎ先が登録されていません。下の連絡先か公的な窓口に、直接ご連絡ください。",
            "Your company has not given an address to pass requests to. Please reach the contact below or a public helpline directly.",
        ),
        _ => "",
    };
    let (b, offer) = match (load(&ctx, &id).await, ctx.get::<Value>(&path).await) {
        (Ok((_, b)), Ok(offer)) => (b, offer),
        (Err(f), _) | (_, Err(f)) => return ctx.failed(&f),
    };
    let message = if error.is_empty() {
        answer.message()
    } else {
        error.to_owned()
    };
    let p = page(&ctx, b, &offer, Some(message));
    let body = crate::ctx::render(&p);
    ctx.v.respond((answer.status, body))
}
