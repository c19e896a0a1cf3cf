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
        let check = self.check_first_of_two(key.clone(), password, hash).await?;
        if let PasswordCheck::Right = check {
            self.succeeded(key).await?;
        }
        Ok(check)
    }

    /// As `check`, for an account whose second factor follows: a right password clears
    /// nothing, so the codes guessed after it keep counting toward the same lockout.
    pub async fn check_first_of_two(
        &self,
        key: String,
        password: String,
        hash: Option<String>,
    ) -> Result<PasswordCheck, AppError> {
        let admitted = self.hasher.admit()?;
        if let Attempt::Locked(wait) = self.reserve(key).await? {
            return Ok(PasswordCheck::Locked(wait));
        }
        Ok(if admitted.verify(password, hash).await? {
            PasswordCheck::Right
        } else {
            PasswordCheck::Wrong
        })
    }

    /// Counts one attempt at the account `key` (a password or a second-factor code) as a
    /// failure before it is checked, unless the account or the address is locked.
    pub async fn reserve(&self, key: String) -> Result<Attempt, AppError> {
        let (account, address) = (self.config.account_lockout(), self.config.ip_lockout());
        let ip = self.client.0.clone();
        Ok(self
            .db
            .write(move |conn| login_failures::reserve(conn, &key, &ip, account, address))
            .await?)
    }

    /// The attempt was right: the account's failures are forgiven.
    pub async fn succeeded(&self, key: String) -> Result<(), AppError> {
        self.db
            .write(move |conn| login_failures::clear_account(conn, &key))
            .await?;
        Ok(())
    }

    /// A place in the hash queue (recovery codes are hashed like passwords).
    pub fn admit(&self) -> Result<crate::password::Admitted, AppError> {
        Ok(self.hasher.admit()?)
    }
}
