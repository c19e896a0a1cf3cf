#![no_main]
//! Dates and months from forms and query strings: parsed or refused, never a panic, and a
//! parsed date prints back as what was typed.

use libfuzzer_sys::fuzz_target;
use recours::domain::complaint::parse_date;
use recours::domain::tally::parse_month;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(date) = parse_date(text) {
        assert_eq!(date.to_string(), text.trim());
    }
    if let Some(month) = parse_month(text) {
        assert_eq!(month, text);
    }
});
