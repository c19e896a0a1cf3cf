//! Correcting a complaint until its claim is sent: its facts and amount (an amount added
//! to a complaint filed without one makes it a claim), and removing a piece of evidence.
//! Each change is one transaction with its timeline entry and its statistics.

use diesel::prelude::*;

use super::*;
use crate::db::DbConnection;
use crate::db::schema::{attachments, claims, complaint_problems, complaints};
use crate::domain::claim::{Claim, State};
use crate::domain::complaint::{self, Draft, EditRefused};
use crate::domain::tally;
use crate::store::StoreError;
use crate::store::WriteError;
use crate::store::users::User;

/// The fields of `draft` that differ from the complaint, by their form names.
fn changed_fields(c: &Complaint, draft: &Draft) -> Vec<&'static str> {
    let mut out = Vec::new();
    let mut differs = |field: &'static str, differ: bool| {
        if differ {
            out.push(field);
        }
    };
    differs("title", c.title != draft.title);
    differs("description", c.description != draft.description);
    differs("contract_ref", c.contract_ref != draft.contract_ref);
    differs("amount_claimed", c.amount_claimed != draft.amount_claimed);
    differs("currency", c.currency != draft.currency);
    differs(
        "share_with_associations",
        c.share_with_associations != draft.share_with_associations,
    );
    differs("kind", c.kinds() != draft.kinds());
    for kind in draft.kinds().iter().filter(|k| c.kinds().contains(*k)) {
        let before = c.problems.iter().find(|f| f.kind() == kind);
        let after = draft.problems.iter().find(|f| f.kind() == kind);
        if before != after {
            out.push(kind.as_str());
        }
    }
    out
}

/// Replaces the complaint's facts and amount with `draft`'s (its provider stays), if the
/// rules allow: the claim not sent yet, and a claim keeps an amount. An amount added to a
/// complaint without one opens its claim today.
pub fn edit(
    conn: &mut DbConnection,
    complaint_id: &str,
    viewer: &User,
    draft: &Draft,
) -> Result<(), WriteError<EditRefused>> {
    let mut c = visible(conn, complaint_id, viewer)?.ok_or(StoreError::NotFound)?;
    complaint::may_edit(c.claim.as_ref().map(|r| r.state), draft.amount_claimed)
        .map_err(WriteError::Refused)?;
    let changed = changed_fields(&c, draft);
    if changed.is_empty() {
        return Ok(());
    }
    let before = c.snapshot();
    let now = crate::store::now();
    let today = now.date();
    let (shared_title, shared_description) = shared_copy(
        draft.share_with_associations,
        &draft.title,
        &draft.description,
        draft.contract_ref.as_deref(),
    );
    diesel::update(complaints::table.find(complaint_id))
        .set((
            complaints::title.eq(&draft.title),
            complaints::description.eq(&draft.description),
            complaints::contract_ref.eq(&draft.contract_ref),
            complaints::currency.eq(draft.currency.code()),
            complaints::amount_claimed.eq(draft.amount_claimed),
            complaints::share_with_associations.eq(draft.share_with_associations),
            complaints::shared_title.eq(shared_title),
            complaints::shared_description.eq(shared_description),
            complaints::shared_version.eq(SHARED_COPY_VERSION),
        ))
        .execute(conn)?;
    diesel::delete(
        complaint_problems::table.filter(complaint_problems::complaint_id.eq(complaint_id)),
    )
    .execute(conn)?;
    let problems: Vec<ProblemRow> = draft
        .problems
        .iter()
        .map(|facts| ProblemRow::of(complaint_id, facts))
        .collect();
    crate::on_backend!(conn, x => diesel::insert_into(complaint_problems::table).values(&problems).execute(x))?;

    let state = c.claim.as_ref().map_or(State::Filed, |r| r.state);
    insert_event(
        conn,
        &EventRow {
            complaint_id: complaint_id.to_string(),
            at: now,
            actor_id: Some(viewer.id.clone()),
            action: "edit".to_string(),
            on_date: today,
            state_after: state,
            amount: None,
            detail: Some(changed.join(",")),
            reference: None,
            note: None,
        },
    )?;
    match (&mut c.claim, draft.amount_claimed) {
        (Some(claim), Some(amount)) => claim.amount_claimed = amount,
        (None, Some(amount)) => {
            let claim = Claim::new(amount, today);
            diesel::insert_into(claims::table)
                .values(ClaimRow::of(complaint_id, &claim, now))
                .execute(conn)?;
            insert_event(
                conn,
                &EventRow {
                    complaint_id: complaint_id.to_string(),
                    at: now,
                    actor_id: Some(viewer.id.clone()),
                    action: "claim".to_string(),
                    on_date: today,
                    state_after: State::Filed,
                    amount: Some(amount),
                    detail: None,
                    reference: None,
                    note: None,
                },
            )?;
            c.claim = Some(claim);
        }
        // `may_edit` keeps a claim's amount.
        (_, None) => {}
    }
    c.problems = draft.problems.clone();
    c.currency = draft.currency;
    c.amount_claimed = draft.amount_claimed;
    crate::store::stats::apply(conn, &tally::delta(Some(&before), Some(&c.snapshot())))?;
    Ok(())
}

/// Removes one piece of evidence, with a timeline entry naming it. Anyone but the owner
/// and admins, or an attachment of another complaint, is `NotFound`.
pub fn remove_attachment(
    conn: &mut DbConnection,
    complaint_id: &str,
    attachment_id: &str,
    viewer: &User,
) -> Result<(), StoreError> {
    let c = visible(conn, complaint_id, viewer)?.ok_or(StoreError::NotFound)?;
    let filename: String = attachments::table
        .filter(attachments::complaint_id.eq(complaint_id))
        .filter(attachments::id.eq(attachment_id))
        .select(attachments::filename)
        .first(conn)
        .optional()?
        .ok_or(StoreError::NotFound)?;
    diesel::delete(
        attachments::table
            .filter(attachments::complaint_id.eq(complaint_id))
            .filter(attachments::id.eq(attachment_id)),
    )
    .execute(conn)?;
    let now = crate::store::now();
    insert_event(
        conn,
        &EventRow {
            complaint_id: complaint_id.to_string(),
            at: now,
            actor_id: Some(viewer.id.clone()),
            action: "remove-evidence".to_string(),
            on_date: now.date(),
            state_after: c.claim.as_ref().map_or(State::Filed, |r| r.state),
            amount: None,
            detail: None,
            reference: None,
            note: Some(filename),
        },
    )?;
    Ok(())
}
