//! `/operator/themes`: the theme taxonomy as operators curate it — add a
//! theme, rename one (its earlier names stay with the reports released
//! under them, and are listed), retire or reinstate one — beside the
//! emerging themes (clusters of summaries, as words) that suggest changes
//! and the sensitive counts HR never sees.

use askama::Template;
use axum::Form;
use axum::extract::Query;
use axum::http::Method;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::ctx::{Chrome, Ctx, Operator, Signed};
use crate::session::urlencode;

/// A theme as the table shows it.
pub struct ThemeRow {
    code: String,
    label: String,
    label_ja: String,
    label_en: String,
    sensitive: bool,
    /// When it was retired, in the viewer's zone.
    retired: Option<String>,
    /// Its earlier names, oldest first, each with when it was replaced.
    earlier: Vec<String>,
}

/// What the add form keeps after a refusal.
#[derive(Default, Deserialize)]
pub struct ThemeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    label_ja: String,
    #[serde(default)]
    label_en: String,
    /// `retire` or `reinstate` (the state form).
    #[serde(default)]
    action: String,
}

#[derive(Template)]
#[template(path = "operator/themes.html")]
struct ThemesPage {
    c: Chrome,
    themes: Vec<ThemeRow>,
    clusters: Vec<(String, i64, bool)>,
    sensitive: Vec<(String, String, String)>,
    done: Option<&'static str>,
    error: Option<String>,
    draft: ThemeForm,
}

/// What was done, from the redirect after a change.
#[derive(Deserialize)]
pub struct Done {
    done: Option<String>,
}

/// The taxonomy with its history, emerging themes and sensitive counts.
pub async fn page(signed: Signed<Operator>, Query(q): Query<Done>) -> Response {
    let ctx = signed.ctx;
    let l = ctx.l();
    let done = match q.done.as_deref() {
        Some("added") => Some(l.t("テーマを追加しました。", "The theme was added.")),
        Some("renamed") => Some(l.t(
            "名前を変更しました。公開済みのレポートは元の名前のままです。",
            "Renamed. Reports already released keep the earlier name.",
        )),
        Some("retire") => Some(l.t(
            "廃止しました。新しい記録では選べなくなります。",
            "Retired: it is no longer offered for new records.",
        )),
        Some("reinstate") => Some(l.t("再び使えるようにしました。", "It is offered again.")),
        _ => None,
    };
    show(ctx, done, None, ThemeForm::default()).await
}

async fn show(
    mut ctx: Ctx,
    done: Option<&'static str>,
    error: Option<String>,
    draft: ThemeForm,
) -> Response {
    let l = ctx.l();
    let taxonomy: Value = match ctx.get("/api/v1/operator/themes").await {
        Ok(t) => t,
        Err(f) => return ctx.failed(&f),
    };
    let emerging: Value = ctx
        .get("/api/v1/operator/emerging-themes")
        .await
        .unwrap_or_default();
    let sensitive: Value = ctx
        .get("/api/v1/operator/sensitive-themes")
        .await
        .unwrap_or_default();
    let all = taxonomy["themes"].as_array().cloned().unwrap_or_default();
    let instant = |v: &Value| {
        v.as_str()
            .and_then(|s| s.parse::<chrono::DateTime<chrono::Utc>>().ok())
            .map(|at| l.when(at, ctx.v.tz))
    };
    let mut themes: Vec<ThemeRow> = all
        .iter()
        .map(|t| {
            let versions = t["versions"].as_array().cloned().unwrap_or_default();
            let earlier = versions
                .windows(2)
                .map(|pair| {
                    let until = instant(&pair[1]["valid_from"]).unwrap_or_default();
                    match l {
                        crate::i18n::Lang::Ja => format!("{}（{until}まで）", l.label(&pair[0])),
                        crate::i18n::Lang::En => format!("{} (until {until})", l.label(&pair[0])),
                    }
                })
                .collect();
            let s = |k: &str| t[k].as_str().unwrap_or("").to_owned();
            ThemeRow {
                code: s("code"),
                label: l.label(t).to_owned(),
                label_ja: s("label_ja"),
                label_en: s("label_en"),
                sensitive: t["sensitive"].as_bool().unwrap_or(false),
                retired: instant(&t["retired_at"]),
                earlier,
            }
        })
        .collect();
    // Themes in use first, then the retired ones.
    themes.sort_by_key(|t| t.retired.is_some());
    let label_of = |code: &str| {
        all.iter()
            .find(|t| t["code"] == code)
            .map_or(code.to_owned(), |t| l.label(t).to_owned())
    };
    let p = ThemesPage {
        c: ctx.chrome(l.t("テーマ", "Themes")),
        themes,
        clusters: emerging["clusters"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|c| {
                let terms = c["top_terms"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|t| t.as_str())
                    .collect::<Vec<_>>()
                    .join("・");
                (
                    terms,
                    c["size"].as_i64().unwrap_or(0),
                    c["emerging"].as_bool().unwrap_or(false),
                )
            })
            .collect(),
        sensitive: sensitive["cells"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|c| {
                let code = c["theme"].as_str().unwrap_or("");
                // Besides the sensitive themes, the count of people whose
                // record carries the crisis-path flag.
                let label = if code == "crisis_path" {
                    l.t(
                        "つなぎ先への連絡を勧められた人",
                        "People offered the crisis path",
                    )
                    .to_owned()
                } else {
                    label_of(code)
                };
                (
                    label,
                    c["period"].as_str().unwrap_or("").to_owned(),
                    c["count"].as_i64().map_or_else(
                        || {
                            crate::pages::hr::report::hidden_because(
                                l,
                                c["hidden_because"].as_str().unwrap_or(""),
                            )
                            .to_owned()
                        },
                        |n| n.to_string(),
                    ),
                )
            })
            .collect(),
        done,
        error,
        draft,
    };
    ctx.page(&p)
}

/// Sends a change to the API: back to the page with a notice, or the page
/// with the problem in the page's language (the add form keeps what was
/// typed).
async fn change(
    mut ctx: Ctx,
    method: Method,
    path: &str,
    body: Value,
    done: &str,
    draft: ThemeForm,
) -> Response {
    let answer = ctx.call(method, path, Some(&body)).await;
    if answer.ok() {
        return ctx.redirect(&format!("/operator/themes?done={done}"));
    }
    let l = ctx.l();
    let field = answer.body["error"]["details"]["field"]
        .as_str()
        .unwrap_or("");
    let message = match (answer.code(), field) {
        ("invalid_code", _) => l.t(
            "コードは英小文字で始まる3〜40文字（英小文字・数字・_）にしてください（一部の予約語は使えません）。",
            "A code is 3 to 40 characters of a-z, 0-9 and _, starting with a letter (a few reserved words cannot be used).",
        ),
        ("invalid_label", "label_en") => l.t(
            "英語名は1〜40文字で、制御文字を含めずに入力してください。",
            "Enter an English name of 1 to 40 characters, without control characters.",
        ),
        ("invalid_label", _) => l.t(
            "日本語名は1〜40文字で、制御文字を含めずに入力してください。",
            "Enter a Japanese name of 1 to 40 characters, without control characters.",
        ),
        ("theme_exists", _) => l.t(
            "このコードのテーマはすでにあります（廃止したテーマもコードを使い続けます）。",
            "A theme has this code already (retired themes keep their codes).",
        ),
        ("label_taken", _) => l.t(
            "ほかのテーマが同じ名前を使っています。",
            "Another theme has this name.",
        ),
        ("taxonomy_full", _) => l.t(
            "テーマは60件までです。使わないテーマを廃止するか、名前を変更してください。",
            "The taxonomy holds at most 60 themes: retire or rename one instead.",
        ),
        ("sensitive_theme", _) => l.t(
            "センシティブなテーマは廃止できません（相談窓口への案内と運営向けの集計に使われます）。",
            "A sensitive theme cannot be retired (the crisis path and the operators' counts use it).",
        ),
        ("not_found", _) => l.t("そのテーマはありません。", "There is no such theme."),
        _ => {
            let f = answer.into();
            return ctx.failed(&f);
        }
    };
    show(ctx, None, Some(message.to_owned()), draft).await
}

/// Adds a theme.
pub async fn add(signed: Signed<Operator>, Form(form): Form<ThemeForm>) -> Response {
    let mut ctx = signed.ctx;
    if let Some(r) = ctx.csrf_refusal(&form.csrf) {
        return r;
    }
    let body =
        json!({"code": form.code.trim(), "label_ja": form.label_ja, "label_en": form.label_en});
    change(
        ctx,
        Method::POST,
        "/api/v1/operator/themes",
        body,
        "added",
        form,
    )
    .await
}

/// Renames a theme.
pub async fn rename(signed: Signed<Operator>, Form(form): Form<ThemeForm>) -> Response {
    let mut ctx = signed.ctx;
    if let Some(r) = ctx.csrf_refusal(&form.csrf) {
        return r;
    }
    let path = format!("/api/v1/operator/themes/{}", urlencode(&form.code));
    let body = json!({"label_ja": form.label_ja, "label_en": form.label_en});
    change(
        ctx,
        Method::PUT,
        &path,
        body,
        "renamed",
        ThemeForm::default(),
    )
    .await
}

/// Retires or reinstates a theme.
pub async fn set_state(signed: Signed<Operator>, Form(form): Form<ThemeForm>) -> Response {
    let mut ctx = signed.ctx;
    if let Some(r) = ctx.csrf_refusal(&form.csrf) {
        return r;
    }
    let action = if form.action == "reinstate" {
        "reinstate"
    } else {
        "retire"
    };
    let path = format!("/api/v1/operator/themes/{}/{action}", urlencode(&form.code));
    change(
        ctx,
        Method::POST,
        &path,
        json!({}),
        action,
        ThemeForm::default(),
    )
    .await
}
