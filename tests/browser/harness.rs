//! The machinery under the journeys: the release app on a fresh SQLite database, chromedriver,
//! a headless Chromium session, screenshots, axe-core, and keyboard helpers.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::elements::Element;
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

/// What a journey step returns: an error says what went wrong and where.
pub type Res<T = ()> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// Fails the journey with a message (no panic: the session must still be closed).
#[macro_export]
macro_rules! ensure {
    ($cond:expr, $($msg:tt)+) => {
        if !$cond {
            return Err(format!($($msg)+).into());
        }
    };
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Lang {
    Fr,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }
    /// Pick the French or the English text.
    pub fn pick<'a>(self, fr: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Fr => fr,
            Lang::En => en,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Size {
    Phone,
    Desktop,
}

impl Size {
    pub fn name(self) -> &'static str {
        match self {
            Size::Phone => "phone",
            Size::Desktop => "desktop",
        }
    }
    pub fn viewport(self) -> (u32, u32) {
        match self {
            Size::Phone => (390, 844),
            Size::Desktop => (1280, 800),
        }
    }
}

/// Why the browser tests cannot run here, if they cannot; otherwise axe-core's source.
/// Nothing missing fails them: `cargo test` passes on any machine. `.ci/run` sets
/// `RECOURS_BROWSER_TESTS=required` so that a skip there is a failure.
fn readiness() -> &'static Result<String, String> {
    static READY: std::sync::OnceLock<Result<String, String>> = std::sync::OnceLock::new();
    READY.get_or_init(|| {
        if std::env::var_os("TEST_DATABASE_URL").is_some() {
            return Err(
                "TEST_DATABASE_URL is set: the browser journeys run once, on SQLite".to_string(),
            );
        }
        if chromedriver_path().is_none() {
            return Err(
                "no chromedriver (set CHROMEDRIVER, or apt-get install chromium chromium-driver)"
                    .to_string(),
            );
        }
        if chromium_path().is_none() {
            return Err(
                "no Chromium (set CHROMIUM, or apt-get install chromium chromium-driver)"
                    .to_string(),
            );
        }
        let axe = axe_path()?;
        std::fs::read_to_string(&axe).map_err(|e| format!("cannot read {}: {e}", axe.display()))
    })
}

fn chromedriver_path() -> Option<PathBuf> {
    match std::env::var_os("CHROMEDRIVER") {
        Some(p) => Some(PathBuf::from(p)).filter(|p| p.exists()),
        None => Some(PathBuf::from("/usr/bin/chromedriver")).filter(|p| p.exists()),
    }
}

fn chromium_path() -> Option<PathBuf> {
    match std::env::var_os("CHROMIUM") {
        Some(p) => Some(PathBuf::from(p)).filter(|p| p.exists()),
        None => Some(PathBuf::from("/usr/bin/chromium")).filter(|p| p.exists()),
    }
}

/// axe-core: `AXE_CORE_JS` if set, else the version pinned by `tests/browser/package-lock.json`,
/// installed through npm once into the git-ignored `target/axe`.
fn axe_path() -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os("AXE_CORE_JS") {
        return Ok(PathBuf::from(p));
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("target/axe");
    let axe = dir.join("node_modules/axe-core/axe.min.js");
    let lock = root.join("tests/browser/package-lock.json");
    let installed_lock = dir.join("package-lock.json");
    let current = axe.exists()
        && std::fs::read(&lock).ok().is_some()
        && std::fs::read(&lock).ok() == std::fs::read(&installed_lock).ok();
    if current {
        return Ok(axe);
    }
    if Command::new("npm")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_err()
    {
        return Err(
            "axe-core is not installed and there is no npm to install it (apt-get install npm)"
                .to_string(),
        );
    }
    let _ = writeln!(
        std::io::stderr(),
        "browser tests: installing the pinned axe-core into {}",
        dir.display()
    );
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    for f in ["package.json", "package-lock.json"] {
        std::fs::copy(root.join("tests/browser").join(f), dir.join(f))
            .map_err(|e| format!("cannot copy {f}: {e}"))?;
    }
    let out = Command::new("npm")
        .args([
            "ci",
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
            "--prefix",
        ])
        .arg(&dir)
        .output()
        .map_err(|e| format!("npm ci failed to start: {e}"))?;
    if !out.status.success() || !axe.exists() {
        // A half-done install must not pass for a current one next time.
        let _ = std::fs::remove_file(&installed_lock);
        return Err(format!(
            "npm ci could not install axe-core: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(axe)
}

pub fn screenshot_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots")
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// A plain HTTP/1.1 GET over loopback; the status code, if anything answered.
fn http_status(port: u16, path: &str) -> Option<u16> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut head = [0u8; 12];
    s.read_exact(&mut head).ok()?;
    std::str::from_utf8(&head[9..12]).ok()?.parse().ok()
}

fn wait_http(port: u16, path: &str, what: &str, child: &mut Child) -> Res {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(30) {
        if http_status(port, path) == Some(200) {
            return Ok(());
        }
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!("{what} exited before answering: {status}").into());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Err(format!("{what} did not answer {path} on port {port} within 30 s").into())
}

/// A child process killed with its whole process group (chromedriver's Chromium too).
struct Proc(Child);

impl Drop for Proc {
    fn drop(&mut self) {
        let pid = self.0.id().to_string();
        // The group was created for this child alone (process_group(0)).
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{pid}")])
            .stderr(Stdio::null())
            .status();
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn spawn(cmd: &mut Command) -> Res<Proc> {
    use std::os::unix::process::CommandExt;
    Ok(Proc(cmd.process_group(0).spawn()?))
}

/// The app's binary (the release app under `cargo test --release`).
pub const BIN: &str = env!("CARGO_BIN_EXE_recours");

/// One journey's world: a server on a fresh database, chromedriver, one browser session.
pub struct Browser {
    pub c: Client,
    pub base: String,
    pub lang: Lang,
    pub size: Size,
    pub dir: PathBuf,
    journey: &'static str,
    step: usize,
    axe: String,
    /// Every accessibility violation seen, with its page.
    violations: Vec<String>,
    pages_checked: usize,
    // Dropped last: the session is closed before the processes go.
    _driver: Proc,
    _server: Proc,
    _tmp: tempfile::TempDir,
}

impl Browser {
    /// Starts everything, or returns `None` (printing why) when the tests cannot run here.
    pub async fn start(lang: Lang, size: Size, journey: &'static str) -> Option<Browser> {
        let axe = match readiness() {
            Ok(axe) => axe.clone(),
            Err(why) => {
                if std::env::var("RECOURS_BROWSER_TESTS").as_deref() == Ok("required") {
                    panic!("browser tests required but cannot run: {why}");
                }
                // Straight to the process's stderr, past the test harness's capture, once.
                static SAID: std::sync::Once = std::sync::Once::new();
                SAID.call_once(|| {
                    let _ = writeln!(std::io::stderr(), "browser tests skipped: {why}");
                });
                return None;
            }
        };
        match Browser::launch(lang, size, journey, axe).await {
            Ok(b) => Some(b),
            Err(e) => panic!("cannot start the browser test {journey}: {e}"),
        }
    }

    async fn launch(lang: Lang, size: Size, journey: &'static str, axe: String) -> Res<Browser> {
        // This journey's screenshots from an earlier run go: what is there is from this one.
        let prefix = format!("{}-{}-{journey}-", lang.code(), size.name());
        if let Ok(entries) = std::fs::read_dir(screenshot_dir()) {
            for e in entries.flatten() {
                if e.file_name().to_string_lossy().starts_with(&prefix) {
                    let _ = std::fs::remove_file(e.path());
                }
            }
        }
        let tmp = tempfile::tempdir()?;
        let dir = tmp.path().to_path_buf();
        let data = dir.join("data");
        std::fs::create_dir_all(&data)?;
        let db = data.join("recours.db");
        // Providers, accounts and a few hundred complaints so that the statistics show rates;
        // the Morocco question needs ten of Kleema's price rises in the last 12 months for a
        // rate, which takes a few thousand complaints.
        let complaints = if journey == "morocco" { "3000" } else { "300" };
        let seeded = Command::new(BIN)
            .args(["seed-demo", "--complaints", complaints, "--seed", "7"])
            .env("ROCKET_DATA_DIR", &data)
            .env("DATABASE_URL", &db)
            .stdout(Stdio::null())
            .output()?;
        ensure!(
            seeded.status.success(),
            "seed-demo failed: {}",
            String::from_utf8_lossy(&seeded.stderr)
        );

        let port = free_port();
        let mut server = spawn(
            Command::new(BIN)
                .arg("serve")
                .env("ROCKET_ADDRESS", "127.0.0.1")
                .env("ROCKET_PORT", port.to_string())
                .env("ROCKET_DATA_DIR", &data)
                .env("DATABASE_URL", &db)
                .env("ROCKET_LOG_LEVEL", "critical")
                .env("ROCKET_CLI_COLORS", "false")
                .stdout(Stdio::null()),
        )?;
        wait_http(port, "/healthz", "the server", &mut server.0)?;

        let driver_port = free_port();
        let chromedriver = chromedriver_path().ok_or("no chromedriver")?;
        let mut driver = spawn(
            Command::new(chromedriver)
                .arg(format!("--port={driver_port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null()),
        )?;
        wait_http(driver_port, "/status", "chromedriver", &mut driver.0)?;

        let (w, h) = size.viewport();
        let profile = dir.join("chromium-profile");
        let downloads = dir.join("downloads");
        std::fs::create_dir_all(&downloads)?;
        let locale = lang.pick("fr-FR", "en-US");
        let mut options = json!({
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-dev-shm-usage", "--hide-scrollbars",
                format!("--user-data-dir={}", profile.display()),
                format!("--window-size={w},{h}"),
                format!("--lang={locale}"),
            ],
            "prefs": {
                "intl.accept_languages": format!("{locale},{}", lang.code()),
                "download.default_directory": downloads.display().to_string(),
                "download.prompt_for_download": false,
            },
        });
        if let Some(chromium) = chromium_path() {
            options["binary"] = json!(chromium.display().to_string());
        }
        let mut caps = serde_json::Map::new();
        caps.insert("goog:chromeOptions".to_string(), options);
        let c = ClientBuilder::rustls()?
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{driver_port}"))
            .await?;
        let b = Browser {
            c,
            base: format!("http://127.0.0.1:{port}"),
            lang,
            size,
            dir,
            journey,
            step: 0,
            axe,
            violations: Vec::new(),
            pages_checked: 0,
            _driver: driver,
            _server: server,
            _tmp: tmp,
        };
        b.fit_viewport().await?;
        Ok(b)
    }

    /// Gives the page exactly the wanted viewport (a phone's is a mobile one), whatever room
    /// the headless window's own frame takes.
    async fn fit_viewport(&self) -> Res {
        let (w, h) = self.size.viewport();
        self.cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({
                "width": w, "height": h, "deviceScaleFactor": 1,
                "mobile": self.size == Size::Phone,
            }),
        )
        .await?;
        Ok(())
    }

    /// A Chrome DevTools Protocol command, through chromedriver.
    pub async fn cdp(&self, cmd: &'static str, params: Value) -> Res<Value> {
        Ok(self.c.issue_cmd(Cdp { cmd, params }).await?)
    }

    /// Closes the session and fails the test with the journey's error or the violations.
    pub async fn finish(self, outcome: Res) {
        let url = self
            .c
            .current_url()
            .await
            .map(|u| u.to_string())
            .unwrap_or_default();
        if outcome.is_err() {
            let _ = self.save_png("failure").await;
        }
        let violations = self.violations.clone();
        let (journey, pages) = (self.journey, self.pages_checked);
        let name = format!("{}-{}-{journey}", self.lang.code(), self.size.name());
        let _ = self.c.clone().close().await;
        if let Err(e) = outcome {
            panic!("{name}: {e} (page {url})");
        }
        assert!(
            violations.is_empty(),
            "{name}: axe-core found {} WCAG 2.1 A/AA violation(s):\n{}",
            violations.len(),
            violations.join("\n")
        );
        eprintln!("{name}: passed, axe-core checked {pages} page(s), no violation");
    }

    // ---- Navigation and reading ------------------------------------------------------

    pub async fn go(&self, path: &str) -> Res {
        self.c.goto(&format!("{}{path}", self.base)).await?;
        Ok(())
    }

    pub async fn path(&self) -> Res<String> {
        let u = self.c.current_url().await?;
        Ok(match u.query() {
            Some(q) => format!("{}?{q}", u.path()),
            None => u.path().to_string(),
        })
    }

    pub async fn find(&self, css: &str) -> Res<Element> {
        self.c
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(css))
            .await
            .map_err(|e| format!("no element {css}: {e}").into())
    }

    pub async fn all(&self, css: &str) -> Res<Vec<Element>> {
        Ok(self.c.find_all(Locator::Css(css)).await?)
    }

    pub async fn text(&self, css: &str) -> Res<String> {
        Ok(self.find(css).await?.text().await?)
    }

    pub async fn value(&self, css: &str) -> Res<String> {
        Ok(self
            .find(css)
            .await?
            .prop("value")
            .await?
            .unwrap_or_default())
    }

    pub async fn js(&self, script: &str) -> Res<Value> {
        Ok(self.c.execute(script, vec![]).await?)
    }

    /// Asks `probe` every 50 ms until it finds what it waits for, for at most 10 s. While
    /// waiting, `probe` answers `Err(what it sees instead)`, for the time-out's message.
    async fn until<T>(
        &self,
        expected: &str,
        probe: impl AsyncFn() -> Res<Result<T, String>>,
    ) -> Res<T> {
        let start = Instant::now();
        loop {
            match probe().await? {
                Ok(found) => return Ok(found),
                Err(seen) if start.elapsed() > Duration::from_secs(10) => {
                    return Err(format!("expected {expected}, {seen}").into());
                }
                Err(_) => rocket::tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
    }

    /// Waits until the address's path starts with `prefix`.
    pub async fn wait_path(&self, prefix: &str) -> Res<String> {
        self.until(&format!("to be on {prefix}"), async || {
            let p = self.path().await?;
            Ok(if p.starts_with(prefix) {
                Ok(p)
            } else {
                Err(format!("still on {p}"))
            })
        })
        .await
    }

    /// Waits until the address's path ends with `suffix`.
    pub async fn wait_path_end(&self, suffix: &str) -> Res<String> {
        self.until(&format!("to be on …{suffix}"), async || {
            let p = self.path().await?;
            Ok(if p.ends_with(suffix) {
                Ok(p)
            } else {
                Err(format!("still on {p}"))
            })
        })
        .await
    }

    /// Waits for a complaint's own page (`/complaints/<uuid>`); returns its path.
    pub async fn wait_complaint(&self) -> Res<String> {
        self.until("a complaint's page", async || {
            let p = self.path().await?;
            let id = p.strip_prefix("/complaints/").unwrap_or("");
            Ok(
                if id.len() == 36 && id.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-') {
                    Ok(p)
                } else {
                    Err(format!("still on {p}"))
                },
            )
        })
        .await
    }

    /// Waits until the page is in the language `code`.
    pub async fn wait_lang(&self, code: &str) -> Res {
        self.until(&format!("a page in {code}"), async || {
            let lang = self.js("return document.documentElement.lang;").await?;
            Ok(if lang == json!(code) {
                Ok(())
            } else {
                Err(format!("it is in {lang}"))
            })
        })
        .await
    }

    /// Waits until the address's path (with its query) is exactly `want`.
    pub async fn wait_path_is(&self, want: &str) -> Res {
        self.until(&format!("to be on {want}"), async || {
            let p = self.path().await?;
            Ok(if p == want {
                Ok(())
            } else {
                Err(format!("still on {p}"))
            })
        })
        .await
    }

    /// The page's language and the visible login state are right on every page.
    pub async fn assert_chrome(&self, logged_in: bool) -> Res {
        let lang = self.js("return document.documentElement.lang;").await?;
        ensure!(
            lang == json!(self.lang.code()),
            "the page is in {lang}, expected {}",
            self.lang.code()
        );
        // The switch to the other language is visible.
        let switch = self.find("a[hreflang]").await?;
        ensure!(
            switch.is_displayed().await?,
            "the language switch is not visible"
        );
        let logout = self.all("form[action='/logout'] button").await?;
        let shows_logout = match logout.first() {
            Some(b) => b.is_displayed().await?,
            None => false,
        };
        ensure!(
            shows_logout == logged_in,
            "log-out button visible: {shows_logout}, expected {logged_in}"
        );
        if !logged_in {
            ensure!(
                self.find("a[href='/login']").await?.is_displayed().await?,
                "the log-in link is not visible"
            );
        }
        Ok(())
    }

    // ---- Forms with the mouse ----------------------------------------------------------

    pub async fn fill(&self, css: &str, text: &str) -> Res {
        let e = self.find(css).await?;
        e.clear().await?;
        e.send_keys(text).await?;
        Ok(())
    }

    pub async fn click(&self, css: &str) -> Res {
        self.find(css).await?.click().await?;
        Ok(())
    }

    /// Clicks what sends a form and waits for the page that answers. The path alone cannot
    /// tell it: many answers come back to the same address, and under load the old page
    /// is still there when the next check runs.
    pub async fn submit(&self, css: &str) -> Res {
        let e = self.find(css).await?;
        self.js("window.recoursLeaving = true;").await?;
        e.click().await?;
        self.until("the answer to the form", async || {
            // While the new page loads, a script may fail to run: that is "not yet".
            let arrived = self
                .js("return window.recoursLeaving === undefined && document.readyState === 'complete';")
                .await;
            Ok(match arrived {
                Ok(Value::Bool(true)) => Ok(()),
                Ok(_) => Err("the old page is still shown".to_string()),
                Err(e) => Err(format!("the page is loading ({e})")),
            })
        })
        .await
    }

    pub async fn select(&self, css: &str, value: &str) -> Res {
        self.find(css).await?.select_by_value(value).await?;
        Ok(())
    }

    /// Types a date (`YYYY-MM-DD`) into the day, month and year boxes of the date field
    /// `css` (the day box's id is the field's), as people write it: no leading zeros.
    pub async fn fill_date(&self, css: &str, iso: &str) -> Res {
        for (boxed, part) in date_boxes(css).iter().zip(date_parts(iso)?) {
            self.fill(boxed, &part).await?;
        }
        Ok(())
    }

    /// The date the day, month and year boxes of `css` hold, as `YYYY-MM-DD`.
    pub async fn date_value(&self, css: &str) -> Res<String> {
        let [day, month, year] = date_boxes(css);
        let number = |s: String| s.trim().parse::<u32>().unwrap_or(0);
        Ok(format!(
            "{}-{:02}-{:02}",
            self.value(&year).await?,
            number(self.value(&month).await?),
            number(self.value(&day).await?)
        ))
    }

    // ---- The keyboard alone --------------------------------------------------------------

    pub async fn press(&self, key: Key) -> Res {
        let k: char = key.into();
        let seq = KeyActions::new("keyboard".to_string())
            .then(KeyAction::Down { value: k })
            .then(KeyAction::Up { value: k });
        self.c.perform_actions(seq).await?;
        Ok(())
    }

    /// Types text as key presses into whatever has the focus.
    pub async fn type_keys(&self, text: &str) -> Res {
        let mut seq = KeyActions::new("keyboard".to_string());
        for ch in text.chars() {
            seq = seq
                .then(KeyAction::Down { value: ch })
                .then(KeyAction::Up { value: ch });
        }
        self.c.perform_actions(seq).await?;
        Ok(())
    }

    pub async fn focused_matches(&self, css: &str) -> Res<bool> {
        let v = self
            .c
            .execute(
                "const e = document.activeElement; return !!e && e.matches(arguments[0]);",
                vec![json!(css)],
            )
            .await?;
        Ok(v == json!(true))
    }

    pub async fn focused_describe(&self) -> Res<String> {
        let v = self
            .js("const e = document.activeElement; return e ? e.outerHTML.slice(0, 160) : 'nothing';")
            .await?;
        Ok(v.as_str().unwrap_or_default().to_string())
    }

    /// The focused element shows that it has the focus (an outline or a ring; WCAG 2.4.7).
    pub async fn focus_visible(&self, css: &str) -> Res {
        let shown = self
            .js("const s = getComputedStyle(document.activeElement); \
                 return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';")
            .await?;
        ensure!(shown == json!(true), "the focus on {css} is not visible");
        Ok(())
    }

    /// Presses Tab until the focus is on an element matching `css`, and checks that it shows.
    pub async fn tab_to(&self, css: &str) -> Res {
        for _ in 0..150 {
            self.press(Key::Tab).await?;
            if self.focused_matches(css).await? {
                return self.focus_visible(css).await;
            }
        }
        Err(format!(
            "Tab never reached {css} (focus on {})",
            self.focused_describe().await?
        )
        .into())
    }

    /// With the focus on a closed select, presses the down arrow until it shows `value`.
    pub async fn arrow_select(&self, css: &str, value: &str) -> Res {
        ensure!(
            self.focused_matches(css).await?,
            "the focus is not on {css}"
        );
        let mut last = String::new();
        for _ in 0..60 {
            let now = self.value(css).await?;
            if now == value {
                return Ok(());
            }
            if now == last && !now.is_empty() {
                break;
            }
            last = now;
            self.press(Key::Down).await?;
        }
        Err(format!("the arrow keys never chose {value} in {css} (stuck on {last:?})").into())
    }

    /// Tabs to `css` and types `text` into it.
    pub async fn tab_type(&self, css: &str, text: &str) -> Res {
        self.tab_to(css).await?;
        self.type_keys(text).await
    }

    /// Tabs to the day box of the date field `css`, types the day, then tabs to the month
    /// and year boxes and types them (`iso` is `YYYY-MM-DD`).
    pub async fn tab_type_date(&self, css: &str, iso: &str) -> Res {
        for (boxed, part) in date_boxes(css).iter().zip(date_parts(iso)?) {
            self.tab_type(boxed, &part).await?;
        }
        let v = self.date_value(css).await?;
        ensure!(v == iso, "typed {iso} into {css}, the boxes hold {v:?}");
        Ok(())
    }

    // ---- Screenshots and axe-core --------------------------------------------------------

    /// A screenshot of the whole page, not only of what the viewport shows.
    pub async fn save_png(&self, step: &str) -> Res<PathBuf> {
        use base64::Engine;
        let dir = screenshot_dir();
        std::fs::create_dir_all(&dir)?;
        let file = dir.join(format!(
            "{}-{}-{}-{step}.png",
            self.lang.code(),
            self.size.name(),
            self.journey
        ));
        let (w, h) = self.size.viewport();
        let full = self
            .js("return Math.ceil(document.documentElement.scrollHeight);")
            .await?
            .as_u64()
            .unwrap_or(h as u64)
            .clamp(h as u64, 8000);
        let shot = self
            .cdp(
                "Page.captureScreenshot",
                json!({
                    "format": "png",
                    "captureBeyondViewport": true,
                    "clip": { "x": 0, "y": 0, "width": w, "height": full, "scale": 1 },
                }),
            )
            .await?;
        let data = shot["data"].as_str().ok_or("no screenshot data")?;
        std::fs::write(
            &file,
            base64::engine::general_purpose::STANDARD.decode(data)?,
        )?;
        Ok(file)
    }

    /// Runs axe-core on the page as it is now and records every violation.
    pub async fn axe(&mut self) -> Res {
        let loaded = self.js("return typeof window.axe;").await?;
        if loaded != json!("object") {
            self.c.execute(&self.axe, vec![]).await?;
        }
        let result = self
            .c
            .execute_async(
                r#"const done = arguments[arguments.length - 1];
axe.run(document, {
  runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  resultTypes: ['violations']
}).then(r => done(r.violations.map(v => ({
  id: v.id, impact: v.impact, help: v.help,
  nodes: v.nodes.map(n => n.target.join(' ') + (n.failureSummary ? ' [' + n.failureSummary.replace(/\s+/g, ' ') + ']' : ''))
})))).catch(e => done({ error: String(e) }));"#,
                vec![],
            )
            .await?;
        if let Some(err) = result.get("error") {
            return Err(format!("axe-core failed: {err}").into());
        }
        let url = self.path().await?;
        self.pages_checked += 1;
        for v in result.as_array().into_iter().flatten() {
            let nodes: Vec<String> = v["nodes"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|n| n.as_str().unwrap_or_default().to_string())
                .collect();
            self.violations.push(format!(
                "  {url}: {} ({}): {}\n    {}",
                v["id"].as_str().unwrap_or("?"),
                v["impact"].as_str().unwrap_or("?"),
                v["help"].as_str().unwrap_or(""),
                nodes.join("\n    ")
            ));
        }
        Ok(())
    }

    /// A key page: screenshot it, check that nothing makes it wider than the screen (wide
    /// tables scroll inside their own box), and check it with axe-core.
    pub async fn page(&mut self, step: &str) -> Res {
        self.step += 1;
        let name = format!("{:02}-{step}", self.step);
        self.save_png(&name).await?;
        let widths = self
            .js("return [document.documentElement.scrollWidth, window.innerWidth];")
            .await?;
        ensure!(
            widths[0].as_u64() <= widths[1].as_u64(),
            "{step}: the page is {} px wide on a {} px screen",
            widths[0],
            widths[1]
        );
        self.axe().await
    }

    /// Shows the page as it prints (print style sheet) for a screenshot, then as a screen.
    pub async fn print_png(&mut self, step: &str) -> Res {
        self.step += 1;
        let name = format!("{:02}-{step}", self.step);
        self.cdp("Emulation.setEmulatedMedia", json!({ "media": "print" }))
            .await?;
        let saved = self.save_png(&name).await;
        self.cdp("Emulation.setEmulatedMedia", json!({ "media": "" }))
            .await?;
        saved.map(|_| ())
    }

    /// The violations recorded so far, forgotten (for the test that checks axe itself).
    pub fn take_violations(&mut self) -> Vec<String> {
        std::mem::take(&mut self.violations)
    }

    pub fn downloads(&self) -> PathBuf {
        self.dir.join("downloads")
    }
}

/// chromedriver's door to the DevTools protocol: `POST /session/{id}/goog/cdp/execute`.
#[derive(Debug)]
struct Cdp {
    cmd: &'static str,
    params: Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({ "cmd": self.cmd, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}

/// The selectors of a date field's day, month and year boxes (`#on`, `#on-month`...).
fn date_boxes(css: &str) -> [String; 3] {
    [
        css.to_string(),
        format!("{css}-month"),
        format!("{css}-year"),
    ]
}

/// Day, month and year of `YYYY-MM-DD`, as typed in the boxes (no leading zeros).
fn date_parts(iso: &str) -> Res<[String; 3]> {
    let date = chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d")?;
    Ok([
        date.format("%-d").to_string(),
        date.format("%-m").to_string(),
        date.format("%Y").to_string(),
    ])
}
