//! Strict query strings for the public routes: each route names the parameters it takes and
//! which of them take several values; anything else, a repeated single value or an empty
//! value is refused, naming the parameter, rather than silently dropping a filter.

use std::collections::BTreeMap;

use rocket::http::uri::Origin;

/// One parameter a route takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spec {
    pub name: &'static str,
    /// Several values, given by repeating the parameter (`?kind=a&kind=b`).
    pub multi: bool,
}

pub const fn one(name: &'static str) -> Spec {
    Spec { name, multi: false }
}

pub const fn many(name: &'static str) -> Spec {
    Spec { name, multi: true }
}

/// What is wrong with a query string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A parameter the route does not take.
    Unknown,
    /// A parameter that takes one value, given twice.
    Repeated,
    /// `name=` with nothing after it.
    Empty,
    /// A value the parameter does not accept; the catalog key says why.
    Invalid(&'static str),
}

/// A refused query string: the parameter at fault (as sent) and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamError {
    pub name: String,
    pub problem: Problem,
}

impl ParamError {
    pub fn invalid(name: &str, key: &'static str) -> ParamError {
        ParamError {
            name: name.to_string(),
            problem: Problem::Invalid(key),
        }
    }

    /// The catalog key of the message shown on a page (it takes `$name`).
    pub fn message_key(&self) -> &'static str {
        match self.problem {
            Problem::Unknown => "error-param-unknown",
            Problem::Repeated => "error-param-repeated",
            Problem::Empty => "error-param-empty",
            Problem::Invalid(key) => key,
        }
    }

    /// The message for API clients and CSV downloads, in English like the rest of the API.
    pub fn plain(&self) -> String {
        let name = &self.name;
        match self.problem {
            Problem::Unknown => format!("{name}: this parameter is not taken here"),
            Problem::Repeated => format!("{name}: this parameter takes one value, given once"),
            Problem::Empty => format!("{name}: the value is empty; leave the parameter out"),
            Problem::Invalid(key) => format!("{name}: {}", invalid_plain(key)),
        }
    }
}

fn invalid_plain(key: &str) -> &'static str {
    match key {
        "error-month-invalid" => "a month written YYYY-MM, year 1900 or later",
        "error-period-order" => "from must not be after to",
        "error-country-invalid" => "a two-letter ISO 3166 country code",
        "error-choice" => "not one of the values the document lists",
        "error-slug-invalid" => "a provider's slug: 2 to 40 of a-z, 0-9 and -",
        "error-network-invalid" => "a network operator's slug: 2 to 40 of a-z, 0-9 and -",
        "error-period-invalid" => "last-12-months is the one named period",
        "error-period-conflict" => "a named period is given without from and to",
        "error-sort-invalid" => "a column of the table, after '-' for largest first",
        "error-cursor-invalid" => "the id of a complaint: 16 of 0-9 and a-f",
        "error-size-invalid" => "a whole number from 1 to 1000",
        _ => "not a value this parameter takes",
    }
}

/// Whether an empty value is refused, or left out as if absent (the statistics pages' own
/// GET form sends every field, the empty ones too).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Empty {
    Refuse,
    Skip,
}

/// The values of the query string by parameter, in the order they came, checked against
/// `specs`.
pub fn parse(
    uri: &Origin<'_>,
    specs: &[Spec],
    empty: Empty,
) -> Result<BTreeMap<&'static str, Vec<String>>, ParamError> {
    let mut out: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    let Some(query) = uri.query() else {
        return Ok(out);
    };
    for (name, value) in query.segments() {
        let refused = |problem| ParamError {
            name: name.to_string(),
            problem,
        };
        let spec = specs
            .iter()
            .find(|s| s.name == name)
            .ok_or_else(|| refused(Problem::Unknown))?;
        if value.is_empty() {
            match empty {
                Empty::Refuse => return Err(refused(Problem::Empty)),
                Empty::Skip => continue,
            }
        }
        let values = out.entry(spec.name).or_default();
        if !spec.multi && !values.is_empty() {
            return Err(refused(Problem::Repeated));
        }
        values.push(value.to_string());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPECS: &[Spec] = &[one("from"), many("kind")];

    fn run(q: &str, empty: Empty) -> Result<BTreeMap<&'static str, Vec<String>>, ParamError> {
        parse(&Origin::parse(q).unwrap(), SPECS, empty)
    }

    fn problem(q: &str) -> (String, Problem) {
        let e = run(q, Empty::Refuse).unwrap_err();
        (e.name, e.problem)
    }

    #[test]
    fn strict_about_names_repeats_and_empties() {
        assert_eq!(run("/s", Empty::Refuse).unwrap().len(), 0);
        let ok = run("/s?from=2026-01&kind=a&kind=b%20c", Empty::Refuse).unwrap();
        assert_eq!(ok["from"], ["2026-01"]);
        assert_eq!(ok["kind"], ["a", "b c"]);
        assert_eq!(
            problem("/s?from=1&from=2"),
            ("from".into(), Problem::Repeated)
        );
        assert_eq!(problem("/s?from=1&from="), ("from".into(), Problem::Empty));
        assert_eq!(problem("/s?to=1"), ("to".into(), Problem::Unknown));
        assert_eq!(problem("/s?kind"), ("kind".into(), Problem::Empty));
        assert_eq!(problem("/s?Kind=a"), ("Kind".into(), Problem::Unknown));
        let skipped = run("/s?from=&kind=&kind=a", Empty::Skip).unwrap();
        assert_eq!(skipped.get("from"), None);
        assert_eq!(skipped["kind"], ["a"]);
        assert_eq!(
            run("/s?from=&from=1&from=2", Empty::Skip)
                .unwrap_err()
                .problem,
            Problem::Repeated
        );
    }
}
