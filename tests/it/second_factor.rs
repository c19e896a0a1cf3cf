//! The second factor of staff, reviewer and admin accounts through HTTP: enrolment at the
//! first log-in, the code after the password, recovery codes, the lockout, an admin's reset.

use rocket::http::Status;
use rocket::local::blocking::Client;

use crate::common::{
    PASSWORD, TestApp, current_code, enrol_on, login_on, post_with_token, recovery_codes_in, send,
    totp_code,
};
use recours::domain::account::Role;

/// An account of `role` that has never logged in: no second factor yet.
fn unenrolled(app: &TestApp, email: &str, role: Role) {
    let hash = recours::password::hash_blocking(PASSWORD).unwrap();
    app.conn()
        .write(|c| recours::store::users::create(c, email, &hash, role))
        .expect("user created");
}

/// The password step alone.
fn password_step(client: &Client, email: &str) {
    post_with_token(
        client,
        "/login",
        &[("email", email), ("password", PASSWORD)],
    )
    .assert_redirect("/login/code?next=%2F");
}

fn code_step(client: &Client, code: &str) -> crate::common::Resp {
    post_with_token(client, "/login/code", &[("code", code), ("next", "/")])
}

fn logout(client: &Client) {
    post_with_token(client, "/logout", &[]).assert_redirect("/");
}

/// Some six digits that are none of the codes the portal accepts now.
fn wrong_code(app: &TestApp, email: &str) -> String {
    use diesel::prelude::*;
    use recours::db::schema::{second_factors, users};
    let secret: String = second_factors::table
        .inner_join(users::table)
        .filter(users::email_key.eq(email))
        .select(second_factors::secret)
        .first(&mut *app.conn())
        .unwrap();
    let now = chrono::Utc::now().timestamp() as u64;
    let valid: Vec<String> = [now - 30, now, now + 30, now + 60]
        .iter()
        .map(|t| totp_code(&secret, *t))
        .collect();
    (0..)
        .map(|n| format!("{:06}", 123_456 + n))
        .find(|c| !valid.contains(c))
        .unwrap()
}

#[test]
fn an_admin_enrols_at_the_first_log_in_then_every_log_in_asks_for_a_code() {
    let app = TestApp::new();
    unenrolled(&app, "ada@example.org", Role::Admin);
    password_step(&app.client, "ada@example.org");
    // The password alone opens nothing: the code page leads to enrolment.
    assert_eq!(app.get("/admin/users").status, Status::SeeOther);
    app.get("/login/code?next=%2F")
        .assert_redirect("/login/enrol?next=%2F");

    let page = app.get("/login/enrol?next=%2F");
    assert_eq!(page.status, Status::Ok);
    page.assert_contains("<svg");
    assert!(
        !page.body.contains("style="),
        "no inline style under the CSP"
    );
    assert!(!page.body.contains("<?xml"));
    let secret = crate::common::after(&page.body, "id=\"secret\">")
        .split('<')
        .next()
        .unwrap()
        .replace(' ', "");
    assert_eq!(secret.len(), 32, "160 bits in base32");
    // A reload shows the same secret (the app may have scanned the first one).
    app.get("/login/enrol?next=%2F")
        .assert_contains(&page.body[page.body.find("id=\"secret\">").unwrap()..][..40]);

    // A wrong code, or something that is not a code: the form again, nothing enrolled.
    let now = chrono::Utc::now().timestamp() as u64;
    let right = totp_code(&secret, now);
    let wrong = if right == "000000" {
        "000001"
    } else {
        "000000"
    };
    let res = post_with_token(
        &app.client,
        "/login/enrol",
        &[("code", wrong), ("next", "/")],
    );
    assert_eq!(res.status, Status::UnprocessableEntity);
    res.assert_contains("error-summary");
    res.assert_contains("This code is not right");
    let res = post_with_token(
        &app.client,
        "/login/enrol",
        &[("code", "abc"), ("next", "/")],
    );
    assert_eq!(res.status, Status::UnprocessableEntity);
    assert_eq!(app.get("/admin/users").status, Status::SeeOther);

    let res = post_with_token(
        &app.client,
        "/login/enrol",
        &[("code", &right), ("next", "/")],
    );
    assert_eq!(res.status, Status::Ok, "{}", res.body);
    res.assert_contains("will not be shown again");
    let codes = recovery_codes_in(&res.body);
    assert_eq!(codes.len(), 10);
    assert_eq!(app.count("recovery_codes"), 10);
    {
        // Only hashes are kept.
        let stored = app.count(&format!(
            "recovery_codes WHERE hash LIKE '$argon2id$%' AND hash NOT LIKE '%{}%'",
            codes[0].replace('-', "")
        ));
        assert_eq!(stored, 10);
    }
    assert_eq!(app.get("/admin/users").status, Status::Ok);
    // The secret is never shown again.
    assert_ne!(app.get("/login/enrol?next=%2F").status, Status::Ok);

    logout(&app.client);
    password_step(&app.client, "ada@example.org");
    let page = app.get("/login/code?next=%2F");
    assert_eq!(page.status, Status::Ok);
    assert!(!page.body.contains(&secret[..8]));
    assert_eq!(app.get("/admin/users").status, Status::SeeOther);
    code_step(&app.client, &current_code(&app.client, "ada@example.org")).assert_redirect("/");
    assert_eq!(app.get("/admin/users").status, Status::Ok);
}

#[test]
fn a_code_is_accepted_once() {
    let app = TestApp::new();
    app.create_user("rev@example.org", Role::Reviewer);
    let other = app.another_instance();
    password_step(&app.client, "rev@example.org");
    password_step(&other, "rev@example.org");
    let code = current_code(&app.client, "rev@example.org");
    code_step(&app.client, &code).assert_redirect("/");
    // The same code seen over a shoulder does not open a second session.
    let res = code_step(&other, &code);
    assert_eq!(res.status, Status::UnprocessableEntity);
    res.assert_contains("already used");
    assert_ne!(send(other.get("/review")).status, Status::Ok);
    assert_eq!(app.get("/review").status, Status::Ok);
}

#[test]
fn wrong_codes_count_toward_the_lockout_with_the_password() {
    let app = TestApp::new();
    app.create_user("ada@example.org", Role::Admin);
    password_step(&app.client, "ada@example.org");
    let wrong = wrong_code(&app, "ada@example.org");
    // The password counted once; four wrong codes make five failures.
    for _ in 0..4 {
        let res = code_step(&app.client, &wrong);
        assert_eq!(res.status, Status::UnprocessableEntity);
        res.assert_contains("This code is not right");
    }
    assert_eq!(app.get("/admin/users").status, Status::SeeOther);
    // Now even the right code waits, and so does the password: six digits cannot be
    // tried faster than a password.
    let res = code_step(&app.client, &current_code(&app.client, "ada@example.org"));
    assert_eq!(res.status, Status::TooManyRequests);
    assert!(res.header("Retry-After").is_some());
    res.assert_contains("Too many wrong codes");
    assert_eq!(app.get("/admin/users").status, Status::SeeOther);
    let again = post_with_token(
        &app.client,
        "/login",
        &[("email", "ada@example.org"), ("password", PASSWORD)],
    );
    assert_eq!(again.status, Status::TooManyRequests);
}

#[test]
fn a_right_password_does_not_forgive_wrong_codes() {
    let app = TestApp::new();
    app.create_user("ada@example.org", Role::Admin);
    let wrong = wrong_code(&app, "ada@example.org");
    // Password, two wrong codes, password again, one wrong code: five failures.
    password_step(&app.client, "ada@example.org");
    for _ in 0..2 {
        assert_eq!(
            code_step(&app.client, &wrong).status,
            Status::UnprocessableEntity
        );
    }
    password_step(&app.client, "ada@example.org");
    assert_eq!(
        code_step(&app.client, &wrong).status,
        Status::UnprocessableEntity
    );
    let res = code_step(&app.client, &wrong);
    assert_eq!(res.status, Status::TooManyRequests);
}

#[test]
fn a_recovery_code_works_once_and_new_ones_replace_the_old() {
    let app = TestApp::new();
    unenrolled(&app, "care@example.org", Role::Reviewer);
    password_step(&app.client, "care@example.org");
    let codes = enrol_on(&app.client);
    logout(&app.client);

    password_step(&app.client, "care@example.org");
    // Typed in capitals with a space: still the code.
    let typed = codes[3].to_uppercase().replace('-', " ");
    code_step(&app.client, &typed).assert_redirect("/");
    assert_eq!(app.get("/review").status, Status::Ok);
    app.get("/account")
        .assert_contains("Recovery codes left: 9");
    logout(&app.client);

    password_step(&app.client, "care@example.org");
    let res = code_step(&app.client, &codes[3]);
    assert_eq!(res.status, Status::UnprocessableEntity);
    assert_eq!(app.get("/review").status, Status::SeeOther);
    code_step(&app.client, &codes[4]).assert_redirect("/");

    let res = post_with_token(&app.client, "/account/recovery-codes", &[]);
    assert_eq!(res.status, Status::Ok);
    let renewed = recovery_codes_in(&res.body);
    assert_eq!(renewed.len(), 10);
    app.get("/account")
        .assert_contains("Recovery codes left: 10");
    logout(&app.client);
    password_step(&app.client, "care@example.org");
    assert_eq!(
        code_step(&app.client, &codes[5]).status,
        Status::UnprocessableEntity,
        "the old codes stopped working"
    );
    code_step(&app.client, &renewed[0]).assert_redirect("/");
}

#[test]
fn a_session_without_its_second_step_opens_no_role_space() {
    let app = TestApp::new();
    app.provider("kleema", "Kleema", None, None);
    let staff = {
        let hash = recours::password::hash_blocking(PASSWORD).unwrap();
        let provider = recours::store::providers::by_slug(&mut app.conn(), "kleema")
            .unwrap()
            .unwrap();
        app.conn()
            .write(|c| {
                recours::store::users::create_staff(c, "care@kleema.example", &hash, &provider.id)
            })
            .unwrap()
    };
    crate::common::enrol_directly(&app.db, &staff.id);
    app.create_user("rev@example.org", Role::Reviewer);
    app.create_user("ada@example.org", Role::Admin);
    for (email, space) in [
        ("care@kleema.example", "/provider/complaints"),
        ("rev@example.org", "/review"),
        ("ada@example.org", "/admin/users"),
    ] {
        let client = app.another_instance();
        password_step(&client, email);
        let res = send(client.get(space));
        assert_eq!(res.status, Status::SeeOther, "{email} {space}");
        // The log-in page sends the session on to the code it lacks.
        let login = send(client.get(res.location().to_string()));
        assert!(
            login.location().starts_with("/login/code?next="),
            "{}",
            login.location()
        );
        let nav = send(client.get("/account"));
        assert_eq!(nav.status, Status::SeeOther, "no account page either");
    }
    // Nor does a form of the admin's: nothing changes.
    let client = app.another_instance();
    password_step(&client, "ada@example.org");
    let res = post_with_token(
        &client,
        "/admin/users/role",
        &[("email", "rev@example.org"), ("role", "subscriber")],
    );
    assert_ne!(res.location(), "/admin/users");
    let admin = app.client_as("root@example.org", Role::Admin);
    send(admin.get("/admin/users")).assert_contains("rev@example.org");
    assert_eq!(app.count("users WHERE role = 'reviewer'"), 1);
}

#[test]
fn a_subscriber_promoted_needs_a_second_factor_before_the_new_role_counts() {
    let app = TestApp::new();
    app.logged_in_as("sub@example.org", Role::Subscriber);
    let admin = app.client_as("ada@example.org", Role::Admin);
    post_with_token(
        &admin,
        "/admin/users/role",
        &[("email", "sub@example.org"), ("role", "reviewer")],
    )
    .assert_redirect("/admin/users");
    let res = app.get("/review");
    assert_eq!(res.status, Status::SeeOther);
    assert_eq!(
        app.get("/login/code?next=%2F").location(),
        "/login/enrol?next=%2F"
    );
}

#[test]
fn an_admin_resets_another_accounts_second_factor() {
    let app = TestApp::new();
    let admin = app.client_as("ada@example.org", Role::Admin);
    let reviewer = app.client_as("rev@example.org", Role::Reviewer);
    assert_eq!(send(reviewer.get("/review")).status, Status::Ok);
    // Only an admin may, and not for themselves, nor for nobody.
    let res = post_with_token(
        &reviewer,
        "/admin/users/second-factor/reset",
        &[("email", "ada@example.org")],
    );
    assert_eq!(res.status, Status::Forbidden);
    let res = post_with_token(
        &admin,
        "/admin/users/second-factor/reset",
        &[("email", "ada@example.org")],
    );
    assert_eq!(res.status, Status::Conflict);
    let res = post_with_token(
        &admin,
        "/admin/users/second-factor/reset",
        &[("email", "nobody@example.org")],
    );
    assert_eq!(res.status, Status::NotFound);
    assert_eq!(app.count("account_audit"), 0);
    assert_eq!(app.count("second_factors"), 2);

    post_with_token(
        &admin,
        "/admin/users/second-factor/reset",
        &[("email", "rev@example.org")],
    )
    .assert_redirect("/admin/users");
    // The reviewer's session ends at once; the next log-in sets up a new factor.
    assert_eq!(send(reviewer.get("/review")).status, Status::SeeOther);
    let page = send(admin.get("/admin/users"));
    page.assert_contains("authentication app reset");
    page.assert_contains("rev@example.org");
    assert_eq!(app.count("account_audit"), 1);
    let again = app.another_instance();
    login_on(&again, "rev@example.org", PASSWORD).assert_redirect("/login/code?next=%2F");
    assert_eq!(enrol_on(&again).len(), 10);
    assert_eq!(send(again.get("/review")).status, Status::Ok);
}

#[test]
fn the_pages_are_in_french_too() {
    let app = TestApp::new();
    unenrolled(&app, "ada@example.org", Role::Admin);
    app.get("/lang/fr?next=%2Flogin");
    password_step(&app.client, "ada@example.org");
    app.get("/login/enrol?next=%2F")
        .assert_contains("Configurez votre application d");
}
