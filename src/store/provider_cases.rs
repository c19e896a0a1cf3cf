//! Claims sent through Recours: the subscriber's sending, the provider's inbox and answers,
//! the subscriber's reply. Every read and write for staff takes the staff member's provider
//! and filters by it here, so a handler that forgot a check still cannot reach another
//! provider's case. Each write runs inside its caller's transaction.

use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;

use super::complaints::{self as store, AttachmentMeta, Complaint, ComplaintRow, Event};
use super::provider_staff::audit;
use super::users::User;
use super::{StoreError, WriteError};
use crate::db::DbConnection;
use crate::db::schema::{attachments, claims, complaint_problems, complaints};
use crate::domain::claim::{self, Action, Channel, Profile, State};
use crate::domain::complaint::Kind;
use crate::domain::provider_answer::{self, Effect, Reply, Response};

/// Days before the due date from which a case is "due soon".
pub const DUE_SOON_DAYS: i64 = 7;

/// What the sending through the portal adds to a claim for the staff (the answers and the
/// reply are the claim's own `portal` record).
#[derive(Debug, Clone, Default, Queryable, Selectable)]
#[diesel(table_name = claims)]
pub struct Portal {
    pub account_name: Option<String>,
}

/// A case as the provider's staff see it: the complaint as sent (its owner's id is never
/// shown), and what the portal adds.
#[derive(Debug, Clone)]
pub struct Case {
    pub complaint: Complaint,
    pub portal: Portal,
}

impl Case {
    pub fn claim(&self) -> Option<&claim::Claim> {
        self.complaint.claim.as_ref()
    }

    /// Waiting for the provider's answer past its due date.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.claim().is_some_and(|c| {
            c.state == State::Sent && c.answer_due_on.is_some_and(|due| today > due)
        })
    }
}

/// The inbox's filters.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub state: Option<State>,
    /// Waiting for an answer due within `DUE_SOON_DAYS`.
    pub due_soon: bool,
    /// Waiting for an answer past its due date.
    pub overdue: bool,
    pub kind: Option<Kind>,
    /// Sent in this month (its first day).
    pub month: Option<NaiveDate>,
}

/// The inbox: the cases of a filter, newest sent first, and the provider's counts.
#[derive(Debug, Clone)]
pub struct Inbox {
    pub cases: Vec<Case>,
    /// Waiting for the provider's answer.
    pub open: i64,
    pub overdue: i64,
}

/// The first day of the month after `first`.
fn next_month(first: NaiveDate) -> NaiveDate {
    let (y, m) = if first.month() == 12 {
        (first.year() + 1, 1)
    } else {
        (first.year(), first.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(NaiveDate::MAX)
}

/// Every query of a provider's cases starts here: its complaints whose claim was sent
/// through Recours.
macro_rules! sent_to {
    ($provider_id:expr) => {
        complaints::table
            .inner_join(claims::table)
            .filter(complaints::provider_id.eq($provider_id.to_string()))
            .filter(claims::channel.eq(Channel::Recours))
    };
}

/// Assembles the cases of these complaint rows with their portal columns.
fn cases_of(
    conn: &mut DbConnection,
    rows: Vec<(ComplaintRow, String, Portal)>,
) -> Result<Vec<Case>, StoreError> {
    let mut portals: std::collections::HashMap<String, Portal> = std::collections::HashMap::new();
    let mut complaint_rows = Vec::with_capacity(rows.len());
    for (row, id, portal) in rows {
        portals.insert(id, portal);
        complaint_rows.push(row);
    }
    store::assemble_all(conn, complaint_rows)?
        .into_iter()
        .map(|complaint| {
            let portal = portals.remove(&complaint.id).unwrap_or_default();
            Ok(Case { complaint, portal })
        })
        .collect()
}

/// Narrows a boxed query of a provider's cases to the inbox's filter.
macro_rules! filtered {
    ($query:expr, $filter:expr, $today:expr) => {{
        let (mut query, filter, today): (_, &Filter, NaiveDate) = ($query, $filter, $today);
        if let Some(state) = filter.state {
            query = query.filter(claims::state.eq(state));
        }
        if filter.due_soon {
            query = query
                .filter(claims::state.eq(State::Sent))
                .filter(claims::answer_due_on.ge(today))
                .filter(claims::answer_due_on.le(claim::plus_days(today, DUE_SOON_DAYS)));
        }
        if filter.overdue {
            query = query
                .filter(claims::state.eq(State::Sent))
                .filter(claims::answer_due_on.lt(today));
        }
        if let Some(kind) = filter.kind {
            // A complaint with several problems is in the list of each of its kinds.
            query = query.filter(
                complaints::id.eq_any(
                    complaint_problems::table
                        .filter(complaint_problems::kind.eq(kind))
                        .select(complaint_problems::complaint_id),
                ),
            );
        }
        if let Some(first) = filter.month {
            query = query
                .filter(claims::sent_on.ge(first))
                .filter(claims::sent_on.lt(next_month(first)));
        }
        query
    }};
}

pub fn inbox(
    conn: &mut DbConnection,
    provider_id: &str,
    filter: &Filter,
    today: NaiveDate,
) -> Result<Inbox, StoreError> {
    let query = sent_to!(provider_id)
        .select((
            ComplaintRow::as_select(),
            claims::complaint_id,
            Portal::as_select(),
        ))
        .order((claims::sent_on.desc(), complaints::id))
        .into_boxed();
    let rows = filtered!(query, filter, today).load(conn)?;
    let cases = cases_of(conn, rows)?;
    let open: i64 = sent_to!(provider_id)
        .filter(claims::state.eq(State::Sent))
        .count()
        .get_result(conn)?;
    let overdue: i64 = sent_to!(provider_id)
        .filter(claims::state.eq(State::Sent))
        .filter(claims::answer_due_on.lt(today))
        .count()
        .get_result(conn)?;
    Ok(Inbox {
        cases,
        open,
        overdue,
    })
}

/// The case `complaint_id` if it was sent to this provider through Recours.
pub fn case(
    conn: &mut DbConnection,
    provider_id: &str,
    complaint_id: &str,
) -> Result<Option<Case>, StoreError> {
    let rows = sent_to!(provider_id)
        .filter(complaints::id.eq(complaint_id))
        .select((
            ComplaintRow::as_select(),
            claims::complaint_id,
            Portal::as_select(),
        ))
        .load(conn)?;
    Ok(cases_of(conn, rows)?.pop())
}

/// A case, its timeline and the evidence the subscriber sent with it.
pub type CaseFile = (Case, Vec<Event>, Vec<AttachmentMeta>);

/// The case, its timeline and the evidence the subscriber sent with it.
pub fn dossier(
    conn: &mut DbConnection,
    provider_id: &str,
    complaint_id: &str,
) -> Result<Option<CaseFile>, StoreError> {
    let Some(case) = case(conn, provider_id, complaint_id)? else {
        return Ok(None);
    };
    let events = store::events(conn, complaint_id)?;
    let evidence = store::attachments_of(conn, complaint_id)?
        .into_iter()
        .filter(|a| a.sent_to_provider)
        .collect();
    Ok(Some((case, events, evidence)))
}

/// A piece of evidence the subscriber sent to this provider, with its bytes.
pub fn evidence(
    conn: &mut DbConnection,
    provider_id: &str,
    complaint_id: &str,
    attachment_id: &str,
) -> Result<Option<(AttachmentMeta, Vec<u8>)>, StoreError> {
    if case(conn, provider_id, complaint_id)?.is_none() {
        return Ok(None);
    }
    Ok(attachments::table
        .filter(attachments::complaint_id.eq(complaint_id))
        .filter(attachments::id.eq(attachment_id))
        .filter(attachments::sent_to_provider.eq(true))
        .select((AttachmentMeta::as_select(), attachments::data))
        .first(conn)
        .optional()?)
}

/// Why an answer was refused, and for which complaint (one of a bulk answer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerRefused {
    /// The case refused, or None when the refusal is about all of them.
    pub complaint_id: Option<String>,
    pub reason: &'static str,
}

/// Gives one answer to every complaint of `complaint_ids` (one, or every subscriber of the
/// same cut): all of them or none. An id not sent to this provider is `NotFound`. Each
/// answer goes on its claim's timeline under the provider's name, a closing one moves the
/// claim to `answered` and tells the subscriber; each is in the audit log. Returns how many
/// claims were answered.
pub fn answer(
    conn: &mut DbConnection,
    provider_id: &str,
    staff: &User,
    complaint_ids: &[String],
    response: &Response,
    profile: &Profile,
    today: NaiveDate,
) -> Result<usize, WriteError<AnswerRefused>> {
    for id in complaint_ids {
        let case = case(conn, provider_id, id)?.ok_or(StoreError::NotFound)?;
        let refused = |reason: &'static str| {
            WriteError::Refused(AnswerRefused {
                complaint_id: Some(id.clone()),
                reason,
            })
        };
        let claim = case.claim().ok_or(StoreError::NotFound)?;
        let effect = provider_answer::answer(claim, response, today)
            .map_err(|r| refused(r.message_key()))?;
        match effect {
            Effect::Answer(action) => {
                let on = action.on();
                store::record_move(conn, case.complaint, &staff.id, &action, profile, |c, e| {
                    c.portal.answer(response.kind, on);
                    e.action = "provider_answer".to_string();
                    e.detail = Some(response.kind.as_str().to_string());
                })
                .map_err(|e| match e {
                    WriteError::Refused(r) => refused(r.message_key()),
                    WriteError::Failed(e) => WriteError::Failed(e),
                })?;
            }
            Effect::Note => {
                note(conn, &case, &staff.id, response, today)?;
                store::record_portal(conn, case.complaint, |p| p.answer(response.kind, today))?;
            }
        }
        audit(
            conn,
            provider_id,
            staff,
            response.kind.as_str(),
            Some(id),
            response.amount.map(|a| a.to_string()).as_deref(),
        )?;
    }
    Ok(complaint_ids.len())
}

/// The ids of the cases the inbox's filter shows.
pub fn matching(
    conn: &mut DbConnection,
    provider_id: &str,
    filter: &Filter,
    today: NaiveDate,
) -> Result<Vec<String>, StoreError> {
    let query = sent_to!(provider_id)
        .select(complaints::id)
        .order((claims::sent_on.desc(), complaints::id))
        .into_boxed();
    Ok(filtered!(query, filter, today).load(conn)?)
}

/// Gives one answer to every case the inbox's filter shows, all or none, when they are
/// still the `expected` number the staff confirmed: a filter is not limited by a form's
/// size as ticked cases are. Otherwise refused with nothing changed.
#[allow(clippy::too_many_arguments)]
pub fn answer_matching(
    conn: &mut DbConnection,
    provider_id: &str,
    staff: &User,
    filter: &Filter,
    expected: usize,
    response: &Response,
    profile: &Profile,
    today: NaiveDate,
) -> Result<usize, WriteError<AnswerRefused>> {
    let ids = matching(conn, provider_id, filter, today)?;
    if ids.len() != expected {
        return Err(WriteError::Refused(AnswerRefused {
            complaint_id: None,
            reason: "provider-refused-filter-changed",
        }));
    }
    answer(conn, provider_id, staff, &ids, response, profile, today)
}

/// An answer that leaves the claim where it is: on the timeline only.
fn note(
    conn: &mut DbConnection,
    case: &Case,
    staff_id: &str,
    response: &Response,
    today: NaiveDate,
) -> Result<(), StoreError> {
    let state = case.claim().ok_or(StoreError::NotFound)?.state;
    store::insert_event(
        conn,
        &store::EventRow {
            complaint_id: case.complaint.id.clone(),
            at: super::now(),
            actor_id: Some(staff_id.to_string()),
            action: "provider_note".to_string(),
            on_date: today,
            state_after: state,
            amount: None,
            detail: Some(response.kind.as_str().to_string()),
            reference: None,
            note: response.text.clone(),
        },
    )?;
    Ok(())
}

/// The subscriber sends the claim through Recours: the claim's send move (due
/// `provider_answer_days` later), the name the provider finds the account under, and the
/// evidence ticked (ids of other complaints' files are ignored).
pub fn send(
    conn: &mut DbConnection,
    complaint_id: &str,
    viewer: &User,
    action: &Action,
    account_name: &str,
    evidence: &[String],
    profile: &Profile,
) -> Result<(), WriteError<claim::Refused>> {
    store::act(conn, complaint_id, viewer, action, profile)?;
    diesel::update(claims::table.find(complaint_id))
        .set(claims::account_name.eq(account_name))
        .execute(conn)?;
    if !evidence.is_empty() {
        diesel::update(
            attachments::table
                .filter(attachments::complaint_id.eq(complaint_id))
                .filter(attachments::id.eq_any(evidence)),
        )
        .set(attachments::sent_to_provider.eq(true))
        .execute(conn)?;
    }
    Ok(())
}

/// The subscriber accepts or disputes the provider's answer (a dispute with its reason):
/// on the timeline, and kept on the claim for the public figures.
pub fn reply(
    conn: &mut DbConnection,
    complaint_id: &str,
    viewer: &User,
    reply: Reply,
    reason: Option<&str>,
    today: NaiveDate,
) -> Result<(), WriteError<provider_answer::Refused>> {
    let complaint = store::visible(conn, complaint_id, viewer)?.ok_or(StoreError::NotFound)?;
    let claim = complaint
        .claim
        .as_ref()
        .filter(|c| c.channel == Some(Channel::Recours))
        .ok_or(StoreError::NotFound)?;
    provider_answer::reply(claim).map_err(WriteError::Refused)?;
    let state = claim.state;
    store::record_portal(conn, complaint, |p| p.reply = Some(reply))?;
    store::insert_event(
        conn,
        &store::EventRow {
            complaint_id: complaint_id.to_string(),
            at: super::now(),
            actor_id: Some(viewer.id.clone()),
            action: "reply".to_string(),
            on_date: today,
            state_after: state,
            amount: None,
            detail: Some(reply.as_str().to_string()),
            reference: None,
            note: reason.map(str::to_string),
        },
    )?;
    Ok(())
}

/// The staff's part of the reminder pass: for each claim sent through Recours still waiting
/// for its provider's answer, the reminder [`provider_answer::staff_reminder`] calls for,
/// to every staff member of that provider with a confirmed address. The outbox's unique key
/// (member, claim, period) keeps each to once, on any number of instances. Returns how many
/// were queued.
pub fn queue_staff_reminders(
    conn: &mut DbConnection,
    today: NaiveDate,
) -> Result<usize, StoreError> {
    use crate::db::schema::users;
    use crate::domain::mail::Kind;
    let waiting: Vec<(String, String, String, NaiveDate)> = complaints::table
        .inner_join(claims::table)
        .filter(claims::channel.eq(Channel::Recours))
        .filter(claims::state.eq(State::Sent))
        .filter(
            claims::answer_due_on.le(claim::plus_days(today, provider_answer::STAFF_NOTICE_DAYS)),
        )
        .select((
            complaints::id,
            complaints::provider_id,
            complaints::title,
            claims::answer_due_on.assume_not_null(),
        ))
        .load(conn)?;
    let mut queued = 0;
    for (complaint_id, provider_id, title, due_on) in waiting {
        let Some((late, period)) = provider_answer::staff_reminder(due_on, today) else {
            continue;
        };
        let kind = if late {
            Kind::ProviderAnswerOverdue
        } else {
            Kind::ProviderAnswerDue
        };
        let staff: Vec<String> = users::table
            .filter(users::provider_id.eq(&provider_id))
            .filter(users::email_verified_at.is_not_null())
            .select(users::id)
            .load(conn)?;
        for user_id in staff {
            let params = serde_json::json!({
                "complaint_id": complaint_id, "title": title, "deadline": due_on,
            });
            let key = format!("{}:{user_id}:{complaint_id}:{period}", kind.as_str());
            if super::notices::queue_once(conn, &user_id, kind, params, key)? {
                queued += 1;
            }
        }
    }
    Ok(queued)
}
