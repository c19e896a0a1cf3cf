//! The `recours` command line, run as a process against the test database.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use crate::common::{PASSWORD, TestApp, enrol_on};

pub fn recours(app: &TestApp, args: &[&str], stdin: &str) -> Output {
    recours_on(&app.database_url, args, stdin)
}

pub fn recours_on(database_url: &str, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_recours"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("ROCKET_LOG_LEVEL", "off")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    // The command may exit before reading (wrong arguments): a broken pipe is fine.
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    child.wait_with_output().unwrap()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn user_create_reads_the_password_from_stdin_and_the_account_works() {
    let app = TestApp::new();
    let out = recours(
        &app,
        &[
            "user",
            "create",
            "--email",
            "admin@example.org",
            "--role",
            "admin",
        ],
        &format!("{PASSWORD}\n"),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    // The new admin sets up a second factor at the first log-in.
    app.login("admin@example.org", PASSWORD)
        .assert_redirect("/login/code?next=%2F");
    enrol_on(&app.client);
    assert_eq!(app.get("/admin/users").status, rocket::http::Status::Ok);

    let again = recours(
        &app,
        &[
            "user",
            "create",
            "--email",
            "ADMIN@example.org",
            "--role",
            "admin",
        ],
        &format!("{PASSWORD}\n"),
    );
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("already"), "{}", stderr(&again));
}

#[test]
fn wrong_arguments_exit_with_2_and_a_clear_message() {
    let app = TestApp::new();
    let cases: [(&[&str], &str, &str); 5] = [
        (
            &[
                "user",
                "create",
                "--email",
                "a@example.org",
                "--role",
                "emperor",
            ],
            PASSWORD,
            "emperor",
        ),
        (&["user", "create", "--role", "admin"], PASSWORD, "--email"),
        (
            &[
                "user",
                "create",
                "--email",
                "not-an-email",
                "--role",
                "admin",
            ],
            PASSWORD,
            "not a valid e-mail",
        ),
        (
            &[
                "user",
                "create",
                "--email",
                "a@example.org",
                "--role",
                "admin",
            ],
            "short",
            "at least 12",
        ),
        (&["frobnicate"], "", "frobnicate"),
    ];
    for (args, stdin, says) in cases {
        let out = recours(&app, args, &format!("{stdin}\n"));
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(says), "{args:?}: {}", stderr(&out));
    }
    assert_eq!(app.user_count(), 0);
}

#[test]
fn set_role_changes_an_existing_account_only() {
    let app = TestApp::new();
    app.create_user(
        "vic@example.org",
        recours::domain::account::Role::Subscriber,
    );
    let out = recours(
        &app,
        &[
            "user",
            "set-role",
            "--email",
            "Vic@Example.org",
            "--role",
            "reviewer",
        ],
        "",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    app.login("vic@example.org", PASSWORD)
        .assert_redirect("/login/code?next=%2F");
    enrol_on(&app.client);
    app.get("/account")
        .assert_contains("Consumer association reviewer");

    let out = recours(
        &app,
        &[
            "user",
            "set-role",
            "--email",
            "nobody@example.org",
            "--role",
            "admin",
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no account"));
}

#[test]
fn migrate_applies_nothing_twice() {
    let app = TestApp::new();
    let out = recours(&app, &["migrate"], "");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("0 migration(s) applied"));
}

#[test]
fn a_bad_database_url_stops_with_one_line() {
    for url in [
        "postgres://nobody@127.0.0.1:1/none",
        "/proc/recours-cannot-be-here/x.db",
    ] {
        for args in [&["migrate"][..], &["serve"][..]] {
            let out = recours_on(url, args, "");
            assert_eq!(out.status.code(), Some(1), "{url} {args:?}");
            let err = stderr(&out);
            assert_eq!(err.trim_end().lines().count(), 1, "{err}");
            assert!(err.starts_with("error: cannot"), "{err}");
            assert!(!err.contains("panicked"), "{err}");
        }
    }
}

#[test]
fn provider_add_fills_the_directory() {
    let app = TestApp::new();
    let out = recours(
        &app,
        &[
            "provider",
            "add",
            "--slug",
            "wana",
            "--name",
            "Wana",
            "--country",
            "MA",
            "--subscribers",
            "3000000",
        ],
        "",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = recours(
        &app,
        &[
            "provider",
            "add",
            "--slug",
            "kleema",
            "--name",
            "Kleema",
            "--country",
            "fr",
            "--network",
            "wana",
        ],
        "",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    app.logged_in_as(
        "pat@example.org",
        recours::domain::account::Role::Subscriber,
    );
    let form = app.get("/complaints/new");
    form.assert_contains("Kleema (FR)");
    form.assert_contains("Wana (MA)");

    let again = recours(
        &app,
        &[
            "provider",
            "add",
            "--slug",
            "wana",
            "--name",
            "Wana 2",
            "--country",
            "MA",
        ],
        "",
    );
    assert_eq!(again.status.code(), Some(1));
    assert!(
        stderr(&again).contains("already uses this short name"),
        "{}",
        stderr(&again)
    );
    let unknown = recours(
        &app,
        &[
            "provider",
            "add",
            "--slug",
            "x-mobile",
            "--name",
            "X",
            "--country",
            "FR",
            "--network",
            "nope",
        ],
        "",
    );
    assert_eq!(unknown.status.code(), Some(1));
    assert!(
        stderr(&unknown).contains("--network"),
        "{}",
        stderr(&unknown)
    );
    for args in [
        &[
            "provider",
            "add",
            "--slug",
            "Bad Slug",
            "--name",
            "X",
            "--country",
            "FR",
        ][..],
        &[
            "provider",
            "add",
            "--slug",
            "ok-slug",
            "--name",
            "X",
            "--country",
            "France",
        ][..],
        &[
            "provider",
            "add",
            "--slug",
            "ok-slug",
            "--name",
            "X",
            "--country",
            "FR",
            "--subscribers",
            "many",
        ][..],
        &["provider", "add", "--name", "X", "--country", "FR"][..],
    ] {
        let out = recours(&app, args, "");
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    }
}

#[test]
fn stats_verify_finds_a_tampered_figure_and_rebuild_mends_it() {
    let app = TestApp::new();
    app.provider("kleema", "Kleema", None, None);
    app.logged_in_as("v@example.org", recours::domain::account::Role::Subscriber);
    app.filed(&[]);
    app.filed(&[("amount_claimed", "")]);
    let ok = recours(&app, &["stats", "verify"], "");
    assert!(ok.status.success(), "{}", stderr(&ok));
    assert!(String::from_utf8_lossy(&ok.stdout).contains("verified"));

    app.sql("UPDATE stat_counts SET value = value + 5 WHERE metric = 'complaints'");
    let bad = recours(&app, &["stats", "verify"], "");
    assert_eq!(bad.status.code(), Some(1));
    let listed = String::from_utf8_lossy(&bad.stdout);
    assert!(
        listed.contains("complaints") && listed.contains("stored 7, recounted 2"),
        "{listed}"
    );
    assert!(stderr(&bad).contains("differ"), "{}", stderr(&bad));

    let rebuilt = recours(&app, &["stats", "rebuild"], "");
    assert!(rebuilt.status.success(), "{}", stderr(&rebuilt));
    assert!(recours(&app, &["stats", "verify"], "").status.success());
}

#[test]
fn seed_demo_is_realistic_deterministic_and_counted() {
    let published = |app: &TestApp| {
        let mut doc: serde_json::Value =
            serde_json::from_str(&app.get("/api/v1/stats/providers").body).unwrap();
        doc["generated_at"] = serde_json::Value::Null;
        doc
    };
    let first = TestApp::new();
    let out = recours(
        &first,
        &["seed-demo", "--complaints", "600", "--seed", "42"],
        "",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("loaded 600 complaints"));
    let second = TestApp::new();
    assert!(
        recours(
            &second,
            &["seed-demo", "--complaints", "600", "--seed", "42"],
            ""
        )
        .status
        .success()
    );
    assert_eq!(
        published(&first),
        published(&second),
        "same seed, same data"
    );
    let other = TestApp::new();
    assert!(
        recours(
            &other,
            &["seed-demo", "--complaints", "600", "--seed", "43"],
            ""
        )
        .status
        .success()
    );
    assert_ne!(published(&first), published(&other));

    let doc = published(&first);
    let providers = doc["providers"].as_array().unwrap();
    assert!(providers.len() >= 10);
    assert!(
        providers
            .iter()
            .any(|p| p["slug"] == "kleema" && p["network"] == "wana"),
        "a reseller on another's network"
    );
    assert!(
        providers
            .iter()
            .all(|p| p["subscribers"].as_i64().is_some())
    );
    for kind in ["service_cut", "price_hike", "billing", "other"] {
        let n: i64 = providers
            .iter()
            .map(|p| p["by_kind"][kind].as_i64().unwrap())
            .sum();
        assert!(n > 0, "{kind}");
    }
    for state in [
        "filed",
        "sent",
        "answered",
        "escalated",
        "resolved",
        "withdrawn",
    ] {
        let n: i64 = providers
            .iter()
            .map(|p| p["claims"]["by_state"][state].as_i64().unwrap())
            .sum();
        assert!(n > 0, "{state}");
    }
    assert_eq!(first.count("complaints"), 600);
    assert!(recours(&first, &["stats", "verify"], "").status.success());
    // The demo accounts log in with the printed password, then set up a second factor.
    first
        .login(
            "demo-reviewer@recours.example",
            recours::demo::DEMO_PASSWORD,
        )
        .assert_redirect("/login/code?next=%2F");
    enrol_on(&first.client);
    assert_eq!(first.get("/review").status, rocket::http::Status::Ok);
    let again = recours(
        &first,
        &["seed-demo", "--complaints", "10", "--seed", "42"],
        "",
    );
    assert_eq!(
        again.status.code(),
        Some(1),
        "the same seed twice is refused"
    );
}
