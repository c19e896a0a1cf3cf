//! Public statistics per provider: pages, CSV and the JSON open-data API, all read from the
//! counters (never from the complaints).

mod api;
mod chart;
mod csv;
mod pages;

pub use api::*;
pub use chart::*;
pub use csv::*;
pub use pages::*;

use askama::Template;

use std::sync::Arc;

use super::stats_cache::{StatsCache, Version};
use crate::db::Db;
use crate::domain::complaint::Kind;
use crate::domain::provider::slug_is_valid;
use crate::domain::selection::{Period, Sort};
use crate::domain::tally::parse_month;
use crate::store::stats::Filter;
use crate::store::stats::{Detail, Ranking, detail, ranking};
use crate::web::errors::AppError;

/// The query string every statistics page and export takes.
#[derive(Debug, Clone, Default, rocket::FromForm)]
pub struct Params {
    pub from: Option<String>,
    pub to: Option<String>,
    pub kind: Option<String>,
    pub country: Option<String>,
    pub network: Option<String>,
    pub period: Option<String>,
    pub sort: Option<String>,
}

/// A query value, None when absent or blank (a form sends its empty fields).
fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl Params {
    /// The filter, or the catalog key of what is wrong with it.
    pub fn filter(&self) -> Result<Filter, &'static str> {
        self.filter_on(chrono::Utc::now().date_naive())
    }

    /// The filter on `today` (which a named period depends on).
    pub fn filter_on(&self, today: chrono::NaiveDate) -> Result<Filter, &'static str> {
        let month = |v: &Option<String>| -> Result<Option<String>, &'static str> {
            match given(v) {
                None => Ok(None),
                Some(s) => parse_month(s).map(Some).ok_or("error-month-invalid"),
            }
        };
        let (mut from, mut to) = (month(&self.from)?, month(&self.to)?);
        let period = match given(&self.period) {
            None => None,
            Some(_) if from.is_some() || to.is_some() => return Err("error-period-conflict"),
            Some(name) => {
                let period = Period::parse(name).ok_or("error-period-invalid")?;
                let (first, last) = period.months(today);
                (from, to) = (Some(first), Some(last));
                Some(period)
            }
        };
        if let (Some(f), Some(t)) = (&from, &to)
            && f > t
        {
            return Err("error-period-order");
        }
        let kind = match self
            .kind
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => None,
            Some(k) => Some(Kind::parse(k).ok_or("error-choice")?),
        };
        let country = match self
            .country
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => None,
            Some(c) if c.len() == 2 && c.chars().all(|x| x.is_ascii_alphabetic()) => {
                Some(c.to_ascii_uppercase())
            }
            Some(_) => return Err("error-country-invalid"),
        };
        let network = match given(&self.network) {
            None => None,
            Some(slug) if slug_is_valid(slug) => Some(slug.to_string()),
            Some(_) => return Err("error-network-invalid"),
        };
        let sort = match given(&self.sort) {
            None => Sort::default(),
            Some(s) => Sort::parse(s).ok_or("error-sort-invalid")?,
        };
        Ok(Filter {
            from,
            to,
            kind,
            country,
            network,
            period,
            sort,
        })
    }

    /// The query string that names `filter`, for what is made once per filter.
    pub fn of(filter: &Filter) -> Params {
        // A named period is kept by name, so that links stay "the last 12 months".
        let (from, to) = match filter.period {
            Some(_) => (None, None),
            None => (filter.from.clone(), filter.to.clone()),
        };
        Params {
            from,
            to,
            kind: filter.kind.map(|k| k.as_str().to_string()),
            country: filter.country.clone(),
            network: filter.network.clone(),
            period: filter.period.map(|p| p.as_str().to_string()),
            sort: (filter.sort != Sort::default()).then(|| filter.sort.param()),
        }
    }

    /// The same selection in another order.
    pub fn sorted(&self, sort: Sort) -> Params {
        Params {
            sort: (sort != Sort::default()).then(|| sort.param()),
            ..self.clone()
        }
    }

    /// The same filters as a query string, for links and downloads (`?from=…`), or "".
    pub fn query(&self) -> String {
        let pairs: Vec<String> = [
            ("from", &self.from),
            ("to", &self.to),
            ("kind", &self.kind),
            ("country", &self.country),
            ("network", &self.network),
            ("period", &self.period),
            ("sort", &self.sort),
        ]
        .into_iter()
        .filter_map(|(k, v)| {
            v.as_deref()
                .filter(|s| !s.is_empty())
                .map(|v| format!("{k}={}", rocket::http::RawStr::new(v).percent_encode()))
        })
        .collect();
        if pairs.is_empty() {
            String::new()
        } else {
            format!("?{}", pairs.join("&"))
        }
    }

    pub fn value<'a>(&'a self, name: &str) -> &'a str {
        match name {
            "from" => self.from.as_deref(),
            "to" => self.to.as_deref(),
            "kind" => self.kind.as_deref(),
            "country" => self.country.as_deref(),
            "network" => self.network.as_deref(),
            "period" => self.period.as_deref(),
            "sort" => self.sort.as_deref(),
            _ => None,
        }
        .unwrap_or("")
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
