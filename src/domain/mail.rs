//! E-mail rules: which messages exist, which ones a person may turn off, when a reminder is
//! due, how long to wait before trying a failed delivery again. Pure.

use chrono::{Duration, NaiveDate};

use super::claim::{self, Body, Claim, Profile, State};

/// Every message the portal sends. The name is stored in the outbox and names the catalog
/// keys `mail-<name>-subject` and `mail-<name>-body`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Welcome, with the address verification link.
    Welcome,
    /// Someone tried to register with an address that already has an account.
    RegisterAttempt,
    PasswordReset,
    /// Sent to the new address: the link confirms the change.
    EmailChangeConfirm,
    /// Sent to the old address once the change is confirmed.
    EmailChanged,
    ComplaintFiled,
    ClaimMoved,
    /// To a provider's new staff member: the link sets a first password.
    ProviderInvite,
    /// To a provider's staff: a claim sent through Recours is due within a week.
    ProviderAnswerDue,
    /// To a provider's staff, weekly: a claim sent through Recours is past its due date.
    ProviderAnswerOverdue,
    Reminder(Reminder),
    /// `recours mail send-test`.
    Test,
}

/// The deadline reminders, each sent once per claim and deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reminder {
    AnswerDueSoon,
    AnswerOverdue,
    MediatorOpen,
    MediatorClosing,
    OpinionOverdue,
}

impl Reminder {
    pub const ALL: [Reminder; 5] = [
        Reminder::AnswerDueSoon,
        Reminder::AnswerOverdue,
        Reminder::MediatorOpen,
        Reminder::MediatorClosing,
        Reminder::OpinionOverdue,
    ];
}

impl Kind {
    const PLAIN: [Kind; 11] = [
        Kind::Welcome,
        Kind::RegisterAttempt,
        Kind::PasswordReset,
        Kind::EmailChangeConfirm,
        Kind::EmailChanged,
        Kind::ComplaintFiled,
        Kind::ClaimMoved,
        Kind::ProviderInvite,
        Kind::ProviderAnswerDue,
        Kind::ProviderAnswerOverdue,
        Kind::Test,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Welcome => "welcome",
            Kind::RegisterAttempt => "register-attempt",
            Kind::PasswordReset => "password-reset",
            Kind::EmailChangeConfirm => "email-change-confirm",
            Kind::EmailChanged => "email-changed",
            Kind::ComplaintFiled => "complaint-filed",
            Kind::ClaimMoved => "claim-moved",
            Kind::ProviderInvite => "provider-invite",
            Kind::ProviderAnswerDue => "provider-answer-due",
            Kind::ProviderAnswerOverdue => "provider-answer-overdue",
            Kind::Test => "test",
            Kind::Reminder(Reminder::AnswerDueSoon) => "reminder-answer-due",
            Kind::Reminder(Reminder::AnswerOverdue) => "reminder-answer-overdue",
            Kind::Reminder(Reminder::MediatorOpen) => "reminder-mediator-open",
            Kind::Reminder(Reminder::MediatorClosing) => "reminder-mediator-closing",
            Kind::Reminder(Reminder::OpinionOverdue) => "reminder-opinion-overdue",
        }
    }

    /// Every kind of message.
    pub fn all() -> impl Iterator<Item = Kind> {
        Kind::PLAIN
            .into_iter()
            .chain(Reminder::ALL.map(Kind::Reminder))
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::all().find(|k| k.as_str() == s)
    }

    /// Messages a person did not ask for and can do without: they carry a one-click
    /// unsubscribe (RFC 8058).
    pub fn is_optional(self) -> bool {
        matches!(
            self,
            Kind::ComplaintFiled | Kind::ClaimMoved | Kind::Reminder(_)
        )
    }

    /// Messages whose parameters hold a usable token: erased once delivered.
    pub fn carries_token(self) -> bool {
        matches!(
            self,
            Kind::Welcome | Kind::PasswordReset | Kind::EmailChangeConfirm | Kind::ProviderInvite
        )
    }
}

/// A reminder due on `today` for a claim, with the deadline it is about (part of its
/// once-only key: a claim sent again gets new deadlines and new reminders).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Due {
    pub reminder: Reminder,
    pub deadline: NaiveDate,
}

/// Days before the answer is due when the reminder goes.
pub const ANSWER_DUE_NOTICE_DAYS: i64 = 3;
/// Days before the mediator window closes when the reminder goes.
pub const MEDIATOR_CLOSING_NOTICE_DAYS: i64 = 30;

/// The reminders a claim calls for on `today`, from the due day fixed when the claim was
/// sent and the profile's other deadlines. A reminder stays due for its whole
/// period, so a pass that did not run on the first day still sends it; the outbox's unique
/// key keeps it to once.
pub fn reminders_due(claim: &Claim, profile: &Profile, today: NaiveDate) -> Vec<Due> {
    let mut due = Vec::new();
    let mut add = |reminder, deadline| due.push(Due { reminder, deadline });
    let answer_due = claim.answer_due_on;
    if claim.state == State::Sent
        && let Some(deadline) = answer_due
    {
        if today <= deadline && today >= deadline - Duration::days(ANSWER_DUE_NOTICE_DAYS) {
            add(Reminder::AnswerDueSoon, deadline);
        }
        if today > deadline {
            add(Reminder::AnswerOverdue, deadline);
        }
    }
    // The mediator matters while the provider has not settled: no answer yet, or less than
    // the amount claimed.
    let unsettled = match claim.state {
        State::Sent => true,
        State::Answered => claim.last_offer.unwrap_or(0) < claim.amount_claimed,
        _ => false,
    };
    if unsettled && let Some((from, until)) = claim::mediator_window(claim, profile) {
        if today >= from && today <= until {
            add(Reminder::MediatorOpen, from);
        }
        if today <= until && today >= until - Duration::days(MEDIATOR_CLOSING_NOTICE_DAYS) {
            add(Reminder::MediatorClosing, until);
        }
    }
    if claim.state == State::Escalated
        && claim.body == Some(Body::Mediator)
        && let Some(deadline) = claim::body_due(claim, profile)
        && today > deadline
    {
        add(Reminder::OpinionOverdue, deadline);
    }
    due
}

/// How long to wait after the `attempts`-th failed delivery: `base` doubled each time, at
/// most a day.
pub fn retry_after(attempts: i32, base: Duration) -> Duration {
    let doublings = attempts.saturating_sub(1).clamp(0, 20) as u32;
    let wait = base
        .checked_mul(2i32.saturating_pow(doublings))
        .unwrap_or(Duration::days(1));
    wait.min(Duration::days(1))
}

/// A value that goes into a header: every control character (CR and LF above all, which
/// would start a new header) becomes a space.
pub fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The short reference a person quotes: the first eight characters of the complaint's id.
pub fn reference(complaint_id: &str) -> String {
    let short: String = complaint_id.chars().take(8).collect();
    format!("R-{}", short.to_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::claim::{Action, Channel, apply};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn sent_on(on: NaiveDate) -> Claim {
        apply(
            &Claim::new(8900, on),
            &Action::Send {
                on,
                channel: Channel::Email,
                reference: None,
            },
            &Profile::default(),
        )
        .unwrap()
    }

    fn kinds(c: &Claim, today: NaiveDate) -> Vec<Reminder> {
        reminders_due(c, &Profile::default(), today)
            .into_iter()
            .map(|d| d.reminder)
            .collect()
    }

    #[test]
    fn names_round_trip() {
        for k in Kind::all() {
            assert_eq!(Kind::parse(k.as_str()), Some(k));
        }
        assert_eq!(Kind::parse("nope"), None);
    }

    #[test]
    fn reminders_follow_the_deadlines() {
        let c = sent_on(d(2024, 1, 15));
        // Due 2024-02-14; mediator from 2024-03-15 to 2025-01-14.
        assert!(kinds(&c, d(2024, 2, 10)).is_empty());
        assert_eq!(kinds(&c, d(2024, 2, 11)), [Reminder::AnswerDueSoon]);
        assert_eq!(kinds(&c, d(2024, 2, 14)), [Reminder::AnswerDueSoon]);
        assert_eq!(kinds(&c, d(2024, 2, 15)), [Reminder::AnswerOverdue]);
        assert_eq!(
            kinds(&c, d(2024, 3, 15)),
            [Reminder::AnswerOverdue, Reminder::MediatorOpen]
        );
        assert_eq!(
            kinds(&c, d(2024, 12, 15)),
            [
                Reminder::AnswerOverdue,
                Reminder::MediatorOpen,
                Reminder::MediatorClosing
            ]
        );
        assert_eq!(kinds(&c, d(2025, 1, 15)), [Reminder::AnswerOverdue]);
        let due = reminders_due(&c, &Profile::default(), d(2024, 2, 12));
        assert_eq!(due[0].deadline, d(2024, 2, 14));
        // The due day stored at sending counts, whatever the profile says now.
        let later = Claim {
            answer_due_on: Some(d(2024, 2, 20)),
            ..c.clone()
        };
        let due = reminders_due(&later, &Profile::default(), d(2024, 2, 17));
        assert_eq!(due[0].reminder, Reminder::AnswerDueSoon);
    }

    #[test]
    fn settled_or_closed_claims_get_no_reminder() {
        let c = sent_on(d(2024, 1, 15));
        let full = apply(
            &c,
            &Action::Answer {
                on: d(2024, 2, 1),
                offered: 8900,
                note: None,
            },
            &Profile::default(),
        )
        .unwrap();
        assert!(kinds(&full, d(2024, 3, 20)).is_empty());
        let refused = apply(
            &c,
            &Action::Answer {
                on: d(2024, 2, 1),
                offered: 0,
                note: None,
            },
            &Profile::default(),
        )
        .unwrap();
        assert_eq!(kinds(&refused, d(2024, 3, 20)), [Reminder::MediatorOpen]);
        let mediator = apply(
            &refused,
            &Action::Escalate {
                on: d(2024, 3, 20),
                body: Body::Mediator,
                note: None,
            },
            &Profile::default(),
        )
        .unwrap();
        assert!(kinds(&mediator, d(2024, 6, 18)).is_empty());
        assert_eq!(kinds(&mediator, d(2024, 6, 19)), [Reminder::OpinionOverdue]);
        assert!(kinds(&Claim::new(100, d(2024, 1, 1)), d(2030, 1, 1)).is_empty());
    }

    #[test]
    fn retries_back_off_and_stop_growing() {
        let base = Duration::seconds(30);
        assert_eq!(retry_after(1, base), Duration::seconds(30));
        assert_eq!(retry_after(2, base), Duration::seconds(60));
        assert_eq!(retry_after(4, base), Duration::seconds(240));
        assert_eq!(retry_after(60, base), Duration::days(1));
    }

    #[test]
    fn header_values_stay_on_one_line() {
        assert_eq!(
            one_line("Cut\r\nBcc: x@evil.example"),
            "Cut Bcc: x@evil.example"
        );
        assert_eq!(one_line(" a\tb\u{0}c "), "a b c");
        assert_eq!(reference("1a2b3c4d-ffff"), "R-1A2B3C4D");
    }
}
