//! The one error type of the application. It renders as an error page (see `web::errors`).

use rocket::http::Status;

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
    #[error("database error: {0}")]
    Database(#[from] diesel::result::Error),
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    pub fn status(&self) -> Status {
        match self {
            AppError::NotFound => Status::NotFound,
            AppError::Forbidden(_) => Status::Forbidden,
            AppError::BadRequest(_) => Status::BadRequest,
            AppError::Unavailable(_) | AppError::Busy => Status::ServiceUnavailable,
            AppError::Database(_) | AppError::Internal(_) => Status::InternalServerError,
        }
    }

    /// The catalog key of the explanation shown to the user.
    pub fn message_key(&self) -> &'static str {
        match self {
            AppError::Forbidden(key) | AppError::BadRequest(key) => key,
            AppError::Busy => "error-busy",
            _ => crate::web::errors::default_message(self.status()),
        }
    }
}
