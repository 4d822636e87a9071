//! What every page handler starts from: the visitor, who is signed in, the
//! frame around the page ([`Chrome`]) and rendering.

use askama::Template;
use axum::http::{Method, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::WebState;
use crate::api::{Answer, ApiFailure};
use crate::i18n::Lang;
use crate::session::{Me, Visitor};

/// A link of the navigation.
pub struct NavItem {
    /// Where it goes.
    pub href: &'static str,
    /// Its text.
    pub label: &'static str,
    /// Whether it is the page shown.
    pub current: bool,
}

/// The frame of every page: language, who is signed in, navigation, CSRF.
pub struct Chrome {
    /// The page language.
    pub l: Lang,
    /// The page title.
    pub title: String,
    /// Who is signed in.
    pub me: Option<Me>,
    /// The token every form carries.
    pub csrf: String,
    /// The path of this page (for the language switch).
    pub path: String,
    /// Navigation for the role.
    pub nav: Vec<NavItem>,
    /// Whether the dev mailbox exists (embedded default).
    pub dev_mailbox: bool,
}

impl Chrome {
    /// The frame for a visitor.
    pub fn new(v: &Visitor, web: &WebState, me: Option<&Me>, title: &str) -> Self {
        let l = v.lang;
        let current = v.path.split('?').next().unwrap_or("");
        let links: &[(&'static str, &'static str, &'static str)] = match me.map(|m| m.role.as_str())
        {
            Some("employee") => &[
                ("/matches", "おすすめ", "Matches"),
                ("/consultants", "さがす", "Search"),
                ("/bookings", "予約", "Bookings"),
                ("/values", "価値観", "My values"),
                ("/privacy", "会社に伝わること", "What HR sees"),
            ],
            Some("consultant") => &[
                ("/bookings", "予約", "Sessions"),
                ("/consultant/availability", "受付時間", "Availability"),
                ("/consultant/profile", "プロフィール", "Profile"),
            ],
            Some("hr") => &[
                ("/hr/report", "組織レポート", "Report"),
                ("/hr/invitations", "招待", "Invitations"),
                ("/hr/credits", "クレジット", "Credits"),
            ],
            Some("operator") => &[
                ("/operator/consultants", "承認", "Approvals"),
                ("/operator/themes", "テーマ", "Themes"),
            ],
            _ => &[],
        };
        Self {
            l,
            title: title.to_owned(),
            me: me.cloned(),
            csrf: v.csrf.clone(),
            path: v.path.clone(),
            nav: links
                .iter()
                .map(|(href, ja, en)| NavItem {
                    href,
                    label: l.t(ja, en),
                    current: current == *href || current.starts_with(&format!("{href}/")),
                })
                .collect(),
            dev_mailbox: web.dev_mailbox.is_some(),
        }
    }

    /// The path to switch language from this page.
    pub fn switch_href(&self) -> String {
        format!(
            "/lang/{}?back={}",
            self.l.other().code(),
            crate::session::urlencode(&self.path)
        )
    }
}

/// Renders a template as a page.
pub fn render(t: &impl Template) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "rendering a page");
            (StatusCode::INTERNAL_SERVER_ERROR, "page error").into_response()
        }
    }
}

/// A signed-in request.
pub struct Ctx {
    /// The visitor.
    pub v: Visitor,
    /// Who they are.
    pub me: Me,
    /// The pages' state.
    pub web: WebState,
}

/// The page shown for an error.
#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    c: Chrome,
    status: u16,
    message: String,
}

impl Ctx {
    /// The signed-in visitor with one of `roles`, or the response to send
    /// instead (sign in first; 403 for another role).
    pub async fn require(web: &WebState, mut v: Visitor, roles: &[&str]) -> Result<Self, Response> {
        let Some(me) = v.me(&web.api).await else {
            return Err(v.to_login());
        };
        let mut ctx = Self {
            v,
            me,
            web: web.clone(),
        };
        if !roles.is_empty() && !roles.contains(&ctx.me.role.as_str()) {
            let l = ctx.v.lang;
            return Err(ctx.error(
                StatusCode::FORBIDDEN,
                l.t(
                    "このページはあなたの役割では開けません。",
                    "This page is not for your role.",
                ),
            ));
        }
        Ok(ctx)
    }

    /// The frame of a page titled `title`.
    pub fn chrome(&self, title: &str) -> Chrome {
        Chrome::new(&self.v, &self.web, Some(&self.me), title)
    }

    /// The language.
    pub fn l(&self) -> Lang {
        self.v.lang
    }

    /// Calls the API as the signed-in person.
    pub async fn call(&self, method: Method, path: &str, body: Option<&Value>) -> Answer {
        self.web
            .api
            .call(method, path, self.v.token.as_deref(), body, self.v.peer)
            .await
    }

    /// `GET path` as a typed value.
    pub async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, ApiFailure> {
        self.call(Method::GET, path, None).await.parse()
    }

    /// Sends a page with this request's cookies.
    pub fn page(&mut self, t: &impl Template) -> Response {
        let page = render(t);
        self.v.respond(page)
    }

    /// Redirects (303, after a form) with this request's cookies.
    pub fn redirect(&mut self, to: &str) -> Response {
        self.v.respond(Redirect::to(to))
    }

    /// An error page.
    pub fn error(&mut self, status: StatusCode, message: &str) -> Response {
        let page = ErrorPage {
            c: self.chrome(self.l().t("エラー", "Error")),
            status: status.as_u16(),
            message: message.to_owned(),
        };
        let body = render(&page);
        self.v.respond((status, body))
    }

    /// The error page for a failed API call.
    pub fn failed(&mut self, f: &ApiFailure) -> Response {
        let status = if f.status.is_server_error() {
            StatusCode::BAD_GATEWAY
        } else {
            f.status
        };
        self.error(status, &f.message.clone())
    }

    /// The refusal of a form whose CSRF token is not this visitor's
    /// (`None`: the token is theirs).
    pub fn csrf_refusal(&mut self, submitted: &str) -> Option<Response> {
        if self.v.csrf_ok(submitted) {
            return None;
        }
        let l = self.l();
        Some(self.error(
            StatusCode::FORBIDDEN,
            l.t(
                "フォームの有効期限が切れました。ページを開き直してください。",
                "This form has expired. Please open the page again.",
            ),
        ))
    }
}
