//! The account page: change the password, delete the account.

use askama::Template;
use rocket::http::{CookieJar, Status};
use rocket::{State, get, post};

use super::auth::{AuthUser, end_session_cookie, session_id};
use super::csrf::PostForm;
use super::page::{FormState, Page, Reply, done, render, render_too_many};
use super::password_check::{PasswordCheck, PasswordChecker};
use crate::db::Db;
use crate::domain::FieldErrors;
use crate::domain::account::{check_new_password, email_key};
use crate::password::Hasher;
use crate::store::users::{self, User};
use crate::web::errors::AppError;

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

/// The current password, checked as a throttled attempt on the account (the same limits as
/// a log-in): someone holding an open session cannot guess it faster.
async fn check_current(
    checker: &PasswordChecker<'_>,
    user: &User,
    typed: &str,
) -> Result<PasswordCheck, AppError> {
    let id = user.id.clone();
    let hash = checker
        .db
        .run(move |conn| users::password_hash(conn, &id))
        .await?;
    checker
        .check(email_key(&user.email), typed.to_string(), Some(hash))
        .await
}

/// The account page again, with one of its forms refused.
fn refused(
    p: Page,
    field: &'static str,
    check: PasswordCheck,
    errors: FieldErrors,
) -> Result<Reply, AppError> {
    let mut errors = errors;
    let wait = match check {
        PasswordCheck::Locked(wait) => {
            errors.add(field, "error-password-locked");
            Some(wait)
        }
        PasswordCheck::Wrong => {
            errors.add(field, "error-password-wrong");
            None
        }
        PasswordCheck::Right => None,
    };
    let form = FormState::new(errors);
    let view = if field == "delete_password" {
        AccountView {
            p,
            password_form: FormState::default(),
            delete_form: form,
        }
    } else {
        AccountView {
            p,
            password_form: form,
            delete_form: FormState::default(),
        }
    };
    match wait {
        Some(wait) => render_too_many(&view, wait),
        None => render(&view, Status::UnprocessableEntity),
    }
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
    checker: PasswordChecker<'_>,
    hasher: &State<Hasher>,
    cookies: &CookieJar<'_>,
) -> Result<Reply, AppError> {
    let user = auth.0;
    let mut errors = FieldErrors::default();
    check_new_password(
        &mut errors,
        "new_password",
        "new_password_confirm",
        form.get("new_password"),
        form.get("new_password_confirm"),
        &user.email,
    );
    let check = check_current(&checker, &user, form.get("current_password")).await?;
    if !matches!(check, PasswordCheck::Right) || !errors.is_empty() {
        return refused(p, "current_password", check, errors);
    }
    let hash = hasher.hash(form.get("new_password").to_string()).await?;
    // Every other session ends: whoever else knew the old password is logged out.
    let keep = session_id(cookies);
    checker
        .db
        .write(move |conn| users::set_password(conn, &user.id, &hash, keep.as_deref()))
        .await?;
    Ok(done("/account", "flash-password-changed"))
}

#[post("/account/delete", data = "<form>")]
pub async fn delete(
    p: Page,
    auth: AuthUser,
    form: PostForm,
    checker: PasswordChecker<'_>,
    cookies: &CookieJar<'_>,
) -> Result<Reply, AppError> {
    let user = auth.0;
    let check = check_current(&checker, &user, form.get("delete_password")).await?;
    if !matches!(check, PasswordCheck::Right) {
        return refused(p, "delete_password", check, FieldErrors::default());
    }
    checker
        .db
        .write(move |conn| users::delete(conn, &user.id))
        .await?;
    end_session_cookie(cookies);
    Ok(done("/", "flash-account-deleted"))
}
