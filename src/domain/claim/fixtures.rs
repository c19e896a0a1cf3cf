//! The claims and moves the unit tests share: a consistent claim in each state, reached
//! through `apply`.

use chrono::NaiveDate;

use super::*;

pub(super) const CLAIMED: i64 = 8_900;

pub(super) fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub(super) fn profile() -> Profile {
    Profile::default()
}

pub(super) const FILED: (i32, u32, u32) = (2024, 1, 10);
pub(super) const SENT: (i32, u32, u32) = (2024, 1, 15);
pub(super) const ANSWERED: (i32, u32, u32) = (2024, 2, 1);
pub(super) const ESCALATED: (i32, u32, u32) = (2024, 3, 20);
pub(super) const CLOSED: (i32, u32, u32) = (2024, 4, 2);
/// After every date of the fixtures.
pub(super) const LATER: (i32, u32, u32) = (2024, 6, 1);

pub(super) fn day((y, m, dd): (i32, u32, u32)) -> NaiveDate {
    d(y, m, dd)
}

pub(super) fn step(claim: &Claim, action: Action) -> Claim {
    apply(claim, &action, &profile()).unwrap_or_else(|e| panic!("{action:?} on {claim:?}: {e:?}"))
}

pub(super) fn filed() -> Claim {
    Claim::new(CLAIMED, day(FILED))
}

pub(super) fn sent() -> Claim {
    step(
        &filed(),
        Action::Send {
            on: day(SENT),
            channel: Channel::RegisteredLetter,
            reference: Some("REF-1".into()),
        },
    )
}

pub(super) fn answered(offered: i64) -> Claim {
    step(
        &sent(),
        Action::Answer {
            on: day(ANSWERED),
            offered,
            note: None,
        },
    )
}

pub(super) fn escalated(body: Body) -> Claim {
    step(
        &answered(2_000),
        Action::Escalate {
            on: day(ESCALATED),
            body,
            note: None,
        },
    )
}

pub(super) fn resolved(outcome: Outcome, received: i64) -> Claim {
    step(
        &escalated(Body::Mediator),
        Action::Resolve {
            on: day(CLOSED),
            outcome,
            received,
        },
    )
}

pub(super) fn withdrawn() -> Claim {
    step(&sent(), Action::Withdraw { on: day(CLOSED) })
}

/// A consistent claim in each state, reached through `apply`.
pub(super) fn claim_in(state: State) -> Claim {
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
pub(super) fn action_of(kind: ActionKind, on: NaiveDate) -> Action {
    match kind {
        ActionKind::Send => Action::Send {
            on,
            channel: Channel::Email,
            reference: None,
        },
        ActionKind::Answer => Action::Answer {
            on,
            offered: 5_000,
            note: Some("Geste commercial".into()),
        },
        ActionKind::Escalate => Action::Escalate {
            on,
            body: Body::Court,
            note: None,
        },
        ActionKind::Resolve => Action::Resolve {
            on,
            outcome: Outcome::PartialRefund,
            received: 5_000,
        },
        ActionKind::Withdraw => Action::Withdraw { on },
    }
}

pub(super) fn next(claim: &Claim, today: NaiveDate) -> Vec<NextStep> {
    next_step(claim, &profile(), today)
}

pub(super) fn ns(
    key: &'static str,
    dates: &[(&'static str, NaiveDate)],
    amounts: &[(&'static str, i64)],
) -> NextStep {
    NextStep::new(key, dates, amounts)
}
