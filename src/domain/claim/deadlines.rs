//! The escalation ladder's deadlines, what is derived from them (overdue, each body's
//! window) and the next step to take.

use chrono::{NaiveDate, TimeDelta};

use super::action::{Body, Outcome};
use super::rules::{Claim, State};
use crate::domain::country::Country;
use crate::domain::ladder::{self, Step};

/// What a claim's deadlines follow: the answer times (configured, in days) and the
/// escalation ladder of the subscriber's country of residence (`directory/ladders.json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Profile {
    /// The provider's answer is due this long after the claim was sent.
    pub answer_days: i64,
    /// The provider's answer to a claim sent through Recours is due this long after.
    pub provider_answer_days: i64,
    /// The telecom mediator gives its opinion this long after being seized.
    pub mediator_opinion_days: i64,
    /// The bodies after the provider, their windows, addresses and sources.
    pub ladder: &'static ladder::Profile,
}

impl Default for Profile {
    /// France: one month for the answer, the mediator's opinion within 90 days.
    fn default() -> Profile {
        Profile {
            answer_days: 30,
            provider_answer_days: 30,
            mediator_opinion_days: 90,
            ladder: ladder::shipped().for_country(Country::Fr),
        }
    }
}

impl Profile {
    /// The same answer times with the ladder of `country`.
    pub fn for_country(self, country: Country) -> Profile {
        Profile {
            ladder: ladder::shipped().for_country(country),
            ..self
        }
    }

    /// The step of the ladder that is `body`, when the ladder has it.
    pub fn step(&self, body: Body) -> Option<&'static Step> {
        let ladder: &'static ladder::Profile = self.ladder;
        ladder
            .steps
            .iter()
            .find(|s| body.on_ladder() && s.id == body.as_str())
    }

    /// The bodies of the ladder, in its order, with their steps.
    pub fn bodies(&self) -> impl Iterator<Item = (Body, &'static Step)> {
        let ladder: &'static ladder::Profile = self.ladder;
        ladder
            .steps
            .iter()
            .filter_map(|s| Body::parse(&s.id).map(|b| (b, s)))
    }

    /// Whether the ladder has the provider's consumer service (the second level).
    fn has_second_level(&self) -> bool {
        self.ladder
            .steps
            .iter()
            .any(|s| s.id == ladder::PROVIDER_STEPS[1])
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

/// When a body may be seized, counted from the day the claim was sent. No `from`: no public
/// source gives a waiting time, so the body opens with the provider's failure alone; no
/// `until`: no known end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub from: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
}

impl Window {
    fn of(step: &Step, sent: NaiveDate) -> Window {
        Window {
            from: step.opens_after_days.map(|d| plus_days(sent, d)),
            until: step.closes_after_days.map(|d| plus_days(sent, d)),
        }
    }

    fn contains(&self, day: NaiveDate) -> bool {
        self.from.is_none_or(|from| day >= from) && self.until.is_none_or(|until| day <= until)
    }
}

/// The window of a body of the ladder, once the claim was sent.
pub fn window(claim: &Claim, profile: &Profile, body: Body) -> Option<Window> {
    Some(Window::of(profile.step(body)?, claim.sent_on?))
}

/// The day the telecom mediator's opinion is due, when the claim was last taken to it.
pub fn body_due(claim: &Claim, profile: &Profile) -> Option<NaiveDate> {
    match (claim.body, claim.escalated_on) {
        (Some(Body::Mediator), Some(on)) => Some(plus_days(on, profile.mediator_opinion_days)),
        _ => None,
    }
}

/// The first and last days on which the telecom mediator may be seized, when the ladder
/// has one with both days known (the French one): the reminders count down to them.
pub fn mediator_window(claim: &Claim, profile: &Profile) -> Option<(NaiveDate, NaiveDate)> {
    let w = window(claim, profile, Body::Mediator)?;
    Some((w.from?, w.until?))
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

/// Whether the claim may be taken to `body` on `day` (the page offers the move, and the
/// rules accept it): a body of the subscriber's ladder, once the provider failed the claim
/// and inside the body's window. A consumer association, off the ladders, may always be
/// asked. Before the window opens the page says from when.
pub fn body_open(claim: &Claim, profile: &Profile, body: Body, day: NaiveDate) -> bool {
    if !body.on_ladder() {
        return true;
    }
    provider_failed(claim, profile, day)
        && window(claim, profile, body).is_some_and(|w| w.contains(day))
}

/// Whether the letter to `body` is available: a body of the ladder one writes to, while it
/// may be seized, and for good once the claim was escalated (a closed claim keeps its
/// letters).
pub fn body_letter(claim: &Claim, profile: &Profile, body: Body, today: NaiveDate) -> bool {
    body.takes_letter()
        && profile.step(body).is_some()
        && (claim.escalated_on.is_some() || body_open(claim, profile, body, today))
}

/// Whether the letter to the provider's consumer service (the second level) is available:
/// when the ladder has that service, once the provider answered or its answer is overdue,
/// and from then on.
pub fn consumer_service_letter(claim: &Claim, profile: &Profile, today: NaiveDate) -> bool {
    profile.has_second_level()
        && claim.sent_on.is_some()
        && (claim.first_answered_on.is_some()
            || claim.escalated_on.is_some()
            || claim.closed_on.is_some()
            || provider_failed(claim, profile, today))
}

/// One sentence of advice, in plain words: a catalog key plus the named dates and amounts
/// it uses, and the body of the ladder it names (its `$body`). The names are the message's
/// Fluent variables; the caller formats the values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NextStep {
    pub key: &'static str,
    pub dates: Vec<(&'static str, NaiveDate)>,
    pub amounts: Vec<(&'static str, i64)>,
    pub body: Option<&'static Step>,
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
            body: None,
        }
    }

    fn naming(self, step: &'static Step) -> NextStep {
        NextStep {
            body: Some(step),
            ..self
        }
    }
}

/// The advice shown on the claim's page for `today`: one sentence, or what happened then
/// the way up the subscriber's ladder.
pub fn next_step(claim: &Claim, profile: &Profile, today: NaiveDate) -> Vec<NextStep> {
    // A claim past `filed` always has a sending date and a due date; should one be missing,
    // the filing date stands in for the sending rather than losing the advice.
    let sent = claim.sent_on.unwrap_or(claim.filed_on);
    let one = |key, dates: &[_], amounts: &[_]| vec![NextStep::new(key, dates, amounts)];
    match claim.state {
        State::Filed => one("next-filed", &[], &[]),
        State::Sent => {
            let due = claim
                .answer_due_on
                .unwrap_or_else(|| plus_days(sent, profile.answer_days));
            if today > due {
                let happened = NextStep::new("next-sent-overdue", &[("due", due)], &[]);
                up_the_ladder(happened, sent, profile, today)
            } else {
                one("next-sent", &[("due", due)], &[])
            }
        }
        State::Answered => {
            let offered = claim.last_offer.unwrap_or(0);
            let claimed = claim.amount_claimed;
            let happened = if offered >= claimed {
                return one("next-answered-full", &[], &[("offered", offered)]);
            } else if offered <= 0 {
                NextStep::new("next-answered-refused", &[], &[])
            } else {
                NextStep::new(
                    "next-answered-partial",
                    &[],
                    &[("offered", offered), ("claimed", claimed)],
                )
            };
            up_the_ladder(happened, sent, profile, today)
        }
        State::Escalated => match (claim.body, body_due(claim, profile)) {
            (Some(Body::Mediator), Some(due)) if today > due => {
                one("next-escalated-mediator-overdue", &[("due", due)], &[])
            }
            (Some(Body::Mediator), Some(due)) => {
                one("next-escalated-mediator", &[("due", due)], &[])
            }
            (Some(Body::Association), _) => one("next-escalated-association", &[], &[]),
            (Some(Body::Court), _) => one("next-escalated-court", &[], &[]),
            (Some(body), _) => match profile.step(body) {
                Some(step) => vec![NextStep::new("next-escalated-body", &[], &[]).naming(step)],
                None => one("next-escalated", &[], &[]),
            },
            _ => one("next-escalated", &[], &[]),
        },
        State::Resolved => match (claim.outcome, claim.closed_on, claim.received) {
            (Some(Outcome::FullRefund), Some(closed), Some(received)) => one(
                "next-resolved-full-refund",
                &[("closed_on", closed)],
                &[("received", received)],
            ),
            (Some(Outcome::PartialRefund), Some(closed), Some(received)) => one(
                "next-resolved-partial-refund",
                &[("closed_on", closed)],
                &[("received", received), ("claimed", claim.amount_claimed)],
            ),
            (Some(Outcome::NoRefund), Some(closed), _) => {
                one("next-resolved-no-refund", &[("closed_on", closed)], &[])
            }
            _ => one("next-closed", &[], &[]),
        },
        State::Withdrawn => match claim.closed_on {
            Some(closed) => one("next-withdrawn", &[("closed_on", closed)], &[]),
            None => one("next-closed", &[], &[]),
        },
    }
}

/// What happened, then the first body of the ladder after the provider: from when it may be
/// seized (and, while waiting, the consumer service where the ladder has one), until when,
/// or that no public source gives the waiting time; once its window has closed, that it
/// has.
fn up_the_ladder(
    happened: NextStep,
    sent: NaiveDate,
    profile: &Profile,
    today: NaiveDate,
) -> Vec<NextStep> {
    let mut advice = vec![happened];
    let Some((_, step)) = profile.bodies().find(|(b, _)| b.takes_letter()) else {
        return advice;
    };
    let w = Window::of(step, sent);
    let (key, dates) = match (w.from, w.until) {
        (_, Some(until)) if today > until => ("next-step-expired", vec![("step_until", until)]),
        (None, _) => ("next-step-unconfirmed", vec![]),
        (Some(from), until) if today < from => {
            if profile.has_second_level() {
                advice.push(NextStep::new("next-second-level", &[], &[]));
            }
            match until {
                Some(until) => (
                    "next-step-wait",
                    vec![("step_from", from), ("step_until", until)],
                ),
                None => ("next-step-wait-open-ended", vec![("step_from", from)]),
            }
        }
        (Some(_), Some(until)) => ("next-step-open", vec![("step_until", until)]),
        (Some(_), None) => ("next-step-open-ended", vec![]),
    };
    advice.push(NextStep::new(key, &dates, &[]).naming(step));
    advice
}

#[cfg(test)]
mod tests {
    use super::super::State::*;
    use super::super::fixtures::*;
    use super::super::*;
    use crate::domain::country::Country;
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
        // No French mediator on another country's ladder.
        for c in [Country::Ma, Country::Tn, Country::Dz, Country::Other] {
            assert_eq!(mediator_window(&sent(), &p.for_country(c)), None, "{c:?}");
        }
    }

    /// Each profile's windows, counted from the sending (2024-01-15): the French mediator
    /// from 60 to 365 days, the Algerian regulator from 15 days with no end, the Moroccan
    /// and Tunisian regulators with no waiting time confirmed, the court without one.
    #[test]
    fn step_windows_per_profile() {
        let p = profile();
        let w = |c: Country, b: Body| window(&sent(), &p.for_country(c), b);
        let dated = |from, until| {
            Some(Window {
                from: Some(from),
                until,
            })
        };
        let unconfirmed = Some(Window {
            from: None,
            until: None,
        });
        assert_eq!(
            w(Country::Fr, Body::Mediator),
            dated(d(2024, 3, 15), Some(d(2025, 1, 14)))
        );
        assert_eq!(w(Country::Fr, Body::Court), unconfirmed);
        assert_eq!(w(Country::Fr, Body::Regulator), None);
        assert_eq!(w(Country::Ma, Body::Regulator), unconfirmed);
        assert_eq!(w(Country::Ma, Body::Mediator), None);
        assert_eq!(w(Country::Ma, Body::Court), None);
        assert_eq!(w(Country::Tn, Body::Regulator), unconfirmed);
        assert_eq!(w(Country::Dz, Body::Regulator), dated(d(2024, 1, 30), None));
        assert_eq!(w(Country::Other, Body::Regulator), unconfirmed);
        assert_eq!(w(Country::Be, Body::Court), unconfirmed);
        assert_eq!(w(Country::Fr, Body::Association), None);
        assert_eq!(window(&filed(), &p, Body::Mediator), None);
        // Absurd answer times saturate instead of panicking.
        let absurd = Profile {
            answer_days: i64::MAX,
            provider_answer_days: i64::MAX,
            mediator_opinion_days: i64::MAX,
            ..p
        };
        let far = apply(&filed(), &action_of(ActionKind::Send, day(SENT)), &absurd).unwrap();
        assert_eq!(far.answer_due_on, Some(NaiveDate::MAX));
        assert!(!body_open(&far, &absurd, Body::Mediator, d(2024, 6, 1)));
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
        let open = |c: &Claim, on| body_open(c, &p, Body::Mediator, on);
        let letter = |c: &Claim, on| body_letter(c, &p, Body::Mediator, on);
        let due = d(2024, 2, 14);
        assert!(!open(&filed(), d(2030, 1, 1)));
        let (from, until) = (d(2024, 3, 15), d(2025, 1, 14));
        let before = from.pred_opt().unwrap();
        let after = until.succ_opt().unwrap();
        assert!(!open(&sent(), due));
        // Overdue, but the mediator's window is not open yet: neither move nor letter.
        assert!(!open(&sent(), due.succ_opt().unwrap()));
        assert!(!letter(&sent(), before));
        assert!(open(&sent(), from));
        assert!(!open(&answered(0), day(ANSWERED)));
        assert!(open(&answered(0), from));
        assert!(open(&answered(0), until));
        assert!(!open(&answered(0), after));
        assert!(open(&escalated(Body::Court), day(ESCALATED)));
        for closed in [resolved(Outcome::NoRefund, 0), withdrawn()] {
            assert!(!open(&closed, d(2030, 1, 1)));
        }
        // Letters: the mediator's stays once escalated, even closed; none to a court or
        // to a body of another ladder; the consumer service's from the first failure of
        // the provider on.
        assert!(letter(&escalated(Body::Mediator), d(2030, 1, 1)));
        assert!(!body_letter(&answered(0), &p, Body::Court, from));
        assert!(!body_letter(&answered(0), &p, Body::Regulator, from));
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

    /// Morocco: the regulator and its letter from the provider's failure on (no waiting
    /// time confirmed), no consumer service, never the French mediator.
    #[test]
    fn the_moroccan_regulator_opens_with_the_providers_failure() {
        let p = profile().for_country(Country::Ma);
        let due = d(2024, 2, 14);
        let overdue = due.succ_opt().unwrap();
        assert!(!body_open(&sent(), &p, Body::Regulator, due));
        assert!(!body_letter(&sent(), &p, Body::Regulator, due));
        assert!(body_open(&sent(), &p, Body::Regulator, overdue));
        assert!(body_letter(&sent(), &p, Body::Regulator, overdue));
        assert!(body_open(&answered(0), &p, Body::Regulator, day(ANSWERED)));
        assert!(body_open(&sent(), &p, Body::Association, day(SENT)));
        for body in [Body::Mediator, Body::Court] {
            assert!(!body_open(&answered(0), &p, body, day(LATER)), "{body:?}");
            assert!(!body_letter(&answered(0), &p, body, day(LATER)), "{body:?}");
        }
        assert!(!consumer_service_letter(&answered(0), &p, day(LATER)));
    }

    fn keys(advice: &[NextStep]) -> Vec<&'static str> {
        advice.iter().map(|s| s.key).collect()
    }

    #[test]
    fn next_step_for_each_situation() {
        let fr = profile().ladder;
        let mediator = fr.steps.iter().find(|s| s.id == "mediator").unwrap();
        let on = |key, dates: &[_]| ns(key, dates, &[]).naming(mediator);
        let until = ("step_until", d(2025, 1, 14));
        let wait = on("next-step-wait", &[("step_from", d(2024, 3, 15)), until]);
        let open = on("next-step-open", &[until]);
        let expired = on("next-step-expired", &[until]);
        let second = ns("next-second-level", &[], &[]);
        let year_later = d(2025, 1, 15);

        assert_eq!(next(&filed(), day(FILED)), [ns("next-filed", &[], &[])]);

        let due = ("due", d(2024, 2, 14));
        assert_eq!(
            next(&sent(), d(2024, 2, 14)),
            [ns("next-sent", &[due], &[])]
        );
        let overdue = ns("next-sent-overdue", &[due], &[]);
        let waiting = [overdue.clone(), second.clone(), wait.clone()];
        assert_eq!(next(&sent(), d(2024, 2, 15)), waiting);
        assert_eq!(next(&sent(), d(2024, 3, 14)), waiting);
        assert_eq!(
            next(&sent(), d(2024, 3, 15)),
            [overdue.clone(), open.clone()]
        );
        assert_eq!(
            next(&sent(), d(2025, 1, 14)),
            [overdue.clone(), open.clone()]
        );
        assert_eq!(next(&sent(), year_later), [overdue, expired.clone()]);
        // The due date stored when the claim was sent, not today's answer time.
        let mut moved = sent();
        moved.answer_due_on = Some(d(2024, 3, 1));
        let stored = ns("next-sent", &[("due", d(2024, 3, 1))], &[]);
        assert_eq!(next(&moved, d(2024, 2, 20)), [stored]);

        let full = ns("next-answered-full", &[], &[("offered", CLAIMED)]);
        assert_eq!(next(&answered(CLAIMED), day(LATER)), [full]);
        let more = ns("next-answered-full", &[], &[("offered", CLAIMED + 1)]);
        assert_eq!(next(&answered(CLAIMED + 1), day(LATER)), [more]);
        let partial = ns(
            "next-answered-partial",
            &[],
            &[("offered", 2_000), ("claimed", CLAIMED)],
        );
        assert_eq!(
            next(&answered(2_000), day(LATER)),
            [partial.clone(), open.clone()]
        );
        assert_eq!(
            next(&answered(2_000), year_later),
            [partial.clone(), expired.clone()]
        );
        assert_eq!(
            next(&answered(2_000), day(ANSWERED)),
            [partial, second.clone(), wait.clone()]
        );
        let refused = ns("next-answered-refused", &[], &[]);
        assert_eq!(next(&answered(0), day(LATER)), [refused.clone(), open]);
        assert_eq!(
            next(&answered(0), day(ANSWERED)),
            [refused.clone(), second, wait]
        );
        assert_eq!(next(&answered(0), year_later), [refused, expired]);

        let opinion = ("due", d(2024, 6, 18));
        assert_eq!(
            next(&escalated(Body::Mediator), d(2024, 6, 18)),
            [ns("next-escalated-mediator", &[opinion], &[])]
        );
        assert_eq!(
            next(&escalated(Body::Mediator), d(2024, 6, 19)),
            [ns("next-escalated-mediator-overdue", &[opinion], &[])]
        );
        assert_eq!(
            next(&escalated(Body::Association), day(LATER)),
            [ns("next-escalated-association", &[], &[])]
        );
        assert_eq!(
            next(&escalated(Body::Court), day(LATER)),
            [ns("next-escalated-court", &[], &[])]
        );

        let closed = ("closed_on", day(CLOSED));
        assert_eq!(
            next(&resolved(Outcome::FullRefund, CLAIMED), day(LATER)),
            [ns(
                "next-resolved-full-refund",
                &[closed],
                &[("received", CLAIMED)]
            )]
        );
        assert_eq!(
            next(&resolved(Outcome::PartialRefund, 4_000), day(LATER)),
            [ns(
                "next-resolved-partial-refund",
                &[closed],
                &[("received", 4_000), ("claimed", CLAIMED)]
            )]
        );
        assert_eq!(
            next(&resolved(Outcome::NoRefund, 0), day(LATER)),
            [ns("next-resolved-no-refund", &[closed], &[])]
        );
        assert_eq!(
            next(&withdrawn(), day(LATER)),
            [ns("next-withdrawn", &[closed], &[])]
        );
    }

    /// Other ladders: the advice names their regulator, says plainly when no waiting time is
    /// confirmed, and never names the French mediator or its consumer service.
    #[test]
    fn next_step_follows_the_subscribers_ladder() {
        let ma = profile().for_country(Country::Ma);
        let anrt = ma.step(Body::Regulator).unwrap();
        let advice = next_step(&sent(), &ma, d(2024, 2, 15));
        assert_eq!(
            keys(&advice),
            ["next-sent-overdue", "next-step-unconfirmed"]
        );
        assert_eq!(advice[1].body, Some(anrt));
        assert!(anrt.body.en.contains("ANRT"));
        assert_eq!(
            keys(&next_step(&answered(0), &ma, day(ANSWERED))),
            ["next-answered-refused", "next-step-unconfirmed"]
        );
        let with_anrt = step_ma(&answered(0), &ma);
        assert_eq!(
            next_step(&with_anrt, &ma, day(LATER)),
            [ns("next-escalated-body", &[], &[]).naming(anrt)]
        );

        let dz = profile().for_country(Country::Dz);
        let from = ("step_from", d(2024, 1, 30));
        let advice = next_step(&sent(), &dz, d(2024, 1, 20));
        assert_eq!(advice, [ns("next-sent", &[("due", d(2024, 2, 14))], &[])]);
        let answered_early = next_step(&answered(0), &dz, d(2024, 1, 20));
        assert_eq!(
            keys(&answered_early),
            ["next-answered-refused", "next-step-wait-open-ended"]
        );
        assert_eq!(answered_early[1].dates, [from]);
        assert_eq!(
            keys(&next_step(&answered(0), &dz, d(2024, 1, 30))),
            ["next-answered-refused", "next-step-open-ended"]
        );
    }

    fn step_ma(claim: &Claim, p: &Profile) -> Claim {
        let action = Action::Escalate {
            on: day(LATER),
            body: Body::Regulator,
            note: None,
        };
        apply(claim, &action, p).unwrap()
    }

    #[test]
    fn next_step_survives_inconsistent_rows() {
        let p = profile();
        let mut claim = filed();
        claim.state = Sent; // no sending date: the filing date stands in
        assert_eq!(
            next_step(&claim, &p, day(FILED)),
            [ns("next-sent", &[("due", d(2024, 2, 9))], &[])]
        );
        claim.state = Escalated;
        assert_eq!(keys(&next_step(&claim, &p, day(FILED))), ["next-escalated"]);
        claim.state = Resolved;
        assert_eq!(keys(&next_step(&claim, &p, day(FILED))), ["next-closed"]);
        claim.state = Withdrawn;
        assert_eq!(keys(&next_step(&claim, &p, day(FILED))), ["next-closed"]);
        claim.state = Answered; // no offer recorded: read as a refusal
        assert_eq!(
            keys(&next_step(&claim, &p, day(FILED))),
            [
                "next-answered-refused",
                "next-second-level",
                "next-step-wait"
            ]
        );
    }
}
