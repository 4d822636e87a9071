//! HR's pages: the organisational report (trend chart, cohort table with
//! the reason each hidden cell is hidden, CSV, a printable view, "you said,
//! we did"), invitations from a CSV with a preview, credits, and the
//! support contact of the crisis path.

mod credits;
mod invitations;
pub(crate) mod report;
mod support;

use axum::Router;
use axum::routing::{get, post};

use crate::WebState;
use crate::ctx::Ctx;
use crate::session::urlencode;

/// The routes.
pub fn router() -> Router<WebState> {
    Router::new()
        .route("/hr/report", get(report::report))
        .route("/hr/report.csv", get(report::report_csv))
        .route("/hr/responses", post(report::respond))
        .route(
            "/hr/invitations",
            get(invitations::invitations).post(invitations::upload),
        )
        .route("/hr/invitations/send", post(invitations::send_invitations))
        .route("/hr/invitations/template.csv", get(invitations::template))
        .route("/hr/credits", get(credits::credits).post(credits::buy))
        .route("/hr/support", get(support::support).post(support::save))
}

/// The caller's org, for the API paths.
fn org_of(ctx: &Ctx) -> String {
    urlencode(ctx.me.org_id.as_deref().unwrap_or(""))
}
