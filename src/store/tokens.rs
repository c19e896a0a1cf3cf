//! One-time tokens sent by e-mail (address verification, password reset, e-mail change):
//! 256 random bits, of which only the SHA-256 is stored; each works once, until it expires.

use base64::Engine;
use chrono::Duration;
use diesel::prelude::*;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::db::DbConnection;
use crate::db::schema::mail_tokens;
use crate::store::StoreError;

/// What a token lets its holder do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Verify,
    Reset,
    EmailChange,
    /// A provider's new staff member sets a first password.
    Invite,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::Verify => "verify",
            Purpose::Reset => "reset",
            Purpose::EmailChange => "email-change",
            Purpose::Invite => "invite",
        }
    }

    /// How long a token stays usable.
    pub fn lifetime(self) -> Duration {
        match self {
            Purpose::Reset => Duration::hours(1),
            Purpose::Verify | Purpose::EmailChange => Duration::days(2),
            Purpose::Invite => Duration::days(7),
        }
    }
}

/// What a valid token stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub user_id: String,
    pub new_email: Option<String>,
}

/// A fresh random token, as it goes into a link: URL-safe, 43 characters.
pub fn random() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn digest(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Creates a token for `user_id`, inside the caller's transaction; earlier tokens of the
/// same purpose for that account stop working. Returns the token itself (only the e-mail
/// ever holds it).
pub fn create(
    conn: &mut DbConnection,
    purpose: Purpose,
    user_id: &str,
    new_email: Option<&str>,
) -> Result<String, StoreError> {
    let token = random();
    let now = super::now();
    diesel::delete(
        mail_tokens::table
            .filter(mail_tokens::user_id.eq(user_id))
            .filter(mail_tokens::purpose.eq(purpose.as_str())),
    )
    .execute(conn)?;
    diesel::insert_into(mail_tokens::table)
        .values((
            mail_tokens::token_hash.eq(digest(&token)),
            mail_tokens::purpose.eq(purpose.as_str()),
            mail_tokens::user_id.eq(user_id),
            mail_tokens::new_email.eq(new_email),
            mail_tokens::expires_at.eq(now + purpose.lifetime()),
            mail_tokens::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(token)
}

/// The purposes whose link leads to the page that sets a password.
pub const SETS_PASSWORD: [Purpose; 2] = [Purpose::Reset, Purpose::Invite];

/// The first of `purposes` the token is valid for, and what it grants. Uses nothing.
pub fn peek_any(
    conn: &mut DbConnection,
    purposes: &[Purpose],
    token: &str,
) -> Result<Option<(Purpose, Grant)>, StoreError> {
    for &purpose in purposes {
        if let Some(grant) = peek(conn, purpose, token)? {
            return Ok(Some((purpose, grant)));
        }
    }
    Ok(None)
}

/// What the token grants, if it is known, of this purpose and not expired. Uses nothing.
pub fn peek(
    conn: &mut DbConnection,
    purpose: Purpose,
    token: &str,
) -> Result<Option<Grant>, StoreError> {
    Ok(mail_tokens::table
        .find(digest(token))
        .filter(mail_tokens::purpose.eq(purpose.as_str()))
        .filter(mail_tokens::expires_at.gt(super::now()))
        .select((mail_tokens::user_id, mail_tokens::new_email))
        .first::<(String, Option<String>)>(conn)
        .optional()?
        .map(|(user_id, new_email)| Grant { user_id, new_email }))
}

/// Uses the token, inside the caller's write transaction: what it granted, or `None` when
/// it is unknown, used, expired or of another purpose. Deleting it is what makes it single
/// use: of two requests racing with it, one deletes the row and the other finds nothing.
pub fn consume(
    conn: &mut DbConnection,
    purpose: Purpose,
    token: &str,
) -> Result<Option<Grant>, StoreError> {
    let Some(grant) = peek(conn, purpose, token)? else {
        return Ok(None);
    };
    let n = diesel::delete(mail_tokens::table.find(digest(token))).execute(conn)?;
    Ok((n == 1).then_some(grant))
}

#[cfg(test)]
mod tests {
    #[test]
    fn tokens_are_long_random_and_only_their_digest_is_kept() {
        let a = super::random();
        assert_eq!(a.len(), 43);
        assert_ne!(a, super::random());
        assert_eq!(super::digest(&a).len(), 64);
        assert_ne!(super::digest(&a), a);
    }
}
