//! HTTP for the open data.
//!
//! The public addresses take GET (and HEAD, which Rocket answers from GET) and OPTIONS; any
//! other method gets 405 with `Allow` rather than the 404 Rocket gives a path it has no
//! route for with that method, and a method Rocket does not know at all (such as `QUERY`)
//! gets the same 405 from the catchers. The open data (API, document, CSV, Table Schemas) is
//! readable from any origin (CORS, preflight answered); the pages are not meant for other
//! sites' scripts. The figures carry their version: `ETag` and `Last-Modified` from the
//! statistics' generation, 304 to a client that has them, and a short public cache.

use chrono::NaiveDateTime;
use rocket::fairing::{Fairing, Info, Kind};
use rocket::http::{Header, Method, Status};
use rocket::response::{self, Responder};
use rocket::route::{Handler, Outcome};
use rocket::{Data, Request, Response, Route};

use super::stats_cache::Version;

/// The methods the public addresses take.
pub const ALLOW: &str = "GET, HEAD, OPTIONS";

/// The open data: the API, its document, the CSVs and their Table Schemas, readable from
/// any origin.
pub const DATA: &[&str] = &[
    "/api/v1/stats/providers",
    "/api/v1/stats/providers/<_>",
    "/api/v1/openapi.json",
    "/api/v1/incidents",
    "/api/v1/incidents/<_>",
    "/api/v1/complaints",
    "/stats/providers.csv",
    "/stats/providers.schema.json",
    "/complaints.csv",
    "/complaints.schema.json",
    "/review/complaints.schema.json",
];

/// Whether `path` is open data, readable from any origin. The reviewers' schema describes
/// their export without holding any of it.
pub fn is_open_data(path: &str) -> bool {
    path.starts_with("/api/v1/")
        || path == "/stats/providers.csv"
        || path == "/complaints.csv"
        || path.ends_with(".schema.json")
}

/// The public pages.
pub const PAGES: &[&str] = &[
    "/stats",
    "/stats/providers/<_>",
    "/stats/methodology",
    "/stats/dictionary/<_>",
];

const REFUSED: &[Method] = &[
    Method::Post,
    Method::Put,
    Method::Delete,
    Method::Patch,
    Method::Trace,
    Method::Connect,
];

/// Whether `path` is one of the public addresses (`<_>` stands for one segment).
fn is_public(path: &str) -> bool {
    let matches = |pattern: &str| {
        let mut want = pattern.split('/');
        let mut have = path.split('/');
        loop {
            match (want.next(), have.next()) {
                (None, None) => return true,
                (Some("<_>"), Some(segment)) if !segment.is_empty() => {}
                (Some(w), Some(h)) if w == h => {}
                _ => return false,
            }
        }
    };
    DATA.iter().chain(PAGES).any(|p| matches(p))
}

/// The 405 of a public address, with `Allow`; JSON under the API like its other errors.
pub struct MethodRefused;

impl<'r> Responder<'r, 'static> for MethodRefused {
    fn respond_to(self, req: &'r Request<'_>) -> response::Result<'static> {
        let api = req.uri().path().starts_with("/api/");
        let (kind, body) = if api {
            (
                rocket::http::ContentType::JSON,
                format!(r#"{{"error":"this address takes {ALLOW}"}}"#),
            )
        } else {
            (
                rocket::http::ContentType::Plain,
                format!("This address takes {ALLOW}.\n"),
            )
        };
        Response::build()
            .status(Status::MethodNotAllowed)
            .header(kind)
            .header(Header::new("Allow", ALLOW))
            .sized_body(body.len(), std::io::Cursor::new(body))
            .ok()
    }
}

/// The 405 a catcher answers instead of `status` when the request's method is one Rocket
/// does not know. Rocket cannot route such a method: it hands the request to the 400
/// catcher before routing, with the method replaced by GET, so a 400 with no route tried
/// on a public address is that case (any other 400 comes from a route).
pub fn unknown_method(status: Status, req: &Request<'_>) -> Option<MethodRefused> {
    (status == Status::BadRequest && req.route().is_none() && is_public(req.uri().path().as_str()))
        .then_some(MethodRefused)
}

#[derive(Clone)]
struct NotAllowed;

#[rocket::async_trait]
impl Handler for NotAllowed {
    async fn handle<'r>(&self, req: &'r Request<'_>, _data: Data<'r>) -> Outcome<'r> {
        Outcome::from(req, MethodRefused)
    }
}

#[derive(Clone)]
struct Preflight {
    cors: bool,
}

#[rocket::async_trait]
impl Handler for Preflight {
    async fn handle<'r>(&self, _req: &'r Request<'_>, _data: Data<'r>) -> Outcome<'r> {
        let mut res = Response::build();
        res.status(Status::NoContent)
            .header(Header::new("Allow", ALLOW));
        if self.cors {
            res.header(Header::new("Access-Control-Allow-Methods", ALLOW))
                .header(Header::new(
                    "Access-Control-Allow-Headers",
                    "If-None-Match, If-Modified-Since",
                ))
                .header(Header::new("Access-Control-Max-Age", "86400"));
        }
        Outcome::Success(res.finalize())
    }
}

/// The 405 and OPTIONS routes of every public address.
pub fn routes() -> Vec<Route> {
    let mut out = Vec::new();
    for (paths, cors) in [(DATA, true), (PAGES, false)] {
        for path in paths {
            for method in REFUSED {
                out.push(Route::new(*method, path, NotAllowed));
            }
            out.push(Route::new(Method::Options, path, Preflight { cors }));
        }
    }
    out
}

/// `Access-Control-Allow-Origin: *` on every answer of the open data, errors included (a
/// script elsewhere can then read why it was refused).
pub struct Cors;

#[rocket::async_trait]
impl Fairing for Cors {
    fn info(&self) -> Info {
        Info {
            name: "open data CORS",
            kind: Kind::Response,
        }
    }

    async fn on_response<'r>(&self, req: &'r Request<'_>, res: &mut Response<'r>) {
        if is_open_data(req.uri().path().as_str()) {
            res.set_header(Header::new("Access-Control-Allow-Origin", "*"));
            res.set_header(Header::new(
                "Access-Control-Expose-Headers",
                "ETag, Last-Modified, Content-Disposition",
            ));
        }
    }
}

/// Seconds a client or a shared cache may keep the figures without asking: short, as
/// every complaint filed moves them.
pub const MAX_AGE: u32 = 60;

/// The short public cache of the open data.
pub fn public_cache() -> Header<'static> {
    Header::new("Cache-Control", format!("public, max-age={MAX_AGE}"))
}

/// Figures answered with their version; 304 when the client already has them.
pub struct Versioned<R> {
    pub inner: R,
    pub version: Version,
}

fn http_date(at: NaiveDateTime) -> String {
    at.and_utc().format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

/// Whether the client's copy, as its conditional headers describe it, is current.
fn client_is_current(req: &Request<'_>, etag: &str, changed_at: Option<NaiveDateTime>) -> bool {
    let weak = |t: &str| t.trim().trim_start_matches("W/").to_string();
    // If-None-Match wins over If-Modified-Since (RFC 9110, 13.1.3).
    if let Some(tags) = req.headers().get_one("If-None-Match") {
        return tags
            .split(',')
            .any(|t| t.trim() == "*" || weak(t) == weak(etag));
    }
    let since = req
        .headers()
        .get_one("If-Modified-Since")
        .and_then(|s| chrono::DateTime::parse_from_rfc2822(s).ok());
    match (since, changed_at) {
        // HTTP dates have whole seconds.
        (Some(since), Some(at)) => at.and_utc().timestamp() <= since.timestamp(),
        _ => false,
    }
}

impl<'r, R: Responder<'r, 'static>> Responder<'r, 'static> for Versioned<R> {
    fn respond_to(self, req: &'r Request<'_>) -> response::Result<'static> {
        let etag = format!("W/\"{}\"", self.version.data_version());
        let changed_at = self.version.changed_at();
        let mut res = if client_is_current(req, &etag, changed_at) {
            Response::build().status(Status::NotModified).finalize()
        } else {
            self.inner.respond_to(req)?
        };
        res.set_header(Header::new("ETag", etag));
        if let Some(at) = changed_at {
            res.set_header(Header::new("Last-Modified", http_date(at)));
        }
        res.set_header(public_cache());
        Ok(res)
    }
}
