//! The page for an address no route serves, in the visitor's language
//! (the API's paths, and clients that do not ask for HTML, get the JSON
//! error instead: `shared::http::with_stack`).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use crate::WebState;
use crate::ctx::{Chrome, ErrorPage, render};
use crate::session::Visitor;

/// 404 as a page: the site's frame (with the visitor's navigation when
/// they are signed in), a sentence, the way back.
pub async fn page(State(web): State<WebState>, mut v: Visitor) -> Response {
    let l = v.lang;
    let me = v.me(&web.api).await;
    let page = ErrorPage {
        c: Chrome::new(
            &v,
            &web,
            me.as_ref(),
            l.t("ページが見つかりません", "Page not found"),
        ),
        status: StatusCode::NOT_FOUND.as_u16(),
        message: l
            .t(
                "このアドレスのページはありません。アドレスをお確かめください。",
                "There is no page at this address. Please check it.",
            )
            .to_owned(),
    };
    let body = render(&page);
    v.respond((StatusCode::NOT_FOUND, body))
}
