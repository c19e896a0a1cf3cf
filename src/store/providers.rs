//! The provider directory.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::StoreError;
use crate::db::DbConnection;
use crate::db::schema::{complaints, incidents, providers, stat_counts};
use crate::domain::FieldErrors;
use crate::domain::provider::{ProviderInput, Status, slugify};
use crate::domain::tally::{self, Snapshot};

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
    pub subscribers_as_of: Option<String>,
    pub subscribers_source: Option<String>,
    /// Added or changed by an admin: an import leaves it alone unless forced.
    pub admin_edited: bool,
}

impl Provider {
    /// A new approved entry from checked input; `admin_edited` when an admin made it.
    fn approved(input: &ProviderInput, network_id: Option<String>, admin_edited: bool) -> Provider {
        Provider {
            id: uuid::Uuid::new_v4().to_string(),
            slug: input.slug.clone(),
            name: input.name.clone(),
            country: input.country.clone(),
            website: input.website.clone(),
            subscribers: input.subscribers,
            network_id,
            status: Status::Approved.as_str().to_string(),
            created_at: super::now(),
            subscribers_as_of: input.subscribers_as_of.clone(),
            subscribers_source: input.subscribers_source.clone(),
            admin_edited,
        }
    }

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
pub fn all(conn: &mut DbConnection) -> Result<Vec<Provider>, StoreError> {
    Ok(providers::table
        .order((providers::status.asc(), providers::name.asc()))
        .select(Provider::as_select())
        .load(conn)?)
}

/// The providers a subscriber can pick from.
pub fn approved(conn: &mut DbConnection) -> Result<Vec<Provider>, StoreError> {
    Ok(providers::table
        .filter(providers::status.eq(Status::Approved.as_str()))
        .order(providers::name.asc())
        .select(Provider::as_select())
        .load(conn)?)
}

pub fn by_slug(conn: &mut DbConnection, slug: &str) -> Result<Option<Provider>, StoreError> {
    Ok(providers::table
        .filter(providers::slug.eq(slug))
        .select(Provider::as_select())
        .first(conn)
        .optional()?)
}

pub fn by_id(conn: &mut DbConnection, id: &str) -> Result<Option<Provider>, StoreError> {
    Ok(providers::table
        .find(id)
        .select(Provider::as_select())
        .first(conn)
        .optional()?)
}

/// The providers with these ids, by id: one query per thousand ids.
pub fn by_ids(
    conn: &mut DbConnection,
    ids: &[&str],
) -> Result<std::collections::HashMap<String, Provider>, StoreError> {
    let mut out = std::collections::HashMap::new();
    for chunk in ids.chunks(super::complaints::IDS_PER_QUERY) {
        let found: Vec<Provider> = providers::table
            .filter(providers::id.eq_any(chunk))
            .select(Provider::as_select())
            .load(conn)?;
        out.extend(found.into_iter().map(|p| (p.id.clone(), p)));
    }
    Ok(out)
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
    if by_slug(conn, &input.slug)?.is_some() {
        return Err(invalid("slug", "error-slug-taken"));
    }
    let network = network_id(conn, input.network.as_deref())?;
    let row = Provider::approved(input, network, true);
    diesel::insert_into(providers::table)
        .values(&row)
        .execute(conn)?;
    Ok(row)
}

/// Changes an entry (its slug included) and approves it.
pub fn update(
    conn: &mut DbConnection,
    slug: &str,
    input: &ProviderInput,
) -> Result<(), DirectoryError> {
    let current = by_slug(conn, slug)?.ok_or(DirectoryError::Failed(StoreError::NotFound))?;
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
            providers::subscribers_as_of.eq(&input.subscribers_as_of),
            providers::subscribers_source.eq(&input.subscribers_source),
            providers::admin_edited.eq(true),
        ))
        .execute(conn)?;
    // Names, sizes and networks are published with the figures.
    super::stats::bump_generation(conn)?;
    Ok(())
}

/// Moves every complaint (and reseller) of `from` to `into`, then removes `from`.
pub fn merge(conn: &mut DbConnection, from: &str, into: &str) -> Result<(), DirectoryError> {
    let source = by_slug(conn, from)?.ok_or_else(|| invalid("from", "error-provider-unknown"))?;
    let target = by_slug(conn, into)?.ok_or_else(|| invalid("into", "error-provider-unknown"))?;
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
    super::alerts::merge(conn, &source.id, &target.id)?;
    diesel::update(incidents::table.filter(incidents::provider_id.eq(&source.id)))
        .set(incidents::provider_id.eq(&target.id))
        .execute(conn)?;
    diesel::update(incidents::table.filter(incidents::network_id.eq(&source.id)))
        .set(incidents::network_id.eq(&target.id))
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
        subscribers_as_of: None,
        subscribers_source: None,
        admin_edited: false,
    };
    diesel::insert_into(providers::table)
        .values(&row)
        .execute(conn)?;
    Ok(row.id)
}

/// What an import of a directory file did, by slug.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub added: Vec<String>,
    pub updated: Vec<String>,
    pub unchanged: Vec<String>,
    /// Entries an admin edited, left as they are (the import was not forced).
    pub kept: Vec<String>,
}

/// How many entries the directory holds.
pub fn count(conn: &mut DbConnection) -> Result<i64, StoreError> {
    Ok(providers::table.count().get_result(conn)?)
}

/// Fills an empty directory (a fresh installation) from the one the repository ships;
/// how many providers it added.
pub fn fill_if_empty(conn: &mut DbConnection) -> Result<usize, StoreError> {
    if count(conn)? > 0 {
        return Ok(0);
    }
    let entries = crate::domain::directory::parse(crate::domain::directory::SHIPPED, &|_| false)
        .map_err(|e| StoreError::Corrupt(format!("the shipped directory is invalid: {e:?}")))?;
    match conn.write(|conn| import(conn, &entries, false)) {
        Ok(report) => Ok(report.added.len()),
        // Another instance starting on the same database filled it first.
        Err(_) if count(conn)? > 0 => Ok(0),
        Err(e) => Err(e),
    }
}

/// Loads checked directory entries in one transaction: new slugs are added, entries that
/// came from an earlier import (or a subscriber's pending name) are updated and approved,
/// and an admin's edits are kept unless `force`.
pub fn import(
    conn: &mut DbConnection,
    entries: &[ProviderInput],
    force: bool,
) -> Result<ImportReport, StoreError> {
    let mut report = ImportReport::default();
    let mut written = Vec::new();
    for entry in entries {
        let current = by_slug(conn, &entry.slug)?;
        match current {
            Some(p) if p.admin_edited && !force => report.kept.push(entry.slug.clone()),
            Some(p) if same_entry(conn, &p, entry)? => report.unchanged.push(entry.slug.clone()),
            Some(p) => {
                diesel::update(providers::table.find(&p.id))
                    .set((
                        providers::name.eq(&entry.name),
                        providers::country.eq(&entry.country),
                        providers::website.eq(&entry.website),
                        providers::subscribers.eq(entry.subscribers),
                        providers::subscribers_as_of.eq(&entry.subscribers_as_of),
                        providers::subscribers_source.eq(&entry.subscribers_source),
                        providers::status.eq(Status::Approved.as_str()),
                        providers::admin_edited.eq(false),
                    ))
                    .execute(conn)?;
                report.updated.push(entry.slug.clone());
                written.push(entry);
            }
            None => {
                // The network is set below, once every entry of the file exists.
                let row = Provider::approved(entry, None, false);
                diesel::insert_into(providers::table)
                    .values(&row)
                    .execute(conn)?;
                report.added.push(entry.slug.clone());
                written.push(entry);
            }
        }
    }
    for entry in written {
        let network = match &entry.network {
            None => None,
            Some(slug) => Some(
                by_slug(conn, slug)?
                    .ok_or_else(|| {
                        StoreError::Corrupt(format!("network {slug} vanished during import"))
                    })?
                    .id,
            ),
        };
        diesel::update(providers::table.filter(providers::slug.eq(&entry.slug)))
            .set(providers::network_id.eq(network))
            .execute(conn)?;
    }
    if report.added.len() + report.updated.len() > 0 {
        // Names, sizes and networks are published with the figures.
        super::stats::bump_generation(conn)?;
    }
    Ok(report)
}

/// Whether the stored entry already says what the file says.
fn same_entry(
    conn: &mut DbConnection,
    p: &Provider,
    entry: &ProviderInput,
) -> Result<bool, StoreError> {
    let network = match &p.network_id {
        None => None,
        Some(id) => by_id(conn, id)?.map(|n| n.slug),
    };
    Ok(!p.is_pending()
        && p.name == entry.name
        && p.country == entry.country
        && p.website == entry.website
        && p.subscribers == entry.subscribers
        && p.subscribers_as_of == entry.subscribers_as_of
        && p.subscribers_source == entry.subscribers_source
        && network == entry.network)
}
