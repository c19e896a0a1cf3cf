//! The public data's addresses take GET (and HEAD, which Rocket answers from GET) and
//! OPTIONS; any other method gets 405 with `Allow` rather than the 404 Rocket gives a path
//! it has no route for with that method. OPTIONS answers a browser's CORS preflight on the
//! open data (the pages are not meant for other sites' scripts).

use rocket::http::{Header, Method, Status};
use rocket::route::{Handler, Outcome};
use rocket::{Data, Request, Response, Route};

/// The methods the public addresses take.
pub const ALLOW: &str = "GET, HEAD, OPTIONS";

/// The open data: the API, its document and the CSV, readable from any origin.
pub const DATA: &[&str] = &[
    "/api/v1/stats/providers",
    "/api/v1/stats/providers/<_>",
    "/api/v1/openapi.json",
    "/stats/providers.csv",
    "/stats/providers.schema.json",
];

/// The public pages.
pub const PAGES: &[&str] = &["/stats", "/stats/providers/<_>", "/stats/methodology"];

const REFUSED: &[Method] = &[
    Method::Post,
    Method::Put,
    Method::Delete,
    Method::Patch,
    Method::Trace,
    Method::Connect,
];

#[derive(Clone)]
struct NotAllowed;

#[rocket::async_trait]
impl Handler for NotAllowed {
    async fn handle<'r>(&self, req: &'r Request<'_>, _data: Data<'r>) -> Outcome<'r> {
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
        Outcome::Success(
            Response::build()
                .status(Status::MethodNotAllowed)
                .header(kind)
                .header(Header::new("Allow", ALLOW))
                .sized_body(body.len(), std::io::Cursor::new(body))
                .finalize(),
        )
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
