//! Complaints, their refund claims, the claims' timelines and the evidence attached.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::StoreError;
use super::WriteError;
use super::providers::{self, Provider};
use super::users::User;
use crate::db::DbConnection;
use crate::db::schema::{
    attachments, claim_events, claims, complaints, providers as providers_table,
};
use crate::domain::account::Role;
use crate::domain::anonymise::anonymise;
use crate::domain::claim::{self, Action, Body, Channel, Claim, Outcome, Profile, State};
use crate::domain::complaint::{
    Announcement, BillingIssue, Draft, Facts, Kind, ProviderChoice, Service,
};
use crate::domain::money::Currency;
use crate::domain::provider::{PENDING_SLUG, Status};
use crate::domain::tally::{self, ClaimFacts, Snapshot};

pub const MAX_ATTACHMENTS: i64 = 10;

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

/// Why a piece of evidence was not attached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttachRefused {
    /// The complaint holds `MAX_ATTACHMENTS` already.
    TooMany,
}

impl AttachRefused {
    /// The catalog key of the reason's text.
    pub fn message_key(self) -> &'static str {
        match self {
            AttachRefused::TooMany => "error-file-too-many",
        }
    }
}

/// A complaint as stored. Public for bulk loading (`recours seed-demo`).
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = complaints, treat_none_as_default_value = false)]
pub struct ComplaintRow {
    pub id: String,
    pub user_id: Option<String>,
    pub provider_id: String,
    pub kind: Kind,
    pub title: String,
    pub description: String,
    pub contract_ref: Option<String>,
    pub currency: String,
    pub amount_claimed: Option<i64>,
    pub share_with_associations: bool,
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
    pub created_at: NaiveDateTime,
    /// What reviewers read and search: see `with_shared_copy`.
    pub shared_title: Option<String>,
    pub shared_description: Option<String>,
    pub shared_version: i32,
}

/// The version of the anonymised copies: raise it whenever `domain::anonymise` removes more,
/// and the next start-up (or `recours migrate`) anonymises every stored copy again.
/// 2: normalised text, spelled-out e-mails, Maghreb phones, names and postal addresses.
pub const SHARED_COPY_VERSION: i32 = 2;

/// The anonymised title and description reviewers may read, only when the author consented.
fn shared_copy(
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
}

impl ComplaintRow {
    /// A complaint row with its identity and no facts yet; the caller fills in the rest.
    pub fn new(
        id: &str,
        user_id: &str,
        kind: Kind,
        currency: Currency,
        created_at: NaiveDateTime,
    ) -> ComplaintRow {
        ComplaintRow {
            id: id.to_string(),
            user_id: Some(user_id.to_string()),
            provider_id: String::new(),
            kind,
            title: String::new(),
            description: String::new(),
            contract_ref: None,
            currency: currency.code().to_string(),
            amount_claimed: None,
            share_with_associations: false,
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
            created_at,
            shared_title: None,
            shared_description: None,
            shared_version: SHARED_COPY_VERSION,
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
        }
    }
}

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
    pub facts: Facts,
    pub created_at: NaiveDateTime,
    pub claim: Option<Claim>,
}

impl Complaint {
    pub fn kind(&self) -> Kind {
        self.facts.kind()
    }

    /// What the statistics count of this complaint.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            provider_id: self.provider.id.clone(),
            filed_on: self.created_at.date(),
            kind: self.kind(),
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

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = attachments)]
pub struct AttachmentMeta {
    pub id: String,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub created_at: NaiveDateTime,
}

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("stored {what} {value:?} is not valid"))
}

impl ComplaintRow {
    /// Writes the facts into the kind's columns: the one mapping from facts to a row (the
    /// reverse is `Facts::try_from`).
    pub fn set_facts(&mut self, facts: &Facts) {
        self.kind = facts.kind();
        match facts {
            Facts::ServiceCut {
                service,
                started_on,
                ended_on,
                partly_restored,
                still_billed,
                monthly_fee,
            } => {
                self.service = Some(*service);
                self.started_on = Some(*started_on);
                self.ended_on = *ended_on;
                self.partly_restored = Some(*partly_restored);
                self.still_billed = Some(*still_billed);
                self.monthly_fee = *monthly_fee;
            }
            Facts::PriceHike {
                old_price,
                new_price,
                effective_on,
                announced_by,
                notice_received,
            } => {
                self.old_price = Some(*old_price);
                self.new_price = Some(*new_price);
                self.effective_on = Some(*effective_on);
                self.announced_by = Some(*announced_by);
                self.notice_received = Some(*notice_received);
            }
            Facts::Billing {
                issue,
                charged_on,
                charged_amount,
            } => {
                self.billing_issue = Some(*issue);
                self.charged_on = Some(*charged_on);
                self.charged_amount = Some(*charged_amount);
            }
            Facts::Other => {}
        }
    }
}

/// The facts a row holds; a column its kind needs and the row lacks is a corrupt row.
impl TryFrom<&ComplaintRow> for Facts {
    type Error = StoreError;

    fn try_from(row: &ComplaintRow) -> Result<Facts, StoreError> {
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

fn claim_of(row: ClaimRow, amount_claimed: i64) -> Claim {
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
    }
}

/// Ids per `IN (…)` list: well under every backend's limit of bound values.
pub(crate) const IDS_PER_QUERY: usize = 1_000;

/// The rows of `table` whose complaint is one of `ids`, grouped by complaint, in the order
/// `load` gives them.
fn by_complaint<T>(
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
fn assemble_all(
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
            assemble(row, claim_row, &known)
        })
        .collect()
}

fn assemble(
    row: ComplaintRow,
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
    Ok(Complaint {
        facts: Facts::try_from(&row)?,
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

type SnapshotRow = (
    String,
    String,
    Kind,
    String,
    NaiveDateTime,
    Option<i64>,
    Option<ClaimRow>,
);

fn snapshot_of(row: SnapshotRow) -> Result<Snapshot, StoreError> {
    let (_, provider_id, kind, currency, created_at, amount, claim) = row;
    snapshot_from(provider_id, kind, &currency, created_at, amount, claim)
}

/// What the statistics count of a stored complaint and its claim.
pub fn snapshot_from(
    provider_id: String,
    kind: Kind,
    currency: &str,
    created_at: NaiveDateTime,
    amount_claimed: Option<i64>,
    claim: Option<ClaimRow>,
) -> Result<Snapshot, StoreError> {
    let claim = match (claim, amount_claimed) {
        (Some(c), Some(amount)) => Some(ClaimFacts::from(&claim_of(c, amount))),
        _ => None,
    };
    Ok(Snapshot {
        provider_id,
        filed_on: created_at.date(),
        kind,
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
                complaints::kind,
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
        for row in rows {
            let id = row.0.clone();
            each(&id, snapshot_of(row)?);
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

/// Which complaints a reviewer looks at.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub provider_slug: Option<String>,
    pub kind: Option<Kind>,
    /// Filing time bounds, inclusive start, exclusive end.
    pub from: Option<NaiveDateTime>,
    pub until: Option<NaiveDateTime>,
    pub country: Option<String>,
    /// Only complaints whose authors consented to share their description.
    pub shared_only: bool,
    /// Words the anonymised title or description of a shared complaint contains (any
    /// case): a complaint that is not shared never matches words.
    pub words: Option<String>,
}

/// A complaint as association reviewers see it: never its raw text, only the anonymised
/// copy of what its author shared.
#[derive(Debug, Clone, Queryable)]
pub struct Record {
    pub id: String,
    pub provider_slug: String,
    pub provider_name: String,
    pub provider_status: String,
    pub kind: String,
    pub created_at: NaiveDateTime,
    pub currency: String,
    pub amount_claimed: Option<i64>,
    pub shared: bool,
    pub title: Option<String>,
    pub description: Option<String>,
    pub state: Option<String>,
    pub outcome: Option<String>,
    pub received: Option<i64>,
}

diesel::define_sql_function!(
    fn lower(x: diesel::sql_types::Nullable<diesel::sql_types::Text>) -> diesel::sql_types::Nullable<diesel::sql_types::Text>
);

/// Complaints of a selection, newest first, `limit` from `offset`.
pub fn records(
    conn: &mut DbConnection,
    sel: &Selection,
    offset: i64,
    limit: i64,
) -> Result<Vec<Record>, StoreError> {
    let mut query = complaints::table
        .inner_join(providers_table::table)
        .left_join(claims::table)
        .select((
            complaints::id,
            providers_table::slug,
            providers_table::name,
            providers_table::status,
            complaints::kind,
            complaints::created_at,
            complaints::currency,
            complaints::amount_claimed,
            complaints::share_with_associations,
            complaints::shared_title,
            complaints::shared_description,
            claims::state.nullable(),
            claims::outcome.nullable(),
            claims::received.nullable(),
        ))
        .order((complaints::created_at.desc(), complaints::id.desc()))
        .offset(offset)
        .limit(limit)
        .into_boxed();
    // The providers not reviewed yet are one line, as in the public figures: their slugs
    // come from typed names.
    if let Some(slug) = &sel.provider_slug {
        query = if slug == PENDING_SLUG {
            query.filter(providers_table::status.eq(Status::Pending.as_str()))
        } else {
            query
                .filter(providers_table::slug.eq(slug.clone()))
                .filter(providers_table::status.eq(Status::Approved.as_str()))
        };
    }
    if let Some(kind) = sel.kind {
        query = query.filter(complaints::kind.eq(kind));
    }
    if let Some(from) = sel.from {
        query = query.filter(complaints::created_at.ge(from));
    }
    if let Some(until) = sel.until {
        query = query.filter(complaints::created_at.lt(until));
    }
    if let Some(country) = &sel.country {
        query = query.filter(providers_table::country.eq(country.clone()));
    }
    if sel.shared_only {
        query = query.filter(complaints::share_with_associations.eq(true));
    }
    // Words are searched only in what reviewers may read, or a search would reveal what
    // the anonymiser removed, or what was never shared, one character at a time.
    if let Some(words) = &sel.words {
        let pattern = format!("%{}%", words.to_lowercase().replace(['%', '_'], ""));
        query = query
            .filter(complaints::share_with_associations.eq(true))
            .filter(
                lower(complaints::shared_description)
                    .like(pattern.clone())
                    .or(lower(complaints::shared_title).like(pattern)),
            );
    }
    Ok(query.load(conn)?)
}

/// A complaint with its timeline and its evidence.
pub type Dossier = (Complaint, Vec<Event>, Vec<AttachmentMeta>);

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

/// Files a complaint, its refund claim when an amount is claimed, and the first timeline
/// entry, all in one transaction. Returns the complaint's id.
pub fn file(
    conn: &mut DbConnection,
    user_id: &str,
    draft: &Draft,
) -> Result<String, WriteError<FileRefused>> {
    let id = uuid::Uuid::new_v4().to_string();
    let now = super::now();
    let today = now.date();
    let mut row = ComplaintRow::new(&id, user_id, draft.facts.kind(), draft.currency, now);
    row.title = draft.title.clone();
    row.description = draft.description.clone();
    row.contract_ref = draft.contract_ref.clone();
    row.amount_claimed = draft.amount_claimed;
    row.share_with_associations = draft.share_with_associations;
    row.set_facts(&draft.facts);
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
        kind: draft.facts.kind(),
        currency: draft.currency,
        claim: draft
            .amount_claimed
            .map(|a| ClaimFacts::from(&Claim::new(a, today))),
    };
    super::stats::apply(conn, &tally::delta(None, Some(&counted)))?;
    Ok(id)
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

/// Loads many complaints at once (demo data), with their claims, timelines and the
/// statistics they add, in one transaction.
pub fn insert_bulk(
    conn: &mut DbConnection,
    complaints: &[ComplaintRow],
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
    for c in complaints {
        let claim = claim_of_complaint.remove(c.id.as_str()).cloned();
        let s = snapshot_from(
            c.provider_id.clone(),
            c.kind,
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
    for chunk in claims.chunks(ROWS) {
        crate::on_backend!(conn, c => diesel::insert_into(claims::table).values(chunk).execute(c))?;
    }
    for chunk in events.chunks(ROWS) {
        crate::on_backend!(conn, c => diesel::insert_into(claim_events::table).values(chunk).execute(c))?;
    }
    delta.retain(|_, v| *v != 0);
    super::stats::apply(conn, &delta)?;
    Ok(())
}

fn insert_event(conn: &mut DbConnection, event: &EventRow) -> QueryResult<usize> {
    diesel::insert_into(claim_events::table)
        .values(event)
        .execute(conn)
}

pub fn events(conn: &mut DbConnection, complaint_id: &str) -> Result<Vec<Event>, StoreError> {
    Ok(claim_events::table
        .filter(claim_events::complaint_id.eq(complaint_id))
        .order(claim_events::id.asc())
        .select(Event::as_select())
        .load(conn)?)
}

/// Records one move of the claim, if the rules accept it, with its timeline entry.
pub fn act(
    conn: &mut DbConnection,
    complaint_id: &str,
    viewer: &User,
    action: &Action,
    profile: &Profile,
) -> Result<(), WriteError<claim::Refused>> {
    let mut complaint = visible(conn, complaint_id, viewer)?.ok_or(StoreError::NotFound)?;
    let before = complaint.snapshot();
    let claim = complaint.claim.as_ref().ok_or(StoreError::NotFound)?;
    let next = claim::apply(claim, action, profile).map_err(WriteError::Refused)?;
    let now = super::now();
    diesel::update(claims::table.find(complaint_id))
        .set(&ClaimRow::of(complaint_id, &next, now))
        .execute(conn)?;
    insert_event(
        conn,
        &EventRow::of_move(complaint_id, &viewer.id, now, action, next.state),
    )?;
    complaint.claim = Some(next);
    super::stats::apply(
        conn,
        &tally::delta(Some(&before), Some(&complaint.snapshot())),
    )?;
    Ok(())
}

/// Stores one piece of evidence with its metadata, in one transaction.
pub fn attach(
    conn: &mut DbConnection,
    complaint_id: &str,
    viewer: &User,
    filename: &str,
    content_type: &str,
    data: &[u8],
) -> Result<(), WriteError<AttachRefused>> {
    visible(conn, complaint_id, viewer)?.ok_or(StoreError::NotFound)?;
    let count: i64 = attachments::table
        .filter(attachments::complaint_id.eq(complaint_id))
        .count()
        .get_result(conn)?;
    if count >= MAX_ATTACHMENTS {
        return Err(WriteError::Refused(AttachRefused::TooMany));
    }
    diesel::insert_into(attachments::table)
        .values((
            attachments::id.eq(uuid::Uuid::new_v4().to_string()),
            attachments::complaint_id.eq(complaint_id),
            attachments::filename.eq(filename),
            attachments::content_type.eq(content_type),
            attachments::size.eq(data.len() as i64),
            attachments::data.eq(data),
            attachments::created_at.eq(super::now()),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn attachments_of(
    conn: &mut DbConnection,
    complaint_id: &str,
) -> Result<Vec<AttachmentMeta>, StoreError> {
    Ok(attachments::table
        .filter(attachments::complaint_id.eq(complaint_id))
        .order(attachments::created_at.asc())
        .select(AttachmentMeta::as_select())
        .load(conn)?)
}

/// An attachment's metadata and bytes, if `viewer` may see its complaint.
pub fn attachment(
    conn: &mut DbConnection,
    complaint_id: &str,
    attachment_id: &str,
    viewer: &User,
) -> Result<Option<(AttachmentMeta, Vec<u8>)>, StoreError> {
    if visible(conn, complaint_id, viewer)?.is_none() {
        return Ok(None);
    }
    let found: Option<(AttachmentMeta, Vec<u8>)> = attachments::table
        .filter(attachments::complaint_id.eq(complaint_id))
        .filter(attachments::id.eq(attachment_id))
        .select((AttachmentMeta::as_select(), attachments::data))
        .first(conn)
        .optional()?;
    Ok(found)
}

/// Part of deleting an account: its complaints stay for the statistics, unlinked, with
/// everything that could identify the person removed (free text, references, evidence).
pub fn unlink_user(conn: &mut DbConnection, user_id: &str) -> QueryResult<()> {
    let mine = complaints::table
        .filter(complaints::user_id.eq(user_id))
        .select(complaints::id);
    diesel::delete(attachments::table.filter(attachments::complaint_id.eq_any(mine)))
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

/// Whether any complaint was ever filed (a fresh installation has none).
pub fn any(conn: &mut DbConnection) -> Result<bool, StoreError> {
    Ok(diesel::select(diesel::dsl::exists(
        complaints::table.select(complaints::id),
    ))
    .get_result(conn)?)
}

/// A provider name typed by the person is their words too: each pending entry their
/// complaints name, and no other account's complaint names, gets a neutral name and slug.
/// The entry stays: the complaints, kept for the statistics, still count against it.
fn erase_typed_providers(conn: &mut DbConnection, user_id: &str) -> QueryResult<()> {
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
