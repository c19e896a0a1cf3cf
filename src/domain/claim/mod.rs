//! Refund claims: the states a claim goes through, the moves the subscriber records, the
//! deadlines of the escalation ladder and the next step to take. Pure rules: the store
//! keeps the fields of [`Claim`] in columns and every accepted [`Action`] on the timeline.
//!
//! - `action`: the moves ([`Action`], [`ActionKind`]) and the choices they carry;
//! - `rules`: the states, the table of moves ([`transition`]) and [`apply`];
//! - `deadlines`: the escalation profile, what is derived from it, the next step;
//! - `form`: the claim form's fields parsed into an [`Action`].

mod action;
mod deadlines;
mod form;
mod rules;

#[cfg(test)]
mod fixtures;

pub use action::{Action, ActionKind, Body, Channel, Outcome};
pub use deadlines::{
    NextStep, Profile, Window, body_due, body_letter, body_open, consumer_service_letter,
    is_overdue, mediator_window, next_step, plus_days, window,
};
pub use form::{NOTE_MAX_CHARS, REFERENCE_MAX_CHARS, parse_action};
pub use rules::{Claim, Refused, State, allowed_actions, apply, transition};

#[cfg(test)]
mod tests {
    use super::fixtures::*;
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};

    const EN: &str = include_str!("../../../i18n/claim.en.ftl");
    const FR: &str = include_str!("../../../i18n/claim.fr.ftl");
    const MAIN_EN: &str = include_str!("../../../i18n/en.ftl");
    const MAIN_FR: &str = include_str!("../../../i18n/fr.ftl");
    const REFUSALS: [Refused; 7] = [
        Refused::Closed,
        Refused::AlreadySent,
        Refused::NotSent,
        Refused::DateOrder,
        Refused::Amount,
        Refused::StepWindow,
        Refused::NotOnLadder,
    ];

    #[test]
    fn names_round_trip() {
        for &s in State::ALL {
            assert_eq!(State::parse(s.as_str()), Some(s));
        }
        for &c in Channel::ALL {
            assert_eq!(Channel::parse(c.as_str()), Some(c));
        }
        for &b in Body::ALL {
            assert_eq!(Body::parse(b.as_str()), Some(b));
        }
        for &o in Outcome::ALL {
            assert_eq!(Outcome::parse(o.as_str()), Some(o));
        }
        for &k in ActionKind::ALL {
            assert_eq!(ActionKind::parse(k.as_str()), Some(k));
            assert_eq!(action_of(k, day(LATER)).kind(), k);
            assert_eq!(action_of(k, day(LATER)).on(), day(LATER));
        }
        // The page's order, and the URL's and form's words.
        let words: Vec<&str> = ActionKind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(words, ["send", "answer", "escalate", "resolve", "withdraw"]);
        assert_eq!(State::parse("Filed"), None);
        assert_eq!(Channel::parse("registered-letter"), None);
        assert_eq!(Body::parse(""), None);
        assert_eq!(Outcome::parse("refund"), None);
        assert_eq!(ActionKind::parse("Send"), None);
        let terminal: Vec<State> = State::ALL
            .iter()
            .copied()
            .filter(|s| s.is_terminal())
            .collect();
        assert_eq!(terminal, [State::Resolved, State::Withdrawn]);
    }

    // Catalogs

    /// `key = value` lines, with the `$variables` each value uses.
    fn messages(source: &str) -> BTreeMap<String, BTreeSet<String>> {
        let mut out = BTreeMap::new();
        for line in source.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let (key, value) = line
                .split_once(" = ")
                .unwrap_or_else(|| panic!("not a message: {line:?}"));
            let vars = value
                .split("{ $")
                .skip(1)
                .map(|rest| rest.split(" }").next().unwrap().to_string())
                .collect();
            assert!(out.insert(key.to_string(), vars).is_none(), "twice: {key}");
        }
        out
    }

    fn key_shaped(key: &str) -> bool {
        key.split('-')
            .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()))
            && key.contains('-')
    }

    #[test]
    fn catalogs_agree_and_parse() {
        let en = messages(EN);
        let fr = messages(FR);
        assert_eq!(
            en.keys().collect::<Vec<_>>(),
            fr.keys().collect::<Vec<_>>(),
            "same keys in both languages"
        );
        for (key, vars) in &en {
            assert!(key_shaped(key), "{key}");
            assert!(
                key.starts_with("claim-") || key.starts_with("next-"),
                "{key}"
            );
            assert_eq!(Some(vars), fr.get(key), "same variables for {key}");
        }
        // Loaded beside the main catalog, no message may clash.
        let main_en = messages_loose(MAIN_EN);
        let main_fr = messages_loose(MAIN_FR);
        for key in en.keys() {
            assert!(
                !main_en.contains(key) && !main_fr.contains(key),
                "{key} already exists"
            );
        }
        // Fluent itself accepts both files, and every message formats without error.
        for (lang, source) in [("en", EN), ("fr", FR)] {
            let mut bundle = fluent_bundle::FluentBundle::new(vec![lang.parse().unwrap()]);
            let resource = fluent_bundle::FluentResource::try_new(source.to_string())
                .unwrap_or_else(|(_, e)| panic!("{lang}: {e:?}"));
            bundle.add_resource(resource).unwrap();
            for (key, vars) in &en {
                let message = bundle.get_message(key).unwrap();
                let mut args = fluent_bundle::FluentArgs::new();
                for var in vars {
                    args.set(var.clone(), "X");
                }
                let mut errors = Vec::new();
                let text =
                    bundle.format_pattern(message.value().unwrap(), Some(&args), &mut errors);
                assert!(errors.is_empty(), "{lang} {key}: {errors:?}");
                assert!(!text.trim().is_empty());
            }
        }
    }

    fn messages_loose(source: &str) -> BTreeSet<String> {
        source
            .lines()
            .filter_map(|l| l.split_once(" =").map(|(k, _)| k.trim().to_string()))
            .collect()
    }

    /// The keys this module's helpers give exist (that every key the code writes exists in
    /// both languages, and every claim message is used, is `web::i18n`'s one check).
    #[test]
    fn the_label_helpers_point_at_real_keys() {
        let catalog: BTreeSet<String> = messages(EN).into_keys().collect();
        // The shared keys this module relies on.
        let main = messages_loose(MAIN_EN);
        for key in ["error-required", "error-choice"] {
            assert!(main.contains(key), "{key}");
        }
        // The label helpers point at real keys.
        let labels = State::ALL
            .iter()
            .map(|s| s.label_key())
            .chain(Channel::ALL.iter().map(|c| c.label_key()))
            .chain(Body::ALL.iter().map(|b| b.label_key()))
            .chain(Outcome::ALL.iter().map(|o| o.label_key()))
            .chain(ActionKind::ALL.iter().map(|k| k.label_key()))
            .chain(REFUSALS.iter().map(|r| r.message_key()));
        for key in labels {
            assert!(catalog.contains(key), "{key}");
        }
    }

    #[test]
    fn next_steps_pass_exactly_the_variables_their_messages_use() {
        use crate::domain::country::Country;
        let catalog = messages(EN);
        let regulator = Action::Escalate {
            on: day(LATER),
            body: Body::Regulator,
            note: None,
        };
        let ma = profile().for_country(Country::Ma);
        let claims = [
            filed(),
            sent(),
            answered(0),
            answered(2_000),
            answered(CLAIMED),
            escalated(Body::Mediator),
            escalated(Body::Association),
            escalated(Body::Court),
            resolved(Outcome::FullRefund, CLAIMED),
            resolved(Outcome::PartialRefund, 1_000),
            resolved(Outcome::NoRefund, 0),
            withdrawn(),
            Claim {
                state: State::Escalated,
                ..filed()
            },
            Claim {
                state: State::Resolved,
                ..filed()
            },
            apply(&answered(0), &regulator, &ma).unwrap(),
        ];
        let mut seen = BTreeSet::new();
        for country in [Country::Fr, Country::Ma, Country::Dz] {
            let p = profile().for_country(country);
            for claim in &claims {
                for today in [
                    day(LATER),
                    d(2024, 1, 20),
                    d(2024, 2, 20),
                    d(2024, 12, 1),
                    d(2026, 1, 1),
                ] {
                    for step in next_step(claim, &p, today) {
                        let names: BTreeSet<String> = step
                            .dates
                            .iter()
                            .map(|(n, _)| n.to_string())
                            .chain(step.amounts.iter().map(|(n, _)| n.to_string()))
                            .chain(step.body.map(|_| "body".to_string()))
                            .collect();
                        assert_eq!(Some(&names), catalog.get(step.key), "{}", step.key);
                        seen.insert(step.key);
                    }
                }
            }
        }
        // Every next-* message is reachable.
        let all: BTreeSet<&str> = catalog
            .keys()
            .map(String::as_str)
            .filter(|k| k.starts_with("next-"))
            .collect();
        assert_eq!(seen, all);
    }
}
