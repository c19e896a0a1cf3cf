//! The web layer's error, its HTTP status, and the error pages, inside the layout, for
//! errors handlers return and for the catchers.

use askama::Template;
use rocket::http::{Header, Status};
use rocket::request::Request;
use rocket::response::content::RawHtml;
use rocket::response::{self, Redirect, Responder};
use rocket::{Catcher, catch, catchers};

use super::open_data;
use super::page::Page;
use crate::password::HashError;
use crate::store::StoreError;

/// What a handler answers when it cannot do what was asked. It renders as an error page.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    /// Refused; the catalog key says why.
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    /// A malformed request; the catalog key says what is wrong.
    #[error("bad request: {0}")]
    BadRequest(&'static str),
    /// Too many password hashes running or waiting: try again in a moment.
    #[error("too busy hashing passwords")]
    Busy,
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// The store failed: a database error or a row it cannot read back.
    #[error(transparent)]
    Store(StoreError),
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Unavailable(why) => AppError::Unavailable(why),
            other => AppError::Store(other),
        }
    }
}

/// A refused query string on a page that shows it on the error page.
impl From<super::query::ParamError> for AppError {
    fn from(e: super::query::ParamError) -> Self {
        match e.problem {
            super::query::Problem::Invalid(key) => AppError::BadRequest(key),
            _ => AppError::BadRequest("error-bad-query"),
        }
    }
}

impl From<HashError> for AppError {
    fn from(e: HashError) -> Self {
        match e {
            HashError::Busy => AppError::Busy,
            HashError::Failed(why) => AppError::Internal(why),
        }
    }
}

impl AppError {
    pub fn status(&self) -> Status {
        match self {
            AppError::NotFound => Status::NotFound,
            AppError::Forbidden(_) => Status::Forbidden,
            AppError::BadRequest(_) => Status::BadRequest,
            AppError::Unavailable(_) | AppError::Busy => Status::ServiceUnavailable,
            AppError::Store(_) | AppError::Internal(_) => Status::InternalServerError,
        }
    }

    /// The catalog key of the explanation shown to the user.
    pub fn message_key(&self) -> &'static str {
        match self {
            AppError::Forbidden(key) | AppError::BadRequest(key) => key,
            AppError::Busy => "error-busy",
            _ => default_message(self.status()),
        }
    }
}

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
fn any(
    status: Status,
    req: &Request<'_>,
) -> Result<(Status, RawHtml<String>), open_data::MethodRefused> {
    if let Some(refused) = open_data::unknown_method(status, req) {
        return Err(refused);
    }
    let key = req
        .local_cache(|| Refusal(None))
        .0
        .unwrap_or_else(|| default_message(status));
    Ok(error_page(req, status, key))
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
