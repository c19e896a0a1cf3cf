//! Error pages, inside the layout, for errors handlers return and for the catchers.

use askama::Template;
use rocket::http::{Header, Status};
use rocket::request::Request;
use rocket::response::content::RawHtml;
use rocket::response::{self, Redirect, Responder};
use rocket::{Catcher, catch, catchers};

use super::page::Page;
use crate::error::AppError;

/// A refused hash waits for a queue that empties in well under a second.
const BUSY_RETRY_SECS: u64 = 1;

/// Why a guard refused a request, for the error page the catcher renders.
struct Refusal(Option<&'static str>);

/// Notes the explanation for the error page of a request a guard refuses.
pub fn note_refusal(req: &Request<'_>, message_key: &'static str) {
    req.local_cache(|| Refusal(Some(message_key)));
}

#[derive(Template)]
#[template(path = "errors/error.html")]
struct ErrorView {
    p: Page,
    code: u16,
    title: String,
    message: String,
}

/// The catalog key of the usual explanation for a status.
pub fn default_message(status: Status) -> &'static str {
    match status.code {
        400 => "error-bad-request",
        403 => "error-forbidden",
        404 => "error-not-found",
        413 => "error-too-large",
        422 => "error-unprocessable",
        429 => "error-too-many",
        503 => "error-unavailable",
        _ => "error-internal",
    }
}

fn title_key(status: Status) -> &'static str {
    match status.code {
        400 => "page-error-400",
        403 => "page-error-403",
        404 => "page-error-404",
        413 => "page-error-413",
        422 => "page-error-422",
        429 => "page-error-429",
        503 => "page-error-503",
        _ => "page-error-500",
    }
}

fn error_page(req: &Request<'_>, status: Status, message_key: &str) -> (Status, RawHtml<String>) {
    let p = Page::from_request_cached(req);
    let view = ErrorView {
        code: status.code,
        title: p.t(title_key(status)),
        message: p.t(message_key),
        p,
    };
    let html = view
        .render()
        .unwrap_or_else(|_| format!("<!doctype html><title>{0}</title><h1>{0}</h1>", status.code));
    (status, RawHtml(html))
}

impl<'r> Responder<'r, 'static> for AppError {
    fn respond_to(self, req: &'r Request<'_>) -> response::Result<'static> {
        if self.status().code >= 500 {
            log::error!("{req}: {self}");
        }
        let mut res = error_page(req, self.status(), self.message_key()).respond_to(req)?;
        if let AppError::Busy = self {
            res.set_header(Header::new("Retry-After", BUSY_RETRY_SECS.to_string()));
        }
        Ok(res)
    }
}

#[catch(default)]
fn any(status: Status, req: &Request<'_>) -> (Status, RawHtml<String>) {
    let key = req
        .local_cache(|| Refusal(None))
        .0
        .unwrap_or_else(|| default_message(status));
    error_page(req, status, key)
}

/// Pages that need a login send the visitor to it, and back afterwards.
#[catch(401)]
fn unauthorized(req: &Request<'_>) -> Redirect {
    let here = req.uri().to_string();
    let next = rocket::http::RawStr::new(&here)
        .percent_encode()
        .to_string();
    Redirect::to(format!("/login?next={next}"))
}

pub fn catchers() -> Vec<Catcher> {
    catchers![any, unauthorized]
}
