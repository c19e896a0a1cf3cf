//! The escalation ladder's deadlines, what is derived from them (overdue, the mediator's
//! window) and the next step to take.

use chrono::{NaiveDate, TimeDelta};

use super::action::{Body, Outcome};
use super::rules::{Claim, State};

/// The escalation profile (France by default); all in days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Profile {
    /// The provider's answer is due this long after the claim was sent.
    pub answer_days: i64,
    /// The provider's answer to a claim sent through Recours is due this long after.
    pub provider_answer_days: i64,
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
            provider_answer_days: 30,
            mediator_after_days: 60,
            mediator_within_days: 365,
            mediator_opinion_days: 90,
        }
    }
}

/// `date` plus `days`, saturating at chrono's limits instead of panicking.
pub fn plus_days(date: NaiveDate, days: i64) -> NaiveDate {
    TimeDelta::try_days(days)
        .and_then(|delta| date.checked_add_signed(delta))
        .unwrap_or(if days < 0 {
            NaiveDate::MIN
        } else {
            NaiveDate::MAX
        })
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

/// Derived, never stored: Sent with no answer past its stored due date, or Escalated to the
/// mediator past body_due. The due day itself is still in time.
pub fn is_overdue(claim: &Claim, profile: &Profile, today: NaiveDate) -> bool {
    let due = match claim.state {
        State::Sent => claim.answer_due_on,
        State::Escalated => body_due(claim, profile),
        _ => None,
    };
    due.is_some_and(|due| today > due)
}

/// Whether the provider failed the claim: it answered (the page then weighs the offer) or
/// its answer is overdue, or the claim went further.
fn provider_failed(claim: &Claim, profile: &Profile, today: NaiveDate) -> bool {
    match claim.state {
        State::Answered | State::Escalated => true,
        State::Sent => is_overdue(claim, profile, today),
        _ => false,
    }
}

/// Whether the subscriber may turn to the mediator today (the page offers the move and the
/// letter): the provider failed the claim and today is inside the mediator's window. Before
/// the window opens the page says from when; a move dated outside it is refused.
pub fn mediator_open(claim: &Claim, profile: &Profile, today: NaiveDate) -> bool {
    provider_failed(claim, profile, today)
        && mediator_window(claim, profile)
            .is_some_and(|(from, until)| (from..=until).contains(&today))
}

/// Whether the letter to the mediator is available: while the mediator may be seized, and
/// for good once the claim was escalated (a closed claim keeps its letters).
pub fn mediator_letter(claim: &Claim, profile: &Profile, today: NaiveDate) -> bool {
    claim.escalated_on.is_some() || mediator_open(claim, profile, today)
}

/// Whether the letter to the provider's consumer service (the second level) is available:
/// once the provider answered or its answer is overdue, and from then on.
pub fn consumer_service_letter(claim: &Claim, profile: &Profile, today: NaiveDate) -> bool {
    claim.sent_on.is_some()
        && (claim.first_answered_on.is_some()
            || claim.escalated_on.is_some()
            || claim.closed_on.is_some()
            || provider_failed(claim, profile, today))
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
    pub(super) fn new(
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
    // A claim past `filed` always has a sending date and a due date; should one be missing,
    // the filing date stands in for the sending rather than losing the advice.
    let sent = claim.sent_on.unwrap_or(claim.filed_on);
    match claim.state {
        State::Filed => NextStep::new("next-filed", &[], &[]),
        State::Sent => {
            let due = claim
                .answer_due_on
                .unwrap_or_else(|| plus_days(sent, profile.answer_days));
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

/// A step that points to the telecom mediator, with its window; before the window opens,
/// the same step's `-wait` variant ("write to the consumer service; from <date> the
/// mediator"); once the window has closed, the step that points to court instead.
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
    let key = if today < from {
        match key {
            "next-sent-overdue" => "next-sent-overdue-wait",
            "next-answered-refused" => "next-answered-refused-wait",
            _ => "next-answered-partial-wait",
        }
    } else {
        key
    };
    let mut step = NextStep::new(key, dates, amounts);
    step.dates
        .extend([("mediator_from", from), ("mediator_until", until)]);
    step
}

#[cfg(test)]
mod tests {
    use super::super::State::*;
    use super::super::fixtures::*;
    use super::super::*;
    use chrono::NaiveDate;

    #[test]
    fn due_dates_and_mediator_window() {
        let p = profile();
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
            action_of(ActionKind::Escalate, day(LATER)),
        );
        assert_eq!(body_due(&court, &p), None);
        // Absurd profiles saturate instead of panicking.
        let absurd = Profile {
            answer_days: i64::MAX,
            provider_answer_days: i64::MAX,
            mediator_after_days: i64::MIN,
            mediator_within_days: i64::MAX,
            mediator_opinion_days: i64::MAX,
        };
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
        // The stored due date decides, whatever the answer time configured since.
        let longer = Profile {
            answer_days: 90,
            ..p
        };
        assert!(is_overdue(&sent(), &longer, after));
        let mut moved = sent();
        moved.answer_due_on = Some(after);
        assert!(!is_overdue(&moved, &p, after));
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

    #[test]
    fn the_mediator_opens_after_an_answer_or_a_late_one() {
        let p = profile();
        let due = d(2024, 2, 14);
        assert!(!mediator_open(&filed(), &p, d(2030, 1, 1)));
        let (from, until) = (d(2024, 3, 15), d(2025, 1, 14));
        let before = from.pred_opt().unwrap();
        let after = until.succ_opt().unwrap();
        assert!(!mediator_open(&sent(), &p, due));
        // Overdue, but the mediator's window is not open yet: neither move nor letter.
        assert!(!mediator_open(&sent(), &p, due.succ_opt().unwrap()));
        assert!(!mediator_letter(&sent(), &p, before));
        assert!(mediator_open(&sent(), &p, from));
        assert!(!mediator_open(&answered(0), &p, day(ANSWERED)));
        assert!(mediator_open(&answered(0), &p, from));
        assert!(mediator_open(&answered(0), &p, until));
        assert!(!mediator_open(&answered(0), &p, after));
        assert!(mediator_open(&escalated(Body::Court), &p, day(ESCALATED)));
        for closed in [resolved(Outcome::NoRefund, 0), withdrawn()] {
            assert!(!mediator_open(&closed, &p, d(2030, 1, 1)));
        }
        // Letters: the mediator's stays once escalated, even closed; the consumer
        // service's from the first failure of the provider on.
        assert!(mediator_letter(
            &escalated(Body::Mediator),
            &p,
            d(2030, 1, 1)
        ));
        assert!(!consumer_service_letter(&filed(), &p, d(2030, 1, 1)));
        assert!(!consumer_service_letter(&sent(), &p, due));
        assert!(consumer_service_letter(
            &sent(),
            &p,
            due.succ_opt().unwrap()
        ));
        assert!(consumer_service_letter(&answered(0), &p, day(ANSWERED)));
        assert!(consumer_service_letter(&withdrawn(), &p, d(2030, 1, 1)));
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
        let waiting = ns("next-sent-overdue-wait", &[due, window[0], window[1]], &[]);
        assert_eq!(next(&sent(), d(2024, 2, 15)), waiting);
        assert_eq!(next(&sent(), d(2024, 3, 14)), waiting);
        assert_eq!(next(&sent(), d(2024, 3, 15)), overdue);
        assert_eq!(next(&sent(), d(2025, 1, 14)), overdue);
        assert_eq!(next(&sent(), year_later), expired);
        // The due date stored when the claim was sent, not today's answer time.
        let mut moved = sent();
        moved.answer_due_on = Some(d(2024, 3, 1));
        let stored = ns("next-sent", &[("due", d(2024, 3, 1))], &[]);
        assert_eq!(next(&moved, d(2024, 2, 20)), stored);

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
        assert_eq!(
            next(&answered(0), day(ANSWERED)),
            ns("next-answered-refused-wait", &window, &[])
        );
        assert_eq!(
            next(&answered(2_000), day(ANSWERED)).key,
            "next-answered-partial-wait"
        );
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
            "next-answered-refused-wait"
        );
    }
}
