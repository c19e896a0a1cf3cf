//! Reading complaints: one, a person's, their export, and the statistics' snapshots.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::*;
use crate::db::DbConnection;
use crate::db::schema::{attachments, claim_events, claims, complaint_problems, complaints};
use crate::domain::account::Role;
use crate::domain::claim::{Claim, State};
use crate::domain::complaint::{Facts, Kind, Kinds, increase_of, kinds_of};
use crate::domain::money::Currency;
use crate::domain::tally::{self, ClaimFacts, Snapshot};
use crate::store::StoreError;
use crate::store::providers::{self, Provider};
use crate::store::users::User;

/// A complaint as its pages show it.
#[derive(Debug, Clone)]
pub struct Complaint {
    pub id: String,
    pub owner_id: Option<String>,
    pub provider: Provider,
    pub network: Option<Provider>,
    pub title: String,
    pub description: String,
    pub contract_ref: Option<String>,
    pub currency: Currency,
    pub amount_claimed: Option<i64>,
    pub share_with_associations: bool,
    /// One per kind, in the order of `Kind::ALL`.
    pub problems: Vec<Facts>,
    pub created_at: NaiveDateTime,
    pub claim: Option<Claim>,
}

impl Complaint {
    pub fn kinds(&self) -> Kinds {
        kinds_of(&self.problems)
    }

    /// The price rise in percent, when one of the problems is a price hike.
    pub fn increase_percent(&self) -> Option<i64> {
        increase_of(&self.problems)
    }

    /// What the statistics count of this complaint.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            provider_id: self.provider.id.clone(),
            filed_on: self.created_at.date(),
            kinds: self.kinds(),
            currency: self.currency,
            claim: self.claim.as_ref().map(ClaimFacts::from),
        }
    }
}

/// One entry of a claim's timeline.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = claim_events)]
pub struct Event {
    pub at: NaiveDateTime,
    pub action: String,
    pub on_date: NaiveDate,
    pub state_after: State,
    pub amount: Option<i64>,
    pub detail: Option<String>,
    pub reference: Option<String>,
    pub note: Option<String>,
}

/// Ids per `IN (…)` list: well under every backend's limit of bound values.
pub(crate) const IDS_PER_QUERY: usize = 1_000;

/// The rows of `table` whose complaint is one of `ids`, grouped by complaint, in the order
/// `load` gives them.
pub(super) fn by_complaint<T>(
    ids: &[&str],
    mut load: impl FnMut(&[&str]) -> QueryResult<Vec<(String, T)>>,
) -> Result<std::collections::HashMap<String, Vec<T>>, StoreError> {
    let mut out: std::collections::HashMap<String, Vec<T>> = std::collections::HashMap::new();
    for chunk in ids.chunks(IDS_PER_QUERY) {
        for (complaint_id, item) in load(chunk)? {
            out.entry(complaint_id).or_default().push(item);
        }
    }
    Ok(out)
}

/// The complaints of these rows, with their providers and claims loaded in batches: a few
/// queries however many rows there are.
pub(super) fn assemble_all(
    conn: &mut DbConnection,
    rows: Vec<ComplaintRow>,
) -> Result<Vec<Complaint>, StoreError> {
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let mut claim_rows = by_complaint(&ids, |chunk| {
        claims::table
            .filter(claims::complaint_id.eq_any(chunk))
            .select((claims::complaint_id, ClaimRow::as_select()))
            .load(conn)
    })?;
    let mut problem_rows = problems_of(conn, &ids)?;
    let provider_ids: Vec<&str> = rows.iter().map(|r| r.provider_id.as_str()).collect();
    let mut known = providers::by_ids(conn, &provider_ids)?;
    let network_ids: Vec<String> = known
        .values()
        .filter_map(|p| p.network_id.clone())
        .filter(|id| !known.contains_key(id))
        .collect();
    let network_ids: Vec<&str> = network_ids.iter().map(String::as_str).collect();
    known.extend(providers::by_ids(conn, &network_ids)?);
    rows.into_iter()
        .map(|row| {
            let claim_row = claim_rows.remove(&row.id).and_then(|mut c| c.pop());
            let problems = problem_rows.remove(&row.id).unwrap_or_default();
            assemble(row, problems, claim_row, &known)
        })
        .collect()
}

/// The problems of these complaints, by complaint, each in the order of `Kind::ALL`.
pub(super) fn problems_of(
    conn: &mut DbConnection,
    ids: &[&str],
) -> Result<std::collections::HashMap<String, Vec<ProblemRow>>, StoreError> {
    let mut out = by_complaint(ids, |chunk| {
        complaint_problems::table
            .filter(complaint_problems::complaint_id.eq_any(chunk))
            .select((complaint_problems::complaint_id, ProblemRow::as_select()))
            .load(conn)
    })?;
    for rows in out.values_mut() {
        rows.sort_by_key(|r| r.kind);
    }
    Ok(out)
}

pub(super) fn assemble(
    row: ComplaintRow,
    problems: Vec<ProblemRow>,
    claim_row: Option<ClaimRow>,
    known: &std::collections::HashMap<String, Provider>,
) -> Result<Complaint, StoreError> {
    let provider = known
        .get(&row.provider_id)
        .cloned()
        .ok_or_else(|| corrupt("provider", &row.provider_id))?;
    let network = provider
        .network_id
        .as_ref()
        .and_then(|id| known.get(id))
        .cloned();
    let claim = match (claim_row, row.amount_claimed) {
        (Some(c), Some(amount)) => Some(claim_of(c, amount)),
        _ => None,
    };
    if problems.is_empty() {
        return Err(corrupt("problems of complaint", &row.id));
    }
    Ok(Complaint {
        problems: problems
            .iter()
            .map(Facts::try_from)
            .collect::<Result<_, _>>()?,
        currency: Currency::parse(&row.currency)
            .ok_or_else(|| corrupt("currency", &row.currency))?,
        id: row.id,
        owner_id: row.user_id,
        provider,
        network,
        title: row.title,
        description: row.description,
        contract_ref: row.contract_ref,
        amount_claimed: row.amount_claimed,
        share_with_associations: row.share_with_associations,
        created_at: row.created_at,
        claim,
    })
}

/// The complaint if `viewer` may see it: its owner or an admin. Anyone else gets `None`,
/// exactly as for an id that does not exist.
pub fn visible(
    conn: &mut DbConnection,
    id: &str,
    viewer: &User,
) -> Result<Option<Complaint>, StoreError> {
    let row: Option<ComplaintRow> = complaints::table
        .find(id)
        .select(ComplaintRow::as_select())
        .first(conn)
        .optional()?;
    match row {
        Some(row)
            if viewer.role == Role::Admin || row.user_id.as_deref() == Some(viewer.id.as_str()) =>
        {
            Ok(assemble_all(conn, vec![row])?.pop())
        }
        _ => Ok(None),
    }
}

/// The user's complaints, newest first.
pub fn of_user(conn: &mut DbConnection, user_id: &str) -> Result<Vec<Complaint>, StoreError> {
    let rows: Vec<ComplaintRow> = complaints::table
        .filter(complaints::user_id.eq(user_id))
        .order(complaints::created_at.desc())
        .select(ComplaintRow::as_select())
        .load(conn)?;
    assemble_all(conn, rows)
}

pub(super) type SnapshotRow = (
    String,
    String,
    String,
    NaiveDateTime,
    Option<i64>,
    Option<ClaimRow>,
);

/// What the statistics count of a stored complaint and its claim.
pub fn snapshot_from(
    provider_id: String,
    kinds: Kinds,
    currency: &str,
    created_at: NaiveDateTime,
    amount_claimed: Option<i64>,
    claim: Option<ClaimRow>,
) -> Result<Snapshot, StoreError> {
    let claim = match (claim, amount_claimed) {
        (Some(c), Some(amount)) => Some(ClaimFacts::from(&claim_of(c, amount))),
        _ => None,
    };
    if kinds.is_empty() {
        return Err(StoreError::Corrupt(format!(
            "a complaint of provider {provider_id} has no problem"
        )));
    }
    Ok(Snapshot {
        provider_id,
        filed_on: created_at.date(),
        kinds,
        currency: Currency::parse(currency).ok_or_else(|| corrupt("currency", currency))?,
        claim,
    })
}

/// Calls `each` with the statistics snapshot of every complaint (of one provider, or all),
/// a page at a time so that memory stays flat however many there are.
pub fn each_snapshot(
    conn: &mut DbConnection,
    provider_id: Option<&str>,
    mut each: impl FnMut(&str, Snapshot),
) -> Result<(), StoreError> {
    const PAGE: i64 = 5_000;
    let mut after = String::new();
    loop {
        let mut query = complaints::table
            .left_join(claims::table)
            .select((
                complaints::id,
                complaints::provider_id,
                complaints::currency,
                complaints::created_at,
                complaints::amount_claimed,
                Option::<ClaimRow>::as_select(),
            ))
            .filter(complaints::id.gt(after.clone()))
            .order(complaints::id.asc())
            .limit(PAGE)
            .into_boxed();
        if let Some(p) = provider_id {
            query = query.filter(complaints::provider_id.eq(p.to_string()));
        }
        let rows: Vec<SnapshotRow> = query.load(conn)?;
        let Some(last) = rows.last() else {
            return Ok(());
        };
        after = last.0.clone();
        let ids: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
        let mut kinds = by_complaint(&ids, |chunk| {
            complaint_problems::table
                .filter(complaint_problems::complaint_id.eq_any(chunk))
                .select((complaint_problems::complaint_id, complaint_problems::kind))
                .load::<(String, Kind)>(conn)
        })?;
        for (id, provider_id, currency, created_at, amount, claim) in rows {
            let set = Kinds::of(kinds.remove(&id).unwrap_or_default());
            each(
                &id,
                snapshot_from(provider_id, set, &currency, created_at, amount, claim)?,
            );
        }
    }
}

/// Every counter, recounted from the raw rows.
pub fn recount(conn: &mut DbConnection) -> Result<BTreeMap<tally::Key, i64>, StoreError> {
    let mut totals = BTreeMap::new();
    each_snapshot(conn, None, |_, s| tally::accumulate(&mut totals, &s, 1))?;
    totals.retain(|_, v| *v != 0);
    Ok(totals)
}

/// Everything about a user's complaints, for their data export.
pub fn export(conn: &mut DbConnection, user_id: &str) -> Result<Vec<Dossier>, StoreError> {
    let complaints = of_user(conn, user_id)?;
    let ids: Vec<&str> = complaints.iter().map(|c| c.id.as_str()).collect();
    let mut events = by_complaint(&ids, |chunk| {
        claim_events::table
            .filter(claim_events::complaint_id.eq_any(chunk))
            .order(claim_events::id.asc())
            .select((claim_events::complaint_id, Event::as_select()))
            .load(conn)
    })?;
    let mut attachments = by_complaint(&ids, |chunk| {
        attachments::table
            .filter(attachments::complaint_id.eq_any(chunk))
            .order(attachments::created_at.asc())
            .select((attachments::complaint_id, AttachmentMeta::as_select()))
            .load(conn)
    })?;
    Ok(complaints
        .into_iter()
        .map(|c| {
            let events = events.remove(&c.id).unwrap_or_default();
            let attachments = attachments.remove(&c.id).unwrap_or_default();
            (c, events, attachments)
        })
        .collect())
}

pub fn events(conn: &mut DbConnection, complaint_id: &str) -> Result<Vec<Event>, StoreError> {
    Ok(claim_events::table
        .filter(claim_events::complaint_id.eq(complaint_id))
        .order(claim_events::id.asc())
        .select(Event::as_select())
        .load(conn)?)
}

/// Whether any complaint was ever filed (a fresh installation has none).
pub fn any(conn: &mut DbConnection) -> Result<bool, StoreError> {
    Ok(diesel::select(diesel::dsl::exists(
        complaints::table.select(complaints::id),
    ))
    .get_result(conn)?)
}
