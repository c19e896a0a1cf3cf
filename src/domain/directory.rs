//! The provider directory as a data file (`directory/providers.csv`, shipped in the binary):
//! one provider a line, checked whole before anything is loaded.

use std::collections::{HashMap, HashSet};

use super::FieldErrors;
use super::provider::{ProviderInput, validate};

/// The directory the repository ships; an empty installation is filled from it.
pub const SHIPPED: &str = include_str!("../../directory/providers.csv");

/// The header line, in this order.
pub const COLUMNS: [&str; 8] = [
    "slug",
    "name",
    "country",
    "network",
    "website",
    "subscribers",
    "subscribers_as_of",
    "subscribers_source",
];

/// What is wrong with one line of the file (line 1 is the header).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub line: u64,
    pub problem: Problem,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Not the expected header.
    Header,
    /// Not CSV, or not UTF-8.
    Unreadable(String),
    /// A line with another number of fields than the header.
    FieldCount { found: usize },
    /// The entry's own fields (catalog keys per field).
    Fields(FieldErrors),
    /// The slug is already on an earlier line.
    DuplicateSlug { first_line: u64 },
    /// The network is neither in the file nor in the directory.
    UnknownNetwork(String),
}

/// Every entry of `text`, or every line that is wrong. `known` tells whether a slug is
/// already in the directory (a network may point at it).
pub fn parse(
    text: &str,
    known: &dyn Fn(&str) -> bool,
) -> Result<Vec<ProviderInput>, Vec<LineError>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let mut errors = Vec::new();
    let mut entries: Vec<(u64, ProviderInput)> = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    for (i, record) in reader.records().enumerate() {
        let line = record
            .as_ref()
            .ok()
            .and_then(|r| r.position())
            .map_or(i as u64 + 1, |p| p.line());
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(line, |p| p.line());
                errors.push(LineError {
                    line,
                    problem: Problem::Unreadable(e.to_string()),
                });
                break;
            }
        };
        if i == 0 {
            if record.iter().map(str::trim).ne(COLUMNS) {
                errors.push(LineError {
                    line,
                    problem: Problem::Header,
                });
                break;
            }
            continue;
        }
        if record.len() != COLUMNS.len() {
            errors.push(LineError {
                line,
                problem: Problem::FieldCount {
                    found: record.len(),
                },
            });
            continue;
        }
        let get = |name: &str| {
            COLUMNS
                .iter()
                .position(|c| *c == name)
                .and_then(|i| record.get(i))
                .unwrap_or("")
                .to_string()
        };
        match validate(&get) {
            Err(e) => errors.push(LineError {
                line,
                problem: Problem::Fields(e),
            }),
            Ok(entry) => {
                if let Some(first_line) = seen.get(&entry.slug) {
                    errors.push(LineError {
                        line,
                        problem: Problem::DuplicateSlug {
                            first_line: *first_line,
                        },
                    });
                } else {
                    seen.insert(entry.slug.clone(), line);
                    entries.push((line, entry));
                }
            }
        }
    }
    let in_file: HashSet<&str> = entries.iter().map(|(_, e)| e.slug.as_str()).collect();
    for (line, entry) in &entries {
        if let Some(network) = &entry.network
            && !in_file.contains(network.as_str())
            && !known(network)
        {
            errors.push(LineError {
                line: *line,
                problem: Problem::UnknownNetwork(network.clone()),
            });
        }
    }
    if errors.is_empty() {
        Ok(entries.into_iter().map(|(_, e)| e).collect())
    } else {
        errors.sort_by_key(|e| e.line);
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str =
        "slug,name,country,network,website,subscribers,subscribers_as_of,subscribers_source\n";

    fn nothing_known(_: &str) -> bool {
        false
    }

    #[test]
    fn the_shipped_directory_is_valid() {
        let entries = parse(SHIPPED, &nothing_known).expect("directory/providers.csv is valid");
        assert!(entries.len() >= 15, "{} entries", entries.len());
        for country in ["FR", "MA", "TN", "DZ"] {
            assert!(
                entries.iter().any(|e| e.country == country),
                "no provider for {country}"
            );
        }
        // A count is never shipped without its date and source.
        for e in &entries {
            if e.subscribers.is_some() {
                assert!(
                    e.subscribers_as_of.is_some() && e.subscribers_source.is_some(),
                    "{} has a count without its date or source",
                    e.slug
                );
            }
        }
    }

    #[test]
    fn entries_with_a_reseller() {
        let text = format!(
            "{HEADER}wana,Wana,MA,,https://www.inwi.ma,,,\nkleema,Kleema,FR,wana,,50000,2009-09,\"Kleema, interview\"\n"
        );
        let entries = parse(&text, &nothing_known).unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[1].network.as_deref(), Some("wana"));
        assert_eq!(entries[1].subscribers, Some(50_000));
        assert_eq!(
            entries[1].subscribers_source.as_deref(),
            Some("Kleema, interview")
        );
    }

    #[test]
    fn each_wrong_line_is_named() {
        let text = format!(
            "{HEADER}wana,Wana,MA,,,,,\nwana,Wana again,MA,,,,,\nbad,Bad,FR,,,-3,,\nshort,Short,FR\nlost,Lost,FR,nowhere,,,,\n"
        );
        let errors = parse(&text, &nothing_known).unwrap_err();
        let lines: Vec<(u64, &Problem)> = errors.iter().map(|e| (e.line, &e.problem)).collect();
        assert_eq!(lines[0], (3, &Problem::DuplicateSlug { first_line: 2 }));
        assert_eq!(lines[1].0, 4);
        assert!(
            matches!(lines[1].1, Problem::Fields(f) if f.get("subscribers") == Some("error-subscribers-invalid"))
        );
        assert_eq!(lines[2], (5, &Problem::FieldCount { found: 3 }));
        assert_eq!(
            lines[3],
            (6, &Problem::UnknownNetwork("nowhere".to_string()))
        );
        // A network already in the directory is fine.
        let text = format!("{HEADER}lost,Lost,FR,nowhere,,,,\n");
        assert!(parse(&text, &|s| s == "nowhere").is_ok());
    }

    #[test]
    fn a_broken_file_is_refused() {
        assert_eq!(
            parse("name,slug\n", &nothing_known).unwrap_err()[0],
            LineError {
                line: 1,
                problem: Problem::Header
            }
        );
        let errors = parse(&format!("{HEADER}a,\"unclosed,FR,,,,,\n"), &nothing_known);
        assert!(errors.is_err());
    }
}
