//! Accounts: e-mail addresses, password policy, roles.

use super::FieldErrors;

pub const PASSWORD_MIN_CHARS: usize = 12;
pub const PASSWORD_MAX_CHARS: usize = 128;
const EMAIL_MAX_CHARS: usize = 254;

/// The most common passwords of at least 12 characters in public breach lists; a password
/// from this list is refused whatever its length.
const COMMON_PASSWORDS: &[&str] = &[
    "123456789012",
    "1234567890123",
    "12345678901234",
    "123456789123",
    "111111111111",
    "000000000000",
    "123123123123",
    "qwertyuiopas",
    "qwertyuiop123",
    "qwerty123456",
    "1q2w3e4r5t6y",
    "1qaz2wsx3edc",
    "azertyuiop12",
    "azerty123456",
    "azertyuiop123",
    "password1234",
    "password12345",
    "password123456",
    "passwordpassword",
    "motdepasse123",
    "motdepasse1234",
    "iloveyou1234",
    "abcdefghijkl",
    "abc123456789",
    "aaaaaaaaaaaa",
    "welcome12345",
    "letmein12345",
    "administrator",
    "adminadmin123",
    "football1234",
    "princess1234",
    "sunshine1234",
    "monkey123456",
    "dragon123456",
    "baseball1234",
    "superman1234",
    "trustno11234",
    "changeme1234",
    "soleil123456",
    "bonjour12345",
    "marseille123",
    "loulou123456",
    "doudou123456",
    "chouchou1234",
    "nicolas12345",
    "jetaime12345",
    "qwertyqwerty",
    "asdfghjkl123",
    "zxcvbnm12345",
    "987654321098",
];

/// The account's role. Stored as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Subscriber,
    Reviewer,
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Subscriber, Role::Reviewer, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Subscriber => "subscriber",
            Role::Reviewer => "reviewer",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Reviewers read association-only figures; admins may do everything a reviewer may.
    pub fn can_review(self) -> bool {
        matches!(self, Role::Reviewer | Role::Admin)
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

/// Checks a new password and its confirmation; errors go to `field` and `confirm_field`.
pub fn check_new_password(
    errors: &mut FieldErrors,
    field: &'static str,
    confirm_field: &'static str,
    password: &str,
    confirmation: &str,
) {
    let chars = password.chars().count();
    if chars < PASSWORD_MIN_CHARS {
        errors.add(field, "error-password-too-short");
    } else if chars > PASSWORD_MAX_CHARS {
        errors.add(field, "error-password-too-long");
    } else if is_common_password(password) {
        errors.add(field, "error-password-common");
    }
    if password != confirmation {
        errors.add(confirm_field, "error-password-mismatch");
    }
}

fn is_common_password(password: &str) -> bool {
    let lower = password.to_lowercase();
    COMMON_PASSWORDS.contains(&lower.as_str())
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
            check_new_password(&mut e, "password", "password_confirm", p, c);
            e
        };
        assert!(check("correct horse battery", "correct horse battery").is_empty());
        assert_eq!(
            check("short", "short").get("password"),
            Some("error-password-too-short")
        );
        let long = "x".repeat(129);
        assert_eq!(
            check(&long, &long).get("password"),
            Some("error-password-too-long")
        );
        assert!(check(&"x".repeat(128), &"x".repeat(128)).is_empty());
        assert_eq!(
            check("Password1234", "Password1234").get("password"),
            Some("error-password-common")
        );
        let e = check("correct horse battery", "correct horse batterie");
        assert_eq!(e.get("password"), None);
        assert_eq!(e.get("password_confirm"), Some("error-password-mismatch"));
        // Length counts characters, not bytes.
        assert_eq!(
            check("éééééééééé", "éééééééééé").get("password"),
            Some("error-password-too-short")
        );
    }

    #[test]
    fn common_list_holds_only_passwords_the_length_rule_lets_through() {
        for p in COMMON_PASSWORDS {
            assert!(p.chars().count() >= PASSWORD_MIN_CHARS, "{p}");
        }
    }

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
        assert!(
            check_registration("a@b.fr", "correct horse battery", "correct horse battery")
                .is_empty()
        );
    }
}
