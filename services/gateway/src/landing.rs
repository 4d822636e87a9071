//! The front page and its stylesheet (from `frontend/`), until the web UI
//! issue brings the full pages.

use axum::Router;
use axum::http::header;
use axum::response::{Html, IntoResponse};
use axum::routing::get;

const INDEX: &str = include_str!("../../../frontend/templates/index.html");
const STYLE: &str = include_str!("../../../frontend/static/style.css");

/// `/` and `/static/style.css`.
pub fn router() -> Router {
    Router::new()
        .route("/", get(|| async { Html(INDEX) }))
        .route(
            "/static/style.css",
            get(|| async {
                ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], STYLE).into_response()
            }),
        )
}
