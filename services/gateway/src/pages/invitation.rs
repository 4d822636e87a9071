//! `/invitations/accept`: the page an invitation email links to. It works
//! without JavaScript: a form that posts back here. The form carries the
//! invitation's own secret token, so another site cannot forge a submission.

use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;
use shared::error::ApiError;

use super::escape_html;
use taiwa_identity::IdentityState;
use taiwa_identity::accept::{AcceptRequest, accept};

const FORM: &str = include_str!("../../../../frontend/templates/accept_invitation.html");
const DONE: &str = include_str!("../../../../frontend/templates/invitation_accepted.html");

/// The page's routes.
pub fn router(state: IdentityState) -> Router {
    Router::new()
        .route("/invitations/accept", get(show).post(submit))
        .with_state(state)
}

#[derive(Deserialize)]
struct LinkQuery {
    #[serde(default)]
    token: String,
}

fn form(token: &str, display_name: &str, error: Option<&str>) -> Html<String> {
    let error = error.map_or_else(String::new, |e| {
        format!(r#"<p class="error" role="alert">{}</p>"#, escape_html(e))
    });
    Html(
        FORM.replace("{{error}}", &error)
            .replace("{{token}}", &escape_html(token))
            .replace("{{display_name}}", &escape_html(display_name)),
    )
}

async fn show(Query(query): Query<LinkQuery>) -> Html<String> {
    form(&query.token, "", None)
}

async fn submit(State(state): State<IdentityState>, Form(body): Form<AcceptRequest>) -> Response {
    match accept(&state, &body).await {
        Ok(_) => Html(DONE).into_response(),
        Err(ApiError::Expected {
            status, message, ..
        }) => (
            status,
            form(&body.token, &body.display_name, Some(&message)),
        )
            .into_response(),
        Err(unexpected) => unexpected.into_response(),
    }
}
