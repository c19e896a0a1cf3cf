//! Administration: the accounts and their roles.

use askama::Template;
use rocket::http::Status;
use rocket::{State, get, post};

use super::auth::AdminUser;
use super::csrf::PostForm;
use super::page::{Page, Reply, done, render};
use crate::db::Db;
use crate::domain::account::Role;
use crate::store::users::{self, User};
use crate::web::errors::AppError;

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersView {
    p: Page,
    users: Vec<User>,
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
    let users = db.run(users::list).await?;
    render(
        &UsersView {
            p,
            users,
            roles: Role::ALL,
            problem,
        },
        status,
    )
}

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
    let email = form.get("email").to_string();
    // An admin who demoted themselves could leave the portal without any admin.
    if crate::domain::account::email_key(&email) == crate::domain::account::email_key(&admin.email)
    {
        return users_page(p, db, Some("error-own-role"), Status::Conflict).await;
    }
    if !db
        .write(move |conn| users::set_role(conn, &email, role))
        .await?
    {
        return Err(AppError::NotFound);
    }
    Ok(done("/admin/users", "flash-role-changed"))
}
