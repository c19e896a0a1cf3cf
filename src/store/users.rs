use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::StoreError;
use crate::db::DbConnection;
use crate::db::schema::users;
use crate::domain::account::{Role, email_key};
use crate::domain::country::Country;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = users)]
struct UserRow {
    id: String,
    email: String,
    email_key: String,
    password_hash: String,
    role: String,
    created_at: NaiveDateTime,
    provider_id: Option<String>,
}

/// An account as the rest of the application sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: String,
    pub email: String,
    pub role: Role,
    pub created_at: NaiveDateTime,
    /// For provider staff: the provider they answer for.
    pub provider_id: Option<String>,
}

impl TryFrom<UserRow> for User {
    type Error = StoreError;
    fn try_from(row: UserRow) -> Result<User, StoreError> {
        let role = Role::parse(&row.role)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown role {:?}", row.role)))?;
        Ok(User {
            id: row.id,
            email: row.email,
            role,
            created_at: row.created_at,
            provider_id: row.provider_id,
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CreateUserError {
    #[error("an account already uses this e-mail address")]
    EmailTaken,
    #[error(transparent)]
    Other(#[from] StoreError),
}

impl From<diesel::result::Error> for CreateUserError {
    fn from(e: diesel::result::Error) -> Self {
        match e {
            diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            ) => CreateUserError::EmailTaken,
            other => CreateUserError::Other(other.into()),
        }
    }
}

pub fn create(
    conn: &mut DbConnection,
    email: &str,
    password_hash: &str,
    role: Role,
) -> Result<User, CreateUserError> {
    let row = UserRow {
        id: uuid::Uuid::new_v4().to_string(),
        email: email.trim().to_string(),
        email_key: email_key(email),
        password_hash: password_hash.to_string(),
        role: role.as_str().to_string(),
        created_at: super::now(),
        provider_id: None,
    };
    // The unique index decides; this read only turns the common case into a clear answer.
    let taken: i64 = users::table
        .filter(users::email_key.eq(&row.email_key))
        .count()
        .get_result(conn)?;
    if taken > 0 {
        return Err(CreateUserError::EmailTaken);
    }
    diesel::insert_into(users::table)
        .values(&row)
        .execute(conn)?;
    Ok(User::try_from(row)?)
}

/// Creates a provider's staff account, bound to `provider_id`.
pub fn create_staff(
    conn: &mut DbConnection,
    email: &str,
    password_hash: &str,
    provider_id: &str,
) -> Result<User, CreateUserError> {
    let user = create(conn, email, password_hash, Role::Provider)?;
    diesel::update(users::table.find(&user.id))
        .set(users::provider_id.eq(provider_id))
        .execute(conn)?;
    Ok(User {
        provider_id: Some(provider_id.to_string()),
        ..user
    })
}

/// Creates many accounts at once with one password hash (demo data); one transaction.
pub fn create_many(
    conn: &mut DbConnection,
    emails: &[String],
    password_hash: &str,
    role: Role,
) -> Result<Vec<String>, StoreError> {
    let now = super::now();
    let rows: Vec<UserRow> = emails
        .iter()
        .map(|email| UserRow {
            id: uuid::Uuid::new_v4().to_string(),
            email: email.clone(),
            email_key: email_key(email),
            password_hash: password_hash.to_string(),
            role: role.as_str().to_string(),
            created_at: now,
            provider_id: None,
        })
        .collect();
    for chunk in rows.chunks(1_000) {
        crate::on_backend!(conn, c => diesel::insert_into(users::table).values(chunk).execute(c))?;
    }
    Ok(rows.into_iter().map(|r| r.id).collect())
}

/// The account for an address (any case) and its password hash.
pub fn find_with_hash(
    conn: &mut DbConnection,
    email: &str,
) -> Result<Option<(User, String)>, StoreError> {
    let row = users::table
        .filter(users::email_key.eq(email_key(email)))
        .select(UserRow::as_select())
        .first(conn)
        .optional()?;
    row.map(|row| {
        let hash = row.password_hash.clone();
        User::try_from(row).map(|u| (u, hash))
    })
    .transpose()
}

pub fn by_id(conn: &mut DbConnection, user_id: &str) -> Result<Option<User>, StoreError> {
    users::table
        .find(user_id)
        .select(UserRow::as_select())
        .first(conn)
        .optional()?
        .map(User::try_from)
        .transpose()
}

pub fn password_hash(conn: &mut DbConnection, user_id: &str) -> Result<String, StoreError> {
    users::table
        .find(user_id)
        .select(users::password_hash)
        .first(conn)
        .optional()?
        .ok_or(StoreError::NotFound)
}

/// The account's country of residence.
pub fn country(conn: &mut DbConnection, user_id: &str) -> Result<Country, StoreError> {
    let code: String = users::table
        .find(user_id)
        .select(users::country)
        .first(conn)
        .optional()?
        .ok_or(StoreError::NotFound)?;
    Country::parse(&code).ok_or_else(|| StoreError::Corrupt(format!("unknown country {code:?}")))
}

/// The country whose ladder a complaint follows: its owner's; the generic one for a
/// complaint whose account was deleted.
pub fn country_of_owner(
    conn: &mut DbConnection,
    owner_id: Option<&str>,
) -> Result<Country, StoreError> {
    owner_id.map_or(Ok(Country::Other), |id| country(conn, id))
}

pub fn set_country(
    conn: &mut DbConnection,
    user_id: &str,
    country: Country,
) -> Result<(), StoreError> {
    diesel::update(users::table.find(user_id))
        .set(users::country.eq(country.as_str()))
        .execute(conn)?;
    Ok(())
}

/// Whether any account is an administrator (a fresh installation has none).
pub fn any_admin(conn: &mut DbConnection) -> Result<bool, StoreError> {
    Ok(diesel::select(diesel::dsl::exists(
        users::table.filter(users::role.eq(Role::Admin.as_str())),
    ))
    .get_result(conn)?)
}

pub fn list(conn: &mut DbConnection) -> Result<Vec<User>, StoreError> {
    users::table
        .order(users::email_key)
        .select(UserRow::as_select())
        .load(conn)?
        .into_iter()
        .map(User::try_from)
        .collect()
}

/// Gives the account with this address the role; false when there is no such account.
pub fn set_role(conn: &mut DbConnection, email: &str, role: Role) -> Result<bool, StoreError> {
    let key = email_key(email);
    // Provider staff keep their binding: an admin cannot turn them into another role here.
    let n = diesel::update(
        users::table
            .filter(users::email_key.eq(&key))
            .filter(users::provider_id.is_null()),
    )
    .set(users::role.eq(role.as_str()))
    .execute(conn)?;
    Ok(n > 0)
}

/// Replaces the password and ends every session of the account but `keep_session`.
pub fn set_password(
    conn: &mut DbConnection,
    user_id: &str,
    password_hash: &str,
    keep_session: Option<&str>,
) -> Result<(), StoreError> {
    diesel::update(users::table.find(user_id))
        .set(users::password_hash.eq(password_hash))
        .execute(conn)?;
    super::sessions::delete_all_for_user_but(conn, user_id, keep_session)?;
    Ok(())
}

/// Deletes the account and its sessions; its complaints stay, anonymised, for the statistics.
pub fn delete(conn: &mut DbConnection, user_id: &str) -> Result<(), StoreError> {
    super::sessions::delete_all_for_user_but(conn, user_id, None)?;
    super::complaints::unlink_user(conn, user_id)?;
    super::outbox::forget_user(conn, user_id)?;
    diesel::delete(users::table.find(user_id)).execute(conn)?;
    Ok(())
}
