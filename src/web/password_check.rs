//! A password typed for an account (a log-in, or the current password on the account page),
//! checked as one throttled attempt.

use rocket::http::Status;
use rocket::request::{FromRequest, Outcome, Request};

use super::client::ClientAddr;
use crate::config::AppConfig;
use crate::db::Db;
use crate::password::Hasher;
use crate::store::login_failures::{self, Attempt};
use crate::web::errors::AppError;

/// What a throttled password check found.
pub enum PasswordCheck {
    Right,
    Wrong,
    /// Too many failures for the account or the address: not checked, for this long.
    Locked(chrono::Duration),
}

/// Everything a check needs, as a request guard: the database, the hasher, the limits and
/// the client's address.
pub struct PasswordChecker<'r> {
    pub db: &'r Db,
    hasher: &'r Hasher,
    config: &'r AppConfig,
    client: ClientAddr,
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for PasswordChecker<'r> {
    type Error = AppError;
    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, AppError> {
        let rocket = req.rocket();
        let (Some(db), Some(hasher), Some(config)) = (
            rocket.state::<Db>(),
            rocket.state::<Hasher>(),
            rocket.state::<AppConfig>(),
        ) else {
            let e = AppError::Internal("application state missing".into());
            return Outcome::Error((Status::InternalServerError, e));
        };
        let client = match req.guard::<ClientAddr>().await {
            Outcome::Success(client) => client,
            _ => ClientAddr("unknown".into()),
        };
        Outcome::Success(PasswordChecker {
            db,
            hasher,
            config,
            client,
        })
    }
}

impl PasswordChecker<'_> {
    /// Checks `password` for the account `key` against its `hash` (`None`: no such account,
    /// which costs the same). A place in the hash queue is taken first (503 at once when it
    /// is full, nothing recorded), then the attempt is reserved in the database, counted as
    /// a failure before the hash runs, and cleared if the password was right.
    pub async fn check(
        &self,
        key: String,
        password: String,
        hash: Option<String>,
    ) -> Result<PasswordCheck, AppError> {
        let admitted = self.hasher.admit()?;
        let (account, address) = (self.config.account_lockout(), self.config.ip_lockout());
        let (k, ip) = (key.clone(), self.client.0.clone());
        let attempt = self
            .db
            .write(move |conn| login_failures::reserve(conn, &k, &ip, account, address))
            .await?;
        if let Attempt::Locked(wait) = attempt {
            return Ok(PasswordCheck::Locked(wait));
        }
        if !admitted.verify(password, hash).await? {
            return Ok(PasswordCheck::Wrong);
        }
        self.db
            .write(move |conn| login_failures::clear_account(conn, &key))
            .await?;
        Ok(PasswordCheck::Right)
    }
}
