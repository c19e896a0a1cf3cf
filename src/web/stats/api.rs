//! The JSON open-data API: typed answers, JSON errors, the OpenAPI document.

use std::collections::BTreeMap;

use rocket::http::Status;
use rocket::http::uri::Origin;
use rocket::response::Responder;
use rocket::response::content::RawJson;
use rocket::{State, get};
use serde_json::value::RawValue;

use super::*;
use crate::db::Db;
use crate::domain::claim::{Outcome, State as ClaimState};
use crate::domain::complaint::Kind;
use crate::domain::provider_answer::{Reply, ResponseType};
use crate::domain::stats::{self as maths, MIN_VOLUME};
use crate::domain::tally::{Figures, PortalFigures};
use crate::store::providers::Provider;
use crate::store::stats::Filter;
use crate::store::stats::{Detail, PortalShares, Published};
use crate::web::errors::AppError;
use crate::web::open_data::{MethodRefused, Versioned, public_cache, unknown_method};
use crate::web::query::{Empty, ParamError, Spec};
use crate::web::stats_cache::{StatsCache, Version};

/// JSON errors are JSON: `{"error": "…"}` with the status, and the parameter at fault
/// when a query string is refused.
pub struct ApiError(pub Status, pub &'static str);

#[derive(serde::Serialize)]
pub(super) struct ErrorJson {
    error: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    parameter: Option<String>,
}

fn json_error(
    req: &rocket::Request<'_>,
    status: Status,
    body: &ErrorJson,
) -> rocket::response::Result<'static> {
    let body = serde_json::to_string(body).map_err(|_| Status::InternalServerError)?;
    rocket::Response::build_from(RawJson(body).respond_to(req)?)
        .status(status)
        .ok()
}

impl<'r> rocket::response::Responder<'r, 'static> for ApiError {
    fn respond_to(self, req: &'r rocket::Request<'_>) -> rocket::response::Result<'static> {
        let body = ErrorJson {
            error: self.1.to_string(),
            parameter: None,
        };
        json_error(req, self.0, &body)
    }
}

/// A refused query string, as the API answers it.
pub struct ApiParamError(pub ParamError);

impl<'r> rocket::response::Responder<'r, 'static> for ApiParamError {
    fn respond_to(self, req: &'r rocket::Request<'_>) -> rocket::response::Result<'static> {
        let body = ErrorJson {
            error: self.0.plain(),
            parameter: Some(self.0.name),
        };
        json_error(req, Status::BadRequest, &body)
    }
}

/// What an API route answers when it cannot give the figures.
#[derive(rocket::Responder)]
pub enum ApiRefusal {
    Params(ApiParamError),
    Failed(ApiError),
}

impl From<ApiError> for ApiRefusal {
    fn from(e: ApiError) -> Self {
        ApiRefusal::Failed(e)
    }
}

impl From<AppError> for ApiRefusal {
    fn from(e: AppError) -> Self {
        ApiRefusal::Failed(e.into())
    }
}

impl From<ParamError> for ApiRefusal {
    fn from(e: ParamError) -> Self {
        ApiRefusal::Params(ApiParamError(e))
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

/// The filter of an API query string: strict, empty values refused.
pub fn api_filter(uri: &Origin<'_>, specs: &[Spec]) -> Result<Filter, ParamError> {
    Params::parse(uri, specs, Empty::Refuse)?.filter()
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
    /// The resolved claims the median is taken from.
    median_days_base: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    months: Option<Vec<MonthJson<'a>>>,
    name: &'a str,
    network: Option<&'a str>,
    per_100k: Option<f64>,
    per_100k_interval: Option<[f64; 2]>,
    /// What happened on Recours itself; null where the breakdown is hidden.
    recours_portal: Option<PortalJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    resellers: Option<Vec<PublishedJson<'a>>>,
    resolution_rate_percent: Option<i64>,
    slug: &'a str,
    subscribers: Option<i64>,
    /// The claims whose answer deadline has passed: the timely share's base.
    timely_answer_base: Option<i64>,
    timely_answer_percent: Option<i64>,
}

impl<'a> From<&'a Published> for PublishedJson<'a> {
    fn from(r: &'a Published) -> PublishedJson<'a> {
        PublishedJson {
            figures: FiguresJson::from(&r.f),
            country: &r.provider.country,
            median_days_to_resolution: r.median_days,
            median_days_base: r.breakdown().map(|f| f.median_base()),
            months: None,
            name: &r.provider.name,
            network: r.network.as_ref().map(|n| n.slug.as_str()),
            per_100k: r.rate.map(|x| x.per_100k),
            per_100k_interval: r.rate.map(|x| [x.low, x.high]),
            recours_portal: r.breakdown().map(|f| PortalJson::of(&f.portal, &r.portal)),
            resellers: None,
            resolution_rate_percent: r.resolution_percent,
            slug: &r.provider.slug,
            subscribers: r.provider.subscribers,
            timely_answer_base: r.breakdown().map(|f| f.timeliness_base()),
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

/// The claims sent through Recours, from the portal's own record (never from what the
/// subscribers typed); each percentage null below the minimum volume of its base.
#[derive(serde::Serialize)]
pub(super) struct PortalJson {
    accepted: i64,
    answered: i64,
    answered_in_time: i64,
    by_response: BTreeMap<&'static str, i64>,
    disputed: i64,
    disputed_percent: Option<i64>,
    in_progress: i64,
    median_days_base: i64,
    median_days_to_answer: Option<i64>,
    sent: i64,
    timely_answer_base: i64,
    timely_answer_percent: Option<i64>,
}

impl PortalJson {
    pub(super) fn of(f: &PortalFigures, shares: &PortalShares) -> PortalJson {
        PortalJson {
            accepted: f.reply_count(Reply::Accepted),
            answered: f.answered(),
            answered_in_time: f.answered_in_time,
            by_response: counts(ResponseType::CLOSING, ResponseType::as_str, |t| {
                f.response_count(t)
            }),
            disputed: f.reply_count(Reply::Disputed),
            disputed_percent: shares.disputed_percent,
            in_progress: f.in_progress,
            median_days_base: f.median_base(),
            median_days_to_answer: shares.median_days,
            sent: f.sent,
            timely_answer_base: f.timeliness_base(),
            timely_answer_percent: shares.timely_percent,
        }
    }
}

/// The selection an answer is about; an empty list selects everything.
#[derive(serde::Serialize)]
pub(super) struct FiltersJson<'a> {
    country: Vec<&'a str>,
    from: Option<&'a str>,
    kind: Vec<&'static str>,
    network: Vec<&'a str>,
    period: Option<&'static str>,
    provider: Vec<&'a str>,
    sort: String,
    to: Option<&'a str>,
}

impl<'a> From<&'a Filter> for FiltersJson<'a> {
    fn from(filter: &'a Filter) -> FiltersJson<'a> {
        FiltersJson {
            country: filter.countries.iter().map(String::as_str).collect(),
            from: filter.from.as_deref(),
            kind: filter.kinds.iter().map(|k| k.as_str()).collect(),
            network: filter.networks.iter().map(String::as_str).collect(),
            period: filter.period.map(|p| p.as_str()),
            provider: filter.providers.iter().map(String::as_str).collect(),
            sort: filter.sort.param(),
            to: filter.to.as_deref(),
        }
    }
}

/// The months a selection's figures cover, both inclusive.
#[derive(serde::Serialize)]
pub(super) struct PeriodJson<'a> {
    from: &'a str,
    to: &'a str,
}

fn period_json(period: &Option<(String, String)>) -> Option<PeriodJson<'_>> {
    period.as_ref().map(|(from, to)| PeriodJson { from, to })
}

/// The envelope of every statistics answer; the figures inside are made once per version.
#[derive(serde::Serialize)]
pub(super) struct Envelope<'a> {
    data_version: i64,
    generated_at: String,
    filters: FiltersJson<'a>,
    min_volume: i64,
    min_breakdown_volume: i64,
    /// What every rate and count covers.
    period: Option<PeriodJson<'a>>,
    /// The month in progress: its figures are not final.
    current_month: String,
    /// The slugs of the providers a country, network or provider selection includes, or
    /// null.
    included: Option<Vec<&'a str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    providers: Option<&'a RawValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    provider: Option<&'a RawValue>,
}

impl<'a> Envelope<'a> {
    fn new(
        filter: &'a Filter,
        version: Version,
        period: &'a Option<(String, String)>,
        included: &'a [Provider],
    ) -> Envelope<'a> {
        Envelope {
            data_version: version.data_version(),
            generated_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            filters: FiltersJson::from(filter),
            min_volume: MIN_VOLUME,
            min_breakdown_volume: maths::MIN_BREAKDOWN,
            period: period_json(period),
            current_month: this_month(),
            included: filter
                .selects_providers()
                .then(|| included.iter().map(|p| p.slug.as_str()).collect()),
            providers: None,
            provider: None,
        }
    }

    fn body(&self, version: Version) -> Result<Versioned<RawJson<String>>, ApiRefusal> {
        serde_json::to_string(self)
            .map(|body| Versioned {
                inner: RawJson(body),
                version,
            })
            .map_err(|e| AppError::Internal(e.to_string()).into())
    }
}

pub(super) fn raw_json(value: &impl serde::Serialize) -> Result<Box<RawValue>, AppError> {
    serde_json::value::to_raw_value(value).map_err(|e| AppError::Internal(e.to_string()))
}

#[get("/api/v1/stats/providers")]
pub async fn api_providers(
    uri: &Origin<'_>,
    db: &State<Db>,
    cache: &State<StatsCache>,
) -> Result<Versioned<RawJson<String>>, ApiRefusal> {
    let filter = api_filter(uri, LIST)?;
    let (ranking, version) = cached_published(cache, db, &filter).await?;
    let providers = cache.made(&cache.providers_json, filter.clone(), version, || {
        raw_json(
            &ranking
                .rows
                .iter()
                .map(PublishedJson::from)
                .collect::<Vec<_>>(),
        )
    })?;
    Envelope {
        providers: Some(&providers),
        ..Envelope::new(&filter, version, &ranking.period, &ranking.included)
    }
    .body(version)
}

#[get("/api/v1/stats/providers/<slug>")]
pub async fn api_provider(
    slug: &str,
    uri: &Origin<'_>,
    db: &State<Db>,
    cache: &State<StatsCache>,
) -> Result<Versioned<RawJson<String>>, ApiRefusal> {
    let filter = api_filter(uri, DETAIL)?;
    let (d, version) = cached_detail(cache, db, slug, &filter).await?;
    let json_key = (slug.to_string(), filter.clone());
    let provider = cache.made(&cache.provider_json, json_key, version, || {
        raw_json(&PublishedJson::from(&*d))
    })?;
    Envelope {
        provider: Some(&provider),
        ..Envelope::new(&filter, version, &d.period, &d.included)
    }
    .body(version)
}

pub const OPENAPI: &str = include_str!("../openapi.json");

/// The OpenAPI document, the same bytes for everyone.
#[derive(rocket::Responder)]
pub struct Document {
    body: RawJson<&'static str>,
    cache: rocket::http::Header<'static>,
}

#[get("/api/v1/openapi.json")]
pub fn openapi(uri: &Origin<'_>) -> Result<Document, ApiRefusal> {
    Params::parse(uri, &[], Empty::Refuse)?;
    Ok(Document {
        body: RawJson(OPENAPI),
        cache: public_cache(),
    })
}

#[rocket::catch(default)]
pub fn api_catcher(status: Status, req: &rocket::Request<'_>) -> Result<ApiError, MethodRefused> {
    if let Some(refused) = unknown_method(status, req) {
        return Err(refused);
    }
    Ok(ApiError(
        status,
        if status == Status::NotFound {
            "not found"
        } else {
            "the request could not be answered"
        },
    ))
}
