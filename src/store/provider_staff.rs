//! A provider's staff: invitations, colleagues, removals, and the audit log of what staff
//! do. Each function runs inside its caller's transaction.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::json;

use super::StoreError;
use super::notices;
use super::tokens::{self, Purpose};
use super::users::{self, CreateUserError, User};
use crate::db::DbConnection;
use crate::db::schema::{provider_audit, users as users_table};
use crate::domain::account::{Role, email_key};
use crate::domain::mail::Kind;

/// A password hash no password matches: an invited account cannot log in before its
/// holder sets a password through the invitation's link.
const NOT_SET_YET: &str = "!invited";

/// One line of a provider's audit log.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = provider_audit)]
pub struct AuditEntry {
    pub actor_email: String,
    pub action: String,
    pub complaint_id: Option<String>,
    pub detail: Option<String>,
    pub at: NaiveDateTime,
}

/// Notes a staff action in the provider's audit log. `actor` is the staff member or the
/// admin who acted.
pub fn audit(
    conn: &mut DbConnection,
    provider_id: &str,
    actor: &User,
    action: &str,
    complaint_id: Option<&str>,
    detail: Option<&str>,
) -> Result<(), StoreError> {
    diesel::insert_into(provider_audit::table)
        .values((
            provider_audit::provider_id.eq(provider_id),
            provider_audit::actor_id.eq(&actor.id),
            provider_audit::actor_email.eq(&actor.email),
            provider_audit::action.eq(action),
            provider_audit::complaint_id.eq(complaint_id),
            provider_audit::detail.eq(detail),
            provider_audit::at.eq(super::now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// The provider's audit log, newest first.
pub fn audit_log(
    conn: &mut DbConnection,
    provider_id: &str,
    limit: i64,
) -> Result<Vec<AuditEntry>, StoreError> {
    Ok(provider_audit::table
        .filter(provider_audit::provider_id.eq(provider_id))
        .order(provider_audit::id.desc())
        .limit(limit)
        .select(AuditEntry::as_select())
        .load(conn)?)
}

/// Opens a staff account for `email` at the provider and queues the invitation, whose link
/// sets the first password. An address that already has an account is refused (a
/// subscriber's own account never becomes a provider's), but for a colleague this provider
/// removed (see `rejoining`). `by` is who invited, for the audit log (None from the
/// command line).
pub fn invite(
    conn: &mut DbConnection,
    provider_id: &str,
    provider_name: &str,
    email: &str,
    lang: &str,
    by: Option<&User>,
) -> Result<User, CreateUserError> {
    let user = match rejoining(conn, provider_id, email)? {
        Some(id) => {
            // Back as staff, with a password to set anew and no session of the account
            // it was in between.
            diesel::update(users_table::table.find(&id))
                .set((
                    users_table::role.eq(Role::Provider.as_str()),
                    users_table::provider_id.eq(provider_id),
                    users_table::password_hash.eq(NOT_SET_YET),
                ))
                .execute(conn)
                .map_err(StoreError::from)?;
            super::sessions::delete_all_for_user_but(conn, &id, None)?;
            users::by_id(conn, &id)?.ok_or(StoreError::NotFound)?
        }
        None => users::create_staff(conn, email, NOT_SET_YET, provider_id)?,
    };
    diesel::update(users_table::table.find(&user.id))
        .set(users_table::lang.eq(lang))
        .execute(conn)
        .map_err(StoreError::from)?;
    let token = tokens::create(conn, Purpose::Invite, &user.id, None)?;
    notices::queue(
        conn,
        &user.id,
        Kind::ProviderInvite,
        json!({ "token": token, "provider": provider_name }),
    )?;
    if let Some(by) = by {
        audit(
            conn,
            provider_id,
            by,
            "invite",
            None,
            Some(&email_key(email)),
        )?;
    }
    Ok(user)
}

/// The account of `email` if it is a colleague this provider removed, as its audit log
/// says, who has been a plain subscriber since without filing a complaint of their own:
/// such an account may be invited again. Any other existing account stays refused.
fn rejoining(
    conn: &mut DbConnection,
    provider_id: &str,
    email: &str,
) -> Result<Option<String>, StoreError> {
    use crate::db::schema::complaints;
    let key = email_key(email);
    let Some((id, role, provider)) = users_table::table
        .filter(users_table::email_key.eq(&key))
        .select((users_table::id, users_table::role, users_table::provider_id))
        .first::<(String, String, Option<String>)>(conn)
        .optional()?
    else {
        return Ok(None);
    };
    if role != Role::Subscriber.as_str() || provider.is_some() {
        return Ok(None);
    }
    let removed_here: i64 = provider_audit::table
        .filter(provider_audit::provider_id.eq(provider_id))
        .filter(provider_audit::action.eq("remove"))
        .filter(provider_audit::detail.eq(&key))
        .count()
        .get_result(conn)?;
    let own_complaints: i64 = complaints::table
        .filter(complaints::user_id.eq(&id))
        .count()
        .get_result(conn)?;
    Ok((removed_here > 0 && own_complaints == 0).then_some(id))
}

/// The provider's staff, by address.
pub fn colleagues(conn: &mut DbConnection, provider_id: &str) -> Result<Vec<User>, StoreError> {
    let ids: Vec<String> = users_table::table
        .filter(users_table::provider_id.eq(provider_id))
        .filter(users_table::role.eq(Role::Provider.as_str()))
        .order(users_table::email_key)
        .select(users_table::id)
        .load(conn)?;
    ids.iter()
        .map(|id| users::by_id(conn, id)?.ok_or(StoreError::NotFound))
        .collect()
}

/// Removes a staff member from the provider: the account leaves it and becomes a plain
/// subscriber's, and every one of its sessions ends now. False when `user_id` is not staff
/// of this provider (another provider's staff cannot be removed from here).
pub fn remove(
    conn: &mut DbConnection,
    provider_id: &str,
    user_id: &str,
    by: &User,
) -> Result<bool, StoreError> {
    let n = diesel::update(
        users_table::table
            .find(user_id)
            .filter(users_table::provider_id.eq(provider_id)),
    )
    .set((
        users_table::provider_id.eq(None::<String>),
        users_table::role.eq(Role::Subscriber.as_str()),
    ))
    .execute(conn)?;
    if n == 0 {
        return Ok(false);
    }
    super::sessions::delete_all_for_user_but(conn, user_id, None)?;
    let email: String = users_table::table
        .find(user_id)
        .select(users_table::email_key)
        .first(conn)?;
    audit(conn, provider_id, by, "remove", None, Some(&email))?;
    Ok(true)
}
