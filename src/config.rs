//! Configuration: Rocket's figment (`Rocket.toml`, `ROCKET_*`) plus `DATABASE_URL`.

use std::io::Write;
use std::path::{Path, PathBuf};

use base64::Engine;
use rand::RngCore;
use rocket::figment::Figment;
use rocket::figment::providers::Env;
use serde::Deserialize;

use crate::domain::country::Country;
use crate::domain::lockout::LockoutRule;
use crate::domain::network::TrustedProxies;

#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct AppConfig {
    /// Where the SQLite database and the generated secret key live.
    pub data_dir: PathBuf,
    /// `postgres://…` or a SQLite path; defaults to `<data_dir>/recours.db`.
    pub database_url: Option<String>,
    pub session_idle_minutes: i64,
    pub session_absolute_hours: i64,
    /// Marks cookies `Secure`: set it when the portal is served over HTTPS.
    pub secure_cookies: bool,
    pub login_max_failures_account: usize,
    pub login_max_failures_ip: usize,
    pub login_window_minutes: i64,
    /// Days the provider has to answer a claim.
    pub claim_answer_days: i64,
    /// Days the provider has to answer a claim sent through Recours.
    pub provider_answer_days: i64,
    /// Days the mediator has to give its opinion.
    pub mediator_opinion_days: i64,
    /// How long the statistics may be served without asking the database whether another
    /// instance (or the command line) changed the counters. This instance's own changes
    /// show at once.
    pub stats_recheck_ms: u64,
    /// Fill an empty provider directory from the shipped one at start.
    pub fill_directory: bool,
    /// Proxies (addresses or CIDR ranges) whose `X-Forwarded-For` / `X-Real-IP` name the
    /// client; a list, or one string separated by commas.
    #[serde(deserialize_with = "proxies")]
    pub trusted_proxies: TrustedProxies,
    /// How many password hashes may run or wait at once; past it, 503 at once. `None`: four
    /// per core.
    pub hash_queue: Option<usize>,
    /// Seconds a stop (SIGTERM, Ctrl-C) may take: requests in flight finish meanwhile.
    pub stop_seconds: u32,
    /// One line per request on standard output: `text`, `json` or `off`.
    pub log_format: crate::web::request_log::LogFormat,
    /// Addresses or CIDR ranges that may read `/metrics` (loopback by default).
    #[serde(deserialize_with = "proxies")]
    pub metrics_allow: TrustedProxies,
    /// A bearer token that opens `/metrics` from any address (none by default).
    pub metrics_token: Option<String>,
    /// Where messages go: `smtp://host:port` (plain), `smtp://host:port?tls=required`
    /// (STARTTLS), `smtps://host:port` (TLS), with `user:password@` if needed. None: `.eml`
    /// files under `<data_dir>/outbox/`.
    pub smtp_url: Option<String>,
    /// The sender of every message.
    pub mail_from: String,
    /// The address links in messages start with.
    pub public_url: String,
    /// How often the sender looks for messages to send.
    pub mail_poll_ms: u64,
    /// The wait after a first failed delivery, doubled after each next one (at most a day).
    pub mail_retry_base_secs: i64,
    /// Deliveries tried before a message is marked failed.
    pub mail_max_attempts: i32,
    /// How long a sender holds a message it is sending before another may take it.
    pub mail_lease_secs: i64,
    /// How often each instance runs the reminder pass.
    pub reminders_every_minutes: u64,
}

/// `trusted_proxies` (and `metrics_allow`) as a list (`Rocket.toml`) or one comma-separated string (environment).
fn proxies<'de, D: serde::Deserializer<'de>>(d: D) -> Result<TrustedProxies, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Given {
        One(String),
        Many(Vec<String>),
    }
    let items = match Given::deserialize(d)? {
        Given::One(s) => s.split(',').map(str::to_string).collect(),
        Given::Many(v) => v,
    };
    TrustedProxies::parse(items.iter().map(String::as_str)).map_err(serde::de::Error::custom)
}

impl Default for AppConfig {
    fn default() -> Self {
        AppConfig {
            data_dir: PathBuf::from("data"),
            database_url: None,
            session_idle_minutes: 120,
            session_absolute_hours: 24 * 7,
            secure_cookies: false,
            login_max_failures_account: 5,
            login_max_failures_ip: 20,
            login_window_minutes: 15,
            claim_answer_days: 30,
            provider_answer_days: 30,
            mediator_opinion_days: 90,
            stats_recheck_ms: 1000,
            fill_directory: true,
            trusted_proxies: TrustedProxies::default(),
            hash_queue: None,
            stop_seconds: 10,
            log_format: Default::default(),
            metrics_allow: TrustedProxies::parse(["127.0.0.0/8", "::1"]).unwrap_or_default(),
            metrics_token: None,
            smtp_url: None,
            mail_from: "Recours <noreply@localhost>".into(),
            public_url: "http://127.0.0.1:8000".into(),
            mail_poll_ms: 1000,
            mail_retry_base_secs: 60,
            mail_max_attempts: 8,
            mail_lease_secs: 300,
            reminders_every_minutes: 60,
        }
    }
}

impl AppConfig {
    pub fn from_figment(figment: &Figment) -> Result<AppConfig, String> {
        figment
            .extract()
            .map_err(|e| format!("invalid configuration: {e}"))
    }

    pub fn database_url(&self) -> String {
        self.database_url.clone().unwrap_or_else(|| {
            self.data_dir
                .join("recours.db")
                .to_string_lossy()
                .into_owned()
        })
    }

    /// The answer times, for the store, which follows each claim's owner's ladder (the
    /// French one stands in until then).
    pub fn claim_times(&self) -> crate::domain::claim::Profile {
        self.claim_profile(Country::DEFAULT)
    }

    /// The configured answer times with the escalation ladder of `country`, the claim
    /// owner's country of residence.
    pub fn claim_profile(&self, country: Country) -> crate::domain::claim::Profile {
        crate::domain::claim::Profile {
            answer_days: self.claim_answer_days,
            provider_answer_days: self.provider_answer_days,
            mediator_opinion_days: self.mediator_opinion_days,
            ladder: crate::domain::ladder::shipped().for_country(country),
        }
    }

    /// The bound on password hashes running or waiting. Four per core: with one core left
    /// free, a hash waits behind at most about eight others on two cores (a fraction of a
    /// second), and the waiting ones hold no work area, so memory stays flat.
    pub fn hash_queue(&self) -> usize {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        self.hash_queue.unwrap_or(4 * cores).max(1)
    }

    /// `stop_seconds` as Rocket's shutdown settings: two thirds for requests in flight to
    /// finish (`grace`), the rest for connections to close (`mercy`), then Rocket ends.
    pub fn shutdown(&self) -> Figment {
        let total = self.stop_seconds.max(1);
        let mercy = total / 3;
        Figment::new()
            .merge(("shutdown.grace", total - mercy))
            .merge(("shutdown.mercy", mercy))
    }

    /// The request log's format: `off` too when Rocket's `log_level` is `off` (silence).
    pub fn request_log(&self, figment: &Figment) -> crate::web::request_log::LogFormat {
        match figment.extract_inner::<rocket::config::LogLevel>("log_level") {
            Ok(rocket::config::LogLevel::Off) => crate::web::request_log::LogFormat::Off,
            _ => self.log_format,
        }
    }

    /// The domain of Message-IDs: the one of `mail_from`.
    pub fn mail_domain(&self) -> String {
        self.mail_from
            .rsplit_once('@')
            .map(|(_, d)| d.trim_end_matches('>').trim().to_string())
            .filter(|d| !d.is_empty())
            .unwrap_or_else(|| "localhost".into())
    }

    pub fn account_lockout(&self) -> LockoutRule {
        LockoutRule {
            max_failures: self.login_max_failures_account,
            window: chrono::Duration::minutes(self.login_window_minutes),
        }
    }

    pub fn ip_lockout(&self) -> LockoutRule {
        LockoutRule {
            max_failures: self.login_max_failures_ip,
            window: chrono::Duration::minutes(self.login_window_minutes),
        }
    }
}

/// Rocket's own sources plus `DATABASE_URL`.
pub fn figment() -> Figment {
    rocket::Config::figment().merge(Env::raw().only(&["database_url"]))
}

/// Without a configured `secret_key`, uses the one kept in the data folder, creating it
/// (readable by the owner only) on first start, so sessions survive a restart.
pub fn with_secret_key(figment: Figment) -> Result<Figment, String> {
    // Rocket's own defaults hold an all-zero key, which means "none configured".
    let configured = match figment.extract_inner::<rocket::config::SecretKey>("secret_key") {
        Ok(key) => !key.is_zero(),
        Err(e) if e.missing() => false,
        // Said here rather than by Rocket at launch, and without echoing the key.
        Err(_) => {
            return Err(
                "secret_key is set but unusable: give 64 random bytes in base64 \
                 (for example `head -c 64 /dev/urandom | base64 -w0`), or remove it and \
                 Recours keeps its own key in the data folder"
                    .to_string(),
            );
        }
    };
    if configured {
        return Ok(figment);
    }
    let config = AppConfig::from_figment(&figment)?;
    let key = load_or_create_key(&config.data_dir.join("secret_key"))?;
    Ok(figment.merge(("secret_key", key)))
}

fn load_or_create_key(path: &Path) -> Result<String, String> {
    match std::fs::read_to_string(path) {
        Ok(key) => return Ok(key.trim().to_string()),
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            return Err(format!("cannot read {}: {e}", path.display()));
        }
        Err(_) => {}
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let mut bytes = [0u8; 64];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let key = base64::engine::general_purpose::STANDARD.encode(bytes);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
    file.write_all(key.as_bytes())
        .and_then(|_| file.sync_all())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_key_is_created_private_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let figment = Figment::new().merge(("data_dir", dir.path()));
        let first = with_secret_key(figment.clone()).unwrap();
        let key: String = first.extract_inner("secret_key").unwrap();
        assert_eq!(
            base64::engine::general_purpose::STANDARD
                .decode(&key)
                .unwrap()
                .len(),
            64
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("secret_key"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let second = with_secret_key(figment).unwrap();
        assert_eq!(second.extract_inner::<String>("secret_key").unwrap(), key);
    }

    const CONFIGURED: &str = "hPRYyVRiMyxpw5sBB1XeCMN1kFsDCqKvBi2QJxBVHQk=";

    #[test]
    fn rocket_default_zero_key_counts_as_none() {
        let dir = tempfile::tempdir().unwrap();
        let figment = rocket::Config::figment().merge(("data_dir", dir.path()));
        let out = with_secret_key(figment).unwrap();
        let key: rocket::config::SecretKey = out.extract_inner("secret_key").unwrap();
        assert!(!key.is_zero());
        assert!(dir.path().join("secret_key").exists());
    }

    #[test]
    fn an_unusable_secret_key_is_refused_without_being_echoed() {
        let dir = tempfile::tempdir().unwrap();
        let figment = Figment::new()
            .merge(("data_dir", dir.path()))
            .merge(("secret_key", "hunter2"));
        let e = with_secret_key(figment).unwrap_err();
        assert!(e.contains("secret_key is set but unusable"), "{e}");
        assert!(!e.contains("hunter2"), "{e}");
        assert!(!dir.path().join("secret_key").exists());
    }

    #[test]
    fn configured_secret_key_wins() {
        let dir = tempfile::tempdir().unwrap();
        let figment = Figment::new()
            .merge(("data_dir", dir.path()))
            .merge(("secret_key", CONFIGURED));
        let out = with_secret_key(figment).unwrap();
        assert_eq!(
            out.extract_inner::<String>("secret_key").unwrap(),
            CONFIGURED
        );
        assert!(!dir.path().join("secret_key").exists());
    }

    #[test]
    fn database_defaults_to_the_data_folder() {
        let config = AppConfig::default();
        assert_eq!(config.database_url(), "data/recours.db");
    }
}
