//! Mass incidents: declaring and updating them (each change on their public timeline),
//! subscribers joining with a complaint of their own, and the live figures, kept in
//! counters written by the same transactions.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::{StoreError, WriteError};
use crate::db::DbConnection;
use crate::db::schema::{
    incident_counts, incident_members, incident_updates, incidents, providers,
};
use crate::domain::complaint::{Facts, Service};
use crate::domain::incident::{self, Change, Dates, Declaration, Join, Partial, Update};
use crate::domain::provider::Status;
use crate::domain::tally::Snapshot;

/// Rows per figure: joins spread their counter updates over this many rows so a surge of
/// joins on one incident does not queue on a single row (PostgreSQL locks it per update).
const SHARDS: u8 = 16;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = incidents)]
pub struct IncidentRow {
    pub id: String,
    pub provider_id: String,
    pub network_id: Option<String>,
    pub service: String,
    pub title: String,
    pub description: String,
    pub sources: String,
    pub started_on: NaiveDate,
    pub partly_restored_on: Option<NaiveDate>,
    pub restored_share: Option<i32>,
    pub restored_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    pub declared_by: Option<String>,
    pub created_at: NaiveDateTime,
}

/// An incident as pages and the API show it.
#[derive(Debug, Clone)]
pub struct Incident {
    pub id: String,
    pub provider_slug: String,
    pub provider_name: String,
    pub network_name: Option<String>,
    pub service: Service,
    pub title: String,
    pub description: String,
    pub sources: String,
    pub dates: Dates,
    pub closed_on: Option<NaiveDate>,
    pub created_at: NaiveDateTime,
}

impl Incident {
    /// Still going on: not fully restored and not closed.
    pub fn ongoing(&self) -> bool {
        self.dates.restored_on.is_none() && self.closed_on.is_none()
    }
}

/// One entry of the public timeline.
#[derive(Debug, Clone, Queryable)]
pub struct TimelineEntry {
    pub at: NaiveDateTime,
    pub what: String,
    pub on_date: Option<NaiveDate>,
    pub share: Option<i32>,
    pub note: String,
}

impl TimelineEntry {
    pub fn change(&self) -> Change {
        Change::parse(&self.what).unwrap_or(Change::Declared)
    }
}

/// The live figures: subscribers who joined, how many are still billed, amounts claimed
/// and refunded per currency (minor units).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Figures {
    pub joined: i64,
    pub still_billed: i64,
    pub claimed: BTreeMap<String, i64>,
    pub refunded: BTreeMap<String, i64>,
}

impl Figures {
    fn add(&mut self, metric: &str, currency: &str, value: i64) {
        match metric {
            incident::JOINED => self.joined += value,
            incident::STILL_BILLED => self.still_billed += value,
            incident::CLAIMED => *self.claimed.entry(currency.to_string()).or_default() += value,
            incident::REFUNDED => *self.refunded.entry(currency.to_string()).or_default() += value,
            _ => {}
        }
    }

    fn tidy(mut self) -> Figures {
        self.claimed.retain(|_, v| *v != 0);
        self.refunded.retain(|_, v| *v != 0);
        self
    }
}

/// Why a declaration or an update did not happen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeclareRefused {
    UnknownProvider,
    UnknownNetwork,
    /// A closed incident's dates no longer move.
    Closed,
}

impl DeclareRefused {
    pub fn field(self) -> &'static str {
        match self {
            DeclareRefused::UnknownProvider => "provider",
            DeclareRefused::UnknownNetwork => "network",
            DeclareRefused::Closed => "close",
        }
    }

    pub fn message_key(self) -> &'static str {
        match self {
            DeclareRefused::Closed => "error-incident-closed",
            DeclareRefused::UnknownProvider => "error-provider-unknown",
            DeclareRefused::UnknownNetwork => "error-network-unknown",
        }
    }
}

/// Why joining did not happen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinRefused {
    AlreadyJoined,
    Closed,
    /// The incident's dates moved since the form was read and the subscriber's no longer
    /// fit inside them.
    OutsideIncident,
    /// The incident's provider left the directory.
    ProviderGone,
}

impl JoinRefused {
    pub fn message_key(self) -> &'static str {
        match self {
            JoinRefused::AlreadyJoined => "error-incident-joined",
            JoinRefused::Closed => "error-incident-closed",
            JoinRefused::OutsideIncident => "error-outside-incident",
            JoinRefused::ProviderGone => "error-provider-unknown",
        }
    }
}

fn approved_id(conn: &mut DbConnection, slug: &str) -> QueryResult<Option<String>> {
    providers::table
        .filter(providers::slug.eq(slug))
        .filter(providers::status.eq(Status::Approved.as_str()))
        .select(providers::id)
        .first(conn)
        .optional()
}

fn add_entry(
    conn: &mut DbConnection,
    incident_id: &str,
    at: NaiveDateTime,
    what: Change,
    on_date: Option<NaiveDate>,
    share: Option<u8>,
    note: &str,
) -> QueryResult<usize> {
    diesel::insert_into(incident_updates::table)
        .values((
            incident_updates::incident_id.eq(incident_id),
            incident_updates::at.eq(at),
            incident_updates::what.eq(what.as_str()),
            incident_updates::on_date.eq(on_date),
            incident_updates::share.eq(share.map(i32::from)),
            incident_updates::note.eq(note),
        ))
        .execute(conn)
}

/// Declares an incident, with the first entry of its timeline. Returns its id.
pub fn declare(
    conn: &mut DbConnection,
    by: Option<&str>,
    d: &Declaration,
) -> Result<String, WriteError<DeclareRefused>> {
    let provider_id = approved_id(conn, &d.provider)?
        .ok_or(WriteError::Refused(DeclareRefused::UnknownProvider))?;
    let network_id = match &d.network {
        Some(slug) => Some(
            approved_id(conn, slug)?.ok_or(WriteError::Refused(DeclareRefused::UnknownNetwork))?,
        ),
        None => None,
    };
    let now = super::now();
    let row = IncidentRow {
        id: uuid::Uuid::new_v4().to_string(),
        provider_id,
        network_id,
        service: d.service.as_str().to_string(),
        title: d.title.clone(),
        description: d.description.clone(),
        sources: d.sources.clone(),
        started_on: d.dates.started_on,
        partly_restored_on: d.dates.partial.map(|p| p.on),
        restored_share: d.dates.partial.map(|p| i32::from(p.share)),
        restored_on: d.dates.restored_on,
        closed_on: None,
        declared_by: by.map(str::to_string),
        created_at: now,
    };
    diesel::insert_into(incidents::table)
        .values(&row)
        .execute(conn)?;
    add_entry(
        conn,
        &row.id,
        now,
        Change::Declared,
        Some(d.dates.started_on),
        None,
        "",
    )?;
    // Dates already known at the declaration are on the timeline from the start.
    let unknown = Dates {
        partial: None,
        restored_on: None,
        ..d.dates
    };
    for (what, on, share) in unknown.changes(&d.dates) {
        add_entry(conn, &row.id, now, what, on, share, "")?;
    }
    Ok(row.id)
}

/// Moves an incident's dates and/or closes it; each change is a timeline entry.
pub fn update(
    conn: &mut DbConnection,
    id: &str,
    u: &Update,
) -> Result<(), WriteError<DeclareRefused>> {
    let row = row(conn, id)?.ok_or(StoreError::NotFound)?;
    if row.closed_on.is_some() {
        return Err(WriteError::Refused(DeclareRefused::Closed));
    }
    let before = dates_of(&row)?;
    let now = super::now();
    let changes = before.changes(&u.dates);
    let mut noted = false;
    for (what, on, share) in &changes {
        add_entry(conn, id, now, *what, *on, *share, &u.note)?;
        noted = true;
    }
    if u.close {
        add_entry(
            conn,
            id,
            now,
            Change::Closed,
            Some(now.date()),
            None,
            &u.note,
        )?;
    }
    // Only a note: it is recorded under the current restoration state.
    if !noted && !u.close && !u.note.is_empty() {
        add_entry(conn, id, now, Change::Declared, None, None, &u.note)?;
    }
    diesel::update(incidents::table.find(id))
        .set((
            incidents::started_on.eq(u.dates.started_on),
            incidents::partly_restored_on.eq(u.dates.partial.map(|p| p.on)),
            incidents::restored_share.eq(u.dates.partial.map(|p| i32::from(p.share))),
            incidents::restored_on.eq(u.dates.restored_on),
            incidents::closed_on.eq(u.close.then_some(now.date())),
        ))
        .execute(conn)?;
    Ok(())
}

fn row(conn: &mut DbConnection, id: &str) -> QueryResult<Option<IncidentRow>> {
    incidents::table
        .find(id)
        .select(IncidentRow::as_select())
        .first(conn)
        .optional()
}

fn dates_of(row: &IncidentRow) -> Result<Dates, StoreError> {
    let partial = match (row.partly_restored_on, row.restored_share) {
        (Some(on), Some(share)) => Some(Partial {
            on,
            share: u8::try_from(share)
                .map_err(|_| StoreError::Corrupt(format!("restored share {share}")))?,
        }),
        _ => None,
    };
    Ok(Dates {
        started_on: row.started_on,
        partial,
        restored_on: row.restored_on,
    })
}

fn assemble(conn: &mut DbConnection, rows: Vec<IncidentRow>) -> Result<Vec<Incident>, StoreError> {
    let mut ids: Vec<&str> = rows.iter().map(|r| r.provider_id.as_str()).collect();
    ids.extend(rows.iter().filter_map(|r| r.network_id.as_deref()));
    let named = super::providers::by_ids(conn, &ids)?;
    rows.into_iter()
        .map(|r| {
            let provider = named.get(&r.provider_id).ok_or_else(|| {
                StoreError::Corrupt(format!("incident provider {}", r.provider_id))
            })?;
            let service = Service::parse(&r.service)
                .ok_or_else(|| StoreError::Corrupt(format!("incident service {}", r.service)))?;
            Ok(Incident {
                dates: dates_of(&r)?,
                provider_slug: provider.slug.clone(),
                provider_name: provider.name.clone(),
                network_name: r
                    .network_id
                    .as_ref()
                    .and_then(|n| named.get(n))
                    .map(|n| n.name.clone()),
                service,
                id: r.id,
                title: r.title,
                description: r.description,
                sources: r.sources,
                closed_on: r.closed_on,
                created_at: r.created_at,
            })
        })
        .collect()
}

/// Every incident, the ongoing ones first, each group latest start first.
pub fn list(conn: &mut DbConnection) -> Result<Vec<Incident>, StoreError> {
    let rows: Vec<IncidentRow> = incidents::table
        .order((incidents::started_on.desc(), incidents::created_at.desc()))
        .select(IncidentRow::as_select())
        .load(conn)?;
    let mut all = assemble(conn, rows)?;
    all.sort_by_key(|i| !i.ongoing());
    Ok(all)
}

pub fn get(conn: &mut DbConnection, id: &str) -> Result<Option<Incident>, StoreError> {
    match row(conn, id)? {
        Some(r) => Ok(assemble(conn, vec![r])?.pop()),
        None => Ok(None),
    }
}

/// The public timeline, oldest first.
pub fn timeline(conn: &mut DbConnection, id: &str) -> Result<Vec<TimelineEntry>, StoreError> {
    Ok(incident_updates::table
        .filter(incident_updates::incident_id.eq(id))
        .order(incident_updates::id.asc())
        .select((
            incident_updates::at,
            incident_updates::what,
            incident_updates::on_date,
            incident_updates::share,
            incident_updates::note,
        ))
        .load(conn)?)
}

/// The live figures, read from the counters (a few rows per incident, whatever the
/// number of joins).
pub fn figures(conn: &mut DbConnection, id: &str) -> Result<Figures, StoreError> {
    let rows: Vec<(String, String, i64)> = incident_counts::table
        .filter(incident_counts::incident_id.eq(id))
        .select((
            incident_counts::metric,
            incident_counts::currency,
            incident_counts::value,
        ))
        .load(conn)?;
    let mut f = Figures::default();
    for (metric, currency, value) in rows {
        f.add(&metric, &currency, value);
    }
    Ok(f.tidy())
}

/// The figures recounted from the joined complaints themselves (checks the counters).
pub fn recount(conn: &mut DbConnection, id: &str) -> Result<Figures, StoreError> {
    use crate::db::schema::complaint_problems;
    use std::collections::HashSet;
    let provider_id: String = incidents::table
        .find(id)
        .select(incidents::provider_id)
        .first(conn)?;
    let members: HashSet<String> = incident_members::table
        .filter(incident_members::incident_id.eq(id))
        .select(incident_members::complaint_id)
        .load::<String>(conn)?
        .into_iter()
        .collect();
    let billed: HashSet<String> = complaint_problems::table
        .inner_join(
            incident_members::table
                .on(incident_members::complaint_id.eq(complaint_problems::complaint_id)),
        )
        .filter(incident_members::incident_id.eq(id))
        .filter(complaint_problems::still_billed.eq(true))
        .select(complaint_problems::complaint_id)
        .load::<String>(conn)?
        .into_iter()
        .collect();
    let mut f = Figures::default();
    super::complaints::each_snapshot(conn, Some(&provider_id), |cid, s| {
        if members.contains(cid) {
            for (metric, currency, value) in incident::contributions(billed.contains(cid), &s) {
                f.add(metric, &currency, value);
            }
        }
    })?;
    Ok(f.tidy())
}

/// Adds `delta` ((metric, currency) -> change) to the incident's counters, in the shard of
/// this complaint.
fn count(
    conn: &mut DbConnection,
    incident_id: &str,
    complaint_id: &str,
    delta: &BTreeMap<(&'static str, String), i64>,
) -> QueryResult<()> {
    // A complaint always writes the same shard: its id is random, so joins spread evenly.
    let shard = i32::from(complaint_id.bytes().fold(0u8, |a, b| a.wrapping_add(b)) % SHARDS);
    let target = (
        incident_counts::incident_id,
        incident_counts::shard,
        incident_counts::metric,
        incident_counts::currency,
    );
    for ((metric, currency), value) in delta.iter().filter(|(_, v)| **v != 0) {
        let row = (
            incident_counts::incident_id.eq(incident_id),
            incident_counts::shard.eq(shard),
            incident_counts::metric.eq(*metric),
            incident_counts::currency.eq(currency),
            incident_counts::value.eq(*value),
        );
        let add = incident_counts::value
            .eq(incident_counts::value + diesel::upsert::excluded(incident_counts::value));
        crate::on_backend!(conn, c => diesel::insert_into(incident_counts::table)
            .values(row)
            .on_conflict(target)
            .do_update()
            .set(add)
            .execute(c))?;
    }
    Ok(())
}

fn delta(
    still_billed: bool,
    before: Option<&Snapshot>,
    after: &Snapshot,
) -> BTreeMap<(&'static str, String), i64> {
    let mut out = BTreeMap::new();
    for (metric, currency, value) in incident::contributions(still_billed, after) {
        *out.entry((metric, currency)).or_default() += value;
    }
    for (metric, currency, value) in before
        .map(|b| incident::contributions(still_billed, b))
        .unwrap_or_default()
    {
        *out.entry((metric, currency)).or_default() -= value;
    }
    out
}

/// Joins `user_id` to the incident: files their complaint through the normal filing path,
/// records the membership and updates the figures, in the caller's transaction.
pub fn join(
    conn: &mut DbConnection,
    incident_id: &str,
    user_id: &str,
    j: &Join,
    today: NaiveDate,
) -> Result<String, WriteError<JoinRefused>> {
    let row = row(conn, incident_id)?.ok_or(StoreError::NotFound)?;
    if row.closed_on.is_some() {
        return Err(WriteError::Refused(JoinRefused::Closed));
    }
    let dates = dates_of(&row)?;
    if !j.fits(&dates, today) {
        return Err(WriteError::Refused(JoinRefused::OutsideIncident));
    }
    let joined: i64 = incident_members::table
        .filter(incident_members::incident_id.eq(incident_id))
        .filter(incident_members::user_id.eq(user_id))
        .count()
        .get_result(conn)?;
    if joined > 0 {
        return Err(WriteError::Refused(JoinRefused::AlreadyJoined));
    }
    let provider = super::providers::by_id(conn, &row.provider_id)?.ok_or(StoreError::NotFound)?;
    let service = Service::parse(&row.service)
        .ok_or_else(|| StoreError::Corrupt(format!("incident service {}", row.service)))?;
    let draft = j.draft(&provider.slug, service, &row.title, &dates, today);
    let complaint_id = super::complaints::file(conn, user_id, &draft).map_err(|e| match e {
        WriteError::Refused(_) => WriteError::Refused(JoinRefused::ProviderGone),
        WriteError::Failed(e) => WriteError::Failed(e),
    })?;
    // Two joins racing past the check above meet the unique key: the second is refused.
    let inserted = diesel::insert_into(incident_members::table)
        .values((
            incident_members::complaint_id.eq(&complaint_id),
            incident_members::incident_id.eq(incident_id),
            incident_members::user_id.eq(user_id),
            incident_members::joined_at.eq(super::now()),
        ))
        .execute(conn);
    match inserted {
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => return Err(WriteError::Refused(JoinRefused::AlreadyJoined)),
        other => other?,
    };
    let snapshot = Snapshot {
        provider_id: row.provider_id.clone(),
        filed_on: super::now().date(),
        kinds: draft.kinds(),
        currency: draft.currency,
        claim: draft.amount_claimed.map(|a| {
            crate::domain::tally::ClaimFacts::from(&crate::domain::claim::Claim::new(a, today))
        }),
    };
    let still_billed = incident::still_billed(&draft.problems);
    count(
        conn,
        incident_id,
        &complaint_id,
        &delta(still_billed, None, &snapshot),
    )?;
    Ok(complaint_id)
}

/// The incident a complaint joined, if any.
pub fn of_complaint(
    conn: &mut DbConnection,
    complaint_id: &str,
) -> Result<Option<String>, StoreError> {
    Ok(incident_members::table
        .find(complaint_id)
        .select(incident_members::incident_id)
        .first(conn)
        .optional()?)
}

/// Whether this subscriber joined the incident already: the id of their complaint.
pub fn joined_by(
    conn: &mut DbConnection,
    incident_id: &str,
    user_id: &str,
) -> Result<Option<String>, StoreError> {
    Ok(incident_members::table
        .filter(incident_members::incident_id.eq(incident_id))
        .filter(incident_members::user_id.eq(user_id))
        .select(incident_members::complaint_id)
        .first(conn)
        .optional()?)
}

/// Part of every claim move: a joined complaint's figures follow its claim (refunds).
pub(crate) fn claim_moved(
    conn: &mut DbConnection,
    complaint_id: &str,
    problems: &[Facts],
    before: &Snapshot,
    after: &Snapshot,
) -> Result<(), StoreError> {
    if before == after {
        return Ok(());
    }
    let Some(incident_id) = of_complaint(conn, complaint_id)? else {
        return Ok(());
    };
    let still_billed = incident::still_billed(problems);
    count(
        conn,
        &incident_id,
        complaint_id,
        &delta(still_billed, Some(before), after),
    )?;
    Ok(())
}
