//! Money: integer minor units plus an ISO 4217 currency; never floating point.

/// The currencies this audience uses most. TND has three minor digits (millimes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Currency {
    Eur,
    Mad,
    Tnd,
    Dzd,
    Usd,
    Cad,
    Gbp,
}

/// More than any telecom refund: a typo, not a claim.
const MAX_MAJOR_UNITS: i64 = 10_000_000;

impl Currency {
    pub const ALL: [Currency; 7] = [
        Currency::Eur,
        Currency::Mad,
        Currency::Tnd,
        Currency::Dzd,
        Currency::Usd,
        Currency::Cad,
        Currency::Gbp,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Currency::Eur => "EUR",
            Currency::Mad => "MAD",
            Currency::Tnd => "TND",
            Currency::Dzd => "DZD",
            Currency::Usd => "USD",
            Currency::Cad => "CAD",
            Currency::Gbp => "GBP",
        }
    }

    pub fn parse(code: &str) -> Option<Currency> {
        let code = code.trim();
        Currency::ALL
            .into_iter()
            .find(|c| c.code().eq_ignore_ascii_case(code))
    }

    pub fn minor_digits(self) -> u32 {
        match self {
            Currency::Tnd => 3,
            _ => 2,
        }
    }

    fn scale(self) -> i64 {
        10_i64.pow(self.minor_digits())
    }
}

/// Parses an amount as people type it (`89`, `89.5`, `89.50`, the French `89,50`, spaces
/// between thousands) into minor units. The error is a catalog key.
pub fn parse_amount(input: &str, currency: Currency) -> Result<i64, &'static str> {
    let cleaned: String = input
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .collect();
    if cleaned.is_empty() {
        return Err("error-required");
    }
    if cleaned.starts_with('-') {
        return Err("error-amount-negative");
    }
    let (whole, fraction) = match cleaned.find(['.', ',']) {
        Some(at) => (&cleaned[..at], &cleaned[at + 1..]),
        None => (cleaned.as_str(), ""),
    };
    let digits_only = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() || !digits_only(whole) || !digits_only(fraction) {
        return Err("error-amount-invalid");
    }
    if cleaned.ends_with(['.', ',']) {
        return Err("error-amount-invalid");
    }
    if fraction.len() > currency.minor_digits() as usize {
        return Err("error-amount-precision");
    }
    if whole.len() > 12 {
        return Err("error-amount-too-large");
    }
    let major: i64 = whole.parse().map_err(|_| "error-amount-invalid")?;
    if major > MAX_MAJOR_UNITS {
        return Err("error-amount-too-large");
    }
    let mut minor_text = fraction.to_string();
    while minor_text.len() < currency.minor_digits() as usize {
        minor_text.push('0');
    }
    let minor: i64 = if minor_text.is_empty() {
        0
    } else {
        minor_text.parse().map_err(|_| "error-amount-invalid")?
    };
    Ok(major * currency.scale() + minor)
}

/// `89.50 EUR` in English, `89,50 EUR` in French.
pub fn format_amount(minor: i64, currency: Currency, french: bool) -> String {
    let scale = currency.scale();
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    let major = abs / scale as u64;
    let rest = abs % scale as u64;
    let separator = if french { ',' } else { '.' };
    let digits = currency.minor_digits() as usize;
    format!(
        "{sign}{major}{separator}{rest:0digits$} {}",
        currency.code()
    )
}

/// The amount as typed back into a form field (`89.50`).
pub fn amount_input(minor: i64, currency: Currency) -> String {
    let scale = currency.scale();
    let digits = currency.minor_digits() as usize;
    format!("{}.{:0digits$}", minor / scale, (minor % scale).abs())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn amounts_as_people_type_them() {
        let eur = Currency::Eur;
        assert_eq!(parse_amount("89", eur), Ok(8900));
        assert_eq!(parse_amount("89.5", eur), Ok(8950));
        assert_eq!(parse_amount("89.50", eur), Ok(8950));
        assert_eq!(parse_amount("89,50", eur), Ok(8950));
        assert_eq!(parse_amount(" 1 234,56 ", eur), Ok(123_456));
        assert_eq!(parse_amount("0", eur), Ok(0));
        assert_eq!(parse_amount("12.345", Currency::Tnd), Ok(12_345));
        assert_eq!(parse_amount("12.5", Currency::Tnd), Ok(12_500));
    }

    #[test]
    fn bad_amounts_say_why() {
        let eur = Currency::Eur;
        assert_eq!(parse_amount("", eur), Err("error-required"));
        assert_eq!(parse_amount("   ", eur), Err("error-required"));
        assert_eq!(parse_amount("-5", eur), Err("error-amount-negative"));
        for bad in [
            "abc", "1.2.3", "1,2,3", ".5", "5.", "1e5", "€5", "5€", "0x10", "+5",
        ] {
            assert_eq!(parse_amount(bad, eur), Err("error-amount-invalid"), "{bad}");
        }
        assert_eq!(parse_amount("89.505", eur), Err("error-amount-precision"));
        assert_eq!(
            parse_amount("99999999999", eur),
            Err("error-amount-too-large")
        );
        assert_eq!(
            parse_amount(&"9".repeat(40), eur),
            Err("error-amount-too-large")
        );
    }

    #[test]
    fn currencies() {
        assert_eq!(Currency::parse(" eur "), Some(Currency::Eur));
        assert_eq!(Currency::parse("XYZ"), None);
        for c in Currency::ALL {
            assert_eq!(Currency::parse(c.code()), Some(c));
        }
        assert_eq!(format_amount(8950, Currency::Eur, false), "89.50 EUR");
        assert_eq!(format_amount(8950, Currency::Eur, true), "89,50 EUR");
        assert_eq!(format_amount(5, Currency::Tnd, false), "0.005 TND");
        assert_eq!(amount_input(8905, Currency::Eur), "89.05");
    }

    proptest! {
        #[test]
        fn formatting_then_parsing_gives_the_amount_back(minor in 0i64..1_000_000_000, c in 0usize..7, french: bool) {
            let currency = Currency::ALL[c];
            let text = format_amount(minor, currency, french);
            let number = text.split(' ').next().unwrap();
            prop_assert_eq!(parse_amount(number, currency), Ok(minor));
            prop_assert_eq!(parse_amount(&amount_input(minor, currency), currency), Ok(minor));
        }

        #[test]
        fn any_text_parses_or_is_refused_without_panicking(s in "\\PC{0,30}") {
            if let Ok(v) = parse_amount(&s, Currency::Eur) {
                prop_assert!(v >= 0);
            }
        }
    }
}
