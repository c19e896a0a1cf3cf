//! A complaint as JSON, for the person's own data export. Every object lists its fields in
//! alphabetical order, as the maps it was first built from did.

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::complaint::Facts;
use crate::store::complaints::{AttachmentMeta, Complaint, Event};

#[derive(Serialize)]
pub struct ComplaintJson<'a> {
    amount_claimed_cents: Option<i64>,
    attachments: Vec<AttachmentJson<'a>>,
    claim: Option<ClaimJson<'a>>,
    contract_ref: Option<&'a str>,
    created_at: String,
    currency: &'static str,
    description: &'a str,
    id: &'a str,
    /// One per kind of problem, each with its facts.
    problems: Vec<ProblemJson>,
    provider: ProviderJson<'a>,
    share_with_associations: bool,
    title: &'a str,
}

#[derive(Serialize)]
struct ProviderJson<'a> {
    name: &'a str,
    slug: &'a str,
}

#[derive(Serialize)]
struct AttachmentJson<'a> {
    content_type: &'a str,
    filename: &'a str,
    id: &'a str,
    size: i64,
}

#[derive(Serialize)]
struct ClaimJson<'a> {
    amount_claimed_cents: i64,
    answered_on: Option<NaiveDate>,
    channel: Option<&'static str>,
    closed_on: Option<NaiveDate>,
    currency: &'static str,
    escalated_on: Option<NaiveDate>,
    escalated_to: Option<&'static str>,
    events: Vec<EventJson<'a>>,
    filed_on: NaiveDate,
    last_offer_cents: Option<i64>,
    outcome: Option<&'static str>,
    provider_reference: Option<&'a str>,
    received_cents: Option<i64>,
    sent_on: Option<NaiveDate>,
    state: &'static str,
}

#[derive(Serialize)]
struct EventJson<'a> {
    action: &'a str,
    amount_cents: Option<i64>,
    at: String,
    detail: Option<&'a str>,
    note: Option<&'a str>,
    on: NaiveDate,
    reference: Option<&'a str>,
    state_after: &'static str,
}

#[derive(Serialize)]
struct ProblemJson {
    facts: FactsJson,
    kind: &'static str,
}

/// The facts of one problem's kind; a problem of kind `other` has none (`{}`).
#[derive(Serialize)]
#[serde(untagged)]
enum FactsJson {
    ServiceCut {
        ended_on: Option<NaiveDate>,
        monthly_fee_cents: Option<i64>,
        partly_restored: bool,
        service: &'static str,
        started_on: NaiveDate,
        still_billed: bool,
    },
    PriceHike {
        announced_by: &'static str,
        effective_on: NaiveDate,
        new_price_cents: i64,
        notice_received: bool,
        old_price_cents: i64,
    },
    Billing {
        billing_issue: &'static str,
        charged_amount_cents: i64,
        charged_on: NaiveDate,
    },
    Other {},
}

impl From<&Facts> for FactsJson {
    fn from(facts: &Facts) -> FactsJson {
        match *facts {
            Facts::ServiceCut {
                service,
                started_on,
                ended_on,
                partly_restored,
                still_billed,
                monthly_fee,
            } => FactsJson::ServiceCut {
                ended_on,
                monthly_fee_cents: monthly_fee,
                partly_restored,
                service: service.as_str(),
                started_on,
                still_billed,
            },
            Facts::PriceHike {
                old_price,
                new_price,
                effective_on,
                announced_by,
                notice_received,
            } => FactsJson::PriceHike {
                announced_by: announced_by.as_str(),
                effective_on,
                new_price_cents: new_price,
                notice_received,
                old_price_cents: old_price,
            },
            Facts::Billing {
                issue,
                charged_on,
                charged_amount,
            } => FactsJson::Billing {
                billing_issue: issue.as_str(),
                charged_amount_cents: charged_amount,
                charged_on,
            },
            Facts::Other => FactsJson::Other {},
        }
    }
}

impl<'a> From<&'a Event> for EventJson<'a> {
    fn from(e: &'a Event) -> EventJson<'a> {
        EventJson {
            action: &e.action,
            amount_cents: e.amount,
            at: e.at.and_utc().to_rfc3339(),
            detail: e.detail.as_deref(),
            note: e.note.as_deref(),
            on: e.on_date,
            reference: e.reference.as_deref(),
            state_after: e.state_after.as_str(),
        }
    }
}

impl<'a> From<&'a AttachmentMeta> for AttachmentJson<'a> {
    fn from(a: &'a AttachmentMeta) -> AttachmentJson<'a> {
        AttachmentJson {
            content_type: &a.content_type,
            filename: &a.filename,
            id: &a.id,
            size: a.size,
        }
    }
}

pub fn complaint_json<'a>(
    c: &'a Complaint,
    events: &'a [Event],
    attachments: &'a [AttachmentMeta],
) -> ComplaintJson<'a> {
    let claim = c.claim.as_ref().map(|r| ClaimJson {
        amount_claimed_cents: r.amount_claimed,
        answered_on: r.answered_on,
        channel: r.channel.map(|ch| ch.as_str()),
        closed_on: r.closed_on,
        currency: c.currency.code(),
        escalated_on: r.escalated_on,
        escalated_to: r.body.map(|b| b.as_str()),
        events: events.iter().map(EventJson::from).collect(),
        filed_on: r.filed_on,
        last_offer_cents: r.last_offer,
        outcome: r.outcome.map(|o| o.as_str()),
        provider_reference: r.provider_ref.as_deref(),
        received_cents: r.received,
        sent_on: r.sent_on,
        state: r.state.as_str(),
    });
    ComplaintJson {
        amount_claimed_cents: c.amount_claimed,
        attachments: attachments.iter().map(AttachmentJson::from).collect(),
        claim,
        contract_ref: c.contract_ref.as_deref(),
        created_at: c.created_at.and_utc().to_rfc3339(),
        currency: c.currency.code(),
        description: &c.description,
        id: &c.id,
        problems: c
            .problems
            .iter()
            .map(|f| ProblemJson {
                facts: FactsJson::from(f),
                kind: f.kind().as_str(),
            })
            .collect(),
        provider: ProviderJson {
            name: &c.provider.name,
            slug: &c.provider.slug,
        },
        share_with_associations: c.share_with_associations,
        title: &c.title,
    }
}
