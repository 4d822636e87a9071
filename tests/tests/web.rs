//! The web session and CSRF over HTTP: cookie flags, forms refused without
//! the visitor's token, sign-in and sign-out through the forms.

use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use taiwa_tests::{Backend, FIXTURE_PASSWORD, TestApp, on_both_backends};

on_both_backends!(forms_need_the_visitors_csrf_token_and_cookies_are_guarded);
on_both_backends!(an_unknown_address_is_a_page_for_browsers_and_json_for_clients);

/// `name=value` pairs of a response's Set-Cookie headers, with their attributes.
fn set_cookies(response: &reqwest::Response) -> Vec<String> {
    response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_owned))
        .collect()
}

fn value_of(cookies: &[String], name: &str) -> Option<String> {
    cookies.iter().find_map(|c| {
        c.split(';')
            .next()
            .and_then(|kv| kv.strip_prefix(&format!("{name}=")))
            .map(str::to_owned)
    })
}

async fn forms_need_the_visitors_csrf_token_and_cookies_are_guarded(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let form = app
        .http
        .get(format!("{}/login", app.base))
        .send()
        .await
        .expect("login page");
    let cookies = set_cookies(&form);
    let csrf = value_of(&cookies, "taiwa_csrf").expect("a CSRF cookie");
    // The sign-in page as a visitor's browser gets it (tokens and nonces
    // normalised); a change to its markup shows in review.
    let page = app
        .http
        .get(format!("{}/login", app.base))
        .send()
        .await
        .expect("login page")
        .text()
        .await
        .expect("html");
    insta::assert_snapshot!("login_page_html", taiwa_tests::normalised(&page));
    let flags = cookies
        .iter()
        .find(|c| c.starts_with("taiwa_csrf="))
        .expect("cookie");
    assert!(
        flags.contains("HttpOnly") && flags.contains("SameSite=Strict"),
        "{flags}"
    );
    let email = app.fixtures.employee_a.email.clone();
    let login = |token: &str| {
        http.post(format!("{}/login", app.base))
            .header(COOKIE, format!("taiwa_csrf={csrf}"))
            .form(&[
                ("csrf", token),
                ("email", &email),
                ("password", FIXTURE_PASSWORD),
                ("next", "/"),
            ])
            .send()
    };
    // Without the visitor's token: refused, nobody signed in.
    for forged in ["", "a-token-from-another-site"] {
        let refused = login(forged).await.expect("post");
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
        assert!(value_of(&set_cookies(&refused), "taiwa_session").is_none());
    }
    let signed = login(&csrf).await.expect("post");
    assert_eq!(signed.status(), StatusCode::SEE_OTHER);
    assert_eq!(signed.headers()[LOCATION], "/matches");
    let cookies = set_cookies(&signed);
    for name in ["taiwa_session", "taiwa_access"] {
        let c = cookies
            .iter()
            .find(|c| c.starts_with(&format!("{name}=")))
            .expect(name);
        assert!(
            c.contains("HttpOnly") && c.contains("SameSite=Lax") && c.contains("Max-Age="),
            "{c}"
        );
        assert!(!c.contains("Secure"), "not on plain http: {c}");
    }
    let jar = format!(
        "taiwa_csrf={csrf}; taiwa_session={}; taiwa_access={}",
        value_of(&cookies, "taiwa_session").expect("session"),
        value_of(&cookies, "taiwa_access").expect("access")
    );
    let page = http
        .get(format!("{}/bookings", app.base))
        .header(COOKIE, &jar)
        .send()
        .await
        .expect("page");
    assert_eq!(page.status(), StatusCode::OK);
    // The signed-in employee's bookings page (none yet), and the public page
    // that says what the company learns, as the browser gets them.
    insta::assert_snapshot!(
        "employee_bookings_page_html",
        taiwa_tests::normalised(&page.text().await.expect("html"))
    );
    let privacy = http
        .get(format!("{}/privacy", app.base))
        .send()
        .await
        .expect("page");
    assert_eq!(privacy.status(), StatusCode::OK);
    insta::assert_snapshot!(
        "privacy_page_html",
        taiwa_tests::normalised(&privacy.text().await.expect("html"))
    );
    // A cross-site form to sign out (no token) does nothing; with it, the login ends.
    let logout = |token: String| {
        http.post(format!("{}/logout", app.base))
            .header(COOKIE, &jar)
            .form(&[("csrf", token)])
            .send()
    };
    logout(String::new()).await.expect("logout");
    let still = http
        .get(format!("{}/bookings", app.base))
        .header(COOKIE, &jar)
        .send()
        .await
        .expect("page");
    assert_eq!(
        still.status(),
        StatusCode::OK,
        "a forged sign-out is ignored"
    );
    logout(csrf.clone()).await.expect("logout");
    let refresh_only = format!(
        "taiwa_csrf={csrf}; taiwa_session={}",
        value_of(&cookies, "taiwa_session").expect("s")
    );
    let after = http
        .get(format!("{}/bookings", app.base))
        .header(COOKIE, &refresh_only)
        .send()
        .await
        .expect("page");
    assert_eq!(
        after.status(),
        StatusCode::SEE_OTHER,
        "the login was revoked: back to sign-in"
    );
    assert!(
        after.headers()[LOCATION]
            .to_str()
            .unwrap_or("")
            .starts_with("/login")
    );
    app.stop().await;
}

/// A browser that asks for an address no route serves gets a 404 page in
/// its language; the API's paths, and clients that do not ask for HTML,
/// keep the JSON error of API.md.
async fn an_unknown_address_is_a_page_for_browsers_and_json_for_clients(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    let get = |path: &str, accept: Option<&str>, lang: &str| {
        let mut request = app
            .http
            .get(format!("{}{path}", app.base))
            // The pages' language is the visitor's choice, kept in a cookie.
            .header(COOKIE, format!("taiwa_lang={lang}"));
        if let Some(accept) = accept {
            request = request.header("Accept", accept);
        }
        request.send()
    };
    for (lang, sentence) in [
        ("ja", "このアドレスのページはありません"),
        ("en", "There is no page at this address"),
    ] {
        let page = get("/no/such/page", Some(browser), lang)
            .await
            .expect("page");
        assert_eq!(page.status(), StatusCode::NOT_FOUND);
        let content_type = page.headers()["content-type"]
            .to_str()
            .expect("type")
            .to_owned();
        assert!(content_type.starts_with("text/html"), "{content_type}");
        assert!(page.headers().contains_key("content-security-policy"));
        let html = page.text().await.expect("html");
        assert!(html.contains(sentence), "{lang}: {html}");
        let main = &html[html.find("<main").expect("a main element")..];
        assert!(main.contains("href=\"/\""), "a way back: {html}");
        assert!(!html.contains("not_found"), "no code on the page: {html}");
    }
    // Signed in, the page keeps the visitor's own navigation.
    let token = app.token(&app.fixtures.employee_a).await;
    let signed_in = app
        .http
        .get(format!("{}/no/such/page", app.base))
        .header("Accept", browser)
        .header(COOKIE, format!("taiwa_lang=en; taiwa_access={token}"))
        .send()
        .await
        .expect("page");
    assert_eq!(signed_in.status(), StatusCode::NOT_FOUND);
    let html = signed_in.text().await.expect("html");
    assert!(
        html.contains("href=\"/bookings\"") && html.contains("/logout"),
        "{html}"
    );
    for (path, accept) in [
        ("/api/v1/no-such-route", Some(browser)),
        ("/api", Some(browser)),
        ("/no/such/page", None),
        ("/no/such/page", Some("application/json")),
    ] {
        let answer = get(path, accept, "ja").await.expect("answer");
        assert_eq!(answer.status(), StatusCode::NOT_FOUND, "{path} {accept:?}");
        assert_eq!(
            answer.headers()["vary"],
            "Accept, Cookie",
            "{path} {accept:?}"
        );
        let body: serde_json::Value = answer.json().await.expect("the JSON error");
        assert_eq!(body["error"]["code"], "not_found", "{path} {accept:?}");
    }
}
