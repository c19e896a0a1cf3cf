//! The claim form: from its raw fields to an [`Action`], every wrong field named.

use chrono::NaiveDate;

use super::action::{Action, ActionKind, Body, Channel, Outcome};
use super::rules::received_fits;
use crate::domain::{FieldErrors, date_input};

/// The longest provider's reference a subscriber may record.
pub const REFERENCE_MAX_CHARS: usize = 200;
/// The longest note (the provider's words, the escalation's details).
pub const NOTE_MAX_CHARS: usize = 2000;

const ERROR_REQUIRED: &str = "error-required";
const ERROR_CHOICE: &str = "error-choice";
const ERROR_REFERENCE_TOO_LONG: &str = "claim-error-reference-too-long";
const ERROR_NOTE_TOO_LONG: &str = "claim-error-note-too-long";
const ERROR_AMOUNT_NEGATIVE: &str = "claim-error-amount-negative";
const ERROR_AMOUNT_FULL_REFUND: &str = "claim-error-amount-full-refund";
const ERROR_AMOUNT_NO_REFUND: &str = "claim-error-amount-no-refund";
const ERROR_AMOUNT_PARTIAL: &str = "claim-error-amount-partial";

/// Parses the claim form's raw values (`get(name)` returns "" for a missing field) into an
/// Action. Fields: `action` (send, answer, escalate, resolve, withdraw), `on` (a date
/// field, see [`date_input::read`]: required for every action, not after `today`), `channel` (send), `reference` (send,
/// optional, at most 200 characters), `amount` (answer, resolve), `note` (answer, escalate,
/// optional, at most 2,000 characters), `body` (escalate), `outcome` (resolve). Fields an
/// action does not use are ignored. The errors are keyed by those field names.
///
/// `amount` is the `amount` field already parsed by the caller: None when it was empty,
/// Some(Ok(minor)) or Some(Err(catalog_key)) otherwise; `claimed` is the claim's amount
/// claimed. Answer requires an amount (0 = a refusal). Resolve: a full refund left empty is
/// the amount claimed (0 is refused); no refund is 0 (left empty or 0); a partial refund
/// requires an amount strictly between 0 and the amount claimed.
pub fn parse_action(
    get: &dyn Fn(&str) -> String,
    amount: Option<Result<i64, &'static str>>,
    claimed: i64,
    today: NaiveDate,
) -> Result<Action, FieldErrors> {
    let mut errors = FieldErrors::default();
    let kind = parse_kind(&get("action"), &mut errors);
    let on = parse_date(get, today, &mut errors);
    let action = match kind {
        Some(ActionKind::Send) => send(get, on, &mut errors),
        Some(ActionKind::Answer) => answer(get, on, amount, &mut errors),
        Some(ActionKind::Escalate) => escalate(get, on, &mut errors),
        Some(ActionKind::Resolve) => resolve(get, on, amount, claimed, &mut errors),
        Some(ActionKind::Withdraw) => on.map(|on| Action::Withdraw { on }),
        None => None,
    };
    match action {
        Some(action) if errors.is_empty() => Ok(action),
        _ => Err(errors),
    }
}

/// The `action` field: one of the moves' words.
fn parse_kind(raw: &str, errors: &mut FieldErrors) -> Option<ActionKind> {
    let raw = raw.trim();
    let kind = ActionKind::parse(raw);
    if raw.is_empty() {
        errors.add("action", ERROR_REQUIRED);
    } else if kind.is_none() {
        errors.add("action", ERROR_CHOICE);
    }
    kind
}

fn send(
    get: &dyn Fn(&str) -> String,
    on: Option<NaiveDate>,
    errors: &mut FieldErrors,
) -> Option<Action> {
    let channel = parse_choice(&get("channel"), "channel", Channel::parse, errors);
    let reference = optional_text(
        &get("reference"),
        "reference",
        REFERENCE_MAX_CHARS,
        ERROR_REFERENCE_TOO_LONG,
        errors,
    );
    Some(Action::Send {
        on: on?,
        channel: channel?,
        reference,
    })
}

/// An answer requires an amount: 0 is a refusal.
fn answer(
    get: &dyn Fn(&str) -> String,
    on: Option<NaiveDate>,
    amount: Option<Result<i64, &'static str>>,
    errors: &mut FieldErrors,
) -> Option<Action> {
    let offered = match amount {
        None => {
            errors.add("amount", ERROR_REQUIRED);
            None
        }
        Some(amount) => non_negative(amount, errors),
    };
    let note = optional_note(&get("note"), errors);
    Some(Action::Answer {
        on: on?,
        offered: offered?,
        note,
    })
}

fn escalate(
    get: &dyn Fn(&str) -> String,
    on: Option<NaiveDate>,
    errors: &mut FieldErrors,
) -> Option<Action> {
    let body = parse_choice(&get("body"), "body", Body::parse, errors);
    let note = optional_note(&get("note"), errors);
    Some(Action::Escalate {
        on: on?,
        body: body?,
        note,
    })
}

fn resolve(
    get: &dyn Fn(&str) -> String,
    on: Option<NaiveDate>,
    amount: Option<Result<i64, &'static str>>,
    claimed: i64,
    errors: &mut FieldErrors,
) -> Option<Action> {
    let outcome = parse_choice(&get("outcome"), "outcome", Outcome::parse, errors);
    let given = match amount {
        None => Some(None),
        Some(amount) => non_negative(amount, errors).map(Some),
    };
    let received = match (outcome, given) {
        (Some(outcome), Some(given)) => received_for(outcome, given, claimed, errors),
        _ => None,
    };
    Some(Action::Resolve {
        on: on?,
        outcome: outcome?,
        received: received?,
    })
}

/// The `on` date field, required, not after `today`.
fn parse_date(
    get: &dyn Fn(&str) -> String,
    today: NaiveDate,
    errors: &mut FieldErrors,
) -> Option<NaiveDate> {
    match date_input::read(get, "on") {
        Ok(None) => {
            errors.add("on", ERROR_REQUIRED);
            None
        }
        Err(e) => {
            errors.add("on", e.message_key());
            None
        }
        Ok(Some(date)) if date > today => {
            errors.add("on", date_input::FUTURE_KEY);
            None
        }
        Ok(Some(date)) => Some(date),
    }
}

/// One of the values a `<select>` offers.
fn parse_choice<T>(
    raw: &str,
    field: &'static str,
    parse: fn(&str) -> Option<T>,
    errors: &mut FieldErrors,
) -> Option<T> {
    let raw = raw.trim();
    if raw.is_empty() {
        errors.add(field, ERROR_REQUIRED);
        return None;
    }
    let value = parse(raw);
    if value.is_none() {
        errors.add(field, ERROR_CHOICE);
    }
    value
}

/// Free text that may be left empty, trimmed, at most `max` characters.
fn optional_text(
    raw: &str,
    field: &'static str,
    max: usize,
    too_long: &'static str,
    errors: &mut FieldErrors,
) -> Option<String> {
    let text = raw.trim();
    if text.chars().count() > max {
        errors.add(field, too_long);
        return None;
    }
    (!text.is_empty()).then(|| text.to_string())
}

fn optional_note(raw: &str, errors: &mut FieldErrors) -> Option<String> {
    optional_text(raw, "note", NOTE_MAX_CHARS, ERROR_NOTE_TOO_LONG, errors)
}

/// The caller's parsed amount, refused when it could not be read or is below 0.
fn non_negative(amount: Result<i64, &'static str>, errors: &mut FieldErrors) -> Option<i64> {
    match amount {
        Err(key) => {
            errors.add("amount", key);
            None
        }
        Ok(minor) if minor < 0 => {
            errors.add("amount", ERROR_AMOUNT_NEGATIVE);
            None
        }
        Ok(minor) => Some(minor),
    }
}

/// The amount received for an outcome, from the amount given (None when left empty).
fn received_for(
    outcome: Outcome,
    given: Option<i64>,
    claimed: i64,
    errors: &mut FieldErrors,
) -> Option<i64> {
    let (received, problem) = match (outcome, given) {
        (Outcome::FullRefund, None) => (claimed, ERROR_AMOUNT_FULL_REFUND),
        (Outcome::FullRefund, Some(minor)) => (minor, ERROR_AMOUNT_FULL_REFUND),
        (Outcome::NoRefund, given) => (given.unwrap_or(0), ERROR_AMOUNT_NO_REFUND),
        (Outcome::PartialRefund, None) => {
            errors.add("amount", ERROR_REQUIRED);
            return None;
        }
        (Outcome::PartialRefund, Some(minor)) => (minor, ERROR_AMOUNT_PARTIAL),
    };
    if received_fits(outcome, received, claimed) {
        Some(received)
    } else {
        errors.add("amount", problem);
        None
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::super::*;
    use crate::domain::FieldErrors;
    use std::collections::BTreeMap;

    fn form(fields: &[(&str, &str)]) -> impl Fn(&str) -> String {
        let fields: BTreeMap<String, String> = fields
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name: &str| fields.get(name).cloned().unwrap_or_default()
    }

    const TODAY: (i32, u32, u32) = (2024, 5, 31);

    fn parse(
        fields: &[(&str, &str)],
        amount: Option<Result<i64, &'static str>>,
    ) -> Result<Action, FieldErrors> {
        parse_action(&form(fields), amount, CLAIMED, day(TODAY))
    }

    fn errors(
        fields: &[(&str, &str)],
        amount: Option<Result<i64, &'static str>>,
    ) -> Vec<(&'static str, &'static str)> {
        parse(fields, amount)
            .unwrap_err()
            .iter()
            .map(|e| (e.field, e.message))
            .collect()
    }

    #[test]
    fn parses_each_action() {
        let on = ("on", "2024-05-02");
        let may2 = d(2024, 5, 2);
        assert_eq!(
            parse(
                &[
                    ("action", "send"),
                    on,
                    ("channel", "registered_letter"),
                    ("reference", "  AR 1A 234 ")
                ],
                Some(Err("error-amount-invalid")) // ignored: not part of this action
            ),
            Ok(Action::Send {
                on: may2,
                channel: Channel::RegisteredLetter,
                reference: Some("AR 1A 234".into())
            })
        );
        assert_eq!(
            parse(
                &[
                    ("action", "send"),
                    on,
                    ("channel", "email"),
                    ("reference", "   ")
                ],
                None
            ),
            Ok(Action::Send {
                on: may2,
                channel: Channel::Email,
                reference: None
            })
        );
        assert_eq!(
            parse(&[("action", "answer"), on, ("note", "Refus.")], Some(Ok(0))),
            Ok(Action::Answer {
                on: may2,
                offered: 0,
                note: Some("Refus.".into())
            })
        );
        assert_eq!(
            parse(&[("action", "escalate"), on, ("body", "mediator")], None),
            Ok(Action::Escalate {
                on: may2,
                body: Body::Mediator,
                note: None
            })
        );
        assert_eq!(
            parse(&[("action", "withdraw"), ("on", " 2024-05-31 ")], None),
            Ok(Action::Withdraw { on: day(TODAY) })
        );
        let resolve = |outcome: &str, amount| {
            parse(&[("action", "resolve"), on, ("outcome", outcome)], amount)
        };
        let resolved = |outcome, received| {
            Ok(Action::Resolve {
                on: may2,
                outcome,
                received,
            })
        };
        assert_eq!(
            resolve("full_refund", None),
            resolved(Outcome::FullRefund, CLAIMED)
        );
        assert_eq!(
            resolve("full_refund", Some(Ok(9_500))),
            resolved(Outcome::FullRefund, 9_500)
        );
        assert_eq!(resolve("no_refund", None), resolved(Outcome::NoRefund, 0));
        assert_eq!(
            resolve("no_refund", Some(Ok(0))),
            resolved(Outcome::NoRefund, 0)
        );
        assert_eq!(
            resolve("partial_refund", Some(Ok(1))),
            resolved(Outcome::PartialRefund, 1)
        );
        assert_eq!(
            resolve("partial_refund", Some(Ok(CLAIMED - 1))),
            resolved(Outcome::PartialRefund, CLAIMED - 1)
        );
    }

    #[test]
    fn action_and_date_errors() {
        assert_eq!(
            errors(&[], None),
            [("action", "error-required"), ("on", "error-required")]
        );
        assert_eq!(
            errors(&[("action", "delete"), ("on", "2024-05-02")], None),
            [("action", "error-choice")]
        );
        for (bad, key) in [
            ("2024-02-30", "date-error-real"),
            ("2024-05-02x", "date-error-day"),
            ("yesterday", "date-error-month-missing"),
            ("２０２４-05-02", "date-error-day"),
        ] {
            assert_eq!(
                errors(&[("action", "withdraw"), ("on", bad)], None),
                [("on", key)],
                "{bad}"
            );
        }
        assert_eq!(
            errors(
                &[
                    ("action", "withdraw"),
                    ("on-day", "1"),
                    ("on-month", "juin"),
                    ("on-year", "24")
                ],
                None
            ),
            [("on", "date-error-year-short")]
        );
        assert_eq!(
            parse(
                &[
                    ("action", "withdraw"),
                    ("on-day", "2"),
                    ("on-month", "mai"),
                    ("on-year", "2024")
                ],
                None
            ),
            Ok(Action::Withdraw { on: d(2024, 5, 2) })
        );
        assert_eq!(
            errors(&[("action", "withdraw"), ("on", "2024-06-01")], None),
            [("on", "date-error-future")]
        );
    }

    #[test]
    fn field_errors_per_action() {
        let on = ("on", "2024-05-02");
        assert_eq!(
            errors(&[("action", "send"), on], None),
            [("channel", "error-required")]
        );
        let long_ref = "R".repeat(REFERENCE_MAX_CHARS + 1);
        assert_eq!(
            errors(
                &[
                    ("action", "send"),
                    on,
                    ("channel", "fax"),
                    ("reference", &long_ref)
                ],
                None
            ),
            [
                ("channel", "error-choice"),
                ("reference", "claim-error-reference-too-long")
            ]
        );
        // Characters, not bytes.
        let accented = "é".repeat(REFERENCE_MAX_CHARS);
        assert!(
            parse(
                &[
                    ("action", "send"),
                    on,
                    ("channel", "phone"),
                    ("reference", &accented)
                ],
                None
            )
            .is_ok()
        );

        assert_eq!(
            errors(&[("action", "answer"), on], None),
            [("amount", "error-required")]
        );
        assert_eq!(
            errors(
                &[("action", "answer"), on],
                Some(Err("error-amount-invalid"))
            ),
            [("amount", "error-amount-invalid")]
        );
        assert_eq!(
            errors(&[("action", "answer"), on], Some(Ok(-1))),
            [("amount", "claim-error-amount-negative")]
        );
        let long_note = "n".repeat(NOTE_MAX_CHARS + 1);
        let note = "n".repeat(NOTE_MAX_CHARS);
        assert_eq!(
            errors(
                &[("action", "answer"), ("on", ""), ("note", &long_note)],
                Some(Ok(10))
            ),
            [
                ("on", "error-required"),
                ("note", "claim-error-note-too-long")
            ]
        );
        assert!(parse(&[("action", "answer"), on, ("note", &note)], Some(Ok(10))).is_ok());

        assert_eq!(
            errors(&[("action", "escalate"), on], None),
            [("body", "error-required")]
        );
        assert_eq!(
            errors(
                &[
                    ("action", "escalate"),
                    on,
                    ("body", "police"),
                    ("note", &long_note)
                ],
                None
            ),
            [
                ("body", "error-choice"),
                ("note", "claim-error-note-too-long")
            ]
        );
    }

    #[test]
    fn resolve_amount_must_match_the_outcome() {
        let e = |outcome: &str, amount| {
            errors(
                &[
                    ("action", "resolve"),
                    ("on", "2024-05-02"),
                    ("outcome", outcome),
                ],
                amount,
            )
        };
        assert_eq!(e("", None), [("outcome", "error-required")]);
        assert_eq!(e("refund", Some(Ok(5))), [("outcome", "error-choice")]);
        assert_eq!(
            e("", Some(Err("error-amount-invalid"))),
            [
                ("outcome", "error-required"),
                ("amount", "error-amount-invalid")
            ]
        );
        assert_eq!(
            e("full_refund", Some(Ok(0))),
            [("amount", "claim-error-amount-full-refund")]
        );
        assert_eq!(
            e("full_refund", Some(Ok(-3))),
            [("amount", "claim-error-amount-negative")]
        );
        assert_eq!(
            e("no_refund", Some(Ok(5))),
            [("amount", "claim-error-amount-no-refund")]
        );
        assert_eq!(
            e("no_refund", Some(Err("error-amount-invalid"))),
            [("amount", "error-amount-invalid")]
        );
        assert_eq!(e("partial_refund", None), [("amount", "error-required")]);
        for bad in [0, CLAIMED, CLAIMED + 1] {
            assert_eq!(
                e("partial_refund", Some(Ok(bad))),
                [("amount", "claim-error-amount-partial")]
            );
        }
    }

    #[test]
    fn parsed_actions_are_accepted_by_apply() {
        // What parse_action lets through, apply never refuses for its amount.
        for (outcome, amount) in [
            ("full_refund", None),
            ("full_refund", Some(Ok(1))),
            ("no_refund", None),
            ("partial_refund", Some(Ok(1))),
            ("partial_refund", Some(Ok(CLAIMED - 1))),
        ] {
            let action = parse(
                &[
                    ("action", "resolve"),
                    ("on", "2024-05-02"),
                    ("outcome", outcome),
                ],
                amount,
            )
            .unwrap();
            let resolved = apply(&answered(0), &action, &profile()).unwrap();
            assert_eq!(resolved.state, State::Resolved);
        }
    }
}
