use rocket::http::{Header, Status};

use crate::common::{TestApp, send};
use recours::domain::account::Role;

#[test]
fn the_home_page_says_what_the_portal_is_for() {
    let app = TestApp::new();
    let res = app.get("/");
    assert_eq!(res.status, Status::Ok);
    res.assert_contains("<html lang=\"en\">");
    res.assert_contains("Get your money back from your telecom provider");
    res.assert_contains("href=\"/register\"");
    res.assert_contains("href=\"/login\"");
}

#[test]
fn french_from_accept_language_then_the_switch_wins() {
    let app = TestApp::new();
    let fr = send(
        app.client
            .get("/")
            .header(Header::new("Accept-Language", "fr-FR,fr;q=0.9,en;q=0.5")),
    );
    fr.assert_contains("<html lang=\"fr\">");
    fr.assert_contains("Faites-vous rembourser par votre opérateur télécom");
    let en = send(
        app.client
            .get("/")
            .header(Header::new("Accept-Language", "de-DE,en;q=0.5")),
    );
    en.assert_contains("<html lang=\"en\">");

    let res = app.get("/lang/fr?next=%2Flogin");
    res.assert_redirect("/login");
    assert!(
        res.header("Set-Cookie")
            .unwrap_or("")
            .starts_with("lang=fr")
    );
    let login = send(
        app.client
            .get("/login")
            .header(Header::new("Accept-Language", "en")),
    );
    login.assert_contains("<html lang=\"fr\">");
    login.assert_contains("Se connecter");

    app.get("/lang/en?next=/").assert_redirect("/");
    app.get("/").assert_contains("<html lang=\"en\">");
    app.get("/lang/xx?next=/");
    assert_eq!(app.get("/lang/xx?next=/").status, Status::NotFound);
    app.get("/lang/fr?next=https://evil.example")
        .assert_redirect("/");
}

#[test]
fn the_switch_links_back_to_the_current_page() {
    let app = TestApp::new();
    app.get("/login")
        .assert_contains("href=\"/lang/fr?next=%2Flogin\"");
}

#[test]
fn error_pages_are_inside_the_layout_in_both_languages() {
    let app = TestApp::new();
    let res = app.get("/no/such/page");
    assert_eq!(res.status, Status::NotFound);
    res.assert_contains("Page not found");
    res.assert_contains("class=\"site-header\"");
    res.assert_contains("Back to the home page");
    let fr = send(
        app.client
            .get("/nulle/part")
            .header(Header::new("Accept-Language", "fr")),
    );
    assert_eq!(fr.status, Status::NotFound);
    fr.assert_contains("Page introuvable");
    fr.assert_contains("<html lang=\"fr\">");
}

#[test]
fn the_style_sheet_is_cached_for_long() {
    let app = TestApp::new();
    let home = app.get("/").body;
    let href = crate::common::after(&home, "rel=\"stylesheet\" href=\"");
    let css = app.get(&href);
    assert_eq!(css.status, Status::Ok);
    assert_eq!(css.header("Content-Type"), Some("text/css; charset=utf-8"));
    assert_eq!(
        css.header("Cache-Control"),
        Some("public, max-age=31536000, immutable")
    );
    assert!(css.body.contains(":focus-visible"), "visible focus");
    assert_eq!(
        app.get("/static/style-000000000000.css").status,
        Status::NotFound
    );
}

#[test]
fn health_answers_ok() {
    let app = TestApp::new();
    let res = app.get("/healthz");
    assert_eq!(res.status, Status::Ok);
    assert_eq!(res.body, "ok");
}

/// Every visible input has a label, every page one `h1`, a `main` landmark and a skip link.
#[test]
fn pages_are_labelled_for_screen_readers() {
    let app = TestApp::new();
    let mut pages = vec![app.get("/"), app.get("/login"), app.get("/register")];
    pages.push(app.post(
        "/register",
        &[
            ("email", "bad"),
            ("password", "x"),
            ("password_confirm", "y"),
        ],
    ));
    app.logged_in_as("tia@example.org", Role::Admin);
    pages.push(app.get("/account"));
    pages.push(app.get("/admin/users"));
    for page in pages {
        let html = &page.body;
        assert_eq!(html.matches("<h1").count(), 1, "{html}");
        assert!(html.contains("<main id=\"main\""));
        assert!(html.contains("href=\"#main\""));
        for part in html
            .split("<input ")
            .skip(1)
            .chain(html.split("<select ").skip(1))
        {
            let tag = &part[..part.find('>').unwrap()];
            if tag.contains("type=\"hidden\"") {
                continue;
            }
            let id = tag
                .split("id=\"")
                .nth(1)
                .expect("an id")
                .split('"')
                .next()
                .unwrap();
            assert!(html.contains(&format!("for=\"{id}\"")), "no label for {id}");
        }
    }
}

#[test]
fn the_header_shows_the_login_state() {
    let app = TestApp::new();
    app.get("/").assert_contains("Log in");
    app.logged_in_as("uma@example.org", Role::Subscriber);
    let home = app.get("/");
    home.assert_contains("Logged in as uma@example.org");
    home.assert_contains("action=\"/logout\"");
    home.assert_contains("You are logged in.");
}

#[test]
fn every_page_has_a_description_and_the_site_an_icon() {
    let app = TestApp::new();
    for path in ["/", "/login", "/register", "/stats", "/no-such-page"] {
        let res = app.get(path);
        res.assert_contains("<meta name=\"description\" content=\"Recours helps telecom");
        res.assert_contains("<link rel=\"icon\" href=\"/favicon.ico\"");
    }
    let icon = send(app.client.get("/favicon.ico"));
    assert_eq!(icon.status, Status::Ok);
    assert_eq!(icon.header("Content-Type"), Some("image/x-icon"));
    let bytes = app
        .client
        .get("/favicon.ico")
        .dispatch()
        .into_bytes()
        .unwrap();
    assert_eq!(&bytes[..4], &[0, 0, 1, 0], "an ICO header");
}

/// On a form error the title says so first (screen readers announce it when the page
/// loads) and the error summary takes the focus without JavaScript.
#[test]
fn a_form_error_is_announced_by_the_title_and_focused() {
    let app = TestApp::new();
    let res = app.post("/login", &[("email", ""), ("password", "")]);
    assert_eq!(res.status, Status::UnprocessableEntity);
    res.assert_contains("<title>Error: ");
    res.assert_contains("class=\"error-summary\" role=\"alert\" aria-labelledby=\"error-summary-title\" tabindex=\"-1\" autofocus");
    assert!(!app.get("/login").body.contains("<title>Error"));
    app.get("/lang/fr");
    let fr = app.post(
        "/register",
        &[("email", "x"), ("password", ""), ("password_confirm", "")],
    );
    fr.assert_contains("<title>Erreur : ");
}
