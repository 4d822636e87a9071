//! What HR can and cannot see, in plain words, with the real numbers.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use crate::WebState;
use crate::ctx::{Chrome, render};
use crate::session::Visitor;

#[derive(Template)]
#[template(path = "employee/privacy.html")]
struct PrivacyPage {
    c: Chrome,
    k: usize,
}

/// The page (open to everyone, signed in or not).
pub async fn page(State(web): State<WebState>, mut v: Visitor) -> Response {
    let me = v.me(&web.api).await;
    let p = PrivacyPage {
        c: Chrome::new(
            &v,
            &web,
            me.as_ref(),
            v.lang.t(
                "会社に伝わること・伝わらないこと",
                "What HR can and cannot see",
            ),
        ),
        k: web.report_min_group,
    };
    let body = render(&p);
    v.respond(body)
}
