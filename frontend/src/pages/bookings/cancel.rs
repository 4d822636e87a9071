//! Cancelling a booking: a page that asks first (the booking, what
//! cancelling means, the choice to keep it), then the cancellation.

use askama::Template;
use axum::Form;
use axum::extract::Path;
use axum::http::Method;
use axum::response::Response;
use serde::Deserialize;

use super::{BookingRow, back_with_reason, load};
use crate::ctx::{Chrome, EmployeeOrConsultant, Signed};
use crate::session::urlencode;

/// A form with only its CSRF token.
#[derive(Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

#[derive(Template)]
#[template(path = "bookings/cancel.html")]
struct CancelPage {
    c: Chrome,
    b: BookingRow,
}

/// The step before cancelling: the booking, what cancelling means, and
/// the choice to keep it. A booking this visitor can no longer cancel goes
/// back to its page.
pub async fn cancel_form(signed: Signed<EmployeeOrConsultant>, Path(id): Path<String>) -> Response {
    let mut ctx = signed.ctx;
    let (_, b) = match load(&ctx, &id).await {
        Ok(found) => found,
        Err(f) => return ctx.failed(&f),
    };
    if b.status != "confirmed" || b.past || !b.changeable {
        // The booking's page says why (past its cutoff, or not confirmed).
        let id = urlencode(&id);
        return ctx.redirect(&format!("/bookings/{id}"));
    }
    let p = CancelPage {
        c: ctx.chrome(
            ctx.l()
                .t("予約をキャンセルしますか？", "Cancel this booking?"),
        ),
        b,
    };
    ctx.page(&p)
}

/// Cancels (within policy the credit comes back).
pub async fn cancel(
    signed: Signed<EmployeeOrConsultant>,
    Path(id): Path<String>,
    Form(form): Form<CsrfOnly>,
) -> Response {
    let mut ctx = signed.ctx;
    if let Some(r) = ctx.csrf_refusal(&form.csrf) {
        return r;
    }
    let id = urlencode(&id);
    let answer = ctx
        .call(Method::POST, &format!("/api/v1/bookings/{id}/cancel"), None)
        .await;
    if !answer.ok() {
        return back_with_reason(&mut ctx, &id, &answer);
    }
    ctx.redirect(&format!("/bookings/{id}"))
}
