//! The organisational report: trends, the cohort table with reasons, CSV,
//! the printable view, "you said, we did".

use askama::Template;
use axum::Form;
use axum::extract::Query;
use axum::http::{Method, header};
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};

use super::org_of;
use crate::charts::{Series, trends};
use crate::ctx::{Chrome, Hr, Signed};

/// One cell of the cohort table.
pub struct CellView {
    count: Option<i64>,
    why: String,
}

#[derive(Template)]
#[template(path = "hr/report.html")]
struct ReportPage {
    c: Chrome,
    k: i64,
    by: String,
    quarter: String,
    released: Vec<String>,
    pending: Vec<String>,
    chart: String,
    groups: Vec<String>,
    table: Vec<(String, String, Vec<CellView>)>,
    reasons: Vec<(String, String)>,
    responses: Vec<(String, String, String)>,
    answerable: Vec<(String, String)>,
    print: bool,
}

/// `?by=&quarter=&print=`.
#[derive(Deserialize)]
pub struct ReportQuery {
    by: Option<String>,
    quarter: Option<String>,
    print: Option<u8>,
}

fn group_label(l: crate::i18n::Lang, g: &str) -> String {
    match g {
        "all" => l.t("全体", "Everyone").to_owned(),
        "under_30" => l.t("30歳未満", "Under 30").to_owned(),
        "30s" => l.t("30代", "30s").to_owned(),
        "40s" => l.t("40代", "40s").to_owned(),
        "50s" => l.t("50代", "50s").to_owned(),
        "60_plus" => l.t("60歳以上", "60 and over").to_owned(),
        other => other.to_owned(),
    }
}

/// The organisational report.
pub async fn report(signed: Signed<Hr>, Query(q): Query<ReportQuery>) -> Response {
    let mut ctx = signed.ctx;
    let l = ctx.l();
    let org = org_of(&ctx);
    let by = match q.by.as_deref() {
        Some(b @ ("department" | "age_band")) => b.to_owned(),
        _ => "none".to_owned(),
    };
    // Names the report does not give (a response to a theme no longer in
    // the quarters shown) come from the taxonomy as it is now.
    let themes: Value = ctx.get("/api/v1/themes").await.unwrap_or_default();
    // A report names its themes as they were when its last quarter was
    // released: an old quarter keeps the names it was read with.
    let label_in = |report: &Value, code: &str| {
        [&report["labels"], &themes]
            .into_iter()
            .flat_map(|list| list.as_array().into_iter().flatten())
            .find(|t| t["code"] == code)
            .map_or(code.to_owned(), |t| l.label(t).to_owned())
    };
    // The trend: every theme over the released quarters, by=none.
    let overall = ctx
        .call(
            Method::GET,
            &format!("/api/v1/orgs/{org}/reports/themes"),
            None,
        )
        .await;
    if !overall.ok() {
        let f = overall.into();
        return ctx.failed(&f);
    }
    let released: Vec<String> = overall.body["released"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p.as_str().map(str::to_owned))
        .collect();
    let pending: Vec<String> = overall.body["pending"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p.as_str().map(str::to_owned))
        .collect();
    // The report's themes (never the sensitive ones), retired ones included
    // where an old quarter has them.
    let theme_codes: Vec<String> = overall.body["labels"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t["code"].as_str().map(str::to_owned))
        .collect();
    let label = |code: &str| label_in(&overall.body, code);
    let count_of = |report: &Value, theme: &str, period: &str, group: &str| {
        report["rows"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|r| r["theme"] == theme && r["period"] == period && r["group"] == group)
            .and_then(|r| r["count"].as_i64())
    };
    let series: Vec<Series> = theme_codes
        .iter()
        .filter(|t| {
            released
                .iter()
                .any(|p| count_of(&overall.body, t, p, "all").is_some())
        })
        .map(|t| Series {
            label: label(t),
            values: released
                .iter()
                .map(|p| count_of(&overall.body, t, p, "all").and_then(|c| usize::try_from(c).ok()))
                .collect(),
        })
        .collect();
    let chart = trends(
        &released,
        &series,
        l.t(
            "テーマごとの人数の推移（四半期）",
            "People per theme by quarter",
        ),
    );
    // The table: one quarter, by the chosen dimension.
    let quarter = q
        .quarter
        .filter(|x| released.contains(x))
        .or_else(|| released.last().cloned())
        .unwrap_or_default();
    let detail = if by == "none" && released.last() == Some(&quarter) {
        overall.body.clone()
    } else {
        let a = ctx
            .call(
                Method::GET,
                &format!("/api/v1/orgs/{org}/reports/themes?from={quarter}&to={quarter}&by={by}"),
                None,
            )
            .await;
        if a.ok() { a.body } else { json!({}) }
    };
    let mut groups: Vec<String> = Vec::new();
    for list in ["rows", "suppressed"] {
        for cell in detail[list]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|c| c["period"] == quarter.as_str())
        {
            let g = cell["group"].as_str().unwrap_or("").to_owned();
            if !groups.contains(&g) {
                groups.push(g);
            }
        }
    }
    groups.sort();
    let mut reasons: Vec<(String, String)> = Vec::new();
    let table = theme_codes
        .iter()
        .map(|t| {
            let cells = groups
                .iter()
                .map(|g| match count_of(&detail, t, &quarter, g) {
                    Some(n) => CellView {
                        count: Some(n),
                        why: String::new(),
                    },
                    None => {
                        let s = detail["suppressed"]
                            .as_array()
                            .into_iter()
                            .flatten()
                            .find(|c| {
                                c["theme"] == t.as_str()
                                    && c["period"] == quarter.as_str()
                                    && c["group"] == g.as_str()
                            });
                        let code = s
                            .and_then(|s| s["reason"].as_str())
                            .unwrap_or("fewer_than_k")
                            .to_owned();
                        let why = hidden_because(l, &code).to_owned();
                        if !reasons.iter().any(|(c, _)| *c == code) {
                            reasons.push((code, why.clone()));
                        }
                        CellView { count: None, why }
                    }
                })
                .collect();
            (t.clone(), label_in(&detail, t), cells)
        })
        .collect();
    let responses: Value = ctx
        .get(&format!("/api/v1/orgs/{org}/responses"))
        .await
        .unwrap_or_default();
    // HR can answer only themes released for the whole org that quarter.
    let answerable: Vec<(String, String)> = theme_codes
        .iter()
        .filter(|t| count_of(&overall.body, t, &quarter, "all").is_some())
        .map(|t| (t.clone(), label(t)))
        .collect();
    let p = ReportPage {
        c: ctx.chrome(l.t("組織レポート", "Organisational report")),
        k: overall.body["k"].as_i64().unwrap_or(10),
        by,
        quarter,
        released,
        pending,
        chart,
        groups: groups.iter().map(|g| group_label(l, g)).collect(),
        table,
        reasons,
        responses: responses["items"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|r| {
                (
                    label(r["theme"].as_str().unwrap_or("")),
                    r["period"].as_str().unwrap_or("").to_owned(),
                    r["message"].as_str().unwrap_or("").to_owned(),
                )
            })
            .collect(),
        answerable,
        print: q.print == Some(1),
    };
    ctx.page(&p)
}

/// The report as CSV (the export is audited by reporting).
pub async fn report_csv(signed: Signed<Hr>, Query(q): Query<ReportQuery>) -> Response {
    let mut ctx = signed.ctx;
    let org = org_of(&ctx);
    let by =
        q.by.as_deref()
            .filter(|b| matches!(*b, "department" | "age_band"))
            .unwrap_or("none");
    let answer = ctx
        .call(
            Method::GET,
            &format!(
                "/api/v1/orgs/{org}/reports/themes.csv?by={by}&lang={}",
                ctx.l().code()
            ),
            None,
        )
        .await;
    if !answer.ok() {
        let f = answer.into();
        return ctx.failed(&f);
    }
    ctx.v.respond((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"taiwa-report.csv\"",
            ),
        ],
        answer.text,
    ))
}

/// A "you said, we did" response.
#[derive(Deserialize)]
pub struct RespondForm {
    #[serde(default)]
    csrf: String,
    theme: String,
    period: String,
    message: String,
}

/// Publishes a response to a released theme.
pub async fn respond(signed: Signed<Hr>, Form(form): Form<RespondForm>) -> Response {
    let mut ctx = signed.ctx;
    if let Some(r) = ctx.csrf_refusal(&form.csrf) {
        return r;
    }
    let org = org_of(&ctx);
    ctx.act(
        Method::POST,
        &format!("/api/v1/orgs/{org}/responses"),
        Some(&json!({"theme": form.theme, "period": form.period, "message": form.message})),
        "/hr/report#responses",
    )
    .await
}

/// Why a cell is hidden (`fewer_than_k`, `homogeneous`, `complementary`),
/// in the page language.
pub(crate) fn hidden_because(l: crate::i18n::Lang, code: &str) -> &'static str {
    match code {
        "homogeneous" => l.t(
            "ほぼ全員が同じため非表示",
            "Hidden: nearly everyone raised it",
        ),
        "complementary" => l.t(
            "引き算で推測できるため非表示",
            "Hidden: it could be worked out by subtraction",
        ),
        _ => l.t("人数が少ないため非表示", "Hidden: too few people"),
    }
}
