//! Taiwa's web UI: server-rendered pages (askama templates, compile-time
//! checked and auto-escaping) for employees, consultants, HR and operators.
//!
//! The pages are a client of the public `/api/v1` contract ([`api::Api`]),
//! so they hold no data of their own and every rule of the services
//! (authorization, anonymity, booking races) applies to them as to any
//! client. The core flows are plain forms and links: they work without
//! JavaScript; no page ships a script.

pub mod api;
pub mod charts;
pub mod ctx;
pub mod i18n;
pub mod pages;
pub mod qr;
pub mod session;

/// A rating at or below this takes the consultant out of the employee's
/// matches: matching's `preferences::LOW_RATING`, which the feedback page
/// announces (the gateway's tests hold the two equal).
pub const LOW_RATING: u8 = 2;

use std::path::PathBuf;

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

use crate::api::Api;

/// What the pages share.
#[derive(Clone)]
pub struct WebState {
    /// The API the pages call.
    pub api: Api,
    /// Cookies carry `Secure` (Taiwa's public URL is https).
    pub secure_cookies: bool,
    /// The embedded default's mail folder, shown at `/dev/mail`; `None`
    /// elsewhere (the route then answers 404).
    pub dev_mailbox: Option<PathBuf>,
    /// The reports' smallest group (shown on the privacy page).
    pub report_min_group: usize,
}

const STYLE: &str = include_str!("../static/style.css");

/// Every page's routes.
pub fn router(state: WebState) -> Router {
    Router::new()
        .route("/static/style.css", get(style))
        .merge(pages::router())
        .with_state(state)
}

/// What a browser gets for an address no route serves (a 404 page) or an
/// error without a page of its own (the status in a `StatusCode` request
/// extension), in the visitor's language (for `shared::http::with_stack`).
pub fn error_page(state: WebState) -> Router {
    Router::new().fallback(pages::error::page).with_state(state)
}

async fn style() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        STYLE,
    )
}
