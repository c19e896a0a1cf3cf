//! The subscriber's country of residence: asked at registration and on the account page.

use rocket::http::Status;

use crate::common::{PASSWORD, TestApp};
use recours::domain::country::Country;

fn country_of(app: &TestApp, email: &str) -> Country {
    let mut conn = app.conn();
    let (user, _) = recours::store::users::find_with_hash(&mut conn, email)
        .expect("read")
        .expect("account exists");
    recours::store::users::country(&mut conn, &user.id).expect("country")
}

fn register_in(app: &TestApp, email: &str, country: &str) -> crate::common::Resp {
    app.post(
        "/register",
        &[
            ("email", email),
            ("country", country),
            ("password", PASSWORD),
            ("password_confirm", PASSWORD),
        ],
    )
}

#[test]
fn the_country_chosen_at_registration_is_kept_and_shown_on_the_account_page() {
    let app = TestApp::new();
    let form = app.get("/register");
    form.assert_contains("The country where you live. It decides");
    form.assert_contains(r#"<option value="FR" selected>France</option>"#);
    form.assert_contains(r#"<option value="MA">Morocco</option>"#);
    register_in(&app, "amine@example.ma", "MA").assert_redirect("/complaints/new");
    assert_eq!(country_of(&app, "amine@example.ma"), Country::Ma);
    app.get("/account")
        .assert_contains(r#"<option value="MA" selected>Morocco</option>"#);
}

#[test]
fn a_country_not_in_the_list_is_refused_at_registration_and_no_account_is_made() {
    let app = TestApp::new();
    for bad in ["XX", "", "fr", "France"] {
        let res = register_in(&app, "nobody@example.org", bad);
        assert_eq!(res.status, Status::UnprocessableEntity, "{bad:?}");
        res.assert_contains("Choose the country where you live from the list.");
        res.assert_contains(r##"href="#country""##);
        assert_eq!(app.user_count(), 0);
    }
}

/// Clients that predate the field (and every account made before it) are in France.
#[test]
fn a_registration_without_the_field_is_in_france() {
    let app = TestApp::new();
    app.register("old.client@example.org")
        .assert_redirect("/complaints/new");
    assert_eq!(country_of(&app, "old.client@example.org"), Country::Fr);
}

#[test]
fn the_account_page_changes_the_country_and_refuses_one_not_in_the_list() {
    let app = TestApp::new();
    app.register("leila@example.tn")
        .assert_redirect("/complaints/new");
    app.post("/account/country", &[("country", "TN")])
        .assert_redirect("/account");
    assert_eq!(country_of(&app, "leila@example.tn"), Country::Tn);
    let page = app.get("/account");
    page.assert_contains("Your country is saved.");
    page.assert_contains(r#"<option value="TN" selected>Tunisia</option>"#);
    for bad in ["XX", "", "tn"] {
        let res = app.post("/account/country", &[("country", bad)]);
        assert_eq!(res.status, Status::UnprocessableEntity, "{bad:?}");
        res.assert_contains("Choose the country where you live from the list.");
        assert!(res.body.contains("<title>Error:"), "{bad:?}");
        assert_eq!(country_of(&app, "leila@example.tn"), Country::Tn);
    }
    assert_eq!(
        app.post("/account/country", &[]).status,
        Status::UnprocessableEntity
    );
    assert_eq!(country_of(&app, "leila@example.tn"), Country::Tn);
}

#[test]
fn the_country_form_needs_a_session() {
    let app = TestApp::new();
    let res = app.post("/account/country", &[("country", "MA")]);
    assert_ne!(res.status, Status::Ok);
    assert_eq!(app.user_count(), 0);
}
