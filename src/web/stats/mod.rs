//! Public statistics per provider: pages, CSV and the JSON open-data API, all read from the
//! counters (never from the complaints).

mod about;
mod api;
mod chart;
mod csv;
mod pages;

pub use about::*;
pub use api::*;
pub use chart::*;
pub use csv::*;
pub use pages::*;

use askama::Template;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use rocket::http::uri::Origin;

use super::stats_cache::{StatsCache, Version};
use crate::db::Db;
use crate::domain::complaint::Kind;
use crate::domain::provider::slug_is_valid;
use crate::domain::selection::{Period, Sort};
use crate::domain::tally::parse_month;
use crate::store::stats::Filter;
use crate::store::stats::{Detail, Ranking, detail, ranking};
use crate::web::errors::AppError;
use crate::web::query::{self, Empty, ParamError, Spec, many, one};

/// The parameters of the providers' list: the page, the CSV and the API.
pub const LIST: &[Spec] = &[
    one("from"),
    one("to"),
    one("period"),
    many("kind"),
    many("country"),
    many("network"),
    many("provider"),
    one("sort"),
];

/// The parameters of one provider's figures (page and API); the provider is in the path.
pub const DETAIL: &[Spec] = &[
    one("from"),
    one("to"),
    one("period"),
    many("kind"),
    many("country"),
    many("network"),
];

/// A statistics query string, read strictly (`query::parse`), values as sent.
#[derive(Debug, Clone, Default)]
pub struct Params {
    values: BTreeMap<&'static str, Vec<String>>,
}

impl Params {
    pub fn parse(uri: &Origin<'_>, specs: &[Spec], empty: Empty) -> Result<Params, ParamError> {
        query::parse(uri, specs, empty).map(|values| Params { values })
    }

    /// The filter, or the parameter at fault and what is wrong with it.
    pub fn filter(&self) -> Result<Filter, ParamError> {
        self.filter_on(chrono::Utc::now().date_naive())
    }

    /// The filter on `today`, which a named period depends on.
    pub fn filter_on(&self, today: chrono::NaiveDate) -> Result<Filter, ParamError> {
        let month = |name: &str| -> Result<Option<String>, ParamError> {
            match self.values(name).first() {
                None => Ok(None),
                Some(s) => parse_month(s)
                    .map(Some)
                    .ok_or_else(|| ParamError::invalid(name, "error-month-invalid")),
            }
        };
        let (mut from, mut to) = (month("from")?, month("to")?);
        let period = match self.values("period").first() {
            None => None,
            Some(_) if from.is_some() || to.is_some() => {
                return Err(ParamError::invalid("period", "error-period-conflict"));
            }
            Some(name) => {
                let period = Period::parse(name)
                    .ok_or_else(|| ParamError::invalid("period", "error-period-invalid"))?;
                let (first, last) = period.months(today);
                (from, to) = (Some(first), Some(last));
                Some(period)
            }
        };
        if let (Some(f), Some(t)) = (&from, &to)
            && f > t
        {
            return Err(ParamError::invalid("from", "error-period-order"));
        }
        let each = |name: &str, key: &'static str, ok: &dyn Fn(&str) -> Option<String>| {
            self.values(name)
                .iter()
                .map(|v| ok(v).ok_or_else(|| ParamError::invalid(name, key)))
                .collect::<Result<BTreeSet<String>, ParamError>>()
        };
        let kinds = self
            .values("kind")
            .iter()
            .map(|k| Kind::parse(k).ok_or_else(|| ParamError::invalid("kind", "error-choice")))
            .collect::<Result<BTreeSet<Kind>, ParamError>>()?;
        let countries = each("country", "error-country-invalid", &|c| {
            (c.len() == 2 && c.chars().all(|x| x.is_ascii_alphabetic()))
                .then(|| c.to_ascii_uppercase())
        })?;
        let providers = each("provider", "error-slug-invalid", &|s| {
            slug_is_valid(s).then(|| s.to_string())
        })?;
        let networks = each("network", "error-network-invalid", &|s| {
            slug_is_valid(s).then(|| s.to_string())
        })?;
        let sort = match self.values("sort").first() {
            None => Sort::default(),
            Some(s) => {
                Sort::parse(s).ok_or_else(|| ParamError::invalid("sort", "error-sort-invalid"))?
            }
        };
        Ok(Filter {
            from,
            to,
            kinds,
            countries,
            networks,
            providers,
            period,
            sort,
        })
    }

    /// The query string that names `filter`, for what is made once per filter.
    pub fn of(filter: &Filter) -> Params {
        let mut values: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
        let mut put = |name: &'static str, vs: Vec<String>| {
            if !vs.is_empty() {
                values.insert(name, vs);
            }
        };
        // A named period is kept by name, so that links stay "the last 12 months".
        if let Some(period) = filter.period {
            put("period", vec![period.as_str().to_string()]);
        } else {
            put("from", filter.from.iter().cloned().collect());
            put("to", filter.to.iter().cloned().collect());
        }
        put(
            "kind",
            filter
                .kinds
                .iter()
                .map(|k| k.as_str().to_string())
                .collect(),
        );
        put("country", filter.countries.iter().cloned().collect());
        put("network", filter.networks.iter().cloned().collect());
        put("provider", filter.providers.iter().cloned().collect());
        if filter.sort != Sort::default() {
            put("sort", vec![filter.sort.param()]);
        }
        Params { values }
    }

    /// The same selection in another order.
    pub fn sorted(&self, sort: Sort) -> Params {
        let mut values = self.values.clone();
        values.remove("sort");
        if sort != Sort::default() {
            values.insert("sort", vec![sort.param()]);
        }
        Params { values }
    }

    /// The same parameters as a query string, for links and downloads (`?from=…`), or "".
    pub fn query(&self) -> String {
        self.query_without(&[])
    }

    /// The query string of a link to one provider's page: the parameters that page takes
    /// (not the list's order, nor the list's own selection of providers).
    pub fn detail_query(&self) -> String {
        let others: Vec<&str> = self
            .values
            .keys()
            .copied()
            .filter(|k| !DETAIL.iter().any(|s| s.name == *k))
            .collect();
        self.query_without(&others)
    }

    /// The query string of the complaint-level records with the same selection (they have
    /// no order to choose).
    pub fn records_query(&self) -> String {
        self.query_without(&["sort"])
    }

    /// The query string without the parameters named in `left_out`.
    pub fn query_without(&self, left_out: &[&str]) -> String {
        let pairs: Vec<String> = self
            .values
            .iter()
            .filter(|(k, _)| !left_out.contains(k))
            .flat_map(|(k, vs)| {
                vs.iter()
                    .map(move |v| format!("{k}={}", rocket::http::RawStr::new(v).percent_encode()))
            })
            .collect();
        if pairs.is_empty() {
            String::new()
        } else {
            format!("?{}", pairs.join("&"))
        }
    }

    /// Every value of `name`, as sent.
    pub fn values(&self, name: &str) -> &[String] {
        self.values.get(name).map(Vec::as_slice).unwrap_or_default()
    }

    /// The first value of `name`, or "".
    pub fn value<'a>(&'a self, name: &str) -> &'a str {
        self.values(name).first().map(String::as_str).unwrap_or("")
    }

    /// Whether `name` has the value `value` among its values.
    pub fn has(&self, name: &str, value: &str) -> bool {
        self.values(name).iter().any(|v| v == value)
    }
}

async fn cached_published(
    cache: &StatsCache,
    db: &Db,
    filter: &Filter,
) -> Result<(Arc<Ranking>, Version), AppError> {
    let wanted = filter.clone();
    cache
        .get(db, &cache.providers, filter.clone(), move |conn| {
            ranking(conn, &wanted)
        })
        .await
}

async fn cached_detail(
    cache: &StatsCache,
    db: &Db,
    slug: &str,
    filter: &Filter,
) -> Result<(Arc<Detail>, Version), AppError> {
    let key = (slug.to_string(), filter.clone());
    let (slug, filter) = key.clone();
    cache
        .get(db, &cache.provider, key, move |conn| {
            detail(conn, &slug, &filter)
        })
        .await
}

fn rendered(view: &impl Template) -> Result<String, AppError> {
    view.render()
        .map_err(|e| AppError::Internal(format!("template failed: {e}")))
}
