//! What the links in messages open: the password reset (asked for by address, done from
//! the link), the address verification, the one-click unsubscribe; and the account's mail
//! settings. A token in a link is traded at once for a short-lived private cookie and a
//! token-free address, so the form pages never carry it (nor the Referer they send).

use askama::Template;
use rocket::http::{Cookie, CookieJar, SameSite, Status};
use rocket::response::Redirect;
use rocket::{State, get, post};

use super::auth::AuthUser;
use super::client::ClientAddr;
use super::csrf::PostForm;
use super::page::{FormState, Page, Reply, done, render};
use crate::config::AppConfig;
use crate::db::Db;
use crate::domain::FieldErrors;
use crate::domain::account::{check_new_password, email_key};
use crate::password::Hasher;
use crate::store::StoreError;
use crate::store::login_failures::{self, Attempt};
use crate::store::tokens::{self, Purpose};
use crate::store::{notices, users};
use crate::web::errors::AppError;

const RESET_COOKIE: &str = "reset";
/// Reset requests per address typed, per hour.
const RESETS_PER_ACCOUNT: usize = 3;

#[derive(Template)]
#[template(path = "password/forgot.html")]
struct ForgotView {
    p: Page,
    f: FormState,
    /// The request was taken: the same page whether or not an account has the address.
    sent: bool,
}

#[get("/password/forgot")]
pub fn forgot_form(p: Page) -> Result<Reply, AppError> {
    let f = FormState::default();
    render(&ForgotView { p, f, sent: false }, Status::Ok)
}

/// Queues a reset link when an account has the address; answers the same either way.
/// Requests count per address typed and per client address, known or not, through the
/// log-in attempt counters under keys of their own; past the limit nothing is sent, and
/// the answer is still the same.
#[post("/password/forgot", data = "<form>")]
pub async fn forgot(
    p: Page,
    form: PostForm,
    db: &State<Db>,
    config: &State<AppConfig>,
    client: ClientAddr,
) -> Result<Reply, AppError> {
    let email = form.get("email").trim().to_string();
    if !crate::domain::account::email_is_valid(&email) {
        let mut errors = FieldErrors::default();
        errors.add("email", "error-email-invalid");
        let f = FormState::new(errors).keep(&form, &["email"]);
        return render(
            &ForgotView { p, f, sent: false },
            Status::UnprocessableEntity,
        );
    }
    let key = email_key(&email);
    let per_client = config.ip_lockout();
    db.write(move |conn| {
        let attempt = login_failures::reserve_for(
            conn,
            "reset",
            &key,
            &client.0,
            RESETS_PER_ACCOUNT,
            per_client,
        )?;
        if attempt == Attempt::Reserved {
            notices::reset_requested(conn, &key)?;
        }
        Ok::<_, StoreError>(())
    })
    .await?;
    let f = FormState::default();
    render(&ForgotView { p, f, sent: true }, Status::Ok)
}

#[derive(Template)]
#[template(path = "password/invalid.html")]
struct InvalidView {
    p: Page,
}

/// An unknown, used, expired or forged link: a clear page, nothing changed.
fn invalid(p: Page) -> Result<Reply, AppError> {
    render(&InvalidView { p }, Status::BadRequest)
}

#[get("/password/reset/<token>")]
pub async fn reset_link(
    p: Page,
    token: &str,
    db: &State<Db>,
    config: &State<AppConfig>,
    cookies: &CookieJar<'_>,
) -> Result<Reply, AppError> {
    let t = token.to_string();
    if db
        .run(move |conn| tokens::peek_any(conn, &tokens::SETS_PASSWORD, &t))
        .await?
        .is_none()
    {
        return invalid(p);
    }
    cookies.add_private(
        Cookie::build((RESET_COOKIE, token.to_string()))
            .path("/password/reset")
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(config.secure_cookies)
            .max_age(rocket::time::Duration::hours(1)),
    );
    Ok(Reply::Redirect(Redirect::to("/password/reset")))
}

#[derive(Template)]
#[template(path = "password/reset.html")]
struct ResetView {
    p: Page,
    f: FormState,
}

fn reset_token(cookies: &CookieJar<'_>) -> Option<String> {
    cookies
        .get_private(RESET_COOKIE)
        .map(|c| c.value().to_string())
}

/// The account the reset cookie's token is for, if it is still valid.
async fn reset_account(
    db: &Db,
    cookies: &CookieJar<'_>,
) -> Result<Option<(String, String)>, AppError> {
    let Some(token) = reset_token(cookies) else {
        return Ok(None);
    };
    db.run(move |conn| {
        let Some((_, grant)) = tokens::peek_any(conn, &tokens::SETS_PASSWORD, &token)? else {
            return Ok(None);
        };
        Ok(notices::recipient(conn, &grant.user_id)?.map(|r| (r.user_id, r.email)))
    })
    .await
}

#[get("/password/reset")]
pub async fn reset_form(
    p: Page,
    db: &State<Db>,
    cookies: &CookieJar<'_>,
) -> Result<Reply, AppError> {
    if reset_account(db, cookies).await?.is_none() {
        return invalid(p);
    }
    render(
        &ResetView {
            p,
            f: FormState::default(),
        },
        Status::Ok,
    )
}

#[post("/password/reset", data = "<form>")]
pub async fn reset(
    p: Page,
    form: PostForm,
    db: &State<Db>,
    hasher: &State<Hasher>,
    cookies: &CookieJar<'_>,
) -> Result<Reply, AppError> {
    let (Some((_, email)), Some(token)) = (reset_account(db, cookies).await?, reset_token(cookies))
    else {
        return invalid(p);
    };
    let mut errors = FieldErrors::default();
    let (password, confirm) = (form.get("password"), form.get("password_confirm"));
    check_new_password(
        &mut errors,
        "password",
        "password_confirm",
        password,
        confirm,
        &email,
    );
    if !errors.is_empty() {
        return render(
            &ResetView {
                p,
                f: FormState::new(errors),
            },
            Status::UnprocessableEntity,
        );
    }
    let hash = hasher.hash(password.to_string()).await?;
    // The token is used in the same transaction as the change: of two submissions, one
    // changes the password and the other finds the token gone.
    let done_reset = db
        .write(move |conn| {
            let Some((purpose, _)) = tokens::peek_any(conn, &tokens::SETS_PASSWORD, &token)? else {
                return Ok(false);
            };
            let Some(grant) = tokens::consume(conn, purpose, &token)? else {
                return Ok(false);
            };
            users::set_password(conn, &grant.user_id, &hash, None)?;
            // The link reached the address: it is the holder's.
            notices::mark_verified(conn, &grant.user_id)?;
            Ok::<_, StoreError>(true)
        })
        .await?;
    cookies.remove_private(Cookie::build(RESET_COOKIE).path("/password/reset"));
    if !done_reset {
        return invalid(p);
    }
    super::auth::end_session_cookie(cookies);
    Ok(done("/login", "flash-password-reset"))
}

/// The verification link: the address is the account holder's.
#[get("/verify/<token>")]
pub async fn verify(p: Page, token: &str, db: &State<Db>) -> Result<Reply, AppError> {
    let token = token.to_string();
    let verified = db
        .write(
            move |conn| match tokens::consume(conn, Purpose::Verify, &token)? {
                Some(grant) => notices::mark_verified(conn, &grant.user_id).map(|_| true),
                None => Ok(false),
            },
        )
        .await?;
    if !verified {
        return invalid(p);
    }
    Ok(done(
        if p.user.is_some() {
            "/account/email"
        } else {
            "/"
        },
        "flash-email-verified",
    ))
}

#[derive(Template)]
#[template(path = "password/unsubscribe.html")]
struct UnsubscribeView {
    p: Page,
    token: String,
    done: bool,
}

#[get("/unsubscribe/<token>")]
pub async fn unsubscribe_page(p: Page, token: &str, db: &State<Db>) -> Result<Reply, AppError> {
    let t = token.to_string();
    if db
        .run(move |c| notices::by_unsubscribe_token(c, &t))
        .await?
        .is_none()
    {
        return invalid(p);
    }
    let token = token.to_string();
    render(
        &UnsubscribeView {
            p,
            token,
            done: false,
        },
        Status::Ok,
    )
}

/// RFC 8058's one-click unsubscribe: a mail client POSTs `List-Unsubscribe=One-Click` with
/// no session and no CSRF token, so this route alone takes no `PostForm`. The token is the
/// proof, and all it can do is turn reminders off.
#[post("/unsubscribe/<token>")]
pub async fn unsubscribe(p: Page, token: &str, db: &State<Db>) -> Result<Reply, AppError> {
    let t = token.to_string();
    let found = db
        .write(move |conn| match notices::by_unsubscribe_token(conn, &t)? {
            Some(user) => notices::set_reminders(conn, &user, false).map(|_| true),
            None => Ok(false),
        })
        .await?;
    if !found {
        return invalid(p);
    }
    let token = token.to_string();
    render(
        &UnsubscribeView {
            p,
            token,
            done: true,
        },
        Status::Ok,
    )
}

#[derive(Template)]
#[template(path = "account/email.html")]
struct MailSettingsView {
    p: Page,
    f: FormState,
    /// The change-of-address form.
    change: FormState,
    verified: bool,
}

async fn settings_view(
    p: Page,
    user_id: &str,
    db: &Db,
    change: FormState,
) -> Result<MailSettingsView, AppError> {
    let id = user_id.to_string();
    let me = db
        .run(move |c| notices::recipient(c, &id))
        .await?
        .ok_or(AppError::NotFound)?;
    let mut f = FormState::default();
    if me.reminders {
        f.set("reminders", "on");
    }
    Ok(MailSettingsView {
        p,
        f,
        change,
        verified: me.verified,
    })
}

#[get("/account/email")]
pub async fn settings(p: Page, auth: AuthUser, db: &State<Db>) -> Result<Reply, AppError> {
    render(
        &settings_view(p, &auth.0.id, db, FormState::default()).await?,
        Status::Ok,
    )
}

/// A change of address, with the current password: the link goes to the new address, and
/// the page answers the same whether or not another account has it.
#[post("/account/email", data = "<form>")]
pub async fn change_email(
    p: Page,
    auth: AuthUser,
    form: PostForm,
    checker: super::password_check::PasswordChecker<'_>,
) -> Result<Reply, AppError> {
    use super::password_check::PasswordCheck;
    let user = auth.0;
    let new_email = form.get("new_email").trim().to_string();
    let mut errors = FieldErrors::default();
    if !crate::domain::account::email_is_valid(&new_email) {
        errors.add("new_email", "error-email-invalid");
    }
    let id = user.id.clone();
    let hash = checker
        .db
        .run(move |c| users::password_hash(c, &id))
        .await?;
    let check = checker
        .check(
            email_key(&user.email),
            form.get("current_password").to_string(),
            Some(hash),
        )
        .await?;
    match check {
        PasswordCheck::Right => {}
        PasswordCheck::Wrong => errors.add("current_password", "error-password-wrong"),
        PasswordCheck::Locked(_) => errors.add("current_password", "error-password-locked"),
    }
    if !errors.is_empty() {
        let change = FormState::new(errors).keep(&form, &["new_email"]);
        let view = settings_view(p, &user.id, checker.db, change).await?;
        return render(&view, Status::UnprocessableEntity);
    }
    checker
        .db
        .write(move |c| notices::email_change_requested(c, &user.id, &new_email))
        .await?;
    Ok(done("/account/email", "flash-email-change-sent"))
}

/// The link sent to the new address.
#[get("/email/confirm/<token>")]
pub async fn confirm_email(p: Page, token: &str, db: &State<Db>) -> Result<Reply, AppError> {
    let token = token.to_string();
    if !db
        .write(move |c| notices::email_change_confirmed(c, &token))
        .await?
    {
        return invalid(p);
    }
    Ok(done(
        if p.user.is_some() {
            "/account/email"
        } else {
            "/login"
        },
        "flash-email-changed",
    ))
}

#[post("/account/reminders", data = "<form>")]
pub async fn set_reminders(
    auth: AuthUser,
    form: PostForm,
    db: &State<Db>,
) -> Result<Reply, AppError> {
    let on = form.checked("reminders");
    db.write(move |c| notices::set_reminders(c, &auth.0.id, on))
        .await?;
    Ok(done("/account/email", "flash-preferences-saved"))
}
