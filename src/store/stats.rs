//! The statistics counters: kept in step by every write that changes what they count, read
//! by the public pages (a bounded number of counter rows, never the complaints), and
//! recounted from the raw rows by `recours stats verify` / `rebuild`.

use std::collections::BTreeMap;

use diesel::prelude::*;

use super::StoreError;
use crate::db::DbConnection;
use crate::db::schema::{providers, stat_counts, stats_generation};
use crate::domain::complaint::Kind;
use crate::domain::provider::Status;
use crate::domain::tally::{Figures, Key};

/// Which version of the counters is current: it moves with every change to them.
pub fn generation(conn: &mut DbConnection) -> Result<i64, StoreError> {
    Ok(crate::db::generation(conn)?)
}

/// Moves the generation: part of every transaction that changes what is published.
pub(crate) fn bump_generation(conn: &mut DbConnection) -> QueryResult<usize> {
    diesel::update(stats_generation::table.find(1))
        .set(stats_generation::n.eq(stats_generation::n + 1))
        .execute(conn)
}

/// Counter rows per upsert statement: 6 bound values each, SQLite allowing 32,766.
const UPSERT_ROWS: usize = 1000;

/// Adds `delta` to the counters; part of the caller's transaction.
pub fn apply(conn: &mut DbConnection, delta: &BTreeMap<Key, i64>) -> QueryResult<()> {
    if delta.is_empty() {
        return Ok(());
    }
    bump_generation(conn)?;
    let rows: Vec<_> = delta
        .iter()
        .map(|(key, value)| {
            (
                stat_counts::provider_id.eq(&key.provider_id),
                stat_counts::month.eq(&key.month),
                stat_counts::kind.eq(key.kind.as_str()),
                stat_counts::metric.eq(&key.metric),
                stat_counts::currency.eq(&key.currency),
                stat_counts::value.eq(*value),
            )
        })
        .collect();
    let target = (
        stat_counts::provider_id,
        stat_counts::month,
        stat_counts::kind,
        stat_counts::metric,
        stat_counts::currency,
    );
    let add =
        stat_counts::value.eq(stat_counts::value + diesel::upsert::excluded(stat_counts::value));
    // Few statements for many keys (Diesel prepares an upsert anew each time), each under
    // the backends' limits on bound values. The multi-backend connection has no upsert:
    // each backend does its own.
    for chunk in rows.chunks(UPSERT_ROWS) {
        crate::on_backend!(conn, c => diesel::insert_into(stat_counts::table)
            .values(chunk)
            .on_conflict(target)
            .do_update()
            .set(add)
            .execute(c))?;
    }
    Ok(())
}

/// Every stored counter that is not zero.
pub fn stored(conn: &mut DbConnection) -> Result<BTreeMap<Key, i64>, StoreError> {
    let rows: Vec<(String, String, String, String, String, i64)> = stat_counts::table
        .filter(stat_counts::value.ne(0))
        .select((
            stat_counts::provider_id,
            stat_counts::month,
            stat_counts::kind,
            stat_counts::metric,
            stat_counts::currency,
            stat_counts::value,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(provider_id, month, kind, metric, currency, value)| {
            let kind = Kind::parse(&kind)
                .ok_or_else(|| StoreError::Corrupt(format!("stored kind {kind:?}")))?;
            Ok((
                Key {
                    provider_id,
                    month,
                    kind,
                    metric,
                    currency,
                },
                value,
            ))
        })
        .collect()
}

/// One figure that disagrees with its recount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub key: Key,
    pub stored: i64,
    pub recounted: i64,
}

/// Compares the stored counters with a recount from the raw rows.
pub fn verify(conn: &mut DbConnection) -> Result<Vec<Difference>, StoreError> {
    let stored = stored(conn)?;
    let recounted = super::complaints::recount(conn)?;
    let mut keys: Vec<&Key> = stored.keys().chain(recounted.keys()).collect();
    keys.sort();
    keys.dedup();
    Ok(keys
        .into_iter()
        .filter_map(|key| {
            let (s, r) = (
                stored.get(key).copied().unwrap_or(0),
                recounted.get(key).copied().unwrap_or(0),
            );
            (s != r).then(|| Difference {
                key: key.clone(),
                stored: s,
                recounted: r,
            })
        })
        .collect())
}

/// Rewrites every counter from the raw rows, in one transaction.
pub fn rebuild(conn: &mut DbConnection) -> Result<usize, StoreError> {
    let recounted = super::complaints::recount(conn)?;
    diesel::delete(stat_counts::table).execute(conn)?;
    bump_generation(conn)?;
    apply(conn, &recounted)?;
    Ok(recounted.len())
}

/// Which counters a statistics page reads.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Filter {
    /// `YYYY-MM`, inclusive.
    pub from: Option<String>,
    pub to: Option<String>,
    pub kind: Option<Kind>,
    /// ISO country code of the provider.
    pub country: Option<String>,
}

/// (provider id, month or "" when summed over months, kind, metric, currency, value)
type CounterRow = (String, String, String, String, String, i64);

/// Applies a page's filter to a boxed counters query.
macro_rules! filtered {
    ($query:expr, $filter:expr, $ids:expr) => {{
        let mut query = $query;
        if let Some(from) = &$filter.from {
            query = query.filter(stat_counts::month.ge(from.clone()));
        }
        if let Some(to) = &$filter.to {
            query = query.filter(stat_counts::month.le(to.clone()));
        }
        if let Some(kind) = $filter.kind {
            query = query.filter(stat_counts::kind.eq(kind.as_str()));
        }
        if let Some(country) = &$filter.country {
            query = query.filter(providers::country.eq(country.clone()));
        }
        if let Some(ids) = $ids {
            query = query.filter(stat_counts::provider_id.eq_any(ids.to_vec()));
        }
        query
    }};
}

fn total() -> diesel::expression::SqlLiteral<diesel::sql_types::BigInt> {
    // SUM of BIGINT is NUMERIC on PostgreSQL; the sums here fit in a BIGINT.
    diesel::dsl::sql::<diesel::sql_types::BigInt>("CAST(SUM(stat_counts.value) AS BIGINT)")
}

/// Sums the counters of the selection in the database, per provider (and per month when
/// `by_month`): a bounded number of counter rows, whatever the number of complaints.
fn counters(
    conn: &mut DbConnection,
    filter: &Filter,
    provider_ids: Option<&[String]>,
    by_month: bool,
) -> Result<Vec<CounterRow>, StoreError> {
    let base = stat_counts::table.inner_join(providers::table);
    if by_month {
        let query = base
            .group_by((
                stat_counts::provider_id,
                stat_counts::month,
                stat_counts::kind,
                stat_counts::metric,
                stat_counts::currency,
            ))
            .select((
                stat_counts::provider_id,
                stat_counts::month,
                stat_counts::kind,
                stat_counts::metric,
                stat_counts::currency,
                total(),
            ))
            .into_boxed();
        return Ok(filtered!(query, filter, provider_ids).load(conn)?);
    }
    let query = base
        .group_by((
            stat_counts::provider_id,
            stat_counts::kind,
            stat_counts::metric,
            stat_counts::currency,
        ))
        .select((
            stat_counts::provider_id,
            stat_counts::kind,
            stat_counts::metric,
            stat_counts::currency,
            total(),
        ))
        .into_boxed();
    let rows: Vec<(String, String, String, String, i64)> =
        filtered!(query, filter, provider_ids).load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(p, k, m, c, v)| (p, String::new(), k, m, c, v))
        .collect())
}

fn add_row(figures: &mut Figures, kind: &str, metric: &str, currency: &str, value: i64) {
    if let Some(kind) = Kind::parse(kind) {
        figures.add(kind, metric, currency, value);
    }
}

/// Where `by_provider` puts the figures of every provider not reviewed yet, together.
pub const PENDING: &str = "pending";

/// The figures of each provider with counters in the selection, by provider id; those of
/// the providers not reviewed yet (names typed by subscribers) summed under `PENDING`, so
/// that no typed name is published. Approving or merging one moves its figures at once.
pub fn by_provider(
    conn: &mut DbConnection,
    filter: &Filter,
) -> Result<BTreeMap<String, Figures>, StoreError> {
    let pending: std::collections::HashSet<String> = providers::table
        .filter(providers::status.eq(Status::Pending.as_str()))
        .select(providers::id)
        .load::<String>(conn)?
        .into_iter()
        .collect();
    let mut out: BTreeMap<String, Figures> = BTreeMap::new();
    for (provider, _month, kind, metric, currency, value) in counters(conn, filter, None, false)? {
        let key = if pending.contains(&provider) {
            PENDING.to_string()
        } else {
            provider
        };
        add_row(
            out.entry(key).or_default(),
            &kind,
            &metric,
            &currency,
            value,
        );
    }
    Ok(out)
}

/// Month by month (`YYYY-MM`), for the given providers, or all of them.
pub fn by_month(
    conn: &mut DbConnection,
    filter: &Filter,
    provider_ids: Option<&[String]>,
) -> Result<BTreeMap<String, Figures>, StoreError> {
    let mut out: BTreeMap<String, Figures> = BTreeMap::new();
    for (_provider, month, kind, metric, currency, value) in
        counters(conn, filter, provider_ids, true)?
    {
        add_row(
            out.entry(month).or_default(),
            &kind,
            &metric,
            &currency,
            value,
        );
    }
    Ok(out)
}

/// Complaints per month (`YYYY-MM`) over every provider of the selection: the trend chart.
pub fn complaints_by_month(
    conn: &mut DbConnection,
    filter: &Filter,
) -> Result<BTreeMap<String, i64>, StoreError> {
    let query = stat_counts::table
        .inner_join(providers::table)
        .filter(stat_counts::metric.eq(crate::domain::tally::COMPLAINTS))
        .group_by(stat_counts::month)
        .select((stat_counts::month, total()))
        .into_boxed();
    let rows: Vec<(String, i64)> = filtered!(query, filter, None::<&[String]>).load(conn)?;
    Ok(rows.into_iter().filter(|(_, n)| *n != 0).collect())
}
