//! The provider directory: what a valid entry is.

use super::FieldErrors;

/// A provider as an admin enters it (web form or `recours provider add`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProviderInput {
    pub slug: String,
    pub name: String,
    pub country: String,
    pub website: Option<String>,
    pub subscribers: Option<i64>,
    /// The slug of the operator whose network this provider resells.
    pub network: Option<String>,
    /// When the declared count was true (`YYYY-MM` or `YYYY-MM-DD`) and who published it.
    pub subscribers_as_of: Option<String>,
    pub subscribers_source: Option<String>,
}

/// Listed providers are `approved`; a name a subscriber typed is `pending` until an admin
/// approves it or merges it into an existing entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Approved,
    Pending,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Approved => "approved",
            Status::Pending => "pending",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        [Status::Approved, Status::Pending]
            .into_iter()
            .find(|x| x.as_str() == s)
    }
}

pub fn slug_is_valid(slug: &str) -> bool {
    (2..=40).contains(&slug.len())
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
}

/// The slug of the public line that sums every provider not reviewed yet; no provider
/// may take it.
pub const PENDING_SLUG: &str = "pending";

/// A slug from a name: `Orange Maroc` -> `orange-maroc`; accents dropped.
pub fn slugify(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars().flat_map(fold_accent) {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug: String = slug.trim_end_matches('-').chars().take(32).collect();
    let slug = slug.trim_end_matches('-').to_string();
    if slug.len() < 2 {
        "provider".to_string()
    } else {
        slug
    }
}

fn fold_accent(c: char) -> Vec<char> {
    let folded = match c {
        'à' | 'â' | 'ä' | 'á' | 'ã' | 'À' | 'Â' | 'Ä' | 'Á' => 'a',
        'ç' | 'Ç' => 'c',
        'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => 'e',
        'î' | 'ï' | 'í' | 'Î' | 'Ï' => 'i',
        'ô' | 'ö' | 'ó' | 'Ô' | 'Ö' => 'o',
        'ù' | 'û' | 'ü' | 'ú' | 'Ù' | 'Û' | 'Ü' => 'u',
        'ÿ' => 'y',
        'œ' | 'Œ' => return vec!['o', 'e'],
        'æ' | 'Æ' => return vec!['a', 'e'],
        other => other,
    };
    vec![folded]
}

/// Checks an entry; `get(name)` gives the raw field value ("" when absent).
pub fn validate(get: &dyn Fn(&str) -> String) -> Result<ProviderInput, FieldErrors> {
    let mut errors = FieldErrors::default();
    let slug = get("slug").trim().to_string();
    if slug.is_empty() {
        errors.add("slug", "error-required");
    } else if !slug_is_valid(&slug) {
        errors.add("slug", "error-slug-invalid");
    } else if slug == PENDING_SLUG {
        errors.add("slug", "error-slug-taken");
    }
    let name = get("name").trim().to_string();
    if name.is_empty() {
        errors.add("name", "error-required");
    } else if name.chars().count() > 100 {
        errors.add("name", "error-too-long");
    }
    let country = get("country").trim().to_ascii_uppercase();
    if country.len() != 2 || !country.chars().all(|c| c.is_ascii_uppercase()) {
        errors.add("country", "error-country-invalid");
    }
    let website = Some(get("website").trim().to_string()).filter(|w| !w.is_empty());
    if let Some(w) = &website
        && (!(w.starts_with("https://") || w.starts_with("http://"))
            || w.len() > 200
            || w.contains(char::is_whitespace))
    {
        errors.add("website", "error-website-invalid");
    }
    let subscribers = match get("subscribers")
        .trim()
        .replace([' ', '\u{a0}', '\u{202f}'], "")
    {
        s if s.is_empty() => None,
        s => match s.parse::<i64>() {
            Ok(n) if n > 0 => Some(n),
            _ => {
                errors.add("subscribers", "error-subscribers-invalid");
                None
            }
        },
    };
    let network = Some(get("network").trim().to_string()).filter(|n| !n.is_empty());
    if network.as_deref() == Some(slug.as_str()) {
        errors.add("network", "error-network-self");
    }
    let subscribers_as_of =
        Some(get("subscribers_as_of").trim().to_string()).filter(|d| !d.is_empty());
    if let Some(d) = &subscribers_as_of
        && !as_of_is_valid(d)
    {
        errors.add("subscribers_as_of", "error-as-of-invalid");
    }
    let subscribers_source =
        Some(get("subscribers_source").trim().to_string()).filter(|s| !s.is_empty());
    if subscribers_source
        .as_ref()
        .is_some_and(|s| s.chars().count() > 300)
    {
        errors.add("subscribers_source", "error-too-long");
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(ProviderInput {
        slug,
        name,
        country,
        website,
        subscribers,
        network,
        subscribers_as_of,
        subscribers_source,
    })
}

/// A count's date: a month (`2024-12`) or a day (`2024-12-31`).
fn as_of_is_valid(s: &str) -> bool {
    super::tally::parse_month(s).is_some() || super::complaint::parse_date(s).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn check(fields: &[(&str, &str)]) -> Result<ProviderInput, FieldErrors> {
        let map: HashMap<&str, &str> = fields.iter().copied().collect();
        validate(&|n| map.get(n).copied().unwrap_or("").to_string())
    }

    #[test]
    fn a_reseller_entry() {
        let p = check(&[
            ("slug", "kleema"),
            ("name", "Kleema"),
            ("country", "fr"),
            ("subscribers", "50 000"),
            ("network", "wana"),
        ])
        .unwrap();
        assert_eq!(p.country, "FR");
        assert_eq!(p.subscribers, Some(50_000));
        assert_eq!(p.network.as_deref(), Some("wana"));
        assert_eq!(p.website, None);
        assert_eq!(p.subscribers_as_of, None);
    }

    #[test]
    fn a_count_with_its_date_and_source() {
        let p = check(&[
            ("slug", "orange"),
            ("name", "Orange"),
            ("country", "FR"),
            ("subscribers", "22000000"),
            ("subscribers_as_of", "2024-12"),
            ("subscribers_source", "Annual report 2024"),
        ])
        .unwrap();
        assert_eq!(p.subscribers_as_of.as_deref(), Some("2024-12"));
        assert_eq!(p.subscribers_source.as_deref(), Some("Annual report 2024"));
        for bad in ["2024", "12/2024", "2024-13", "2024-02-30"] {
            let e = check(&[
                ("slug", "orange"),
                ("name", "Orange"),
                ("country", "FR"),
                ("subscribers_as_of", bad),
            ])
            .unwrap_err();
            assert_eq!(
                e.get("subscribers_as_of"),
                Some("error-as-of-invalid"),
                "{bad}"
            );
        }
    }

    #[test]
    fn bad_entries() {
        let e = check(&[
            ("slug", "Bad Slug"),
            ("country", "France"),
            ("website", "javascript:alert(1)"),
            ("subscribers", "-3"),
        ])
        .unwrap_err();
        assert_eq!(e.get("slug"), Some("error-slug-invalid"));
        assert_eq!(e.get("name"), Some("error-required"));
        assert_eq!(e.get("country"), Some("error-country-invalid"));
        assert_eq!(e.get("website"), Some("error-website-invalid"));
        assert_eq!(e.get("subscribers"), Some("error-subscribers-invalid"));
        let e = check(&[
            ("slug", "wana"),
            ("name", "Wana"),
            ("country", "MA"),
            ("network", "wana"),
        ])
        .unwrap_err();
        assert_eq!(e.get("network"), Some("error-network-self"));
        let e = check(&[("slug", "pending"), ("name", "P"), ("country", "FR")]).unwrap_err();
        assert_eq!(
            e.get("slug"),
            Some("error-slug-taken"),
            "the pending line's slug"
        );
    }

    #[test]
    fn slugs() {
        assert_eq!(slugify("Orange Maroc"), "orange-maroc");
        assert_eq!(
            slugify("  Société Générale Télécom!! "),
            "societe-generale-telecom"
        );
        assert_eq!(slugify("Œuvre"), "oeuvre");
        assert_eq!(slugify("!"), "provider");
        assert!(slug_is_valid(&slugify(
            "A very long provider name that goes on and on and on"
        )));
        assert!(slug_is_valid("kleema") && slug_is_valid("sfr-2"));
        assert!(!slug_is_valid("k") && !slug_is_valid("-a") && !slug_is_valid("a_b"));
    }
}
