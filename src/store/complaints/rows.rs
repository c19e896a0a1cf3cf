//! The complaint, claim and timeline rows as stored, and their mappings to the domain.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{claim_events, claims, complaint_problems, complaints};
use crate::domain::anonymise::anonymise;
use crate::domain::claim::{Action, Body, Channel, Claim, Outcome, State};
use crate::domain::complaint::{Announcement, BillingIssue, Facts, Kind, Service};
use crate::domain::money::Currency;
use crate::domain::provider_answer::{PortalRecord, Reply, ResponseType};
use crate::store::StoreError;

/// A complaint as stored. Public for bulk loading (`recours seed-demo`).
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = complaints, treat_none_as_default_value = false)]
pub struct ComplaintRow {
    pub id: String,
    pub user_id: Option<String>,
    pub provider_id: String,
    pub title: String,
    pub description: String,
    pub contract_ref: Option<String>,
    pub currency: String,
    pub amount_claimed: Option<i64>,
    pub share_with_associations: bool,
    pub created_at: NaiveDateTime,
    /// What reviewers read and search: see `with_shared_copy`.
    pub shared_title: Option<String>,
    pub shared_description: Option<String>,
    pub shared_version: i32,
    /// The id the open data shows (`new_public_id`), never the internal one.
    pub public_id: String,
}

/// One problem of a complaint as stored: its kind and the facts of that kind (the other
/// kinds' columns stay NULL). Public for bulk loading (`recours seed-demo`).
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(
    table_name = complaint_problems,
    primary_key(complaint_id, kind),
    treat_none_as_default_value = false,
    treat_none_as_null = true
)]
pub struct ProblemRow {
    pub complaint_id: String,
    pub kind: Kind,
    pub service: Option<Service>,
    pub started_on: Option<NaiveDate>,
    pub ended_on: Option<NaiveDate>,
    pub partly_restored: Option<bool>,
    pub still_billed: Option<bool>,
    pub monthly_fee: Option<i64>,
    pub old_price: Option<i64>,
    pub new_price: Option<i64>,
    pub effective_on: Option<NaiveDate>,
    pub announced_by: Option<Announcement>,
    pub notice_received: Option<bool>,
    pub billing_issue: Option<BillingIssue>,
    pub charged_on: Option<NaiveDate>,
    pub charged_amount: Option<i64>,
}

/// A public id: 16 random hexadecimal digits, unrelated to anything else of the complaint.
pub fn new_public_id() -> String {
    format!("{:016x}", rand::random::<u64>())
}

/// Whether `s` is written as a public id is (what a cursor or a link may carry).
pub fn is_public_id(s: &str) -> bool {
    s.len() == 16 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The version of the anonymised copies: raise it whenever `domain::anonymise` removes more,
/// and the next start-up (or `recours migrate`) anonymises every stored copy again.
/// 2: normalised text, spelled-out e-mails, Maghreb phones, names and postal addresses.
pub const SHARED_COPY_VERSION: i32 = 2;

/// The anonymised title and description reviewers may read, only when the author consented.
pub(super) fn shared_copy(
    shared: bool,
    title: &str,
    description: &str,
    contract_ref: Option<&str>,
) -> (Option<String>, Option<String>) {
    if !shared {
        return (None, None);
    }
    let refs: Vec<&str> = contract_ref.into_iter().collect();
    (
        Some(anonymise(title, &refs)),
        Some(anonymise(description, &refs)),
    )
}

/// A refund claim as stored.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(
    table_name = claims,
    primary_key(complaint_id),
    treat_none_as_default_value = false,
    treat_none_as_null = true
)]
pub struct ClaimRow {
    pub complaint_id: String,
    pub state: State,
    pub filed_on: NaiveDate,
    pub sent_on: Option<NaiveDate>,
    pub answer_due_on: Option<NaiveDate>,
    pub channel: Option<Channel>,
    pub provider_ref: Option<String>,
    pub first_answered_on: Option<NaiveDate>,
    pub answered_on: Option<NaiveDate>,
    pub last_offer: Option<i64>,
    pub escalated_on: Option<NaiveDate>,
    pub body: Option<Body>,
    pub closed_on: Option<NaiveDate>,
    pub outcome: Option<Outcome>,
    pub received: Option<i64>,
    pub updated_at: NaiveDateTime,
    pub response_type: Option<ResponseType>,
    pub in_progress_on: Option<NaiveDate>,
    pub reply: Option<Reply>,
    pub provider_answered_on: Option<NaiveDate>,
}

impl ComplaintRow {
    /// A complaint row with its identity and no facts yet; the caller fills in the rest.
    pub fn new(
        id: &str,
        user_id: &str,
        currency: Currency,
        created_at: NaiveDateTime,
    ) -> ComplaintRow {
        ComplaintRow {
            id: id.to_string(),
            user_id: Some(user_id.to_string()),
            provider_id: String::new(),
            title: String::new(),
            description: String::new(),
            contract_ref: None,
            currency: currency.code().to_string(),
            amount_claimed: None,
            share_with_associations: false,
            created_at,
            shared_title: None,
            shared_description: None,
            shared_version: SHARED_COPY_VERSION,
            public_id: new_public_id(),
        }
    }

    /// The row with its anonymised copy made from its text and consent: reviewers read and
    /// search only that copy, so it is written with the complaint, in its transaction.
    pub fn with_shared_copy(mut self) -> ComplaintRow {
        (self.shared_title, self.shared_description) = shared_copy(
            self.share_with_associations,
            &self.title,
            &self.description,
            self.contract_ref.as_deref(),
        );
        self.shared_version = SHARED_COPY_VERSION;
        self
    }
}

impl ClaimRow {
    /// The row that stores `claim` (its amount claimed lives on the complaint).
    pub fn of(complaint_id: &str, claim: &Claim, updated_at: NaiveDateTime) -> ClaimRow {
        ClaimRow {
            complaint_id: complaint_id.to_string(),
            state: claim.state,
            filed_on: claim.filed_on,
            sent_on: claim.sent_on,
            answer_due_on: claim.answer_due_on,
            channel: claim.channel,
            provider_ref: claim.provider_ref.clone(),
            first_answered_on: claim.first_answered_on,
            answered_on: claim.answered_on,
            last_offer: claim.last_offer,
            escalated_on: claim.escalated_on,
            body: claim.body,
            closed_on: claim.closed_on,
            outcome: claim.outcome,
            received: claim.received,
            updated_at,
            response_type: claim.portal.response_type,
            in_progress_on: claim.portal.in_progress_on,
            reply: claim.portal.reply,
            provider_answered_on: claim.portal.answered_on,
        }
    }
}

pub(super) fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("stored {what} {value:?} is not valid"))
}

impl ProblemRow {
    /// The row that stores one problem: the one mapping from facts to a row (the reverse is
    /// `Facts::try_from`).
    pub fn of(complaint_id: &str, facts: &Facts) -> ProblemRow {
        let mut row = ProblemRow {
            complaint_id: complaint_id.to_string(),
            kind: facts.kind(),
            service: None,
            started_on: None,
            ended_on: None,
            partly_restored: None,
            still_billed: None,
            monthly_fee: None,
            old_price: None,
            new_price: None,
            effective_on: None,
            announced_by: None,
            notice_received: None,
            billing_issue: None,
            charged_on: None,
            charged_amount: None,
        };
        match facts {
            Facts::ServiceCut {
                service,
                started_on,
                ended_on,
                partly_restored,
                still_billed,
                monthly_fee,
            } => {
                row.service = Some(*service);
                row.started_on = Some(*started_on);
                row.ended_on = *ended_on;
                row.partly_restored = Some(*partly_restored);
                row.still_billed = Some(*still_billed);
                row.monthly_fee = *monthly_fee;
            }
            Facts::PriceHike {
                old_price,
                new_price,
                effective_on,
                announced_by,
                notice_received,
            } => {
                row.old_price = Some(*old_price);
                row.new_price = Some(*new_price);
                row.effective_on = Some(*effective_on);
                row.announced_by = Some(*announced_by);
                row.notice_received = Some(*notice_received);
            }
            Facts::Billing {
                issue,
                charged_on,
                charged_amount,
            } => {
                row.billing_issue = Some(*issue);
                row.charged_on = Some(*charged_on);
                row.charged_amount = Some(*charged_amount);
            }
            Facts::Other => {}
        }
        row
    }
}

/// The facts a row holds; a column its kind needs and the row lacks is a corrupt row.
impl TryFrom<&ProblemRow> for Facts {
    type Error = StoreError;

    fn try_from(row: &ProblemRow) -> Result<Facts, StoreError> {
        let missing = |what: &str| corrupt(what, "NULL");
        Ok(match row.kind {
            Kind::ServiceCut => Facts::ServiceCut {
                service: row.service.ok_or_else(|| missing("service"))?,
                started_on: row.started_on.ok_or_else(|| missing("started_on"))?,
                ended_on: row.ended_on,
                partly_restored: row.partly_restored.unwrap_or(false),
                still_billed: row.still_billed.unwrap_or(false),
                monthly_fee: row.monthly_fee,
            },
            Kind::PriceHike => Facts::PriceHike {
                old_price: row.old_price.ok_or_else(|| missing("old_price"))?,
                new_price: row.new_price.ok_or_else(|| missing("new_price"))?,
                effective_on: row.effective_on.ok_or_else(|| missing("effective_on"))?,
                announced_by: row.announced_by.ok_or_else(|| missing("announced_by"))?,
                notice_received: row.notice_received.unwrap_or(false),
            },
            Kind::Billing => Facts::Billing {
                issue: row.billing_issue.ok_or_else(|| missing("billing_issue"))?,
                charged_on: row.charged_on.ok_or_else(|| missing("charged_on"))?,
                charged_amount: row
                    .charged_amount
                    .ok_or_else(|| missing("charged_amount"))?,
            },
            Kind::Other => Facts::Other,
        })
    }
}

pub(crate) fn claim_of(row: ClaimRow, amount_claimed: i64) -> Claim {
    Claim {
        state: row.state,
        amount_claimed,
        filed_on: row.filed_on,
        sent_on: row.sent_on,
        channel: row.channel,
        provider_ref: row.provider_ref,
        answer_due_on: row.answer_due_on,
        first_answered_on: row.first_answered_on,
        answered_on: row.answered_on,
        last_offer: row.last_offer,
        escalated_on: row.escalated_on,
        body: row.body,
        closed_on: row.closed_on,
        outcome: row.outcome,
        received: row.received,
        portal: PortalRecord {
            response_type: row.response_type,
            in_progress_on: row.in_progress_on,
            reply: row.reply,
            answered_on: row.provider_answered_on,
        },
    }
}

/// A timeline entry as stored.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = claim_events, treat_none_as_default_value = false)]
pub struct EventRow {
    pub complaint_id: String,
    pub at: NaiveDateTime,
    pub actor_id: Option<String>,
    pub action: String,
    pub on_date: NaiveDate,
    pub state_after: State,
    pub amount: Option<i64>,
    pub detail: Option<String>,
    pub reference: Option<String>,
    pub note: Option<String>,
}

impl EventRow {
    /// The timeline's first entry: the complaint filed, with the amount claimed if any.
    pub fn filing(
        complaint_id: &str,
        actor_id: &str,
        at: NaiveDateTime,
        on: NaiveDate,
        amount_claimed: Option<i64>,
    ) -> EventRow {
        EventRow {
            complaint_id: complaint_id.to_string(),
            at,
            actor_id: Some(actor_id.to_string()),
            action: "file".to_string(),
            on_date: on,
            state_after: State::Filed,
            amount: amount_claimed,
            detail: None,
            reference: None,
            note: None,
        }
    }

    /// The entry of an accepted move, with the state it led to.
    pub fn of_move(
        complaint_id: &str,
        actor_id: &str,
        at: NaiveDateTime,
        action: &Action,
        state_after: State,
    ) -> EventRow {
        let (amount, detail, reference, note) = match action {
            Action::Send {
                channel, reference, ..
            } => (None, Some(channel.as_str()), reference.clone(), None),
            Action::Answer { offered, note, .. } => (Some(*offered), None, None, note.clone()),
            Action::Escalate { body, note, .. } => (None, Some(body.as_str()), None, note.clone()),
            Action::Resolve {
                outcome, received, ..
            } => (Some(*received), Some(outcome.as_str()), None, None),
            Action::Withdraw { .. } => (None, None, None, None),
        };
        EventRow {
            complaint_id: complaint_id.to_string(),
            at,
            actor_id: Some(actor_id.to_string()),
            action: action.kind().as_str().to_string(),
            on_date: action.on(),
            state_after,
            amount,
            detail: detail.map(str::to_string),
            reference,
            note,
        }
    }
}
