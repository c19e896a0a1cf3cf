//! The account page: the country of residence, change the password, delete the account.

use askama::Template;
use rocket::http::{CookieJar, Status};
use rocket::{State, get, post};

use super::auth::{AuthUser, country_choices, end_session_cookie, session_id};
use super::csrf::PostForm;
use super::page::{Choice, FormState, Page, Reply, done, render, render_too_many};
use super::password_check::{PasswordCheck, PasswordChecker};
use crate::db::Db;
use crate::domain::FieldErrors;
use crate::domain::account::{check_new_password, email_key};
use crate::domain::country;
use crate::password::Hasher;
use crate::store::second_factor::{self, Enrolment};
use crate::store::users::{self, User};
use crate::web::errors::AppError;

#[derive(Template)]
#[template(path = "account/show.html")]
struct AccountView {
    p: Page,
    password_form: FormState,
    delete_form: FormState,
    country_form: FormState,
    countries: Vec<Choice>,
    /// With a second factor: how many recovery codes are left.
    recovery_left: Option<usize>,
}

impl AccountView {
    /// The page with its forms empty and the account's country chosen.
    async fn new(p: Page, db: &Db, user_id: &str) -> Result<AccountView, AppError> {
        let id = user_id.to_string();
        let (country, recovery_left) = db
            .run(move |conn| {
                let country = users::country(conn, &id)?;
                let left = match second_factor::enrolment(conn, &id)? {
                    Enrolment::Enrolled { .. } => {
                        Some(second_factor::unused_recovery_codes(conn, &id)?.len())
                    }
                    _ => None,
                };
                Ok::<_, AppError>((country, left))
            })
            .await?;
        let mut country_form = FormState::default();
        country_form.set("country", country.as_str());
        let countries = country_choices(&p);
        Ok(AccountView {
            p,
            password_form: FormState::default(),
            delete_form: FormState::default(),
            country_form,
            countries,
            recovery_left,
        })
    }
}

#[get("/account")]
pub async fn show(p: Page, user: AuthUser, db: &State<Db>) -> Result<Reply, AppError> {
    render(&AccountView::new(p, db, &user.0.id).await?, Status::Ok)
}

/// The country of residence, which chooses the escalation ladder of the claims.
#[post("/account/country", data = "<form>")]
pub async fn change_country(
    p: Page,
    auth: AuthUser,
    form: PostForm,
    db: &State<Db>,
) -> Result<Reply, AppError> {
    let mut errors = FieldErrors::default();
    // Here the field is the form's only purpose: absent is as wrong as unknown.
    let country = country::read(&mut errors, "country", Some(form.get("country")));
    if !errors.is_empty() {
        let mut view = AccountView::new(p, db, &auth.0.id).await?;
        view.country_form = FormState::new(errors).keep(&form, &["country"]);
        return render(&view, Status::UnprocessableEntity);
    }
    db.write(move |conn| users::set_country(conn, &auth.0.id, country))
        .await?;
    Ok(done("/account", "flash-country-saved"))
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
async fn refused(
    p: Page,
    db: &Db,
    user_id: &str,
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
    let mut view = AccountView::new(p, db, user_id).await?;
    if field == "delete_password" {
        view.delete_form = form;
    } else {
        view.password_form = form;
    }
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
    let (complaints, country) = db
        .run(move |conn| -> Result<_, AppError> {
            let country = users::country(conn, &id)?;
            Ok((crate::store::complaints::export(conn, &id)?, country))
        })
        .await?;
    let document = serde_json::json!({
        "exported_at": chrono::Utc::now().to_rfc3339(),
        "account": {
            "email": user.email,
            "role": user.role.as_str(),
            "country": country.as_str(),
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
        return refused(p, checker.db, &user.id, "current_password", check, errors).await;
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
        let no_errors = FieldErrors::default();
        return refused(p, checker.db, &user.id, "delete_password", check, no_errors).await;
    }
    checker
        .db
        .write(move |conn| users::delete(conn, &user.id))
        .await?;
    end_session_cookie(cookies);
    Ok(done("/", "flash-account-deleted"))
}
