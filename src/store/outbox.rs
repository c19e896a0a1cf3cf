//! The outbox: every message is a row written in the transaction of its cause, then
//! leased, sent and marked by a sender (see `mail::sender`). A lease is an owner and an
//! expiry: a sender that dies holding one lets it run out, and another sends the message
//! again under the same Message-ID.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::outbox;
use crate::domain::mail::{self, Kind};
use crate::store::StoreError;

pub const WAITING: &str = "waiting";
pub const SENT: &str = "sent";
pub const FAILED: &str = "failed";

/// The messages due at `now`: waiting, their time come, and not leased (or the lease ran
/// out). A macro: the query's type is long to name.
macro_rules! due_at {
    ($now:expr) => {
        outbox::table
            .filter(outbox::state.eq(WAITING))
            .filter(outbox::next_attempt_at.le($now))
            .filter(
                outbox::lease_until
                    .is_null()
                    .or(outbox::lease_until.lt($now)),
            )
    };
}

/// A message to queue.
#[derive(Debug, Clone)]
pub struct NewMessage {
    pub kind: Kind,
    pub recipient: String,
    pub lang: String,
    pub user_id: Option<String>,
    pub params: serde_json::Value,
    /// At most one message ever carries this key (a reminder: once per claim and deadline).
    pub dedup_key: Option<String>,
}

/// A leased message, ready to render and send.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = outbox)]
pub struct Queued {
    pub id: i64,
    pub kind: String,
    pub recipient: String,
    pub lang: String,
    pub user_id: Option<String>,
    pub params: Option<String>,
    pub attempts: i32,
    pub created_at: NaiveDateTime,
}

/// Queues a message inside the caller's transaction. False when a message with the same
/// `dedup_key` exists already: the database's unique index decides, so two instances
/// queueing the same reminder at once queue it once.
pub fn enqueue(conn: &mut DbConnection, m: &NewMessage) -> Result<bool, StoreError> {
    let now = super::now();
    let row = (
        outbox::kind.eq(m.kind.as_str()),
        outbox::recipient.eq(&m.recipient),
        outbox::lang.eq(&m.lang),
        outbox::user_id.eq(m.user_id.as_deref()),
        outbox::params.eq(m.params.to_string()),
        outbox::dedup_key.eq(m.dedup_key.as_deref()),
        outbox::state.eq(WAITING),
        outbox::next_attempt_at.eq(now),
        outbox::created_at.eq(now),
    );
    let n = crate::on_backend!(conn, c => diesel::insert_into(outbox::table)
        .values(row)
        .on_conflict_do_nothing()
        .execute(c))?;
    Ok(n == 1)
}

/// Leases up to `max` messages that are due and not leased (or whose lease ran out) to
/// `owner` until `until`. Run it in a write transaction: on PostgreSQL the rows are locked
/// with `SKIP LOCKED`, so instances leasing at once take different rows without waiting;
/// on SQLite the one writer takes turns.
pub fn lease(
    conn: &mut DbConnection,
    owner: &str,
    until: NaiveDateTime,
    max: i64,
) -> Result<Vec<Queued>, StoreError> {
    let now = super::now();
    let due = due_at!(now).order(outbox::id).select(outbox::id).limit(max);
    let ids: Vec<i64> = match conn {
        DbConnection::Sqlite(c) => due.load(c)?,
        #[cfg(feature = "postgres")]
        DbConnection::Postgres(c) => due.for_update().skip_locked().load(c)?,
    };
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    diesel::update(outbox::table.filter(outbox::id.eq_any(&ids)))
        .set((outbox::lease_owner.eq(owner), outbox::lease_until.eq(until)))
        .execute(conn)?;
    Ok(outbox::table
        .filter(outbox::id.eq_any(&ids))
        .order(outbox::id)
        .select(Queued::as_select())
        .load(conn)?)
}

/// At a stop: the messages this sender leased and did not send go back to the queue at once,
/// for the next start or another instance, instead of after their lease.
pub fn release(conn: &mut DbConnection, owner: &str) -> Result<usize, StoreError> {
    Ok(diesel::update(
        outbox::table
            .filter(outbox::lease_owner.eq(owner))
            .filter(outbox::state.eq(WAITING)),
    )
    .set((
        outbox::lease_owner.eq(None::<String>),
        outbox::lease_until.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)?)
}

/// Delivered: kept as sent, without its parameters when they held a token.
pub fn mark_sent(conn: &mut DbConnection, m: &Queued, owner: &str) -> Result<(), StoreError> {
    let now = super::now();
    settle(conn, m, owner, SENT, now, None, Some(now))
}

/// Not delivered: tried again after a growing wait, or marked failed for good when the
/// server refused it permanently or it has been tried `max_attempts` times.
pub fn mark_failed(
    conn: &mut DbConnection,
    m: &Queued,
    owner: &str,
    error: &str,
    permanent: bool,
    max_attempts: i32,
    retry_base: Duration,
) -> Result<(), StoreError> {
    let attempts = m.attempts + 1;
    let state = if permanent || attempts >= max_attempts {
        FAILED
    } else {
        WAITING
    };
    let next = super::now() + mail::retry_after(attempts, retry_base);
    settle(conn, m, owner, state, next, Some(error), None)
}

/// Ends the lease of `owner` on `m` after one more attempt. Once the message leaves
/// `waiting`, the parameters of a message that held a token are erased.
fn settle(
    conn: &mut DbConnection,
    m: &Queued,
    owner: &str,
    state: &str,
    next_attempt_at: NaiveDateTime,
    error: Option<&str>,
    sent_at: Option<NaiveDateTime>,
) -> Result<(), StoreError> {
    let erase = state != WAITING && Kind::parse(&m.kind).is_some_and(Kind::carries_token);
    let params = if erase { None } else { m.params.clone() };
    diesel::update(
        outbox::table
            .find(m.id)
            .filter(outbox::lease_owner.eq(owner)),
    )
    .set((
        outbox::state.eq(state),
        outbox::attempts.eq(m.attempts + 1),
        outbox::next_attempt_at.eq(next_attempt_at),
        outbox::last_error.eq(error),
        outbox::params.eq(params),
        outbox::sent_at.eq(sent_at),
        outbox::lease_owner.eq(None::<String>),
        outbox::lease_until.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)?;
    Ok(())
}

/// What `recours mail outbox` shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub waiting: i64,
    /// Waiting after at least one failed attempt.
    pub retrying: i64,
    pub sent: i64,
    pub failed: i64,
    /// The most recent error of a message still waiting or failed.
    pub last_error: Option<String>,
    /// When the oldest message still waiting was queued.
    pub oldest_waiting: Option<NaiveDateTime>,
}

pub fn summary(conn: &mut DbConnection) -> Result<Summary, StoreError> {
    let count = |conn: &mut DbConnection, state: &str| -> Result<i64, StoreError> {
        Ok(outbox::table
            .filter(outbox::state.eq(state))
            .count()
            .get_result(conn)?)
    };
    let retrying = outbox::table
        .filter(outbox::state.eq(WAITING))
        .filter(outbox::attempts.gt(0))
        .count()
        .get_result(conn)?;
    let last_error = outbox::table
        .filter(outbox::state.ne(SENT))
        .filter(outbox::last_error.is_not_null())
        .order(outbox::next_attempt_at.desc())
        .select(outbox::last_error)
        .first::<Option<String>>(conn)
        .optional()?
        .flatten();
    let oldest_waiting = outbox::table
        .filter(outbox::state.eq(WAITING))
        .select(diesel::dsl::min(outbox::created_at))
        .first::<Option<NaiveDateTime>>(conn)?;
    Ok(Summary {
        oldest_waiting,
        waiting: count(conn, WAITING)?,
        retrying,
        sent: count(conn, SENT)?,
        failed: count(conn, FAILED)?,
        last_error,
    })
}

/// Whether any message waits to be sent now (a read, so idle senders do not write).
pub fn any_due(conn: &mut DbConnection) -> Result<bool, StoreError> {
    let now = super::now();
    Ok(diesel::select(diesel::dsl::exists(due_at!(now))).get_result(conn)?)
}

/// A deleted account's messages go with it, sent or not: they hold its address and the
/// titles of its complaints.
pub fn forget_user(conn: &mut DbConnection, user_id: &str) -> Result<(), StoreError> {
    diesel::delete(outbox::table.filter(outbox::user_id.eq(user_id))).execute(conn)?;
    Ok(())
}
