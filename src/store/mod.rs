//! Database access, one module per aggregate. A function that writes runs inside its
//! caller's transaction: `Db::write` (the server), `DbConnection::write` (the command line
//! and start-up, which have no writer), so every write is one transaction.

pub mod alerts;
pub mod complaints;
pub mod drafts;
pub mod incidents;
pub mod login_failures;
pub mod notices;
pub mod outbox;
pub mod provider_cases;
pub mod provider_staff;
pub mod providers;
pub mod second_factor;
pub mod sessions;
pub mod stats;
pub mod tokens;
pub mod users;

pub use crate::db::StoreError;

/// The current time as stored: UTC, whole microseconds (both backends keep that much).
pub fn now() -> chrono::NaiveDateTime {
    let now = chrono::Utc::now().naive_utc();
    chrono::DurationRound::duration_trunc(now, chrono::Duration::microseconds(1)).unwrap_or(now)
}

/// Whether the database answers.
pub fn ping(conn: &mut crate::db::DbConnection) -> Result<(), StoreError> {
    diesel::connection::SimpleConnection::batch_execute(conn, "SELECT 1")?;
    Ok(())
}

/// Why a write did not happen: the rules refused it (`Refused`, saying why), or it failed.
#[derive(Debug)]
pub enum WriteError<R> {
    Refused(R),
    Failed(StoreError),
}

impl<R> From<diesel::result::Error> for WriteError<R> {
    fn from(e: diesel::result::Error) -> Self {
        WriteError::Failed(e.into())
    }
}

impl<R> From<StoreError> for WriteError<R> {
    fn from(e: StoreError) -> Self {
        WriteError::Failed(e)
    }
}
