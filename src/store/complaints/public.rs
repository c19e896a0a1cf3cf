//! The complaint-level open data: one record per complaint, the authors' agreement to
//! publish their description, and the reviewers' approval of each anonymised description.

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::ClaimRow;
use crate::db::DbConnection;
use crate::db::schema::{claims, complaint_problems, complaints, publications, stat_counts};
use crate::domain::anonymise::anonymise;
use crate::domain::complaint::{Kind, Kinds};
use crate::domain::provider::Status;
use crate::domain::stats::MIN_VOLUME;
use crate::domain::tally::{self, COMPLAINTS, month_of};
use crate::store::StoreError;
use crate::store::providers;
use crate::store::stats::Filter;

/// One complaint as the open data shows it.
#[derive(Debug, Clone)]
pub struct PublicRecord {
    pub id: String,
    pub month: String,
    pub provider: String,
    pub provider_name: String,
    pub network: Option<String>,
    pub country: String,
    pub kinds: Vec<Kind>,
    pub claim_state: Option<String>,
    pub outcome: Option<String>,
    pub answered_on_time: Option<bool>,
    pub description: Option<String>,
}

type Row = (
    String,
    String,
    String,
    NaiveDateTime,
    String,
    Option<i64>,
    Option<ClaimRow>,
    Option<NaiveDateTime>,
    Option<String>,
);

/// The cells (provider, month, set of kinds) holding at least MIN_VOLUME complaints: only
/// their complaints are published. A complaint is in exactly one cell, and every filter
/// (a kind selects every set containing it) selects whole cells, so no filter can single
/// out fewer than MIN_VOLUME complaints. Read from the statistics' counters, not by
/// counting.
fn cells(conn: &mut DbConnection) -> Result<HashSet<(String, String, String)>, StoreError> {
    let rows: Vec<(String, String, String)> = stat_counts::table
        .filter(stat_counts::metric.eq(COMPLAINTS))
        .filter(stat_counts::currency.eq(""))
        .filter(stat_counts::value.ge(MIN_VOLUME))
        .select((
            stat_counts::provider_id,
            stat_counts::month,
            stat_counts::kind,
        ))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

/// Up to `size` records of `filter` after the public id `after`, in public id order, and
/// whether more follow.
pub fn public_records(
    conn: &mut DbConnection,
    filter: &Filter,
    after: Option<&str>,
    size: i64,
) -> Result<(Vec<PublicRecord>, bool), StoreError> {
    let cells = cells(conn)?;
    let providers: HashMap<String, providers::Provider> = providers::all(conn)?
        .into_iter()
        .map(|p| (p.id.clone(), p))
        .collect();
    // Only reviewed providers (a pending one is a name typed by a subscriber), in the
    // selected country, with at least one cell big enough.
    // The country and network rules are the statistics' (`store::stats::included`).
    let chosen: HashSet<String> = crate::store::stats::included(conn, filter)?
        .into_iter()
        .map(|p| p.id)
        .collect();
    let wanted: Vec<&str> = providers
        .values()
        .filter(|p| p.status == Status::Approved.as_str())
        .filter(|p| chosen.contains(&p.id))
        .filter(|p| cells.iter().any(|(id, _, _)| *id == p.id))
        .map(|p| p.id.as_str())
        .collect();
    // When every provider with a published cell is wanted (no provider, country or network
    // filter), filtering them in SQL would make SQLite sort all their complaints for each
    // batch instead of walking the public id index; the loop below skips the others.
    let narrowed = cells
        .iter()
        .any(|(id, _, _)| !wanted.contains(&id.as_str()));
    let mut out = Vec::new();
    let mut after = after.map(str::to_string);
    // Rows are read in batches and those of small cells skipped, until a page is full.
    let batch = (size + 1).max(500);
    loop {
        let mut query = complaints::table
            .left_join(claims::table)
            .left_join(publications::table)
            .select((
                complaints::public_id,
                complaints::provider_id,
                complaints::id,
                complaints::created_at,
                complaints::currency,
                complaints::amount_claimed,
                Option::<ClaimRow>::as_select(),
                publications::approved_at.nullable(),
                publications::description.nullable(),
            ))
            .order(complaints::public_id.asc())
            .limit(batch)
            .into_boxed();
        if let Some(a) = &after {
            query = query.filter(complaints::public_id.gt(a.clone()));
        }
        if narrowed {
            query = query.filter(complaints::provider_id.eq_any(&wanted));
        }
        if !filter.kinds.is_empty() {
            query = query.filter(
                complaints::id.eq_any(
                    complaint_problems::table
                        .filter(complaint_problems::kind.eq_any(filter.kinds.iter().copied()))
                        .select(complaint_problems::complaint_id),
                ),
            );
        }
        if let Some(from) = filter.from.as_deref().and_then(month_start) {
            query = query.filter(complaints::created_at.ge(from));
        }
        if let Some(until) = filter.to.as_deref().and_then(next_month_start) {
            query = query.filter(complaints::created_at.lt(until));
        }
        let rows: Vec<Row> = query.load(conn)?;
        let read = rows.len() as i64;
        let ids: Vec<&str> = rows.iter().map(|r| r.2.as_str()).collect();
        let mut kinds = super::read::by_complaint(&ids, |chunk| {
            complaint_problems::table
                .filter(complaint_problems::complaint_id.eq_any(chunk))
                .select((complaint_problems::complaint_id, complaint_problems::kind))
                .load::<(String, Kind)>(conn)
        })?;
        for row in rows {
            after = Some(row.0.clone());
            let month = month_of(row.3.date());
            let set = Kinds::of(kinds.remove(&row.2).unwrap_or_default());
            if !wanted.contains(&row.1.as_str())
                || !cells.contains(&(row.1.clone(), month.clone(), set.as_string()))
            {
                continue;
            }
            if out.len() as i64 == size {
                return Ok((out, true));
            }
            out.push(record(row, set, month, &providers)?);
        }
        if read < batch {
            return Ok((out, false));
        }
    }
}

fn record(
    row: Row,
    kinds: Kinds,
    month: String,
    providers: &HashMap<String, providers::Provider>,
) -> Result<PublicRecord, StoreError> {
    let (id, provider_id, _, created_at, currency, amount, claim, approved, description) = row;
    let claim_state = claim.as_ref().map(|c| c.state.as_str().to_string());
    let outcome = claim
        .as_ref()
        .and_then(|c| c.outcome.map(|o| o.as_str().to_string()));
    let facts = super::snapshot_from(
        provider_id.clone(),
        kinds,
        &currency,
        created_at,
        amount,
        claim,
    )?
    .claim;
    let provider = &providers[&provider_id];
    let network = provider
        .network_id
        .as_ref()
        .and_then(|n| providers.get(n))
        .map(|n| n.slug.clone());
    Ok(PublicRecord {
        id,
        month,
        provider: provider.slug.clone(),
        provider_name: provider.name.clone(),
        network,
        country: provider.country.clone(),
        kinds: kinds.iter().collect(),
        claim_state,
        outcome,
        answered_on_time: facts.as_ref().and_then(tally::answered_on_time),
        description: description.filter(|_| approved.is_some()),
    })
}

fn month_start(month: &str) -> Option<NaiveDateTime> {
    NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d")
        .ok()?
        .and_hms_opt(0, 0, 0)
}

fn next_month_start(month: &str) -> Option<NaiveDateTime> {
    month_start(month)?
        .date()
        .checked_add_months(chrono::Months::new(1))?
        .and_hms_opt(0, 0, 0)
}

/// Whether the complaint's author agreed to publish its description, and if so whether a
/// reviewer approved it.
pub fn publication(
    conn: &mut DbConnection,
    complaint_id: &str,
) -> Result<Option<bool>, StoreError> {
    Ok(publications::table
        .find(complaint_id)
        .select(publications::approved_at)
        .first::<Option<NaiveDateTime>>(conn)
        .optional()?
        .map(|a| a.is_some()))
}

/// The author agrees: the anonymised copy is made now and waits for a reviewer. Agreeing
/// again changes nothing.
pub fn agree(
    conn: &mut DbConnection,
    complaint_id: &str,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    if publication(conn, complaint_id)?.is_some() {
        return Ok(());
    }
    let (description, contract_ref): (String, Option<String>) = complaints::table
        .find(complaint_id)
        .select((complaints::description, complaints::contract_ref))
        .first(conn)?;
    let refs: Vec<&str> = contract_ref.as_deref().into_iter().collect();
    diesel::insert_into(publications::table)
        .values((
            publications::complaint_id.eq(complaint_id),
            publications::description.eq(anonymise(&description, &refs)),
            publications::agreed_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// The author withdraws: the description leaves the open data at once.
pub fn withdraw(conn: &mut DbConnection, complaint_id: &str) -> Result<(), StoreError> {
    diesel::delete(publications::table.find(complaint_id)).execute(conn)?;
    Ok(())
}

/// A description waiting for a reviewer: the complaint's public id and the anonymised text.
#[derive(Debug, Clone)]
pub struct Waiting {
    pub public_id: String,
    pub description: String,
}

/// The descriptions waiting for approval, oldest agreement first.
pub fn waiting(conn: &mut DbConnection, limit: i64) -> Result<Vec<Waiting>, StoreError> {
    let rows: Vec<(String, String)> = publications::table
        .inner_join(complaints::table)
        .filter(publications::approved_at.is_null())
        .order(publications::agreed_at.asc())
        .limit(limit)
        .select((complaints::public_id, publications::description))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(public_id, description)| Waiting {
            public_id,
            description,
        })
        .collect())
}

/// A reviewer's decision on a waiting description: approved, it is published; refused, the
/// agreement is dropped (the author may agree again). False when nothing waits under that id.
pub fn decide(
    conn: &mut DbConnection,
    public_id: &str,
    approve: bool,
    now: NaiveDateTime,
) -> Result<bool, StoreError> {
    let Some(id) = complaints::table
        .filter(complaints::public_id.eq(public_id))
        .select(complaints::id)
        .first::<String>(conn)
        .optional()?
    else {
        return Ok(false);
    };
    let waiting = publications::table
        .filter(publications::complaint_id.eq(&id))
        .filter(publications::approved_at.is_null());
    let changed = if approve {
        diesel::update(waiting)
            .set(publications::approved_at.eq(Some(now)))
            .execute(conn)?
    } else {
        diesel::delete(waiting).execute(conn)?
    };
    Ok(changed == 1)
}
