//! A complaint as JSON, for the person's own data export.

use serde_json::{Value, json};

use crate::domain::complaint::Facts;
use crate::store::complaints::{AttachmentMeta, Complaint, Event};

pub fn complaint_json(c: &Complaint, events: &[Event], attachments: &[AttachmentMeta]) -> Value {
    let facts = match &c.facts {
        Facts::ServiceCut {
            service,
            started_on,
            ended_on,
            partly_restored,
            still_billed,
            monthly_fee,
        } => json!({
            "service": service.as_str(),
            "started_on": started_on,
            "ended_on": ended_on,
            "partly_restored": partly_restored,
            "still_billed": still_billed,
            "monthly_fee_cents": monthly_fee,
        }),
        Facts::PriceHike {
            old_price,
            new_price,
            effective_on,
            announced_by,
            notice_received,
        } => json!({
            "old_price_cents": old_price,
            "new_price_cents": new_price,
            "effective_on": effective_on,
            "announced_by": announced_by.as_str(),
            "notice_received": notice_received,
        }),
        Facts::Billing {
            issue,
            charged_on,
            charged_amount,
        } => json!({
            "billing_issue": issue.as_str(),
            "charged_on": charged_on,
            "charged_amount_cents": charged_amount,
        }),
        Facts::Other => json!({}),
    };
    let claim = c.claim.as_ref().map(|r| {
        json!({
            "state": r.state.as_str(),
            "amount_claimed_cents": r.amount_claimed,
            "currency": c.currency.code(),
            "filed_on": r.filed_on,
            "sent_on": r.sent_on,
            "channel": r.channel.map(|ch| ch.as_str()),
            "provider_reference": r.provider_ref,
            "answered_on": r.answered_on,
            "last_offer_cents": r.last_offer,
            "escalated_on": r.escalated_on,
            "escalated_to": r.body.map(|b| b.as_str()),
            "closed_on": r.closed_on,
            "outcome": r.outcome.map(|o| o.as_str()),
            "received_cents": r.received,
            "events": events.iter().map(|e| json!({
                "at": e.at.and_utc().to_rfc3339(),
                "action": e.action,
                "on": e.on_date,
                "state_after": e.state_after.as_str(),
                "amount_cents": e.amount,
                "detail": e.detail,
                "reference": e.reference,
                "note": e.note,
            })).collect::<Vec<_>>(),
        })
    });
    json!({
        "id": c.id,
        "kind": c.kind().as_str(),
        "provider": { "slug": c.provider.slug, "name": c.provider.name },
        "title": c.title,
        "description": c.description,
        "contract_ref": c.contract_ref,
        "currency": c.currency.code(),
        "amount_claimed_cents": c.amount_claimed,
        "share_with_associations": c.share_with_associations,
        "created_at": c.created_at.and_utc().to_rfc3339(),
        "facts": facts,
        "attachments": attachments.iter().map(|a| json!({
            "id": a.id,
            "filename": a.filename,
            "content_type": a.content_type,
            "size": a.size,
        })).collect::<Vec<_>>(),
        "claim": claim,
    })
}
