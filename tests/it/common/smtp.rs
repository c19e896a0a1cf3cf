//! A real SMTP server for the tests: Python's `aiosmtpd` (pinned below), installed once into
//! the git-ignored `target/smtp` virtualenv, started on a free loopback port, keeping what it
//! receives in a Maildir. Where it cannot be installed the mail tests skip, saying why,
//! unless `RECOURS_SMTP_TESTS=required` (CI), where that is a failure.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::venv::Tool;

static AIOSMTPD: Tool = Tool::new(
    "target/smtp",
    &["aiosmtpd==1.4.6"],
    "RECOURS_SMTP_TESTS",
    "mail tests",
);

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A free loopback port (free when asked: nothing else here takes ports at random).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

pub struct SmtpSink {
    child: Child,
    pub port: u16,
    maildir: PathBuf,
    _dir: tempfile::TempDir,
}

/// One received message: its raw text, headers unfolded, and its text part decoded.
#[derive(Debug, Clone)]
pub struct Received {
    pub raw: String,
    headers: Vec<(String, String)>,
    pub text: String,
    pub html: String,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The path of the first link in the text part that starts with `base`.
    pub fn link(&self, base: &str) -> String {
        let at = self
            .text
            .find(base)
            .unwrap_or_else(|| panic!("no link to {base} in:\n{}", self.text));
        let rest = &self.text[at + base.len()..];
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        rest[..end].to_string()
    }
}

impl SmtpSink {
    /// A server on a free port, or `None` when the tests skip.
    pub fn start() -> Option<SmtpSink> {
        SmtpSink::start_on(free_port())
    }

    pub fn start_on(port: u16) -> Option<SmtpSink> {
        let python = AIOSMTPD.available()?.join("python");
        let dir = tempfile::tempdir().expect("temporary folder");
        let maildir = dir.path().join("Maildir");
        let child = Command::new(python)
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-c", "smtp_sink.Sink"])
            .arg(&maildir)
            .env("PYTHONPATH", root().join("tests/it/common"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("aiosmtpd starts");
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "aiosmtpd never listened");
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(SmtpSink {
            child,
            port,
            maildir,
            _dir: dir,
        })
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Everything received so far, oldest first.
    pub fn messages(&self) -> Vec<Received> {
        let mut files: Vec<PathBuf> = ["new", "cur"]
            .iter()
            .filter_map(|d| std::fs::read_dir(self.maildir.join(d)).ok())
            .flatten()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        files.sort_by_key(|p| {
            std::fs::metadata(p)
                .and_then(|m| m.modified())
                .unwrap_or(std::time::SystemTime::UNIX_EPOCH)
        });
        files.iter().map(|p| parse(p)).collect()
    }

    /// Waits until `n` messages arrived (the sender polls; a minute is far more than enough).
    #[track_caller]
    pub fn wait_for(&self, n: usize) -> Vec<Received> {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let got = self.messages();
            if got.len() >= n {
                return got;
            }
            assert!(
                Instant::now() < deadline,
                "{} message(s) received, {n} expected",
                got.len()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The messages to `to`, waiting for at least one.
    #[track_caller]
    pub fn wait_to(&self, to: &str) -> Vec<Received> {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let got: Vec<Received> = self
                .messages()
                .into_iter()
                .filter(|m| m.header("To").is_some_and(|t| t.contains(to)))
                .collect();
            if !got.is_empty() {
                return got;
            }
            assert!(Instant::now() < deadline, "nothing received for {to}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn parse(path: &Path) -> Received {
    let raw = std::fs::read_to_string(path).expect("a received message");
    let raw = raw.replace("\r\n", "\n");
    let (head, _) = raw.split_once("\n\n").unwrap_or((&raw, ""));
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in head.lines() {
        if line.starts_with(' ') || line.starts_with('\t') {
            if let Some(last) = headers.last_mut() {
                last.1.push(' ');
                last.1.push_str(line.trim());
            }
        } else if let Some((n, v)) = line.split_once(':') {
            headers.push((n.trim().to_string(), v.trim().to_string()));
        }
    }
    Received {
        text: part(&raw, "text/plain"),
        html: part(&raw, "text/html"),
        raw,
        headers,
    }
}

/// The decoded body of the MIME part of this content type.
fn part(raw: &str, content_type: &str) -> String {
    let Some(at) = raw.find(&format!("Content-Type: {content_type}")) else {
        return String::new();
    };
    let rest = &raw[at..];
    let (head, body) = rest.split_once("\n\n").unwrap_or((rest, ""));
    let boundary = raw
        .split("boundary=\"")
        .nth(1)
        .and_then(|b| b.split('"').next())
        .unwrap_or("\u{0}");
    let body = body.split(&format!("\n--{boundary}")).next().unwrap_or("");
    if head.contains("Content-Transfer-Encoding: quoted-printable") {
        quoted_printable(body)
    } else if head.contains("Content-Transfer-Encoding: base64") {
        use base64::Engine;
        let joined: String = body.split_whitespace().collect();
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(joined)
            .expect("base64 body");
        String::from_utf8(bytes).expect("utf-8 body")
    } else {
        body.to_string()
    }
}

fn quoted_printable(body: &str) -> String {
    let joined = body.replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&joined[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).expect("utf-8 body")
}
