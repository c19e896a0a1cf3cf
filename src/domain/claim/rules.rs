//! The state machine: which move each state allows, and what a move records.

use chrono::NaiveDate;

use super::action::{Action, ActionKind, Body, Channel, Outcome};
use super::deadlines::{Profile, body_open, plus_days};
use crate::domain::provider_answer::PortalRecord;

choices!(
    /// Where a claim stands. Stored as text.
    State {
        Filed = "filed",
        Sent = "sent",
        Answered = "answered",
        Escalated = "escalated",
        Resolved = "resolved",
        Withdrawn = "withdrawn",
    }
);

impl State {
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

/// Why [`apply`] refused a move: HTTP 409 with the message shown on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// The claim is resolved or withdrawn.
    Closed,
    AlreadySent,
    NotSent,
    /// Dated before the claim was sent.
    DateOrder,
    /// An amount the outcome makes impossible.
    Amount,
    /// Taken to a body of the ladder on a day it may not be seized: before the provider
    /// failed the claim, before its window opens or after it closes. The page offers a body
    /// only when it is open.
    StepWindow,
    /// Taken to a body that is not on the ladder of the subscriber's country.
    NotOnLadder,
}

impl Refused {
    /// The catalog key of the reason's text.
    pub fn message_key(self) -> &'static str {
        match self {
            Refused::Closed => "claim-refused-closed",
            Refused::AlreadySent => "claim-refused-already-sent",
            Refused::NotSent => "claim-refused-not-sent",
            Refused::DateOrder => "claim-refused-date-order",
            Refused::Amount => "claim-refused-amount",
            Refused::StepWindow => "claim-refused-step-window",
            Refused::NotOnLadder => "claim-refused-not-on-ladder",
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
    pub channel: Option<Channel>,
    pub provider_ref: Option<String>,
    /// Fixed when the claim is sent, with the answer time then in force: the pages and the
    /// statistics both read this one date.
    pub answer_due_on: Option<NaiveDate>,
    pub first_answered_on: Option<NaiveDate>,
    pub answered_on: Option<NaiveDate>,
    pub last_offer: Option<i64>,
    pub escalated_on: Option<NaiveDate>,
    pub body: Option<Body>,
    /// Resolved or withdrawn.
    pub closed_on: Option<NaiveDate>,
    pub outcome: Option<Outcome>,
    pub received: Option<i64>,
    /// What the provider answered on Recours and what the subscriber replied.
    pub portal: PortalRecord,
}

impl Claim {
    /// A claim just recorded on the portal.
    pub fn new(amount_claimed: i64, filed_on: NaiveDate) -> Claim {
        Claim {
            state: State::Filed,
            amount_claimed,
            filed_on,
            sent_on: None,
            channel: None,
            provider_ref: None,
            answer_due_on: None,
            first_answered_on: None,
            answered_on: None,
            last_offer: None,
            escalated_on: None,
            body: None,
            closed_on: None,
            outcome: None,
            received: None,
            portal: PortalRecord::default(),
        }
    }
}

/// The table of moves: from `state`, the state a move of `kind` leads to, or why it is
/// refused. The one place that says which move is allowed from which state; [`apply`] and
/// [`allowed_actions`] both read it.
pub fn transition(state: State, kind: ActionKind) -> Result<State, Refused> {
    use ActionKind::*;
    use State::*;
    match (state, kind) {
        (Resolved | Withdrawn, _) => Err(Refused::Closed),
        (Filed, Send) => Ok(Sent),
        (_, Send) => Err(Refused::AlreadySent),
        (Filed, Answer | Escalate) => Err(Refused::NotSent),
        // A late offer during an escalation is recorded; the escalation goes on.
        (Escalated, Answer) => Ok(Escalated),
        (_, Answer) => Ok(Answered),
        (_, Escalate) => Ok(Escalated),
        (_, Resolve) => Ok(Resolved),
        (_, Withdraw) => Ok(Withdrawn),
    }
}

/// The moves [`apply`] accepts from `state` (given a possible date and amount), in the
/// order the claim's page offers them.
pub fn allowed_actions(state: State) -> Vec<ActionKind> {
    ActionKind::ALL
        .iter()
        .copied()
        .filter(|kind| transition(state, *kind).is_ok())
        .collect()
}

/// The transition function: the new claim, or why the move is refused. Pure.
///
/// Checks, in order: the move is allowed from the claim's state (a closed claim allows
/// none), the date is not before the day the claim was sent, the amount is possible, the
/// body is on the subscriber's ladder and open on the day of the move.
/// Sending fixes the answer's due date with the profile's answer time.
pub fn apply(claim: &Claim, action: &Action, profile: &Profile) -> Result<Claim, Refused> {
    let mut next = claim.clone();
    next.state = transition(claim.state, action.kind())?;
    match action {
        Action::Send {
            on,
            channel,
            reference,
        } => {
            // The letter may well predate its recording on the portal: no date check.
            next.sent_on = Some(*on);
            next.channel = Some(*channel);
            next.provider_ref = reference.clone();
            let days = if *channel == Channel::Recours {
                profile.provider_answer_days
            } else {
                profile.answer_days
            };
            next.answer_due_on = Some(plus_days(*on, days));
        }
        Action::Answer { on, offered, .. } => {
            not_before_sending(claim, *on)?;
            if *offered < 0 {
                return Err(Refused::Amount);
            }
            next.first_answered_on = claim.first_answered_on.or(Some(*on));
            next.answered_on = Some(*on);
            next.last_offer = Some(*offered);
        }
        Action::Escalate { on, body, .. } => {
            not_before_sending(claim, *on)?;
            if body.on_ladder() && profile.step(*body).is_none() {
                return Err(Refused::NotOnLadder);
            }
            if !body_open(claim, profile, *body, *on) {
                return Err(Refused::StepWindow);
            }
            next.escalated_on = Some(*on);
            next.body = Some(*body);
        }
        Action::Resolve {
            on,
            outcome,
            received,
        } => {
            not_before_sending(claim, *on)?;
            if !received_fits(*outcome, *received, claim.amount_claimed) {
                return Err(Refused::Amount);
            }
            next.closed_on = Some(*on);
            next.outcome = Some(*outcome);
            next.received = Some(*received);
        }
        Action::Withdraw { on } => {
            not_before_sending(claim, *on)?;
            next.closed_on = Some(*on);
        }
    }
    Ok(next)
}

/// Nothing that follows the sending can be dated before it.
fn not_before_sending(claim: &Claim, on: NaiveDate) -> Result<(), Refused> {
    match claim.sent_on {
        Some(sent) if on < sent => Err(Refused::DateOrder),
        _ => Ok(()),
    }
}

/// Whether the amount received agrees with the outcome.
pub(super) fn received_fits(outcome: Outcome, received: i64, claimed: i64) -> bool {
    match outcome {
        Outcome::FullRefund => received > 0,
        Outcome::PartialRefund => received > 0 && received < claimed,
        Outcome::NoRefund => received == 0,
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeSet;

    use ActionKind::*;
    use State::*;

    /// Every (state, action) pair and what it gives.
    #[rustfmt::skip]
    const TABLE: [(State, ActionKind, Result<State, Refused>); 30] = [
        (Filed, Send, Ok(Sent)),
        (Filed, Answer, Err(Refused::NotSent)),
        (Filed, Escalate, Err(Refused::NotSent)),
        (Filed, Resolve, Ok(Resolved)),
        (Filed, Withdraw, Ok(Withdrawn)),
        (Sent, Send, Err(Refused::AlreadySent)),
        (Sent, Answer, Ok(Answered)),
        (Sent, Escalate, Ok(Escalated)),
        (Sent, Resolve, Ok(Resolved)),
        (Sent, Withdraw, Ok(Withdrawn)),
        (Answered, Send, Err(Refused::AlreadySent)),
        (Answered, Answer, Ok(Answered)),
        (Answered, Escalate, Ok(Escalated)),
        (Answered, Resolve, Ok(Resolved)),
        (Answered, Withdraw, Ok(Withdrawn)),
        (Escalated, Send, Err(Refused::AlreadySent)),
        (Escalated, Answer, Ok(Escalated)),
        (Escalated, Escalate, Ok(Escalated)),
        (Escalated, Resolve, Ok(Resolved)),
        (Escalated, Withdraw, Ok(Withdrawn)),
        (Resolved, Send, Err(Refused::Closed)),
        (Resolved, Answer, Err(Refused::Closed)),
        (Resolved, Escalate, Err(Refused::Closed)),
        (Resolved, Resolve, Err(Refused::Closed)),
        (Resolved, Withdraw, Err(Refused::Closed)),
        (Withdrawn, Send, Err(Refused::Closed)),
        (Withdrawn, Answer, Err(Refused::Closed)),
        (Withdrawn, Escalate, Err(Refused::Closed)),
        (Withdrawn, Resolve, Err(Refused::Closed)),
        (Withdrawn, Withdraw, Err(Refused::Closed)),
    ];

    fn expected(state: State, kind: ActionKind) -> Result<State, Refused> {
        TABLE
            .iter()
            .find(|(s, k, _)| *s == state && *k == kind)
            .map(|(_, _, r)| *r)
            .unwrap()
    }

    #[test]
    fn the_table_covers_every_pair_once() {
        let pairs: BTreeSet<(State, ActionKind)> = TABLE.iter().map(|(s, k, _)| (*s, *k)).collect();
        assert_eq!(pairs.len(), State::ALL.len() * ActionKind::ALL.len());
    }

    #[test]
    fn every_state_and_action_pair() {
        for (state, kind, want) in TABLE {
            let before = claim_in(state);
            let action = action_of(kind, day(LATER));
            assert_eq!(transition(state, kind), want, "{kind:?} from {state:?}");
            let got = apply(&before, &action, &profile()).map(|c| c.state);
            assert_eq!(got, want, "{kind:?} from {state:?}");
        }
    }

    #[test]
    fn allowed_actions_in_the_page_order() {
        let open = [Answer, Escalate, Resolve, Withdraw];
        for (state, want) in [
            (Filed, &[Send, Resolve, Withdraw][..]),
            (Sent, &open),
            (Answered, &open),
            (Escalated, &open),
            (Resolved, &[]),
            (Withdrawn, &[]),
        ] {
            assert_eq!(allowed_actions(state), want, "{state:?}");
        }
    }

    #[test]
    fn moves_record_their_facts() {
        let s = sent();
        assert_eq!(
            (s.sent_on, s.channel, s.provider_ref.as_deref()),
            (
                Some(day(SENT)),
                Some(Channel::RegisteredLetter),
                Some("REF-1")
            )
        );
        // Sending fixes the answer's due date with the answer time then in force.
        assert_eq!(s.answer_due_on, Some(d(2024, 2, 14)));
        let uk = Profile {
            answer_days: 56,
            ..profile()
        };
        let send = action_of(Send, day(SENT));
        let s_uk = apply(&filed(), &send, &uk).unwrap();
        assert_eq!(s_uk.answer_due_on, Some(d(2024, 3, 11)));
        // An absurd answer time saturates instead of panicking.
        let absurd = Profile {
            answer_days: i64::MAX,
            ..profile()
        };
        let s_absurd = apply(&filed(), &send, &absurd).unwrap();
        assert_eq!(s_absurd.answer_due_on, Some(NaiveDate::MAX));
        // Sent through Recours, the provider's own answer time applies.
        let portal = Profile {
            provider_answer_days: 10,
            ..profile()
        };
        let through_recours = Action::Send {
            on: day(SENT),
            channel: Channel::Recours,
            reference: None,
        };
        let s_portal = apply(&filed(), &through_recours, &portal).unwrap();
        assert_eq!(s_portal.answer_due_on, Some(d(2024, 1, 25)));
        let a = answered(0);
        assert_eq!(
            (a.answered_on, a.first_answered_on, a.last_offer),
            (Some(day(ANSWERED)), Some(day(ANSWERED)), Some(0))
        );
        // A second answer replaces the offer; the first answer's day stays.
        let again = step(&a, action_of(Answer, day(LATER)));
        assert_eq!(
            (again.answered_on, again.first_answered_on, again.last_offer),
            (Some(day(LATER)), Some(day(ANSWERED)), Some(5_000))
        );
        assert_eq!(again.answer_due_on, s.answer_due_on);
        let e = escalated(Body::Association);
        assert_eq!(
            (e.escalated_on, e.body, e.last_offer),
            (Some(day(ESCALATED)), Some(Body::Association), Some(2_000))
        );
        // A further body replaces the previous one.
        let court = step(&e, action_of(Escalate, day(LATER)));
        assert_eq!(
            (court.escalated_on, court.body),
            (Some(day(LATER)), Some(Body::Court))
        );
        // A late offer during an escalation is recorded without leaving it.
        let offer = step(&e, action_of(Answer, day(LATER)));
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
            for &kind in ActionKind::ALL {
                // Even an action that would otherwise be refused for its date.
                assert_eq!(
                    apply(&claim, &action_of(kind, day(FILED)), &profile()),
                    Err(Refused::Closed)
                );
            }
        }
    }

    #[test]
    fn dates_follow_the_sending() {
        let before = day(SENT).pred_opt().unwrap();
        let p = profile();
        for kind in [Answer, Escalate, Resolve, Withdraw] {
            for state in [Sent, Answered, Escalated] {
                assert_eq!(
                    apply(&claim_in(state), &action_of(kind, before), &p),
                    Err(Refused::DateOrder),
                    "{kind:?} from {state:?}"
                );
                // The day of the sending itself is fine, but for a court while the provider
                // is still in time.
                let got = apply(&claim_in(state), &action_of(kind, day(SENT)), &p);
                if (kind, state) == (Escalate, Sent) {
                    assert_eq!(got, Err(Refused::StepWindow));
                } else {
                    assert!(got.is_ok(), "{kind:?} from {state:?}");
                }
            }
        }
        // A letter sent before the claim was recorded here.
        let early = apply(&filed(), &action_of(Send, d(2023, 12, 1)), &p).unwrap();
        assert_eq!(early.sent_on, Some(d(2023, 12, 1)));
        // Never sent: closing takes any date.
        assert!(apply(&filed(), &action_of(Resolve, d(2020, 1, 1)), &p).is_ok());
        assert!(apply(&filed(), &action_of(Withdraw, d(2020, 1, 1)), &p).is_ok());
        // State refusals come before date refusals.
        assert_eq!(
            apply(&claim_in(Sent), &action_of(Send, d(2000, 1, 1)), &p),
            Err(Refused::AlreadySent)
        );
    }

    #[test]
    fn the_mediator_is_seized_only_inside_its_window() {
        let p = profile();
        let (from, until) = (d(2024, 3, 15), d(2025, 1, 14));
        let to = |body, on| Action::Escalate {
            on,
            body,
            note: None,
        };
        for state in [Sent, Answered] {
            let claim = claim_in(state);
            for on in [
                day(SENT),
                from.pred_opt().unwrap(),
                until.succ_opt().unwrap(),
            ] {
                assert_eq!(
                    apply(&claim, &to(Body::Mediator, on), &p),
                    Err(Refused::StepWindow),
                    "{on} from {state:?}"
                );
            }
            for on in [from, until] {
                assert!(apply(&claim, &to(Body::Mediator, on), &p).is_ok());
            }
            // The court: no waiting time confirmed, so from the provider's failure on; an
            // association at any time.
            assert!(apply(&claim, &to(Body::Court, day(LATER)), &p).is_ok());
            assert!(apply(&claim, &to(Body::Association, day(SENT)), &p).is_ok());
            // Not a French body.
            assert_eq!(
                apply(&claim, &to(Body::Regulator, day(LATER)), &p),
                Err(Refused::NotOnLadder)
            );
        }
        // Sent, the provider still in time: no body of the ladder yet.
        assert_eq!(
            apply(&sent(), &to(Body::Court, day(ANSWERED)), &p),
            Err(Refused::StepWindow)
        );
    }

    /// A Moroccan subscriber: the regulator (ANRT) once the provider failed, whatever the
    /// day, since no public source gives a waiting time; neither the French mediator nor a
    /// court, which the Moroccan ladder does not name.
    #[test]
    fn a_moroccan_claim_goes_to_the_regulator_only() {
        let p = profile().for_country(crate::domain::country::Country::Ma);
        let to = |body, on| Action::Escalate {
            on,
            body,
            note: None,
        };
        let claim = apply(&filed(), &action_of(Send, day(SENT)), &p).unwrap();
        let due = claim.answer_due_on.unwrap();
        assert_eq!(
            apply(&claim, &to(Body::Regulator, due), &p),
            Err(Refused::StepWindow),
            "the provider is still in time"
        );
        let overdue = due.succ_opt().unwrap();
        let escalated = apply(&claim, &to(Body::Regulator, overdue), &p).unwrap();
        assert_eq!(escalated.body, Some(Body::Regulator));
        for body in [Body::Mediator, Body::Court] {
            assert_eq!(
                apply(&claim, &to(body, day(LATER)), &p),
                Err(Refused::NotOnLadder),
                "{body:?}"
            );
        }
        let answered = apply(&claim, &action_of(Answer, day(ANSWERED)), &p).unwrap();
        assert!(apply(&answered, &to(Body::Regulator, day(ANSWERED)), &p).is_ok());
    }

    #[test]
    fn amounts_must_be_possible() {
        let refused = Err(Refused::Amount);
        let p = profile();
        let answer = |offered| Action::Answer {
            on: day(LATER),
            offered,
            note: None,
        };
        assert_eq!(apply(&sent(), &answer(-1), &p), refused);
        assert!(apply(&sent(), &answer(0), &p).is_ok());
        assert!(apply(&sent(), &answer(CLAIMED * 2), &p).is_ok());
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
            let got = apply(&answered(100), &resolve(outcome, received), &p);
            if ok {
                assert_eq!(got.unwrap().received, Some(received));
            } else {
                assert_eq!(got, refused, "{outcome:?} {received}");
            }
        }
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
            Sent => assert!(
                sent && claim.answer_due_on.is_some()
                    && claim.answered_on.is_none()
                    && claim.body.is_none()
            ),
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
        assert_eq!(
            claim.answered_on.is_some(),
            claim.first_answered_on.is_some()
        );
        assert_eq!(claim.sent_on.is_some(), claim.answer_due_on.is_some());
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
                let want = expected(claim.state, action.kind());
                match apply(&claim, action, &profile()) {
                    Ok(next) => {
                        prop_assert_eq!(Ok(next.state), want, "{:?} on {:?}", action, claim);
                        prop_assert!(!claim.state.is_terminal());
                        check_invariants(&next);
                        claim = next;
                    }
                    Err(refused) => match want {
                        Err(expected) => prop_assert_eq!(refused, expected),
                        Ok(_) => prop_assert!(
                            refused == Refused::DateOrder
                                || refused == Refused::Amount
                                || refused == Refused::StepWindow
                                || refused == Refused::NotOnLadder,
                            "{:?} for {:?} on {:?}", refused, action, claim
                        ),
                    },
                }
            }
        }
    }
}
