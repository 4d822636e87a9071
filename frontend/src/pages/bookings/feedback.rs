//! The employee's feedback after a session, with the receipt of exactly
//! what is shared.

use askama::Template;
use axum::Form;
use axum::extract::Path;
use axum::http::Method;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{BookingRow, load, row};
use crate::ctx::{Chrome, Employee, Signed};
use crate::session::urlencode;

/// What the API's receipt says will and will not be shared.
pub struct Receipt {
    shared_with_org: bool,
    shared: Vec<String>,
    never_shared: Vec<String>,
}

/// The receipt's lines in Japanese (the API words them in English; a line
/// without a translation is shown as the API wrote it).
fn receipt_line(l: crate::i18n::Lang, line: &str) -> String {
    const JA: [(&str, &str); 10] = [
        (
            "your organisation and the month of the session",
            "あなたの会社名と、セッションの月",
        ),
        (
            "the themes the consultant records (from a fixed list)",
            "コンサルタントが記録したテーマ（決められた一覧から）",
        ),
        (
            "a summary with names, contacts and ids removed",
            "名前・連絡先・IDを取り除いた要約",
        ),
        (
            "the coarse group your organisation set for you (e.g. department, age band)",
            "会社が設定した大まかなグループ（部署・年代など）",
        ),
        (
            "your name, email or any id",
            "あなたの名前、メールアドレス、ID",
        ),
        ("who your consultant was", "誰と話したか"),
        ("the date and time", "日時"),
        ("your rating", "あなたの評価"),
        (
            "the consultant's private notes",
            "コンサルタントの非公開メモ",
        ),
        (
            "anything when fewer than the anonymity threshold of people are in a group",
            "匿名性の基準より少ない人数のグループに関すること",
        ),
    ];
    if l.ja()
        && let Some((_, ja)) = JA.iter().find(|(en, _)| *en == line)
    {
        return (*ja).to_owned();
    }
    line.to_owned()
}

impl Receipt {
    fn of(r: &Value, l: crate::i18n::Lang) -> Self {
        let list = |k: &str| {
            r[k].as_array()
                .into_iter()
                .flatten()
                .filter_map(|s| s.as_str().map(|s| receipt_line(l, s)))
                .collect()
        };
        Self {
            shared_with_org: r["shared_with_org"].as_bool().unwrap_or(false),
            shared: list("shared"),
            never_shared: list("never_shared"),
        }
    }
}

#[derive(Template)]
#[template(path = "bookings/feedback.html")]
struct FeedbackPage {
    c: Chrome,
    b: BookingRow,
    receipt: Option<Receipt>,
    error: Option<String>,
    /// The session is rated already: no second form.
    already: bool,
    /// The rating just given was low: that consultant leaves the matches.
    low: bool,
    /// The consultant (to book them again).
    consultant_id: String,
}

/// The feedback form.
pub async fn feedback_form(signed: Signed<Employee>, Path(id): Path<String>) -> Response {
    let mut ctx = signed.ctx;
    let (booking, b) = match load(&ctx, &id).await {
        Ok(found) => found,
        Err(f) => return ctx.failed(&f),
    };
    let p = FeedbackPage {
        c: ctx.chrome(ctx.l().t("セッションのふりかえり", "After your session")),
        already: b.rated,
        b,
        receipt: None,
        error: None,
        low: false,
        consultant_id: booking["consultant_id"].as_str().unwrap_or("").to_owned(),
    };
    ctx.page(&p)
}

/// The feedback fields.
#[derive(Deserialize)]
pub struct FeedbackForm {
    #[serde(default)]
    csrf: String,
    rating: Option<i64>,
    share_with_org: Option<String>,
    cohort_consent: Option<String>,
}

/// Sends the rating and the sharing choices, then shows the receipt.
pub async fn feedback(
    signed: Signed<Employee>,
    Path(id): Path<String>,
    Form(form): Form<FeedbackForm>,
) -> Response {
    let mut ctx = signed.ctx;
    if let Some(r) = ctx.csrf_refusal(&form.csrf) {
        return r;
    }
    let path = format!("/api/v1/bookings/{}", urlencode(&id));
    let booking: Value = match ctx.get(&path).await {
        Ok(b) => b,
        Err(f) => return ctx.failed(&f),
    };
    let b = row(&ctx, &booking).await;
    let share = form.share_with_org.is_some();
    let body = json!({
        "rating": form.rating.unwrap_or(0),
        "share_with_org": share,
        "cohort_consent": share && form.cohort_consent.is_some(),
    });
    let answer = ctx
        .call(Method::POST, &format!("{path}/feedback"), Some(&body))
        .await;
    let l = ctx.l();
    let (receipt, error) = if answer.ok() {
        (Some(Receipt::of(&answer.body["receipt"], l)), None)
    } else {
        let message = match answer.code() {
            "feedback_exists" => l
                .t(
                    "このセッションのふりかえりは送信済みです。",
                    "You have given feedback on this session already.",
                )
                .to_owned(),
            "invalid_rating" => l
                .t(
                    "1から5で評価を選んでください。",
                    "Choose a rating from 1 to 5.",
                )
                .to_owned(),
            "not_held" => l
                .t(
                    "ふりかえりはセッションの後に送れます。",
                    "Feedback is possible after the session.",
                )
                .to_owned(),
            _ => answer.message(),
        };
        (None, Some(message))
    };
    let low = receipt.is_some()
        && form
            .rating
            .is_some_and(|r| (1..=i64::from(crate::LOW_RATING)).contains(&r));
    let status = if error.is_some() {
        answer.status
    } else {
        axum::http::StatusCode::OK
    };
    let p = FeedbackPage {
        c: ctx.chrome(l.t("セッションのふりかえり", "After your session")),
        already: answer.code() == "feedback_exists",
        b,
        receipt,
        error,
        low,
        consultant_id: booking["consultant_id"].as_str().unwrap_or("").to_owned(),
    };
    let body = crate::ctx::render(&p);
    ctx.v.respond((status, body))
}
