//! Writing complaints: filing, claim moves, bulk loads, unlinking a deleted account, the
//! anonymised copies. Each runs inside its caller's transaction.

use std::collections::BTreeMap;

use diesel::prelude::*;

use super::*;
use crate::db::DbConnection;
use crate::db::schema::{
    attachments, claim_events, claims, complaint_problems, complaints,
    providers as providers_table, publications,
};
use crate::domain::claim::{self, Action, Claim, Profile};
use crate::domain::complaint::{Draft, Kinds, ProviderChoice};
use crate::domain::provider::Status;
use crate::domain::provider_answer::PortalRecord;
use crate::domain::tally::{self, ClaimFacts, Snapshot};
use crate::store::StoreError;
use crate::store::WriteError;
use crate::store::providers::{self};
use crate::store::users::User;

/// Why a complaint was not filed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileRefused {
    /// The chosen provider is not (or no longer) in the approved directory.
    UnknownProvider,
}

impl FileRefused {
    /// The catalog key of the reason's text.
    pub fn message_key(self) -> &'static str {
        match self {
            FileRefused::UnknownProvider => "error-provider-unknown",
        }
    }
}

/// Files a complaint, its refund claim when an amount is claimed, and the first timeline
/// entry, all in one transaction. Returns the complaint's id.
pub fn file(
    conn: &mut DbConnection,
    user_id: &str,
    draft: &Draft,
) -> Result<String, WriteError<FileRefused>> {
    let id = uuid::Uuid::new_v4().to_string();
    let now = crate::store::now();
    let today = now.date();
    let mut row = ComplaintRow::new(&id, user_id, draft.currency, now);
    row.title = draft.title.clone();
    row.description = draft.description.clone();
    row.contract_ref = draft.contract_ref.clone();
    row.amount_claimed = draft.amount_claimed;
    row.share_with_associations = draft.share_with_associations;
    let mut row = row.with_shared_copy();
    row.provider_id = match &draft.provider {
        ProviderChoice::Listed(slug) => providers_table::table
            .filter(providers_table::slug.eq(slug))
            .filter(providers_table::status.eq(Status::Approved.as_str()))
            .select(providers_table::id)
            .first::<String>(conn)
            .optional()?
            .ok_or(WriteError::Refused(FileRefused::UnknownProvider))?,
        ProviderChoice::New(name) => providers::pending(conn, name)?,
    };
    diesel::insert_into(complaints::table)
        .values(&row)
        .execute(conn)?;
    let problems: Vec<ProblemRow> = draft
        .problems
        .iter()
        .map(|facts| ProblemRow::of(&id, facts))
        .collect();
    crate::on_backend!(conn, c => diesel::insert_into(complaint_problems::table).values(&problems).execute(c))?;
    if let Some(amount) = draft.amount_claimed {
        diesel::insert_into(claims::table)
            .values(ClaimRow::of(&id, &Claim::new(amount, today), now))
            .execute(conn)?;
    }
    insert_event(
        conn,
        &EventRow::filing(&id, user_id, now, today, draft.amount_claimed),
    )?;
    let counted = Snapshot {
        provider_id: row.provider_id.clone(),
        filed_on: today,
        kinds: draft.kinds(),
        currency: draft.currency,
        claim: draft
            .amount_claimed
            .map(|a| ClaimFacts::from(&Claim::new(a, today))),
    };
    crate::store::stats::apply(conn, &tally::delta(None, Some(&counted)))?;
    crate::store::alerts::count_filed(conn, &row.provider_id, today, 1)?;
    crate::store::notices::complaint_filed(
        conn,
        user_id,
        &id,
        &draft.title,
        draft.amount_claimed.is_some(),
    )?;
    Ok(id)
}

/// Loads many complaints at once (demo data), with their problems, claims, timelines and
/// the statistics they add, in one transaction.
pub fn insert_bulk(
    conn: &mut DbConnection,
    complaints: &[ComplaintRow],
    problems: &[ProblemRow],
    claims: &[ClaimRow],
    events: &[EventRow],
) -> Result<(), StoreError> {
    // Enough rows per statement to be fast, few enough for every backend's bind limit.
    const ROWS: usize = 1_000;
    let mut delta = BTreeMap::new();
    let mut claim_of_complaint: std::collections::HashMap<&str, &ClaimRow> = claims
        .iter()
        .map(|c| (c.complaint_id.as_str(), c))
        .collect();
    let mut kinds_of: std::collections::HashMap<&str, Kinds> = std::collections::HashMap::new();
    for p in problems {
        let set = kinds_of.entry(p.complaint_id.as_str()).or_default();
        *set = Kinds::of(set.iter().chain([p.kind]));
    }
    for c in complaints {
        let claim = claim_of_complaint.remove(c.id.as_str()).cloned();
        let s = snapshot_from(
            c.provider_id.clone(),
            kinds_of.get(c.id.as_str()).copied().unwrap_or_default(),
            &c.currency,
            c.created_at,
            c.amount_claimed,
            claim,
        )?;
        tally::accumulate(&mut delta, &s, 1);
    }
    for chunk in complaints.chunks(ROWS) {
        let chunk: Vec<ComplaintRow> = chunk.iter().map(|c| c.clone().with_shared_copy()).collect();
        crate::on_backend!(conn, c => diesel::insert_into(complaints::table).values(&chunk).execute(c))?;
    }
    for chunk in problems.chunks(ROWS) {
        crate::on_backend!(conn, c => diesel::insert_into(complaint_problems::table).values(chunk).execute(c))?;
    }
    for chunk in claims.chunks(ROWS) {
        crate::on_backend!(conn, c => diesel::insert_into(claims::table).values(chunk).execute(c))?;
    }
    for chunk in events.chunks(ROWS) {
        crate::on_backend!(conn, c => diesel::insert_into(claim_events::table).values(chunk).execute(c))?;
    }
    delta.retain(|_, v| *v != 0);
    crate::store::stats::apply(conn, &delta)?;
    let mut daily: BTreeMap<(&str, chrono::NaiveDate), i64> = BTreeMap::new();
    for c in complaints {
        *daily
            .entry((&c.provider_id, c.created_at.date()))
            .or_default() += 1;
    }
    for ((provider, day), n) in daily {
        crate::store::alerts::count_filed(conn, provider, day, n)?;
    }
    Ok(())
}

pub(crate) fn insert_event(conn: &mut DbConnection, event: &EventRow) -> QueryResult<usize> {
    diesel::insert_into(claim_events::table)
        .values(event)
        .execute(conn)
}

/// Records one move of the claim, if the rules accept it, with its timeline entry.
pub fn act(
    conn: &mut DbConnection,
    complaint_id: &str,
    viewer: &User,
    action: &Action,
    profile: &Profile,
) -> Result<(), WriteError<claim::Refused>> {
    let complaint = visible(conn, complaint_id, viewer)?.ok_or(StoreError::NotFound)?;
    record_move(conn, complaint, &viewer.id, action, profile, |_, _| {})?;
    Ok(())
}

/// The one path of a claim's move: the rules, the claim's row, its timeline entry (which
/// `shape` may retell, as the provider's answer, with what the portal records of it), the
/// owner's notice and the statistics.
/// The caller has checked that the actor may move this complaint's claim. The rules follow
/// `profile`'s answer times and the ladder of the owner's country, read here, in the move's
/// transaction, whoever acts.
pub(crate) fn record_move(
    conn: &mut DbConnection,
    mut complaint: Complaint,
    actor_id: &str,
    action: &Action,
    profile: &Profile,
    shape: impl FnOnce(&mut Claim, &mut EventRow),
) -> Result<Claim, WriteError<claim::Refused>> {
    let before = complaint.snapshot();
    let claim = complaint.claim.as_ref().ok_or(StoreError::NotFound)?;
    let country = crate::store::users::country_of_owner(conn, complaint.owner_id.as_deref())?;
    let profile = profile.for_country(country);
    let mut next = claim::apply(claim, action, &profile).map_err(WriteError::Refused)?;
    let now = crate::store::now();
    let mut event = EventRow::of_move(&complaint.id, actor_id, now, action, next.state);
    shape(&mut next, &mut event);
    diesel::update(claims::table.find(&complaint.id))
        .set(&ClaimRow::of(&complaint.id, &next, now))
        .execute(conn)?;
    insert_event(conn, &event)?;
    crate::store::notices::claim_moved(
        conn,
        complaint.owner_id.as_deref(),
        &complaint.id,
        &complaint.title,
        next.state,
    )?;
    complaint.claim = Some(next.clone());
    let after = complaint.snapshot();
    crate::store::stats::apply(conn, &tally::delta(Some(&before), Some(&after)))?;
    crate::store::incidents::claim_moved(
        conn,
        &complaint.id,
        &complaint.problems,
        &before,
        &after,
    )?;
    Ok(next)
}

/// Changes what the portal records of a claim without moving it (an "in progress", the
/// subscriber's reply), with the statistics that count it.
pub(crate) fn record_portal(
    conn: &mut DbConnection,
    mut complaint: Complaint,
    change: impl FnOnce(&mut PortalRecord),
) -> Result<(), StoreError> {
    let before = complaint.snapshot();
    let claim = complaint.claim.as_mut().ok_or(StoreError::NotFound)?;
    change(&mut claim.portal);
    diesel::update(claims::table.find(&complaint.id))
        .set(&ClaimRow::of(&complaint.id, claim, crate::store::now()))
        .execute(conn)?;
    let after = complaint.snapshot();
    crate::store::stats::apply(conn, &tally::delta(Some(&before), Some(&after)))?;
    Ok(())
}

/// Part of deleting an account: its complaints stay for the statistics, unlinked, with
/// everything that could identify the person removed (free text, references, evidence).
pub fn unlink_user(conn: &mut DbConnection, user_id: &str) -> QueryResult<()> {
    let mine = complaints::table
        .filter(complaints::user_id.eq(user_id))
        .select(complaints::id);
    diesel::delete(attachments::table.filter(attachments::complaint_id.eq_any(mine)))
        .execute(conn)?;
    diesel::delete(publications::table.filter(publications::complaint_id.eq_any(mine)))
        .execute(conn)?;
    diesel::update(claim_events::table.filter(claim_events::complaint_id.eq_any(mine)))
        .set((
            claim_events::actor_id.eq(None::<String>),
            claim_events::reference.eq(None::<String>),
            claim_events::note.eq(None::<String>),
        ))
        .execute(conn)?;
    diesel::update(claims::table.filter(claims::complaint_id.eq_any(mine)))
        .set(claims::provider_ref.eq(None::<String>))
        .execute(conn)?;
    erase_typed_providers(conn, user_id)?;
    diesel::update(complaints::table.filter(complaints::user_id.eq(user_id)))
        .set((
            complaints::user_id.eq(None::<String>),
            complaints::title.eq(""),
            complaints::description.eq(""),
            complaints::contract_ref.eq(None::<String>),
            complaints::share_with_associations.eq(false),
            complaints::shared_title.eq(None::<String>),
            complaints::shared_description.eq(None::<String>),
        ))
        .execute(conn)?;
    Ok(())
}

/// A provider name typed by the person is their words too: each pending entry their
/// complaints name, and no other account's complaint names, gets a neutral name and slug.
/// The entry stays: the complaints, kept for the statistics, still count against it.
pub(super) fn erase_typed_providers(conn: &mut DbConnection, user_id: &str) -> QueryResult<()> {
    let typed: Vec<String> = providers_table::table
        .filter(providers_table::status.eq(Status::Pending.as_str()))
        .filter(
            providers_table::id.eq_any(
                complaints::table
                    .filter(complaints::user_id.eq(user_id))
                    .select(complaints::provider_id),
            ),
        )
        .select(providers_table::id)
        .load(conn)?;
    for id in typed {
        // Complaints of accounts deleted earlier have no owner and do not keep the name.
        let others: i64 = complaints::table
            .filter(complaints::provider_id.eq(&id))
            .filter(complaints::user_id.ne(user_id))
            .count()
            .get_result(conn)?;
        if others == 0 {
            let short: String = id.chars().filter(|c| *c != '-').collect();
            diesel::update(providers_table::table.find(&id))
                .set((
                    providers_table::name.eq(format!("[erased {}]", &short[..8.min(short.len())])),
                    providers_table::slug.eq(format!("erased-{short}")),
                ))
                .execute(conn)?;
        }
    }
    Ok(())
}

/// Brings the anonymised copies written by an older anonymiser (or before the copies
/// existed) up to `SHARED_COPY_VERSION`, a batch per transaction. Part of migrating: it runs
/// before the application serves anything, and again harmlessly on another instance.
pub fn refresh_shared_copies(conn: &mut DbConnection) -> Result<usize, StoreError> {
    const BATCH: i64 = 1_000;
    type Text = (String, bool, String, String, Option<String>);
    let mut done = 0;
    loop {
        let n = conn.write(|conn| {
            let rows: Vec<Text> = complaints::table
                .filter(complaints::shared_version.lt(SHARED_COPY_VERSION))
                .select((
                    complaints::id,
                    complaints::share_with_associations,
                    complaints::title,
                    complaints::description,
                    complaints::contract_ref,
                ))
                .limit(BATCH)
                .load(conn)?;
            for (id, shared, title, description, contract_ref) in &rows {
                let (title, description) =
                    shared_copy(*shared, title, description, contract_ref.as_deref());
                diesel::update(complaints::table.find(id))
                    .set((
                        complaints::shared_title.eq(title),
                        complaints::shared_description.eq(description),
                        complaints::shared_version.eq(SHARED_COPY_VERSION),
                    ))
                    .execute(conn)?;
            }
            Ok::<usize, StoreError>(rows.len())
        })?;
        done += n;
        if n < BATCH as usize {
            return Ok(done);
        }
    }
}
