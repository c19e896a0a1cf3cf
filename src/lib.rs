//! Recours: telecom subscribers' complaints, refund claims and public statistics.
//! `app` builds the Rocket instance that both the binary and the tests start.

pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod mail;
pub mod ops;
pub mod password;
pub mod store;
pub mod web;

use rocket::figment::Figment;
use rocket::{Build, Rocket};

use crate::config::AppConfig;
use crate::db::Db;

/// Opens and migrates the database, then assembles the application. The error is one line
/// meant for a person: start-up stops on it.
pub fn app(figment: Figment) -> Result<Rocket<Build>, String> {
    // Evidence files may be up to 5 MiB (checked again, with a clear message, on upload).
    let figment = config::with_secret_key(figment)?
        .merge(("limits.file", "5 MiB"))
        .merge(("limits.data-form", "6 MiB"));
    let config = AppConfig::from_figment(&figment)?;
    domain::ladder::check_shipped()?;
    let figment = figment.merge(config.shutdown());
    let serve_lock = ops::serve_lock::ServeLock::take(&config.database_url())?;
    let db = open_database(&config)?;
    let request_log = web::request_log::RequestLog(config.request_log(&figment));
    let figment = web::request_log::quiet_rocket(figment, request_log.0);
    if config.fill_directory {
        let mut conn = db.conn().map_err(|e| e.to_string())?;
        store::providers::fill_if_empty(&mut conn)
            .map_err(|e| format!("cannot fill the provider directory: {e}"))?;
    }
    let hasher = password::Hasher::new(config.hash_queue()).map_err(|e| e.to_string())?;
    let transport = mail::transport::Transport::from_config(&config)?;
    let stats_cache = web::stats_cache::StatsCache::new(std::time::Duration::from_millis(
        config.stats_recheck_ms,
    ));
    Ok(rocket::custom(figment)
        .manage(config)
        .manage(db)
        .manage(serve_lock)
        .manage(hasher)
        .manage(stats_cache)
        .manage(web::pages::AdminSeen::default())
        .attach(web::headers::SecurityHeaders)
        .attach(web::open_data::Cors)
        .attach(web::compression::Compression)
        .attach(request_log)
        .attach(mail::sender::MailSender::new(transport))
        .mount("/", web::routes())
        .mount("/", web::open_data::routes())
        .register("/", web::errors::catchers())
        .register("/api", rocket::catchers![web::stats::api_catcher]))
}

/// Opens the configured database and applies pending migrations.
pub fn open_database(config: &AppConfig) -> Result<Db, String> {
    let db = Db::open(&config.database_url())?;
    db.conn()
        .map_err(|e| e.to_string())?
        .migrate()
        .map_err(|e| format!("cannot migrate the database: {e}"))?;
    Ok(db)
}
