use rocket::http::Status;

use crate::common::{PASSWORD, TestApp, csrf_in, login_on, post_with_token, raw_cookie, send};
use recours::domain::account::Role;

#[test]
fn registering_logs_the_subscriber_in() {
    let app = TestApp::new();
    let page = app.get("/register");
    assert_eq!(page.status, Status::Ok);
    assert!(
        csrf_in(&page.body).is_some(),
        "the form carries a CSRF token"
    );
    // The next step is the reason one came: filing a complaint.
    app.register("Alice@Example.org")
        .assert_redirect("/complaints/new");
    let new = app.get("/complaints/new");
    assert_eq!(new.status, Status::Ok);
    new.assert_contains("Registration received");
    let account = app.get("/account");
    account.assert_contains("Alice@Example.org");
    account.assert_contains("Subscriber");
    // The flash message shows once.
    assert!(!account.body.contains("Registration received"));
}

#[test]
fn weak_or_mismatched_passwords_are_refused_and_nothing_is_saved() {
    let app = TestApp::new();
    let cases: [(&str, &str, &str, &str); 5] = [
        ("short", "short", "password", "Use at least 12 characters."),
        (
            "Password1234",
            "Password1234",
            "password",
            "among the most used",
        ),
        (
            PASSWORD,
            "other horse battery",
            "password_confirm",
            "The two passwords differ.",
        ),
        (
            &"x".repeat(129),
            &"x".repeat(129),
            "password",
            "Use at most 128 characters.",
        ),
        ("", "", "password", "Use at least 12 characters."),
    ];
    for (password, confirm, field, message) in cases {
        let res = app.post(
            "/register",
            &[
                ("email", "bob@example.org"),
                ("password", password),
                ("password_confirm", confirm),
            ],
        );
        assert_eq!(res.status, Status::UnprocessableEntity, "{password:?}");
        res.assert_contains(message);
        res.assert_contains(&format!("id=\"{field}-error\""));
        res.assert_contains("There is a problem");
        res.assert_contains(&format!("href=\"#{field}\""));
        // What the user typed comes back, passwords excepted.
        res.assert_contains("value=\"bob@example.org\"");
        if !password.is_empty() {
            assert!(
                !res.body.contains(&format!("value=\"{password}\"")),
                "passwords are never echoed"
            );
        }
    }
    assert_eq!(app.user_count(), 0);
}

#[test]
fn bad_emails_are_refused() {
    let app = TestApp::new();
    for (email, message) in [
        ("", "Enter this information."),
        ("not-an-email", "Enter an e-mail address like"),
    ] {
        let res = app.post(
            "/register",
            &[
                ("email", email),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        );
        assert_eq!(res.status, Status::UnprocessableEntity);
        res.assert_contains(message);
        res.assert_contains("id=\"email-error\"");
        res.assert_contains("aria-invalid=\"true\"");
    }
    assert_eq!(app.user_count(), 0);
}

/// Registering with an address that already has an account answers exactly as a new one
/// does (the same redirect and message), and changes nothing: the form does not say which
/// addresses have an account. Only the new account is logged in (see the README).
#[test]
fn registering_a_taken_address_answers_like_a_new_one_and_changes_nothing() {
    let app = TestApp::new();
    let new = app.register("carol@example.org");
    new.assert_redirect("/complaints/new");
    let other = app.another_instance();
    let strong = "violet kettle under 9 moons";
    let taken = post_with_token(
        &other,
        "/register",
        &[
            ("email", "  CAROL@Example.ORG "),
            ("password", strong),
            ("password_confirm", strong),
        ],
    );
    taken.assert_redirect("/complaints/new");
    let flash = |r: &crate::common::Resp| {
        r.headers("Set-Cookie")
            .into_iter()
            .find(|c| c.starts_with("_flash="))
            .map(str::to_string)
    };
    assert_eq!(flash(&taken), flash(&new));
    assert!(flash(&taken).is_some());
    assert_eq!(app.user_count(), 1);
    // The account keeps its password; the one typed at registration opens nothing.
    let third = app.another_instance();
    assert_eq!(
        login_on(&third, "carol@example.org", strong).status,
        Status::UnprocessableEntity
    );
    login_on(&third, "carol@example.org", PASSWORD).assert_redirect("/");
}

/// Passwords that are long enough but easy to guess are refused with the reason, at
/// registration and when changing the password; a strong one is accepted.
#[test]
fn guessable_passwords_are_refused_with_the_reason() {
    let app = TestApp::new();
    let email = "jean.dupont@example.org";
    let weak = [
        "            ",
        "aaaaaaaaaaaaa",
        "1234567890123456",
        "Password1234!",
        "azertyuiop1234",
        email,
    ];
    let reasons = [
        "Repeated characters",
        "Sequences and rows of keys",
        "among the most used",
        "too easy to guess",
        "contains your e-mail address",
    ];
    let assert_refused = |res: &crate::common::Resp, field: &str, password: &str| {
        assert_eq!(res.status, Status::UnprocessableEntity, "{password:?}");
        res.assert_contains(&format!("id=\"{field}-error\""));
        assert!(
            reasons.iter().any(|r| res.body.contains(r)),
            "no reason for {password:?}:\n{}",
            res.body
        );
    };
    for password in weak {
        let res = app.post(
            "/register",
            &[
                ("email", email),
                ("password", password),
                ("password_confirm", password),
            ],
        );
        assert_refused(&res, "password", password);
    }
    assert_eq!(app.user_count(), 0);
    let res = app.post(
        "/register",
        &[
            ("email", email),
            ("password", email),
            ("password_confirm", email),
        ],
    );
    res.assert_contains("contains your e-mail address");

    app.register(email).assert_redirect("/complaints/new");
    for password in weak {
        let res = app.post(
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", password),
                ("new_password_confirm", password),
            ],
        );
        assert_refused(&res, "new_password", password);
    }
    let strong = "violet kettle under 9 moons";
    app.post(
        "/account/password",
        &[
            ("current_password", PASSWORD),
            ("new_password", strong),
            ("new_password_confirm", strong),
        ],
    )
    .assert_redirect("/account");
}

#[test]
fn log_in_with_the_right_password_only() {
    let app = TestApp::new();
    app.create_user("dan@example.org", Role::Subscriber);
    for (email, password) in [
        ("dan@example.org", "wrong password here"),
        ("nobody@example.org", PASSWORD),
    ] {
        let res = app.login(email, password);
        // The same answer whether or not the account exists.
        assert_eq!(res.status, Status::UnprocessableEntity);
        res.assert_contains("Wrong e-mail address or password.");
        res.assert_contains(&format!("value=\"{email}\""));
    }
    let res = app.login("", "");
    assert_eq!(res.status, Status::UnprocessableEntity);
    res.assert_contains("Enter this information.");

    app.login("DAN@example.org", PASSWORD).assert_redirect("/");
    app.get("/account").assert_contains("dan@example.org");
}

#[test]
fn log_in_goes_back_to_the_page_asked_for_but_never_off_site() {
    let app = TestApp::new();
    app.create_user("erin@example.org", Role::Subscriber);
    let res = app.get("/account");
    res.assert_redirect("/login?next=%2Faccount");
    let page = app.get(res.location());
    page.assert_contains("name=\"next\" value=\"/account\"");
    app.post(
        "/login",
        &[
            ("email", "erin@example.org"),
            ("password", PASSWORD),
            ("next", "/account"),
        ],
    )
    .assert_redirect("/account");

    let other = app.another_instance();
    for evil in [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
    ] {
        let res = post_with_token(
            &other,
            "/login",
            &[
                ("email", "erin@example.org"),
                ("password", PASSWORD),
                ("next", evil),
            ],
        );
        res.assert_redirect("/");
        send(other.post("/logout")); // without a token: refused, harmless
    }
    let page = send(
        app.another_instance()
            .get("/login?next=https://evil.example"),
    );
    page.assert_contains("name=\"next\" value=\"/\"");
}

#[test]
fn logging_out_ends_the_session_on_the_server() {
    let app = TestApp::new();
    app.logged_in_as("fay@example.org", Role::Subscriber);
    let stolen = raw_cookie(&app.client, "session").expect("a session cookie");
    app.post("/logout", &[]).assert_redirect("/");
    app.get("/account")
        .assert_redirect("/login?next=%2Faccount");
    // Replaying the old cookie does not bring the session back.
    let replay = send(app.client.get("/account").cookie(stolen));
    replay.assert_redirect("/login?next=%2Faccount");
}

#[test]
fn changing_the_password_keeps_this_session_and_ends_the_others() {
    let app = TestApp::new();
    app.logged_in_as("gus@example.org", Role::Subscriber);
    let phone = app.another_instance();
    login_on(&phone, "gus@example.org", PASSWORD).assert_redirect("/");

    let res = app.post(
        "/account/password",
        &[
            ("current_password", "not my password"),
            ("new_password", "x"),
            ("new_password_confirm", "y"),
        ],
    );
    assert_eq!(res.status, Status::UnprocessableEntity);
    res.assert_contains("This password is not right.");
    res.assert_contains("Use at least 12 characters.");
    res.assert_contains("The two passwords differ.");

    let new = "a much better passphrase";
    app.post(
        "/account/password",
        &[
            ("current_password", PASSWORD),
            ("new_password", new),
            ("new_password_confirm", new),
        ],
    )
    .assert_redirect("/account");
    app.get("/account")
        .assert_contains("Your password is changed");
    assert_eq!(
        send(phone.get("/account")).status,
        Status::SeeOther,
        "the other session ended"
    );

    let third = app.another_instance();
    assert_eq!(
        login_on(&third, "gus@example.org", PASSWORD).status,
        Status::UnprocessableEntity
    );
    login_on(&third, "gus@example.org", new).assert_redirect("/");
}

#[test]
fn deleting_the_account_needs_the_password_and_removes_it() {
    let app = TestApp::new();
    app.logged_in_as("hana@example.org", Role::Subscriber);
    let res = app.post("/account/delete", &[("delete_password", "not my password")]);
    assert_eq!(res.status, Status::UnprocessableEntity);
    res.assert_contains("This password is not right.");
    assert_eq!(app.user_count(), 1);

    app.post("/account/delete", &[("delete_password", PASSWORD)])
        .assert_redirect("/");
    app.get("/").assert_contains("Your account is deleted.");
    assert_eq!(app.user_count(), 0);
    app.get("/account")
        .assert_redirect("/login?next=%2Faccount");
    assert_eq!(
        app.login("hana@example.org", PASSWORD).status,
        Status::UnprocessableEntity
    );
    app.register("hana@example.org")
        .assert_redirect("/complaints/new");
}

#[test]
fn sessions_expire_when_idle_and_after_their_absolute_lifetime() {
    let app = TestApp::new();
    app.logged_in_as("ivy@example.org", Role::Subscriber);
    assert_eq!(app.get("/account").status, Status::Ok);
    // Idle for three hours (the default idle limit is two).
    app.sql(&format!(
        "UPDATE sessions SET last_seen_at = '{}'",
        ago(180)
    ));
    app.get("/account")
        .assert_redirect("/login?next=%2Faccount");

    app.login("ivy@example.org", PASSWORD).assert_redirect("/");
    // Active a minute ago, but opened eight days ago (the default absolute limit is seven).
    app.sql(&format!(
        "UPDATE sessions SET created_at = '{}', last_seen_at = '{}'",
        ago(8 * 24 * 60),
        ago(1)
    ));
    app.get("/account")
        .assert_redirect("/login?next=%2Faccount");
}

/// A timestamp `minutes` ago, as SQL text both backends accept.
pub fn ago(minutes: i64) -> String {
    (chrono::Utc::now().naive_utc() - chrono::Duration::minutes(minutes))
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

#[test]
fn registrations_are_limited_per_address_typed_taken_or_not() {
    let app = TestApp::new();
    app.create_user("taken@example.org", Role::Subscriber);
    for email in ["taken@example.org", "free@example.org"] {
        let register = || {
            let client = app.another_instance();
            post_with_token(
                &client,
                "/register",
                &[
                    ("email", email),
                    ("password", PASSWORD),
                    ("password_confirm", PASSWORD),
                ],
            )
        };
        for _ in 0..3 {
            register().assert_redirect("/complaints/new");
        }
        // The fourth within the hour, whether the address was taken or free: the same 429.
        let refused = register();
        assert_eq!(refused.status, Status::TooManyRequests, "{email}");
        assert!(refused.header("Retry-After").is_some(), "{email}");
        refused.assert_contains("Too many attempts");
    }
    assert_eq!(app.user_count(), 2);
}

#[test]
fn registrations_are_limited_per_client_address() {
    let app = TestApp::with(|f| f.merge(("login_max_failures_ip", 2)));
    app.register("one@example.org")
        .assert_redirect("/complaints/new");
    app.register("two@example.org")
        .assert_redirect("/complaints/new");
    let refused = app.register("three@example.org");
    assert_eq!(refused.status, Status::TooManyRequests);
    assert_eq!(app.user_count(), 2);
}
