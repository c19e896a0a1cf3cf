//! `TestApp`: the real application on a fresh database (a temporary SQLite file, or a new
//! PostgreSQL database when `TEST_DATABASE_URL` is set), driven through `rocket::local`.

pub mod smtp;
pub mod venv;

use std::net::SocketAddr;

use rocket::figment::Figment;
use rocket::http::{ContentType, Cookie, Status};
use rocket::local::blocking::{Client, LocalRequest};

use recours::db::{Db, DbConnection};
use recours::domain::account::Role;
use recours::domain::claim::ActionKind;

pub const PASSWORD: &str = "correct horse battery staple";
const SECRET_KEY: &str =
    "Mwg8aGdrXDnVaN7UxnjNRJbA8y1cKo8Wk4kvnMPgQ2xBv0XGCRVNqmP9aLxgvHbtdJiwSS+lzHJzhZFd1bHzjw==";

/// A database that exists for one test.
pub enum TestDb {
    Sqlite,
    #[cfg(feature = "postgres")]
    Postgres {
        server_url: String,
        name: String,
    },
}

impl TestDb {
    fn create(dir: &std::path::Path) -> (TestDb, String) {
        match std::env::var("TEST_DATABASE_URL") {
            Ok(url) if !url.is_empty() => Self::postgres(url),
            _ => (
                TestDb::Sqlite,
                dir.join("recours.db").to_string_lossy().into_owned(),
            ),
        }
    }

    #[cfg(feature = "postgres")]
    fn postgres(server_url: String) -> (TestDb, String) {
        use diesel::Connection;
        use diesel::connection::SimpleConnection;
        let name = format!("recours_test_{}", uuid::Uuid::new_v4().simple());
        let mut admin =
            diesel::PgConnection::establish(&server_url).expect("TEST_DATABASE_URL answers");
        admin
            .batch_execute(&format!("CREATE DATABASE \"{name}\""))
            .expect("create test database");
        let base = server_url.split('?').next().unwrap_or(&server_url);
        let (server, _) = base
            .rsplit_once('/')
            .expect("TEST_DATABASE_URL names a database");
        let url = format!("{server}/{name}");
        (TestDb::Postgres { server_url, name }, url)
    }

    #[cfg(not(feature = "postgres"))]
    fn postgres(_url: String) -> (TestDb, String) {
        panic!(
            "TEST_DATABASE_URL is set but this build has no PostgreSQL: add --features postgres"
        );
    }

    pub fn is_postgres(&self) -> bool {
        !matches!(self, TestDb::Sqlite)
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        #[cfg(feature = "postgres")]
        if let TestDb::Postgres { server_url, name } = self {
            use diesel::Connection;
            use diesel::connection::SimpleConnection;
            if let Ok(mut admin) = diesel::PgConnection::establish(server_url) {
                let _ = admin
                    .batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"));
            }
        }
    }
}

/// An answer, owned, so several can be kept side by side.
#[derive(Debug)]
pub struct Resp {
    pub status: Status,
    pub body: String,
    headers: Vec<(String, String)>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn headers(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    pub fn location(&self) -> &str {
        self.header("Location").unwrap_or("")
    }

    #[track_caller]
    pub fn assert_redirect(&self, to: &str) {
        assert_eq!(self.status, Status::SeeOther, "{}", self.body);
        assert_eq!(self.location(), to);
    }

    #[track_caller]
    pub fn assert_contains(&self, text: &str) {
        assert!(self.body.contains(text), "{text:?} not in:\n{}", self.body);
    }
}

pub struct TestApp {
    pub client: Client,
    pub db: Db,
    pub database_url: String,
    pub dir: tempfile::TempDir,
    pub backend: TestDb,
}

/// Percent-encodes a form value.
pub fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub fn form_body(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// What follows `prefix` in `html` up to the next double quote: an attribute's value.
pub fn after(html: &str, prefix: &str) -> String {
    let rest = html
        .split(prefix)
        .nth(1)
        .unwrap_or_else(|| panic!("{prefix:?} not in the page"));
    rest.split('"').next().unwrap_or("").to_string()
}

/// The value of the first hidden `csrf_token` field of a page.
pub fn csrf_in(html: &str) -> Option<String> {
    let at = html.find("name=\"csrf_token\" value=\"")?;
    let rest = &html[at + "name=\"csrf_token\" value=\"".len()..];
    Some(rest[..rest.find('"')?].to_string())
}

impl TestApp {
    pub fn new() -> TestApp {
        TestApp::with(|f| f)
    }

    /// A fresh app whose configuration `tweak` may change.
    pub fn with(tweak: impl FnOnce(Figment) -> Figment) -> TestApp {
        let dir = tempfile::tempdir().expect("temporary folder");
        let (backend, database_url) = TestDb::create(dir.path());
        let figment = tweak(base_figment(dir.path(), &database_url));
        let rocket = recours::app(figment.clone()).expect("the app starts");
        let db = rocket.state::<Db>().expect("database state").clone();
        let client = Client::tracked(rocket).expect("valid rocket");
        TestApp {
            client,
            db,
            database_url,
            dir,
            backend,
        }
    }

    /// Another instance of the portal on the same database and secret key, with its own
    /// cookie jar: a second browser, or a second server behind a load balancer.
    pub fn another_instance(&self) -> Client {
        let rocket = recours::app(base_figment(self.dir.path(), &self.database_url))
            .expect("the app starts");
        Client::tracked(rocket).expect("valid rocket")
    }

    pub fn conn(&self) -> diesel::r2d2::PooledConnection<recours::db::Manager> {
        self.db.conn().expect("a connection")
    }

    pub fn get(&self, uri: &str) -> Resp {
        send(self.client.get(uri.to_string()))
    }

    /// Posts a form with this browser's CSRF token added.
    pub fn post(&self, uri: &str, fields: &[(&str, &str)]) -> Resp {
        post_with_token(&self.client, uri, fields)
    }

    /// Creates an account directly (as `recours user create` does). Staff, reviewer and
    /// admin accounts come with their second factor set up, as after their first log-in;
    /// `login_on` gives its code.
    pub fn create_user(&self, email: &str, role: Role) {
        let hash = recours::password::hash_blocking(PASSWORD).unwrap();
        let user = self
            .conn()
            .write(|c| recours::store::users::create(c, email, &hash, role))
            .expect("user created");
        if role.needs_second_factor() {
            enrol_directly(&self.db, &user.id);
        }
    }

    pub fn register(&self, email: &str) -> Resp {
        self.post(
            "/register",
            &[
                ("email", email),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        )
    }

    pub fn login(&self, email: &str, password: &str) -> Resp {
        login_on(&self.client, email, password)
    }

    pub fn logged_in_as(&self, email: &str, role: Role) {
        self.create_user(email, role);
        self.login(email, PASSWORD).assert_redirect("/");
    }

    /// A new account with its own logged-in browser on another instance.
    pub fn client_as(&self, email: &str, role: Role) -> Client {
        self.create_user(email, role);
        let client = self.another_instance();
        login_on(&client, email, PASSWORD).assert_redirect("/");
        client
    }

    /// `recours stats verify` finds nothing to mend.
    pub fn assert_stats_verified(&self) {
        let differences = recours::store::stats::verify(&mut self.conn()).unwrap();
        assert!(differences.is_empty(), "{differences:#?}");
    }

    pub fn user_count(&self) -> i64 {
        use diesel::prelude::*;
        recours::db::schema::users::table
            .count()
            .get_result(&mut *self.conn())
            .unwrap()
    }

    /// Runs raw SQL against the test database (to age rows in time, for instance).
    pub fn sql(&self, sql: &str) {
        use diesel::connection::SimpleConnection;
        let mut conn = self.conn();
        let c: &mut DbConnection = &mut conn;
        c.batch_execute(sql).expect("sql runs");
    }
}

pub fn base_figment(dir: &std::path::Path, database_url: &str) -> Figment {
    Figment::from(rocket::Config::debug_default())
        .merge(("secret_key", SECRET_KEY))
        .merge(("log_level", "off"))
        .merge(("data_dir", dir))
        .merge(("database_url", database_url))
        // Tests write through several instances and directly: every read asks.
        .merge(("stats_recheck_ms", 0))
        // Tests build the directory they need; `first_run` tests the shipped one.
        .merge(("fill_directory", false))
}

pub fn send(req: LocalRequest<'_>) -> Resp {
    let res = req.dispatch();
    let status = res.status();
    let headers = res
        .headers()
        .iter()
        .map(|h| (h.name().to_string(), h.value().to_string()))
        .collect();
    let body = res.into_string().unwrap_or_default();
    Resp {
        status,
        body,
        headers,
    }
}

/// The CSRF token of a client's browser, read from a page's form as a browser would.
pub fn token_of(client: &Client) -> String {
    // The login page always carries a form, logged in or not (it redirects when logged in,
    // so fall back to the account page).
    let mut page = send(client.get("/login"));
    // A session owing its second factor is sent on to the code (or enrolment) page: a form.
    while page.status == Status::SeeOther && page.location().starts_with("/login/") {
        page = send(client.get(page.location().to_string()));
    }
    let page = if page.status == Status::SeeOther {
        send(client.get("/account"))
    } else {
        page
    };
    csrf_in(&page.body).expect("a form with a CSRF token")
}

pub fn post_with_token(client: &Client, uri: &str, fields: &[(&str, &str)]) -> Resp {
    let token = token_of(client);
    let mut all = vec![("csrf_token", token.as_str())];
    all.extend_from_slice(fields);
    post_raw(client, uri, &form_body(&all))
}

pub fn post_raw(client: &Client, uri: &str, body: &str) -> Resp {
    send(
        client
            .post(uri.to_string())
            .header(ContentType::Form)
            .body(body),
    )
}

/// Logs in; for an account with a second factor, gives the code its app would show now.
pub fn login_on(client: &Client, email: &str, password: &str) -> Resp {
    let res = post_with_token(
        client,
        "/login",
        &[("email", email), ("password", password)],
    );
    if res.status != Status::SeeOther || !res.location().starts_with("/login/code") {
        return res;
    }
    let page = send(client.get(res.location().to_string()));
    if page.status != Status::Ok {
        // Not enrolled yet: the enrolment page is next (see `enrol_on`).
        return res;
    }
    let next = after(&page.body, "name=\"next\" value=\"");
    let code = current_code(client, email);
    post_with_token(client, "/login/code", &[("code", &code), ("next", &next)])
}

/// A second factor for the account `user_id`, as if enrolled at its first log-in.
pub fn enrol_directly(db: &Db, user_id: &str) {
    let secret = totp_rs::Secret::from(rand::random::<[u8; 20]>()).to_base32();
    db.conn()
        .expect("a connection")
        .write(|c| {
            recours::store::second_factor::start(c, user_id, &secret)?;
            recours::store::second_factor::confirm(c, user_id, 0, &[])
        })
        .expect("second factor set up");
}

/// The code of `secret` (base32) at `unix_secs`, computed by `totp-rs` as an app would.
pub fn totp_code(secret: &str, unix_secs: u64) -> String {
    let secret = totp_rs::Secret::try_from_base32(secret.replace(' ', "")).expect("base32");
    totp_rs::Builder::new()
        .with_secret(secret.as_bytes().to_vec())
        .build()
        .expect("a valid secret")
        .generate(unix_secs)
        .to_string()
}

/// The code the account's app shows: of this 30-second step, or of the next one (which the
/// portal accepts for clock drift) when this one was used already; past both, the next
/// step is waited for.
pub fn current_code(client: &Client, email: &str) -> String {
    use diesel::prelude::*;
    use recours::db::schema::{second_factors, users};
    let db = client.rocket().state::<Db>().expect("database state");
    loop {
        let (secret, last): (String, Option<i64>) = second_factors::table
            .inner_join(users::table)
            .filter(users::email_key.eq(email.to_lowercase()))
            .select((second_factors::secret, second_factors::last_step))
            .first(&mut *db.conn().expect("a connection"))
            .expect("an enrolled account");
        let now = chrono::Utc::now().timestamp() as u64;
        let step = (now / 30) as i64;
        if let Some(s) = [step, step + 1].into_iter().find(|s| Some(*s) > last) {
            return totp_code(&secret, s as u64 * 30);
        }
        std::thread::sleep(std::time::Duration::from_secs(30 - now % 30));
    }
}

/// Sets up the second factor of the account logged in on `client` (its password given, its
/// code asked), reading the secret from the page as a person types it into an app; answers
/// the recovery codes shown.
pub fn enrol_on(client: &Client) -> Vec<String> {
    let page = send(client.get("/login/enrol?next=/"));
    assert_eq!(page.status, Status::Ok, "{}", page.body);
    page.assert_contains("<svg");
    let secret = after(&page.body, "id=\"secret\">")
        .split('<')
        .next()
        .unwrap_or("")
        .to_string();
    let now = chrono::Utc::now().timestamp() as u64;
    let res = post_with_token(
        client,
        "/login/enrol",
        &[("code", &totp_code(&secret, now)), ("next", "/")],
    );
    assert_eq!(res.status, Status::Ok, "{}", res.body);
    recovery_codes_in(&res.body)
}

/// The recovery codes a page shows.
pub fn recovery_codes_in(html: &str) -> Vec<String> {
    html.split("<li><code>")
        .skip(1)
        .map(|rest| rest.split('<').next().unwrap_or("").to_string())
        .collect()
}

pub fn login_from(client: &Client, ip: &str, email: &str, password: &str) -> Resp {
    login_via(client, ip, &[], email, password)
}

/// Logs in from the socket address `peer`, with extra headers (a proxy's, or a liar's).
pub fn login_via(
    client: &Client,
    peer: &str,
    headers: &[(&'static str, &str)],
    email: &str,
    password: &str,
) -> Resp {
    let token = token_of(client);
    let body = form_body(&[
        ("csrf_token", &token),
        ("email", email),
        ("password", password),
    ]);
    let mut req = client
        .post("/login")
        .header(ContentType::Form)
        .remote(peer_addr(peer))
        .body(body);
    for (name, value) in headers {
        req = req.header(rocket::http::Header::new(*name, value.to_string()));
    }
    send(req)
}

pub fn peer_addr(ip: &str) -> SocketAddr {
    format!("{ip}:40000").parse().expect("an IPv4 address")
}

/// Sends the log-ins `(peer, email, password)` all at once, alternately to two instances of
/// the portal on the test's database (configured by `tweak`), together with `healthz` reads
/// of `/healthz`. Answers each log-in's status and `Retry-After`, and the reads' statuses.
pub fn logins_at_once(
    app: &TestApp,
    tweak: impl Fn(Figment) -> Figment,
    logins: &[(String, String, String)],
    healthz: usize,
) -> (Vec<(Status, Option<String>)>, Vec<Status>) {
    let token = token_of(&app.client);
    let csrf = raw_cookie(&app.client, "csrf").expect("a CSRF cookie");
    let runtime = rocket::tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let mut clients = Vec::new();
        for _ in 0..2 {
            let rocket = recours::app(tweak(base_figment(app.dir.path(), &app.database_url)))
                .expect("the app starts");
            clients.push(
                rocket::local::asynchronous::Client::untracked(rocket)
                    .await
                    .expect("valid rocket"),
            );
        }
        let logins = logins
            .iter()
            .enumerate()
            .map(|(i, (peer, email, password))| {
                let body = form_body(&[
                    ("csrf_token", &token),
                    ("email", email),
                    ("password", password),
                ]);
                let req = clients[i % 2]
                    .post("/login")
                    .header(ContentType::Form)
                    .cookie(csrf.clone())
                    .remote(peer_addr(peer))
                    .body(body);
                async move {
                    let res = req.dispatch().await;
                    let wait = res.headers().get_one("Retry-After").map(str::to_string);
                    (res.status(), wait)
                }
            });
        let reads = (0..healthz).map(|_| {
            let req = clients[0].get("/healthz");
            async move { req.dispatch().await.status() }
        });
        futures::future::join(
            futures::future::join_all(logins),
            futures::future::join_all(reads),
        )
        .await
    })
}

/// [`TestApp::claim_move`] from another browser, with its own CSRF token.
pub fn claim_move_on(
    client: &Client,
    path: &str,
    action: ActionKind,
    fields: &[(&str, &str)],
) -> Resp {
    let mut all = vec![("action", action.as_str())];
    all.extend_from_slice(fields);
    post_with_token(client, &format!("{path}/claim"), &all)
}

/// The day `n` days before today, as a form's date field holds it.
pub fn days_ago(n: i64) -> String {
    (chrono::Utc::now().date_naive() - chrono::Duration::days(n)).to_string()
}

pub fn raw_cookie(client: &Client, name: &str) -> Option<Cookie<'static>> {
    client.cookies().get(name).map(|c| c.clone().into_owned())
}

impl TestApp {
    /// Adds an approved provider to the directory.
    pub fn provider(
        &self,
        slug: &str,
        name: &str,
        subscribers: Option<i64>,
        network: Option<&str>,
    ) {
        let input = recours::domain::provider::ProviderInput {
            slug: slug.to_string(),
            name: name.to_string(),
            country: "FR".to_string(),
            website: None,
            subscribers,
            network: network.map(str::to_string),
            ..Default::default()
        };
        if self
            .conn()
            .write(|c| recours::store::providers::add(c, &input))
            .is_err()
        {
            panic!("provider {slug} added");
        }
    }

    /// Files a complaint with sensible defaults that `fields` override; returns the answer.
    pub fn file(&self, fields: &[(&str, &str)]) -> Resp {
        let mut all: Vec<(&str, &str)> = vec![
            ("provider", "kleema"),
            ("kind", "other"),
            ("title", "Line cut and still billed"),
            ("description", "Since 7 September the line is dead."),
            ("amount_claimed", "89"),
            ("currency", "EUR"),
        ];
        for (k, v) in fields {
            all.retain(|(key, _)| key != k);
            all.push((k, v));
        }
        self.post("/complaints", &all)
    }

    /// Files a complaint and returns its page's path.
    pub fn filed(&self, fields: &[(&str, &str)]) -> String {
        let res = self.file(fields);
        assert_eq!(res.status, Status::SeeOther, "{}", res.body);
        res.location().to_string()
    }

    /// Posts a move of the claim of the complaint at `path`, as the claim's form does:
    /// the move's word in `action`, then `fields`.
    pub fn claim_move(&self, path: &str, action: ActionKind, fields: &[(&str, &str)]) -> Resp {
        claim_move_on(&self.client, path, action, fields)
    }

    /// A move the rules accept: it leads back to the complaint's page.
    pub fn claim_moved(&self, path: &str, action: ActionKind, fields: &[(&str, &str)]) {
        self.claim_move(path, action, fields).assert_redirect(path);
    }

    /// The claim of the complaint at `path` sent today by e-mail.
    pub fn claimed_sent(&self, path: &str) {
        let today = days_ago(0);
        self.claim_moved(
            path,
            ActionKind::Send,
            &[("on", today.as_str()), ("channel", "email")],
        );
    }

    pub fn count(&self, table: &str) -> i64 {
        use diesel::prelude::*;
        #[derive(QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let mut conn = self.conn();
        let c: &mut DbConnection = &mut conn;
        diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}"))
            .get_result::<N>(c)
            .unwrap()
            .n
    }

    /// Uploads a file as a browser does (multipart), with this browser's CSRF token.
    pub fn upload(&self, path: &str, filename: &str, bytes: &[u8]) -> Resp {
        let token = token_of(&self.client);
        let boundary = "----recours-test-boundary";
        let mut body = Vec::new();
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n").as_bytes(),
        );
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let content_type =
            ContentType::new("multipart", "form-data").with_params(("boundary", boundary));
        send(
            self.client
                .post(format!("{path}/attachments"))
                .header(content_type)
                .body(body),
        )
    }
}

/// The smallest files of each accepted type, as far as their first bytes go.
pub const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";
pub const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";
