//! Operations: `recours backup` while the portal files, `recours restore`, `/readyz`.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use diesel::prelude::*;
use rocket::http::Status;

use recours::domain::account::Role;

use crate::cli::{recours, recours_on, stderr};
use crate::common::{PASSWORD, TestApp, post_with_token};

fn titles_in(database: &Path) -> BTreeSet<String> {
    use recours::db::schema::complaints::dsl::*;
    let mut conn = recours::db::connect(&database.to_string_lossy()).expect("the copy opens");
    complaints
        .select(title)
        .load::<String>(&mut conn)
        .expect("the copy has complaints")
        .into_iter()
        .collect()
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn backup_while_filing_holds_every_acknowledged_complaint_and_is_consistent() {
    let app = TestApp::new();
    if app.backend.is_postgres() {
        return; // backup_on_postgres_points_to_pg_dump
    }
    app.provider("kleema", "Kleema", None, None);
    let filer = app.client_as("filer@example.org", Role::Subscriber);
    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let thread = {
        let (acknowledged, stop) = (acknowledged.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                n += 1;
                let title = format!("Filed while backing up {n}");
                let res = post_with_token(
                    &filer,
                    "/complaints",
                    &[
                        ("provider", "kleema"),
                        ("kind", "other"),
                        ("title", &title),
                        ("description", "The line is dead."),
                        ("amount_claimed", "12"),
                        ("currency", "EUR"),
                    ],
                );
                assert_eq!(res.status, Status::SeeOther, "{}", res.body);
                acknowledged.lock().unwrap().push(title);
            }
            n
        })
    };
    let filed = |at_least: usize| {
        while acknowledged.lock().unwrap().len() < at_least {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        acknowledged.lock().unwrap().clone()
    };
    let before: Vec<String> = filed(10);
    let copy = app.dir.path().join("copy.db");
    let out = recours(&app, &["backup", "--to", &copy.to_string_lossy()], "");
    let during = acknowledged.lock().unwrap().len() - before.len();
    stop.store(true, Ordering::Relaxed);
    let attempted = thread.join().expect("the filer ends");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("verified"), "{}", stdout(&out));

    let in_copy = titles_in(&copy);
    for title in &before {
        assert!(in_copy.contains(title), "{title} missing from the copy");
    }
    // Nothing in the copy that was not filed: no half-written filing.
    let all: BTreeSet<String> = (1..=attempted)
        .map(|n| format!("Filed while backing up {n}"))
        .collect();
    assert!(in_copy.is_subset(&all));
    let mut conn = recours::db::connect(&copy.to_string_lossy()).unwrap();
    assert!(recours::store::stats::verify(&mut conn).unwrap().is_empty());
    #[derive(QueryableByName)]
    struct Check {
        #[diesel(sql_type = diesel::sql_types::Text)]
        integrity_check: String,
    }
    let check: Check = diesel::sql_query("PRAGMA integrity_check")
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(check.integrity_check, "ok");
    println!(
        "backup while filing: {} acknowledged before, {} during, {} in the copy",
        before.len(),
        during,
        in_copy.len()
    );
}

#[test]
fn backup_refuses_an_existing_or_unwritable_target_and_writes_nothing() {
    let app = TestApp::new();
    if app.backend.is_postgres() {
        return;
    }
    let existing = app.dir.path().join("existing.db");
    std::fs::write(&existing, b"keep me").unwrap();
    let out = recours(&app, &["backup", "--to", &existing.to_string_lossy()], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("already exists"), "{}", stderr(&out));
    assert_eq!(std::fs::read(&existing).unwrap(), b"keep me");

    let nowhere = app.dir.path().join("no-such-folder").join("copy.db");
    let out = recours(&app, &["backup", "--to", &nowhere.to_string_lossy()], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cannot write in"), "{}", stderr(&out));
    assert!(!nowhere.parent().unwrap().exists());
    // No partial file left beside the refused target.
    let names: Vec<_> = std::fs::read_dir(app.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.contains("partial")), "{names:?}");
}

#[test]
fn backup_on_postgres_points_to_pg_dump() {
    let app = TestApp::new();
    if !app.backend.is_postgres() {
        return;
    }
    let copy = app.dir.path().join("copy.db");
    let out = recours(&app, &["backup", "--to", &copy.to_string_lossy()], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("pg_dump -Fc"), "{}", stderr(&out));
    assert!(!copy.exists());
}

#[test]
fn restore_refuses_while_the_portal_runs() {
    let app = TestApp::new();
    if app.backend.is_postgres() {
        return;
    }
    app.provider("kleema", "Kleema", None, None);
    let copy = app.dir.path().join("copy.db");
    let out = recours(&app, &["backup", "--to", &copy.to_string_lossy()], "");
    assert!(out.status.success(), "{}", stderr(&out));
    app.logged_in_as("ana@example.org", Role::Subscriber);
    app.filed(&[]);

    let out = recours(&app, &["restore", "--from", &copy.to_string_lossy()], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("stop it first"), "{}", stderr(&out));
    assert_eq!(app.count("complaints"), 1);
}

/// A database made and changed through the command line only, so no portal holds it.
fn cli_database(dir: &Path) -> String {
    let url = dir.join("recours.db").to_string_lossy().into_owned();
    let out = recours_on(&url, &["migrate"], "");
    assert!(out.status.success(), "{}", stderr(&out));
    url
}

fn create_user(url: &str, email: &str) {
    let out = recours_on(
        url,
        &["user", "create", "--email", email, "--role", "subscriber"],
        &format!("{PASSWORD}\n"),
    );
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn restore_puts_the_backup_back_once_the_portal_is_stopped() {
    if std::env::var("TEST_DATABASE_URL").is_ok_and(|u| !u.is_empty()) {
        return; // SQLite only; PostgreSQL restores with pg_restore
    }
    let dir = tempfile::tempdir().unwrap();
    let url = cli_database(dir.path());
    create_user(&url, "kept@example.org");
    let copy = dir.path().join("copy.db");
    let out = recours_on(&url, &["backup", "--to", &copy.to_string_lossy()], "");
    assert!(out.status.success(), "{}", stderr(&out));
    create_user(&url, "after-the-backup@example.org");

    let out = recours_on(&url, &["restore", "--from", &copy.to_string_lossy()], "");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("1 account(s)"), "{}", stdout(&out));
    // The restored database is the backup's: the later account is gone, the earlier works.
    let again = recours_on(
        &url,
        &[
            "user",
            "create",
            "--email",
            "kept@example.org",
            "--role",
            "subscriber",
        ],
        &format!("{PASSWORD}\n"),
    );
    assert!(stderr(&again).contains("already"), "{}", stderr(&again));
    create_user(&url, "after-the-backup@example.org");
    let out = recours_on(&url, &["stats", "verify"], "");
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn restore_refuses_what_is_not_a_recours_backup_and_changes_nothing() {
    if std::env::var("TEST_DATABASE_URL").is_ok_and(|u| !u.is_empty()) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let url = cli_database(dir.path());
    create_user(&url, "kept@example.org");
    let before = std::fs::read(&url).unwrap();

    let junk = dir.path().join("junk.db");
    std::fs::write(
        &junk,
        b"this is not a database at all, just some words ".repeat(100),
    )
    .unwrap();
    let other = dir.path().join("other.db");
    let mut conn = diesel::SqliteConnection::establish(&other.to_string_lossy()).unwrap();
    diesel::connection::SimpleConnection::batch_execute(&mut conn, "CREATE TABLE notes (x TEXT)")
        .unwrap();
    drop(conn);
    let newer = dir.path().join("newer.db");
    let out = recours_on(&url, &["backup", "--to", &newer.to_string_lossy()], "");
    assert!(out.status.success(), "{}", stderr(&out));
    let mut conn = diesel::SqliteConnection::establish(&newer.to_string_lossy()).unwrap();
    diesel::connection::SimpleConnection::batch_execute(
        &mut conn,
        "INSERT INTO __diesel_schema_migrations (version) VALUES ('29991231000000')",
    )
    .unwrap();
    drop(conn);

    for (file, says) in [
        (&junk, "not a valid Recours database"),
        (&other, "not a valid Recours database"),
        (&newer, "newer version"),
        (&dir.path().join("missing.db"), "no file"),
    ] {
        let out = recours_on(&url, &["restore", "--from", &file.to_string_lossy()], "");
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert!(stderr(&out).contains(says), "{}", stderr(&out));
    }
    assert_eq!(std::fs::read(&url).unwrap(), before);
}

#[test]
fn readyz_is_ready_when_migrated_and_503_when_a_migration_is_missing() {
    let app = TestApp::new();
    let res = app.get("/readyz");
    assert_eq!((res.status, res.body.as_str()), (Status::Ok, "ready"));
    app.sql(
        "DELETE FROM __diesel_schema_migrations WHERE version = \
         (SELECT max(version) FROM __diesel_schema_migrations)",
    );
    let res = app.get("/readyz");
    assert_eq!(res.status, Status::ServiceUnavailable);
    res.assert_contains("migrations not applied");
    // Liveness is another question: the process and the database still answer.
    assert_eq!(app.get("/healthz").status, Status::Ok);
}

#[test]
fn restore_replaces_a_damaged_database() {
    if std::env::var("TEST_DATABASE_URL").is_ok_and(|u| !u.is_empty()) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let url = cli_database(dir.path());
    create_user(&url, "kept@example.org");
    let copy = dir.path().join("copy.db");
    let out = recours_on(&url, &["backup", "--to", &copy.to_string_lossy()], "");
    assert!(out.status.success(), "{}", stderr(&out));
    std::fs::write(&url, b"the disk ate it ".repeat(500)).unwrap();

    let out = recours_on(&url, &["restore", "--from", &copy.to_string_lossy()], "");
    assert!(out.status.success(), "{}", stderr(&out));
    let out = recours_on(&url, &["stats", "verify"], "");
    assert!(out.status.success(), "{}", stderr(&out));
}
