//! A date typed as day, month and year (the GOV.UK "date input" pattern), read the way
//! people type it.
//!
//! Accepted: leading zeros or not, spaces around, a trailing dot ("1."), the month as a
//! number or as its French or English name or usual abbreviation, accents optional
//! ("fevrier", "Févr.", "sept", "August"), and a whole date typed into the day box
//! ("2/5/2024", "02.05.2024", "2024-05-02") when month and year are left empty.
//!
//! Refused: two-digit years. "09" could be 1909 or 2009 and a date that ends up on a
//! letter to a provider or a mediator must not be guessed; the message asks for four
//! digits, which costs the subscriber two key presses.

use chrono::NaiveDate;

/// One of the three boxes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatePart {
    Day,
    Month,
    Year,
}

impl DatePart {
    pub const ALL: [DatePart; 3] = [DatePart::Day, DatePart::Month, DatePart::Year];

    /// The suffix of the box's form field: `<name>-day`, `<name>-month`, `<name>-year`.
    pub fn suffix(self) -> &'static str {
        match self {
            DatePart::Day => "day",
            DatePart::Month => "month",
            DatePart::Year => "year",
        }
    }
}

/// Why the boxes do not make a date; each names the box to correct.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateError {
    /// One box left empty while others were filled.
    Missing(DatePart),
    /// A box that cannot be read (not a number in range, not a month's name).
    Invalid(DatePart),
    /// A year with fewer than four digits.
    ShortYear,
    /// Each box is fine but the day does not exist in that month (31 April).
    NotReal,
}

/// The message for a date after today: callers add it (only they know today); it belongs
/// to the whole date, so the summary links to the day box.
pub const FUTURE_KEY: &str = "date-error-future";

const ERRORS: [(DateError, &str); 8] = [
    (DateError::Missing(DatePart::Day), "date-error-day-missing"),
    (
        DateError::Missing(DatePart::Month),
        "date-error-month-missing",
    ),
    (
        DateError::Missing(DatePart::Year),
        "date-error-year-missing",
    ),
    (DateError::Invalid(DatePart::Day), "date-error-day"),
    (DateError::Invalid(DatePart::Month), "date-error-month"),
    (DateError::Invalid(DatePart::Year), "date-error-year"),
    (DateError::ShortYear, "date-error-year-short"),
    (DateError::NotReal, "date-error-real"),
];

impl DateError {
    /// The catalog key of the message.
    pub fn message_key(self) -> &'static str {
        ERRORS
            .iter()
            .find(|(e, _)| *e == self)
            .map_or("date-error-real", |(_, key)| *key)
    }

    /// The box the subscriber should correct first (the summary links to it).
    pub fn part(self) -> DatePart {
        match self {
            DateError::Missing(part) | DateError::Invalid(part) => part,
            DateError::ShortYear => DatePart::Year,
            DateError::NotReal => DatePart::Day,
        }
    }

    /// The part a message key of this module points at, for the form's links and marks.
    pub fn part_of_key(key: &str) -> Option<DatePart> {
        if key == FUTURE_KEY {
            return Some(DatePart::Day);
        }
        ERRORS
            .iter()
            .find(|(_, k)| *k == key)
            .map(|(e, _)| e.part())
    }
}

/// The three boxes as typed. `Ok(None)` when all three are empty (the caller decides
/// whether the date is required).
pub fn parse_parts(day: &str, month: &str, year: &str) -> Result<Option<NaiveDate>, DateError> {
    let (day, month, year) = (clean(day), clean(month), clean(year));
    if month.is_empty()
        && year.is_empty()
        && let Some(whole) = split_whole(&day)
    {
        return parse_parts(&whole[0], &whole[1], &whole[2]);
    }
    if day.is_empty() && month.is_empty() && year.is_empty() {
        return Ok(None);
    }
    for (text, part) in [
        (&day, DatePart::Day),
        (&month, DatePart::Month),
        (&year, DatePart::Year),
    ] {
        if text.is_empty() {
            return Err(DateError::Missing(part));
        }
    }
    let d = number(&day)
        .filter(|d| (1..=31).contains(d))
        .ok_or(DateError::Invalid(DatePart::Day))?;
    let m = number(&month)
        .or_else(|| month_named(&month))
        .filter(|m| (1..=12).contains(m))
        .ok_or(DateError::Invalid(DatePart::Month))?;
    let y = match number(&year) {
        Some(_) if year.len() < 4 => return Err(DateError::ShortYear),
        Some(y) if year.len() == 4 && y >= 1900 => y,
        _ => return Err(DateError::Invalid(DatePart::Year)),
    };
    let y = i32::try_from(y).map_err(|_| DateError::Invalid(DatePart::Year))?;
    NaiveDate::from_ymd_opt(y, m, d)
        .map(Some)
        .ok_or(DateError::NotReal)
}

/// Trimmed, lower case, without a trailing dot.
fn clean(raw: &str) -> String {
    raw.trim().trim_end_matches('.').trim().to_lowercase()
}

/// Digits only (at most four, so nothing overflows), as a number.
fn number(text: &str) -> Option<u32> {
    (!text.is_empty() && text.len() <= 4 && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// A whole date typed in the day box: day/month/year with `/`, `.`, `-` or spaces between,
/// or year-month-day when it starts with four digits.
fn split_whole(text: &str) -> Option<[String; 3]> {
    let pieces: Vec<&str> = text
        .split(|c: char| matches!(c, '/' | '.' | '-') || c.is_whitespace())
        .filter(|p| !p.is_empty())
        .collect();
    let [a, b, c] = pieces.as_slice() else {
        return None;
    };
    Some(if a.len() == 4 && number(a).is_some() {
        [c.to_string(), b.to_string(), a.to_string()]
    } else {
        [a.to_string(), b.to_string(), c.to_string()]
    })
}

/// The months' names and usual abbreviations in French and English, without accents.
const MONTH_NAMES: [&[&str]; 12] = [
    &["janvier", "janv", "january", "jan"],
    &["fevrier", "fevr", "fev", "february", "feb"],
    &["mars", "march", "mar"],
    &["avril", "avr", "april", "apr"],
    &["mai", "may"],
    &["juin", "june", "jun"],
    &["juillet", "juil", "july", "jul"],
    &["aout", "august", "aug"],
    &["septembre", "sept", "sep", "september"],
    &["octobre", "oct", "october"],
    &["novembre", "nov", "november"],
    &["decembre", "dec", "december"],
];

fn month_named(text: &str) -> Option<u32> {
    let plain: String = text.chars().map(unaccent).collect();
    MONTH_NAMES
        .iter()
        .position(|names| names.contains(&plain.as_str()))
        .map(|i| i as u32 + 1)
}

/// The accented letters of the months' French names, plain.
fn unaccent(c: char) -> char {
    match c {
        'é' | 'è' | 'ê' => 'e',
        'û' | 'ù' => 'u',
        'à' | 'â' => 'a',
        'ô' => 'o',
        other => other,
    }
}

/// A date field read from a form: the three boxes `<name>-day`, `<name>-month`,
/// `<name>-year`, or, for scripts and the API, one `<name>` field as `YYYY-MM-DD` (which
/// wins when present). `Ok(None)` when nothing was given.
pub fn read(get: &dyn Fn(&str) -> String, name: &str) -> Result<Option<NaiveDate>, DateError> {
    let whole = get(name);
    if !whole.trim().is_empty() {
        return parse_parts(&whole, "", "");
    }
    let part = |p: DatePart| get(&format!("{name}-{}", p.suffix()));
    parse_parts(
        &part(DatePart::Day),
        &part(DatePart::Month),
        &part(DatePart::Year),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn reads_what_people_type() {
        let may2 = Ok(Some(d(2024, 5, 2)));
        for (day, month, year) in [
            ("2", "5", "2024"),
            ("02", "05", "2024"),
            (" 2 ", " 5", "2024 "),
            ("2.", "5", "2024"),
            ("2", "mai", "2024"),
            ("2", "May", "2024"),
            ("2", "MAI", "2024"),
            ("2/5/2024", "", ""),
            ("02.05.2024", "", ""),
            ("2 5 2024", "", ""),
            ("2024-05-02", "", ""),
        ] {
            assert_eq!(parse_parts(day, month, year), may2, "{day}|{month}|{year}");
        }
        for (month, number) in [
            ("février", 2),
            ("fevrier", 2),
            ("Févr.", 2),
            ("août", 8),
            ("aout", 8),
            ("Sept", 9),
            ("décembre", 12),
            ("December", 12),
            ("jan", 1),
        ] {
            assert_eq!(
                parse_parts("1", month, "2025"),
                Ok(Some(d(2025, number, 1))),
                "{month}"
            );
        }
        assert_eq!(parse_parts("", "", ""), Ok(None));
        assert_eq!(parse_parts("  ", " ", ""), Ok(None));
    }

    #[test]
    fn names_the_box_to_correct() {
        use DatePart::*;
        for (day, month, year, error) in [
            ("", "5", "2024", DateError::Missing(Day)),
            ("2", "", "2024", DateError::Missing(Month)),
            ("2", "5", "", DateError::Missing(Year)),
            ("0", "5", "2024", DateError::Invalid(Day)),
            ("32", "5", "2024", DateError::Invalid(Day)),
            ("2x", "5", "2024", DateError::Invalid(Day)),
            ("-2", "5", "2024", DateError::Invalid(Day)),
            ("２", "5", "2024", DateError::Invalid(Day)),
            ("2", "13", "2024", DateError::Invalid(Month)),
            ("2", "0", "2024", DateError::Invalid(Month)),
            ("2", "maybe", "2024", DateError::Invalid(Month)),
            ("2", "5", "24", DateError::ShortYear),
            ("2", "5", "9", DateError::ShortYear),
            ("2", "5", "20245", DateError::Invalid(Year)),
            ("2", "5", "1899", DateError::Invalid(Year)),
            ("2", "5", "two", DateError::Invalid(Year)),
            ("31", "4", "2024", DateError::NotReal),
            ("29", "2", "2023", DateError::NotReal),
            ("2/5/24", "", "", DateError::ShortYear),
            ("2/5", "", "", DateError::Missing(Month)),
        ] {
            assert_eq!(
                parse_parts(day, month, year),
                Err(error),
                "{day}|{month}|{year}"
            );
        }
        assert_eq!(parse_parts("29", "2", "2024"), Ok(Some(d(2024, 2, 29))));
    }

    #[test]
    fn every_error_has_a_key_that_points_back_to_its_box() {
        for (error, key) in ERRORS {
            assert_eq!(error.message_key(), key);
            assert_eq!(DateError::part_of_key(key), Some(error.part()));
        }
        assert_eq!(DateError::part_of_key(FUTURE_KEY), Some(DatePart::Day));
        assert_eq!(DateError::part_of_key("error-required"), None);
    }

    #[test]
    fn the_whole_field_wins_over_the_boxes() {
        let form = |fields: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                fields
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map_or(String::new(), |(_, v)| v.to_string())
            }
        };
        let boxes = form(&[("on-day", "3"), ("on-month", "juin"), ("on-year", "2025")]);
        assert_eq!(read(&boxes, "on"), Ok(Some(d(2025, 6, 3))));
        let api = form(&[("on", "2024-05-02"), ("on-day", "9")]);
        assert_eq!(read(&api, "on"), Ok(Some(d(2024, 5, 2))));
        assert_eq!(read(&form(&[]), "on"), Ok(None));
    }

    proptest! {
        /// Every real date, typed with or without zeros and with its month as a number
        /// or a name in either language, reads back as itself.
        #[test]
        fn every_date_reads_back(days in 0i64..60_000, zeros: bool, named in 0usize..3) {
            let date = d(1900, 1, 1) + chrono::Duration::days(days);
            let day = if zeros { date.format("%d").to_string() } else { date.format("%-d").to_string() };
            let month = match named {
                0 => if zeros { date.format("%m").to_string() } else { date.format("%-m").to_string() },
                1 => date.format("%B").to_string(),
                _ => MONTH_NAMES[date.month0() as usize][0].to_string(),
            };
            prop_assert_eq!(parse_parts(&day, &month, &date.format("%Y").to_string()), Ok(Some(date)));
        }

        /// Whatever is typed, the parser answers without panicking, and a date it accepts
        /// is a real date with a four-digit year.
        #[test]
        fn never_panics(day in "\\PC{0,12}", month in "\\PC{0,12}", year in "\\PC{0,12}") {
            if let Ok(Some(date)) = parse_parts(&day, &month, &year) {
                prop_assert!((1900..=9999).contains(&date.year()));
            }
        }
    }
}
