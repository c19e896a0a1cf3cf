//! What the subscriber records about a claim: the moves and the choices they carry.

use chrono::NaiveDate;

choices!(
    /// How the claim was sent to the provider. Stored as text.
    Channel {
        Letter = "letter",
        RegisteredLetter = "registered_letter",
        Email = "email",
        OnlineForm = "online_form",
        Phone = "phone",
        Recours = "recours",
    }
);

choices!(
    /// Who the claim was taken to after the provider. Stored as text. Except the
    /// association, each is a step of the escalation ladders (`directory/ladders.json`),
    /// whose ids are these words.
    Body {
        Mediator = "mediator",
        Regulator = "regulator",
        Association = "association",
        Court = "court",
    }
);

choices!(
    /// How a resolved claim ended. Stored as text.
    Outcome {
        FullRefund = "full_refund",
        PartialRefund = "partial_refund",
        NoRefund = "no_refund",
    }
);

choices!(
    /// The kinds of move, in the order the claim's page offers them. The text is the URL's
    /// `/complaints/<id>/claim/<action>` segment, the form's `action` field and the
    /// timeline's entry.
    ActionKind {
        Send = "send",
        Answer = "answer",
        Escalate = "escalate",
        Resolve = "resolve",
        Withdraw = "withdraw",
    }
);

impl Channel {
    /// The catalog key of the channel's label.
    pub fn label_key(self) -> &'static str {
        match self {
            Channel::Letter => "claim-channel-letter",
            Channel::RegisteredLetter => "claim-channel-registered-letter",
            Channel::Email => "claim-channel-email",
            Channel::OnlineForm => "claim-channel-online-form",
            Channel::Phone => "claim-channel-phone",
            Channel::Recours => "claim-channel-recours",
        }
    }
}

impl Body {
    /// The catalog key of the body's label.
    pub fn label_key(self) -> &'static str {
        match self {
            Body::Mediator => "claim-body-mediator",
            Body::Regulator => "claim-body-regulator",
            Body::Association => "claim-body-association",
            Body::Court => "claim-body-court",
        }
    }

    /// Whether the body is a step of the ladders, open only when the subscriber's ladder
    /// has it. A consumer association can be asked in any country, at any time.
    pub fn on_ladder(self) -> bool {
        self != Body::Association
    }

    /// Whether the portal writes a letter to it: a mediator or a regulator is seized by
    /// letter; a court has its own forms.
    pub fn takes_letter(self) -> bool {
        matches!(self, Body::Mediator | Body::Regulator)
    }
}

impl Outcome {
    /// The catalog key of the outcome's label.
    pub fn label_key(self) -> &'static str {
        match self {
            Outcome::FullRefund => "claim-outcome-full-refund",
            Outcome::PartialRefund => "claim-outcome-partial-refund",
            Outcome::NoRefund => "claim-outcome-no-refund",
        }
    }
}

impl ActionKind {
    /// The catalog key of the action's label.
    pub fn label_key(self) -> &'static str {
        match self {
            ActionKind::Send => "claim-action-send",
            ActionKind::Answer => "claim-action-answer",
            ActionKind::Escalate => "claim-action-escalate",
            ActionKind::Resolve => "claim-action-resolve",
            ActionKind::Withdraw => "claim-action-withdraw",
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
    pub fn kind(&self) -> ActionKind {
        match self {
            Action::Send { .. } => ActionKind::Send,
            Action::Answer { .. } => ActionKind::Answer,
            Action::Escalate { .. } => ActionKind::Escalate,
            Action::Resolve { .. } => ActionKind::Resolve,
            Action::Withdraw { .. } => ActionKind::Withdraw,
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
}
