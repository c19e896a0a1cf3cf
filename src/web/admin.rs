//! Administration: the accounts, their roles and second factors.

use std::collections::HashSet;

use askama::Template;
use rocket::http::Status;
use rocket::{State, get, post};

use super::auth::AdminUser;
use super::csrf::PostForm;
use super::page::{Page, Reply, done, render};
use crate::db::{Db, DbConnection};
use crate::domain::account::Role;
use crate::store::StoreError;
use crate::store::second_factor::{self, AuditEntry};
use crate::store::users::{self, User};
use crate::web::errors::AppError;

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersView {
    p: Page,
    users: Vec<User>,
    /// The ids of the accounts with a second factor.
    enrolled: HashSet<String>,
    audit: Vec<AuditEntry>,
    roles: [Role; 3],
    /// Set when a change was refused.
    problem: Option<&'static str>,
}

async fn users_page(
    p: Page,
    db: &Db,
    problem: Option<&'static str>,
    status: Status,
) -> Result<Reply, AppError> {
    let (users, enrolled, audit) = db
        .run(|conn| {
            Ok::<_, AppError>((
                users::list(conn)?,
                second_factor::enrolled_users(conn)?,
                second_factor::audit_log(conn, AUDIT_SHOWN)?,
            ))
        })
        .await?;
    render(
        &UsersView {
            p,
            users,
            enrolled,
            audit,
            roles: Role::ALL,
            problem,
        },
        status,
    )
}

/// The audit log's length on the users page.
const AUDIT_SHOWN: i64 = 50;

#[get("/admin/users")]
pub async fn list(p: Page, _admin: AdminUser, db: &State<Db>) -> Result<Reply, AppError> {
    users_page(p, db, None, Status::Ok).await
}

#[post("/admin/users/role", data = "<form>")]
pub async fn set_role(
    p: Page,
    admin: AdminUser,
    form: PostForm,
    db: &State<Db>,
) -> Result<Reply, AppError> {
    let admin = admin.0;
    // Staff roles come with a provider: only invitations give them.
    let Some(role) = Role::parse(form.get("role")).filter(|r| Role::ALL.contains(r)) else {
        return users_page(p, db, Some("error-choice"), Status::UnprocessableEntity).await;
    };
    // An admin who demoted themselves could leave the portal without any admin.
    let change = Change {
        own: "error-own-role",
        done: "flash-role-changed",
    };
    change_another(
        p,
        db,
        &admin,
        form.get("email"),
        change,
        move |conn, email| users::set_role(conn, email, role),
    )
    .await
}

/// What an admin's change to an account says when refused as their own, and when done.
struct Change {
    own: &'static str,
    done: &'static str,
}

/// Applies `write` to another account than the admin's own (by its address): the admin's
/// own answers 409 with the change's reason, an unknown address 404.
async fn change_another(
    p: Page,
    db: &State<Db>,
    admin: &User,
    email: &str,
    change: Change,
    write: impl FnOnce(&mut DbConnection, &str) -> Result<bool, StoreError> + Send + 'static,
) -> Result<Reply, AppError> {
    if crate::domain::account::email_key(email) == crate::domain::account::email_key(&admin.email) {
        return users_page(p, db, Some(change.own), Status::Conflict).await;
    }
    let email = email.to_string();
    if !db.write(move |conn| write(conn, &email)).await? {
        return Err(AppError::NotFound);
    }
    Ok(done("/admin/users", change.done))
}

/// Resets another account's second factor (a lost phone): its next log-in enrols again.
#[post("/admin/users/second-factor/reset", data = "<form>")]
pub async fn reset_second_factor(
    p: Page,
    admin: AdminUser,
    form: PostForm,
    db: &State<Db>,
) -> Result<Reply, AppError> {
    let admin = admin.0;
    // An admin without a factor could not come back in to undo it.
    let change = Change {
        own: "error-own-second-factor",
        done: "flash-second-factor-reset",
    };
    let by = admin.clone();
    change_another(
        p,
        db,
        &admin,
        form.get("email"),
        change,
        move |conn, email| second_factor::reset(conn, &by, email),
    )
    .await
}
