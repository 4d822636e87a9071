//! The web session and CSRF over HTTP: cookie flags, forms refused without
//! the visitor's token, sign-in and sign-out through the forms.

use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use taiwa_tests::{Backend, FIXTURE_PASSWORD, TestApp, on_both_backends};

on_both_backends!(forms_need_the_visitors_csrf_token_and_cookies_are_guarded);
on_both_backends!(an_unknown_address_is_a_page_for_browsers_and_json_for_clients);
on_both_backends!(the_slot_picker_reaches_the_whole_horizon);

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

    // Other errors without a page of their own are pages too, in the
    // visitor's language, with their status: a method the address does not
    // take, a body too large, a form or query that cannot be read.
    let employee = format!("taiwa_lang=ja; taiwa_access={token}");
    // (method, path, content type, body, status, the page's title)
    type Case = (
        reqwest::Method,
        &'static str,
        &'static str,
        Vec<u8>,
        StatusCode,
        &'static str,
    );
    let cases: [Case; 4] = [
        (
            reqwest::Method::DELETE,
            "/login",
            "application/x-www-form-urlencoded",
            Vec::new(),
            StatusCode::METHOD_NOT_ALLOWED,
            "この操作はできません",
        ),
        (
            reqwest::Method::POST,
            "/login",
            "application/x-www-form-urlencoded",
            vec![b'x'; 3 * 1024 * 1024],
            StatusCode::PAYLOAD_TOO_LARGE,
            "送信内容が大きすぎます",
        ),
        (
            reqwest::Method::POST,
            "/login",
            "text/plain",
            b"email=a".to_vec(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "内容を読み取れませんでした",
        ),
        (
            reqwest::Method::GET,
            "/matches?page=first",
            "",
            Vec::new(),
            StatusCode::BAD_REQUEST,
            "内容を読み取れませんでした",
        ),
    ];
    for (method, path, content_type, body, status, title) in cases {
        let mut request = app
            .http
            .request(method.clone(), format!("{}{path}", app.base))
            .header("Accept", browser)
            .header(COOKIE, &employee);
        if !content_type.is_empty() {
            request = request.header("Content-Type", content_type);
        }
        let answer = request.body(body).send().await.expect("answer");
        assert_eq!(answer.status(), status, "{method} {path}");
        let kind = answer.headers()["content-type"]
            .to_str()
            .expect("type")
            .to_owned();
        assert!(kind.starts_with("text/html"), "{method} {path}: {kind}");
        let html = answer.text().await.expect("html");
        assert!(html.contains(title), "{method} {path}: {html}");
        assert!(
            html.contains("href=\"/matches\""),
            "the visitor's navigation: {html}"
        );
        for code in [
            "method_not_allowed",
            "payload_too_large",
            "bad_request",
            "Failed to",
        ] {
            assert!(
                !html.contains(code),
                "{method} {path}: no code or raw rejection: {html}"
            );
        }
    }
}

/// `href`s of the links with `marker` right after the `href` attribute.
fn links_before(html: &str, marker: &str) -> Vec<String> {
    html.match_indices("href=\"")
        .filter_map(|(i, _)| {
            let rest = &html[i + 6..];
            let end = rest.find('"')?;
            rest[end..]
                .starts_with(marker)
                .then(|| rest[..end].replace("&#38;", "&"))
        })
        .collect()
}

/// The profile's slot picker: the length first, a month calendar in the
/// viewer's zone with each time's zone, month by month to the end of the
/// consultant's horizon (60 days here, far beyond the two weeks it used to
/// show); whatever month, day or length is asked for, a page, never an
/// error.
async fn the_slot_picker_reaches_the_whole_horizon(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixtures.clone();
    let consultant = app.token(&f.consultant).await;
    let every_day: Vec<serde_json::Value> = (1..=7)
        .map(|d| serde_json::json!({"weekday": d, "start": "09:00", "end": "17:00"}))
        .collect();
    let (status, body) = app
        .call("PUT", "/api/v1/consultants/me/availability", Some(&consultant), Some(serde_json::json!({
            "timezone": "Asia/Tokyo", "weekly": every_day, "session_minutes": [45, 60], "buffer_minutes": 0,
            "min_notice_minutes": 60, "horizon_days": 60, "max_per_day": 0
        })))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let profile = serde_json::json!({
        "display_name": "予約 相談員", "headline": "一緒に考えます", "qualification": "national_career_consultant",
        "registration_number": "16000001", "specialties": ["skills"], "languages": ["ja"], "years_experience": 3,
        "region": "kanto", "session_formats": ["video"], "accepting_clients": true
    });
    let (status, body) = app
        .call(
            "PUT",
            "/api/v1/consultants/me/profile",
            Some(&consultant),
            Some(profile),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let operator = app.token(&f.operator).await;
    let approval = format!("/api/v1/consultants/{}/approval", f.consultant.id);
    let (status, body) = app
        .post(
            &approval,
            Some(&operator),
            serde_json::json!({"status": "approved"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let employee = app.token(&f.employee_a).await;
    // The approval reaches booking through the outbox.
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    let slots = format!("/api/v1/consultants/{}/slots", f.consultant.id);
    while app.get(&slots, Some(&employee)).await.0 != StatusCode::OK {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the consultant never became bookable"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let jar = format!("taiwa_access={employee}; taiwa_lang=en; taiwa_tz=Asia%2FTokyo");
    let page = |path: String| {
        let request = app
            .http
            .get(format!("{}{path}", app.base))
            .header(COOKIE, &jar);
        async move {
            let answer = request.send().await.expect("page");
            let status = answer.status();
            (status, answer.text().await.expect("html"))
        }
    };
    let profile = format!("/consultants/{}", f.consultant.id);
    let (status, html) = page(profile.clone()).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("<table class=\"calendar\">"), "{html}");
    assert!(
        html.contains("?duration=45&#38;month=") && html.contains("?duration=60&#38;month="),
        "both lengths offered: {html}"
    );
    assert!(html.contains("aria-current=\"date\""), "a day is chosen");
    assert!(
        html.contains("name=\"starts_at\"") && html.contains("<small>JST</small>"),
        "times with their zone"
    );
    // Month after month to the end of the horizon.
    let mut html = html;
    let mut months = 1;
    while let Some(next) = links_before(&html, "\" aria-label=\"Next month\"")
        .first()
        .cloned()
    {
        let (status, next_page) = page(next).await;
        assert_eq!(status, StatusCode::OK);
        html = next_page;
        months += 1;
        assert!(months <= 4, "60 days span at most three months");
    }
    assert!(months >= 2, "the horizon reaches into another month");
    let last_day = links_before(&html, "\" aria-label=\"")
        .into_iter()
        .rfind(|h| h.contains("&day="))
        .expect("a day with times");
    let (status, html) = page(last_day).await;
    assert_eq!(status, StatusCode::OK);
    let latest = html
        .rsplit("name=\"starts_at\" value=\"")
        .next()
        .and_then(|rest| rest.split('"').next())
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        .expect("a time on the last day");
    let ahead = latest.with_timezone(&chrono::Utc) - chrono::Utc::now();
    assert!(
        ahead > chrono::Duration::days(58) && ahead <= chrono::Duration::days(60),
        "the last time offered is at the end of the 60-day horizon: {ahead}"
    );
    // Odd requests still get the page.
    for query in [
        "?month=garbage",
        "?month=1999-01",
        "?month=2099-12",
        "?month=2026-13",
        "?day=2026-02-30",
        "?day=x&month=y",
        "?duration=7",
        "?duration=-1",
        "?duration=99999999999",
    ] {
        let (status, html) = page(format!("{profile}{query}")).await;
        assert_eq!(status, StatusCode::OK, "{query}: {html}");
        assert!(html.contains("<table class=\"calendar\">"), "{query}");
    }
    app.stop().await;
}
