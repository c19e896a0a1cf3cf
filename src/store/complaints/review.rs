//! What association reviewers select and read.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{claims, complaints, providers as providers_table};
use crate::domain::complaint::Kind;
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
            complaints::old_price,
            complaints::new_price,
            complaints::notice_received,
            complaints::still_billed,
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
