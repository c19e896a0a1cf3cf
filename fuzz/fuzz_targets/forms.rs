#![no_main]
//! A form body as a browser (or an attacker) sends it: decoded, then validated as a
//! complaint and as a claim move. Refused or accepted, never a panic.

use libfuzzer_sys::fuzz_target;
use recours::domain::{claim, complaint};
use recours::web::csrf::PostForm;

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    let Some(form) = PostForm::parse(body) else {
        return;
    };
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
    let get = |name: &str| form.get(name).to_string();
    if let Ok(draft) = complaint::validate(&get, today) {
        assert!(draft.amount_claimed.is_none_or(|a| a > 0));
    }
    let _ = claim::parse_action(&get, None, 8900, today);
});
