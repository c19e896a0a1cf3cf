//! The statistics pages: the providers' ranking and one provider in detail.

use std::collections::BTreeMap;

use askama::Template;
use rocket::http::Status;
use rocket::http::uri::Origin;
use rocket::response::Redirect;
use rocket::{State, get};

use std::sync::Arc;

use super::*;
use crate::db::Db;
use crate::domain::complaint::Kind;
use crate::domain::money::Currency;
use crate::domain::stats::{self as maths, MIN_VOLUME, Rate};
use crate::store::stats::Filter;
use crate::store::stats::{self as store};
use crate::store::stats::{Detail, Published, published};
use crate::web::errors::AppError;
use crate::web::page::{Choice, Page, Reply, render};
use crate::web::query::{Empty, ParamError, Problem, Spec};
use crate::web::stats_cache::StatsCache;

pub struct FilterForm {
    pub kinds: Vec<Choice>,
}

pub fn filter_form(p: &Page) -> FilterForm {
    FilterForm {
        kinds: crate::web::complaints::choices(p, "kind", Kind::ALL.iter().map(|k| k.as_str())),
    }
}

/// The message of a refused query string, with the parameter's name in it.
pub fn param_message(p: &Page, e: &ParamError) -> String {
    p.t_with(e.message_key(), "name", e.name.as_str())
}

/// The message to show beside the field `name` of the filters, when it is at fault.
pub fn field_error(p: &Page, problem: &Option<ParamError>, name: &str) -> Option<String> {
    problem
        .as_ref()
        .filter(|e| e.name == name)
        .map(|e| param_message(p, e))
}

/// A statistics page's parameters; a query string with empty values (what the filters'
/// own form sends for the fields left blank) is sent on to the same page without them.
pub(super) fn page_params(uri: &Origin<'_>, specs: &[Spec]) -> Result<Params, PageParams> {
    match Params::parse(uri, specs, Empty::Refuse) {
        Ok(params) => Ok(params),
        Err(e) if e.problem == Problem::Empty => match Params::parse(uri, specs, Empty::Skip) {
            Ok(params) => Err(PageParams::Redirect(Redirect::to(format!(
                "{}{}",
                uri.path(),
                params.query()
            )))),
            Err(e) => Err(PageParams::Refused(e)),
        },
        Err(e) => Err(PageParams::Refused(e)),
    }
}

pub(super) enum PageParams {
    Redirect(Redirect),
    Refused(ParamError),
}

#[derive(Template)]
#[template(path = "stats/index.html")]
pub(super) struct IndexView {
    p: Page,
    params: Params,
    form: FilterForm,
    problem: Option<ParamError>,
    /// The table and the chart, as `IndexFigures` made them.
    figures: Arc<String>,
    min_volume: i64,
}

#[derive(Template)]
#[template(path = "stats/index_figures.html")]
pub(super) struct IndexFigures<'a> {
    p: &'a Page,
    params: Params,
    rows: &'a [Published],
    bars: Vec<Bar>,
    chart_width: i64,
}

impl IndexView {
    fn field_error(&self, name: &str) -> Option<String> {
        field_error(&self.p, &self.problem, name)
    }

    fn problem_message(&self) -> String {
        self.problem
            .as_ref()
            .map(|e| param_message(&self.p, e))
            .unwrap_or_default()
    }
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

pub(super) fn localise(p: &Page, number: &str) -> String {
    if p.lang == crate::web::i18n::Lang::Fr {
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

#[get("/stats")]
pub async fn index(
    p: Page,
    uri: &Origin<'_>,
    db: &State<Db>,
    cache: &State<StatsCache>,
) -> Result<Reply, AppError> {
    let form = filter_form(&p);
    let parsed = match page_params(uri, LIST) {
        Ok(params) => params.filter().map(|f| (params, f)),
        Err(PageParams::Redirect(to)) => return Ok(Reply::Redirect(to)),
        Err(PageParams::Refused(e)) => Err(e),
    };
    let (params, filter) = match parsed {
        Ok(found) => found,
        Err(e) => {
            let view = IndexView {
                p,
                params: Params::default(),
                form,
                problem: Some(e),
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
pub(super) struct ProviderView {
    p: Page,
    params: Params,
    form: FilterForm,
    problem: Option<ParamError>,
    d: Arc<Detail>,
    /// What `ProviderFigures` made.
    figures: Arc<String>,
    min_volume: i64,
}

#[derive(Template)]
#[template(path = "stats/provider_figures.html")]
pub(super) struct ProviderFigures<'a> {
    p: &'a Page,
    params: Params,
    d: &'a Detail,
    bars: Vec<Bar>,
    chart_width: i64,
}

impl ProviderView {
    fn field_error(&self, name: &str) -> Option<String> {
        field_error(&self.p, &self.problem, name)
    }

    fn problem_message(&self) -> String {
        self.problem
            .as_ref()
            .map(|e| param_message(&self.p, e))
            .unwrap_or_default()
    }
}

impl ProviderFigures<'_> {
    fn rate(&self, r: &Option<Rate>) -> String {
        rate_text(self.p, r)
    }
}

#[get("/stats/providers/<slug>")]
pub async fn provider(
    p: Page,
    slug: &str,
    uri: &Origin<'_>,
    db: &State<Db>,
    cache: &State<StatsCache>,
) -> Result<Reply, AppError> {
    let parsed = match page_params(uri, DETAIL) {
        Ok(params) => params.filter().map(|f| (params, f)),
        Err(PageParams::Redirect(to)) => return Ok(Reply::Redirect(to)),
        Err(PageParams::Refused(e)) => Err(e),
    };
    let (params, filter) = match parsed {
        Ok(found) => found,
        Err(e) => {
            // The provider's page, without figures, with what is wrong in the filters.
            let (d, _) = cached_detail(cache, db, slug, &Filter::default()).await?;
            let view = ProviderView {
                form: filter_form(&p),
                p,
                params: Params::default(),
                problem: Some(e),
                d,
                figures: Arc::default(),
                min_volume: MIN_VOLUME,
            };
            return render(&view, Status::BadRequest);
        }
    };
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
            problem: None,
            d,
            figures: html,
            min_volume: MIN_VOLUME,
        },
        Status::Ok,
    )
}
