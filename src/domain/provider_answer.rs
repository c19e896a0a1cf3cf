//! A provider's answer to a claim sent through Recours, and the subscriber's reply to it.
//! Pure rules: the store records what they decide.

use chrono::NaiveDate;

use super::FieldErrors;
use super::claim::{Action, Claim, NOTE_MAX_CHARS, State};

choices!(
    /// The provider's answer, after the CFPB's company responses. Stored as text.
    ResponseType {
        MonetaryRelief = "monetary_relief",
        NonMonetaryRelief = "non_monetary_relief",
        Explanation = "explanation",
        InProgress = "in_progress",
        Message = "message",
    }
);

choices!(
    /// What the subscriber said of the provider's answer. Stored as text.
    Reply {
        Accepted = "accepted",
        Disputed = "disputed",
    }
);

impl ResponseType {
    /// The catalog key of the type's label.
    pub fn label_key(self) -> &'static str {
        match self {
            ResponseType::MonetaryRelief => "provider-response-monetary-relief",
            ResponseType::NonMonetaryRelief => "provider-response-non-monetary-relief",
            ResponseType::Explanation => "provider-response-explanation",
            ResponseType::InProgress => "provider-response-in-progress",
            ResponseType::Message => "provider-response-message",
        }
    }

    /// The answers that close the provider's side: the claim becomes `answered`.
    pub const CLOSING: &'static [ResponseType] = &[
        ResponseType::MonetaryRelief,
        ResponseType::NonMonetaryRelief,
        ResponseType::Explanation,
    ];

    pub fn closes(self) -> bool {
        ResponseType::CLOSING.contains(&self)
    }
}

impl Reply {
    /// The catalog key of the reply's label.
    pub fn label_key(self) -> &'static str {
        match self {
            Reply::Accepted => "provider-reply-accepted",
            Reply::Disputed => "provider-reply-disputed",
        }
    }
}

/// What the portal records on a claim sent through Recours: the provider's answers (the
/// last closing one's type, the one "in progress", the day of the first closing one) and
/// the subscriber's reply. The public figures of the portal are read from these alone,
/// never from what the subscriber typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PortalRecord {
    pub response_type: Option<ResponseType>,
    pub in_progress_on: Option<NaiveDate>,
    pub reply: Option<Reply>,
    pub answered_on: Option<NaiveDate>,
}

impl PortalRecord {
    /// Records an answer of `kind` given `on`: a closing one sets the type, asks for a new
    /// reply and keeps the day of the first; "in progress" is remembered (it is said once).
    pub fn answer(&mut self, kind: ResponseType, on: NaiveDate) {
        if kind.closes() {
            self.response_type = Some(kind);
            self.reply = None;
            self.answered_on = self.answered_on.or(Some(on));
        } else if kind == ResponseType::InProgress {
            self.in_progress_on = Some(on);
        }
    }
}

/// An answer as the staff typed it, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub kind: ResponseType,
    /// Minor units; only for a monetary relief, and then more than 0.
    pub amount: Option<i64>,
    pub text: Option<String>,
}

/// Why an answer or a reply is refused: HTTP 409 with the message shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// Resolved or withdrawn.
    Closed,
    /// Not sent yet, or not through Recours.
    NotSent,
    /// "In progress" was already said once: the deadline stands.
    InProgressTwice,
    /// A reply needs an answer of the provider not replied to yet.
    NothingToReply,
}

impl Refused {
    pub fn message_key(self) -> &'static str {
        match self {
            Refused::Closed => "provider-refused-closed",
            Refused::NotSent => "provider-refused-not-sent",
            Refused::InProgressTwice => "provider-refused-in-progress-twice",
            Refused::NothingToReply => "provider-refused-nothing-to-reply",
        }
    }
}

/// Parses the answer form: `response` (a [`ResponseType`]), `amount` already parsed by the
/// caller (None when empty), `text`. A monetary relief needs an amount above 0; the
/// non-monetary relief, the explanation and the message need their text.
pub fn parse_response(
    response: &str,
    amount: Option<Result<i64, &'static str>>,
    text: &str,
) -> Result<Response, FieldErrors> {
    let mut errors = FieldErrors::default();
    let kind = ResponseType::parse(response.trim());
    if kind.is_none() {
        let key = if response.trim().is_empty() {
            "error-required"
        } else {
            "error-choice"
        };
        errors.add("response", key);
    }
    let text = text.trim();
    if text.chars().count() > NOTE_MAX_CHARS {
        errors.add("text", "claim-error-note-too-long");
    }
    let needs_text = matches!(
        kind,
        Some(ResponseType::NonMonetaryRelief | ResponseType::Explanation | ResponseType::Message)
    );
    if needs_text && text.is_empty() {
        errors.add("text", "error-required");
    }
    let amount = match (kind, amount) {
        (Some(ResponseType::MonetaryRelief), None) => {
            errors.add("amount", "error-required");
            None
        }
        (Some(ResponseType::MonetaryRelief), Some(Err(key))) => {
            errors.add("amount", key);
            None
        }
        (Some(ResponseType::MonetaryRelief), Some(Ok(a))) if a <= 0 => {
            errors.add("amount", "provider-error-amount-positive");
            None
        }
        (Some(ResponseType::MonetaryRelief), Some(Ok(a))) => Some(a),
        // Other answers carry no amount: one typed anyway is ignored.
        _ => None,
    };
    match kind {
        Some(kind) if errors.is_empty() => Ok(Response {
            kind,
            amount,
            text: (!text.is_empty()).then(|| text.to_string()),
        }),
        _ => Err(errors),
    }
}

/// What an accepted answer does to the claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// A closing answer: the claim's own answer move (the offer: the amount of a monetary
    /// relief, 0 otherwise).
    Answer(Action),
    /// On the timeline only; "in progress" also marks the claim so it is said once.
    Note,
}

/// Whether the provider may give `response` on `claim` today.
pub fn answer(claim: &Claim, response: &Response, today: NaiveDate) -> Result<Effect, Refused> {
    if claim.state.is_terminal() {
        return Err(Refused::Closed);
    }
    if claim.state == State::Filed || claim.sent_on.is_none() {
        return Err(Refused::NotSent);
    }
    if response.kind == ResponseType::InProgress && claim.portal.in_progress_on.is_some() {
        return Err(Refused::InProgressTwice);
    }
    Ok(if response.kind.closes() {
        Effect::Answer(Action::Answer {
            // Never before the sending, even with a clock a day off.
            on: claim.sent_on.map_or(today, |sent| today.max(sent)),
            offered: response.amount.unwrap_or(0),
            note: response.text.clone(),
        })
    } else {
        Effect::Note
    })
}

/// Whether the subscriber may reply to the provider's answer: the claim is answered through
/// the portal and not replied to yet.
pub fn reply(claim: &Claim) -> Result<(), Refused> {
    if claim.state.is_terminal() {
        return Err(Refused::Closed);
    }
    let portal = &claim.portal;
    if claim.state != State::Answered || portal.response_type.is_none() || portal.reply.is_some() {
        return Err(Refused::NothingToReply);
    }
    Ok(())
}

/// Days before the due date when the staff are first reminded.
pub const STAFF_NOTICE_DAYS: i64 = 7;
/// Past the due date, the staff are reminded this often until they answer.
pub const STAFF_OVERDUE_EVERY_DAYS: i64 = 7;

/// The reminder to the provider's staff a claim still waiting for their answer calls for
/// on `today`, with the day it became due (the key that sends it once): from 7 days before
/// the due date, then the day after it and every 7 days after that. A pass that did not run
/// on the day still sends the one of the period.
pub fn staff_reminder(due_on: NaiveDate, today: NaiveDate) -> Option<(bool, NaiveDate)> {
    let first = due_on - chrono::Duration::days(STAFF_NOTICE_DAYS);
    if today < first {
        None
    } else if today <= due_on {
        Some((false, first))
    } else {
        let late = (today - due_on).num_days() - 1;
        let period = late / STAFF_OVERDUE_EVERY_DAYS;
        Some((
            true,
            due_on + chrono::Duration::days(1 + period * STAFF_OVERDUE_EVERY_DAYS),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::claim::{Channel, Profile, apply};

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, m, day).unwrap()
    }

    fn sent() -> Claim {
        let send = Action::Send {
            on: d(1, 15),
            channel: Channel::Recours,
            reference: None,
        };
        apply(&Claim::new(8900, d(1, 10)), &send, &Profile::default()).unwrap()
    }

    fn parse(kind: &str, amount: Option<Result<i64, &'static str>>, text: &str) -> Response {
        parse_response(kind, amount, text).unwrap()
    }

    fn fields(r: Result<Response, FieldErrors>) -> Vec<(&'static str, &'static str)> {
        r.unwrap_err()
            .iter()
            .map(|e| (e.field, e.message))
            .collect()
    }

    #[test]
    fn the_form_names_every_wrong_field() {
        assert_eq!(
            fields(parse_response("", None, "")),
            [("response", "error-required")]
        );
        assert_eq!(
            fields(parse_response("refund", None, "")),
            [("response", "error-choice")]
        );
        assert_eq!(
            fields(parse_response("monetary_relief", None, "")),
            [("amount", "error-required")]
        );
        assert_eq!(
            fields(parse_response("monetary_relief", Some(Ok(-100)), "")),
            [("amount", "provider-error-amount-positive")]
        );
        assert_eq!(
            fields(parse_response("monetary_relief", Some(Ok(0)), "")),
            [("amount", "provider-error-amount-positive")]
        );
        assert_eq!(
            fields(parse_response(
                "monetary_relief",
                Some(Err("error-amount-invalid")),
                ""
            )),
            [("amount", "error-amount-invalid")]
        );
        assert_eq!(
            fields(parse_response("explanation", None, "  ")),
            [("text", "error-required")]
        );
        let long = "x".repeat(NOTE_MAX_CHARS + 1);
        assert_eq!(
            fields(parse_response("in_progress", None, &long)),
            [("text", "claim-error-note-too-long")]
        );
        let r = parse("monetary_relief", Some(Ok(2990)), " Sorry ");
        assert_eq!((r.amount, r.text.as_deref()), (Some(2990), Some("Sorry")));
        // An amount typed with another answer is not kept.
        assert_eq!(parse("explanation", Some(Ok(5)), "why").amount, None);
        for &k in ResponseType::ALL {
            assert_eq!(ResponseType::parse(k.as_str()), Some(k));
        }
    }

    #[test]
    fn closing_answers_are_the_claims_answer_move() {
        let money = parse("monetary_relief", Some(Ok(2990)), "");
        let Effect::Answer(action) = answer(&sent(), &money, d(2, 1)).unwrap() else {
            panic!("a monetary relief answers the claim");
        };
        let after = apply(&sent(), &action, &Profile::default()).unwrap();
        assert_eq!(
            (after.state, after.last_offer, after.answered_on),
            (State::Answered, Some(2990), Some(d(2, 1)))
        );
        let why = parse("explanation", None, "The network was cut by Wana.");
        let Effect::Answer(Action::Answer { offered, .. }) =
            answer(&sent(), &why, d(2, 1)).unwrap()
        else {
            panic!("an explanation answers the claim");
        };
        assert_eq!(offered, 0);
        // A clock behind the sending day still dates the answer on or after it.
        let early = answer(&sent(), &money, d(1, 1)).unwrap();
        assert!(matches!(early, Effect::Answer(Action::Answer { on, .. }) if on == d(1, 15)));
    }

    #[test]
    fn in_progress_once_and_nothing_on_closed_or_unsent_claims() {
        let wait = parse("in_progress", None, "");
        assert_eq!(answer(&sent(), &wait, d(2, 1)), Ok(Effect::Note));
        let mut waiting = sent();
        waiting.portal.answer(ResponseType::InProgress, d(1, 20));
        assert_eq!(
            answer(&waiting, &wait, d(2, 1)),
            Err(Refused::InProgressTwice)
        );
        let note = parse("message", None, "We need your invoice");
        assert_eq!(answer(&waiting, &note, d(2, 1)), Ok(Effect::Note));
        let filed = Claim::new(8900, d(1, 10));
        assert_eq!(answer(&filed, &note, d(2, 1)), Err(Refused::NotSent));
        let closed = Claim {
            state: State::Withdrawn,
            ..sent()
        };
        assert_eq!(answer(&closed, &note, d(2, 1)), Err(Refused::Closed));
    }

    #[test]
    fn staff_are_reminded_a_week_before_then_weekly_once_late() {
        let due = d(3, 15);
        assert_eq!(staff_reminder(due, d(3, 7)), None);
        assert_eq!(staff_reminder(due, d(3, 8)), Some((false, d(3, 8))));
        assert_eq!(staff_reminder(due, d(3, 15)), Some((false, d(3, 8))));
        assert_eq!(staff_reminder(due, d(3, 16)), Some((true, d(3, 16))));
        assert_eq!(staff_reminder(due, d(3, 22)), Some((true, d(3, 16))));
        assert_eq!(staff_reminder(due, d(3, 23)), Some((true, d(3, 23))));
        assert_eq!(staff_reminder(due, d(4, 20)), Some((true, d(4, 20))));
    }

    #[test]
    fn a_reply_follows_one_answer_of_the_portal() {
        let typed = Claim {
            state: State::Answered,
            ..sent()
        };
        assert_eq!(
            reply(&typed),
            Err(Refused::NothingToReply),
            "an answer the subscriber recorded"
        );
        let mut answered = typed.clone();
        answered.portal.answer(ResponseType::Explanation, d(2, 1));
        assert_eq!(reply(&answered), Ok(()));
        let mut replied = answered.clone();
        replied.portal.reply = Some(Reply::Accepted);
        assert_eq!(reply(&replied), Err(Refused::NothingToReply));
        assert_eq!(reply(&sent()), Err(Refused::NothingToReply));
        let closed = Claim {
            state: State::Resolved,
            ..answered
        };
        assert_eq!(reply(&closed), Err(Refused::Closed));
    }

    #[test]
    fn the_portal_keeps_the_first_closing_answer_day_and_the_last_type() {
        let mut portal = PortalRecord::default();
        portal.answer(ResponseType::InProgress, d(2, 1));
        portal.answer(ResponseType::Message, d(2, 2));
        assert_eq!(portal.in_progress_on, Some(d(2, 1)));
        assert_eq!((portal.response_type, portal.answered_on), (None, None));
        portal.answer(ResponseType::Explanation, d(2, 10));
        portal.reply = Some(Reply::Disputed);
        portal.answer(ResponseType::MonetaryRelief, d(3, 1));
        assert_eq!(portal.response_type, Some(ResponseType::MonetaryRelief));
        assert_eq!(
            portal.answered_on,
            Some(d(2, 10)),
            "the first closing answer"
        );
        assert_eq!(portal.reply, None, "a new answer asks for a new reply");
    }
}
