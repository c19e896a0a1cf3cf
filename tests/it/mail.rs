//! E-mail through a real SMTP server (see `common::smtp`): what arrives, in both languages,
//! and that every link works through HTTP.

use std::time::{Duration, Instant};

use rocket::http::{ContentType, Status};

use crate::cli::{recours, stderr};
use crate::common::smtp::{Received, SmtpSink, free_port};
use crate::common::{PASSWORD, Resp, TestApp, login_on, send};
use recours::domain::account::Role;

const PUBLIC: &str = "https://recours.example";

fn app_sending_to(smtp_url: &str) -> TestApp {
    let url = smtp_url.to_string();
    TestApp::with(move |f| {
        f.merge(("smtp_url", url))
            .merge(("mail_from", "Recours <noreply@recours.example>"))
            .merge(("public_url", PUBLIC))
            .merge(("mail_poll_ms", 50))
            .merge(("mail_retry_base_secs", 1))
    })
}

/// A sink and an app sending to it, or `None` when the mail tests skip.
fn app_and_sink() -> Option<(TestApp, SmtpSink)> {
    let sink = SmtpSink::start()?;
    Some((app_sending_to(&sink.url()), sink))
}

fn in_french(app: &TestApp) {
    assert_eq!(app.get("/lang/fr").status, Status::SeeOther);
}

fn outbox_states(app: &TestApp) -> Vec<(String, i32, Option<String>)> {
    use diesel::prelude::*;
    use recours::db::schema::outbox;
    outbox::table
        .order(outbox::id)
        .select((outbox::state, outbox::attempts, outbox::last_error))
        .load(&mut *app.conn())
        .unwrap()
}

#[track_caller]
fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[track_caller]
fn assert_standard_headers(m: &Received, to: &str) {
    assert_eq!(m.header("From"), Some("Recours <noreply@recours.example>"));
    assert!(m.header("To").is_some_and(|t| t.contains(to)), "{}", m.raw);
    assert!(m.header("Date").is_some(), "{}", m.raw);
    let id = m.header("Message-ID").unwrap_or("");
    assert!(
        id.starts_with("<recours.") && id.ends_with("@recours.example>"),
        "{id}"
    );
    assert!(m.text.contains("Recours"), "{}", m.text);
    assert!(
        m.html.contains("<a href=\"https://recours.example/"),
        "{}",
        m.html
    );
}

#[test]
fn welcome_in_the_page_language_and_its_link_verifies_the_address() {
    let Some((app, sink)) = app_and_sink() else {
        return;
    };
    in_french(&app);
    app.register("nadia@example.org")
        .assert_redirect("/complaints/new");
    let welcome = sink.wait_to("nadia@example.org").remove(0);
    assert_standard_headers(&welcome, "nadia@example.org");
    assert_eq!(
        welcome.header("Subject"),
        Some("Bienvenue sur Recours : confirmez votre adresse")
    );
    assert!(
        welcome.text.contains("Votre compte Recours est prêt"),
        "{}",
        welcome.text
    );
    assert!(
        welcome.header("List-Unsubscribe").is_none(),
        "a needed message"
    );
    assert!(!app.get("/account/email").body.contains("<dd>Oui</dd>"));

    let link = welcome.link(PUBLIC);
    assert!(link.starts_with("/verify/"), "{link}");
    app.get(&link).assert_redirect("/account/email");
    app.get("/account/email").assert_contains("<dd>Oui</dd>");
    // Used once: the second time is a clear page, and nothing changes.
    let again = app.get(&link);
    assert_eq!(again.status, Status::BadRequest);
    again.assert_contains("Ce lien ne fonctionne pas");
    let forged = app.get("/verify/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    assert_eq!(forged.status, Status::BadRequest);

    // The token itself is erased from the outbox once delivered.
    let params: Vec<Option<String>> = {
        use diesel::prelude::*;
        use recours::db::schema::outbox;
        outbox::table
            .select(outbox::params)
            .load(&mut *app.conn())
            .unwrap()
    };
    assert_eq!(params, vec![None]);

    // English for a browser in English.
    let other = app.another_instance();
    send(other.get("/lang/en"));
    let form = send(other.get("/register"));
    let token = crate::common::csrf_in(&form.body).unwrap();
    let body = crate::common::form_body(&[
        ("csrf_token", &token),
        ("email", "omar@example.org"),
        ("password", PASSWORD),
        ("password_confirm", PASSWORD),
    ]);
    send(other.post("/register").header(ContentType::Form).body(body))
        .assert_redirect("/complaints/new");
    let welcome = sink.wait_to("omar@example.org").remove(0);
    assert_eq!(
        welcome.header("Subject"),
        Some("Welcome to Recours: confirm your e-mail address")
    );
    assert!(welcome.text.contains("Your Recours account is ready"));
}

fn forgot(app: &TestApp, email: &str) -> Resp {
    app.post("/password/forgot", &[("email", email)])
}

#[test]
fn password_reset_by_link_resets_once_and_ends_every_session() {
    let Some((app, sink)) = app_and_sink() else {
        return;
    };
    app.create_user("lina@example.org", Role::Subscriber);
    let elsewhere = app.another_instance();
    login_on(&elsewhere, "lina@example.org", PASSWORD).assert_redirect("/");

    // An unknown address answers exactly as a known one, and nothing is sent to it.
    let unknown = forgot(&app, "nobody@example.org");
    let known = forgot(&app, "lina@example.org");
    assert_eq!(unknown.status, Status::Ok);
    assert_eq!(unknown.body, known.body);
    known.assert_contains("If an account uses this address");
    let messages = sink.wait_for(1);
    assert_eq!(messages.len(), 1);
    let m = &messages[0];
    assert_standard_headers(m, "lina@example.org");
    assert_eq!(m.header("Subject"), Some("Choose a new Recours password"));

    let link = m.link(PUBLIC);
    assert!(link.starts_with("/password/reset/"), "{link}");
    // The link trades its token for a private cookie and a token-free address.
    app.get(&link).assert_redirect("/password/reset");
    let form = app.get("/password/reset");
    assert_eq!(form.status, Status::Ok);
    form.assert_contains("name=\"password_confirm\"");
    assert!(!form.body.contains(&link["/password/reset/".len()..]));

    // The password policy holds.
    let weak = app.post(
        "/password/reset",
        &[("password", "password"), ("password_confirm", "password")],
    );
    assert_eq!(weak.status, Status::UnprocessableEntity);
    let new_password = "a brand new passphrase for lina";
    app.post(
        "/password/reset",
        &[
            ("password", new_password),
            ("password_confirm", new_password),
        ],
    )
    .assert_redirect("/login");
    // Every session ended; the old password no longer works, the new one does.
    assert_eq!(
        send(elsewhere.get("/account")).status,
        Status::SeeOther,
        "the other session was ended"
    );
    assert_eq!(
        app.login("lina@example.org", PASSWORD).status,
        Status::UnprocessableEntity
    );
    app.login("lina@example.org", new_password)
        .assert_redirect("/");
    // Used: the link is dead.
    let reused = app.get(&link);
    assert_eq!(reused.status, Status::BadRequest);
    reused.assert_contains("already used, or has expired");
}

#[test]
fn reset_requests_are_limited_per_address() {
    let Some((app, sink)) = app_and_sink() else {
        return;
    };
    app.create_user("sam@example.org", Role::Subscriber);
    for _ in 0..5 {
        assert_eq!(forgot(&app, "sam@example.org").status, Status::Ok);
    }
    sink.wait_for(3);
    wait_until("the outbox to drain", || {
        outbox_states(&app).iter().all(|(s, _, _)| s == "sent")
    });
    assert_eq!(app.count("outbox"), 3, "three links an hour at most");
}

#[test]
fn a_taken_address_is_answered_as_new_and_its_owner_is_told() {
    let Some((app, sink)) = app_and_sink() else {
        return;
    };
    app.create_user("owner@example.org", Role::Subscriber);
    let res = app.register("OWNER@example.org");
    res.assert_redirect("/complaints/new");
    let m = sink.wait_to("owner@example.org").remove(0);
    assert_eq!(
        m.header("Subject"),
        Some("Someone tried to register with your address")
    );
    assert!(m.link(PUBLIC).starts_with("/password/forgot"));
    assert_eq!(app.user_count(), 1);
}

#[test]
fn optional_messages_carry_a_one_click_unsubscribe_that_needs_no_session() {
    let Some((app, sink)) = app_and_sink() else {
        return;
    };
    app.provider("kleema", "Kleema", None, None);
    app.logged_in_as("rim@example.org", Role::Subscriber);
    // A title cannot smuggle a header into the subject.
    let path = app.filed(&[("title", "Cut\r\nBcc: victim@example.org")]);
    let m = sink.wait_to("rim@example.org").remove(0);
    assert_standard_headers(&m, "rim@example.org");
    assert!(m.header("Bcc").is_none(), "{}", m.raw);
    assert!(!m.raw.lines().any(|l| l.starts_with("Bcc:")), "{}", m.raw);
    let subject = m.header("Subject").unwrap();
    assert!(subject.starts_with("Complaint R-"), "{subject}");
    assert!(m.text.contains("Next step: send your claim"), "{}", m.text);
    assert_eq!(m.link(PUBLIC), path);
    let unsubscribe = m.header("List-Unsubscribe").unwrap();
    assert_eq!(
        m.header("List-Unsubscribe-Post"),
        Some("List-Unsubscribe=One-Click")
    );
    let url = unsubscribe.trim_start_matches('<').trim_end_matches('>');
    let path = url.strip_prefix(PUBLIC).expect("a link of the portal");

    // The page shows a button; the mail client's POST needs no session and no CSRF token.
    let stranger = app.another_instance();
    send(stranger.get(path)).assert_contains("Stop the e-mails");
    let res = send(
        stranger
            .post(path.to_string())
            .header(ContentType::Form)
            .body("List-Unsubscribe=One-Click"),
    );
    assert_eq!(res.status, Status::Ok, "{}", res.body);
    assert!(!app.get("/account/email").body.contains(" checked"));
    let wrong = send(
        stranger
            .post("/unsubscribe/nope")
            .body("List-Unsubscribe=One-Click"),
    );
    assert_eq!(wrong.status, Status::BadRequest);
    // Any other form still needs its token.
    let res = send(
        app.client
            .post("/account/reminders")
            .header(ContentType::Form)
            .body("reminders=on"),
    );
    assert_eq!(res.status, Status::Forbidden);
    // And the account page turns reminders back on.
    app.post("/account/reminders", &[("reminders", "on")])
        .assert_redirect("/account/email");
    app.get("/account/email").assert_contains(" checked");
}

#[test]
fn an_unreachable_server_is_retried_until_it_answers() {
    let port = free_port();
    // The tests skip when aiosmtpd cannot be installed: ask before starting anything.
    let Some(probe) = SmtpSink::start() else {
        return;
    };
    drop(probe);
    let app = app_sending_to(&format!("smtp://127.0.0.1:{port}"));
    app.create_user("late@example.org", Role::Subscriber);
    forgot(&app, "late@example.org");
    wait_until("a failed attempt", || {
        outbox_states(&app)
            .first()
            .is_some_and(|(s, attempts, e)| s == "waiting" && *attempts >= 1 && e.is_some())
    });
    let sink = SmtpSink::start_on(port).expect("the sink starts");
    let m = sink.wait_to("late@example.org");
    assert_eq!(m.len(), 1);
    wait_until("the message marked sent", || {
        outbox_states(&app)
            .first()
            .is_some_and(|(s, _, _)| s == "sent")
    });
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(sink.messages().len(), 1, "delivered once");
}

#[test]
fn a_permanent_refusal_is_marked_failed_and_shown_by_the_command_line() {
    let Some((app, sink)) = app_and_sink() else {
        return;
    };
    app.create_user("reject@example.org", Role::Subscriber);
    forgot(&app, "reject@example.org");
    wait_until("the message marked failed", || {
        outbox_states(&app)
            .first()
            .is_some_and(|(s, _, _)| s == "failed")
    });
    let (_, attempts, error) = outbox_states(&app).remove(0);
    assert_eq!(attempts, 1, "a 5xx is not tried again");
    assert!(error.unwrap_or_default().contains("550"));
    assert!(sink.messages().is_empty());
    let out = recours(&app, &["mail", "outbox"], "");
    assert!(out.status.success(), "{}", stderr(&out));
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(shown.contains("failed: 1"), "{shown}");
    assert!(shown.contains("550"), "{shown}");
}

#[test]
fn send_test_delivers_through_the_configured_server() {
    let Some((app, sink)) = app_and_sink() else {
        return;
    };
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_recours"))
        .args(["mail", "send-test", "--to", "ops@example.org"])
        .env("DATABASE_URL", &app.database_url)
        .env("ROCKET_DATA_DIR", app.dir.path())
        .env("ROCKET_SMTP_URL", sink.url())
        .env("ROCKET_LOG_LEVEL", "off")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let m = sink.wait_to("ops@example.org").remove(0);
    assert_eq!(m.header("Subject"), Some("Recours test message"));
}

/// A subscriber with a claim sent on `sent_on`, whose address is verified or not and whose
/// reminders are on or off.
fn subscriber_with_sent_claim(
    app: &TestApp,
    email: &str,
    verified: bool,
    reminders: bool,
    sent_on: &str,
) {
    let client = app.client_as(email, Role::Subscriber);
    let page = send(client.get("/complaints/new"));
    let token = crate::common::csrf_in(&page.body).unwrap();
    let body = crate::common::form_body(&[
        ("csrf_token", &token),
        ("provider", "kleema"),
        ("kind", "other"),
        ("title", "Line cut"),
        ("description", "Dead since September."),
        ("amount_claimed", "89"),
        ("currency", "EUR"),
    ]);
    let res = send(
        client
            .post("/complaints")
            .header(ContentType::Form)
            .body(body),
    );
    let path = res.location().to_string();
    crate::common::post_with_token(
        &client,
        &format!("{path}/claim"),
        &[("action", "send"), ("on", sent_on), ("channel", "email")],
    )
    .assert_redirect(&path);
    let email_sql = email.replace('\'', "");
    if verified {
        app.sql(&format!(
            "UPDATE users SET email_verified_at = created_at WHERE email = '{email_sql}'"
        ));
    }
    if !reminders {
        app.sql(&format!(
            "UPDATE users SET reminders = FALSE WHERE email = '{email_sql}'"
        ));
    }
}

#[test]
fn the_reminder_pass_is_idempotent_and_respects_preferences() {
    let Some((app, sink)) = app_and_sink() else {
        return;
    };
    app.provider("kleema", "Kleema", None, None);
    let sent_on = (chrono::Utc::now().date_naive() - chrono::Days::new(40)).to_string();
    subscriber_with_sent_claim(&app, "on@example.org", true, true, &sent_on);
    subscriber_with_sent_claim(&app, "unverified@example.org", false, true, &sent_on);
    subscriber_with_sent_claim(&app, "off@example.org", true, false, &sent_on);
    // Let the filing and claim messages go first.
    wait_until("the outbox to drain", || {
        outbox_states(&app).iter().all(|(s, _, _)| s == "sent")
    });
    let before = sink.messages().len();
    let due = (chrono::Utc::now().date_naive() - chrono::Days::new(40) + chrono::Days::new(28))
        .to_string();
    let run = |on: &str| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_recours"))
            .args(["reminders", "run", "--on", on])
            .env("DATABASE_URL", &app.database_url)
            .env("ROCKET_DATA_DIR", app.dir.path())
            .env("ROCKET_SMTP_URL", sink.url())
            .env("ROCKET_PUBLIC_URL", PUBLIC)
            .env("ROCKET_LOG_LEVEL", "off")
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert!(run(&due).contains("1 reminder(s) queued"));
    assert!(
        run(&due).contains("0 reminder(s) queued"),
        "a second run sends nothing new"
    );
    let after = sink.wait_for(before + 1);
    assert_eq!(after.len(), before + 1);
    let m = after.last().unwrap();
    assert!(m.header("To").unwrap().contains("on@example.org"));
    assert!(
        m.header("Subject")
            .unwrap()
            .contains("the provider's answer is due on")
    );
    assert!(m.header("List-Unsubscribe").is_some());
}

/// Two instances running the pass at once (PostgreSQL's real concurrency; SQLite's one
/// writer) queue each reminder once.
#[test]
fn two_instances_queue_each_reminder_once() {
    let app = TestApp::new();
    app.provider("kleema", "Kleema", None, None);
    let sent_on = (chrono::Utc::now().date_naive() - chrono::Days::new(100)).to_string();
    for i in 0..5 {
        subscriber_with_sent_claim(&app, &format!("s{i}@example.org"), true, true, &sent_on);
    }
    app.sql("DELETE FROM outbox");
    let today = chrono::Utc::now().date_naive();
    let profile = recours::domain::claim::Profile::default();
    let barrier = std::sync::Barrier::new(4);
    let queued: Vec<usize> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|_| {
                s.spawn(|| {
                    let mut conn = recours::db::connect(&app.database_url).unwrap();
                    barrier.wait();
                    conn.write(|c| recours::store::notices::queue_reminders(c, &profile, today))
                        .unwrap()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    // Sent 100 days ago: answer overdue and mediator window open, for each of 5 claims.
    assert_eq!(queued.iter().sum::<usize>(), 10, "{queued:?}");
    assert_eq!(app.count("outbox"), 10);
}

/// Just enough HTTP/1.1 to drive the real server: one request per connection, cookies kept.
struct Browser {
    port: u16,
    cookies: Vec<(String, String)>,
}

struct Answer {
    status: u16,
    location: String,
    body: String,
}

impl Browser {
    fn request(&mut self, method: &str, path: &str, form: Option<&[(&str, &str)]>) -> Answer {
        use std::io::{Read, Write};
        let body = form.map(crate::common::form_body).unwrap_or_default();
        let cookie = self
            .cookies
            .iter()
            .map(|(n, v)| format!("{n}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        let mut req = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\nAccept-Language: en\r\n",
            self.port
        );
        if !cookie.is_empty() {
            req.push_str(&format!("Cookie: {cookie}\r\n"));
        }
        if form.is_some() {
            req.push_str(&format!(
                "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
                body.len()
            ));
        }
        req.push_str("\r\n");
        req.push_str(&body);
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream.write_all(req.as_bytes()).unwrap();
        let mut raw = String::new();
        stream.read_to_string(&mut raw).unwrap();
        let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let mut location = String::new();
        for line in lines {
            let Some((name, value)) = line.split_once(':') else {
                continue;
            };
            let value = value.trim();
            if name.eq_ignore_ascii_case("location") {
                location = value.to_string();
            } else if name.eq_ignore_ascii_case("set-cookie")
                && let Some((n, v)) = value.split(';').next().and_then(|c| c.split_once('='))
            {
                self.cookies.retain(|(k, _)| k != n);
                if !v.is_empty() {
                    self.cookies.push((n.to_string(), v.to_string()));
                }
            }
        }
        Answer {
            status,
            location,
            body: body.to_string(),
        }
    }

    fn get(&mut self, path: &str) -> Answer {
        self.request("GET", path, None)
    }

    /// Posts a form with the CSRF token of the page at `page`.
    fn post(&mut self, page: &str, path: &str, fields: &[(&str, &str)]) -> Answer {
        let form = self.get(page);
        let token = crate::common::csrf_in(&form.body).expect("a form");
        let mut all = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        self.request("POST", path, Some(&all))
    }
}

#[test]
fn no_token_or_password_in_the_server_log() {
    let Some(sink) = SmtpSink::start() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let database_url = dir.path().join("recours.db").to_string_lossy().into_owned();
    let port = free_port();
    let public = format!("http://127.0.0.1:{port}");
    let bin = env!("CARGO_BIN_EXE_recours");
    let env = |cmd: &mut std::process::Command| {
        cmd.env("DATABASE_URL", &database_url)
            .env("ROCKET_DATA_DIR", dir.path())
            .env("ROCKET_SMTP_URL", sink.url())
            .env("ROCKET_PUBLIC_URL", &public)
            .env("ROCKET_MAIL_POLL_MS", "50")
            .env("ROCKET_PORT", port.to_string())
            .env("ROCKET_ADDRESS", "127.0.0.1")
            .env("ROCKET_LOG_LEVEL", "normal")
            // Without the request log, Rocket prints its own request lines at `normal`:
            // the case where a token in a path could reach the log.
            .env("ROCKET_LOG_FORMAT", "off")
            .env("ROCKET_CLI_COLORS", "false");
    };
    let mut create = std::process::Command::new(bin);
    env(create.args([
        "user",
        "create",
        "--email",
        "log@example.org",
        "--role",
        "subscriber",
    ]));
    let mut child = create.stdin(std::process::Stdio::piped()).spawn().unwrap();
    {
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(format!("{PASSWORD}\n").as_bytes())
            .unwrap();
    }
    assert!(child.wait().unwrap().success());

    let log_path = dir.path().join("server.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let mut server = std::process::Command::new(bin);
    env(&mut server);
    let mut server = server
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .unwrap();
    wait_until("the server", || {
        std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
    });

    let new_password = "the log must never see this passphrase";
    let mut browser = Browser {
        port,
        cookies: Vec::new(),
    };
    let sent = browser.post(
        "/password/forgot",
        "/password/forgot",
        &[("email", "log@example.org")],
    );
    assert_eq!(sent.status, 200);
    let message = sink.wait_to("log@example.org").remove(0);
    let link = message.link(&public);
    let token = link.trim_start_matches("/password/reset/").to_string();
    assert!(token.len() >= 43, "{link}");
    let traded = browser.get(&link);
    assert_eq!(
        (traded.status, traded.location.as_str()),
        (303, "/password/reset")
    );
    let reset = browser.post(
        "/password/reset",
        "/password/reset",
        &[
            ("password", new_password),
            ("password_confirm", new_password),
        ],
    );
    assert_eq!((reset.status, reset.location.as_str()), (303, "/login"));
    let login = browser.post(
        "/login",
        "/login",
        &[("email", "log@example.org"), ("password", new_password)],
    );
    assert_eq!(login.status, 303);

    let _ = server.kill();
    let _ = server.wait();
    let log = std::fs::read_to_string(&log_path).unwrap();
    assert!(
        log.contains("/password/reset/[redacted]"),
        "the request line is logged, redacted:\n{log}"
    );
    assert!(!log.contains(&token), "the token is in the log:\n{log}");
    assert!(!log.contains(new_password), "the password is in the log");
    assert!(!log.contains(PASSWORD), "the old password is in the log");
}

#[test]
fn an_address_change_is_confirmed_from_the_new_address_and_the_old_one_is_told() {
    let Some((app, sink)) = app_and_sink() else {
        return;
    };
    app.logged_in_as("old@example.org", Role::Subscriber);
    let wrong = app.post(
        "/account/email",
        &[
            ("new_email", "new@example.org"),
            ("current_password", "not it"),
        ],
    );
    assert_eq!(wrong.status, Status::UnprocessableEntity);
    app.post(
        "/account/email",
        &[
            ("new_email", "new@example.org"),
            ("current_password", PASSWORD),
        ],
    )
    .assert_redirect("/account/email");
    let confirm = sink.wait_to("new@example.org").remove(0);
    assert_eq!(
        confirm.header("Subject"),
        Some("Confirm your new e-mail address")
    );
    let link = confirm.link(PUBLIC);
    assert!(link.starts_with("/email/confirm/"), "{link}");
    // Nothing changes before the link is opened.
    app.login("old@example.org", PASSWORD);
    app.get(&link).assert_redirect("/account/email");
    app.get("/account/email").assert_contains("new@example.org");
    let notice = sink.wait_to("old@example.org").remove(0);
    assert_eq!(
        notice.header("Subject"),
        Some("Your Recours e-mail address was changed")
    );
    assert!(notice.text.contains("new@example.org"), "{}", notice.text);
    assert_eq!(app.get(&link).status, Status::BadRequest, "used once");
    let fresh = app.another_instance();
    login_on(&fresh, "new@example.org", PASSWORD).assert_redirect("/");
}

/// Two instances' senders on one database (PostgreSQL's `SKIP LOCKED` leases; SQLite's
/// writers) deliver each message once.
#[test]
fn two_senders_deliver_each_message_once() {
    let Some((app, sink)) = app_and_sink() else {
        return;
    };
    let url = sink.url();
    let second = recours::app(
        crate::common::base_figment(app.dir.path(), &app.database_url)
            .merge(("smtp_url", url))
            .merge(("mail_from", "Recours <noreply@recours.example>"))
            .merge(("public_url", PUBLIC))
            .merge(("mail_poll_ms", 10)),
    )
    .expect("the app starts");
    let _second = rocket::local::blocking::Client::tracked(second).expect("valid rocket");
    let messages: Vec<recours::store::outbox::NewMessage> = (0..40)
        .map(|i| recours::store::outbox::NewMessage {
            kind: recours::domain::mail::Kind::Test,
            recipient: format!("n{i}@example.org"),
            lang: "en".into(),
            user_id: None,
            params: serde_json::json!({}),
            dedup_key: None,
        })
        .collect();
    app.conn()
        .write(|c| {
            for m in &messages {
                recours::store::outbox::enqueue(c, m)?;
            }
            Ok::<_, recours::store::StoreError>(())
        })
        .unwrap();
    sink.wait_for(40);
    wait_until("every message marked sent", || {
        outbox_states(&app).iter().all(|(s, _, _)| s == "sent")
    });
    let received = sink.messages();
    let ids: std::collections::BTreeSet<&str> = received
        .iter()
        .filter_map(|m| m.header("Message-ID"))
        .collect();
    assert_eq!((received.len(), ids.len()), (40, 40));
}

#[test]
fn a_deleted_account_leaves_no_message_behind() {
    let app = TestApp::new();
    app.provider("kleema", "Kleema", None, None);
    app.register("gone@example.org")
        .assert_redirect("/complaints/new");
    app.filed(&[("title", "A title only its author should keep")]);
    assert_eq!(app.count("outbox"), 2, "welcome and complaint filed");
    app.post("/account/delete", &[("delete_password", PASSWORD)])
        .assert_redirect("/");
    assert_eq!(app.count("outbox"), 0);
    assert_eq!(app.count("mail_tokens"), 0);
}

#[test]
fn each_instance_runs_the_reminder_pass_by_itself() {
    let app = TestApp::new();
    app.provider("kleema", "Kleema", None, None);
    let sent_on = (chrono::Utc::now().date_naive() - chrono::Days::new(40)).to_string();
    subscriber_with_sent_claim(&app, "auto@example.org", true, true, &sent_on);
    let reminders = || {
        use diesel::prelude::*;
        use recours::db::schema::outbox;
        outbox::table
            .filter(outbox::kind.like("reminder-%"))
            .count()
            .get_result::<i64>(&mut *app.conn())
            .unwrap()
    };
    assert_eq!(
        reminders(),
        0,
        "the first instance ran its pass before the claim"
    );
    // A new instance runs the pass as it starts: the answer is overdue.
    let _started = app.another_instance();
    wait_until("the reminder queued", || reminders() == 1);
    let _again = app.another_instance();
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(reminders(), 1, "once, whatever the number of instances");
}

#[test]
fn without_smtp_url_messages_are_eml_files_and_the_log_says_so_once() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let log_path = dir.path().join("server.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let mut server = std::process::Command::new(env!("CARGO_BIN_EXE_recours"))
        .env("DATABASE_URL", dir.path().join("recours.db"))
        .env("ROCKET_DATA_DIR", dir.path())
        .env("ROCKET_PORT", port.to_string())
        .env("ROCKET_ADDRESS", "127.0.0.1")
        .env("ROCKET_LOG_LEVEL", "normal")
        .env("ROCKET_MAIL_POLL_MS", "50")
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .unwrap();
    wait_until("the server", || {
        std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
    });
    let mut browser = Browser {
        port,
        cookies: Vec::new(),
    };
    let registered = browser.post(
        "/register",
        "/register",
        &[
            ("email", "trial@example.org"),
            ("password", PASSWORD),
            ("password_confirm", PASSWORD),
        ],
    );
    assert_eq!(registered.status, 303);
    let outbox = dir.path().join("outbox");
    wait_until("the welcome message's file", || {
        std::fs::read_dir(&outbox).is_ok_and(|d| d.count() == 1)
    });
    let _ = server.kill();
    let _ = server.wait();
    let file = std::fs::read_dir(&outbox).unwrap().next().unwrap().unwrap();
    assert!(file.file_name().to_string_lossy().ends_with(".eml"));
    let eml = std::fs::read_to_string(file.path()).unwrap();
    assert!(eml.contains("To: trial@example.org"), "{eml}");
    let log = std::fs::read_to_string(&log_path).unwrap();
    assert_eq!(
        log.matches("messages are written as .eml files under")
            .count(),
        1,
        "{log}"
    );
}

#[test]
fn a_malformed_smtp_url_stops_start_up() {
    let dir = tempfile::tempdir().unwrap();
    let figment =
        crate::common::base_figment(dir.path(), &dir.path().join("r.db").to_string_lossy())
            .merge(("smtp_url", "carrier-pigeon://loft"));
    let Err(error) = recours::app(figment) else {
        panic!("a malformed smtp_url was accepted");
    };
    assert!(error.contains("invalid smtp_url"), "{error}");
}
