//! `/join/{booking}/{key}`: the join link in a booking's emails and
//! calendar invite. Inside the room's hours it sends the visitor to the
//! session's own room; otherwise it says when the room opens, or that it is
//! closed. No sign-in: the key is the invitation (booking's
//! `GET /api/v1/rooms/{booking}/{key}` decides).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

use crate::WebState;
use crate::ctx::{Chrome, render};
use crate::session::Visitor;

#[derive(Template)]
#[template(path = "join.html")]
struct JoinPage {
    c: Chrome,
    message: String,
    closed: bool,
    again: String,
}

/// The door.
pub async fn join(
    State(web): State<WebState>,
    mut v: Visitor,
    Path((booking, key)): Path<(String, String)>,
) -> Response {
    let safe = |s: &str| s.len() <= 64 && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    let answer = if safe(&booking) && safe(&key) {
        Some(
            web.api
                .call(
                    Method::GET,
                    &format!("/api/v1/rooms/{booking}/{key}"),
                    None,
                    None,
                    None,
                )
                .await,
        )
    } else {
        None
    };
    if let Some(a) = &answer
        && a.ok()
        && let Some(room) = a.body["room_url"].as_str()
    {
        return v.respond(Redirect::to(room));
    }
    let l = v.lang;
    let (status, message, closed) = match &answer {
        Some(a) if a.code() == "room_not_open" => {
            let opens = a.body["error"]["details"]["opens_at"]
                .as_str()
                .map(|t| l.when_str(t, v.tz))
                .unwrap_or_default();
            (
                StatusCode::CONFLICT,
                format!(
                    "{}{opens}",
                    l.t("会議室はまだ開いていません。開く時刻：", "The room is not open yet. It opens at ")
                ),
                false,
            )
        }
        Some(a) if a.code() == "room_closed" => (
            StatusCode::GONE,
            l.t(
                "この面談は終了したか、キャンセルまたは日時変更されました。変更後の面談には新しいリンクが届いています。",
                "This session is over, cancelled or moved. A moved session has a new link in its own email.",
            )
            .to_owned(),
            true,
        ),
        _ => (
            StatusCode::NOT_FOUND,
            l.t("このリンクは使えません。", "This link does not work.").to_owned(),
            true,
        ),
    };
    let page = JoinPage {
        c: Chrome::new(&v, &web, None, l.t("面談の会議室", "Session room")),
        message,
        closed,
        again: format!("/join/{booking}/{key}"),
    };
    let mut response = render(&page).into_response();
    *response.status_mut() = status;
    v.respond(response)
}
