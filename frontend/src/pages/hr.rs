//! HR's pages: the organisational report (trend chart, cohort table with
//! the reason each hidden cell is hidden, CSV, a printable view, "you said,
//! we did"), invitations from a CSV with a preview, and credits.

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Multipart, Query};
use axum::http::{Method, StatusCode, header};
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::WebState;
use crate::charts::{Series, trends};
use crate::ctx::{Chrome, Ctx, Hr, Signed, render};
use crate::session::urlencode;

/// The routes.
pub fn router() -> Router<WebState> {
    Router::new()
        .route("/hr/report", get(report))
        .route("/hr/report.csv", get(report_csv))
        .route("/hr/responses", post(respond))
        .route("/hr/invitations", get(invitations).post(upload))
        .route("/hr/invitations/send", post(send_invitations))
        .route("/hr/credits", get(credits).post(buy))
}

fn org_of(ctx: &Ctx) -> String {
    urlencode(ctx.me.org_id.as_deref().unwrap_or(""))
}

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
    let themes: Value = ctx.get("/api/v1/themes").await.unwrap_or_default();
    let label = |code: &str| {
        themes
            .as_array()
            .into_iter()
            .flatten()
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
    let theme_codes: Vec<String> = themes
        .as_array()
        .into_iter()
        .flatten()
        .filter(|t| !t["sensitive"].as_bool().unwrap_or(false))
        .filter_map(|t| t["code"].as_str().map(str::to_owned))
        .collect();
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
    let detail = if by == "none" {
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
                        let why = match code.as_str() {
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
                        .to_owned();
                        if !reasons.iter().any(|(c, _)| *c == code) {
                            reasons.push((code, why.clone()));
                        }
                        CellView { count: None, why }
                    }
                })
                .collect();
            (t.clone(), label(t), cells)
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
            &format!("/api/v1/orgs/{org}/reports/themes.csv?by={by}"),
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

#[derive(Template)]
#[template(path = "hr/invitations.html")]
struct InvitationsPage {
    c: Chrome,
    preview: Vec<(usize, String, String, String, String)>,
    csv: String,
    sent: Vec<(String, String)>,
    list: Vec<(String, String, String)>,
    error: Option<String>,
}

async fn invitations_page(
    ctx: &Ctx,
    preview: Vec<(usize, String, String, String, String)>,
    csv: String,
    sent: Vec<(String, String)>,
    error: Option<String>,
) -> InvitationsPage {
    let l = ctx.l();
    let org = org_of(ctx);
    let list: Value = ctx
        .get(&format!("/api/v1/orgs/{org}/invitations"))
        .await
        .unwrap_or_default();
    InvitationsPage {
        c: ctx.chrome(l.t("社員の招待", "Invite employees")),
        preview,
        csv,
        sent,
        list: list["items"]
            .as_array()
            .into_iter()
            .flatten()
            .take(100)
            .map(|i| {
                (
                    i["email"].as_str().unwrap_or("").to_owned(),
                    i["status"].as_str().unwrap_or("").to_owned(),
                    l.when_str(i["expires_at"].as_str().unwrap_or(""), ctx.v.tz),
                )
            })
            .collect(),
        error,
    }
}

/// The invitations page.
pub async fn invitations(signed: Signed<Hr>) -> Response {
    let mut ctx = signed.ctx;
    let p = invitations_page(&ctx, Vec::new(), String::new(), Vec::new(), None).await;
    ctx.page(&p)
}

/// Rows of a CSV as the preview shows them: line, email, department, age band.
fn preview_rows(csv: &str) -> Vec<(usize, String, String, String, String)> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map(|h| h.iter().map(|s| s.trim().to_lowercase()).collect())
        .unwrap_or_default();
    let col = |names: &[&str]| headers.iter().position(|h| names.contains(&h.as_str()));
    let (email, dept, age) = (
        col(&["email", "メール", "メールアドレス"]),
        col(&["department", "部署"]),
        col(&["age_band", "年代"]),
    );
    reader
        .records()
        .enumerate()
        .map(|(i, r)| {
            let r = r.unwrap_or_default();
            let get = |c: Option<usize>| c.and_then(|c| r.get(c)).unwrap_or("").trim().to_owned();
            (i + 2, get(email), get(dept), get(age), String::new())
        })
        .collect()
}

/// Step 1: the uploaded CSV, shown before anything is sent.
pub async fn upload(signed: Signed<Hr>, mut multipart: Multipart) -> Response {
    let mut ctx = signed.ctx;
    let l = ctx.l();
    let (mut csrf, mut csv) = (String::new(), String::new());
    while let Ok(Some(field)) = multipart.next_field().await {
        let name = field.name().unwrap_or("").to_owned();
        let bytes = field.bytes().await.unwrap_or_default();
        match name.as_str() {
            "csrf" => csrf = String::from_utf8_lossy(&bytes).into_owned(),
            "file" => csv = String::from_utf8_lossy(&bytes).into_owned(),
            _ => {}
        }
    }
    if let Some(r) = ctx.csrf_refusal(&csrf) {
        return r;
    }
    let preview = preview_rows(&csv);
    let error = preview.is_empty().then(|| {
        l.t(
            "CSVに行がありません（1行目は見出し：email, department, age_band）。",
            "The CSV has no rows (first line: email, department, age_band).",
        )
        .to_owned()
    });
    let p = invitations_page(&ctx, preview, csv, Vec::new(), error).await;
    ctx.page(&p)
}

/// Step 2 fields.
#[derive(Deserialize)]
pub struct SendForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    csv: String,
}

/// Step 2: sends the invitations (all or nothing; per-row errors shown).
pub async fn send_invitations(signed: Signed<Hr>, Form(form): Form<SendForm>) -> Response {
    let mut ctx = signed.ctx;
    if let Some(r) = ctx.csrf_refusal(&form.csrf) {
        return r;
    }
    let org = org_of(&ctx);
    let answer = ctx
        .web
        .api
        .send(
            Method::POST,
            &format!("/api/v1/orgs/{org}/invitations"),
            ctx.v.token.as_deref(),
            "text/csv",
            form.csv.clone().into_bytes(),
            ctx.v.peer,
        )
        .await;
    if answer.ok() {
        let sent = answer.body["invited"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|i| {
                (
                    i["email"].as_str().unwrap_or("").to_owned(),
                    ctx.l().t("送信しました", "Invited").to_owned(),
                )
            })
            .chain(
                answer.body["skipped"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|i| {
                        (
                            i["email"].as_str().unwrap_or("").to_owned(),
                            i["reason"].as_str().unwrap_or("").to_owned(),
                        )
                    }),
            )
            .collect();
        let p = invitations_page(&ctx, Vec::new(), String::new(), sent, None).await;
        return ctx.page(&p);
    }
    // Per-row problems from the API's details, beside each row.
    let mut preview = preview_rows(&form.csv);
    for d in answer.body["error"]["details"]["rows"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let line = d["row"].as_u64().unwrap_or(0) as usize;
        let problem = d["message"].as_str().unwrap_or("").to_owned();
        if let Some(row) = preview.iter_mut().find(|r| r.0 == line) {
            row.4 = problem;
        }
    }
    let p = invitations_page(&ctx, preview, form.csv, Vec::new(), Some(answer.message())).await;
    let page = render(&p);
    ctx.v.respond((StatusCode::UNPROCESSABLE_ENTITY, page))
}

#[derive(Template)]
#[template(path = "hr/credits.html")]
struct CreditsPage {
    c: Chrome,
    balance: i64,
    packs: Vec<(String, String, i64, i64)>,
    payments: bool,
    error: Option<String>,
}

/// Balance and packs.
pub async fn credits(signed: Signed<Hr>) -> Response {
    let mut ctx = signed.ctx;
    let p = credits_page(&ctx, None).await;
    ctx.page(&p)
}

async fn credits_page(ctx: &Ctx, error: Option<String>) -> CreditsPage {
    let l = ctx.l();
    let org = org_of(ctx);
    let balance: Value = ctx
        .get(&format!("/api/v1/orgs/{org}/credits"))
        .await
        .unwrap_or_default();
    let catalogue: Value = ctx.get("/api/v1/billing/packs").await.unwrap_or_default();
    CreditsPage {
        c: ctx.chrome(l.t("セッションクレジット", "Session credits")),
        balance: balance["balance"].as_i64().unwrap_or(0),
        packs: catalogue["packs"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| {
                (
                    p["pack"].as_str().unwrap_or("").to_owned(),
                    l.label(p).to_owned(),
                    p["credits"].as_i64().unwrap_or(0),
                    p["price_jpy"].as_i64().unwrap_or(0),
                )
            })
            .collect(),
        payments: catalogue["payments_enabled"].as_bool().unwrap_or(false),
        error,
    }
}

#[derive(Template)]
#[template(path = "hr/checkout.html")]
struct CheckoutPage {
    c: Chrome,
    url: String,
}

/// The buy or grant form.
#[derive(Deserialize)]
pub struct BuyForm {
    #[serde(default)]
    csrf: String,
    pack: Option<String>,
    amount: Option<i64>,
}

/// Buys a pack through Stripe Checkout (a redirect to Stripe), or — without
/// payments (the embedded default) — grants credits by hand.
pub async fn buy(signed: Signed<Hr>, Form(form): Form<BuyForm>) -> Response {
    let mut ctx = signed.ctx;
    if let Some(r) = ctx.csrf_refusal(&form.csrf) {
        return r;
    }
    let org = org_of(&ctx);
    let answer = match (&form.pack, form.amount) {
        (Some(pack), _) => {
            ctx.call(
                Method::POST,
                &format!("/api/v1/orgs/{org}/billing/checkout"),
                Some(&json!({"pack": pack})),
            )
            .await
        }
        (None, Some(amount)) => {
            ctx.call(
                Method::POST,
                &format!("/api/v1/orgs/{org}/credits/grants"),
                Some(&json!({"amount": amount, "note": "granted on the HR page"})),
            )
            .await
        }
        (None, None) => return ctx.redirect("/hr/credits"),
    };
    if !answer.ok() {
        let p = credits_page(&ctx, Some(answer.message())).await;
        let page = render(&p);
        return ctx.v.respond((answer.status, page));
    }
    match answer.body["checkout_url"].as_str() {
        // A link, not a redirect: the CSP's form-action keeps form posts on
        // Taiwa, and Stripe's page is another site the person chooses to open.
        Some(url) if url.starts_with("https://") || url.starts_with("http://") => {
            let p = CheckoutPage {
                c: ctx.chrome(ctx.l().t("お支払いへ", "To payment")),
                url: url.to_owned(),
            };
            ctx.page(&p)
        }
        _ => ctx.redirect("/hr/credits"),
    }
}
