//! Failed logins, kept in the database so every app instance sees the same counts.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::StoreError;
use crate::db::DbConnection;
use crate::db::schema::login_failures;
use crate::domain::lockout::LockoutRule;

/// What `reserve` decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    /// The attempt is recorded as a failure already; a success clears it.
    Reserved,
    /// Refused without trying, for this long.
    Locked(Duration),
}

/// An attempt at a form other than the log-in (a password reset, a registration), under keys
/// of its own (`purpose:`): at most `per_hour` an hour per address typed, known or not, and
/// `per_client` per client address.
pub fn reserve_for(
    conn: &mut DbConnection,
    purpose: &str,
    email_key: &str,
    ip: &str,
    per_hour: usize,
    per_client: LockoutRule,
) -> Result<Attempt, StoreError> {
    let per_address = LockoutRule {
        max_failures: per_hour,
        window: chrono::Duration::hours(1),
    };
    reserve(
        conn,
        &format!("{purpose}:{email_key}"),
        &format!("{purpose}:{ip}"),
        per_address,
        per_client,
    )
}

/// Checks the limits of the account key and the client address and, when they allow one more
/// attempt, records it as a failure, in one step: the attempt is counted before the password
/// is verified, so that concurrent guesses see each other and together cannot pass the limit.
/// Runs inside the caller's write transaction (`Db::write`). On SQLite the one writer
/// serialises it; on PostgreSQL a transaction-scoped advisory lock per key does, taken account
/// first and address second by every caller (no deadlock), and the reads after it see what
/// the previous holder committed (READ COMMITTED takes a snapshot per statement).
pub fn reserve(
    conn: &mut DbConnection,
    email_key: &str,
    ip: &str,
    account: LockoutRule,
    address: LockoutRule,
) -> Result<Attempt, StoreError> {
    lock_key(conn, &format!("login-account:{email_key}"))?;
    lock_key(conn, &format!("login-address:{ip}"))?;
    let now = super::now();
    let oldest_counted = now - account.window.max(address.window);
    diesel::delete(
        login_failures::table
            .filter(
                login_failures::email_key
                    .eq(email_key)
                    .or(login_failures::ip.eq(ip)),
            )
            .filter(login_failures::at.lt(oldest_counted)),
    )
    .execute(conn)?;
    let by_account: Vec<NaiveDateTime> = login_failures::table
        .filter(login_failures::email_key.eq(email_key))
        .order(login_failures::at.desc())
        .select(login_failures::at)
        .limit(account.max_failures as i64)
        .load(conn)?;
    let by_address: Vec<NaiveDateTime> = login_failures::table
        .filter(login_failures::ip.eq(ip))
        .order(login_failures::at.desc())
        .select(login_failures::at)
        .limit(address.max_failures as i64)
        .load(conn)?;
    let locked = [
        account.locked_for(&by_account, now),
        address.locked_for(&by_address, now),
    ]
    .into_iter()
    .flatten()
    .max();
    if let Some(wait) = locked {
        return Ok(Attempt::Locked(wait));
    }
    diesel::insert_into(login_failures::table)
        .values((
            login_failures::email_key.eq(email_key),
            login_failures::ip.eq(ip),
            login_failures::at.eq(now),
        ))
        .execute(conn)?;
    Ok(Attempt::Reserved)
}

/// Holds `key` until the transaction ends (PostgreSQL); SQLite's writer is already alone.
fn lock_key(conn: &mut DbConnection, key: &str) -> Result<(), StoreError> {
    #[cfg(feature = "postgres")]
    if let DbConnection::Postgres(c) = conn {
        diesel::sql_query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
            .bind::<diesel::sql_types::Text, _>(key)
            .execute(c)?;
    }
    #[cfg(not(feature = "postgres"))]
    let _ = (conn, key);
    Ok(())
}

/// A successful login clears the account's failures (not the address's).
pub fn clear_account(conn: &mut DbConnection, email_key: &str) -> Result<(), StoreError> {
    diesel::delete(login_failures::table.filter(login_failures::email_key.eq(email_key)))
        .execute(conn)?;
    Ok(())
}
