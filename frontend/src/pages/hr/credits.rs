//! Credits: the balance, Stripe Checkout (through a link page), or grants
//! by hand without payments.

use askama::Template;
use axum::Form;
use axum::http::Method;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};

use super::org_of;
use crate::ctx::{Chrome, Ctx, Hr, Signed, render};

#[derive(Template)]
#[template(path = "hr/credits.html")]
struct CreditsPage {
    c: Chrome,
    balance: i64,
    /// When uses were last counted (in the visitor's zone), if ever.
    counted_to: Option<String>,
    /// The smallest batch of people whose uses are counted together.
    k: i64,
    running_low: bool,
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
        counted_to: balance["uses_counted_to"]
            .as_str()
            .map(|t| l.when_str(t, ctx.v.tz)),
        k: balance["k"].as_i64().unwrap_or(10),
        running_low: balance["running_low"].as_bool().unwrap_or(false),
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
