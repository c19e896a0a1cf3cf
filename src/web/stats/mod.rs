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
use crate::domain::tally::parse_month;
use crate::store::stats::Filter;
use crate::store::stats::{Detail, Published, detail, published};
use crate::web::errors::AppError;

/// The query string every statistics page and export takes.
#[derive(Debug, Clone, Default, rocket::FromForm)]
pub struct Params {
    pub from: Option<String>,
    pub to: Option<String>,
    pub kind: Option<String>,
    pub country: Option<String>,
}

impl Params {
    /// The filter, or the catalog key of what is wrong with it.
    pub fn filter(&self) -> Result<Filter, &'static str> {
        let month = |v: &Option<String>| -> Result<Option<String>, &'static str> {
            match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                None => Ok(None),
                Some(s) => parse_month(s).map(Some).ok_or("error-month-invalid"),
            }
        };
        let (from, to) = (month(&self.from)?, month(&self.to)?);
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
        Ok(Filter {
            from,
            to,
            kind,
            country,
        })
    }

    /// The query string that names `filter`, for what is made once per filter.
    pub fn of(filter: &Filter) -> Params {
        Params {
            from: filter.from.clone(),
            to: filter.to.clone(),
            kind: filter.kind.map(|k| k.as_str().to_string()),
            country: filter.country.clone(),
        }
    }

    /// The same filters as a query string, for links and downloads (`?from=…`), or "".
    pub fn query(&self) -> String {
        let pairs: Vec<String> = [
            ("from", &self.from),
            ("to", &self.to),
            ("kind", &self.kind),
            ("country", &self.country),
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
            _ => None,
        }
        .unwrap_or("")
    }
}

async fn cached_published(
    cache: &StatsCache,
    db: &Db,
    filter: &Filter,
) -> Result<(Arc<Vec<Published>>, Version), AppError> {
    let wanted = filter.clone();
    cache
        .get(db, &cache.providers, filter.clone(), move |conn| {
            published(conn, &wanted)
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
