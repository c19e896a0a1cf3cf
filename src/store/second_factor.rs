//! Second factors: each account's TOTP secret, its recovery codes (hashed), and the audit log
//! of resets by admins. Each function runs inside its caller's transaction.

use std::collections::HashSet;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::StoreError;
use super::users::User;
use crate::db::DbConnection;
use crate::db::schema::{account_audit, recovery_codes, second_factors, users};
use crate::domain::account::email_key;
use crate::domain::second_factor::{self, Refusal};

/// Where an account stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Enrolment {
    None,
    /// A secret shown, not yet confirmed with a code.
    Started {
        secret: String,
    },
    Enrolled {
        secret: String,
        last_step: Option<i64>,
    },
}

pub fn enrolment(conn: &mut DbConnection, user_id: &str) -> Result<Enrolment, StoreError> {
    let row: Option<(String, Option<NaiveDateTime>, Option<i64>)> = second_factors::table
        .find(user_id)
        .select((
            second_factors::secret,
            second_factors::enrolled_at,
            second_factors::last_step,
        ))
        .first(conn)
        .optional()?;
    Ok(match row {
        None => Enrolment::None,
        Some((secret, None, _)) => Enrolment::Started { secret },
        Some((secret, Some(_), last_step)) => Enrolment::Enrolled { secret, last_step },
    })
}

/// The secret of an enrolment under way: the one already shown if any (a reload shows the
/// same), else `fresh`. `None` once enrolled: a secret is never shown again.
pub fn start(
    conn: &mut DbConnection,
    user_id: &str,
    fresh: &str,
) -> Result<Option<String>, StoreError> {
    match enrolment(conn, user_id)? {
        Enrolment::Enrolled { .. } => Ok(None),
        Enrolment::Started { secret } => Ok(Some(secret)),
        Enrolment::None => {
            diesel::insert_into(second_factors::table)
                .values((
                    second_factors::user_id.eq(user_id),
                    second_factors::secret.eq(fresh),
                ))
                .execute(conn)?;
            Ok(Some(fresh.to_string()))
        }
    }
}

/// Confirms the enrolment under way with the step its code matched, and stores the recovery
/// codes' hashes. False when there was none under way (enrolled meanwhile, or reset).
pub fn confirm(
    conn: &mut DbConnection,
    user_id: &str,
    step: i64,
    recovery_hashes: &[String],
) -> Result<bool, StoreError> {
    let n = diesel::update(
        second_factors::table
            .find(user_id)
            .filter(second_factors::enrolled_at.is_null()),
    )
    .set((
        second_factors::enrolled_at.eq(super::now()),
        second_factors::last_step.eq(step),
    ))
    .execute(conn)?;
    if n == 0 {
        return Ok(false);
    }
    replace_recovery_codes(conn, user_id, recovery_hashes)?;
    Ok(true)
}

/// Records `step` as used, unless it or a later one already was (a replay, or two tabs
/// racing with the same code): only one of them wins.
fn use_step(conn: &mut DbConnection, user_id: &str, step: i64) -> Result<bool, StoreError> {
    let n = diesel::update(
        second_factors::table
            .find(user_id)
            .filter(second_factors::enrolled_at.is_not_null())
            .filter(
                second_factors::last_step
                    .is_null()
                    .or(second_factors::last_step.lt(step)),
            ),
    )
    .set(second_factors::last_step.eq(step))
    .execute(conn)?;
    Ok(n > 0)
}

/// The second step of the session `old` with an authenticator code: a new session that
/// grants the account's role, or why the code was refused.
pub fn pass_with_code(
    conn: &mut DbConnection,
    user_id: &str,
    old: &str,
    code: &str,
    unix_secs: u64,
) -> Result<Result<String, Refusal>, StoreError> {
    let Enrolment::Enrolled { secret, last_step } = enrolment(conn, user_id)? else {
        return Ok(Err(Refusal::Wrong));
    };
    match second_factor::check(&secret, code, unix_secs, last_step) {
        Ok(step) if use_step(conn, user_id, step)? => {
            Ok(Ok(super::sessions::pass_second_factor(conn, old, user_id)?))
        }
        Ok(_) => Ok(Err(Refusal::Replayed)),
        Err(refusal) => Ok(Err(refusal)),
    }
}

/// The second step of the session `old` with the recovery code `id`, which the caller
/// found to match: spent, or refused if it was spent meanwhile.
pub fn pass_with_recovery_code(
    conn: &mut DbConnection,
    user_id: &str,
    old: &str,
    id: i64,
) -> Result<Result<String, Refusal>, StoreError> {
    if !use_recovery_code(conn, id)? {
        return Ok(Err(Refusal::Replayed));
    }
    Ok(Ok(super::sessions::pass_second_factor(conn, old, user_id)?))
}

/// The account's unused recovery codes: (id, hash).
pub fn unused_recovery_codes(
    conn: &mut DbConnection,
    user_id: &str,
) -> Result<Vec<(i64, String)>, StoreError> {
    Ok(recovery_codes::table
        .filter(recovery_codes::user_id.eq(user_id))
        .filter(recovery_codes::used_at.is_null())
        .order(recovery_codes::id)
        .select((recovery_codes::id, recovery_codes::hash))
        .load(conn)?)
}

/// Spends a recovery code; false when it was spent meanwhile.
fn use_recovery_code(conn: &mut DbConnection, id: i64) -> Result<bool, StoreError> {
    let n = diesel::update(
        recovery_codes::table
            .find(id)
            .filter(recovery_codes::used_at.is_null()),
    )
    .set(recovery_codes::used_at.eq(super::now()))
    .execute(conn)?;
    Ok(n > 0)
}

/// Replaces every recovery code of the account: the old ones stop working.
pub fn replace_recovery_codes(
    conn: &mut DbConnection,
    user_id: &str,
    hashes: &[String],
) -> Result<(), StoreError> {
    diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(user_id)))
        .execute(conn)?;
    // Ten rows: one statement each keeps clear of the multi-backend batch insert.
    for hash in hashes {
        diesel::insert_into(recovery_codes::table)
            .values((
                recovery_codes::user_id.eq(user_id),
                recovery_codes::hash.eq(hash),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The ids of the accounts with a confirmed second factor.
pub fn enrolled_users(conn: &mut DbConnection) -> Result<HashSet<String>, StoreError> {
    Ok(second_factors::table
        .filter(second_factors::enrolled_at.is_not_null())
        .select(second_factors::user_id)
        .load::<String>(conn)?
        .into_iter()
        .collect())
}

/// An admin's reset of another account's second factor: its secret and recovery codes go,
/// its sessions end, and its next log-in enrols again. Noted in the audit log. False when
/// no account has this address.
pub fn reset(conn: &mut DbConnection, admin: &User, email: &str) -> Result<bool, StoreError> {
    let target: Option<(String, String)> = users::table
        .filter(users::email_key.eq(email_key(email)))
        .select((users::id, users::email))
        .first(conn)
        .optional()?;
    let Some((user_id, target_email)) = target else {
        return Ok(false);
    };
    diesel::delete(second_factors::table.find(&user_id)).execute(conn)?;
    diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(&user_id)))
        .execute(conn)?;
    super::sessions::delete_all_for_user_but(conn, &user_id, None)?;
    diesel::insert_into(account_audit::table)
        .values((
            account_audit::actor_email.eq(&admin.email),
            account_audit::target_email.eq(&target_email),
            account_audit::action.eq("second-factor-reset"),
            account_audit::at.eq(super::now()),
        ))
        .execute(conn)?;
    Ok(true)
}

/// One line of the accounts' audit log.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = account_audit)]
pub struct AuditEntry {
    pub actor_email: String,
    pub target_email: String,
    pub action: String,
    pub at: NaiveDateTime,
}

/// The accounts' audit log, newest first.
pub fn audit_log(conn: &mut DbConnection, limit: i64) -> Result<Vec<AuditEntry>, StoreError> {
    Ok(account_audit::table
        .order(account_audit::id.desc())
        .limit(limit)
        .select(AuditEntry::as_select())
        .load(conn)?)
}
