use rocket::http::Status;

use crate::accounts::ago;
use crate::common::{PASSWORD, TestApp, login_from, login_via, logins_at_once};
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

/// Every wrong guess sent at once is counted before its hash runs: of 40 simultaneous
/// guesses (on two instances) at most the limit reach the password check; the others, and
/// then the right password, are refused.
#[test]
fn forty_simultaneous_guesses_consume_at_most_the_limit() {
    let app = TestApp::new();
    app.create_user("ana@example.org", Role::Subscriber);
    let guesses: Vec<_> = (0..40)
        .map(|i| {
            (
                format!("192.0.2.{}", i + 1),
                "ana@example.org".to_string(),
                format!("wrong guess number {i}"),
            )
        })
        .collect();
    // A queue long enough for all: this is about the lock, not the queue.
    let (answers, _) = logins_at_once(&app, |f| f.merge(("hash_queue", 64)), &guesses, 0);
    let checked = answers
        .iter()
        .filter(|(s, _)| *s == Status::UnprocessableEntity)
        .count();
    let refused = answers
        .iter()
        .filter(|(s, wait)| *s == Status::TooManyRequests && wait.is_some())
        .count();
    assert!((1..=5).contains(&checked), "{answers:?}");
    assert_eq!(checked + refused, 40, "{answers:?}");
    let res = login_from(&app.client, "192.0.2.200", "ana@example.org", PASSWORD);
    assert_eq!(res.status, Status::TooManyRequests);
}

/// An address with no account is counted, locked and answered exactly like one with an
/// account: the same statuses, the same message, the same `Retry-After`.
#[test]
fn known_and_unknown_addresses_answer_alike() {
    let app = TestApp::new();
    app.create_user("kai@example.org", Role::Subscriber);
    let attempts = |email: &str| {
        (0..6)
            .map(|_| login_from(&app.client, "192.0.2.1", email, "wrong password!!"))
            .collect::<Vec<_>>()
    };
    let known = attempts("kai@example.org");
    let unknown = attempts("nobody@example.org");
    for (k, u) in known.iter().zip(&unknown) {
        assert_eq!(k.status, u.status);
        assert_eq!(
            k.header("Retry-After").is_some(),
            u.header("Retry-After").is_some()
        );
    }
    assert_eq!(known[4].status, Status::UnprocessableEntity);
    known[4].assert_contains("Wrong e-mail address or password.");
    unknown[4].assert_contains("Wrong e-mail address or password.");
    assert_eq!(unknown[5].status, Status::TooManyRequests);
    // The same age of failures gives the same wait (half a second from a boundary).
    let at = chrono::Utc::now().naive_utc() - chrono::Duration::minutes(5)
        + chrono::Duration::milliseconds(500);
    app.sql(&format!(
        "UPDATE login_failures SET at = '{}'",
        at.format("%Y-%m-%d %H:%M:%S%.6f")
    ));
    let k = login_from(&app.client, "192.0.2.2", "kai@example.org", PASSWORD);
    let u = login_from(&app.client, "192.0.2.3", "nobody@example.org", PASSWORD);
    assert_eq!(k.status, Status::TooManyRequests);
    assert_eq!(u.status, Status::TooManyRequests);
    assert_eq!(k.header("Retry-After"), u.header("Retry-After"));
    assert_eq!(k.header("Retry-After"), Some("601"));
}

/// Without `trusted_proxies`, what a client writes in `X-Real-IP` or `X-Forwarded-For` does
/// not change its address: twenty failures from one socket lock it, however many addresses
/// it claims.
#[test]
fn a_client_cannot_choose_its_address() {
    let app = TestApp::new();
    app.create_user("kim@example.org", Role::Subscriber);
    for i in 0..20 {
        let claimed = format!("203.0.113.{i}");
        let res = login_via(
            &app.client,
            "198.51.100.7",
            &[("X-Real-IP", &claimed), ("X-Forwarded-For", &claimed)],
            &format!("guess{i}@example.org"),
            "wrong password!!",
        );
        assert_eq!(res.status, Status::UnprocessableEntity, "attempt {i}");
    }
    let res = login_via(
        &app.client,
        "198.51.100.7",
        &[
            ("X-Real-IP", "203.0.113.99"),
            ("X-Forwarded-For", "203.0.113.99"),
        ],
        "kim@example.org",
        PASSWORD,
    );
    assert_eq!(res.status, Status::TooManyRequests);
}

/// Behind a proxy named in `trusted_proxies`, the client is the right-most address of
/// `X-Forwarded-For` that is not a trusted proxy: its own limit applies, not the proxy's.
#[test]
fn a_trusted_proxy_names_the_client() {
    // As the environment gives it: one string, comma-separated.
    let app = TestApp::with(|f| f.merge(("trusted_proxies", "10.0.0.0/8, 192.0.2.1")));
    app.create_user("kim@example.org", Role::Subscriber);
    for i in 0..20 {
        // What the client wrote to the left of what the proxy appended is ignored.
        let chain = format!("203.0.113.{i}, 198.51.100.7, 10.0.0.2");
        let res = login_via(
            &app.client,
            "10.0.0.1",
            &[("X-Forwarded-For", &chain)],
            &format!("guess{i}@example.org"),
            "wrong password!!",
        );
        assert_eq!(res.status, Status::UnprocessableEntity, "attempt {i}");
    }
    let from = |chain: &str| {
        login_via(
            &app.client,
            "10.0.0.1",
            &[("X-Forwarded-For", chain)],
            "kim@example.org",
            PASSWORD,
        )
    };
    assert_eq!(from("198.51.100.7").status, Status::TooManyRequests);
    // Another client behind the same proxy is not locked.
    from("198.51.100.8").assert_redirect("/");
    app.post("/logout", &[]).assert_redirect("/");
    // X-Real-IP from a trusted proxy counts too.
    let res = login_via(
        &app.client,
        "192.0.2.1",
        &[("X-Real-IP", "198.51.100.7")],
        "kim@example.org",
        PASSWORD,
    );
    assert_eq!(res.status, Status::TooManyRequests);
}

/// Past `hash_queue` password hashes running or waiting, a log-in is refused at once with
/// 503 and `Retry-After` instead of queueing; the health check answers meanwhile.
#[test]
fn a_login_flood_past_the_hash_queue_is_refused_at_once() {
    let app = TestApp::new();
    let logins: Vec<_> = (0..30)
        .map(|i| {
            (
                format!("192.0.2.{}", i + 1),
                format!("crowd{i}@example.org"),
                "wrong password!!".to_string(),
            )
        })
        .collect();
    let (answers, health) = logins_at_once(&app, |f| f.merge(("hash_queue", 2)), &logins, 5);
    let busy: Vec<_> = answers
        .iter()
        .filter(|(s, _)| *s == Status::ServiceUnavailable)
        .collect();
    let checked = answers
        .iter()
        .filter(|(s, _)| *s == Status::UnprocessableEntity)
        .count();
    assert!(!busy.is_empty(), "{answers:?}");
    assert!(
        busy.iter().all(|(_, wait)| wait.as_deref() == Some("1")),
        "{busy:?}"
    );
    assert!(checked >= 1, "{answers:?}");
    assert_eq!(busy.len() + checked, 30, "{answers:?}");
    assert!(health.iter().all(|s| *s == Status::Ok), "{health:?}");
    // A refused log-in recorded nothing: every address may still try.
    assert_eq!(app.count("login_failures") as usize, checked);
}

/// The current password asked on the account page is throttled like a log-in: past five
/// wrong ones even the right one is refused, for a password change and a deletion alike.
#[test]
fn the_current_password_on_the_account_page_is_throttled() {
    let app = TestApp::new();
    app.logged_in_as("lou@example.org", Role::Subscriber);
    let change = |current: &str| {
        app.post(
            "/account/password",
            &[
                ("current_password", current),
                ("new_password", "violet kettle under 9 moons"),
                ("new_password_confirm", "violet kettle under 9 moons"),
            ],
        )
    };
    for _ in 0..5 {
        let res = change("not my password");
        assert_eq!(res.status, Status::UnprocessableEntity);
        res.assert_contains("This password is not right.");
    }
    let res = change(PASSWORD);
    assert_eq!(res.status, Status::TooManyRequests);
    assert!(res.header("Retry-After").is_some());
    res.assert_contains("Too many wrong passwords");
    let res = app.post("/account/delete", &[("delete_password", PASSWORD)]);
    assert_eq!(res.status, Status::TooManyRequests);
    assert_eq!(app.user_count(), 1);
    // The lock ends with its window; then the right password works again.
    app.sql(&format!("UPDATE login_failures SET at = '{}'", ago(16)));
    change(PASSWORD).assert_redirect("/account");
}
