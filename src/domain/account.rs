//! Accounts: e-mail addresses, password policy, roles.

use super::FieldErrors;

pub const PASSWORD_MIN_CHARS: usize = 12;
pub const PASSWORD_MAX_CHARS: usize = 128;
const EMAIL_MAX_CHARS: usize = 254;

/// zxcvbn's score from which a password is accepted: 3 means more than 10^8 guesses, which
/// holds off online guessing and slows an offline attack on the Argon2id hashes.
const MIN_STRENGTH: u8 = 3;

/// The account's role. Stored as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Subscriber,
    Reviewer,
    Admin,
    /// Staff of one provider of the directory, answering the claims sent to it.
    Provider,
}

impl Role {
    /// The roles an admin grants on the users page; `Provider` needs a provider and is
    /// given by an invitation or `recours user create --provider`.
    pub const ALL: [Role; 3] = [Role::Subscriber, Role::Reviewer, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Subscriber => "subscriber",
            Role::Reviewer => "reviewer",
            Role::Admin => "admin",
            Role::Provider => "provider",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL
            .into_iter()
            .chain([Role::Provider])
            .find(|r| r.as_str() == s)
    }

    /// Reviewers read association-only figures; admins may do everything a reviewer may.
    pub fn can_review(self) -> bool {
        matches!(self, Role::Reviewer | Role::Admin)
    }

    /// Staff, reviewers and admins see other people's cases: a password alone is not enough.
    pub fn needs_second_factor(self) -> bool {
        self != Role::Subscriber
    }
}

/// The key that makes e-mail addresses unique regardless of case.
pub fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

/// A plausible address: one `@`, something before it, a dotted domain after it, no spaces.
/// Whether it really receives mail is not ours to check here.
pub fn email_is_valid(email: &str) -> bool {
    let email = email.trim();
    if email.chars().count() > EMAIL_MAX_CHARS
        || email.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return false;
    }
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
}

/// Checks a new password and its confirmation for the account `email`; errors go to `field`
/// and `confirm_field`. Past the length rules, zxcvbn estimates how many guesses the password
/// needs, knowing the e-mail address; a weak one is refused with the reason that fits best.
pub fn check_new_password(
    errors: &mut FieldErrors,
    field: &'static str,
    confirm_field: &'static str,
    password: &str,
    confirmation: &str,
    email: &str,
) {
    let chars = password.chars().count();
    if chars < PASSWORD_MIN_CHARS {
        errors.add(field, "error-password-too-short");
    } else if chars > PASSWORD_MAX_CHARS {
        errors.add(field, "error-password-too-long");
    } else if let Some(reason) = weakness(password, email) {
        errors.add(field, reason);
    }
    if password != confirmation {
        errors.add(confirm_field, "error-password-mismatch");
    }
}

/// Why `password` is too easy to guess for the account `email` (a catalog key), or `None`.
/// zxcvbn's own feedback is English only: its warnings map onto our messages.
fn weakness(password: &str, email: &str) -> Option<&'static str> {
    use zxcvbn::feedback::Warning;
    let email = email_key(email);
    // The address and its parts (`jean.dupont`, `jean`, `dupont`, `example`).
    let mut inputs: Vec<&str> = email.split(|c: char| !c.is_alphanumeric()).collect();
    inputs.extend([email.as_str(), email.split('@').next().unwrap_or("")]);
    // Shorter parts would match by chance (`a@b.fr` and any password with an `a`).
    inputs.retain(|i| i.chars().count() >= 3);
    let estimate = zxcvbn::zxcvbn(password, &inputs);
    if u8::from(estimate.score()) >= MIN_STRENGTH {
        return None;
    }
    let lower = password.to_lowercase();
    if inputs.iter().any(|i| lower.contains(i)) {
        return Some("error-password-email");
    }
    Some(match estimate.feedback().and_then(|f| f.warning()) {
        Some(
            Warning::RepeatsLikeAaaAreEasyToGuess
            | Warning::RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess,
        ) => "error-password-repeated",
        Some(
            Warning::SequencesLikeAbcAreEasyToGuess
            | Warning::StraightRowsOfKeysAreEasyToGuess
            | Warning::ShortKeyboardPatternsAreEasyToGuess,
        ) => "error-password-sequence",
        Some(
            Warning::ThisIsATop10Password
            | Warning::ThisIsATop100Password
            | Warning::ThisIsACommonPassword
            | Warning::ThisIsSimilarToACommonlyUsedPassword,
        ) => "error-password-common",
        _ => "error-password-weak",
    })
}

/// Validates the registration form.
pub fn check_registration(email: &str, password: &str, confirmation: &str) -> FieldErrors {
    let mut errors = FieldErrors::default();
    if email.trim().is_empty() {
        errors.add("email", "error-required");
    } else if !email_is_valid(email) {
        errors.add("email", "error-email-invalid");
    }
    check_new_password(
        &mut errors,
        "password",
        "password_confirm",
        password,
        confirmation,
        email,
    );
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_keys_ignore_case_and_spaces() {
        assert_eq!(email_key("  Alice@Example.ORG "), "alice@example.org");
    }

    #[test]
    fn emails() {
        for ok in [
            "a@b.fr",
            "first.last+tag@mail.example.com",
            "  padded@x.org ",
        ] {
            assert!(email_is_valid(ok), "{ok}");
        }
        for bad in [
            "", "plain", "@x.fr", "a@", "a@b", "a@@b.fr", "a b@c.fr", "a@.fr", "a@b.", "a@b..fr",
        ] {
            assert!(!email_is_valid(bad), "{bad}");
        }
        assert!(!email_is_valid(&format!("{}@x.fr", "a".repeat(260))));
    }

    #[test]
    fn password_policy() {
        let check = |p: &str, c: &str| {
            let mut e = FieldErrors::default();
            check_new_password(
                &mut e,
                "password",
                "password_confirm",
                p,
                c,
                "jean.dupont@example.org",
            );
            e
        };
        assert!(check(STRONG, STRONG).is_empty());
        assert_eq!(
            check("short", "short").get("password"),
            Some("error-password-too-short")
        );
        let long = "x".repeat(129);
        assert_eq!(
            check(&long, &long).get("password"),
            Some("error-password-too-long")
        );
        for (weak, why) in [
            ("            ", "error-password-repeated"),
            ("aaaaaaaaaaaaa", "error-password-repeated"),
            ("Password1234!", "error-password-common"),
            ("azertyuiop1234", "error-password-common"),
            ("abcdefghijklmnop", "error-password-sequence"),
            ("jean.dupont@example.org", "error-password-email"),
            ("jean.dupont2026", "error-password-email"),
        ] {
            assert_eq!(check(weak, weak).get("password"), Some(why), "{weak:?}");
        }
        // zxcvbn finds two equally good explanations for this one and picks either.
        let digits = check("1234567890123456", "1234567890123456");
        assert!(
            matches!(
                digits.get("password"),
                Some("error-password-sequence" | "error-password-common")
            ),
            "{digits:?}"
        );
        let e = check(STRONG, "correct horse batterie");
        assert_eq!(e.get("password"), None);
        assert_eq!(e.get("password_confirm"), Some("error-password-mismatch"));
        // Length counts characters, not bytes.
        assert_eq!(
            check("éééééééééé", "éééééééééé").get("password"),
            Some("error-password-too-short")
        );
    }

    const STRONG: &str = "violet kettle under 9 moons";

    #[test]
    fn roles_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
        assert!(Role::Admin.can_review() && Role::Reviewer.can_review());
        assert!(!Role::Subscriber.can_review());
    }

    #[test]
    fn registration() {
        let e = check_registration("", "x", "y");
        assert_eq!(e.get("email"), Some("error-required"));
        assert!(check_registration("a@b.fr", STRONG, STRONG).is_empty());
    }
}
