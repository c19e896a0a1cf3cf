//! Escalation ladders by country of residence, as data (`directory/ladders.json`): each
//! profile is the bodies a subscriber can turn to, in order, with their windows, addresses
//! and public sources. A fact without a source is `null` and named in `not_confirmed`.

use std::collections::HashSet;
use std::sync::LazyLock;

use serde::Deserialize;

use super::claim::Body;
use super::country::Country;

/// The step ids of the provider's own services; every other step is a [`Body`] a claim can
/// be taken to.
pub const PROVIDER_STEPS: [&str; 2] = ["operator", "second_level"];

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ladders {
    pub version: u32,
    pub about: String,
    pub profiles: Vec<Profile>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// ISO 3166-1 alpha-2, or `ZZ` for the generic profile.
    pub country: String,
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub id: String,
    pub body: Names,
    /// Days after sending the claim to the provider from which this body may be seized.
    pub opens_after_days: Option<i64>,
    /// Days after sending the claim after which it may no longer be seized.
    pub closes_after_days: Option<i64>,
    /// Postal or online address.
    pub address: Option<String>,
    pub source: Option<String>,
    /// The facts of this step no public source confirmed.
    pub not_confirmed: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Names {
    pub fr: String,
    pub en: String,
}

/// The file shipped with the application, read once.
static SHIPPED: LazyLock<Result<Ladders, String>> =
    LazyLock::new(|| parse(include_str!("../../directory/ladders.json")));

/// Start-up stops on a ladders file that does not pass `parse`'s checks.
pub fn check_shipped() -> Result<(), String> {
    SHIPPED
        .as_ref()
        .map(|_| ())
        .map_err(|e| format!("directory/ladders.json: {e}"))
}

pub fn shipped() -> &'static Ladders {
    SHIPPED
        .as_ref()
        .expect("checked at start-up by check_shipped")
}

impl Ladders {
    /// The ladder of a country, or the generic one when the country has none of its own.
    pub fn for_country(&self, country: Country) -> &Profile {
        let find = |code: &str| self.profiles.iter().find(|p| p.country == code);
        find(country.as_str())
            .or_else(|| find(Country::Other.as_str()))
            .expect("validated: the generic profile exists")
    }
}

/// Reads and checks a ladders file: unique countries from the list, a generic profile, at
/// least two steps each, ids the claims know, every step with a source or `source` marked
/// not confirmed, a window that closes after it opens, and a source that is a web address.
pub fn parse(json: &str) -> Result<Ladders, String> {
    let ladders: Ladders = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let mut seen = HashSet::new();
    for profile in &ladders.profiles {
        let c = &profile.country;
        if Country::parse(c).is_none() {
            return Err(format!("{c}: not a country of the list"));
        }
        if !seen.insert(c.as_str()) {
            return Err(format!("{c}: two profiles"));
        }
        if profile.steps.len() < 2 {
            return Err(format!(
                "{c}: a ladder has at least the provider and one body"
            ));
        }
        for step in &profile.steps {
            let at = format!("{c}/{}", step.id);
            match &step.source {
                Some(url) if !url.starts_with("https://") && !url.starts_with("http://") => {
                    return Err(format!("{at}: the source is not a web address"));
                }
                None if !step.not_confirmed.iter().any(|f| f == "source") => {
                    return Err(format!("{at}: no source and not marked not confirmed"));
                }
                _ => {}
            }
            if step.body.fr.trim().is_empty() || step.body.en.trim().is_empty() {
                return Err(format!("{at}: the body needs a French and an English name"));
            }
            if !PROVIDER_STEPS.contains(&step.id.as_str())
                && !Body::parse(&step.id).is_some_and(Body::on_ladder)
            {
                return Err(format!("{at}: not a step the claims know"));
            }
            match (step.opens_after_days, step.closes_after_days) {
                (Some(open), Some(close)) if close <= open => {
                    return Err(format!("{at}: the window closes before it opens"));
                }
                // An end without a start could not be told on the page ("until when, from
                // when?"): the file must give both or leave the end out.
                (None, Some(_)) => return Err(format!("{at}: a window that closes must open")),
                _ => {}
            }
        }
    }
    if !seen.contains(Country::Other.as_str()) {
        return Err("no generic profile (ZZ)".to_string());
    }
    Ok(ladders)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_profile_parses_and_every_step_is_sourced_or_marked() {
        let ladders = parse(include_str!("../../directory/ladders.json")).unwrap();
        for profile in &ladders.profiles {
            for step in &profile.steps {
                assert!(
                    step.source.is_some() || step.not_confirmed.iter().any(|f| f == "source"),
                    "{}/{}",
                    profile.country,
                    step.id
                );
            }
        }
        for code in ["FR", "MA", "TN", "DZ", "ZZ"] {
            assert!(ladders.profiles.iter().any(|p| p.country == code), "{code}");
        }
    }

    #[test]
    fn each_country_follows_its_own_ladder_or_the_generic_one() {
        let ladders = shipped();
        let names = |c: Country| -> Vec<String> {
            ladders
                .for_country(c)
                .steps
                .iter()
                .map(|s| s.body.en.clone())
                .collect()
        };
        assert!(names(Country::Fr).iter().any(|n| n.contains("mediator")));
        let ma = names(Country::Ma);
        assert!(ma.iter().any(|n| n.contains("ANRT")));
        assert!(!ma.iter().any(|n| n.contains("mediator")));
        assert!(names(Country::Tn).iter().any(|n| n.contains("INT")));
        assert!(names(Country::Dz).iter().any(|n| n.contains("ARPCE")));
        assert_eq!(ladders.for_country(Country::Be).country, "ZZ");
        // The French mediator: two months to one year after sending, as the code had it.
        let fr = ladders.for_country(Country::Fr);
        let mediator = fr.steps.iter().find(|s| s.id == "mediator").unwrap();
        assert_eq!(
            (mediator.opens_after_days, mediator.closes_after_days),
            (Some(60), Some(365))
        );
    }

    #[test]
    fn a_bad_file_is_refused_with_the_reason() {
        let step = |source: &str, marks: &str| {
            format!(
                r#"{{"id":"court","body":{{"fr":"a","en":"b"}},"opens_after_days":null,"closes_after_days":null,"address":null,"source":{source},"not_confirmed":[{marks}]}}"#
            )
        };
        let file = |country: &str, steps: &[String]| {
            format!(
                r#"{{"version":1,"about":"","profiles":[{{"country":"ZZ","steps":[{ok},{ok}]}},{{"country":"{country}","steps":[{}]}}]}}"#,
                steps.join(","),
                ok = step("null", r#""source""#)
            )
        };
        let ok = step(r#""https://example.org""#, "");
        assert!(parse(&file("FR", &[ok.clone(), ok.clone()])).is_ok());
        let unsourced = step("null", "");
        assert!(
            parse(&file("FR", &[ok.clone(), unsourced]))
                .unwrap_err()
                .contains("no source")
        );
        assert!(
            parse(&file("XX", &[ok.clone(), ok.clone()]))
                .unwrap_err()
                .contains("not a country")
        );
        assert!(
            parse(&file("FR", std::slice::from_ref(&ok)))
                .unwrap_err()
                .contains("at least")
        );
        let not_url = step(r#""anrt.ma""#, "");
        assert!(
            parse(&file("FR", &[ok.clone(), not_url]))
                .unwrap_err()
                .contains("web address")
        );
        assert!(
            parse(&file("ZZ", &[ok.clone(), ok.clone()]))
                .unwrap_err()
                .contains("two profiles")
        );
        let unknown = ok.replace(r#""id":"court""#, r#""id":"association""#);
        assert!(
            parse(&file("FR", &[ok.clone(), unknown]))
                .unwrap_err()
                .contains("not a step")
        );
        let end_only = ok.replace(r#""closes_after_days":null"#, r#""closes_after_days":30"#);
        assert!(
            parse(&file("FR", &[ok, end_only]))
                .unwrap_err()
                .contains("must open")
        );
    }
}
