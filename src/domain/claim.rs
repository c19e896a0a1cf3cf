//! Refund claims: the states a claim goes through, the moves the subscriber records, the
//! deadlines of the escalation ladder and the next step to take. Pure rules: the store
//! keeps the fields of [`Claim`] in columns and every accepted [`Action`] on the timeline.

use chrono::{NaiveDate, TimeDelta};

use super::FieldErrors;

/// The longest provider's reference a subscriber may record.
pub const REFERENCE_MAX_CHARS: usize = 200;
/// The longest note (the provider's words, the escalation's details).
pub const NOTE_MAX_CHARS: usize = 2000;

const REFUSED_CLOSED: &str = "claim-refused-closed";
const REFUSED_ALREADY_SENT: &str = "claim-refused-already-sent";
const REFUSED_NOT_SENT: &str = "claim-refused-not-sent";
const REFUSED_DATE_ORDER: &str = "claim-refused-date-order";
const REFUSED_AMOUNT: &str = "claim-refused-amount";

const ERROR_REQUIRED: &str = "error-required";
const ERROR_CHOICE: &str = "error-choice";
const ERROR_DATE: &str = "claim-error-date";
const ERROR_DATE_FUTURE: &str = "claim-error-date-future";
const ERROR_REFERENCE_TOO_LONG: &str = "claim-error-reference-too-long";
const ERROR_NOTE_TOO_LONG: &str = "claim-error-note-too-long";
const ERROR_AMOUNT_NEGATIVE: &str = "claim-error-amount-negative";
const ERROR_AMOUNT_FULL_REFUND: &str = "claim-error-amount-full-refund";
const ERROR_AMOUNT_NO_REFUND: &str = "claim-error-amount-no-refund";
const ERROR_AMOUNT_PARTIAL: &str = "claim-error-amount-partial";

/// Where a claim stands. Stored as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum State {
    Filed,
    Sent,
    Answered,
    Escalated,
    Resolved,
    Withdrawn,
}

impl State {
    pub const ALL: [State; 6] = [
        State::Filed,
        State::Sent,
        State::Answered,
        State::Escalated,
        State::Resolved,
        State::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            State::Filed => "filed",
            State::Sent => "sent",
            State::Answered => "answered",
            State::Escalated => "escalated",
            State::Resolved => "resolved",
            State::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<State> {
        State::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// Resolved and withdrawn claims are closed: nothing more can be recorded on them.
    pub fn is_terminal(self) -> bool {
        matches!(self, State::Resolved | State::Withdrawn)
    }

    /// The catalog key of the state's label.
    pub fn label_key(self) -> &'static str {
        match self {
            State::Filed => "claim-state-filed",
            State::Sent => "claim-state-sent",
            State::Answered => "claim-state-answered",
            State::Escalated => "claim-state-escalated",
            State::Resolved => "claim-state-resolved",
            State::Withdrawn => "claim-state-withdrawn",
        }
    }
}

/// How the claim was sent to the provider. Stored as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Channel {
    Letter,
    RegisteredLetter,
    Email,
    OnlineForm,
    Phone,
}

impl Channel {
    pub const ALL: [Channel; 5] = [
        Channel::Letter,
        Channel::RegisteredLetter,
        Channel::Email,
        Channel::OnlineForm,
        Channel::Phone,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Letter => "letter",
            Channel::RegisteredLetter => "registered_letter",
            Channel::Email => "email",
            Channel::OnlineForm => "online_form",
            Channel::Phone => "phone",
        }
    }

    pub fn parse(s: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// The catalog key of the channel's label.
    pub fn label_key(self) -> &'static str {
        match self {
            Channel::Letter => "claim-channel-letter",
            Channel::RegisteredLetter => "claim-channel-registered-letter",
            Channel::Email => "claim-channel-email",
            Channel::OnlineForm => "claim-channel-online-form",
            Channel::Phone => "claim-channel-phone",
        }
    }
}

/// Who the claim was taken to after the provider. Stored as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Body {
    Mediator,
    Association,
    Court,
}

impl Body {
    pub const ALL: [Body; 3] = [Body::Mediator, Body::Association, Body::Court];

    pub fn as_str(self) -> &'static str {
        match self {
            Body::Mediator => "mediator",
            Body::Association => "association",
            Body::Court => "court",
        }
    }

    pub fn parse(s: &str) -> Option<Body> {
        Body::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// The catalog key of the body's label.
    pub fn label_key(self) -> &'static str {
        match self {
            Body::Mediator => "claim-body-mediator",
            Body::Association => "claim-body-association",
            Body::Court => "claim-body-court",
        }
    }
}

/// How a resolved claim ended. Stored as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    FullRefund,
    PartialRefund,
    NoRefund,
}

impl Outcome {
    pub const ALL: [Outcome; 3] = [
        Outcome::FullRefund,
        Outcome::PartialRefund,
        Outcome::NoRefund,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::FullRefund => "full_refund",
            Outcome::PartialRefund => "partial_refund",
            Outcome::NoRefund => "no_refund",
        }
    }

    pub fn parse(s: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// The catalog key of the outcome's label.
    pub fn label_key(self) -> &'static str {
        match self {
            Outcome::FullRefund => "claim-outcome-full-refund",
            Outcome::PartialRefund => "claim-outcome-partial-refund",
            Outcome::NoRefund => "claim-outcome-no-refund",
        }
    }
}

/// What the subscriber records. Amounts are minor units (cents) in the claim's currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Send {
        on: NaiveDate,
        channel: Channel,
        reference: Option<String>,
    },
    Answer {
        on: NaiveDate,
        offered: i64,
        note: Option<String>,
    },
    Escalate {
        on: NaiveDate,
        body: Body,
        note: Option<String>,
    },
    Resolve {
        on: NaiveDate,
        outcome: Outcome,
        received: i64,
    },
    Withdraw {
        on: NaiveDate,
    },
}

impl Action {
    /// The action's kind, as the form's `action` field names it.
    pub fn name(&self) -> &'static str {
        match self {
            Action::Send { .. } => "send",
            Action::Answer { .. } => "answer",
            Action::Escalate { .. } => "escalate",
            Action::Resolve { .. } => "resolve",
            Action::Withdraw { .. } => "withdraw",
        }
    }

    /// The day it happened.
    pub fn on(&self) -> NaiveDate {
        match *self {
            Action::Send { on, .. }
            | Action::Answer { on, .. }
            | Action::Escalate { on, .. }
            | Action::Resolve { on, .. }
            | Action::Withdraw { on } => on,
        }
    }

    /// The catalog key of the action's label.
    pub fn label_key(&self) -> &'static str {
        match self {
            Action::Send { .. } => "claim-action-send",
            Action::Answer { .. } => "claim-action-answer",
            Action::Escalate { .. } => "claim-action-escalate",
            Action::Resolve { .. } => "claim-action-resolve",
            Action::Withdraw { .. } => "claim-action-withdraw",
        }
    }
}

/// A claim as stored (the store layer keeps these fields in columns).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub state: State,
    /// More than 0.
    pub amount_claimed: i64,
    pub filed_on: NaiveDate,
    pub sent_on: Option<NaiveDate>,
    pub answered_on: Option<NaiveDate>,
    pub last_offer: Option<i64>,
    pub escalated_on: Option<NaiveDate>,
    pub body: Option<Body>,
    /// Resolved or withdrawn.
    pub closed_on: Option<NaiveDate>,
    pub outcome: Option<Outcome>,
    pub received: Option<i64>,
}

impl Claim {
    /// A claim just recorded on the portal.
    pub fn new(amount_claimed: i64, filed_on: NaiveDate) -> Claim {
        Claim {
            state: State::Filed,
            amount_claimed,
            filed_on,
            sent_on: None,
            answered_on: None,
            last_offer: None,
            escalated_on: None,
            body: None,
            closed_on: None,
            outcome: None,
            received: None,
        }
    }
}

/// The escalation profile (France by default); all in days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Profile {
    /// The provider's answer is due this long after the claim was sent.
    pub answer_days: i64,
    /// The telecom mediator may be seized this long after the claim was sent…
    pub mediator_after_days: i64,
    /// …and until this long after it.
    pub mediator_within_days: i64,
    /// The mediator gives its opinion this long after being seized.
    pub mediator_opinion_days: i64,
}

impl Default for Profile {
    /// France: one month for the answer, the mediator from two months to one year after the
    /// written complaint, its opinion within 90 days.
    fn default() -> Profile {
        Profile {
            answer_days: 30,
            mediator_after_days: 60,
            mediator_within_days: 365,
            mediator_opinion_days: 90,
        }
    }
}

/// A refused move: HTTP 409 with this catalog key's text shown on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refused(pub &'static str);

/// The transition function: the new claim, or why the move is refused. Pure.
///
/// Checks, in order: the claim is still open, the move is allowed from its state, the date
/// is not before the day the claim was sent, the amount is possible.
pub fn apply(claim: &Claim, action: &Action) -> Result<Claim, Refused> {
    if claim.state.is_terminal() {
        return Err(Refused(REFUSED_CLOSED));
    }
    let mut next = claim.clone();
    match *action {
        Action::Send { on, .. } => {
            // The letter may well predate its recording on the portal: no date check.
            if claim.state != State::Filed {
                return Err(Refused(REFUSED_ALREADY_SENT));
            }
            next.state = State::Sent;
            next.sent_on = Some(on);
        }
        Action::Answer { on, offered, .. } => {
            if claim.state == State::Filed {
                return Err(Refused(REFUSED_NOT_SENT));
            }
            not_before_sending(claim, on)?;
            if offered < 0 {
                return Err(Refused(REFUSED_AMOUNT));
            }
            // A late offer during an escalation is recorded; the escalation goes on.
            if claim.state != State::Escalated {
                next.state = State::Answered;
            }
            next.answered_on = Some(on);
            next.last_offer = Some(offered);
        }
        Action::Escalate { on, body, .. } => {
            if claim.state == State::Filed {
                return Err(Refused(REFUSED_NOT_SENT));
            }
            not_before_sending(claim, on)?;
            next.state = State::Escalated;
            next.escalated_on = Some(on);
            next.body = Some(body);
        }
        Action::Resolve {
            on,
            outcome,
            received,
        } => {
            not_before_sending(claim, on)?;
            if !received_fits(outcome, received, claim.amount_claimed) {
                return Err(Refused(REFUSED_AMOUNT));
            }
            next.state = State::Resolved;
            next.closed_on = Some(on);
            next.outcome = Some(outcome);
            next.received = Some(received);
        }
        Action::Withdraw { on } => {
            not_before_sending(claim, on)?;
            next.state = State::Withdrawn;
            next.closed_on = Some(on);
        }
    }
    Ok(next)
}

/// Every action name, in the order the claim's page offers them.
pub const ACTION_NAMES: [&str; 5] = ["send", "answer", "escalate", "resolve", "withdraw"];

/// The actions [`apply`] accepts from `state` (given a possible date and amount), by name.
pub fn allowed_actions(state: State) -> &'static [&'static str] {
    match state {
        State::Filed => &["send", "resolve", "withdraw"],
        State::Sent | State::Answered | State::Escalated => {
            &["answer", "escalate", "resolve", "withdraw"]
        }
        State::Resolved | State::Withdrawn => &[],
    }
}

/// Nothing that follows the sending can be dated before it.
fn not_before_sending(claim: &Claim, on: NaiveDate) -> Result<(), Refused> {
    match claim.sent_on {
        Some(sent) if on < sent => Err(Refused(REFUSED_DATE_ORDER)),
        _ => Ok(()),
    }
}

/// Whether the amount received agrees with the outcome.
fn received_fits(outcome: Outcome, received: i64, claimed: i64) -> bool {
    match outcome {
        Outcome::FullRefund => received > 0,
        Outcome::PartialRefund => received > 0 && received < claimed,
        Outcome::NoRefund => received == 0,
    }
}

/// `date` plus `days`, saturating at chrono's limits instead of panicking.
fn plus_days(date: NaiveDate, days: i64) -> NaiveDate {
    TimeDelta::try_days(days)
        .and_then(|delta| date.checked_add_signed(delta))
        .unwrap_or(if days < 0 {
            NaiveDate::MIN
        } else {
            NaiveDate::MAX
        })
}

/// The day the provider's answer is due: `answer_days` after the claim was sent.
pub fn answer_due(claim: &Claim, profile: &Profile) -> Option<NaiveDate> {
    claim
        .sent_on
        .map(|sent| plus_days(sent, profile.answer_days))
}

/// The day the telecom mediator's opinion is due, when the claim was last taken to it.
pub fn body_due(claim: &Claim, profile: &Profile) -> Option<NaiveDate> {
    match (claim.body, claim.escalated_on) {
        (Some(Body::Mediator), Some(on)) => Some(plus_days(on, profile.mediator_opinion_days)),
        _ => None,
    }
}

/// The first and last days on which the telecom mediator may be seized, counted from the
/// day the claim was sent.
pub fn mediator_window(claim: &Claim, profile: &Profile) -> Option<(NaiveDate, NaiveDate)> {
    claim.sent_on.map(|sent| window_from(sent, profile))
}

fn window_from(sent: NaiveDate, profile: &Profile) -> (NaiveDate, NaiveDate) {
    (
        plus_days(sent, profile.mediator_after_days),
        plus_days(sent, profile.mediator_within_days),
    )
}

/// Derived, never stored: Sent with no answer past answer_due, or Escalated to the mediator
/// past body_due. The due day itself is still in time.
pub fn is_overdue(claim: &Claim, profile: &Profile, today: NaiveDate) -> bool {
    let due = match claim.state {
        State::Sent => answer_due(claim, profile),
        State::Escalated => body_due(claim, profile),
        _ => None,
    };
    due.is_some_and(|due| today > due)
}

/// What to do next, in plain words: a catalog key plus the named dates and amounts it uses.
/// The names are the message's Fluent variables; the caller formats the values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NextStep {
    pub key: &'static str,
    pub dates: Vec<(&'static str, NaiveDate)>,
    pub amounts: Vec<(&'static str, i64)>,
}

impl NextStep {
    fn new(
        key: &'static str,
        dates: &[(&'static str, NaiveDate)],
        amounts: &[(&'static str, i64)],
    ) -> NextStep {
        NextStep {
            key,
            dates: dates.to_vec(),
            amounts: amounts.to_vec(),
        }
    }
}

/// The advice shown on the claim's page for `today`.
pub fn next_step(claim: &Claim, profile: &Profile, today: NaiveDate) -> NextStep {
    // A claim past `filed` always has a sending date; should one be missing, the filing
    // date stands in for it rather than losing the advice.
    let sent = claim.sent_on.unwrap_or(claim.filed_on);
    match claim.state {
        State::Filed => NextStep::new("next-filed", &[], &[]),
        State::Sent => {
            let due = plus_days(sent, profile.answer_days);
            if today > due {
                mediator_step(
                    sent,
                    profile,
                    today,
                    "next-sent-overdue",
                    &[("due", due)],
                    &[],
                )
            } else {
                NextStep::new("next-sent", &[("due", due)], &[])
            }
        }
        State::Answered => {
            let offered = claim.last_offer.unwrap_or(0);
            let claimed = claim.amount_claimed;
            if offered >= claimed {
                NextStep::new("next-answered-full", &[], &[("offered", offered)])
            } else if offered <= 0 {
                mediator_step(sent, profile, today, "next-answered-refused", &[], &[])
            } else {
                mediator_step(
                    sent,
                    profile,
                    today,
                    "next-answered-partial",
                    &[],
                    &[("offered", offered), ("claimed", claimed)],
                )
            }
        }
        State::Escalated => match (claim.body, body_due(claim, profile)) {
            (Some(Body::Mediator), Some(due)) if today > due => {
                NextStep::new("next-escalated-mediator-overdue", &[("due", due)], &[])
            }
            (Some(Body::Mediator), Some(due)) => {
                NextStep::new("next-escalated-mediator", &[("due", due)], &[])
            }
            (Some(Body::Association), _) => NextStep::new("next-escalated-association", &[], &[]),
            (Some(Body::Court), _) => NextStep::new("next-escalated-court", &[], &[]),
            _ => NextStep::new("next-escalated", &[], &[]),
        },
        State::Resolved => match (claim.outcome, claim.closed_on, claim.received) {
            (Some(Outcome::FullRefund), Some(closed), Some(received)) => NextStep::new(
                "next-resolved-full-refund",
                &[("closed_on", closed)],
                &[("received", received)],
            ),
            (Some(Outcome::PartialRefund), Some(closed), Some(received)) => NextStep::new(
                "next-resolved-partial-refund",
                &[("closed_on", closed)],
                &[("received", received), ("claimed", claim.amount_claimed)],
            ),
            (Some(Outcome::NoRefund), Some(closed), _) => {
                NextStep::new("next-resolved-no-refund", &[("closed_on", closed)], &[])
            }
            _ => NextStep::new("next-closed", &[], &[]),
        },
        State::Withdrawn => match claim.closed_on {
            Some(closed) => NextStep::new("next-withdrawn", &[("closed_on", closed)], &[]),
            None => NextStep::new("next-closed", &[], &[]),
        },
    }
}

/// A step that points to the telecom mediator, with its window; once the window has closed,
/// the step that points to court instead.
fn mediator_step(
    sent: NaiveDate,
    profile: &Profile,
    today: NaiveDate,
    key: &'static str,
    dates: &[(&'static str, NaiveDate)],
    amounts: &[(&'static str, i64)],
) -> NextStep {
    let (from, until) = window_from(sent, profile);
    if today > until {
        return NextStep::new("next-mediator-expired", &[("mediator_until", until)], &[]);
    }
    let mut step = NextStep::new(key, dates, amounts);
    step.dates
        .extend([("mediator_from", from), ("mediator_until", until)]);
    step
}

/// Parses the claim form's raw values (`get(name)` returns "" for a missing field) into an
/// Action. Fields: `action` (send, answer, escalate, resolve, withdraw), `on` (YYYY-MM-DD,
/// required for every action, not after `today`), `channel` (send), `reference` (send,
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
    let kind = get("action");
    let kind = kind.trim();
    if kind.is_empty() {
        errors.add("action", ERROR_REQUIRED);
    } else if !ACTION_NAMES.contains(&kind) {
        errors.add("action", ERROR_CHOICE);
    }
    let on = parse_date(&get("on"), today, &mut errors);

    let action = match kind {
        "send" => {
            let channel = parse_choice(&get("channel"), "channel", Channel::parse, &mut errors);
            let reference = optional_text(
                &get("reference"),
                "reference",
                REFERENCE_MAX_CHARS,
                ERROR_REFERENCE_TOO_LONG,
                &mut errors,
            );
            match (on, channel) {
                (Some(on), Some(channel)) => Some(Action::Send {
                    on,
                    channel,
                    reference,
                }),
                _ => None,
            }
        }
        "answer" => {
            let offered = match amount {
                None => {
                    errors.add("amount", ERROR_REQUIRED);
                    None
                }
                Some(amount) => non_negative(amount, &mut errors),
            };
            let note = optional_note(&get("note"), &mut errors);
            match (on, offered) {
                (Some(on), Some(offered)) => Some(Action::Answer { on, offered, note }),
                _ => None,
            }
        }
        "escalate" => {
            let body = parse_choice(&get("body"), "body", Body::parse, &mut errors);
            let note = optional_note(&get("note"), &mut errors);
            match (on, body) {
                (Some(on), Some(body)) => Some(Action::Escalate { on, body, note }),
                _ => None,
            }
        }
        "resolve" => {
            let outcome = parse_choice(&get("outcome"), "outcome", Outcome::parse, &mut errors);
            let given = match amount {
                None => Some(None),
                Some(amount) => non_negative(amount, &mut errors).map(Some),
            };
            let received = match (outcome, given) {
                (Some(outcome), Some(given)) => received_for(outcome, given, claimed, &mut errors),
                _ => None,
            };
            match (on, outcome, received) {
                (Some(on), Some(outcome), Some(received)) => Some(Action::Resolve {
                    on,
                    outcome,
                    received,
                }),
                _ => None,
            }
        }
        "withdraw" => on.map(|on| Action::Withdraw { on }),
        _ => None,
    };
    match action {
        Some(action) if errors.is_empty() => Ok(action),
        _ => Err(errors),
    }
}

/// A `YYYY-MM-DD` date, not after `today`.
fn parse_date(raw: &str, today: NaiveDate, errors: &mut FieldErrors) -> Option<NaiveDate> {
    let raw = raw.trim();
    if raw.is_empty() {
        errors.add("on", ERROR_REQUIRED);
        return None;
    }
    let date = super::complaint::parse_date(raw);
    match date {
        None => {
            errors.add("on", ERROR_DATE);
            None
        }
        Some(date) if date > today => {
            errors.add("on", ERROR_DATE_FUTURE);
            None
        }
        Some(date) => Some(date),
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
    use super::*;
    use proptest::prelude::*;
    use std::collections::{BTreeMap, BTreeSet};

    const EN: &str = include_str!("../../i18n/claim.en.ftl");
    const FR: &str = include_str!("../../i18n/claim.fr.ftl");
    const MAIN_EN: &str = include_str!("../../i18n/en.ftl");
    const MAIN_FR: &str = include_str!("../../i18n/fr.ftl");
    const SOURCE: &str = include_str!("claim.rs");

    const CLAIMED: i64 = 8_900;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn profile() -> Profile {
        Profile::default()
    }

    const FILED: (i32, u32, u32) = (2024, 1, 10);
    const SENT: (i32, u32, u32) = (2024, 1, 15);
    const ANSWERED: (i32, u32, u32) = (2024, 2, 1);
    const ESCALATED: (i32, u32, u32) = (2024, 3, 20);
    const CLOSED: (i32, u32, u32) = (2024, 4, 2);
    /// After every date of the fixtures.
    const LATER: (i32, u32, u32) = (2024, 6, 1);

    fn day((y, m, dd): (i32, u32, u32)) -> NaiveDate {
        d(y, m, dd)
    }

    fn step(claim: &Claim, action: Action) -> Claim {
        apply(claim, &action).unwrap_or_else(|e| panic!("{action:?} on {claim:?}: {e:?}"))
    }

    fn filed() -> Claim {
        Claim::new(CLAIMED, day(FILED))
    }

    fn sent() -> Claim {
        step(
            &filed(),
            Action::Send {
                on: day(SENT),
                channel: Channel::RegisteredLetter,
                reference: Some("REF-1".into()),
            },
        )
    }

    fn answered(offered: i64) -> Claim {
        step(
            &sent(),
            Action::Answer {
                on: day(ANSWERED),
                offered,
                note: None,
            },
        )
    }

    fn escalated(body: Body) -> Claim {
        step(
            &answered(2_000),
            Action::Escalate {
                on: day(ESCALATED),
                body,
                note: None,
            },
        )
    }

    fn resolved(outcome: Outcome, received: i64) -> Claim {
        step(
            &escalated(Body::Mediator),
            Action::Resolve {
                on: day(CLOSED),
                outcome,
                received,
            },
        )
    }

    fn withdrawn() -> Claim {
        step(&sent(), Action::Withdraw { on: day(CLOSED) })
    }

    /// A consistent claim in each state, reached through `apply`.
    fn claim_in(state: State) -> Claim {
        let claim = match state {
            State::Filed => filed(),
            State::Sent => sent(),
            State::Answered => answered(2_000),
            State::Escalated => escalated(Body::Mediator),
            State::Resolved => resolved(Outcome::PartialRefund, 4_000),
            State::Withdrawn => withdrawn(),
        };
        assert_eq!(claim.state, state);
        claim
    }

    /// A valid action of each kind, dated after every fixture date.
    fn action_of(kind: &str, on: NaiveDate) -> Action {
        match kind {
            "send" => Action::Send {
                on,
                channel: Channel::Email,
                reference: None,
            },
            "answer" => Action::Answer {
                on,
                offered: 5_000,
                note: Some("Geste commercial".into()),
            },
            "escalate" => Action::Escalate {
                on,
                body: Body::Court,
                note: None,
            },
            "resolve" => Action::Resolve {
                on,
                outcome: Outcome::PartialRefund,
                received: 5_000,
            },
            "withdraw" => Action::Withdraw { on },
            other => panic!("no action {other}"),
        }
    }

    use State::*;
    const KINDS: [&str; 5] = ACTION_NAMES;

    /// Every (state, action) pair and what it gives.
    #[rustfmt::skip]
    const TABLE: [(State, &str, Result<State, &str>); 30] = [
        (Filed, "send", Ok(Sent)),
        (Filed, "answer", Err("claim-refused-not-sent")),
        (Filed, "escalate", Err("claim-refused-not-sent")),
        (Filed, "resolve", Ok(Resolved)),
        (Filed, "withdraw", Ok(Withdrawn)),
        (Sent, "send", Err("claim-refused-already-sent")),
        (Sent, "answer", Ok(Answered)),
        (Sent, "escalate", Ok(Escalated)),
        (Sent, "resolve", Ok(Resolved)),
        (Sent, "withdraw", Ok(Withdrawn)),
        (Answered, "send", Err("claim-refused-already-sent")),
        (Answered, "answer", Ok(Answered)),
        (Answered, "escalate", Ok(Escalated)),
        (Answered, "resolve", Ok(Resolved)),
        (Answered, "withdraw", Ok(Withdrawn)),
        (Escalated, "send", Err("claim-refused-already-sent")),
        (Escalated, "answer", Ok(Escalated)),
        (Escalated, "escalate", Ok(Escalated)),
        (Escalated, "resolve", Ok(Resolved)),
        (Escalated, "withdraw", Ok(Withdrawn)),
        (Resolved, "send", Err("claim-refused-closed")),
        (Resolved, "answer", Err("claim-refused-closed")),
        (Resolved, "escalate", Err("claim-refused-closed")),
        (Resolved, "resolve", Err("claim-refused-closed")),
        (Resolved, "withdraw", Err("claim-refused-closed")),
        (Withdrawn, "send", Err("claim-refused-closed")),
        (Withdrawn, "answer", Err("claim-refused-closed")),
        (Withdrawn, "escalate", Err("claim-refused-closed")),
        (Withdrawn, "resolve", Err("claim-refused-closed")),
        (Withdrawn, "withdraw", Err("claim-refused-closed")),
    ];

    fn expected(state: State, kind: &str) -> Result<State, &'static str> {
        TABLE
            .iter()
            .find(|(s, k, _)| *s == state && *k == kind)
            .map(|(_, _, r)| *r)
            .unwrap()
    }

    #[test]
    fn the_table_covers_every_pair_once() {
        let pairs: BTreeSet<(&str, &str)> =
            TABLE.iter().map(|(s, k, _)| (s.as_str(), *k)).collect();
        assert_eq!(pairs.len(), State::ALL.len() * KINDS.len());
    }

    #[test]
    fn every_state_and_action_pair() {
        for (state, kind, want) in TABLE {
            let before = claim_in(state);
            let action = action_of(kind, day(LATER));
            assert_eq!(action.name(), kind);
            let got = apply(&before, &action).map(|c| c.state);
            assert_eq!(got, want.map_err(Refused), "{kind} from {state:?}");
        }
    }

    #[test]
    fn allowed_actions_agree_with_the_table() {
        for state in State::ALL {
            let from_table: Vec<&str> = KINDS
                .into_iter()
                .filter(|kind| expected(state, kind).is_ok())
                .collect();
            assert_eq!(allowed_actions(state), from_table, "{state:?}");
        }
    }

    #[test]
    fn moves_record_their_facts() {
        let s = sent();
        assert_eq!(s.sent_on, Some(day(SENT)));
        let a = answered(0);
        assert_eq!(
            (a.answered_on, a.last_offer),
            (Some(day(ANSWERED)), Some(0))
        );
        let e = escalated(Body::Association);
        assert_eq!(
            (e.escalated_on, e.body, e.last_offer),
            (Some(day(ESCALATED)), Some(Body::Association), Some(2_000))
        );
        // A further body replaces the previous one.
        let court = step(&e, action_of("escalate", day(LATER)));
        assert_eq!(
            (court.escalated_on, court.body),
            (Some(day(LATER)), Some(Body::Court))
        );
        // A late offer during an escalation is recorded without leaving it.
        let offer = step(&e, action_of("answer", day(LATER)));
        assert_eq!(offer.state, Escalated);
        assert_eq!(
            (offer.answered_on, offer.last_offer),
            (Some(day(LATER)), Some(5_000))
        );
        let r = resolved(Outcome::FullRefund, CLAIMED);
        assert_eq!(
            (r.closed_on, r.outcome, r.received),
            (Some(day(CLOSED)), Some(Outcome::FullRefund), Some(CLAIMED))
        );
        let w = withdrawn();
        assert_eq!(
            (w.closed_on, w.outcome, w.received),
            (Some(day(CLOSED)), None, None)
        );
        assert_eq!(w.sent_on, Some(day(SENT)));
    }

    #[test]
    fn closed_claims_refuse_everything() {
        for state in [Resolved, Withdrawn] {
            let claim = claim_in(state);
            for kind in KINDS {
                // Even an action that would otherwise be refused for its date.
                assert_eq!(
                    apply(&claim, &action_of(kind, day(FILED))),
                    Err(Refused("claim-refused-closed"))
                );
            }
        }
    }

    #[test]
    fn dates_follow_the_sending() {
        let before = day(SENT).pred_opt().unwrap();
        for kind in ["answer", "escalate", "resolve", "withdraw"] {
            for state in [Sent, Answered, Escalated] {
                assert_eq!(
                    apply(&claim_in(state), &action_of(kind, before)),
                    Err(Refused("claim-refused-date-order")),
                    "{kind} from {state:?}"
                );
                // The day of the sending itself is fine.
                assert!(apply(&claim_in(state), &action_of(kind, day(SENT))).is_ok());
            }
        }
        // A letter sent before the claim was recorded here.
        let early = apply(&filed(), &action_of("send", d(2023, 12, 1))).unwrap();
        assert_eq!(early.sent_on, Some(d(2023, 12, 1)));
        // Never sent: closing takes any date.
        assert!(apply(&filed(), &action_of("resolve", d(2020, 1, 1))).is_ok());
        assert!(apply(&filed(), &action_of("withdraw", d(2020, 1, 1))).is_ok());
        // State refusals come before date refusals.
        assert_eq!(
            apply(&claim_in(Sent), &action_of("send", d(2000, 1, 1))),
            Err(Refused("claim-refused-already-sent"))
        );
    }

    #[test]
    fn amounts_must_be_possible() {
        let refused = Err(Refused("claim-refused-amount"));
        let answer = |offered| Action::Answer {
            on: day(LATER),
            offered,
            note: None,
        };
        assert_eq!(apply(&sent(), &answer(-1)), refused);
        assert!(apply(&sent(), &answer(0)).is_ok());
        assert!(apply(&sent(), &answer(CLAIMED * 2)).is_ok());
        let resolve = |outcome, received| Action::Resolve {
            on: day(LATER),
            outcome,
            received,
        };
        for (outcome, received, ok) in [
            (Outcome::FullRefund, CLAIMED, true),
            (Outcome::FullRefund, CLAIMED + 1_000, true),
            (Outcome::FullRefund, 0, false),
            (Outcome::FullRefund, -1, false),
            (Outcome::PartialRefund, 1, true),
            (Outcome::PartialRefund, CLAIMED - 1, true),
            (Outcome::PartialRefund, 0, false),
            (Outcome::PartialRefund, CLAIMED, false),
            (Outcome::PartialRefund, -5, false),
            (Outcome::NoRefund, 0, true),
            (Outcome::NoRefund, 1, false),
            (Outcome::NoRefund, -1, false),
        ] {
            let got = apply(&answered(100), &resolve(outcome, received));
            if ok {
                assert_eq!(got.unwrap().received, Some(received));
            } else {
                assert_eq!(got, refused, "{outcome:?} {received}");
            }
        }
    }

    #[test]
    fn due_dates_and_mediator_window() {
        let p = profile();
        assert_eq!(answer_due(&filed(), &p), None);
        assert_eq!(answer_due(&sent(), &p), Some(d(2024, 2, 14)));
        assert_eq!(mediator_window(&filed(), &p), None);
        assert_eq!(
            mediator_window(&sent(), &p),
            Some((d(2024, 3, 15), d(2025, 1, 14)))
        );
        assert_eq!(body_due(&sent(), &p), None);
        assert_eq!(body_due(&escalated(Body::Association), &p), None);
        assert_eq!(body_due(&escalated(Body::Court), &p), None);
        assert_eq!(
            body_due(&escalated(Body::Mediator), &p),
            Some(d(2024, 6, 18))
        );
        // Mediator then court: the court has no deadline of ours.
        let court = step(
            &escalated(Body::Mediator),
            action_of("escalate", day(LATER)),
        );
        assert_eq!(body_due(&court, &p), None);
        // Another profile (United Kingdom: eight weeks).
        let uk = Profile {
            answer_days: 56,
            mediator_after_days: 56,
            mediator_within_days: 365,
            mediator_opinion_days: 90,
        };
        assert_eq!(answer_due(&sent(), &uk), Some(d(2024, 3, 11)));
        // Absurd profiles saturate instead of panicking.
        let absurd = Profile {
            answer_days: i64::MAX,
            mediator_after_days: i64::MIN,
            mediator_within_days: i64::MAX,
            mediator_opinion_days: i64::MAX,
        };
        assert_eq!(answer_due(&sent(), &absurd), Some(NaiveDate::MAX));
        assert_eq!(
            mediator_window(&sent(), &absurd),
            Some((NaiveDate::MIN, NaiveDate::MAX))
        );
    }

    #[test]
    fn overdue_is_derived() {
        let p = profile();
        let due = d(2024, 2, 14);
        let after = due.succ_opt().unwrap();
        assert!(!is_overdue(&sent(), &p, due));
        assert!(is_overdue(&sent(), &p, after));
        // Answered, the provider is no longer late.
        assert!(!is_overdue(&answered(0), &p, d(2030, 1, 1)));
        assert!(!is_overdue(&filed(), &p, d(2030, 1, 1)));
        let mediator = escalated(Body::Mediator);
        assert!(!is_overdue(&mediator, &p, d(2024, 6, 18)));
        assert!(is_overdue(&mediator, &p, d(2024, 6, 19)));
        assert!(!is_overdue(
            &escalated(Body::Association),
            &p,
            d(2030, 1, 1)
        ));
        assert!(!is_overdue(&escalated(Body::Court), &p, d(2030, 1, 1)));
        for closed in [resolved(Outcome::NoRefund, 0), withdrawn()] {
            assert!(!is_overdue(&closed, &p, d(2030, 1, 1)));
        }
    }

    fn next(claim: &Claim, today: NaiveDate) -> NextStep {
        next_step(claim, &profile(), today)
    }

    fn ns(
        key: &'static str,
        dates: &[(&'static str, NaiveDate)],
        amounts: &[(&'static str, i64)],
    ) -> NextStep {
        NextStep::new(key, dates, amounts)
    }

    #[test]
    fn next_step_for_each_situation() {
        let window = [
            ("mediator_from", d(2024, 3, 15)),
            ("mediator_until", d(2025, 1, 14)),
        ];
        let expired = ns(
            "next-mediator-expired",
            &[("mediator_until", d(2025, 1, 14))],
            &[],
        );
        let year_later = d(2025, 1, 15);

        assert_eq!(next(&filed(), day(FILED)), ns("next-filed", &[], &[]));

        let due = ("due", d(2024, 2, 14));
        assert_eq!(next(&sent(), d(2024, 2, 14)), ns("next-sent", &[due], &[]));
        let overdue = ns("next-sent-overdue", &[due, window[0], window[1]], &[]);
        assert_eq!(next(&sent(), d(2024, 2, 15)), overdue);
        assert_eq!(next(&sent(), d(2025, 1, 14)), overdue);
        assert_eq!(next(&sent(), year_later), expired);

        let full = ns("next-answered-full", &[], &[("offered", CLAIMED)]);
        assert_eq!(next(&answered(CLAIMED), day(LATER)), full);
        let more = ns("next-answered-full", &[], &[("offered", CLAIMED + 1)]);
        assert_eq!(next(&answered(CLAIMED + 1), day(LATER)), more);
        let partial = ns(
            "next-answered-partial",
            &window,
            &[("offered", 2_000), ("claimed", CLAIMED)],
        );
        assert_eq!(next(&answered(2_000), day(LATER)), partial);
        assert_eq!(next(&answered(2_000), year_later), expired);
        let refused = ns("next-answered-refused", &window, &[]);
        assert_eq!(next(&answered(0), day(LATER)), refused);
        assert_eq!(next(&answered(0), year_later), expired);

        let mediator = escalated(Body::Mediator);
        let opinion = ("due", d(2024, 6, 18));
        assert_eq!(
            next(&mediator, d(2024, 6, 18)),
            ns("next-escalated-mediator", &[opinion], &[])
        );
        assert_eq!(
            next(&mediator, d(2024, 6, 19)),
            ns("next-escalated-mediator-overdue", &[opinion], &[])
        );
        assert_eq!(
            next(&escalated(Body::Association), day(LATER)),
            ns("next-escalated-association", &[], &[])
        );
        assert_eq!(
            next(&escalated(Body::Court), day(LATER)),
            ns("next-escalated-court", &[], &[])
        );

        let closed = ("closed_on", day(CLOSED));
        assert_eq!(
            next(&resolved(Outcome::FullRefund, CLAIMED), day(LATER)),
            ns(
                "next-resolved-full-refund",
                &[closed],
                &[("received", CLAIMED)]
            )
        );
        assert_eq!(
            next(&resolved(Outcome::PartialRefund, 4_000), day(LATER)),
            ns(
                "next-resolved-partial-refund",
                &[closed],
                &[("received", 4_000), ("claimed", CLAIMED)]
            )
        );
        assert_eq!(
            next(&resolved(Outcome::NoRefund, 0), day(LATER)),
            ns("next-resolved-no-refund", &[closed], &[])
        );
        assert_eq!(
            next(&withdrawn(), day(LATER)),
            ns("next-withdrawn", &[closed], &[])
        );
    }

    #[test]
    fn next_step_survives_inconsistent_rows() {
        let p = profile();
        let mut claim = filed();
        claim.state = Sent; // no sending date: the filing date stands in
        assert_eq!(
            next_step(&claim, &p, day(FILED)),
            ns("next-sent", &[("due", d(2024, 2, 9))], &[])
        );
        claim.state = Escalated;
        assert_eq!(next_step(&claim, &p, day(FILED)).key, "next-escalated");
        claim.state = Resolved;
        assert_eq!(next_step(&claim, &p, day(FILED)).key, "next-closed");
        claim.state = Withdrawn;
        assert_eq!(next_step(&claim, &p, day(FILED)).key, "next-closed");
        claim.state = Answered; // no offer recorded: read as a refusal
        assert_eq!(
            next_step(&claim, &p, day(FILED)).key,
            "next-answered-refused"
        );
    }

    #[test]
    fn names_round_trip() {
        for s in State::ALL {
            assert_eq!(State::parse(s.as_str()), Some(s));
        }
        for c in Channel::ALL {
            assert_eq!(Channel::parse(c.as_str()), Some(c));
        }
        for b in Body::ALL {
            assert_eq!(Body::parse(b.as_str()), Some(b));
        }
        for o in Outcome::ALL {
            assert_eq!(Outcome::parse(o.as_str()), Some(o));
        }
        assert_eq!(State::parse("Filed"), None);
        assert_eq!(Channel::parse("registered-letter"), None);
        assert_eq!(Body::parse(""), None);
        assert_eq!(Outcome::parse("refund"), None);
        let terminal: Vec<State> = State::ALL.into_iter().filter(|s| s.is_terminal()).collect();
        assert_eq!(terminal, [Resolved, Withdrawn]);
        for kind in KINDS {
            assert_eq!(action_of(kind, day(LATER)).on(), day(LATER));
        }
    }

    // parse_action

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
        for bad in [
            "2024-02-30",
            "02/05/2024",
            "2024-5-2",
            "+2024-05-02",
            "2024-05-02x",
            "yesterday",
            "２０２４-05-02",
        ] {
            assert_eq!(
                errors(&[("action", "withdraw"), ("on", bad)], None),
                [("on", "claim-error-date")],
                "{bad}"
            );
        }
        assert_eq!(
            errors(&[("action", "withdraw"), ("on", "2024-06-01")], None),
            [("on", "claim-error-date-future")]
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
            assert_eq!(apply(&answered(0), &action).unwrap().state, Resolved);
        }
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

    /// Catalog keys written as string literals in the code above the tests.
    fn keys_in_code() -> BTreeSet<&'static str> {
        let code = SOURCE.split("#[cfg(test)]").next().unwrap();
        code.split('"')
            .skip(1)
            .step_by(2)
            .filter(|s| (s.starts_with("claim-") || s.starts_with("next-")) && key_shaped(s))
            .collect()
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

    #[test]
    fn every_key_of_the_code_is_in_the_catalogs_and_the_reverse() {
        let catalog: BTreeSet<String> = messages(EN).into_keys().collect();
        let used: BTreeSet<String> = keys_in_code().into_iter().map(str::to_string).collect();
        assert_eq!(
            used.difference(&catalog).collect::<Vec<_>>(),
            Vec::<&String>::new(),
            "used but missing from the catalogs"
        );
        assert_eq!(
            catalog.difference(&used).collect::<Vec<_>>(),
            Vec::<&String>::new(),
            "in the catalogs but never used"
        );
        // The shared keys this module relies on.
        let main = messages_loose(MAIN_EN);
        for key in [ERROR_REQUIRED, ERROR_CHOICE] {
            assert!(main.contains(key), "{key}");
        }
        // The label helpers point at real keys.
        let labels = State::ALL
            .map(State::label_key)
            .into_iter()
            .chain(Channel::ALL.map(Channel::label_key))
            .chain(Body::ALL.map(Body::label_key))
            .chain(Outcome::ALL.map(Outcome::label_key))
            .chain(KINDS.map(|k| action_of(k, day(LATER)).label_key()));
        for key in labels {
            assert!(catalog.contains(key), "{key}");
        }
    }

    #[test]
    fn next_steps_pass_exactly_the_variables_their_messages_use() {
        let catalog = messages(EN);
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
                state: Escalated,
                ..filed()
            },
            Claim {
                state: Resolved,
                ..filed()
            },
        ];
        let mut seen = BTreeSet::new();
        for claim in &claims {
            for today in [
                day(LATER),
                d(2024, 1, 20),
                d(2024, 2, 20),
                d(2024, 12, 1),
                d(2026, 1, 1),
            ] {
                let step = next(claim, today);
                let names: BTreeSet<String> = step
                    .dates
                    .iter()
                    .map(|(n, _)| n.to_string())
                    .chain(step.amounts.iter().map(|(n, _)| n.to_string()))
                    .collect();
                assert_eq!(Some(&names), catalog.get(step.key), "{}", step.key);
                seen.insert(step.key);
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

    // Random sequences

    fn any_action() -> impl Strategy<Value = Action> {
        let on = (0i64..200).prop_map(|n| plus_days(d(2024, 1, 1), n));
        let amount = -100i64..(CLAIMED * 2);
        prop_oneof![
            (on.clone(), prop::sample::select(Channel::ALL.to_vec())).prop_map(|(on, channel)| {
                Action::Send {
                    on,
                    channel,
                    reference: None,
                }
            }),
            (on.clone(), amount.clone()).prop_map(|(on, offered)| Action::Answer {
                on,
                offered,
                note: None
            }),
            (on.clone(), prop::sample::select(Body::ALL.to_vec())).prop_map(|(on, body)| {
                Action::Escalate {
                    on,
                    body,
                    note: None,
                }
            }),
            (
                on.clone(),
                prop::sample::select(Outcome::ALL.to_vec()),
                prop_oneof![amount, Just(0), Just(CLAIMED)]
            )
                .prop_map(|(on, outcome, received)| Action::Resolve {
                    on,
                    outcome,
                    received
                }),
            on.prop_map(|on| Action::Withdraw { on }),
        ]
    }

    /// What every stored claim satisfies, whatever the path that led to it.
    fn check_invariants(claim: &Claim) {
        let sent = claim.sent_on.is_some();
        match claim.state {
            Filed => assert!(!sent && claim.closed_on.is_none()),
            Sent => assert!(sent && claim.answered_on.is_none() && claim.body.is_none()),
            Answered => assert!(sent && claim.last_offer.is_some_and(|o| o >= 0)),
            Escalated => assert!(sent && claim.escalated_on.is_some() && claim.body.is_some()),
            Resolved => {
                let (outcome, received) = (claim.outcome.unwrap(), claim.received.unwrap());
                assert!(claim.closed_on.is_some());
                assert!(received_fits(outcome, received, claim.amount_claimed));
            }
            Withdrawn => assert!(claim.closed_on.is_some() && claim.outcome.is_none()),
        }
        assert_eq!(claim.answered_on.is_some(), claim.last_offer.is_some());
        assert_eq!(claim.escalated_on.is_some(), claim.body.is_some());
        for later in [claim.answered_on, claim.escalated_on]
            .into_iter()
            .flatten()
        {
            assert!(claim.sent_on.is_some_and(|s| s <= later));
        }
    }

    proptest! {
        #[test]
        fn random_sequences_follow_the_table(actions in prop::collection::vec(any_action(), 1..16)) {
            let mut claim = Claim::new(CLAIMED, d(2024, 1, 1));
            for action in &actions {
                let want = expected(claim.state, action.name());
                match apply(&claim, action) {
                    Ok(next) => {
                        prop_assert_eq!(Ok(next.state), want, "{:?} on {:?}", action, claim);
                        prop_assert!(!claim.state.is_terminal());
                        check_invariants(&next);
                        claim = next;
                    }
                    Err(Refused(key)) => match want {
                        Err(expected_key) => prop_assert_eq!(key, expected_key),
                        Ok(_) => prop_assert!(
                            key == "claim-refused-date-order" || key == "claim-refused-amount",
                            "{} for {:?} on {:?}", key, action, claim
                        ),
                    },
                }
            }
        }
    }
}
