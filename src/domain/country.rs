//! The subscriber's country of residence: it chooses the escalation ladder the claim follows.

use super::FieldErrors;

choices!(
    /// Countries offered at registration and on the account page, as ISO 3166-1 alpha-2 codes.
    /// Stored as text. The list is the countries whose residents the portal expects; anyone
    /// else picks "other" and follows the generic ladder.
    Country {
        Fr = "FR",
        Be = "BE",
        Lu = "LU",
        Ch = "CH",
        Mc = "MC",
        Ma = "MA",
        Tn = "TN",
        Dz = "DZ",
        Gb = "GB",
        Other = "ZZ",
    }
);

impl Country {
    /// Accounts made before the field existed, and clients that do not send it, are in France.
    pub const DEFAULT: Country = Country::Fr;
}

/// Reads the `country` field: absent means the default (clients that predate the field);
/// present, it must be one of the list, else a field error.
pub fn read(errors: &mut FieldErrors, field: &'static str, typed: Option<&str>) -> Country {
    match typed {
        None => Country::DEFAULT,
        Some(code) => Country::parse(code.trim()).unwrap_or_else(|| {
            errors.add(field, "error-country-unknown");
            Country::DEFAULT
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listed_code_is_read_and_anything_else_is_an_error() {
        let mut errors = FieldErrors::default();
        assert_eq!(read(&mut errors, "country", Some("MA")), Country::Ma);
        assert_eq!(read(&mut errors, "country", None), Country::Fr);
        assert!(errors.is_empty());
        for bad in ["", "ma", "XX", "FRA"] {
            let mut errors = FieldErrors::default();
            read(&mut errors, "country", Some(bad));
            assert_eq!(
                errors.get("country"),
                Some("error-country-unknown"),
                "{bad:?}"
            );
        }
    }
}
