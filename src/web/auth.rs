//! Who is asking: the session cookie, the user guards, and the register / log-in / log-out
//! pages.

use askama::Template;
use rocket::http::{Cookie, CookieJar, SameSite, Status};
use rocket::request::{FromRequest, Outcome, Request};
use rocket::response::Redirect;
use rocket::{State, get, post};

use super::client::ClientAddr;
use super::csrf::PostForm;
use super::page::{Choice, FormState, Page, Reply, done, render, render_too_many};
use super::password_check::{PasswordCheck, PasswordChecker};
use crate::config::AppConfig;
use crate::db::Db;
use crate::domain::FieldErrors;
use crate::domain::account::{Role, check_registration, email_key};
use crate::domain::country::{self, Country};
use crate::password::Hasher;
use crate::store::login_failures::{self, Attempt};
use crate::store::users::{CreateUserError, User};
use crate::store::{StoreError, notices, sessions, users};
use crate::web::errors::AppError;

const SESSION_COOKIE: &str = "session";
/// Registrations with one address typed, within an hour, before 429.
const REGISTRATIONS_PER_ADDRESS: usize = 3;

/// The countries of residence, for a `<select>`.
pub fn country_choices(p: &Page) -> Vec<Choice> {
    let codes = Country::ALL.iter().map(|c| c.as_str());
    super::complaints::choices(p, "country", codes)
}

/// Where to go after logging in: only a path on this site.
pub fn safe_next(next: Option<&str>) -> &str {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.starts_with("/\\")
                && !n.chars().any(|c| c.is_control() || c == '\\')
                // A redirect needs a valid URI: `/𝕒` unencoded made the redirect fail (500).
                && rocket::http::uri::Origin::parse(n).is_ok() =>
        {
            n
        }
        _ => "/",
    }
}

fn lifetime(config: &AppConfig) -> sessions::Lifetime {
    sessions::Lifetime {
        idle: chrono::Duration::minutes(config.session_idle_minutes),
        absolute: chrono::Duration::hours(config.session_absolute_hours),
    }
}

/// Who holds the session cookie: `user` once the session grants the account's role;
/// `pending` for a staff, reviewer or admin account that passed its password but not yet its
/// second factor, which grants nothing but the second step's pages.
#[derive(Default)]
struct Holder {
    user: Option<User>,
    pending: Option<User>,
}

struct CachedUser(Result<Holder, String>);

async fn holder<'r>(req: &'r Request<'_>) -> Result<&'r Holder, AppError> {
    let cached = req
        .local_cache_async(async {
            let Some(id) = req
                .cookies()
                .get_private(SESSION_COOKIE)
                .map(|c| c.value().to_string())
            else {
                return CachedUser(Ok(Holder::default()));
            };
            let (Some(db), Some(config)) = (
                req.rocket().state::<Db>(),
                req.rocket().state::<AppConfig>(),
            ) else {
                return CachedUser(Err("application state missing".into()));
            };
            CachedUser(
                session_holder(db, id, lifetime(config))
                    .await
                    .map_err(|e| e.to_string()),
            )
        })
        .await;
    cached
        .0
        .as_ref()
        .map_err(|e| AppError::Unavailable(e.clone()))
}

/// The logged-in user, looked up once per request.
pub async fn current_user<'r>(req: &'r Request<'_>) -> Result<&'r Option<User>, AppError> {
    Ok(&holder(req).await?.user)
}

/// The account whose session still owes its second factor, if that is the case.
pub async fn pending_user<'r>(req: &'r Request<'_>) -> Result<&'r Option<User>, AppError> {
    Ok(&holder(req).await?.pending)
}

/// The holder of session `id`. Deleting an expired session and noting a live one's use are
/// writes, each through the one write path.
async fn session_holder(
    db: &Db,
    id: String,
    lifetime: sessions::Lifetime,
) -> Result<Holder, StoreError> {
    let wanted = id.clone();
    let lookup = db
        .run(move |conn| sessions::user(conn, &wanted, lifetime))
        .await?;
    match lookup {
        sessions::Lookup::Missing => Ok(Holder::default()),
        sessions::Lookup::Expired => {
            db.write(move |conn| sessions::delete(conn, &id)).await?;
            Ok(Holder::default())
        }
        sessions::Lookup::Live {
            user,
            touch,
            second_factor,
        } => {
            if touch {
                db.write(move |conn| sessions::touch(conn, &id)).await?;
            }
            // Checked against the role now, not at log-in: an account promoted since needs
            // the second step before its new role counts.
            Ok(if user.role.needs_second_factor() && !second_factor {
                Holder {
                    user: None,
                    pending: Some(user),
                }
            } else {
                Holder {
                    user: Some(user),
                    pending: None,
                }
            })
        }
    }
}

/// The user if a guard already looked them up in this request.
pub fn cached_user(req: &Request<'_>) -> Option<User> {
    req.local_cache(|| CachedUser(Ok(Holder::default())))
        .0
        .as_ref()
        .ok()
        .and_then(|h| h.user.clone())
}

/// A guard's outcome from the session's user, `found`: none is 401, which the catcher turns
/// into a redirect to the log-in page.
pub fn session_guard<T>(
    found: Result<&Option<User>, AppError>,
    guard: impl FnOnce(User) -> T,
) -> Outcome<T, AppError> {
    match found {
        Ok(Some(user)) => Outcome::Success(guard(user.clone())),
        Ok(None) => Outcome::Error((Status::Unauthorized, AppError::NotFound)),
        Err(e) => Outcome::Error((e.status(), e)),
    }
}

/// A logged-in user. Without a session: 401, which the catcher turns into a redirect to
/// the log-in page.
pub struct AuthUser(pub User);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for AuthUser {
    type Error = AppError;
    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, AppError> {
        session_guard(current_user(req).await, AuthUser)
    }
}

/// An administrator; anyone else logged in gets 403.
pub struct AdminUser(pub User);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for AdminUser {
    type Error = AppError;
    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, AppError> {
        match req.guard::<AuthUser>().await {
            Outcome::Success(AuthUser(user)) if user.role == Role::Admin => {
                Outcome::Success(AdminUser(user))
            }
            Outcome::Success(_) => {
                super::errors::note_refusal(req, "error-role");
                Outcome::Error((Status::Forbidden, AppError::Forbidden("error-role")))
            }
            Outcome::Error(e) => Outcome::Error(e),
            Outcome::Forward(s) => Outcome::Forward(s),
        }
    }
}

pub fn start_session(cookies: &CookieJar<'_>, config: &AppConfig, session_id: String) {
    cookies.add_private(
        Cookie::build((SESSION_COOKIE, session_id))
            .path("/")
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(config.secure_cookies)
            .max_age(rocket::time::Duration::hours(config.session_absolute_hours)),
    );
}

pub fn session_id(cookies: &CookieJar<'_>) -> Option<String> {
    cookies
        .get_private(SESSION_COOKIE)
        .map(|c| c.value().to_string())
}

pub fn end_session_cookie(cookies: &CookieJar<'_>) {
    cookies.remove_private(Cookie::build(SESSION_COOKIE).path("/"));
}

#[derive(Template)]
#[template(path = "auth/register.html")]
struct RegisterView {
    p: Page,
    f: FormState,
    countries: Vec<Choice>,
}

impl RegisterView {
    fn new(p: Page, f: FormState) -> RegisterView {
        let countries = country_choices(&p);
        RegisterView { p, f, countries }
    }
}

#[get("/register")]
pub fn register_form(p: Page) -> Result<Reply, AppError> {
    if p.user.is_some() {
        return Ok(Reply::Redirect(Redirect::to("/account")));
    }
    let mut f = FormState::default();
    f.set("country", Country::DEFAULT.as_str());
    render(&RegisterView::new(p, f), Status::Ok)
}

#[post("/register", data = "<form>")]
pub async fn register(
    p: Page,
    form: PostForm,
    db: &State<Db>,
    hasher: &State<Hasher>,
    config: &State<AppConfig>,
    cookies: &CookieJar<'_>,
    client: ClientAddr,
) -> Result<Reply, AppError> {
    let email = form.get("email").trim().to_string();
    let mut errors = check_registration(&email, form.get("password"), form.get("password_confirm"));
    let country = country::read(&mut errors, "country", form.field("country"));
    if !errors.is_empty() {
        let f = FormState::new(errors).keep(&form, &["email", "country"]);
        return render(&RegisterView::new(p, f), Status::UnprocessableEntity);
    }
    // Registrations count per address typed and per client address, taken or not (so the
    // limit tells nothing): enumeration through this form, and notices to an address's
    // owner, stay a trickle.
    let (key, per_client) = (email_key(&email), config.ip_lockout());
    let attempt = db
        .write(move |conn| {
            login_failures::reserve_for(
                conn,
                "register",
                &key,
                &client.0,
                REGISTRATIONS_PER_ADDRESS,
                per_client,
            )
        })
        .await?;
    if let Attempt::Locked(wait) = attempt {
        let mut errors = FieldErrors::default();
        errors.add("email", "error-too-many");
        let f = FormState::new(errors).keep(&form, &["email", "country"]);
        return render_too_many(&RegisterView::new(p, f), wait);
    }
    // An address already in use answers as a new one does (the same hash, the same redirect
    // and message), so the form does not tell who has an account; only the new account is
    // logged in (the residual leak the README describes), and the address's owner is told
    // by e-mail that someone tried.
    let hash = hasher.hash(form.get("password").to_string()).await?;
    let lang = p.lang.code();
    let created = db
        .write(
            move |conn| match users::create(conn, &email, &hash, Role::Subscriber) {
                Ok(user) => {
                    users::set_country(conn, &user.id, country)?;
                    notices::registered(conn, &user.id, lang)?;
                    Ok(Some(sessions::create(conn, &user.id)?))
                }
                Err(CreateUserError::EmailTaken) => {
                    notices::register_attempt(conn, &email_key(&email))?;
                    Ok(None)
                }
                Err(CreateUserError::Other(e)) => Err(e),
            },
        )
        .await?;
    if let Some(session) = created {
        start_session(cookies, config, session);
    }
    // The next step after registering is the reason one came: filing a complaint.
    Ok(done("/complaints/new", "flash-registered"))
}

#[derive(Template)]
#[template(path = "auth/login.html")]
struct LoginView {
    p: Page,
    f: FormState,
    next: String,
    /// Set when the form is refused for too many failures.
    locked: Option<String>,
    /// A form posted after the session ended, carried through the login (`carried.<name>`).
    carried: Vec<(String, String)>,
}

/// The prefix of the fields a form posted without a session carries through the login.
const CARRIED: &str = "carried.";

/// The fields carried by a log-in form, without their prefix.
fn carried_of(form: &PostForm) -> Vec<(String, String)> {
    form.fields()
        .iter()
        .filter_map(|(k, v)| Some((k.strip_prefix(CARRIED)?.to_string(), v.clone())))
        .collect()
}

/// The log-in page for a form posted after its session ended: what was posted rides along
/// in hidden fields, and becomes a draft of the account that logs in.
pub fn login_carrying(p: Page, carried: Vec<(String, String)>) -> Result<Reply, AppError> {
    render(
        &LoginView {
            p,
            f: FormState::default(),
            next: "/complaints/drafts".to_string(),
            locked: None,
            carried,
        },
        Status::Unauthorized,
    )
}

#[get("/login?<next>")]
pub fn login_form(
    p: Page,
    pending: Option<super::second_factor::PendingUser>,
    next: Option<&str>,
) -> Result<Reply, AppError> {
    let next = safe_next(next).to_string();
    if p.user.is_some() {
        return Ok(Reply::Redirect(Redirect::to(next)));
    }
    // A role's page sends a session owing its code here: the code is what it lacks.
    if pending.is_some() {
        return Ok(Reply::Redirect(super::second_factor::code_page(&next)));
    }
    render(
        &LoginView {
            p,
            f: FormState::default(),
            next,
            locked: None,
            carried: Vec::new(),
        },
        Status::Ok,
    )
}

#[post("/login", data = "<form>")]
pub async fn login(
    p: Page,
    form: PostForm,
    checker: PasswordChecker<'_>,
    config: &State<AppConfig>,
    cookies: &CookieJar<'_>,
) -> Result<Reply, AppError> {
    let next = safe_next(Some(form.get("next"))).to_string();
    let email = form.get("email").trim().to_string();
    let password = form.get("password").to_string();
    let mut errors = FieldErrors::default();
    if email.is_empty() {
        errors.add("email", "error-required");
    }
    if password.is_empty() {
        errors.add("password", "error-required");
    }
    if !errors.is_empty() {
        return login_again(p, &form, next, errors);
    }

    // Keyed by the address typed, whether an account has it or not: an unknown address is
    // counted, locked and hashed exactly like a known one.
    let key = email_key(&email);
    let k = key.clone();
    let db = checker.db;
    let found = db.run(move |conn| users::find_with_hash(conn, &k)).await?;
    let (user, hash) = found.map_or((None, None), |(u, h)| (Some(u), Some(h)));
    let second_step = user.as_ref().is_some_and(|u| u.role.needs_second_factor());
    let check = if second_step {
        checker.check_first_of_two(key, password, hash).await?
    } else {
        checker.check(key, password, hash).await?
    };
    match check {
        PasswordCheck::Locked(wait) => too_many(p, next, wait),
        PasswordCheck::Wrong => {
            let mut errors = FieldErrors::default();
            errors.add("email", "error-login-failed");
            login_again(p, &form, next, errors)
        }
        PasswordCheck::Right => {
            let user =
                user.ok_or_else(|| AppError::Internal("verified without an account".into()))?;
            let user_id = user.id.clone();
            let session = db
                .write(move |conn| sessions::create(conn, &user.id))
                .await?;
            start_session(cookies, config, session);
            if second_step {
                // The session grants the role once the code is given.
                return Ok(Reply::Redirect(super::second_factor::code_page(&next)));
            }
            let carried = carried_of(&form);
            if !carried.is_empty() {
                let to = super::filing::keep_carried(db, &user_id, carried).await?;
                return Ok(done(to, "flash-draft-kept"));
            }
            Ok(done(next, "flash-logged-in"))
        }
    }
}

/// The log-in form again, with what was typed (never the password) and what is wrong.
fn login_again(
    p: Page,
    form: &PostForm,
    next: String,
    errors: FieldErrors,
) -> Result<Reply, AppError> {
    let f = FormState::new(errors).keep(form, &["email"]);
    render(
        &LoginView {
            p,
            f,
            next,
            locked: None,
            carried: carried_of(form),
        },
        Status::UnprocessableEntity,
    )
}

fn too_many(p: Page, next: String, wait: chrono::Duration) -> Result<Reply, AppError> {
    let minutes = (crate::domain::lockout::retry_after_secs(wait) + 59) / 60;
    let locked = Some(p.t_with("error-locked", "minutes", minutes.to_string()));
    let view = LoginView {
        p,
        f: FormState::default(),
        next,
        locked,
        carried: Vec::new(),
    };
    render_too_many(&view, wait)
}

#[post("/logout", data = "<_form>")]
pub async fn logout(
    _form: PostForm,
    db: &State<Db>,
    cookies: &CookieJar<'_>,
) -> Result<Reply, AppError> {
    if let Some(id) = session_id(cookies) {
        db.write(move |conn| sessions::delete(conn, &id)).await?;
    }
    end_session_cookie(cookies);
    Ok(done("/", "flash-logged-out"))
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next(Some("/account?x=1")), "/account?x=1");
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "evil",
            "",
            "/a\nb",
            "/a\\b",
            "/𝕒",
            "/a b",
        ] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(safe_next(None), "/");
    }
}
