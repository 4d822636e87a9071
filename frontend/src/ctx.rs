//! What every page handler starts from: the visitor, who is signed in, the
//! frame around the page ([`Chrome`]) and rendering.

use std::marker::PhantomData;

use askama::Template;
use axum::extract::{FromRef, FromRequestParts};
use axum::http::request::Parts;
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
                ("/hr/support", "相談窓口", "Support contact"),
            ],
            Some("operator") => &[
                ("/operator/consultants", "承認", "Approvals"),
                ("/operator/orgs", "契約企業", "Client orgs"),
                ("/operator/themes", "テーマ", "Themes"),
            ],
            _ => &[],
        };
        let account: &[(&'static str, &'static str, &'static str)] = if me.is_some() {
            &[("/account/mfa", "2段階認証", "Two-step sign-in")]
        } else {
            &[]
        };
        Self {
            l,
            title: title.to_owned(),
            me: me.cloned(),
            csrf: v.csrf.clone(),
            path: v.path.clone(),
            nav: links
                .iter()
                .chain(account)
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

/// Which roles a page is for.
pub trait Roles: Send + Sync + 'static {
    /// The roles allowed.
    const ROLES: &'static [&'static str];
    /// Whether the page opens before an operator has used a second factor
    /// (only the page that sets one up).
    const BEFORE_SECOND_FACTOR: bool = false;
}

macro_rules! roles {
    ($($(#[$doc:meta])* $name:ident = [$($role:literal),+];)+) => {$(
        $(#[$doc])*
        pub struct $name;
        impl Roles for $name {
            const ROLES: &'static [&'static str] = &[$($role),+];
        }
    )+};
}

roles! {
    /// Employees' pages.
    Employee = ["employee"];
    /// Pages for both sides of a session.
    EmployeeOrConsultant = ["employee", "consultant"];
    /// Consultants' pages.
    Consultant = ["consultant"];
    /// HR's pages.
    Hr = ["hr"];
    /// Operators' pages.
    Operator = ["operator"];
}

/// The page that sets up a second factor: every role, and operators before
/// they have one.
pub struct Enrolment;

impl Roles for Enrolment {
    const ROLES: &'static [&'static str] = &["employee", "consultant", "hr", "operator"];
    const BEFORE_SECOND_FACTOR: bool = true;
}

/// A page handler's first argument: the visitor, signed in with one of the
/// roles of `R` — otherwise the request is answered before the handler runs
/// (sign in first, or 403 for another role).
pub struct Signed<R: Roles> {
    /// The signed-in request.
    pub ctx: Ctx,
    role: PhantomData<R>,
}

impl<S, R> FromRequestParts<S> for Signed<R>
where
    S: Send + Sync,
    R: Roles,
    WebState: FromRef<S>,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        let Ok(v) = Visitor::from_request_parts(parts, state).await;
        let web = WebState::from_ref(state);
        let mut ctx = Ctx::require(&web, v, R::ROLES).await?;
        if ctx.me.role == "operator" && !R::BEFORE_SECOND_FACTOR && !ctx.second_factor_used().await
        {
            return Err(ctx.redirect("/account/mfa"));
        }
        Ok(Self {
            ctx,
            role: PhantomData,
        })
    }
}

/// A submitted form by field name, for forms with repeated fields
/// (checkbox groups).
#[derive(serde::Deserialize)]
#[serde(transparent)]
pub struct Fields(Vec<(String, String)>);

impl Fields {
    /// The first value of `name`, trimmed (`""` when absent).
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.trim())
    }

    /// Every value of `name`.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, v)| v.as_str())
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
pub(crate) struct ErrorPage {
    pub(crate) c: Chrome,
    pub(crate) status: u16,
    pub(crate) message: String,
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

    /// Whether this login was made with a one-time code.
    pub async fn second_factor_used(&self) -> bool {
        #[derive(serde::Deserialize)]
        struct Status {
            this_login: bool,
        }
        self.get::<Status>("/api/v1/me/mfa")
            .await
            .is_ok_and(|s| s.this_login)
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

    /// Does what a form asks through the API, then goes to `then`; the
    /// API's reason on an error page if it refuses.
    pub async fn act(
        &mut self,
        method: Method,
        path: &str,
        body: Option<&Value>,
        then: &str,
    ) -> Response {
        let answer = self.call(method, path, body).await;
        if !answer.ok() {
            let f = answer.into();
            return self.failed(&f);
        }
        self.redirect(then)
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
