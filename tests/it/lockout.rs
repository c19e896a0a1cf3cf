use rocket::http::Status;

use crate::accounts::ago;
use crate::common::{PASSWORD, TestApp, login_from};
use recours::domain::account::Role;

#[test]
fn five_failures_lock_the_account_then_the_lock_ends() {
    let app = TestApp::new();
    app.create_user("jo@example.org", Role::Subscriber);
    for _ in 0..5 {
        let res = login_from(
            &app.client,
            "192.0.2.1",
            "jo@example.org",
            "wrong password!!",
        );
        assert_eq!(res.status, Status::UnprocessableEntity);
    }
    // Even the right password is refused now, from anywhere.
    let res = login_from(&app.client, "192.0.2.2", "jo@example.org", PASSWORD);
    assert_eq!(res.status, Status::TooManyRequests);
    let wait: i64 = res
        .header("Retry-After")
        .expect("Retry-After")
        .parse()
        .unwrap();
    assert!((1..=900).contains(&wait), "{wait}");
    res.assert_contains("Too many failed attempts");
    assert_eq!(
        app.get("/account").status,
        Status::SeeOther,
        "not logged in"
    );

    // Sixteen minutes later the failures have left the window.
    app.sql(&format!("UPDATE login_failures SET at = '{}'", ago(16)));
    login_from(&app.client, "192.0.2.2", "jo@example.org", PASSWORD).assert_redirect("/");
}

#[test]
fn an_unknown_account_locks_the_same_way() {
    let app = TestApp::new();
    for _ in 0..5 {
        login_from(
            &app.client,
            "192.0.2.1",
            "ghost@example.org",
            "wrong password!!",
        );
    }
    let res = login_from(
        &app.client,
        "192.0.2.3",
        "ghost@example.org",
        "wrong password!!",
    );
    assert_eq!(res.status, Status::TooManyRequests);
    assert!(res.header("Retry-After").is_some());
}

#[test]
fn twenty_failures_lock_the_address_not_the_others() {
    let app = TestApp::new();
    app.create_user("kim@example.org", Role::Subscriber);
    for i in 0..20 {
        let email = format!("guess{i}@example.org");
        let res = login_from(&app.client, "198.51.100.7", &email, "wrong password!!");
        assert_eq!(res.status, Status::UnprocessableEntity, "attempt {i}");
    }
    let res = login_from(&app.client, "198.51.100.7", "kim@example.org", PASSWORD);
    assert_eq!(res.status, Status::TooManyRequests);
    login_from(&app.client, "198.51.100.8", "kim@example.org", PASSWORD).assert_redirect("/");
}

#[test]
fn a_lock_earned_on_one_instance_holds_on_another() {
    let app = TestApp::new();
    app.create_user("lea@example.org", Role::Subscriber);
    for _ in 0..5 {
        login_from(
            &app.client,
            "192.0.2.1",
            "lea@example.org",
            "wrong password!!",
        );
    }
    let other = app.another_instance();
    let res = login_from(&other, "192.0.2.9", "lea@example.org", PASSWORD);
    assert_eq!(res.status, Status::TooManyRequests);
}

#[test]
fn a_success_clears_the_account_failures() {
    let app = TestApp::new();
    app.create_user("max@example.org", Role::Subscriber);
    for _ in 0..4 {
        login_from(
            &app.client,
            "192.0.2.1",
            "max@example.org",
            "wrong password!!",
        );
    }
    login_from(&app.client, "192.0.2.1", "max@example.org", PASSWORD).assert_redirect("/");
    app.post("/logout", &[]).assert_redirect("/");
    for _ in 0..4 {
        let res = login_from(
            &app.client,
            "192.0.2.1",
            "max@example.org",
            "wrong password!!",
        );
        assert_eq!(res.status, Status::UnprocessableEntity);
    }
}
