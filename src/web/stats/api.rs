//! The JSON open-data API: typed answers, JSON errors, the OpenAPI document.

use std::collections::BTreeMap;

use rocket::http::Status;
use rocket::response::content::RawJson;
use rocket::{State, get};
use serde_json::value::RawValue;

use super::*;
use crate::db::Db;
use crate::domain::claim::{Outcome, State as ClaimState};
use crate::domain::complaint::Kind;
use crate::domain::stats::{self as maths, MIN_VOLUME};
use crate::domain::tally::Figures;
use crate::store::stats::Filter;
use crate::store::stats::{Detail, Published};
use crate::web::errors::AppError;
use crate::web::stats_cache::StatsCache;

/// JSON errors are JSON: `{"error": "…"}` with the status.
pub struct ApiError(pub Status, pub &'static str);

#[derive(serde::Serialize)]
pub(super) struct ErrorJson {
    error: &'static str,
}

impl<'r> rocket::response::Responder<'r, 'static> for ApiError {
    fn respond_to(self, req: &'r rocket::Request<'_>) -> rocket::response::Result<'static> {
        let body = serde_json::to_string(&ErrorJson { error: self.1 })
            .map_err(|_| Status::InternalServerError)?;
        rocket::Response::build_from(RawJson(body).respond_to(req)?)
            .status(self.0)
            .ok()
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::NotFound => ApiError(Status::NotFound, "not found"),
            AppError::BadRequest(_) => ApiError(Status::BadRequest, "bad request"),
            other => {
                log::error!("api: {other}");
                ApiError(
                    other.status(),
                    "the service could not answer; try again later",
                )
            }
        }
    }
}

pub fn api_filter(params: &Params) -> Result<Filter, ApiError> {
    params.filter().map_err(|key| {
        ApiError(
            Status::BadRequest,
            match key {
                "error-month-invalid" => "from and to are months written YYYY-MM",
                "error-period-order" => "from is after to",
                "error-country-invalid" => "country is a two-letter ISO 3166 code",
                _ => "kind is one of service_cut, price_hike, billing, other",
            },
        )
    })
}

/// Amounts per currency, without the currencies at zero.
pub(super) fn money_json(sums: &BTreeMap<String, i64>) -> BTreeMap<String, i64> {
    sums.iter()
        .filter(|(_, v)| **v != 0)
        .map(|(c, v)| (c.clone(), *v))
        .collect()
}

/// Counts per choice, every choice named.
pub(super) fn counts<T: Copy>(
    all: &[T],
    name: impl Fn(T) -> &'static str,
    count: impl Fn(T) -> i64,
) -> BTreeMap<&'static str, i64> {
    all.iter().map(|&c| (name(c), count(c))).collect()
}

// Every object of the API lists its fields in alphabetical order (as the maps it was
// first built from did), so the answers stay byte for byte the same.

/// A selection's figures; everything but the number of complaints is null where the
/// selection is too small to show its breakdown.
#[derive(serde::Serialize)]
pub struct FiguresJson {
    by_kind: Option<BTreeMap<&'static str, i64>>,
    claims: ClaimsJson,
    complaints: i64,
}

#[derive(serde::Serialize)]
pub(super) struct ClaimsJson {
    by_outcome: Option<BTreeMap<&'static str, i64>>,
    by_state: Option<BTreeMap<&'static str, i64>>,
    claimed: Option<BTreeMap<String, i64>>,
    received: Option<BTreeMap<String, i64>>,
    resolved: Option<i64>,
    total: Option<i64>,
}

impl From<&Figures> for FiguresJson {
    fn from(f: &Figures) -> FiguresJson {
        let shown = maths::breakdown_shown(f.complaints);
        FiguresJson {
            by_kind: shown.then(|| counts(Kind::ALL, Kind::as_str, |k| f.kind_count(k))),
            claims: ClaimsJson {
                by_outcome: shown
                    .then(|| counts(Outcome::ALL, Outcome::as_str, |o| f.outcome_count(o))),
                by_state: shown
                    .then(|| counts(ClaimState::ALL, ClaimState::as_str, |s| f.state_count(s))),
                claimed: shown.then(|| money_json(&f.claimed)),
                received: shown.then(|| money_json(&f.received)),
                resolved: shown.then(|| f.resolved()),
                total: shown.then_some(f.claims),
            },
            complaints: f.complaints,
        }
    }
}

/// One month of a provider's figures.
#[derive(serde::Serialize)]
pub(super) struct MonthJson<'a> {
    #[serde(flatten)]
    figures: FiguresJson,
    month: &'a str,
}

/// A provider's published figures; in the answer about one provider, with its months and
/// its resellers too.
#[derive(serde::Serialize)]
pub struct PublishedJson<'a> {
    #[serde(flatten)]
    figures: FiguresJson,
    country: &'a str,
    median_days_to_resolution: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    months: Option<Vec<MonthJson<'a>>>,
    name: &'a str,
    network: Option<&'a str>,
    per_100k: Option<f64>,
    per_100k_interval: Option<[f64; 2]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    resellers: Option<Vec<PublishedJson<'a>>>,
    resolution_rate_percent: Option<i64>,
    slug: &'a str,
    subscribers: Option<i64>,
    timely_answer_percent: Option<i64>,
}

impl<'a> From<&'a Published> for PublishedJson<'a> {
    fn from(r: &'a Published) -> PublishedJson<'a> {
        PublishedJson {
            figures: FiguresJson::from(&r.f),
            country: &r.provider.country,
            median_days_to_resolution: r.median_days,
            months: None,
            name: &r.provider.name,
            network: r.network.as_ref().map(|n| n.slug.as_str()),
            per_100k: r.rate.map(|x| x.per_100k),
            per_100k_interval: r.rate.map(|x| [x.low, x.high]),
            resellers: None,
            resolution_rate_percent: r.resolution_percent,
            slug: &r.provider.slug,
            subscribers: r.provider.subscribers,
            timely_answer_percent: r.timely_percent,
        }
    }
}

impl<'a> From<&'a Detail> for PublishedJson<'a> {
    fn from(d: &'a Detail) -> PublishedJson<'a> {
        let months = d
            .months
            .iter()
            .map(|(month, f)| MonthJson {
                figures: FiguresJson::from(f),
                month,
            })
            .collect();
        PublishedJson {
            months: Some(months),
            resellers: Some(d.resellers.iter().map(PublishedJson::from).collect()),
            ..PublishedJson::from(&d.main)
        }
    }
}

/// The selection an answer is about.
#[derive(serde::Serialize)]
pub(super) struct FiltersJson<'a> {
    country: Option<&'a str>,
    from: Option<&'a str>,
    kind: Option<&'static str>,
    to: Option<&'a str>,
}

impl<'a> From<&'a Filter> for FiltersJson<'a> {
    fn from(filter: &'a Filter) -> FiltersJson<'a> {
        FiltersJson {
            country: filter.country.as_deref(),
            from: filter.from.as_deref(),
            kind: filter.kind.map(|k| k.as_str()),
            to: filter.to.as_deref(),
        }
    }
}

/// The envelope of every statistics answer; the figures inside are made once per version.
#[derive(serde::Serialize)]
pub(super) struct Envelope<'a> {
    generated_at: String,
    filters: FiltersJson<'a>,
    min_volume: i64,
    min_breakdown_volume: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    providers: Option<&'a RawValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    provider: Option<&'a RawValue>,
}

impl<'a> Envelope<'a> {
    fn new(filter: &'a Filter) -> Envelope<'a> {
        Envelope {
            generated_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            filters: FiltersJson::from(filter),
            min_volume: MIN_VOLUME,
            min_breakdown_volume: maths::MIN_BREAKDOWN,
            providers: None,
            provider: None,
        }
    }

    fn body(&self) -> Result<RawJson<String>, ApiError> {
        serde_json::to_string(self)
            .map(RawJson)
            .map_err(|e| AppError::Internal(e.to_string()).into())
    }
}

pub(super) fn raw_json(value: &impl serde::Serialize) -> Result<Box<RawValue>, AppError> {
    serde_json::value::to_raw_value(value).map_err(|e| AppError::Internal(e.to_string()))
}

#[get("/api/v1/stats/providers?<params..>")]
pub async fn api_providers(
    params: Params,
    db: &State<Db>,
    cache: &State<StatsCache>,
) -> Result<RawJson<String>, ApiError> {
    let filter = api_filter(&params)?;
    let (rows, version) = cached_published(cache, db, &filter).await?;
    let providers = cache.made(&cache.providers_json, filter.clone(), version, || {
        raw_json(&rows.iter().map(PublishedJson::from).collect::<Vec<_>>())
    })?;
    Envelope {
        providers: Some(&providers),
        ..Envelope::new(&filter)
    }
    .body()
}

#[get("/api/v1/stats/providers/<slug>?<params..>")]
pub async fn api_provider(
    slug: &str,
    params: Params,
    db: &State<Db>,
    cache: &State<StatsCache>,
) -> Result<RawJson<String>, ApiError> {
    let filter = api_filter(&params)?;
    let (d, version) = cached_detail(cache, db, slug, &filter).await?;
    let json_key = (slug.to_string(), filter.clone());
    let provider = cache.made(&cache.provider_json, json_key, version, || {
        raw_json(&PublishedJson::from(&*d))
    })?;
    Envelope {
        provider: Some(&provider),
        ..Envelope::new(&filter)
    }
    .body()
}

pub const OPENAPI: &str = include_str!("../openapi.json");

#[get("/api/v1/openapi.json")]
pub fn openapi() -> RawJson<&'static str> {
    RawJson(OPENAPI)
}

#[rocket::catch(default)]
pub fn api_catcher(status: Status, _req: &rocket::Request<'_>) -> ApiError {
    ApiError(
        status,
        if status == Status::NotFound {
            "not found"
        } else {
            "the request could not be answered"
        },
    )
}
