//! The second factor of staff, reviewer and admin accounts: time-based one-time codes
//! (RFC 6238: HMAC-SHA1, 6 digits, 30-second steps) and single-use recovery codes.

use totp_rs::{Builder, Secret, Totp};

/// Recovery codes given at enrolment and at each renewal.
pub const RECOVERY_CODES: usize = 10;
/// Letters and digits of a recovery code: no 0/o, 1/l/i, which read alike.
const RECOVERY_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
const RECOVERY_LEN: usize = 10;
/// The name an authenticator app shows beside the account.
const ISSUER: &str = "Recours";

/// What a code field held, once spaces and dashes are gone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Typed {
    /// Six digits: the authenticator's code.
    Totp(String),
    /// Ten letters or digits: a recovery code, lower-cased.
    Recovery(String),
    Malformed,
}

/// Reads a code as typed, forgiving the spaces and dashes apps and print-outs add.
pub fn read_code(input: &str) -> Typed {
    let code: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect::<String>()
        .to_lowercase();
    if code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()) {
        Typed::Totp(code)
    } else if code.len() == RECOVERY_LEN && code.bytes().all(|b| RECOVERY_ALPHABET.contains(&b)) {
        Typed::Recovery(code)
    } else {
        Typed::Malformed
    }
}

/// Why an authenticator code was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Wrong,
    /// Right, but its step was already used: a code seen once (over a shoulder, in a proxy's
    /// log) cannot log in again.
    Replayed,
}

/// A secret's generator, with `account` as the label apps show.
fn totp(secret_base32: &str, account: &str) -> Option<Totp> {
    let secret = Secret::try_from_base32(secret_base32).ok()?;
    Builder::new()
        .with_secret(secret.as_bytes().to_vec())
        .with_account_name(account.replace(':', ""))
        .with_issuer(Some(ISSUER))
        .build()
        .ok()
}

/// A new secret of 20 random bytes (160 bits, RFC 4226's recommendation), in base32.
pub fn new_secret(random: [u8; 20]) -> String {
    Secret::from(random).to_base32()
}

/// The `otpauth://` address an authenticator app reads from the QR code.
pub fn otpauth_url(secret_base32: &str, account: &str) -> Option<String> {
    totp(secret_base32, account)?.to_url().ok()
}

/// Checks `code` at `unix_secs`, allowing one step of clock drift either way. Answers the
/// step it matched, which must be later than `last_step`, the last one accepted.
pub fn check(
    secret_base32: &str,
    code: &str,
    unix_secs: u64,
    last_step: Option<i64>,
) -> Result<i64, Refusal> {
    let step = totp(secret_base32, "")
        .and_then(|t| t.check(code, unix_secs))
        .ok_or(Refusal::Wrong)? as i64;
    match last_step {
        Some(last) if step <= last => Err(Refusal::Replayed),
        _ => Ok(step),
    }
}

/// A recovery code from random bytes, shown as two groups of five.
pub fn recovery_code(random: [u8; RECOVERY_LEN]) -> String {
    let chars: String = random
        .iter()
        .map(|b| RECOVERY_ALPHABET[*b as usize % RECOVERY_ALPHABET.len()] as char)
        .collect();
    format!("{}-{}", &chars[..5], &chars[5..])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238's SHA-1 test key, "12345678901234567890".
    const RFC_SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    /// The code an app shows at `unix_secs`.
    fn code_at(secret_base32: &str, unix_secs: u64) -> Option<String> {
        Some(totp(secret_base32, "")?.generate(unix_secs).to_string())
    }

    fn step_of(unix_secs: u64) -> i64 {
        (unix_secs / 30) as i64
    }

    #[test]
    fn codes_match_rfc_6238() {
        // Appendix B gives 8 digits; the 6 shown are their last six.
        assert_eq!(code_at(RFC_SECRET, 59).unwrap(), "287082");
        assert_eq!(code_at(RFC_SECRET, 1_111_111_109).unwrap(), "081804");
        assert_eq!(code_at(RFC_SECRET, 2_000_000_000).unwrap(), "279037");
    }

    #[test]
    fn one_step_of_drift_either_way_is_accepted_not_two() {
        let now = 1_800_000_015;
        let at = |secs: u64| code_at(RFC_SECRET, secs).unwrap();
        assert_eq!(check(RFC_SECRET, &at(now), now, None), Ok(step_of(now)));
        assert_eq!(
            check(RFC_SECRET, &at(now - 30), now, None),
            Ok(step_of(now) - 1)
        );
        assert_eq!(
            check(RFC_SECRET, &at(now + 30), now, None),
            Ok(step_of(now) + 1)
        );
        assert_eq!(
            check(RFC_SECRET, &at(now - 60), now, None),
            Err(Refusal::Wrong)
        );
        assert_eq!(
            check(RFC_SECRET, &at(now + 60), now, None),
            Err(Refusal::Wrong)
        );
    }

    #[test]
    fn a_step_is_accepted_once() {
        let now = 1_800_000_015;
        let code = code_at(RFC_SECRET, now).unwrap();
        let step = check(RFC_SECRET, &code, now, None).unwrap();
        assert_eq!(
            check(RFC_SECRET, &code, now, Some(step)),
            Err(Refusal::Replayed)
        );
        // An older code, still within the drift, is no better.
        let before = code_at(RFC_SECRET, now - 30).unwrap();
        assert_eq!(
            check(RFC_SECRET, &before, now, Some(step)),
            Err(Refusal::Replayed)
        );
        let next = code_at(RFC_SECRET, now + 30).unwrap();
        assert_eq!(check(RFC_SECRET, &next, now, Some(step)), Ok(step + 1));
    }

    #[test]
    fn a_broken_secret_refuses_every_code() {
        assert_eq!(
            check("not base32!", "123456", 59, None),
            Err(Refusal::Wrong)
        );
    }

    #[test]
    fn typed_codes_are_read_forgivingly() {
        assert_eq!(read_code(" 287 082 "), Typed::Totp("287082".into()));
        assert_eq!(
            read_code("ABCDE-fghjk"),
            Typed::Recovery("abcdefghjk".into())
        );
        for bad in [
            "",
            "12345",
            "1234567",
            "abcde-fghj1",
            "28708x",
            "abcdefghjkm",
        ] {
            assert_eq!(read_code(bad), Typed::Malformed, "{bad:?}");
        }
    }

    #[test]
    fn recovery_codes_read_back_as_recovery_codes() {
        let code = recovery_code([0, 7, 30, 31, 62, 100, 200, 255, 128, 64]);
        assert_eq!(code.len(), RECOVERY_LEN + 1);
        assert_eq!(read_code(&code), Typed::Recovery(code.replace('-', "")));
    }

    #[test]
    fn the_app_address_names_the_issuer_and_the_account() {
        let url = otpauth_url(RFC_SECRET, "ana@example.org").unwrap();
        assert!(
            url.starts_with("otpauth://totp/Recours:ana%40example.org?"),
            "{url}"
        );
        assert!(
            url.contains("secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"),
            "{url}"
        );
        assert!(url.contains("issuer=Recours"), "{url}");
    }
}
