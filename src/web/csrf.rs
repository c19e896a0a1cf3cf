//! Forms that change something: a CSRF token (random, in a private cookie, echoed in a
//! hidden `csrf_token` field, compared in constant time) and an Origin / Sec-Fetch-Site
//! check. `PostForm` is the data guard every such handler takes.

use base64::Engine;
use rand::RngCore;
use rocket::data::{self, Data, FromData, ToByteUnit};
use rocket::http::{Cookie, SameSite, Status};
use rocket::outcome::Outcome;
use rocket::request::Request;
use subtle::ConstantTimeEq;

use crate::config::AppConfig;
use crate::web::errors::AppError;

const COOKIE: &str = "csrf";
pub const FIELD: &str = "csrf_token";
const FORM_LIMIT_KIB: u64 = 64;

struct Token(String);

/// This browser's token, created (and its cookie set) on first use.
pub fn token<'r>(req: &'r Request<'_>) -> &'r str {
    &req.local_cache(|| {
        if let Some(c) = req.cookies().get_private(COOKIE) {
            return Token(c.value().to_string());
        }
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        let value = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
        req.cookies().add_private(
            Cookie::build((COOKIE, value.clone()))
                .path("/")
                .http_only(true)
                .same_site(SameSite::Lax)
                .secure(secure_cookies(req)),
        );
        Token(value)
    })
    .0
}

pub fn secure_cookies(req: &Request<'_>) -> bool {
    req.rocket()
        .state::<AppConfig>()
        .is_some_and(|c| c.secure_cookies)
}

/// Refuses requests another site made the browser send.
fn same_origin(req: &Request<'_>) -> bool {
    if let Some(site) = req.headers().get_one("Sec-Fetch-Site")
        && site != "same-origin"
        && site != "none"
    {
        return false;
    }
    match req.headers().get_one("Origin") {
        None => true,
        Some(origin) => origin_matches(origin, req.headers().get_one("Host"), secure_cookies(req)),
    }
}

/// Whether `origin` is this site: scheme, host and port compared exactly. The scheme is
/// `https`, or `http` too when the portal is not marked as served over HTTPS; a port left
/// out is the scheme's default, on both sides.
fn origin_matches(origin: &str, host: Option<&str>, https_only: bool) -> bool {
    let Some((scheme, authority)) = origin.split_once("://") else {
        return false;
    };
    let default_port = match scheme.to_ascii_lowercase().as_str() {
        "https" => 443,
        "http" if !https_only => 80,
        _ => return false,
    };
    let split = |authority: &str| -> Option<(String, u16)> {
        // `[::1]:8000`: the port follows the bracket.
        let port_at = authority
            .rfind(':')
            .filter(|at| !authority[*at..].contains(']'));
        let (name, port) = match port_at {
            Some(at) => (&authority[..at], authority[at + 1..].parse().ok()?),
            None => (authority, default_port),
        };
        (!name.is_empty() && !name.contains(['/', '@', '?', '#']))
            .then(|| (name.to_ascii_lowercase(), port))
    };
    match (split(authority), host.and_then(split)) {
        (Some(o), Some(h)) => o == h,
        _ => false,
    }
}

fn refuse<'r, T>(req: &'r Request<'_>, error: AppError) -> data::Outcome<'r, T, AppError> {
    super::errors::note_refusal(req, error.message_key());
    Outcome::Error((error.status(), error))
}

/// A submitted `application/x-www-form-urlencoded` form whose CSRF token and origin were
/// checked. Each field may appear once.
#[derive(Debug)]
pub struct PostForm {
    fields: Vec<(String, String)>,
}

/// The fields a form may send several times: a group of checkboxes (the kinds of a
/// complaint's problems), also when carried through the login.
const REPEATABLE: [&str; 2] = ["kind", "carried.kind"];

impl PostForm {
    /// The field's value, or "" when absent.
    pub fn get(&self, name: &str) -> &str {
        self.field(name).unwrap_or("")
    }

    /// The field's value, `None` when absent (not the same as sent empty).
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The fields' names, in the order sent.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.fields.iter().map(|(k, _)| k.as_str())
    }

    /// A checkbox: present and not empty means ticked.
    pub fn checked(&self, name: &str) -> bool {
        !self.get(name).is_empty()
    }

    /// Every field, in the order sent.
    pub fn fields(&self) -> &[(String, String)] {
        &self.fields
    }

    /// Every value of a field that may repeat (see `REPEATABLE`), in the order sent.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.fields
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// Parses a url-encoded body; `None` on bad encoding or a repeated field other than
    /// those in `REPEATABLE` (a repeated single field would leave one value unread).
    pub fn parse(body: &str) -> Option<PostForm> {
        let mut fields: Vec<(String, String)> = Vec::new();
        for pair in body.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let k = rocket::http::RawStr::new(k).url_decode().ok()?.into_owned();
            let v = rocket::http::RawStr::new(v).url_decode().ok()?.into_owned();
            // No text column of either database takes a NUL (PostgreSQL refuses it).
            let repeated =
                !REPEATABLE.contains(&k.as_str()) && fields.iter().any(|(seen, _)| *seen == k);
            if k.contains('\0') || v.contains('\0') || repeated {
                return None;
            }
            fields.push((k, v));
        }
        Some(PostForm { fields })
    }
}

#[rocket::async_trait]
impl<'r> FromData<'r> for PostForm {
    type Error = AppError;

    async fn from_data(req: &'r Request<'_>, data: Data<'r>) -> data::Outcome<'r, Self> {
        if !same_origin(req) {
            return refuse(req, AppError::Forbidden("error-cross-site"));
        }
        if !req.content_type().is_some_and(|ct| ct.is_form()) {
            return refuse(req, AppError::BadRequest("error-bad-form"));
        }
        let body = match data.open(FORM_LIMIT_KIB.kibibytes()).into_string().await {
            Ok(s) if s.is_complete() => s.into_inner(),
            Ok(_) => {
                super::errors::note_refusal(req, "error-too-large");
                return Outcome::Error((
                    Status::PayloadTooLarge,
                    AppError::BadRequest("error-too-large"),
                ));
            }
            Err(_) => return refuse(req, AppError::BadRequest("error-bad-form")),
        };
        let Some(form) = PostForm::parse(&body) else {
            return refuse(req, AppError::BadRequest("error-bad-form"));
        };
        let expected = token(req);
        let given = form.get(FIELD);
        if given.is_empty() || !bool::from(given.as_bytes().ct_eq(expected.as_bytes())) {
            return refuse(req, AppError::Forbidden("error-csrf"));
        }
        Outcome::Success(form)
    }
}

/// For forms `PostForm` cannot read (multipart uploads): checks the origin as a request
/// guard; the handler then checks the token the form carried with `verify`.
pub struct CsrfGuard {
    expected: String,
}

impl CsrfGuard {
    pub fn verify(&self, given: &str) -> Result<(), AppError> {
        if given.is_empty() || !bool::from(given.as_bytes().ct_eq(self.expected.as_bytes())) {
            return Err(AppError::Forbidden("error-csrf"));
        }
        Ok(())
    }
}

#[rocket::async_trait]
impl<'r> rocket::request::FromRequest<'r> for CsrfGuard {
    type Error = AppError;
    async fn from_request(req: &'r Request<'_>) -> rocket::request::Outcome<Self, AppError> {
        if !same_origin(req) {
            super::errors::note_refusal(req, "error-cross-site");
            return Outcome::Error((Status::Forbidden, AppError::Forbidden("error-cross-site")));
        }
        Outcome::Success(CsrfGuard {
            expected: token(req).to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_url_encoded_forms() {
        let f = PostForm::parse("email=a%40b.fr&name=Jean+Dupont&empty=&flag").unwrap();
        assert_eq!(f.get("email"), "a@b.fr");
        assert_eq!(f.get("name"), "Jean Dupont");
        assert_eq!(f.get("empty"), "");
        assert_eq!(f.get("missing"), "");
        assert!(!f.checked("empty"));
        assert!(
            PostForm::parse("a=1&a=2").is_none(),
            "a repeated field is refused"
        );
        assert!(
            PostForm::parse("a=%FF").is_none(),
            "invalid UTF-8 is refused"
        );
        assert!(PostForm::parse("").unwrap().fields.is_empty());
    }

    #[test]
    fn origins_match_scheme_host_and_port_exactly() {
        let host = Some("recours.example:8000");
        assert!(origin_matches("http://recours.example:8000", host, false));
        assert!(origin_matches("HTTP://Recours.Example:8000", host, false));
        for bad in [
            "evil://recours.example:8000",
            "recours.example:8000",
            "http://recours.example",
            "http://recours.example:8001",
            "http://evil.example:8000",
            "http://recours.example:8000/path",
            "http://user@recours.example:8000",
            "null",
        ] {
            assert!(!origin_matches(bad, host, false), "{bad}");
        }
        assert!(!origin_matches("http://recours.example:8000", host, true));
        assert!(origin_matches(
            "https://recours.example",
            Some("recours.example"),
            true
        ));
        assert!(origin_matches(
            "https://recours.example:443",
            Some("recours.example"),
            true
        ));
        assert!(origin_matches(
            "http://[::1]:8000",
            Some("[::1]:8000"),
            false
        ));
        assert!(!origin_matches(
            "http://[::1]:8000",
            Some("[::1]:8001"),
            false
        ));
        assert!(!origin_matches("http://recours.example", None, false));
    }
}
