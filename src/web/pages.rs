//! The home page, the health check and the style sheet.

use std::sync::LazyLock;

use askama::Template;
use rocket::http::{ContentType, Header, Status};
use rocket::{State, get};

use super::page::{Page, Reply, render};
use crate::db::Db;
use crate::web::errors::AppError;

#[derive(Template)]
#[template(path = "home.html")]
struct HomeView {
    p: Page,
    /// No administrator yet: the page says how to create the first one.
    fresh: bool,
}

/// Once an administrator exists the installation is no longer fresh: the home page stops
/// asking the database.
#[derive(Default)]
pub struct AdminSeen(std::sync::atomic::AtomicBool);

#[get("/")]
pub async fn home(p: Page, db: &State<Db>, seen: &State<AdminSeen>) -> Result<Reply, AppError> {
    use std::sync::atomic::Ordering;
    let fresh = !seen.0.load(Ordering::Relaxed) && !db.run(crate::store::users::any_admin).await?;
    if !fresh {
        seen.0.store(true, Ordering::Relaxed);
    }
    render(&HomeView { p, fresh }, Status::Ok)
}

/// 200 `ok` when the database answers, 503 otherwise.
#[get("/healthz")]
pub async fn healthz(db: &State<Db>) -> (Status, &'static str) {
    let answer = db.run(crate::store::ping).await;
    match answer {
        Ok(()) => (Status::Ok, "ok"),
        Err(_) => (Status::ServiceUnavailable, "unavailable"),
    }
}

const STYLE: &str = include_str!("../../static/style.css");

/// The style sheet's URL carries a hash of its content, so it can be cached for a year.
pub static STYLE_PATH: LazyLock<String> = LazyLock::new(|| {
    // FNV-1a: stable across builds and platforms, unlike std's hasher.
    let hash = STYLE.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    format!("/static/style-{:012x}.css", hash & 0xffff_ffff_ffff)
});

#[derive(rocket::Responder)]
pub struct Cached {
    body: &'static [u8],
    content_type: ContentType,
    cache: Header<'static>,
}

#[get("/static/<name>")]
pub fn style(name: &str) -> Result<Cached, AppError> {
    if format!("/static/{name}") != *STYLE_PATH {
        return Err(AppError::NotFound);
    }
    Ok(Cached {
        body: STYLE.as_bytes(),
        content_type: ContentType::CSS,
        cache: Header::new("Cache-Control", "public, max-age=31536000, immutable"),
    })
}

/// A 32-pixel "R" on the brand's blue: browsers ask for `/favicon.ico` on every site, and a
/// tab or bookmark without it is harder to find.
#[get("/favicon.ico")]
pub fn favicon() -> Cached {
    Cached {
        body: include_bytes!("../../static/favicon.ico"),
        content_type: ContentType::Icon,
        cache: Header::new("Cache-Control", "public, max-age=86400"),
    }
}
