//! The page for an error a browser meets outside `/api/` without a page of
//! its own — an address no route serves (404), a method the address does
//! not take (405), a file too large (413), an address or form the server
//! could not read (400, 422), a timeout, a failure on our side (500) — in
//! the visitor's language, with the site's frame and the way back (the
//! API's paths, and clients that do not ask for HTML, get the JSON error
//! instead: `shared::http::with_stack`).

use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use crate::WebState;
use crate::ctx::{Chrome, ErrorPage, render};
use crate::i18n::Lang;
use crate::session::Visitor;

/// The title and the sentence for `status`.
pub fn wording(status: StatusCode, l: Lang) -> (&'static str, &'static str) {
    match status {
        StatusCode::NOT_FOUND => (
            l.t("ページが見つかりません", "Page not found"),
            l.t(
                "このアドレスのページはありません。アドレスをお確かめください。",
                "There is no page at this address. Please check it.",
            ),
        ),
        StatusCode::METHOD_NOT_ALLOWED => (
            l.t("この操作はできません", "This action is not available here"),
            l.t(
                "このアドレスではこの操作を受け付けていません。前のページに戻り、もう一度お試しください。",
                "This address does not take that action. Go back to the previous page and try again.",
            ),
        ),
        StatusCode::PAYLOAD_TOO_LARGE => (
            l.t("送信内容が大きすぎます", "What was sent is too large"),
            l.t(
                "送信されたファイルまたは内容が大きすぎます。ファイルを分けて、もう一度送信してください。",
                "The file or form sent is too large. Split the file and send it again.",
            ),
        ),
        StatusCode::URI_TOO_LONG => (
            l.t("アドレスが長すぎます", "The address is too long"),
            l.t(
                "アドレスが長すぎて読み取れません。リンクからもう一度開いてください。",
                "The address is too long to read. Open it again from a link.",
            ),
        ),
        StatusCode::REQUEST_TIMEOUT => (
            l.t("時間がかかりすぎました", "That took too long"),
            l.t(
                "時間内に処理できませんでした。少し待ってから、もう一度お試しください。",
                "It could not be done in time. Wait a moment and try again.",
            ),
        ),
        s if s.is_server_error() => (
            l.t("問題が発生しました", "Something went wrong"),
            l.t(
                "こちら側で問題が発生しました。入力した内容は保存されていない可能性があります。少し待ってから、もう一度お試しください。",
                "Something went wrong on our side; what you entered may not have been saved. Wait a moment and try again.",
            ),
        ),
        _ => (
            l.t("内容を読み取れませんでした", "That could not be read"),
            l.t(
                "アドレスまたは送信内容を読み取れませんでした。リンクまたは前のページから、もう一度お試しください。",
                "The address or the form could not be read. Try again from a link or the previous page.",
            ),
        ),
    }
}

/// The error as a page: the site's frame (with the visitor's navigation
/// when they are signed in), a sentence, the way back.
pub async fn page(
    State(web): State<WebState>,
    // The error's status, put there by the shared stack (none: 404).
    error: Option<Extension<StatusCode>>,
    mut v: Visitor,
) -> Response {
    let status = error.map_or(StatusCode::NOT_FOUND, |Extension(s)| s);
    let l = v.lang;
    // After a timeout or a failure on our side, ask nothing more of the
    // services: the page goes without the visitor's navigation.
    let me = if status.is_server_error() || status == StatusCode::REQUEST_TIMEOUT {
        None
    } else {
        v.me(&web.api).await
    };
    let (title, message) = wording(status, l);
    let page = ErrorPage {
        c: Chrome::new(&v, &web, me.as_ref(), title),
        status: status.as_u16(),
        message: message.to_owned(),
    };
    let body = render(&page);
    v.respond((status, body))
}
