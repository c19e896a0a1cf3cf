//! Database access, one module per aggregate. Every write is one transaction.

pub mod complaints;
pub mod login_failures;
pub mod providers;
pub mod sessions;
pub mod users;

/// The current time as stored: UTC, whole microseconds (both backends keep that much).
pub fn now() -> chrono::NaiveDateTime {
    let now = chrono::Utc::now().naive_utc();
    chrono::DurationRound::duration_trunc(now, chrono::Duration::microseconds(1)).unwrap_or(now)
}
