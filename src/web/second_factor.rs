//! The second step of a staff, reviewer or admin log-in: enrolment (a QR code and the secret,
//! shown once, then recovery codes, shown once), the code asked after the password, and new
//! recovery codes from the account page.

use askama::Template;
use rand::RngCore;
use rocket::http::{CookieJar, RawStr, Status};
use rocket::request::{FromRequest, Outcome, Request};
use rocket::response::Redirect;
use rocket::{State, get, post};

use super::auth::{AuthUser, pending_user, safe_next, session_id, start_session};
use super::csrf::PostForm;
use super::page::{FormState, Page, Reply, done, render, render_too_many};
use super::password_check::PasswordChecker;
use crate::config::AppConfig;
use crate::db::Db;
use crate::domain::FieldErrors;
use crate::domain::account::email_key;
use crate::domain::second_factor::{self as rules, RECOVERY_CODES, Refusal, Typed};
use crate::store::login_failures::Attempt;
use crate::store::second_factor::{self as store, Enrolment};
use crate::store::sessions;
use crate::store::users::User;
use crate::web::errors::AppError;

/// The account of a session that passed its password and owes its second factor. Anyone
/// else: 401, which sends them to the log-in page.
pub struct PendingUser(pub User);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for PendingUser {
    type Error = AppError;
    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, AppError> {
        super::auth::session_guard(pending_user(req).await, PendingUser)
    }
}

/// The page asking for the code, then going on to `next`.
pub fn code_page(next: &str) -> Redirect {
    Redirect::to(format!(
        "/login/code?next={}",
        RawStr::new(next).percent_encode()
    ))
}

fn enrol_page(next: &str) -> Redirect {
    Redirect::to(format!(
        "/login/enrol?next={}",
        RawStr::new(next).percent_encode()
    ))
}

fn now_secs() -> u64 {
    chrono::Utc::now().timestamp().max(0) as u64
}

#[derive(Template)]
#[template(path = "auth/code.html")]
struct CodeView {
    p: Page,
    f: FormState,
    next: String,
}

#[derive(Template)]
#[template(path = "auth/enrol.html")]
struct EnrolView {
    p: Page,
    f: FormState,
    next: String,
    /// The secret in groups of four, for typing into an app.
    secret: String,
    /// The QR code of the `otpauth://` address, as SVG made here (no user data in it but
    /// the account's address, which the QR encoder turns into squares).
    qr: String,
}

impl EnrolView {
    fn new(p: Page, f: FormState, next: String, secret: &str, account: &str) -> EnrolView {
        let qr = rules::otpauth_url(secret, account)
            .and_then(|url| qrcode::QrCode::new(url.as_bytes()).ok())
            .map(|code| {
                let svg = code
                    .render::<qrcode::render::svg::Color>()
                    .min_dimensions(200, 200)
                    .build();
                // The XML declaration has no place inside HTML.
                svg.split_once("?>")
                    .map_or(svg.clone(), |(_, rest)| rest.to_string())
            })
            .unwrap_or_default();
        let grouped = secret
            .as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join(" ");
        EnrolView {
            p,
            f,
            next,
            secret: grouped,
            qr,
        }
    }
}

#[derive(Template)]
#[template(path = "auth/recovery_codes.html")]
struct RecoveryCodesView {
    p: Page,
    codes: Vec<String>,
    next: String,
}

/// The form's code, or the form again with why it cannot be one.
fn typed_code(form: &PostForm) -> Result<Typed, FieldErrors> {
    let mut errors = FieldErrors::default();
    match rules::read_code(form.get("code")) {
        _ if form.get("code").trim().is_empty() => errors.add("code", "error-required"),
        Typed::Malformed => errors.add("code", "error-code-format"),
        typed => return Ok(typed),
    }
    Err(errors)
}

fn refusal_key(refusal: Refusal) -> &'static str {
    match refusal {
        Refusal::Wrong => "error-code-wrong",
        Refusal::Replayed => "error-code-used",
    }
}

fn field_error(key: &'static str) -> FieldErrors {
    let mut errors = FieldErrors::default();
    errors.add("code", key);
    errors
}

#[get("/login/code?<next>")]
pub async fn code_form(
    p: Page,
    pending: PendingUser,
    next: Option<&str>,
    db: &State<Db>,
) -> Result<Reply, AppError> {
    let next = safe_next(next).to_string();
    let id = pending.0.id;
    if !matches!(
        db.run(move |conn| store::enrolment(conn, &id)).await?,
        Enrolment::Enrolled { .. }
    ) {
        return Ok(Reply::Redirect(enrol_page(&next)));
    }
    let f = FormState::default();
    render(&CodeView { p, f, next }, Status::Ok)
}

#[post("/login/code", data = "<form>")]
pub async fn code(
    p: Page,
    pending: PendingUser,
    form: PostForm,
    checker: PasswordChecker<'_>,
    config: &State<AppConfig>,
    cookies: &CookieJar<'_>,
) -> Result<Reply, AppError> {
    let next = safe_next(Some(form.get("next"))).to_string();
    let again = |p, errors| {
        let f = FormState::new(errors);
        render(
            &CodeView {
                p,
                f,
                next: next.clone(),
            },
            Status::UnprocessableEntity,
        )
    };
    let typed = match typed_code(&form) {
        Ok(typed) => typed,
        Err(errors) => return again(p, errors),
    };
    let user = pending.0;
    let key = email_key(&user.email);
    // A recovery code is checked against hashes: as for a password, the place in the hash
    // queue comes first, so a busy refusal counts nothing.
    let admitted = match typed {
        Typed::Recovery(_) => Some(checker.admit()?),
        _ => None,
    };
    // Counted like a password: six digits cannot be tried more than the lockout allows.
    if let Attempt::Locked(wait) = checker.reserve(key.clone()).await? {
        let f = FormState::new(field_error("error-code-locked"));
        return render_too_many(&CodeView { p, f, next }, wait);
    }
    let old = session_id(cookies).unwrap_or_default();
    let db = checker.db;
    let passed = match (typed, admitted) {
        (Typed::Totp(code), _) => {
            let now = now_secs();
            db.write(move |conn| store::pass_with_code(conn, &user.id, &old, &code, now))
                .await?
        }
        (Typed::Recovery(code), Some(admitted)) => {
            let id = user.id.clone();
            let unused = db
                .run(move |conn| store::unused_recovery_codes(conn, &id))
                .await?;
            let (ids, hashes): (Vec<i64>, Vec<String>) = unused.into_iter().unzip();
            match admitted.find(code, hashes).await? {
                Some(at) => {
                    let code_id = ids[at];
                    db.write(move |conn| {
                        store::pass_with_recovery_code(conn, &user.id, &old, code_id)
                    })
                    .await?
                }
                None => Err(Refusal::Wrong),
            }
        }
        _ => Err(Refusal::Wrong),
    };
    match passed {
        Ok(session) => {
            checker.succeeded(key).await?;
            start_session(cookies, config, session);
            Ok(done(next, "flash-logged-in"))
        }
        Err(refusal) => again(p, field_error(refusal_key(refusal))),
    }
}

/// A fresh secret from the system's random source.
fn fresh_secret() -> String {
    let mut bytes = [0u8; 20];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    rules::new_secret(bytes)
}

#[get("/login/enrol?<next>")]
pub async fn enrol_form(
    p: Page,
    pending: PendingUser,
    next: Option<&str>,
    db: &State<Db>,
) -> Result<Reply, AppError> {
    let next = safe_next(next).to_string();
    let user = pending.0;
    let (id, fresh) = (user.id.clone(), fresh_secret());
    let Some(secret) = db
        .write(move |conn| store::start(conn, &id, &fresh))
        .await?
    else {
        return Ok(Reply::Redirect(code_page(&next)));
    };
    let view = EnrolView::new(p, FormState::default(), next, &secret, &user.email);
    render(&view, Status::Ok)
}

#[post("/login/enrol", data = "<form>")]
pub async fn enrol(
    p: Page,
    pending: PendingUser,
    form: PostForm,
    checker: PasswordChecker<'_>,
    config: &State<AppConfig>,
    cookies: &CookieJar<'_>,
) -> Result<Reply, AppError> {
    let next = safe_next(Some(form.get("next"))).to_string();
    let user = pending.0;
    let db = checker.db;
    let id = user.id.clone();
    let Enrolment::Started { secret } = db.run(move |conn| store::enrolment(conn, &id)).await?
    else {
        // Enrolled meanwhile (another tab), or reset: start from the right page.
        return Ok(Reply::Redirect(code_page(&next)));
    };
    let again = |p, errors, status| {
        let view = EnrolView::new(
            p,
            FormState::new(errors),
            next.clone(),
            &secret,
            &user.email,
        );
        render(&view, status)
    };
    // Only the app's code confirms that the app holds the secret.
    let code = match typed_code(&form) {
        Ok(Typed::Totp(code)) => code,
        Ok(_) => {
            return again(
                p,
                field_error("error-code-format"),
                Status::UnprocessableEntity,
            );
        }
        Err(errors) => return again(p, errors, Status::UnprocessableEntity),
    };
    let key = email_key(&user.email);
    if let Attempt::Locked(wait) = checker.reserve(key.clone()).await? {
        let view = EnrolView::new(
            p,
            FormState::new(field_error("error-code-locked")),
            next.clone(),
            &secret,
            &user.email,
        );
        return render_too_many(&view, wait);
    }
    let step = match rules::check(&secret, &code, now_secs(), None) {
        Ok(step) => step,
        Err(refusal) => {
            let errors = field_error(refusal_key(refusal));
            return again(p, errors, Status::UnprocessableEntity);
        }
    };
    let (codes, hashes) = new_recovery_codes(&checker).await?;
    let old = session_id(cookies).unwrap_or_default();
    let id = user.id.clone();
    let session = db
        .write(move |conn| -> Result<Option<String>, AppError> {
            if !store::confirm(conn, &id, step, &hashes)? {
                return Ok(None);
            }
            Ok(Some(sessions::pass_second_factor(conn, &old, &id)?))
        })
        .await?;
    let Some(session) = session else {
        return Ok(Reply::Redirect(code_page(&next)));
    };
    checker.succeeded(key).await?;
    start_session(cookies, config, session);
    // Shown in this answer and never again: only their hashes are kept.
    render(&RecoveryCodesView { p, codes, next }, Status::Ok)
}

/// Ten new recovery codes and their hashes.
async fn new_recovery_codes(
    checker: &PasswordChecker<'_>,
) -> Result<(Vec<String>, Vec<String>), AppError> {
    let codes: Vec<String> = (0..RECOVERY_CODES)
        .map(|_| {
            let mut bytes = [0u8; 10];
            rand::rngs::OsRng.fill_bytes(&mut bytes);
            rules::recovery_code(bytes)
        })
        .collect();
    // Hashed as they will be typed back: without the dash `read_code` drops.
    let typed = codes.iter().map(|c| c.replace('-', "")).collect();
    let hashes = checker.admit()?.hash_all(typed).await?;
    Ok((codes, hashes))
}

/// New recovery codes from the account page: the old ones stop working.
#[post("/account/recovery-codes", data = "<_form>")]
pub async fn renew_recovery_codes(
    p: Page,
    auth: AuthUser,
    _form: PostForm,
    checker: PasswordChecker<'_>,
) -> Result<Reply, AppError> {
    let user = auth.0;
    let db = checker.db;
    let id = user.id.clone();
    if !matches!(
        db.run(move |conn| store::enrolment(conn, &id)).await?,
        Enrolment::Enrolled { .. }
    ) {
        return Err(AppError::NotFound);
    }
    let (codes, hashes) = new_recovery_codes(&checker).await?;
    db.write(move |conn| store::replace_recovery_codes(conn, &user.id, &hashes))
        .await?;
    let next = "/account".to_string();
    render(&RecoveryCodesView { p, codes, next }, Status::Ok)
}
