//! The statistics counters: kept in step by every write that changes what they count, read
//! by the public pages (a bounded number of counter rows, never the complaints), and
//! recounted from the raw rows by `recours stats verify` / `rebuild`.

use std::collections::{BTreeMap, BTreeSet};

use diesel::prelude::*;

use super::StoreError;
use super::providers::Provider;
use crate::db::DbConnection;
use crate::db::schema::{providers, stat_counts, stats_generation};
use crate::domain::claim::{Outcome, State as ClaimState};
use crate::domain::complaint::{Kind, Kinds};
use crate::domain::provider::Status;
use crate::domain::provider_answer::Reply;
use crate::domain::selection::{Column, Operator, Period, Placed, Sort, includes};
use crate::domain::stats::{self as maths, MIN_VOLUME, Rate};
use crate::domain::tally::{Figures, Key, PortalFigures};

/// Which version of the counters is current: it moves with every change to them.
pub fn generation(conn: &mut DbConnection) -> Result<Generation, StoreError> {
    let (n, changed_at) = stats_generation::table
        .find(1)
        .select((stats_generation::n, stats_generation::changed_at))
        .first(conn)?;
    Ok(Generation { n, changed_at })
}

/// The version of what is published: moved by every change, with the time it moved (none
/// before the first change).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Generation {
    pub n: i64,
    pub changed_at: Option<chrono::NaiveDateTime>,
}

/// Moves the generation: part of every transaction that changes what is published.
pub(crate) fn bump_generation(conn: &mut DbConnection) -> QueryResult<usize> {
    diesel::update(stats_generation::table.find(1))
        .set((
            stats_generation::n.eq(stats_generation::n + 1),
            stats_generation::changed_at.eq(chrono::Utc::now().naive_utc()),
        ))
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
                stat_counts::kind.eq(key.kinds.as_string()),
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
            let kinds = Kinds::parse(&kind)
                .ok_or_else(|| StoreError::Corrupt(format!("stored kind {kind:?}")))?;
            Ok((
                Key {
                    provider_id,
                    month,
                    kinds,
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

/// Which counters a statistics page reads, and in which order its providers come.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Filter {
    /// `YYYY-MM`, inclusive.
    pub from: Option<String>,
    pub to: Option<String>,
    /// Any of these kinds; every kind when empty.
    pub kinds: BTreeSet<Kind>,
    /// ISO country codes: the providers based in any of them and the resellers on networks
    /// based in any of them (see `domain::selection::includes`); every country when empty.
    pub countries: BTreeSet<String>,
    /// Networks by their operator's slug: each operator and its resellers; every network
    /// when empty.
    pub networks: BTreeSet<String>,
    /// Any of these providers, by slug; every provider when empty.
    pub providers: BTreeSet<String>,
    /// The named period `from` and `to` were taken from, if any.
    pub period: Option<Period>,
    pub sort: Sort,
}

impl Filter {
    /// Whether the filter narrows the providers (not only the months or the kind).
    pub fn selects_providers(&self) -> bool {
        !(self.countries.is_empty() && self.networks.is_empty() && self.providers.is_empty())
    }
}

/// The providers (pending ones too) a country or network selection includes, or None when
/// the filter selects no providers: the directory is small, the rule is the domain's.
fn included_ids(
    conn: &mut DbConnection,
    filter: &Filter,
) -> Result<Option<Vec<String>>, StoreError> {
    if !filter.selects_providers() {
        return Ok(None);
    }
    Ok(Some(
        included(conn, filter)?.into_iter().map(|p| p.id).collect(),
    ))
}

/// Every provider, pending ones too, that the filter's countries, networks and providers
/// include. Only reviewed providers are chosen by slug: a typed name's own slug must not
/// isolate its complaints.
pub fn included(conn: &mut DbConnection, filter: &Filter) -> Result<Vec<Provider>, StoreError> {
    let all = super::providers::all(conn)?;
    let by_id: BTreeMap<&str, &Provider> = all.iter().map(|p| (p.id.as_str(), p)).collect();
    let placed = |p: &'_ Provider| -> bool {
        let operator = p
            .network_id
            .as_deref()
            .and_then(|id| by_id.get(id))
            .map(|n| Operator {
                slug: &n.slug,
                country: &n.country,
            });
        includes(
            Placed {
                slug: &p.slug,
                country: &p.country,
                network: operator,
            },
            &filter.countries,
            &filter.networks,
        ) && (filter.providers.is_empty()
            || (!p.is_pending() && filter.providers.contains(&p.slug)))
    };
    let chosen: Vec<Provider> = all.iter().filter(|p| placed(p)).cloned().collect();
    Ok(chosen)
}

/// What a statistics filter offers to choose from.
#[derive(Debug, Clone, Default)]
pub struct FilterChoices {
    /// The countries of the approved providers, A to Z.
    pub countries: Vec<String>,
    /// The approved providers that have approved resellers, by name.
    pub networks: Vec<Provider>,
}

pub fn filter_choices(conn: &mut DbConnection) -> Result<FilterChoices, StoreError> {
    let approved: Vec<Provider> = super::providers::all(conn)?
        .into_iter()
        .filter(|p| !p.is_pending())
        .collect();
    let mut countries: Vec<String> = approved.iter().map(|p| p.country.clone()).collect();
    countries.sort();
    countries.dedup();
    let mut networks: Vec<Provider> = approved
        .iter()
        .filter(|n| {
            approved
                .iter()
                .any(|p| p.network_id.as_deref() == Some(n.id.as_str()))
        })
        .cloned()
        .collect();
    networks.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(FilterChoices {
        countries,
        networks,
    })
}

/// The approved providers a country or network selection includes, by name: what a page
/// says its selection is made of.
pub fn included_listed(
    conn: &mut DbConnection,
    filter: &Filter,
) -> Result<Vec<Provider>, StoreError> {
    if !filter.selects_providers() {
        return Ok(Vec::new());
    }
    let mut listed: Vec<Provider> = included(conn, filter)?
        .into_iter()
        .filter(|p| !p.is_pending())
        .collect();
    listed.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(listed)
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
        // A complaint of several kinds is selected by each of them (see `domain::tally`).
        if !$filter.kinds.is_empty() {
            let mut sets: Vec<String> = $filter
                .kinds
                .iter()
                .flat_map(|k| Kinds::containing(*k))
                .map(Kinds::as_string)
                .collect();
            sets.sort();
            sets.dedup();
            query = query.filter(stat_counts::kind.eq_any(sets));
        }
        if let Some(ids) = $ids {
            query = query.filter(stat_counts::provider_id.eq_any(ids.to_vec()));
        }
        query
    }};
}

/// The providers in both lists, either being None for "all".
fn both(a: Option<Vec<String>>, b: Option<&[String]>) -> Option<Vec<String>> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.into_iter().filter(|id| b.contains(id)).collect()),
        (Some(a), None) => Some(a),
        (None, b) => b.map(<[String]>::to_vec),
    }
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
    let ids = both(included_ids(conn, filter)?, provider_ids);
    let provider_ids = ids.as_deref();
    let base = stat_counts::table;
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

fn add_row(figures: &mut Figures, kinds: &str, metric: &str, currency: &str, value: i64) {
    if let Some(kinds) = Kinds::parse(kinds) {
        figures.add(kinds, metric, currency, value);
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
    let ids = included_ids(conn, filter)?;
    let query = stat_counts::table
        .filter(stat_counts::metric.eq(crate::domain::tally::COMPLAINTS))
        .group_by(stat_counts::month)
        .select((stat_counts::month, total()))
        .into_boxed();
    let rows: Vec<(String, i64)> = filtered!(query, filter, ids.as_deref()).load(conn)?;
    Ok(rows.into_iter().filter(|(_, n)| *n != 0).collect())
}

/// The months a selection's figures cover: its `from` and `to` where given, else the first
/// and last months with complaints in it. None when it has none.
pub fn covered(
    filter: &Filter,
    months_with_data: &BTreeMap<String, i64>,
) -> Option<(String, String)> {
    let first = months_with_data.keys().next()?;
    let last = months_with_data.keys().next_back()?;
    Some((
        filter.from.clone().unwrap_or_else(|| first.clone()),
        filter.to.clone().unwrap_or_else(|| last.clone()),
    ))
}

// ---- Published figures: what the statistics pages, the API and the reviewers read ----

/// One provider's published figures, with the fairness rules applied.
#[derive(Debug, Clone)]
pub struct Published {
    pub provider: Provider,
    pub network: Option<Provider>,
    pub f: Figures,
    pub rate: Option<Rate>,
    pub resolution_percent: Option<i64>,
    pub timely_percent: Option<i64>,
    pub median_days: Option<i64>,
    pub portal: PortalShares,
}

/// The shares of what happened on Recours itself, each hidden below the minimum volume of
/// its own base.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PortalShares {
    /// Answered on the portal by the due date, of the claims whose due date was tested.
    pub timely_percent: Option<i64>,
    /// Exact median days from sending to the first closing answer.
    pub median_days: Option<i64>,
    /// Disputed by the subscriber, of the claims with a closing answer.
    pub disputed_percent: Option<i64>,
}

impl PortalShares {
    pub fn of(f: &PortalFigures) -> PortalShares {
        PortalShares {
            timely_percent: maths::percent(f.answered_in_time, f.timeliness_base()),
            median_days: median_shown(f.median_base(), &f.days_histogram()),
            disputed_percent: maths::percent(f.reply_count(Reply::Disputed), f.answered()),
        }
    }
}

/// The median of a histogram whose base reaches the minimum volume.
fn median_shown(base: i64, histogram: &[(i64, i64)]) -> Option<i64> {
    if base >= MIN_VOLUME {
        maths::median(histogram)
    } else {
        None
    }
}

/// The providers' table of a selection: its rows in the filter's order and the months its
/// figures cover.
#[derive(Debug, Clone)]
pub struct Ranking {
    pub rows: Vec<Published>,
    pub months: BTreeMap<String, i64>,
    pub period: Option<(String, String)>,
    /// The approved providers a country or network selection includes (empty otherwise).
    pub included: Vec<Provider>,
    pub choices: FilterChoices,
}

/// The table of a selection: `published` and the complaints per month.
pub fn ranking(conn: &mut DbConnection, filter: &Filter) -> Result<Ranking, StoreError> {
    let rows = published(conn, filter)?;
    let months = complaints_by_month(conn, filter)?;
    Ok(Ranking {
        rows,
        period: covered(filter, &months),
        months,
        included: included_listed(conn, filter)?,
        choices: filter_choices(conn)?,
    })
}

impl Published {
    pub fn new(provider: Provider, network: Option<Provider>, f: Figures) -> Published {
        // Each share follows the minimum volume on its own base: the claims for the
        // resolution rate, the claims whose deadline has passed for timeliness, the
        // resolved claims for the median (and likewise for the portal's figures).
        Published {
            rate: maths::per_100k(f.complaints, provider.subscribers),
            resolution_percent: maths::percent(f.resolved(), f.claims),
            timely_percent: maths::percent(f.answered_in_time, f.timeliness_base()),
            median_days: median_shown(f.median_base(), &f.days_histogram()),
            portal: PortalShares::of(&f.portal),
            provider,
            network,
            f,
        }
    }

    pub fn kind(&self, kind: &Kind) -> i64 {
        self.f.kind_count(*kind)
    }

    pub fn state(&self, state: &ClaimState) -> i64 {
        self.f.state_count(*state)
    }

    pub fn outcome(&self, outcome: &Outcome) -> i64 {
        self.f.outcome_count(*outcome)
    }

    /// The split by kind, claims, states, outcomes and amounts, where the selection is large
    /// enough for them not to describe one person's complaint.
    pub fn breakdown(&self) -> Option<&Figures> {
        maths::breakdown_shown(self.f.complaints).then_some(&self.f)
    }

    /// The value of `column` as the table shows it (None where hidden), for sorting.
    pub fn sort_value(&self, column: Column) -> Option<f64> {
        let shown = |n: i64| self.breakdown().map(|_| n as f64);
        match column {
            Column::Name => None,
            Column::Complaints => Some(self.f.complaints as f64),
            Column::Rate => self.rate.map(|r| r.per_100k),
            Column::Kind(k) => shown(self.f.kind_count(k)),
            Column::Claims => shown(self.f.claims),
            Column::Resolved => shown(self.f.resolved()),
            Column::ResolutionRate => self.resolution_percent.map(|x| x as f64),
            Column::MedianDays => self.median_days.map(|x| x as f64),
            Column::Timely => self.timely_percent.map(|x| x as f64),
        }
    }

    /// The line of every provider not reviewed yet, together: it has no page of its own.
    pub fn is_pending_line(&self) -> bool {
        self.provider.id == PENDING
    }
}

/// The line under which the figures of providers not reviewed yet are published: a typed
/// name is never published. Pages show a translated label instead of this name.
fn pending_line() -> Provider {
    Provider {
        id: PENDING.to_string(),
        slug: crate::domain::provider::PENDING_SLUG.to_string(),
        name: "Provider not yet reviewed".to_string(),
        country: "ZZ".to_string(),
        website: None,
        subscribers: None,
        network_id: None,
        status: crate::domain::provider::Status::Pending
            .as_str()
            .to_string(),
        created_at: chrono::NaiveDateTime::default(),
        subscribers_as_of: None,
        subscribers_source: None,
        admin_edited: false,
    }
}

/// Every provider with complaints in the selection, most complaints first.
pub fn published(conn: &mut DbConnection, filter: &Filter) -> Result<Vec<Published>, StoreError> {
    let figures = by_provider(conn, filter)?;
    let all: BTreeMap<String, Provider> = super::providers::all(conn)?
        .into_iter()
        .map(|p| (p.id.clone(), p))
        .collect();
    let mut out: Vec<Published> = figures
        .into_iter()
        .filter(|(_, f)| f.complaints > 0)
        .filter_map(|(id, f)| {
            if id == PENDING {
                return Some(Published::new(pending_line(), None, f));
            }
            let provider = all.get(&id)?.clone();
            let network = provider
                .network_id
                .as_ref()
                .and_then(|n| all.get(n))
                .cloned();
            Some(Published::new(provider, network, f))
        })
        .collect();
    sort(&mut out, filter.sort);
    Ok(out)
}

/// Puts the rows in `order`; ties by name. The providers not reviewed yet come last: they
/// are not one provider.
pub fn sort(rows: &mut [Published], order: Sort) {
    let by_name = |a: &Published, b: &Published| {
        a.provider
            .name
            .to_lowercase()
            .cmp(&b.provider.name.to_lowercase())
    };
    rows.sort_by(|a, b| {
        let value = if order.column == Column::Name {
            let names = by_name(a, b);
            if order.descending {
                names.reverse()
            } else {
                names
            }
        } else {
            order.compare(a.sort_value(order.column), b.sort_value(order.column))
        };
        a.is_pending_line()
            .cmp(&b.is_pending_line())
            .then(value)
            .then_with(|| by_name(a, b))
    });
}

/// One provider in detail: its figures, month by month, and its resellers' apart.
#[derive(Clone)]
pub struct Detail {
    pub main: Published,
    pub months: Vec<(String, Figures)>,
    pub resellers: Vec<Published>,
    /// The months the selection's figures cover.
    pub period: Option<(String, String)>,
    /// The approved providers a country or network selection includes (empty otherwise).
    pub included: Vec<Provider>,
    pub choices: FilterChoices,
}

pub fn detail(conn: &mut DbConnection, slug: &str, filter: &Filter) -> Result<Detail, StoreError> {
    let provider = super::providers::by_slug(conn, slug)?
        .filter(|p| !p.is_pending())
        .ok_or(StoreError::NotFound)?;
    let all = published(conn, filter)?;
    let network = match &provider.network_id {
        Some(id) => super::providers::by_id(conn, id)?,
        None => None,
    };
    let main = all
        .iter()
        .find(|p| p.provider.id == provider.id)
        .cloned()
        .unwrap_or_else(|| Published::new(provider.clone(), network, Figures::default()));
    let resellers = all
        .into_iter()
        .filter(|p| p.provider.network_id.as_deref() == Some(provider.id.as_str()))
        .collect();
    let months = by_month(conn, filter, Some(std::slice::from_ref(&provider.id)))?
        .into_iter()
        .collect();
    let period = covered(filter, &complaints_by_month(conn, filter)?);
    Ok(Detail {
        main,
        months,
        resellers,
        period,
        included: included_listed(conn, filter)?,
        choices: filter_choices(conn)?,
    })
}
