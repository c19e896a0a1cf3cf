#![no_main]
//! Any text given as an amount parses to a non-negative amount that prints back the same,
//! or is refused with a catalog key; it never panics.

use libfuzzer_sys::fuzz_target;
use recours::domain::money::{Currency, amount_input, parse_amount};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for currency in Currency::ALL {
        if let Ok(minor) = parse_amount(text, currency) {
            assert!(minor >= 0);
            assert_eq!(
                parse_amount(&amount_input(minor, currency), currency),
                Ok(minor)
            );
        }
    }
});
