use rocket::http::{ContentType, Cookie, Header, Status};

use crate::common::{PASSWORD, TestApp, form_body, post_raw, send, token_of};
use recours::domain::account::Role;

const CSP: &str = "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

#[test]
fn every_response_carries_the_security_headers() {
    let app = TestApp::new();
    let style = app.get("/").body;
    let css = crate::common::after(&style, "href=\"/static/");
    let answers = [
        app.get("/"),
        app.get("/no/such/page"),
        app.get("/healthz"),
        app.get(&format!("/static/{css}")),
        app.get("/account"),
        post_raw(&app.client, "/register", "email=x"),
    ];
    for res in answers {
        assert_eq!(
            res.header("Content-Security-Policy"),
            Some(CSP),
            "{:?}",
            res.status
        );
        assert_eq!(res.header("X-Content-Type-Options"), Some("nosniff"));
        assert_eq!(res.header("Referrer-Policy"), Some("same-origin"));
    }
}

#[test]
fn pages_have_no_inline_script_or_style() {
    let app = TestApp::new();
    for uri in ["/", "/login", "/register", "/nowhere"] {
        let body = app.get(uri).body;
        assert!(!body.contains("<script"), "{uri}");
        assert!(
            !body.contains("style=") && !body.contains("<style"),
            "{uri}"
        );
    }
}

#[test]
fn a_post_without_a_valid_csrf_token_is_refused_and_changes_nothing() {
    let app = TestApp::new();
    let fields = [
        ("email", "nat@example.org"),
        ("password", PASSWORD),
        ("password_confirm", PASSWORD),
    ];
    let missing = post_raw(&app.client, "/register", &form_body(&fields));
    assert_eq!(missing.status, Status::Forbidden);
    missing.assert_contains("Your form has expired");
    let mut forged = vec![("csrf_token", "forged-token")];
    forged.extend_from_slice(&fields);
    assert_eq!(
        post_raw(&app.client, "/register", &form_body(&forged)).status,
        Status::Forbidden
    );
    // A token from another browser does not fit this one.
    let other_token = token_of(&app.another_instance());
    let mut foreign = vec![("csrf_token", other_token.as_str())];
    foreign.extend_from_slice(&fields);
    assert_eq!(
        post_raw(&app.client, "/register", &form_body(&foreign)).status,
        Status::Forbidden
    );
    assert_eq!(app.user_count(), 0);

    // Logged in, logout and account deletion without a token change nothing either.
    app.logged_in_as("olga@example.org", Role::Subscriber);
    assert_eq!(
        post_raw(&app.client, "/logout", "").status,
        Status::Forbidden
    );
    let del = post_raw(
        &app.client,
        "/account/delete",
        &form_body(&[("delete_password", PASSWORD)]),
    );
    assert_eq!(del.status, Status::Forbidden);
    assert_eq!(app.get("/account").status, Status::Ok);
    assert_eq!(app.user_count(), 1);
}

#[test]
fn cross_site_posts_are_refused_by_their_headers() {
    let app = TestApp::new();
    let token = token_of(&app.client);
    let body = form_body(&[
        ("csrf_token", &token),
        ("email", "pia@example.org"),
        ("password", PASSWORD),
        ("password_confirm", PASSWORD),
    ]);
    let post = |headers: &[(&'static str, &'static str)]| {
        let mut req = app
            .client
            .post("/register")
            .header(ContentType::Form)
            .body(body.clone());
        for (name, value) in headers {
            req = req.header(Header::new(*name, *value));
        }
        send(req)
    };
    assert_eq!(
        post(&[("Sec-Fetch-Site", "cross-site")]).status,
        Status::Forbidden
    );
    assert_eq!(
        post(&[("Sec-Fetch-Site", "same-site")]).status,
        Status::Forbidden
    );
    let res = post(&[
        ("Host", "recours.example"),
        ("Origin", "https://evil.example"),
    ]);
    assert_eq!(res.status, Status::Forbidden);
    res.assert_contains("sent from another site");
    assert_eq!(post(&[("Origin", "null")]).status, Status::Forbidden);
    assert_eq!(app.user_count(), 0);
    let ok = post(&[
        ("Host", "recours.example"),
        ("Origin", "https://recours.example"),
        ("Sec-Fetch-Site", "same-origin"),
    ]);
    ok.assert_redirect("/complaints/new");
}

#[test]
fn malformed_forms_get_a_clear_4xx() {
    let app = TestApp::new();
    let token = token_of(&app.client);
    let dup =
        format!("csrf_token={token}&email=a%40b.fr&email=c%40d.fr&password=x&password_confirm=x");
    let res = post_raw(&app.client, "/register", &dup);
    assert_eq!(res.status, Status::BadRequest);
    res.assert_contains("The form could not be read");
    let bad_utf8 = format!("csrf_token={token}&email=%FF%FE");
    assert_eq!(
        post_raw(&app.client, "/register", &bad_utf8).status,
        Status::BadRequest
    );
    let huge = format!("csrf_token={token}&email={}", "a".repeat(100 * 1024));
    assert_eq!(
        post_raw(&app.client, "/register", &huge).status,
        Status::PayloadTooLarge
    );
    let json = send(
        app.client
            .post("/register")
            .header(ContentType::JSON)
            .body("{}"),
    );
    assert_eq!(json.status, Status::BadRequest);
    assert_eq!(app.user_count(), 0);
}

#[test]
fn a_tampered_session_cookie_counts_as_logged_out() {
    let app = TestApp::new();
    app.logged_in_as("quin@example.org", Role::Subscriber);
    let res = send(
        app.client
            .get("/account")
            .cookie(Cookie::new("session", "tampered-value")),
    );
    res.assert_redirect("/login?next=%2Faccount");
}

#[test]
fn session_cookies_are_http_only_same_site_and_secure_when_configured() {
    let app = TestApp::new();
    app.create_user("rae@example.org", Role::Subscriber);
    let res = app.login("rae@example.org", PASSWORD);
    let cookie = res
        .headers("Set-Cookie")
        .into_iter()
        .find(|c| c.starts_with("session="))
        .expect("session cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(!cookie.contains("Secure"), "{cookie}");

    let tls = TestApp::with(|f| f.merge(("secure_cookies", true)));
    tls.create_user("rae@example.org", Role::Subscriber);
    let res = tls.login("rae@example.org", PASSWORD);
    let cookie = res
        .headers("Set-Cookie")
        .into_iter()
        .find(|c| c.starts_with("session="))
        .expect("session cookie");
    assert!(cookie.contains("Secure"), "{cookie}");
}

#[test]
fn roles_are_enforced() {
    let app = TestApp::new();
    app.get("/admin/users")
        .assert_redirect("/login?next=%2Fadmin%2Fusers");

    app.logged_in_as("sam@example.org", Role::Subscriber);
    let res = app.get("/admin/users");
    assert_eq!(res.status, Status::Forbidden);
    res.assert_contains("Your account does not have access to this page.");
    assert_eq!(
        app.post(
            "/admin/users/role",
            &[("email", "sam@example.org"), ("role", "admin")]
        )
        .status,
        Status::Forbidden
    );

    let reviewer = TestApp::new();
    reviewer.logged_in_as("rev@example.org", Role::Reviewer);
    assert_eq!(reviewer.get("/admin/users").status, Status::Forbidden);
}

#[test]
fn an_admin_grants_roles_but_not_to_themselves() {
    let app = TestApp::new();
    app.create_user("assoc@example.org", Role::Subscriber);
    app.logged_in_as("root@example.org", Role::Admin);
    let page = app.get("/admin/users");
    assert_eq!(page.status, Status::Ok);
    page.assert_contains("assoc@example.org");

    app.post(
        "/admin/users/role",
        &[("email", "assoc@example.org"), ("role", "reviewer")],
    )
    .assert_redirect("/admin/users");
    app.get("/admin/users")
        .assert_contains("The role is changed.");
    let them = app.another_instance();
    // The new reviewer sets up a second factor at the next log-in.
    crate::common::login_on(&them, "assoc@example.org", PASSWORD)
        .assert_redirect("/login/code?next=%2F");
    crate::common::enrol_on(&them);
    send(them.get("/account")).assert_contains("Consumer association reviewer");

    let res = app.post(
        "/admin/users/role",
        &[("email", "assoc@example.org"), ("role", "emperor")],
    );
    assert_eq!(res.status, Status::UnprocessableEntity);
    let res = app.post(
        "/admin/users/role",
        &[("email", "ROOT@example.org"), ("role", "subscriber")],
    );
    assert_eq!(res.status, Status::Conflict);
    res.assert_contains("You cannot change your own role.");
    let res = app.post(
        "/admin/users/role",
        &[("email", "nobody@example.org"), ("role", "reviewer")],
    );
    assert_eq!(res.status, Status::NotFound);
}

#[test]
fn user_input_comes_back_escaped() {
    let app = TestApp::new();
    let evil = "<script>alert(1)</script>\"@x";
    let res = app.post(
        "/register",
        &[
            ("email", evil),
            ("password", "x"),
            ("password_confirm", "x"),
        ],
    );
    assert_eq!(res.status, Status::UnprocessableEntity);
    assert!(!res.body.contains("<script>alert(1)</script>"));
    res.assert_contains("&#60;script&#62;");
}

/// Every answer to a logged-in person says `no-store` (pages, letters, exports, the
/// reviewers' CSV, redirects), so nothing of theirs stays in a shared browser's or a proxy's
/// cache; anonymous public pages do not.
#[test]
fn every_answer_to_a_logged_in_person_is_no_store() {
    let app = TestApp::new();
    for uri in ["/", "/stats", "/login"] {
        assert_ne!(
            app.get(uri).header("Cache-Control"),
            Some("no-store"),
            "{uri}"
        );
    }
    app.provider("kleema", "Kleema", None, None);
    app.logged_in_as("admin@example.org", Role::Admin);
    let path = app.filed(&[]);
    let mut answers = vec![];
    for uri in [
        "/".to_string(),
        "/stats".to_string(),
        "/account".to_string(),
        "/account/export".to_string(),
        "/complaints".to_string(),
        "/complaints/new".to_string(),
        path.clone(),
        format!("{path}/letter"),
        "/review".to_string(),
        "/review/complaints.csv".to_string(),
        "/admin/users".to_string(),
        "/admin/providers".to_string(),
        "/no/such/page".to_string(),
    ] {
        answers.push((uri.clone(), app.get(&uri)));
    }
    answers.push(("a filing".into(), app.file(&[])));
    for (uri, res) in answers {
        assert!(res.status.code < 500, "{uri}: {}", res.status);
        assert_eq!(res.header("Cache-Control"), Some("no-store"), "{uri}");
    }
    // The stylesheet is the same for everyone and keeps its long cache.
    let css = crate::common::after(&app.get("/").body, "href=\"/static/");
    let style = app.get(&format!("/static/{css}"));
    assert!(
        style
            .header("Cache-Control")
            .is_some_and(|c| c.starts_with("public")),
        "{:?}",
        style.header("Cache-Control")
    );
}

/// `Strict-Transport-Security` comes with `secure_cookies` (the portal is served over
/// HTTPS), and only then.
#[test]
fn hsts_is_sent_when_served_over_https() {
    let plain = TestApp::new();
    assert_eq!(plain.get("/").header("Strict-Transport-Security"), None);
    let https = TestApp::with(|f| f.merge(("secure_cookies", true)));
    for uri in ["/", "/healthz", "/no/such/page"] {
        assert_eq!(
            https.get(uri).header("Strict-Transport-Security"),
            Some("max-age=31536000; includeSubDomains"),
            "{uri}"
        );
    }
}

/// The Origin of a form must be this site exactly: scheme, host and port.
#[test]
fn the_origin_must_match_scheme_host_and_port() {
    let app = TestApp::new();
    let token = token_of(&app.client);
    let post = |origin: &str, email: &str| {
        let body = form_body(&[
            ("csrf_token", &token),
            ("email", email),
            ("password", PASSWORD),
            ("password_confirm", PASSWORD),
        ]);
        send(
            app.client
                .post("/register")
                .header(ContentType::Form)
                .header(Header::new("Host", "recours.example:8000"))
                .header(Header::new("Origin", origin.to_string()))
                .body(body),
        )
    };
    for origin in [
        "evil://recours.example:8000",
        "http://recours.example:8001",
        "http://recours.example",
        "http://recours.example:8000.evil.example",
        "http://recours.example:8000/",
    ] {
        let res = post(origin, "quinn@example.org");
        assert_eq!(res.status, Status::Forbidden, "{origin}");
        res.assert_contains("sent from another site");
    }
    assert_eq!(app.user_count(), 0);
    post("http://recours.example:8000", "quinn@example.org").assert_redirect("/complaints/new");
}
