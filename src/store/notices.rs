//! What each cause writes to the outbox, and the account's mail settings (language,
//! verified address, reminders, unsubscribe token). Every function here runs inside the
//! transaction of its cause.

use chrono::NaiveDate;
use diesel::prelude::*;
use serde_json::json;

use super::outbox::{self, NewMessage};
use super::tokens::{self, Purpose};
use crate::db::DbConnection;
use crate::db::schema::{claims, complaints, users};
use crate::domain::claim::{Profile, State};
use crate::domain::country::Country;
use crate::domain::mail::{self, Kind};
use crate::store::StoreError;

/// Where and how to write to an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub user_id: String,
    pub email: String,
    pub lang: String,
    pub verified: bool,
    pub reminders: bool,
}

pub fn recipient(conn: &mut DbConnection, user_id: &str) -> Result<Option<Recipient>, StoreError> {
    Ok(users::table
        .find(user_id)
        .select((
            users::email,
            users::lang,
            users::email_verified_at.is_not_null(),
            users::reminders,
        ))
        .first::<(String, String, bool, bool)>(conn)
        .optional()?
        .map(|(email, lang, verified, reminders)| Recipient {
            user_id: user_id.to_string(),
            email,
            lang,
            verified,
            reminders,
        }))
}

fn message(to: &Recipient, kind: Kind, params: serde_json::Value) -> NewMessage {
    NewMessage {
        kind,
        recipient: to.email.clone(),
        lang: to.lang.clone(),
        user_id: Some(to.user_id.clone()),
        params,
        dedup_key: None,
    }
}

pub(crate) fn queue(
    conn: &mut DbConnection,
    user_id: &str,
    kind: Kind,
    params: serde_json::Value,
) -> Result<(), StoreError> {
    if let Some(to) = recipient(conn, user_id)? {
        outbox::enqueue(conn, &message(&to, kind, params))?;
    }
    Ok(())
}

/// Queues `kind` for the account unless a message with `dedup_key` was ever queued;
/// true when queued.
pub(crate) fn queue_once(
    conn: &mut DbConnection,
    user_id: &str,
    kind: Kind,
    params: serde_json::Value,
    dedup_key: String,
) -> Result<bool, StoreError> {
    let Some(to) = recipient(conn, user_id)? else {
        return Ok(false);
    };
    let mut m = message(&to, kind, params);
    m.dedup_key = Some(dedup_key);
    outbox::enqueue(conn, &m)
}

/// A new account: its language, then the welcome message with a verification link.
pub fn registered(conn: &mut DbConnection, user_id: &str, lang: &str) -> Result<(), StoreError> {
    diesel::update(users::table.find(user_id))
        .set(users::lang.eq(lang))
        .execute(conn)?;
    let token = tokens::create(conn, Purpose::Verify, user_id, None)?;
    queue(conn, user_id, Kind::Welcome, json!({ "token": token }))
}

/// Someone registered with an address that has an account: its owner is told, and nobody
/// else learns anything.
pub fn register_attempt(conn: &mut DbConnection, email_key: &str) -> Result<(), StoreError> {
    let id: Option<String> = users::table
        .filter(users::email_key.eq(email_key))
        .select(users::id)
        .first(conn)
        .optional()?;
    match id {
        Some(id) => queue(conn, &id, Kind::RegisterAttempt, json!({})),
        None => Ok(()),
    }
}

/// A password reset asked for an address: a link if an account has it, nothing otherwise.
pub fn reset_requested(conn: &mut DbConnection, email_key: &str) -> Result<(), StoreError> {
    let id: Option<String> = users::table
        .filter(users::email_key.eq(email_key))
        .select(users::id)
        .first(conn)
        .optional()?;
    if let Some(id) = id {
        let token = tokens::create(conn, Purpose::Reset, &id, None)?;
        queue(conn, &id, Kind::PasswordReset, json!({ "token": token }))?;
    }
    Ok(())
}

/// The address is proved to belong to the account's holder.
pub fn mark_verified(conn: &mut DbConnection, user_id: &str) -> Result<(), StoreError> {
    diesel::update(
        users::table
            .find(user_id)
            .filter(users::email_verified_at.is_null()),
    )
    .set(users::email_verified_at.eq(super::now()))
    .execute(conn)?;
    Ok(())
}

pub fn complaint_filed(
    conn: &mut DbConnection,
    user_id: &str,
    complaint_id: &str,
    title: &str,
    has_claim: bool,
) -> Result<(), StoreError> {
    let params = json!({ "complaint_id": complaint_id, "title": title, "has_claim": has_claim });
    queue(conn, user_id, Kind::ComplaintFiled, params)
}

/// A claim moved: its owner is told (whoever moved it).
pub fn claim_moved(
    conn: &mut DbConnection,
    owner_id: Option<&str>,
    complaint_id: &str,
    title: &str,
    state: State,
) -> Result<(), StoreError> {
    let Some(owner) = owner_id else {
        return Ok(());
    };
    let params = json!({ "complaint_id": complaint_id, "title": title, "state": state.as_str() });
    queue(conn, owner, Kind::ClaimMoved, params)
}

/// The account's unsubscribe token, if it has one yet (a read).
pub fn stored_unsubscribe_token(
    conn: &mut DbConnection,
    user_id: &str,
) -> Result<Option<String>, StoreError> {
    Ok(users::table
        .find(user_id)
        .select(users::unsubscribe_token)
        .first::<Option<String>>(conn)
        .optional()?
        .flatten())
}

/// The account's unsubscribe token, created by the sender the first time a message needs
/// it. Not in the cause's transaction: on PostgreSQL, a filing holds a key-share lock on the
/// account's row (the complaint's foreign key), and two filings of one account both updating
/// that row would deadlock.
pub fn unsubscribe_token(conn: &mut DbConnection, user_id: &str) -> Result<String, StoreError> {
    if let Some(token) = stored_unsubscribe_token(conn, user_id)? {
        return Ok(token);
    }
    let token = tokens::random();
    diesel::update(
        users::table
            .find(user_id)
            .filter(users::unsubscribe_token.is_null()),
    )
    .set(users::unsubscribe_token.eq(&token))
    .execute(conn)?;
    // Another sender may have set one first: the stored one is the one.
    Ok(users::table
        .find(user_id)
        .select(users::unsubscribe_token)
        .first::<Option<String>>(conn)?
        .unwrap_or(token))
}

/// Whose unsubscribe token this is.
pub fn by_unsubscribe_token(
    conn: &mut DbConnection,
    token: &str,
) -> Result<Option<String>, StoreError> {
    Ok(users::table
        .filter(users::unsubscribe_token.eq(token))
        .select(users::id)
        .first(conn)
        .optional()?)
}

pub fn set_reminders(conn: &mut DbConnection, user_id: &str, on: bool) -> Result<(), StoreError> {
    diesel::update(users::table.find(user_id))
        .set(users::reminders.eq(on))
        .execute(conn)?;
    Ok(())
}

/// The reminder pass as of `today`: queues every reminder due for an open claim whose owner
/// has a verified address and reminders on, and the reminders of the providers' staff
/// (`provider_cases::queue_staff_reminders`). Each carries the key of its claim and deadline,
/// so running the pass again, or on several instances at once, queues nothing new. Each
/// claim follows `profile`'s answer times and its owner's ladder. Returns how many were
/// queued.
pub fn queue_reminders(
    conn: &mut DbConnection,
    profile: &Profile,
    today: NaiveDate,
) -> Result<usize, StoreError> {
    let open = [State::Sent, State::Answered, State::Escalated].map(State::as_str);
    let rows: Vec<(super::complaints::ClaimRow, i64, String, String, String)> = claims::table
        .inner_join(complaints::table.inner_join(users::table))
        .filter(claims::state.eq_any(open))
        .filter(users::email_verified_at.is_not_null())
        .filter(users::reminders.eq(true))
        .filter(complaints::amount_claimed.is_not_null())
        .select((
            super::complaints::ClaimRow::as_select(),
            complaints::amount_claimed.assume_not_null(),
            complaints::title,
            users::id,
            users::country,
        ))
        .load(conn)?;
    let mut queued = 0;
    for (row, amount, title, user_id, country) in rows {
        let complaint_id = row.complaint_id.clone();
        let claim = super::complaints::claim_of(row, amount);
        let country = Country::parse(&country)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown country {country:?}")))?;
        for due in mail::reminders_due(&claim, &profile.for_country(country), today) {
            let Some(to) = recipient(conn, &user_id)? else {
                continue;
            };
            let kind = Kind::Reminder(due.reminder);
            let mut m = message(
                &to,
                kind,
                json!({ "complaint_id": complaint_id, "title": title, "deadline": due.deadline }),
            );
            m.dedup_key = Some(format!("{}:{complaint_id}:{}", kind.as_str(), due.deadline));
            if outbox::enqueue(conn, &m)? {
                queued += 1;
            }
        }
    }
    Ok(queued + super::provider_cases::queue_staff_reminders(conn, today)?)
}

/// A change of address asked for: the confirmation link goes to the new address. Nothing is
/// queued when another account has that address (the page answers the same).
pub fn email_change_requested(
    conn: &mut DbConnection,
    user_id: &str,
    new_email: &str,
) -> Result<(), StoreError> {
    let taken: i64 = users::table
        .filter(users::email_key.eq(crate::domain::account::email_key(new_email)))
        .count()
        .get_result(conn)?;
    let Some(me) = recipient(conn, user_id)? else {
        return Ok(());
    };
    if taken > 0 {
        return Ok(());
    }
    let token = tokens::create(conn, Purpose::EmailChange, user_id, Some(new_email))?;
    let to = Recipient {
        email: new_email.to_string(),
        ..me
    };
    outbox::enqueue(
        conn,
        &message(&to, Kind::EmailChangeConfirm, json!({ "token": token })),
    )?;
    Ok(())
}

/// The link from the new address: the account takes it (verified), and the old address is
/// told. False when the token is not valid, or another account took the address meanwhile.
pub fn email_change_confirmed(conn: &mut DbConnection, token: &str) -> Result<bool, StoreError> {
    let Some(grant) = tokens::consume(conn, Purpose::EmailChange, token)? else {
        return Ok(false);
    };
    let (Some(new_email), Some(old)) = (grant.new_email, recipient(conn, &grant.user_id)?) else {
        return Ok(false);
    };
    let key = crate::domain::account::email_key(&new_email);
    let taken: i64 = users::table
        .filter(users::email_key.eq(&key))
        .count()
        .get_result(conn)?;
    if taken > 0 {
        return Ok(false);
    }
    diesel::update(users::table.find(&grant.user_id))
        .set((
            users::email.eq(&new_email),
            users::email_key.eq(&key),
            users::email_verified_at.eq(Some(super::now())),
        ))
        .execute(conn)?;
    outbox::enqueue(
        conn,
        &message(&old, Kind::EmailChanged, json!({ "new_email": new_email })),
    )?;
    Ok(true)
}
