//! What one complaint adds to the statistics counters, and the figures read back from them.
//!
//! Every counter is the sum of `contributions` over all complaints. A change to a complaint
//! removes what its old state contributed and adds what its new state contributes, in the
//! same transaction; a recount sums the contributions afresh. Both use this one function, so
//! they cannot disagree on what is counted.
//!
//! **A complaint with several problems** (say a service cut and a price hike) counts once in
//! every total and rate (complaints, claims, states, outcomes, amounts, timeliness, days to
//! resolution), and once under each of its kinds in the split by kind: so the split by kind
//! can add up to more than the total. Its counters are keyed by its set of kinds
//! (`service_cut+price_hike`), which makes both hold by construction: totals sum every set
//! once, the split by kind adds a set's complaints to each kind it holds, and a selection of
//! one kind takes every set that holds it.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use super::claim::{Channel, Claim, Outcome, State};
use super::complaint::{Kind, Kinds};
use super::money::Currency;
use super::provider_answer::{PortalRecord, Reply, ResponseType};

/// The facts about a complaint that the statistics count. Nothing personal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    pub provider_id: String,
    pub filed_on: NaiveDate,
    pub kinds: Kinds,
    pub currency: Currency,
    pub claim: Option<ClaimFacts>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimFacts {
    pub state: State,
    pub amount_claimed: i64,
    pub outcome: Option<Outcome>,
    pub received: Option<i64>,
    pub escalated_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    /// Set when the claim was sent: the day the provider's answer is due.
    pub answer_due_on: Option<NaiveDate>,
    pub first_answered_on: Option<NaiveDate>,
    pub channel: Option<Channel>,
    pub sent_on: Option<NaiveDate>,
    pub portal: PortalRecord,
}

impl From<&Claim> for ClaimFacts {
    fn from(c: &Claim) -> ClaimFacts {
        ClaimFacts {
            state: c.state,
            amount_claimed: c.amount_claimed,
            outcome: c.outcome,
            received: c.received,
            escalated_on: c.escalated_on,
            closed_on: c.closed_on,
            answer_due_on: c.answer_due_on,
            first_answered_on: c.first_answered_on,
            channel: c.channel,
            sent_on: c.sent_on,
            portal: c.portal.clone(),
        }
    }
}

/// One counter: a provider, a filing month (`YYYY-MM`), a set of kinds, a metric, and a
/// currency for money metrics ("" otherwise).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    pub provider_id: String,
    pub month: String,
    pub kinds: Kinds,
    pub metric: String,
    pub currency: String,
}

pub const COMPLAINTS: &str = "complaints";
pub const CLAIMS: &str = "claims";
pub const CLAIMED: &str = "claimed";
pub const RECEIVED: &str = "received";
pub const ANSWERED_IN_TIME: &str = "answered-in-time";
pub const ANSWERED_LATE: &str = "answered-late";
pub const UNANSWERED_LATE: &str = "unanswered-late";
/// What happened on Recours itself (claims sent through it), apart from what subscribers
/// typed: see `portal_contributions`.
const PORTAL: &str = "recours-";
pub const PORTAL_SENT: &str = "recours-sent";
pub const PORTAL_IN_TIME: &str = "recours-answered-in-time";
pub const PORTAL_LATE: &str = "recours-answered-late";
pub const PORTAL_UNANSWERED_LATE: &str = "recours-unanswered-late";
pub const PORTAL_IN_PROGRESS: &str = "recours-in-progress";
const PORTAL_DAYS: &str = "recours-days-";
const PORTAL_RESPONSE: &str = "recours-response-";
const PORTAL_REPLY: &str = "recours-reply-";
const STATE: &str = "state-";
const OUTCOME: &str = "outcome-";
const DAYS: &str = "days-";

/// Days to resolution, kept exact for the first month, then by week up to a year, then by
/// 30 days: the median stays within a few days while the counters stay few.
pub fn days_bucket(days: i64) -> i64 {
    match days.max(0) {
        d if d <= 31 => d,
        d if d < 364 => d - d % 7,
        d => d - d % 30,
    }
}

/// A month as filters take it: `YYYY-MM`, nothing else.
pub fn parse_month(s: &str) -> Option<String> {
    let (year, month) = s.split_once('-')?;
    let valid = year.len() == 4
        && month.len() == 2
        && year
            .chars()
            .chain(month.chars())
            .all(|c| c.is_ascii_digit())
        && (1..=12).contains(&month.parse::<u32>().ok()?)
        && year.parse::<u32>().ok()? >= 1900;
    valid.then(|| s.to_string())
}

pub fn month_of(date: NaiveDate) -> String {
    format!("{:04}-{:02}", date.year(), date.month())
}

/// What the complaint, as it stands, adds to the counters.
pub fn contributions(s: &Snapshot) -> Vec<(Key, i64)> {
    let key = |metric: String, currency: &str| Key {
        provider_id: s.provider_id.clone(),
        month: month_of(s.filed_on),
        kinds: s.kinds,
        metric,
        currency: currency.to_string(),
    };
    let mut out = vec![(key(COMPLAINTS.into(), ""), 1)];
    let Some(c) = &s.claim else {
        return out;
    };
    let money = s.currency.code();
    out.push((key(CLAIMS.into(), ""), 1));
    out.push((key(format!("{STATE}{}", c.state.as_str()), ""), 1));
    out.push((key(CLAIMED.into(), money), c.amount_claimed));
    if c.state == State::Resolved {
        if let Some(o) = c.outcome {
            out.push((key(format!("{OUTCOME}{}", o.as_str()), ""), 1));
        }
        out.push((key(RECEIVED.into(), money), c.received.unwrap_or(0)));
        if let Some(closed) = c.closed_on {
            let days = days_bucket((closed - s.filed_on).num_days());
            out.push((key(format!("{DAYS}{days}"), ""), 1));
        }
    }
    let timeliness = |answered: Option<NaiveDate>,
                      [in_time, late, unanswered]: [&'static str; 3]| {
        match (on_time(c, answered), answered) {
            (Some(true), _) => Some(in_time),
            (Some(false), Some(_)) => Some(late),
            (Some(false), None) => Some(unanswered),
            (None, _) => None,
        }
    };
    let typed = [ANSWERED_IN_TIME, ANSWERED_LATE, UNANSWERED_LATE];
    if let Some(metric) = timeliness(c.first_answered_on, typed) {
        out.push((key(metric.into(), ""), 1));
    }
    if c.channel == Some(Channel::Recours) && c.sent_on.is_some() {
        out.push((key(PORTAL_SENT.into(), ""), 1));
        let portal = [PORTAL_IN_TIME, PORTAL_LATE, PORTAL_UNANSWERED_LATE];
        if let Some(metric) = timeliness(c.portal.answered_on, portal) {
            out.push((key(metric.into(), ""), 1));
        }
        for metric in portal_metrics(c) {
            out.push((key(metric, ""), 1));
        }
    }
    out
}

/// What a claim sent through Recours adds from the portal's own record: the days to the
/// provider's first closing answer (exact, for an exact median), the last closing answer's
/// type, an "in progress", the subscriber's reply.
fn portal_metrics(c: &ClaimFacts) -> Vec<String> {
    let p = &c.portal;
    let mut out = Vec::new();
    if let (Some(sent), Some(answered)) = (c.sent_on, p.answered_on) {
        out.push(format!(
            "{PORTAL_DAYS}{}",
            (answered - sent).num_days().max(0)
        ));
    }
    if let Some(t) = p.response_type {
        out.push(format!("{PORTAL_RESPONSE}{}", t.as_str()));
    }
    if p.in_progress_on.is_some() {
        out.push(PORTAL_IN_PROGRESS.to_string());
    }
    if let Some(r) = p.reply {
        out.push(format!("{PORTAL_REPLY}{}", r.as_str()));
    }
    out
}

/// Whether the provider answered the claim by its due date: `None` while that is not known
/// (never sent, or still waiting without being left).
pub fn answered_on_time(c: &ClaimFacts) -> Option<bool> {
    on_time(c, c.first_answered_on)
}

/// Whether an answer given `answered` (or none) came by the claim's due date: `None` while
/// that is not known.
fn on_time(c: &ClaimFacts, answered: Option<NaiveDate>) -> Option<bool> {
    let due = c.answer_due_on?;
    match answered {
        Some(answered) => Some(answered <= due),
        // Left "sent" (escalated, closed) without any answer, after the due date.
        None => c
            .escalated_on
            .or(c.closed_on)
            .filter(|d| *d > due)
            .map(|_| false),
    }
}

/// Adds `sign` times the contributions of `s` into `totals`.
pub fn accumulate(totals: &mut BTreeMap<Key, i64>, s: &Snapshot, sign: i64) {
    for (key, value) in contributions(s) {
        *totals.entry(key).or_insert(0) += sign * value;
    }
}

/// The change to the counters when a complaint goes from `before` to `after` (either may
/// be absent: filed, or moved away), without the keys that do not change.
pub fn delta(before: Option<&Snapshot>, after: Option<&Snapshot>) -> BTreeMap<Key, i64> {
    let mut totals = BTreeMap::new();
    if let Some(b) = before {
        accumulate(&mut totals, b, -1);
    }
    if let Some(a) = after {
        accumulate(&mut totals, a, 1);
    }
    totals.retain(|_, v| *v != 0);
    totals
}

/// The figures of a selection (a provider, a month...), summed from counter rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Figures {
    pub complaints: i64,
    pub by_kind: BTreeMap<&'static str, i64>,
    pub claims: i64,
    pub by_state: BTreeMap<&'static str, i64>,
    pub by_outcome: BTreeMap<&'static str, i64>,
    pub claimed: BTreeMap<String, i64>,
    pub received: BTreeMap<String, i64>,
    /// Days from filing to resolution: (days, claims).
    pub days: BTreeMap<i64, i64>,
    pub answered_in_time: i64,
    pub answered_late: i64,
    pub unanswered_late: i64,
    /// What happened on Recours itself, apart.
    pub portal: PortalFigures,
}

/// The figures of the claims sent through Recours, from the portal's own record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PortalFigures {
    pub sent: i64,
    pub answered_in_time: i64,
    pub answered_late: i64,
    pub unanswered_late: i64,
    /// Exact days from sending to the provider's first closing answer: (days, claims).
    pub days: BTreeMap<i64, i64>,
    /// Claims by their last closing answer's type.
    pub by_response: BTreeMap<&'static str, i64>,
    pub in_progress: i64,
    pub by_reply: BTreeMap<&'static str, i64>,
}

impl PortalFigures {
    fn add(&mut self, metric: &str, value: i64) {
        match metric {
            PORTAL_SENT => self.sent += value,
            PORTAL_IN_TIME => self.answered_in_time += value,
            PORTAL_LATE => self.answered_late += value,
            PORTAL_UNANSWERED_LATE => self.unanswered_late += value,
            PORTAL_IN_PROGRESS => self.in_progress += value,
            m => {
                if let Some(d) = m.strip_prefix(PORTAL_DAYS).and_then(|d| d.parse().ok()) {
                    *self.days.entry(d).or_insert(0) += value;
                } else if let Some(t) = m
                    .strip_prefix(PORTAL_RESPONSE)
                    .and_then(ResponseType::parse)
                {
                    *self.by_response.entry(t.as_str()).or_insert(0) += value;
                } else if let Some(r) = m.strip_prefix(PORTAL_REPLY).and_then(Reply::parse) {
                    *self.by_reply.entry(r.as_str()).or_insert(0) += value;
                }
            }
        }
    }

    /// Claims whose due date has been tested: answered on the portal (in time or late), or
    /// left unanswered past it.
    pub fn timeliness_base(&self) -> i64 {
        self.answered_in_time + self.answered_late + self.unanswered_late
    }

    pub fn response_count(&self, t: ResponseType) -> i64 {
        self.by_response.get(t.as_str()).copied().unwrap_or(0)
    }

    /// Claims with a closing answer on the portal: the base of the disputed share.
    pub fn answered(&self) -> i64 {
        self.by_response.values().sum()
    }

    pub fn reply_count(&self, r: Reply) -> i64 {
        self.by_reply.get(r.as_str()).copied().unwrap_or(0)
    }

    /// The answered claims whose days to answer are known: the median's base.
    pub fn median_base(&self) -> i64 {
        self.days.values().sum()
    }

    pub fn days_histogram(&self) -> Vec<(i64, i64)> {
        self.days.iter().map(|(d, n)| (*d, *n)).collect()
    }
}

impl Figures {
    /// Adds one counter row: its complaints count once in the total and once under each
    /// kind of its set.
    pub fn add(&mut self, kinds: Kinds, metric: &str, currency: &str, value: i64) {
        match metric {
            COMPLAINTS => {
                self.complaints += value;
                for kind in kinds.iter() {
                    *self.by_kind.entry(kind.as_str()).or_insert(0) += value;
                }
            }
            CLAIMS => self.claims += value,
            CLAIMED => *self.claimed.entry(currency.to_string()).or_insert(0) += value,
            RECEIVED => *self.received.entry(currency.to_string()).or_insert(0) += value,
            ANSWERED_IN_TIME => self.answered_in_time += value,
            ANSWERED_LATE => self.answered_late += value,
            UNANSWERED_LATE => self.unanswered_late += value,
            m if m.starts_with(PORTAL) => self.portal.add(m, value),
            m => {
                if let Some(state) = m.strip_prefix(STATE).and_then(State::parse) {
                    *self.by_state.entry(state.as_str()).or_insert(0) += value;
                } else if let Some(o) = m.strip_prefix(OUTCOME).and_then(Outcome::parse) {
                    *self.by_outcome.entry(o.as_str()).or_insert(0) += value;
                } else if let Some(days) = m.strip_prefix(DAYS).and_then(|d| d.parse::<i64>().ok())
                {
                    *self.days.entry(days).or_insert(0) += value;
                }
            }
        }
    }

    pub fn kind_count(&self, kind: Kind) -> i64 {
        self.by_kind.get(kind.as_str()).copied().unwrap_or(0)
    }

    pub fn state_count(&self, state: State) -> i64 {
        self.by_state.get(state.as_str()).copied().unwrap_or(0)
    }

    pub fn outcome_count(&self, outcome: Outcome) -> i64 {
        self.by_outcome.get(outcome.as_str()).copied().unwrap_or(0)
    }

    pub fn resolved(&self) -> i64 {
        self.state_count(State::Resolved)
    }

    /// Claims whose answer deadline has been tested: answered (in time or late), or left
    /// unanswered past it.
    pub fn timeliness_base(&self) -> i64 {
        self.answered_in_time + self.answered_late + self.unanswered_late
    }

    /// The resolved claims whose days to resolution are known: the median's base.
    pub fn median_base(&self) -> i64 {
        self.days.values().sum()
    }

    pub fn days_histogram(&self) -> Vec<(i64, i64)> {
        self.days.iter().map(|(d, n)| (*d, *n)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn snapshot(claim: Option<ClaimFacts>) -> Snapshot {
        Snapshot {
            provider_id: "p1".into(),
            filed_on: d(2026, 3, 10),
            kinds: Kinds::of([Kind::ServiceCut]),
            currency: Currency::Eur,
            claim,
        }
    }

    fn claim(state: State) -> ClaimFacts {
        ClaimFacts {
            state,
            amount_claimed: 8900,
            outcome: None,
            received: None,
            escalated_on: None,
            closed_on: None,
            answer_due_on: None,
            first_answered_on: None,
            channel: None,
            sent_on: None,
            portal: PortalRecord::default(),
        }
    }

    fn figures(s: &Snapshot) -> Figures {
        let mut f = Figures::default();
        for (k, v) in contributions(s) {
            f.add(k.kinds, &k.metric, &k.currency, v);
        }
        f
    }

    #[test]
    fn a_complaint_without_claim_counts_once() {
        let c = contributions(&snapshot(None));
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].0.month, "2026-03");
        assert_eq!(c[0].0.metric, COMPLAINTS);
    }

    #[test]
    fn a_resolved_claim_counts_its_money_outcome_and_days() {
        let mut c = claim(State::Resolved);
        c.outcome = Some(Outcome::PartialRefund);
        c.received = Some(4000);
        c.closed_on = Some(d(2026, 4, 9));
        c.answer_due_on = Some(d(2026, 4, 1));
        c.first_answered_on = Some(d(2026, 3, 30));
        let f = figures(&snapshot(Some(c)));
        assert_eq!(f.complaints, 1);
        assert_eq!(f.kind_count(Kind::ServiceCut), 1);
        assert_eq!(f.claims, 1);
        assert_eq!(f.resolved(), 1);
        assert_eq!(f.outcome_count(Outcome::PartialRefund), 1);
        assert_eq!(f.claimed["EUR"], 8900);
        assert_eq!(f.received["EUR"], 4000);
        assert_eq!(f.days_histogram(), vec![(30, 1)]);
        assert_eq!(
            (f.answered_in_time, f.answered_late, f.unanswered_late),
            (1, 0, 0)
        );
    }

    #[test]
    fn several_problems_count_once_in_totals_and_under_each_kind() {
        let mut c = claim(State::Filed);
        c.amount_claimed = 8900;
        let mut two = snapshot(Some(c));
        two.kinds = Kinds::of([Kind::ServiceCut, Kind::PriceHike]);
        let mut f = figures(&two);
        for (k, v) in contributions(&snapshot(None)) {
            f.add(k.kinds, &k.metric, &k.currency, v);
        }
        assert_eq!(f.complaints, 2);
        assert_eq!(f.claims, 1);
        assert_eq!(f.claimed["EUR"], 8900);
        assert_eq!(f.kind_count(Kind::ServiceCut), 2);
        assert_eq!(f.kind_count(Kind::PriceHike), 1);
        assert_eq!(f.kind_count(Kind::Billing), 0);
    }

    #[test]
    fn months() {
        assert_eq!(parse_month("2026-03"), Some("2026-03".into()));
        for bad in [
            "2026-3",
            "2026-13",
            "2026-00",
            "26-03",
            "2026/03",
            "2026-03-01",
            "",
            "abcd-ef",
            "1800-01",
        ] {
            assert_eq!(parse_month(bad), None, "{bad}");
        }
        assert_eq!(month_of(d(2009, 9, 7)), "2009-09");
    }

    #[test]
    fn day_buckets() {
        assert_eq!(days_bucket(-3), 0);
        assert_eq!(days_bucket(31), 31);
        assert_eq!(days_bucket(40), 35);
        assert_eq!(days_bucket(363), 357);
        assert_eq!(days_bucket(400), 390);
    }

    #[test]
    fn timeliness() {
        let mut late = claim(State::Answered);
        late.answer_due_on = Some(d(2026, 4, 1));
        late.first_answered_on = Some(d(2026, 4, 2));
        assert_eq!(figures(&snapshot(Some(late))).answered_late, 1);

        let mut ignored = claim(State::Escalated);
        ignored.answer_due_on = Some(d(2026, 4, 1));
        ignored.escalated_on = Some(d(2026, 5, 1));
        assert_eq!(figures(&snapshot(Some(ignored.clone()))).unanswered_late, 1);
        ignored.escalated_on = Some(d(2026, 3, 20));
        assert_eq!(
            figures(&snapshot(Some(ignored))).timeliness_base(),
            0,
            "escalated before the due date"
        );

        let mut waiting = claim(State::Sent);
        waiting.answer_due_on = Some(d(2026, 4, 1));
        assert_eq!(
            figures(&snapshot(Some(waiting))).timeliness_base(),
            0,
            "not decided yet"
        );
    }

    #[test]
    fn a_move_changes_only_what_differs() {
        let before = snapshot(Some(claim(State::Filed)));
        let mut sent = claim(State::Sent);
        sent.answer_due_on = Some(d(2026, 4, 10));
        let after = snapshot(Some(sent));
        let delta = delta(Some(&before), Some(&after));
        let metrics: Vec<(&str, i64)> =
            delta.iter().map(|(k, v)| (k.metric.as_str(), *v)).collect();
        assert_eq!(metrics, vec![("state-filed", -1), ("state-sent", 1)]);
        assert!(super::delta(Some(&after), Some(&after)).is_empty());
    }

    #[test]
    fn the_portal_counts_only_its_own_record() {
        let mut c = claim(State::Answered);
        c.sent_on = Some(d(2026, 3, 10));
        c.answer_due_on = Some(d(2026, 4, 9));
        // The subscriber recorded an answer in time: the typed figures count it...
        c.first_answered_on = Some(d(2026, 3, 20));
        let typed = figures(&snapshot(Some(c.clone())));
        assert_eq!(typed.answered_in_time, 1);
        assert_eq!(
            typed.portal,
            PortalFigures::default(),
            "not sent through Recours"
        );

        // ...but through Recours, only the provider's own answer on the portal does.
        c.channel = Some(Channel::Recours);
        c.portal.answer(ResponseType::InProgress, d(2026, 3, 12));
        let waiting = figures(&snapshot(Some(c.clone())));
        assert_eq!((waiting.portal.sent, waiting.portal.in_progress), (1, 1));
        assert_eq!(waiting.portal.timeliness_base(), 0, "still waiting");

        c.portal
            .answer(ResponseType::MonetaryRelief, d(2026, 4, 12));
        c.portal.reply = Some(Reply::Disputed);
        let late = figures(&snapshot(Some(c.clone())));
        assert_eq!(late.portal.answered_late, 1);
        assert_eq!(late.portal.days_histogram(), vec![(33, 1)], "exact days");
        assert_eq!(late.portal.response_count(ResponseType::MonetaryRelief), 1);
        assert_eq!(late.portal.answered(), 1);
        assert_eq!(late.portal.reply_count(Reply::Disputed), 1);
        assert_eq!(late.answered_in_time, 1, "the typed figures stay apart");

        let mut ignored = claim(State::Escalated);
        ignored.channel = Some(Channel::Recours);
        ignored.sent_on = Some(d(2026, 3, 10));
        ignored.answer_due_on = Some(d(2026, 4, 9));
        ignored.escalated_on = Some(d(2026, 5, 1));
        let f = figures(&snapshot(Some(ignored)));
        assert_eq!((f.portal.unanswered_late, f.portal.median_base()), (1, 0));
    }
}
