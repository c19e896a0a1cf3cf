//! The first run: the shipped provider directory, `provider import`, and the guidance a
//! fresh installation gives its first administrator.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use recours::domain::account::Role;
use rocket::http::Status;

use crate::cli::{recours, stderr};
use crate::common::TestApp;

const HEADER: &str =
    "slug,name,country,network,website,subscribers,subscribers_as_of,subscribers_source\n";

fn shipped_lines() -> usize {
    recours::domain::directory::SHIPPED.lines().count() - 1
}

fn write_file(app: &TestApp, name: &str, text: &str) -> String {
    let path = app.dir.path().join(name);
    std::fs::write(&path, text).expect("the file is written");
    path.to_string_lossy().into_owned()
}

#[test]
fn a_fresh_installation_lists_the_shipped_providers_with_their_sources() {
    let app = TestApp::with(|f| f.merge(("fill_directory", true)));
    assert_eq!(app.count("providers"), shipped_lines() as i64);
    app.logged_in_as("pat@example.org", Role::Subscriber);
    let form = app.get("/complaints/new");
    for name in [
        "Maroc Telecom (IAM) (MA)",
        "Tunisie Telecom (TN)",
        "Mobilis (DZ)",
        "Kleema (FR)",
    ] {
        form.assert_contains(name);
    }
    // A count's date and source are on the provider's statistics page.
    let page = app.get("/stats/providers/mobilis");
    assert_eq!(page.status, Status::Ok);
    page.assert_contains("22,510,000");
    page.assert_contains("2023-12-31");
    page.assert_contains("ARPCE");
    // A reseller rides on its network.
    app.get("/stats/providers/kleema")
        .assert_contains("/stats/providers/inwi");

    // A restart, or another instance, finds it filled and adds nothing.
    let added = recours::store::providers::fill_if_empty(&mut app.conn()).expect("it runs");
    assert_eq!(added, 0);
    assert_eq!(app.count("providers"), shipped_lines() as i64);
}

#[test]
fn the_home_page_of_a_fresh_installation_guides_the_first_administrator() {
    let app = TestApp::new();
    let home = app.get("/");
    home.assert_contains("First steps for the administrator");
    home.assert_contains("user create --email you@example.org --role admin");
    app.create_user("admin@example.org", Role::Admin);
    let home = app.get("/");
    assert!(!home.body.contains("First steps"), "{}", home.body);
}

#[test]
fn import_loads_once_and_keeps_an_admins_edit_unless_forced() {
    let app = TestApp::new();
    let file = write_file(
        &app,
        "dir.csv",
        &format!(
            "{HEADER}inwi,inwi,MA,,https://www.inwi.ma,,,\nkleema,Kleema,FR,inwi,,50000,2009-09,\"Kleema, 2009 interview\"\n"
        ),
    );
    let out = recours(&app, &["provider", "import", &file], "");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("2 added"));
    // Idempotent: nothing duplicated, nothing rewritten.
    let out = recours(&app, &["provider", "import", &file], "");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("0 added, 0 updated, 2 unchanged"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(app.count("providers"), 2);

    // An admin renames Kleema; a new file's version leaves the edit alone.
    app.logged_in_as("admin@example.org", Role::Admin);
    let edit = app.get("/admin/providers/kleema");
    edit.assert_contains("Kleema, 2009 interview");
    app.post(
        "/admin/providers/kleema",
        &[
            ("slug", "kleema"),
            ("name", "Kleema SAS"),
            ("country", "FR"),
            ("subscribers", "50000"),
            ("subscribers_as_of", "2009-09"),
            ("subscribers_source", "Kleema, 2009 interview"),
            ("network", "inwi"),
        ],
    )
    .assert_redirect("/admin/providers");
    let file = write_file(
        &app,
        "dir2.csv",
        &format!(
            "{HEADER}inwi,inwi (ex-Wana),MA,,https://www.inwi.ma,,,\nkleema,Kleema,FR,inwi,,60000,2009-10,Other\n"
        ),
    );
    let out = recours(&app, &["provider", "import", &file], "");
    assert!(out.status.success(), "{}", stderr(&out));
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        said.contains("1 updated") && said.contains("1 kept") && said.contains("kleema"),
        "{said}"
    );
    app.get("/admin/providers/kleema")
        .assert_contains("Kleema SAS");
    app.get("/admin/providers/inwi")
        .assert_contains("inwi (ex-Wana)");

    let out = recours(&app, &["provider", "import", "--force", &file], "");
    assert!(out.status.success(), "{}", stderr(&out));
    let edit = app.get("/admin/providers/kleema");
    assert!(!edit.body.contains("Kleema SAS"));
    edit.assert_contains("60000");
}

#[test]
fn a_wrong_import_file_names_each_line_and_imports_nothing() {
    let app = TestApp::new();
    let file = write_file(
        &app,
        "bad.csv",
        &format!(
            "{HEADER}good,Good,FR,,,,,\ngood,Good again,FR,,,,,\nneg,Negative,FR,,,-5,,\nshort,Short,FR\nlost,Lost,FR,nowhere,,,,\n"
        ),
    );
    let out = recours(&app, &["provider", "import", &file], "");
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    for (line, what) in [
        (3, "already on line 2"),
        (4, "subscribers"),
        (5, "3 field(s), 8 expected"),
        (6, "nowhere"),
    ] {
        assert!(
            err.contains(&format!("bad.csv:{line}: ")),
            "line {line}: {err}"
        );
        assert!(err.contains(what), "{what}: {err}");
    }
    assert!(err.contains("nothing imported"), "{err}");
    assert_eq!(app.count("providers"), 0);

    let file = write_file(&app, "header.csv", "name,slug\nx,y\n");
    let out = recours(&app, &["provider", "import", &file], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("header.csv:1: the first line must be slug,name"),
        "{}",
        stderr(&out)
    );
    let out = recours(&app, &["provider", "import", "/nonexistent/dir.csv"], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("cannot read /nonexistent/dir.csv"));
    assert_eq!(app.count("providers"), 0);
}

#[test]
fn serve_says_where_it_serves_and_what_to_do_first() {
    let app = TestApp::new();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_recours"))
        .env("DATABASE_URL", &app.database_url)
        .env("ROCKET_DATA_DIR", app.dir.path())
        .env("ROCKET_PORT", port.to_string())
        .env("ROCKET_LOG_LEVEL", "off")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary runs");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut said = Vec::new();
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(60) {
        match rx.recv_timeout(Duration::from_millis(200)) {
            Ok(line) => {
                let last = line.contains("seed-demo");
                said.push(line);
                if last {
                    break;
                }
            }
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => continue,
            Err(_) => break,
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    let said = said.join("\n");
    assert!(
        said.contains(&format!("Recours serves http://127.0.0.1:{port}/")),
        "{said}"
    );
    assert!(said.contains("Data: "), "{said}");
    // Never the credentials of a PostgreSQL URL.
    assert!(!said.contains("postgres://"), "{said}");
    assert!(
        said.contains(&format!(
            "Provider directory: {} provider(s)",
            shipped_lines()
        )),
        "{said}"
    );
    assert!(
        said.contains("user create --email you@example.org --role admin"),
        "{said}"
    );
    assert!(said.contains("seed-demo --complaints"), "{said}");
}
