//! The account page: change the password, delete the account.

use askama::Template;
use rocket::http::{CookieJar, Status};
use rocket::{State, get, post};

use super::auth::{AuthUser, end_session_cookie, session_id};
use super::csrf::PostForm;
use super::page::{FormState, Page, Reply, done, render};
use crate::db::Db;
use crate::domain::FieldErrors;
use crate::domain::account::check_new_password;
use crate::error::AppError;
use crate::password::Hasher;
use crate::store::users;

#[derive(Template)]
#[template(path = "account/show.html")]
struct AccountView {
    p: Page,
    password_form: FormState,
    delete_form: FormState,
}

#[get("/account")]
pub fn show(p: Page, _user: AuthUser) -> Result<Reply, AppError> {
    render(
        &AccountView {
            p,
            password_form: FormState::default(),
            delete_form: FormState::default(),
        },
        Status::Ok,
    )
}

/// Checks the current password typed in `field` of `form`.
async fn current_password_ok(
    db: &Db,
    hasher: &Hasher,
    user_id: &str,
    form: &PostForm,
    field: &str,
) -> Result<bool, AppError> {
    let id = user_id.to_string();
    let hash = db.run(move |conn| users::password_hash(conn, &id)).await?;
    hasher.verify(form.get(field).to_string(), Some(hash)).await
}

#[derive(rocket::Responder)]
pub struct Export {
    body: String,
    content_type: rocket::http::ContentType,
    disposition: rocket::http::Header<'static>,
    cache: rocket::http::Header<'static>,
}

/// Everything the portal holds about the user, as one JSON file.
#[get("/account/export")]
pub async fn export(auth: AuthUser, db: &State<Db>) -> Result<Export, AppError> {
    let user = auth.0;
    let id = user.id.clone();
    let complaints = db
        .run(move |conn| crate::store::complaints::export(conn, &id))
        .await?;
    let document = serde_json::json!({
        "exported_at": chrono::Utc::now().to_rfc3339(),
        "account": {
            "email": user.email,
            "role": user.role.as_str(),
            "created_at": user.created_at.and_utc().to_rfc3339(),
        },
        "complaints": complaints.iter().map(|(c, events, attachments)| super::export::complaint_json(c, events, attachments)).collect::<Vec<_>>(),
    });
    let body =
        serde_json::to_string_pretty(&document).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(Export {
        body,
        content_type: rocket::http::ContentType::JSON,
        disposition: rocket::http::Header::new(
            "Content-Disposition",
            "attachment; filename=\"recours-export.json\"",
        ),
        cache: rocket::http::Header::new("Cache-Control", "private, no-store"),
    })
}

#[post("/account/password", data = "<form>")]
pub async fn change_password(
    p: Page,
    auth: AuthUser,
    form: PostForm,
    db: &State<Db>,
    hasher: &State<Hasher>,
    cookies: &CookieJar<'_>,
) -> Result<Reply, AppError> {
    let user = auth.0;
    let mut errors = FieldErrors::default();
    if !current_password_ok(db, hasher, &user.id, &form, "current_password").await? {
        errors.add("current_password", "error-password-wrong");
    }
    check_new_password(
        &mut errors,
        "new_password",
        "new_password_confirm",
        form.get("new_password"),
        form.get("new_password_confirm"),
    );
    if !errors.is_empty() {
        let view = AccountView {
            p,
            password_form: FormState::new(errors),
            delete_form: FormState::default(),
        };
        return render(&view, Status::UnprocessableEntity);
    }
    let hash = hasher.hash(form.get("new_password").to_string()).await?;
    // Every other session ends: whoever else knew the old password is logged out.
    let keep = session_id(cookies);
    db.write(move |conn| users::set_password(conn, &user.id, &hash, keep.as_deref()))
        .await?;
    Ok(done("/account", "flash-password-changed"))
}

#[post("/account/delete", data = "<form>")]
pub async fn delete(
    p: Page,
    auth: AuthUser,
    form: PostForm,
    db: &State<Db>,
    hasher: &State<Hasher>,
    cookies: &CookieJar<'_>,
) -> Result<Reply, AppError> {
    let user = auth.0;
    if !current_password_ok(db, hasher, &user.id, &form, "delete_password").await? {
        let mut errors = FieldErrors::default();
        errors.add("delete_password", "error-password-wrong");
        let view = AccountView {
            p,
            password_form: FormState::default(),
            delete_form: FormState::new(errors),
        };
        return render(&view, Status::UnprocessableEntity);
    }
    db.write(move |conn| users::delete(conn, &user.id)).await?;
    end_session_cookie(cookies);
    Ok(done("/", "flash-account-deleted"))
}
