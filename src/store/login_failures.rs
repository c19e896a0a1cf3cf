//! Failed logins, kept in the database so every app instance sees the same counts.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::login_failures;
use crate::domain::lockout::LockoutRule;
use crate::error::AppError;

/// How long the account or the address is still locked, whichever is longer.
pub fn locked_for(
    conn: &mut DbConnection,
    email_key: &str,
    ip: &str,
    account: LockoutRule,
    address: LockoutRule,
) -> Result<Option<Duration>, AppError> {
    let now = super::now();
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
    Ok([
        account.locked_for(&by_account, now),
        address.locked_for(&by_address, now),
    ]
    .into_iter()
    .flatten()
    .max())
}

/// Records one failure and forgets those that no longer count for this account or address.
pub fn record(
    conn: &mut DbConnection,
    email_key: &str,
    ip: &str,
    window: Duration,
) -> Result<(), AppError> {
    let now = super::now();
    conn.write(|conn| {
        diesel::delete(
            login_failures::table
                .filter(
                    login_failures::email_key
                        .eq(email_key)
                        .or(login_failures::ip.eq(ip)),
                )
                .filter(login_failures::at.lt(now - window)),
        )
        .execute(conn)?;
        diesel::insert_into(login_failures::table)
            .values((
                login_failures::email_key.eq(email_key),
                login_failures::ip.eq(ip),
                login_failures::at.eq(now),
            ))
            .execute(conn)?;
        Ok(())
    })
}

/// A successful login clears the account's failures (not the address's).
pub fn clear_account(conn: &mut DbConnection, email_key: &str) -> Result<(), AppError> {
    conn.write(|conn| {
        diesel::delete(login_failures::table.filter(login_failures::email_key.eq(email_key)))
            .execute(conn)
    })?;
    Ok(())
}
