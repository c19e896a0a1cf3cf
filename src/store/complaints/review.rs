//! What association reviewers select and read.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{claims, complaint_problems, complaints, providers as providers_table};
use crate::domain::complaint::{Kind, Kinds};
use crate::domain::provider::{PENDING_SLUG, Status};
use crate::store::StoreError;

/// Which complaints a reviewer looks at.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub provider_slug: Option<String>,
    pub kind: Option<Kind>,
    /// Filing time bounds, inclusive start, exclusive end.
    pub from: Option<NaiveDateTime>,
    pub until: Option<NaiveDateTime>,
    /// A country and a network, as the statistics select them (`store::stats::included`).
    pub country: Option<String>,
    pub network: Option<String>,
    /// Only complaints whose authors consented to share their description.
    pub shared_only: bool,
    /// Words the anonymised title or description of a shared complaint contains (any
    /// case): a complaint that is not shared never matches words.
    pub words: Option<String>,
}

/// A complaint as association reviewers see it: never its raw text, only the anonymised
/// copy of what its author shared.
#[derive(Debug, Clone)]
pub struct Record {
    pub id: String,
    pub provider_slug: String,
    pub provider_name: String,
    pub provider_status: String,
    /// The kinds of its problems.
    pub kinds: Kinds,
    pub created_at: NaiveDateTime,
    pub currency: String,
    pub amount_claimed: Option<i64>,
    pub shared: bool,
    pub title: Option<String>,
    pub description: Option<String>,
    pub state: Option<String>,
    pub outcome: Option<String>,
    pub received: Option<i64>,
    pub old_price: Option<i64>,
    pub new_price: Option<i64>,
    pub notice_received: Option<bool>,
    pub still_billed: Option<bool>,
}

impl Record {
    /// Where the next page starts: after this record, in the records' order.
    pub fn position(&self) -> Position {
        Position {
            created_at: self.created_at,
            id: self.id.clone(),
        }
    }
}

/// A place in the records' order (newest first, then by id).
#[derive(Debug, Clone)]
pub struct Position {
    pub created_at: NaiveDateTime,
    pub id: String,
}

/// Which part of a selection: a page by its number (few rows, on a page), or the rows after
/// a position (an export read to its end: each part costs the same however far it is).
pub enum Part {
    Offset(i64),
    After(Option<Position>),
}

type RecordRow = (
    String,
    String,
    String,
    String,
    NaiveDateTime,
    String,
    Option<i64>,
    bool,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<i64>,
);

diesel::define_sql_function!(
    fn lower(x: diesel::sql_types::Nullable<diesel::sql_types::Text>) -> diesel::sql_types::Nullable<diesel::sql_types::Text>
);

/// Complaints of a selection, newest first, `limit` of them from `part`.
pub fn records(
    conn: &mut DbConnection,
    sel: &Selection,
    part: Part,
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
        .limit(limit)
        .into_boxed();
    match part {
        Part::Offset(offset) => query = query.offset(offset),
        Part::After(None) => {}
        // `created_at <= t` first, so that the index on (created_at, id) starts the scan
        // where the last part ended instead of skipping everything before it.
        Part::After(Some(p)) => {
            query = query
                .filter(complaints::created_at.le(p.created_at))
                .filter(
                    complaints::created_at
                        .lt(p.created_at)
                        .or(complaints::id.lt(p.id)),
                )
        }
    }
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
        query = query.filter(
            complaints::id.eq_any(
                complaint_problems::table
                    .filter(complaint_problems::kind.eq(kind))
                    .select(complaint_problems::complaint_id),
            ),
        );
    }
    if let Some(from) = sel.from {
        query = query.filter(complaints::created_at.ge(from));
    }
    if let Some(until) = sel.until {
        query = query.filter(complaints::created_at.lt(until));
    }
    if sel.country.is_some() || sel.network.is_some() {
        let chosen = crate::store::stats::Filter {
            countries: sel.country.iter().cloned().collect(),
            networks: sel.network.iter().cloned().collect(),
            ..Default::default()
        };
        let ids: Vec<String> = crate::store::stats::included(conn, &chosen)?
            .into_iter()
            .map(|p| p.id)
            .collect();
        query = query.filter(complaints::provider_id.eq_any(ids));
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
    let rows: Vec<RecordRow> = query.load(conn)?;
    let ids: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    // Each problem row holds its own kind's facts; the others' columns are NULL.
    type ProblemFacts = (Kind, Option<i64>, Option<i64>, Option<bool>, Option<bool>);
    let mut problems = super::read::by_complaint(&ids, |chunk| {
        complaint_problems::table
            .filter(complaint_problems::complaint_id.eq_any(chunk))
            .select((
                complaint_problems::complaint_id,
                (
                    complaint_problems::kind,
                    complaint_problems::old_price,
                    complaint_problems::new_price,
                    complaint_problems::notice_received,
                    complaint_problems::still_billed,
                ),
            ))
            .load::<(String, ProblemFacts)>(conn)
    })?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let problems = problems.remove(&r.0).unwrap_or_default();
            let fact = |pick: fn(&ProblemFacts) -> Option<i64>| problems.iter().find_map(pick);
            let flag = |pick: fn(&ProblemFacts) -> Option<bool>| problems.iter().find_map(pick);
            Record {
                kinds: Kinds::of(problems.iter().map(|p| p.0)),
                old_price: fact(|p| p.1),
                new_price: fact(|p| p.2),
                notice_received: flag(|p| p.3),
                still_billed: flag(|p| p.4),
                id: r.0,
                provider_slug: r.1,
                provider_name: r.2,
                provider_status: r.3,
                created_at: r.4,
                currency: r.5,
                amount_claimed: r.6,
                shared: r.7,
                title: r.8,
                description: r.9,
                state: r.10,
                outcome: r.11,
                received: r.12,
            }
        })
        .collect())
}
