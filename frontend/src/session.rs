//! The visitor of a page: language, time zone, CSRF token and web session,
//! all from cookies.
//!
//! The web session is the refresh token in an HttpOnly, SameSite=Lax cookie
//! (Secure when Taiwa's public URL is https), with the short-lived access
//! token beside it in a cookie that expires with the token; when it has
//! expired the refresh token is exchanged once for new ones. Every form
//! carries a CSRF token that must equal the one in a SameSite=Strict,
//! HttpOnly cookie (double submit; a cross-site form can neither read nor
//! send it).

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRef, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, header};
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono_tz::Tz;
use serde::Deserialize;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::WebState;
use crate::api::Api;
use crate::i18n::Lang;

const ACCESS: &str = "taiwa_access";
const REFRESH: &str = "taiwa_session";
const CSRF: &str = "taiwa_csrf";
const LANG: &str = "taiwa_lang";
const TZ: &str = "taiwa_tz";

/// Who is signed in, from `GET /api/v1/me`.
#[derive(Clone, Debug, Deserialize)]
pub struct Me {
    /// User id.
    pub id: String,
    /// Email.
    pub email: String,
    /// `employee`, `consultant`, `hr` or `operator`.
    pub role: String,
    /// Their org, if any.
    pub org_id: Option<String>,
    /// Name shown.
    pub display_name: String,
}

/// Tokens from login, refresh or an accepted invitation.
#[derive(Deserialize)]
pub struct Tokens {
    access_token: String,
    expires_in: i64,
    refresh_token: String,
    refresh_expires_in: i64,
}

/// The visitor of one request.
pub struct Visitor {
    /// Language of the pages.
    pub lang: Lang,
    /// Time zone times are shown in.
    pub tz: Tz,
    /// The CSRF token forms carry.
    pub csrf: String,
    /// The access token, once signed in.
    pub token: Option<String>,
    refresh: Option<String>,
    secure: bool,
    set_cookies: Vec<String>,
    /// The client's address (login throttling).
    pub peer: Option<SocketAddr>,
    /// The path asked for (to come back after signing in).
    pub path: String,
    jar: Vec<(String, String)>,
}

fn cookies(parts: &Parts) -> Vec<(String, String)> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| {
            let (k, v) = c.trim().split_once('=')?;
            Some((k.to_owned(), v.to_owned()))
        })
        .collect()
}

/// A random token for CSRF.
fn random_token() -> String {
    let bytes: [u8; 24] = rand::random();
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Compares two tokens in time that does not depend on where they differ.
fn same(a: &str, b: &str) -> bool {
    Sha256::digest(a.as_bytes()) == Sha256::digest(b.as_bytes())
}

impl<S> FromRequestParts<S> for Visitor
where
    S: Send + Sync,
    WebState: FromRef<S>,
{
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let web = WebState::from_ref(state);
        let jar = cookies(parts);
        let get = |name: &str| {
            jar.iter()
                .find(|(k, v)| k == name && !v.is_empty())
                .map(|(_, v)| v.clone())
        };
        let mut visitor = Self {
            lang: Lang::parse(get(LANG).as_deref()),
            tz: get(TZ)
                .and_then(|t| t.replace("%2F", "/").parse().ok())
                .unwrap_or(chrono_tz::Asia::Tokyo),
            csrf: String::new(),
            token: get(ACCESS),
            refresh: get(REFRESH),
            secure: web.secure_cookies,
            set_cookies: Vec::new(),
            peer: parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(p)| *p),
            path: parts
                .uri
                .path_and_query()
                .map_or_else(|| "/".to_owned(), |p| p.as_str().to_owned()),
            jar: jar.clone(),
        };
        visitor.csrf = match get(CSRF) {
            Some(t) => t,
            None => {
                let t = random_token();
                visitor.cookie(CSRF, &t, Some(12 * 3600), "Strict");
                t
            }
        };
        Ok(visitor)
    }
}

impl Visitor {
    fn cookie(&mut self, name: &str, value: &str, max_age: Option<i64>, same_site: &str) {
        let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite={same_site}");
        if let Some(age) = max_age {
            c.push_str(&format!("; Max-Age={age}"));
        }
        if self.secure {
            c.push_str("; Secure");
        }
        self.set_cookies.push(c);
    }

    /// A cookie's value (for a page's own small state, such as a draft).
    pub fn cookie_value(&self, name: &str) -> Option<&str> {
        self.jar
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Keeps a page's small state in a cookie (`max_age` 0 removes it);
    /// `value` must be cookie-safe (letters, digits, `-_.`).
    pub fn remember(&mut self, name: &str, value: &str, max_age: i64) {
        self.cookie(name, value, Some(max_age), "Lax");
    }

    /// Remembers a language.
    pub fn set_lang(&mut self, lang: Lang) {
        self.lang = lang;
        self.cookie(LANG, lang.code(), Some(365 * 24 * 3600), "Lax");
    }

    /// Remembers a time zone.
    pub fn set_tz(&mut self, tz: Tz) {
        self.tz = tz;
        let name = tz.name().replace('/', "%2F");
        self.cookie(TZ, &name, Some(365 * 24 * 3600), "Lax");
    }

    /// Whether a submitted form's CSRF token is this visitor's.
    pub fn csrf_ok(&self, submitted: &str) -> bool {
        !submitted.is_empty() && same(submitted, &self.csrf)
    }

    /// Starts a web session from fresh tokens.
    pub fn sign_in(&mut self, tokens: &Tokens) {
        self.token = Some(tokens.access_token.clone());
        self.refresh = Some(tokens.refresh_token.clone());
        let access = tokens.access_token.clone();
        let refresh = tokens.refresh_token.clone();
        self.cookie(
            ACCESS,
            &access,
            Some((tokens.expires_in - 30).max(1)),
            "Lax",
        );
        self.cookie(
            REFRESH,
            &refresh,
            Some(tokens.refresh_expires_in.max(1)),
            "Lax",
        );
    }

    /// Ends the web session (and revokes the login).
    pub async fn sign_out(&mut self, api: &Api) {
        if let Some(refresh) = self.refresh.take() {
            let body = json!({ "refresh_token": refresh });
            api.call(
                Method::POST,
                "/api/v1/auth/logout",
                None,
                Some(&body),
                self.peer,
            )
            .await;
        }
        self.token = None;
        self.cookie(ACCESS, "", Some(0), "Lax");
        self.cookie(REFRESH, "", Some(0), "Lax");
    }

    /// Who is signed in: with the access token, or after one refresh;
    /// `None` when nobody is (the session cookies are then cleared).
    pub async fn me(&mut self, api: &Api) -> Option<Me> {
        if let Some(token) = self.token.clone() {
            let answer = api
                .call(Method::GET, "/api/v1/me", Some(&token), None, None)
                .await;
            if answer.ok() {
                return answer.parse().ok();
            }
        }
        let refresh = self.refresh.clone()?;
        let body = json!({ "refresh_token": refresh });
        let answer = api
            .call(
                Method::POST,
                "/api/v1/auth/refresh",
                None,
                Some(&body),
                self.peer,
            )
            .await;
        match answer.parse::<Tokens>() {
            Ok(tokens) => {
                self.sign_in(&tokens);
                let me = api
                    .call(Method::GET, "/api/v1/me", self.token.as_deref(), None, None)
                    .await;
                me.parse().ok()
            }
            Err(_) => {
                self.token = None;
                self.refresh = None;
                self.cookie(ACCESS, "", Some(0), "Lax");
                self.cookie(REFRESH, "", Some(0), "Lax");
                None
            }
        }
    }

    /// Where to send a visitor who must sign in first.
    pub fn to_login(&mut self) -> Response {
        let next = urlencode(&self.path);
        let path = format!("/login?next={next}");
        self.respond(Redirect::to(&path))
    }

    /// A response with the cookies this request set.
    pub fn respond(&mut self, response: impl IntoResponse) -> Response {
        let mut response = response.into_response();
        for c in std::mem::take(&mut self.set_cookies) {
            if let Ok(v) = HeaderValue::from_str(&c) {
                response.headers_mut().append(header::SET_COOKIE, v);
            }
        }
        response
    }
}

/// Percent-encodes a query value.
pub fn urlencode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char);
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A local path to come back to (never another site); anything else is `/`.
///
/// Browsers drop tabs and newlines from a `Location` and read `\\` as `/`, so
/// `/\t/evil.example` would be followed as `//evil.example`, another site.
/// A path is kept only if it starts with one `/` not followed by `/` or `\\`
/// and holds no control character, whitespace or backslash anywhere: such a
/// path resolves against the public origin to a URL on that origin.
pub fn local_path(next: Option<&str>) -> String {
    match next {
        Some(p) if is_local_path(p) => p.to_owned(),
        _ => "/".to_owned(),
    }
}

fn is_local_path(p: &str) -> bool {
    let mut chars = p.chars();
    chars.next() == Some('/')
        && !matches!(chars.next(), Some('/' | '\\'))
        && p.len() <= 2048
        && !p
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
}

#[cfg(test)]
mod local_paths {
    use super::local_path;

    #[test]
    fn only_paths_on_this_site_are_kept() {
        for kept in [
            "/",
            "/bookings",
            "/consultants/1?tz=Asia%2FTokyo#slots",
            "/a//b",
        ] {
            assert_eq!(local_path(Some(kept)), kept);
        }
        for refused in [
            "//evil.example/x",
            "/\\evil.example/x",
            "/\t/evil.example/x",
            "/\n/evil.example",
            "\t//evil.example",
            " //evil.example",
            "/ /evil.example",
            "/\u{0}/evil.example",
            "https://evil.example/",
            "javascript:alert(1)",
            "evil.example",
            "",
        ] {
            assert_eq!(local_path(Some(refused)), "/", "{refused:?}");
        }
        assert_eq!(local_path(None), "/");
    }
}
