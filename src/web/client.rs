//! The client's address, for the per-address log-in limit. Rocket's own `client_ip()` believes
//! an `X-Real-IP` header from anyone; this believes forwarding headers only from the proxies
//! named in `trusted_proxies`.

use std::convert::Infallible;

use rocket::request::{FromRequest, Outcome, Request};

use crate::config::AppConfig;

pub struct ClientAddr(pub String);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for ClientAddr {
    type Error = Infallible;
    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Infallible> {
        let Some(peer) = req.remote().map(|r| r.ip()) else {
            return Outcome::Success(ClientAddr("unknown".into()));
        };
        let Some(config) = req.rocket().state::<AppConfig>() else {
            return Outcome::Success(ClientAddr(peer.to_canonical().to_string()));
        };
        let forwarded: Vec<&str> = req.headers().get("X-Forwarded-For").collect();
        let forwarded = (!forwarded.is_empty()).then(|| forwarded.join(","));
        let client = config.trusted_proxies.client(
            peer,
            forwarded.as_deref(),
            req.headers().get_one("X-Real-IP"),
        );
        Outcome::Success(ClientAddr(client.to_string()))
    }
}
