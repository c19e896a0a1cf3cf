//! Database access, one module per aggregate. Every write is one transaction.

pub mod complaints;
pub mod login_failures;
pub mod notices;
pub mod outbox;
pub mod providers;
pub mod sessions;
pub mod stats;
pub mod tokens;
pub mod users;

/// The current time as stored: UTC, whole microseconds (both backends keep that much).
pub fn now() -> chrono::NaiveDateTime {
    let now = chrono::Utc::now().naive_utc();
    chrono::DurationRound::duration_trunc(now, chrono::Duration::microseconds(1)).unwrap_or(now)
}

/// Why a write did not happen: the rules refused it (`Refused`, saying why), or it failed.
#[derive(Debug)]
pub enum WriteError<R> {
    Refused(R),
    Failed(crate::error::AppError),
}

impl<R> From<diesel::result::Error> for WriteError<R> {
    fn from(e: diesel::result::Error) -> Self {
        WriteError::Failed(e.into())
    }
}

impl<R> From<crate::error::AppError> for WriteError<R> {
    fn from(e: crate::error::AppError) -> Self {
        WriteError::Failed(e)
    }
}
