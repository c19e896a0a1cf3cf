//! Security headers on every response; `no-store` on every response to a logged-in person
//! (nothing personal stays in a browser's or a proxy's cache), HSTS when served over HTTPS.

use rocket::fairing::{Fairing, Info, Kind};
use rocket::http::Header;
use rocket::{Request, Response};

pub const CSP: &str = "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/// A year, the usual value for HSTS preload lists.
const HSTS: &str = "max-age=31536000; includeSubDomains";

pub struct SecurityHeaders;

#[rocket::async_trait]
impl Fairing for SecurityHeaders {
    fn info(&self) -> Info {
        Info {
            name: "security headers",
            kind: Kind::Response,
        }
    }

    async fn on_response<'r>(&self, req: &'r Request<'_>, res: &mut Response<'r>) {
        // A session cookie that decrypts, or a user a guard found: decided here once for
        // every page, letter, export and CSV rather than route by route.
        // Only the stylesheet is marked `public` (the same bytes for everyone): it keeps
        // its long cache.
        let shared = res
            .headers()
            .get_one("Cache-Control")
            .is_some_and(|c| c.starts_with("public"));
        if !shared
            && (super::auth::session_id(req.cookies()).is_some()
                || super::auth::cached_user(req).is_some())
        {
            res.set_header(Header::new("Cache-Control", "no-store"));
        }
        if super::csrf::secure_cookies(req) {
            res.set_header(Header::new("Strict-Transport-Security", HSTS));
        }
        res.set_header(Header::new("Content-Security-Policy", CSP));
        res.set_header(Header::new("X-Content-Type-Options", "nosniff"));
        res.set_header(Header::new("Referrer-Policy", "same-origin"));
        res.set_header(Header::new("X-Frame-Options", "DENY"));
    }
}
