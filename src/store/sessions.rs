//! Server-side sessions: the cookie only carries a random id; the row decides.

use base64::Engine;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use rand::RngCore;

use super::StoreError;
use super::users::User;
use crate::db::DbConnection;
use crate::db::schema::{sessions, users};
use crate::domain::account::Role;

/// How long a session lives without use, and at most.
#[derive(Debug, Clone, Copy)]
pub struct Lifetime {
    pub idle: Duration,
    pub absolute: Duration,
}

/// `last_seen_at` is written at most this often, so reading pages rarely writes.
const TOUCH_EVERY: Duration = Duration::seconds(60);

pub fn create(conn: &mut DbConnection, user_id: &str) -> Result<String, StoreError> {
    insert(conn, user_id, None)
}

/// Replaces the session `old`, which has passed the password, by a new one that has passed
/// the second factor too: a new id, so one seen before the second step is worth nothing.
pub fn pass_second_factor(
    conn: &mut DbConnection,
    old: &str,
    user_id: &str,
) -> Result<String, StoreError> {
    delete(conn, old)?;
    insert(conn, user_id, Some(super::now()))
}

fn insert(
    conn: &mut DbConnection,
    user_id: &str,
    second_factor_at: Option<NaiveDateTime>,
) -> Result<String, StoreError> {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let id = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let now = super::now();
    diesel::insert_into(sessions::table)
        .values((
            sessions::id.eq(&id),
            sessions::user_id.eq(user_id),
            sessions::created_at.eq(now),
            sessions::last_seen_at.eq(now),
            sessions::second_factor_at.eq(second_factor_at),
        ))
        .execute(conn)?;
    Ok(id)
}

/// What a session cookie leads to. Reading it writes nothing: the caller deletes an expired
/// session and touches a live one through `Db::write`.
#[derive(Debug)]
pub enum Lookup {
    Missing,
    /// Past its lifetime: to be deleted (`delete`).
    Expired,
    /// `touch`: `last_seen_at` is old enough to be written again (`touch`).
    /// `second_factor`: the session passed the second step.
    Live {
        user: User,
        touch: bool,
        second_factor: bool,
    },
}

/// A session joined to its user: created, last seen, the user's id, e-mail, role, when the
/// account was made, the provider its staff belong to, and when the session passed the
/// second step.
type SessionRow = (
    NaiveDateTime,
    NaiveDateTime,
    String,
    String,
    String,
    NaiveDateTime,
    Option<String>,
    Option<NaiveDateTime>,
);

/// The session `session_id` and its user.
pub fn user(
    conn: &mut DbConnection,
    session_id: &str,
    lifetime: Lifetime,
) -> Result<Lookup, StoreError> {
    let found: Option<SessionRow> = sessions::table
        .inner_join(users::table)
        .filter(sessions::id.eq(session_id))
        .select((
            sessions::created_at,
            sessions::last_seen_at,
            users::id,
            users::email,
            users::role,
            users::created_at,
            users::provider_id,
            sessions::second_factor_at,
        ))
        .first(conn)
        .optional()?;
    let Some((created, last_seen, id, email, role, user_created, provider_id, second_factor_at)) =
        found
    else {
        return Ok(Lookup::Missing);
    };
    let now = super::now();
    if now - last_seen > lifetime.idle || now - created > lifetime.absolute {
        return Ok(Lookup::Expired);
    }
    let role =
        Role::parse(&role).ok_or_else(|| StoreError::Corrupt(format!("unknown role {role:?}")))?;
    Ok(Lookup::Live {
        user: User {
            id,
            email,
            role,
            created_at: user_created,
            provider_id,
        },
        touch: now - last_seen > TOUCH_EVERY,
        second_factor: second_factor_at.is_some(),
    })
}

/// Notes that the session is in use now; part of the caller's transaction.
pub fn touch(conn: &mut DbConnection, session_id: &str) -> Result<(), StoreError> {
    diesel::update(sessions::table.find(session_id))
        .set(sessions::last_seen_at.eq(super::now()))
        .execute(conn)?;
    Ok(())
}

pub fn delete(conn: &mut DbConnection, session_id: &str) -> Result<(), StoreError> {
    diesel::delete(sessions::table.find(session_id)).execute(conn)?;
    Ok(())
}

/// Part of a caller's transaction: ends the account's sessions, except `keep`.
pub fn delete_all_for_user_but(
    conn: &mut DbConnection,
    user_id: &str,
    keep: Option<&str>,
) -> QueryResult<usize> {
    let mine = sessions::table.filter(sessions::user_id.eq(user_id));
    match keep {
        Some(keep) => diesel::delete(mine.filter(sessions::id.ne(keep))).execute(conn),
        None => diesel::delete(mine).execute(conn),
    }
}
