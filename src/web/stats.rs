//! Public statistics per provider: pages, CSV and the JSON open-data API, all read from the
//! counters (never from the complaints).

use std::collections::BTreeMap;

use askama::Template;
use rocket::http::{ContentType, Header, Status};
use rocket::response::content::RawJson;
use rocket::{State, get};
use serde_json::value::RawValue;
use serde_json::{Value, json};

use std::sync::Arc;

use super::csv_sheet::{Cell, Sheet};
use super::page::{Choice, Page, Reply, render};
use super::stats_cache::{StatsCache, Version};
use crate::db::Db;
use crate::domain::claim::{Outcome, State as ClaimState};
use crate::domain::complaint::Kind;
use crate::domain::money::Currency;
use crate::domain::stats::{self as maths, MIN_VOLUME, Rate};
use crate::domain::tally::{Figures, parse_month};
use crate::store::stats::{self as store, Filter};
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

// ---- Pages ---------------------------------------------------------------------------

/// A bar of the monthly chart, in SVG units.
pub struct Bar {
    pub x: i64,
    pub y: i64,
    pub height: i64,
    pub month: String,
    pub value: i64,
}

pub const CHART_HEIGHT: i64 = 160;
pub const BAR_STEP: i64 = 28;

pub fn bars(months: &[(String, i64)]) -> Vec<Bar> {
    let max = months.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1);
    months
        .iter()
        .enumerate()
        .map(|(i, (month, value))| {
            let height = value * CHART_HEIGHT / max;
            Bar {
                x: i as i64 * BAR_STEP + 4,
                y: CHART_HEIGHT - height + 10,
                height,
                month: month.clone(),
                value: *value,
            }
        })
        .collect()
}

pub struct FilterForm {
    pub kinds: Vec<Choice>,
}

pub fn filter_form(p: &Page) -> FilterForm {
    FilterForm {
        kinds: super::complaints::choices(p, "kind", Kind::ALL.iter().map(|k| k.as_str())),
    }
}

#[derive(Template)]
#[template(path = "stats/index.html")]
struct IndexView {
    p: Page,
    params: Params,
    form: FilterForm,
    problem: Option<&'static str>,
    /// The table and the chart, as `IndexFigures` made them.
    figures: Arc<String>,
    min_volume: i64,
}

#[derive(Template)]
#[template(path = "stats/index_figures.html")]
struct IndexFigures<'a> {
    p: &'a Page,
    params: Params,
    rows: &'a [Published],
    bars: Vec<Bar>,
    chart_width: i64,
}

impl IndexFigures<'_> {
    fn rate(&self, r: &Option<Rate>) -> String {
        rate_text(self.p, r)
    }
}

pub fn rate_text(p: &Page, r: &Option<Rate>) -> String {
    match r {
        Some(r) => p.t_with_many(
            "stats-rate-value",
            &[
                ("rate", localise(p, &maths::format_rate(r.per_100k))),
                ("low", localise(p, &maths::format_rate(r.low))),
                ("high", localise(p, &maths::format_rate(r.high))),
            ],
        ),
        None => p.t("stats-hidden"),
    }
}

fn localise(p: &Page, number: &str) -> String {
    if p.lang == super::i18n::Lang::Fr {
        number.replace('.', ",")
    } else {
        number.to_string()
    }
}

/// Sums per currency, as `89.50 EUR + 12.00 MAD`, or "—".
pub fn money_list(p: &Page, sums: &BTreeMap<String, i64>) -> String {
    let parts: Vec<String> = sums
        .iter()
        .filter(|(_, v)| **v != 0)
        .filter_map(|(c, v)| Currency::parse(c).map(|c| p.money(*v, c)))
        .collect();
    if parts.is_empty() {
        "—".to_string()
    } else {
        parts.join(" + ")
    }
}

#[get("/stats?<params..>")]
pub async fn index(
    p: Page,
    params: Params,
    db: &State<Db>,
    cache: &State<StatsCache>,
) -> Result<Reply, AppError> {
    let form = filter_form(&p);
    let filter = match params.filter() {
        Ok(f) => f,
        Err(key) => {
            let view = IndexView {
                p,
                params,
                form,
                problem: Some(key),
                figures: Arc::default(),
                min_volume: MIN_VOLUME,
            };
            return render(&view, Status::BadRequest);
        }
    };
    let wanted = filter.clone();
    let (figures, version) = cache
        .get(db, &cache.index, filter.clone(), move |conn| {
            Ok((
                published(conn, &wanted)?,
                store::complaints_by_month(conn, &wanted)?,
            ))
        })
        .await?;
    let html_key = (filter.clone(), p.lang);
    let html = cache.made(&cache.index_html, html_key, version, || {
        let (rows, months) = (&figures.0, &figures.1);
        let bars = bars(
            &months
                .iter()
                .map(|(m, n)| (m.clone(), *n))
                .collect::<Vec<_>>(),
        );
        rendered(&IndexFigures {
            p: &p,
            params: Params::of(&filter),
            rows,
            chart_width: bars.len() as i64 * BAR_STEP + 8,
            bars,
        })
    })?;
    render(
        &IndexView {
            p,
            params,
            form,
            problem: None,
            figures: html,
            min_volume: MIN_VOLUME,
        },
        Status::Ok,
    )
}

#[derive(Template)]
#[template(path = "stats/provider.html")]
struct ProviderView {
    p: Page,
    params: Params,
    form: FilterForm,
    d: Arc<Detail>,
    /// What `ProviderFigures` made.
    figures: Arc<String>,
    min_volume: i64,
}

#[derive(Template)]
#[template(path = "stats/provider_figures.html")]
struct ProviderFigures<'a> {
    p: &'a Page,
    params: Params,
    d: &'a Detail,
    bars: Vec<Bar>,
    chart_width: i64,
}

impl ProviderFigures<'_> {
    fn rate(&self, r: &Option<Rate>) -> String {
        rate_text(self.p, r)
    }
}

#[get("/stats/providers/<slug>?<params..>")]
pub async fn provider(
    p: Page,
    slug: &str,
    params: Params,
    db: &State<Db>,
    cache: &State<StatsCache>,
) -> Result<Reply, AppError> {
    let filter = params.filter().map_err(AppError::BadRequest)?;
    let (d, version) = cached_detail(cache, db, slug, &filter).await?;
    let html_key = (slug.to_string(), filter.clone(), p.lang);
    let html = cache.made(&cache.provider_html, html_key, version, || {
        let totals: Vec<(String, i64)> = d
            .months
            .iter()
            .map(|(m, f)| (m.clone(), f.complaints))
            .collect();
        let bars = bars(&totals);
        rendered(&ProviderFigures {
            p: &p,
            params: Params::of(&filter),
            d: &d,
            chart_width: bars.len() as i64 * BAR_STEP + 8,
            bars,
        })
    })?;
    let form = filter_form(&p);
    render(
        &ProviderView {
            p,
            params,
            form,
            d,
            figures: html,
            min_volume: MIN_VOLUME,
        },
        Status::Ok,
    )
}

// ---- CSV -----------------------------------------------------------------------------

#[derive(rocket::Responder)]
pub struct Download {
    body: Vec<u8>,
    content_type: ContentType,
    disposition: Header<'static>,
}

pub fn csv_download(body: Vec<u8>, filename: &str) -> Download {
    Download {
        body,
        content_type: ContentType::new("text", "csv").with_params(("charset", "utf-8")),
        disposition: Header::new(
            "Content-Disposition",
            format!("attachment; filename=\"{filename}\""),
        ),
    }
}

/// The providers' figures as CSV (RFC 4180, a header row, money in minor units); the
/// breakdown cells are empty where the selection is too small to show them.
pub fn providers_csv(rows: &[Published]) -> Result<Vec<u8>, AppError> {
    let mut header: Vec<String> = [
        "slug",
        "name",
        "country",
        "network",
        "subscribers",
        "complaints",
        "per_100k",
        "per_100k_low",
        "per_100k_high",
    ]
    .map(String::from)
    .to_vec();
    header.extend(Kind::ALL.iter().map(|k| k.as_str().to_string()));
    header.push("claims".into());
    header.extend(
        ClaimState::ALL
            .iter()
            .map(|s| format!("state_{}", s.as_str())),
    );
    header.extend(Outcome::ALL.iter().map(|o| o.as_str().to_string()));
    for c in Currency::ALL {
        header.push(format!("claimed_{}", c.code()));
        header.push(format!("received_{}", c.code()));
    }
    header.extend(
        [
            "resolution_rate_percent",
            "median_days_to_resolution",
            "timely_answer_percent",
        ]
        .map(String::from),
    );
    let mut sheet = Sheet::new(&header)?;
    for r in rows {
        let rate = |x: fn(&Rate) -> f64| {
            Cell::Number(
                r.rate
                    .as_ref()
                    .map(|v| maths::format_rate(x(v)))
                    .unwrap_or_default(),
            )
        };
        let mut record = vec![
            Cell::text(&r.provider.slug),
            Cell::text(&r.provider.name),
            Cell::text(&r.provider.country),
            Cell::text(r.network.as_ref().map(|n| n.slug.as_str()).unwrap_or("")),
            Cell::opt(r.provider.subscribers),
            Cell::int(r.f.complaints),
            rate(|v| v.per_100k),
            rate(|v| v.low),
            rate(|v| v.high),
        ];
        // Empty cells where the selection is too small for its breakdown.
        let shown = |n: &dyn Fn(&Figures) -> i64| Cell::opt(r.breakdown().map(n));
        record.extend(Kind::ALL.iter().map(|k| shown(&|f| f.kind_count(*k))));
        record.push(shown(&|f| f.claims));
        record.extend(
            ClaimState::ALL
                .iter()
                .map(|s| shown(&|f| f.state_count(*s))),
        );
        record.extend(Outcome::ALL.iter().map(|o| shown(&|f| f.outcome_count(*o))));
        for c in Currency::ALL {
            let sum = |m: &BTreeMap<String, i64>| m.get(c.code()).copied().unwrap_or(0);
            record.push(shown(&|f| sum(&f.claimed)));
            record.push(shown(&|f| sum(&f.received)));
        }
        record.extend([
            Cell::opt(r.resolution_percent),
            Cell::opt(r.median_days),
            Cell::opt(r.timely_percent),
        ]);
        sheet.row(&record)?;
    }
    sheet.finish()
}

#[get("/stats/providers.csv?<params..>")]
pub async fn download_csv(
    params: Params,
    db: &State<Db>,
    cache: &State<StatsCache>,
) -> Result<Download, AppError> {
    let filter = params.filter().map_err(AppError::BadRequest)?;
    let (rows, version) = cached_published(cache, db, &filter).await?;
    let body = cache.made(&cache.providers_csv, filter, version, || {
        providers_csv(&rows)
    })?;
    Ok(csv_download(body.to_vec(), "recours-providers.csv"))
}

// ---- JSON API ------------------------------------------------------------------------

/// JSON errors are JSON: `{"error": "…"}` with the status.
pub struct ApiError(pub Status, pub &'static str);

impl<'r> rocket::response::Responder<'r, 'static> for ApiError {
    fn respond_to(self, req: &'r rocket::Request<'_>) -> rocket::response::Result<'static> {
        let body = json!({ "error": self.1 }).to_string();
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

fn api_filter(params: &Params) -> Result<Filter, ApiError> {
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

fn money_json(sums: &BTreeMap<String, i64>) -> Value {
    Value::Object(
        sums.iter()
            .filter(|(_, v)| **v != 0)
            .map(|(c, v)| (c.clone(), json!(v)))
            .collect(),
    )
}

/// A selection's figures; everything but the number of complaints is null where the
/// selection is too small to show its breakdown.
pub fn figures_json(f: &Figures) -> Value {
    let shown = maths::breakdown_shown(f.complaints);
    let or_null = |v: Value| if shown { v } else { Value::Null };
    json!({
        "complaints": f.complaints,
        "by_kind": or_null(Value::Object(Kind::ALL.iter().map(|k| (k.as_str().to_string(), json!(f.kind_count(*k)))).collect())),
        "claims": {
            "total": or_null(json!(f.claims)),
            "by_state": or_null(Value::Object(ClaimState::ALL.iter().map(|s| (s.as_str().to_string(), json!(f.state_count(*s)))).collect())),
            "resolved": or_null(json!(f.resolved())),
            "by_outcome": or_null(Value::Object(Outcome::ALL.iter().map(|o| (o.as_str().to_string(), json!(f.outcome_count(*o)))).collect())),
            "claimed": or_null(money_json(&f.claimed)),
            "received": or_null(money_json(&f.received)),
        },
    })
}

pub fn published_json(r: &Published) -> Value {
    let mut v = figures_json(&r.f);
    let extra = json!({
        "slug": r.provider.slug,
        "name": r.provider.name,
        "country": r.provider.country,
        "network": r.network.as_ref().map(|n| n.slug.clone()),
        "subscribers": r.provider.subscribers,
        "per_100k": r.rate.map(|x| x.per_100k),
        "per_100k_interval": r.rate.map(|x| [x.low, x.high]),
        "resolution_rate_percent": r.resolution_percent,
        "median_days_to_resolution": r.median_days,
        "timely_answer_percent": r.timely_percent,
    });
    if let (Value::Object(base), Value::Object(more)) = (&mut v, extra) {
        base.extend(more);
    }
    v
}

fn filters_json(filter: &Filter) -> Value {
    json!({
        "from": filter.from,
        "to": filter.to,
        "kind": filter.kind.map(|k| k.as_str()),
        "country": filter.country,
    })
}

/// The envelope of every statistics answer; the figures inside are made once per version.
#[derive(serde::Serialize)]
struct Envelope<'a> {
    generated_at: String,
    filters: Value,
    min_volume: i64,
    min_breakdown_volume: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    providers: Option<&'a RawValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    provider: Option<&'a RawValue>,
}

impl<'a> Envelope<'a> {
    fn new(filter: &Filter) -> Envelope<'a> {
        Envelope {
            generated_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            filters: filters_json(filter),
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

fn raw_json(value: &impl serde::Serialize) -> Result<Box<RawValue>, AppError> {
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
        raw_json(&rows.iter().map(published_json).collect::<Vec<_>>())
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
        let mut provider = published_json(&d.main);
        if let Value::Object(o) = &mut provider {
            o.insert(
                "months".into(),
                Value::Array(
                    d.months
                        .iter()
                        .map(|(m, f)| {
                            let mut v = figures_json(f);
                            if let Value::Object(o) = &mut v {
                                o.insert("month".into(), json!(m));
                            }
                            v
                        })
                        .collect(),
                ),
            );
            o.insert(
                "resellers".into(),
                Value::Array(d.resellers.iter().map(published_json).collect()),
            );
        }
        raw_json(&provider)
    })?;
    Envelope {
        provider: Some(&provider),
        ..Envelope::new(&filter)
    }
    .body()
}

pub const OPENAPI: &str = include_str!("openapi.json");

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
