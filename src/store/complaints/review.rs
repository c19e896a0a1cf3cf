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
    pub country: Option<String>,
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
    let rows: Vec<RecordRow> = query.load(conn)?;
    let ids: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    let mut kinds = super::read::by_complaint(&ids, |chunk| {
        complaint_problems::table
            .filter(complaint_problems::complaint_id.eq_any(chunk))
            .select((complaint_problems::complaint_id, complaint_problems::kind))
            .load::<(String, Kind)>(conn)
    })?;
    Ok(rows
        .into_iter()
        .map(|r| Record {
            kinds: Kinds::of(kinds.remove(&r.0).unwrap_or_default()),
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
        })
        .collect())
}
