//! The provider directory.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{complaints, providers, stat_counts};
use crate::domain::FieldErrors;
use crate::domain::provider::{ProviderInput, Status, slugify};
use crate::domain::tally::{self, Snapshot};
use crate::error::AppError;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = providers)]
pub struct Provider {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub country: String,
    pub website: Option<String>,
    pub subscribers: Option<i64>,
    pub network_id: Option<String>,
    pub status: String,
    pub created_at: NaiveDateTime,
}

impl Provider {
    pub fn is_pending(&self) -> bool {
        self.status == Status::Pending.as_str()
    }
}

/// A change to the directory refused with field errors, or failed.
pub type DirectoryError = super::WriteError<FieldErrors>;

fn invalid(field: &'static str, key: &'static str) -> DirectoryError {
    let mut errors = FieldErrors::default();
    errors.add(field, key);
    DirectoryError::Refused(errors)
}

/// Every provider, approved ones first, each group by name.
pub fn all(conn: &mut DbConnection) -> Result<Vec<Provider>, AppError> {
    Ok(providers::table
        .order((providers::status.asc(), providers::name.asc()))
        .select(Provider::as_select())
        .load(conn)?)
}

/// The providers a subscriber can pick from.
pub fn approved(conn: &mut DbConnection) -> Result<Vec<Provider>, AppError> {
    Ok(providers::table
        .filter(providers::status.eq(Status::Approved.as_str()))
        .order(providers::name.asc())
        .select(Provider::as_select())
        .load(conn)?)
}

pub fn by_slug(conn: &mut DbConnection, slug: &str) -> Result<Option<Provider>, AppError> {
    Ok(providers::table
        .filter(providers::slug.eq(slug))
        .select(Provider::as_select())
        .first(conn)
        .optional()?)
}

pub fn by_id(conn: &mut DbConnection, id: &str) -> Result<Option<Provider>, AppError> {
    Ok(providers::table
        .find(id)
        .select(Provider::as_select())
        .first(conn)
        .optional()?)
}

fn network_id(
    conn: &mut DbConnection,
    network: Option<&str>,
) -> Result<Option<String>, DirectoryError> {
    match network {
        None => Ok(None),
        Some(slug) => match by_slug(conn, slug)? {
            Some(p) => Ok(Some(p.id)),
            None => Err(invalid("network", "error-network-unknown")),
        },
    }
}

/// Adds an approved provider.
pub fn add(conn: &mut DbConnection, input: &ProviderInput) -> Result<Provider, DirectoryError> {
    conn.write(|conn| {
        if by_slug(conn, &input.slug)?.is_some() {
            return Err(invalid("slug", "error-slug-taken"));
        }
        let row = Provider {
            id: uuid::Uuid::new_v4().to_string(),
            slug: input.slug.clone(),
            name: input.name.clone(),
            country: input.country.clone(),
            website: input.website.clone(),
            subscribers: input.subscribers,
            network_id: network_id(conn, input.network.as_deref())?,
            status: Status::Approved.as_str().to_string(),
            created_at: super::now(),
        };
        diesel::insert_into(providers::table)
            .values(&row)
            .execute(conn)?;
        Ok(row)
    })
}

/// Changes an entry (its slug included) and approves it.
pub fn update(
    conn: &mut DbConnection,
    slug: &str,
    input: &ProviderInput,
) -> Result<(), DirectoryError> {
    conn.write(|conn| {
        let current = by_slug(conn, slug)?.ok_or(DirectoryError::Failed(AppError::NotFound))?;
        if input.slug != slug && by_slug(conn, &input.slug)?.is_some() {
            return Err(invalid("slug", "error-slug-taken"));
        }
        let network = network_id(conn, input.network.as_deref())?;
        if network.as_deref() == Some(current.id.as_str()) {
            return Err(invalid("network", "error-network-self"));
        }
        diesel::update(providers::table.find(&current.id))
            .set((
                providers::slug.eq(&input.slug),
                providers::name.eq(&input.name),
                providers::country.eq(&input.country),
                providers::website.eq(&input.website),
                providers::subscribers.eq(input.subscribers),
                providers::network_id.eq(network),
                providers::status.eq(Status::Approved.as_str()),
            ))
            .execute(conn)?;
        // Names, sizes and networks are published with the figures.
        super::stats::bump_generation(conn)?;
        Ok(())
    })
}

/// Moves every complaint (and reseller) of `from` to `into`, then removes `from`.
pub fn merge(conn: &mut DbConnection, from: &str, into: &str) -> Result<(), DirectoryError> {
    conn.write(|conn| {
        let source =
            by_slug(conn, from)?.ok_or_else(|| invalid("from", "error-provider-unknown"))?;
        let target =
            by_slug(conn, into)?.ok_or_else(|| invalid("into", "error-provider-unknown"))?;
        if source.id == target.id {
            return Err(invalid("into", "error-merge-self"));
        }
        // The moved complaints' counts move with them.
        let mut delta = std::collections::BTreeMap::new();
        super::complaints::each_snapshot(conn, Some(&source.id), |_, before| {
            let after = Snapshot {
                provider_id: target.id.clone(),
                ..before.clone()
            };
            tally::accumulate(&mut delta, &before, -1);
            tally::accumulate(&mut delta, &after, 1);
        })?;
        diesel::update(complaints::table.filter(complaints::provider_id.eq(&source.id)))
            .set(complaints::provider_id.eq(&target.id))
            .execute(conn)?;
        delta.retain(|_, v| *v != 0);
        super::stats::apply(conn, &delta)?;
        diesel::delete(stat_counts::table.filter(stat_counts::provider_id.eq(&source.id)))
            .execute(conn)?;
        diesel::update(providers::table.filter(providers::network_id.eq(&source.id)))
            .set(providers::network_id.eq(&target.id))
            .execute(conn)?;
        diesel::delete(providers::table.find(&source.id)).execute(conn)?;
        // A reseller merged into its own network would point at itself.
        diesel::update(
            providers::table
                .find(&target.id)
                .filter(providers::network_id.eq(&target.id)),
        )
        .set(providers::network_id.eq(None::<String>))
        .execute(conn)?;
        Ok(())
    })
}

/// Part of the filing transaction: a pending entry for a provider a subscriber typed,
/// or the existing entry with that exact name.
pub fn pending(conn: &mut DbConnection, name: &str) -> QueryResult<String> {
    let existing: Option<String> = providers::table
        .filter(providers::name.eq(name))
        .select(providers::id)
        .first(conn)
        .optional()?;
    if let Some(id) = existing {
        return Ok(id);
    }
    let base = slugify(name);
    let mut slug = base.clone();
    let mut n = 2;
    while providers::table
        .filter(providers::slug.eq(&slug))
        .count()
        .get_result::<i64>(conn)?
        > 0
    {
        slug = format!("{base}-{n}");
        n += 1;
    }
    let row = Provider {
        id: uuid::Uuid::new_v4().to_string(),
        slug,
        name: name.to_string(),
        country: "ZZ".to_string(),
        website: None,
        subscribers: None,
        network_id: None,
        status: Status::Pending.as_str().to_string(),
        created_at: super::now(),
    };
    diesel::insert_into(providers::table)
        .values(&row)
        .execute(conn)?;
    Ok(row.id)
}
