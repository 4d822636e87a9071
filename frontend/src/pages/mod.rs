//! The pages, by role. Each handler: the visitor, the API calls it needs,
//! one template.

pub mod account;
pub mod auth;
pub mod bookings;
pub mod calendar;
pub mod consultant;
pub mod employee;
pub mod error;
pub mod hr;
pub mod join;
pub mod mailbox;
pub mod operator;

use axum::Router;
use axum::routing::{get, post};

use crate::WebState;

/// The pages' routes.
pub fn router() -> Router<WebState> {
    Router::new()
        .route("/", get(auth::landing))
        .route("/login", get(auth::login_form).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/lang/{lang}", get(auth::switch_lang))
        .route("/privacy", get(employee::privacy::page))
        .route("/join/{booking}/{key}", get(join::join))
        .merge(account::router())
        .merge(employee::router())
        .merge(bookings::router())
        .merge(consultant::router())
        .merge(hr::router())
        .merge(operator::router())
        .route("/dev/mail", get(mailbox::list))
        .route("/dev/mail/{name}", get(mailbox::show))
}
