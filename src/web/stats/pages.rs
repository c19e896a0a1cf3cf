//! The statistics pages: the providers' ranking and one provider in detail.

use std::borrow::Borrow;
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
use crate::domain::selection::{Column, Period, Sort};
use crate::domain::stats::{self as maths, MIN_VOLUME, Rate};
use crate::store::stats::{self as store};
use crate::store::stats::{Detail, Filter, FilterChoices, Published};
use crate::web::errors::AppError;
use crate::web::page::{Choice, Page, Reply, render};
use crate::web::query::{Empty, ParamError, Problem, Spec};
use crate::web::stats_cache::StatsCache;

pub struct FilterForm {
    pub kinds: Vec<Choice>,
    pub countries: Vec<Choice>,
    pub networks: Vec<Choice>,
    pub periods: Vec<Choice>,
}

pub fn filter_form(p: &Page, choices: &FilterChoices) -> FilterForm {
    FilterForm {
        kinds: crate::web::complaints::choices(p, "kind", Kind::ALL.iter().map(|k| k.as_str())),
        countries: choices
            .countries
            .iter()
            .map(|c| Choice::new(c, p.country(c)))
            .collect(),
        networks: choices
            .networks
            .iter()
            .map(|n| Choice::new(&n.slug, n.name.clone()))
            .collect(),
        periods: crate::web::complaints::choices(
            p,
            "stats-period",
            Period::ALL.iter().map(|x| x.as_str()),
        ),
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
            Ok(params) => Err(PageParams::Redirect(Box::new(Redirect::to(format!(
                "{}{}",
                uri.path(),
                params.query()
            ))))),
            Err(e) => Err(PageParams::Refused(e)),
        },
        Err(e) => Err(PageParams::Refused(e)),
    }
}

pub(super) enum PageParams {
    Redirect(Box<Redirect>),
    Refused(ParamError),
}

/// A heading of the providers' table: a link that sorts by its column where it has one.
pub struct Heading {
    pub label: String,
    pub href: Option<String>,
    /// `ascending` or `descending` on the column the table is sorted by.
    pub aria_sort: Option<&'static str>,
    pub num: bool,
}

impl Heading {
    /// The arrow beside the sorted column's name (its state is told by `aria-sort`).
    pub fn arrow(&self) -> &'static str {
        match self.aria_sort {
            Some("descending") => " ▼",
            Some(_) => " ▲",
            None => "",
        }
    }
}

/// The providers' table's columns, in their order: the essential ones first, as a phone
/// shows them without scrolling.
pub fn headings(p: &Page, sorting: Option<(&str, &Params, Sort)>, period: &str) -> Vec<Heading> {
    // The rate says which months it covers.
    let rate = if period.is_empty() {
        p.t("stats-per-100k")
    } else {
        format!("{}, {period}", p.t("stats-per-100k"))
    };
    let kind = |k: Kind| (Some(Column::Kind(k)), p.t(p.kind_key(k)));
    let columns = [
        (Some(Column::Name), p.label("provider")),
        (Some(Column::Complaints), p.t("stats-complaints")),
        (Some(Column::Rate), rate),
        (Some(Column::ResolutionRate), p.t("stats-resolved")),
        (Some(Column::Timely), p.t("stats-timely")),
        (Some(Column::MedianDays), p.t("stats-median-days")),
        kind(Kind::ServiceCut),
        kind(Kind::PriceHike),
        kind(Kind::Billing),
        kind(Kind::Other),
        (Some(Column::Claims), p.t("stats-claims")),
        // Sums in several currencies have no one order.
        (None, p.t("stats-claimed")),
        (None, p.t("stats-received")),
    ];
    columns
        .into_iter()
        .map(|(column, label)| {
            let link = column.zip(sorting);
            Heading {
                href: link.map(|(c, (path, params, sort))| {
                    format!("{path}{}", params.sorted(sort.toggle(c)).query())
                }),
                aria_sort: link.and_then(|(c, (_, _, sort))| {
                    (sort.column == c).then_some(if sort.descending {
                        "descending"
                    } else {
                        "ascending"
                    })
                }),
                num: column != Some(Column::Name),
                label,
            }
        })
        .collect()
}

/// "from 2025-12 to 2026-11", the months a rate covers.
pub fn period_text(p: &Page, period: &Option<(String, String)>) -> String {
    match period {
        Some((from, to)) => p.t_with_many(
            "stats-period-covered",
            &[("from", from.clone()), ("to", to.clone())],
        ),
        None => String::new(),
    }
}

/// The providers a country or network selection includes, named on the page.
pub fn included_text(p: &Page, included: &[crate::store::providers::Provider]) -> String {
    let names: Vec<String> = included
        .iter()
        .map(|i| format!("{} ({})", i.name, i.country))
        .collect();
    if names.is_empty() {
        p.t("stats-includes-none")
    } else {
        p.t_with("stats-includes", "providers", names.join(", "))
    }
}

/// The month in progress, `YYYY-MM`.
pub fn this_month() -> String {
    crate::domain::tally::month_of(chrono::Utc::now().date_naive())
}

#[derive(Template)]
#[template(path = "stats/index.html")]
pub(super) struct IndexView {
    p: Page,
    params: Params,
    form: FilterForm,
    problem: Option<ParamError>,
    /// What the selection includes, said above the figures.
    selection: Option<String>,
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
    headings: Vec<Heading>,
    caption: String,
    chart: Chart,
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
    let parsed = match page_params(uri, LIST) {
        Ok(params) => params.filter().map(|f| (params, f)),
        Err(PageParams::Redirect(to)) => return Ok(Reply::Redirect(*to)),
        Err(PageParams::Refused(e)) => Err(e),
    };
    let (params, filter) = match parsed {
        Ok(found) => found,
        Err(e) => {
            let choices = db.run(store::filter_choices).await?;
            let view = IndexView {
                form: filter_form(&p, &choices),
                p,
                params: Params::default(),
                problem: Some(e),
                selection: None,
                figures: Arc::default(),
                min_volume: MIN_VOLUME,
            };
            return render(&view, Status::BadRequest);
        }
    };
    let (ranking, version) = cached_published(cache, db, &filter).await?;
    let month = this_month();
    let html_key = (filter.clone(), p.lang, month.clone());
    let html = cache.made(&cache.index_html, html_key, version, || {
        let params = Params::of(&filter);
        let months: Vec<(String, i64)> = ranking
            .months
            .iter()
            .map(|(m, n)| (m.clone(), *n))
            .collect();
        rendered(&IndexFigures {
            p: &p,
            headings: headings(
                &p,
                Some(("/stats", &params, filter.sort)),
                &period_text(&p, &ranking.period),
            ),
            caption: table_caption(&p, &ranking.period, filter.sort),
            params,
            rows: &ranking.rows,
            chart: chart(&months, &month),
        })
    })?;
    render(
        &IndexView {
            form: filter_form(&p, &ranking.choices),
            selection: filter
                .selects_providers()
                .then(|| included_text(&p, &ranking.included)),
            p,
            params,
            problem: None,
            figures: html,
            min_volume: MIN_VOLUME,
        },
        Status::Ok,
    )
}

/// The table's caption: what it holds, the months, and its order.
fn table_caption(p: &Page, period: &Option<(String, String)>, sort: Sort) -> String {
    let column = headings(p, None, "")
        .into_iter()
        .zip([
            Column::Name,
            Column::Complaints,
            Column::Rate,
            Column::ResolutionRate,
            Column::Timely,
            Column::MedianDays,
            Column::Kind(Kind::ServiceCut),
            Column::Kind(Kind::PriceHike),
            Column::Kind(Kind::Billing),
            Column::Kind(Kind::Other),
            Column::Claims,
        ])
        .find(|(_, c)| *c == sort.column)
        .map(|(h, _)| h.label)
        .unwrap_or_else(|| sort.column.as_str().to_string());
    let order = p.t(if sort.descending {
        "stats-sorted-descending"
    } else {
        "stats-sorted-ascending"
    });
    p.t_with_many(
        "stats-table-caption",
        &[
            ("period", period_text(p, period)),
            ("column", column),
            ("order", order),
        ],
    )
}

#[derive(Template)]
#[template(path = "stats/provider.html")]
pub(super) struct ProviderView {
    p: Page,
    params: Params,
    form: FilterForm,
    problem: Option<ParamError>,
    selection: Option<String>,
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
    chart: Chart,
    period: String,
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
        Err(PageParams::Redirect(to)) => return Ok(Reply::Redirect(*to)),
        Err(PageParams::Refused(e)) => Err(e),
    };
    let (params, filter) = match parsed {
        Ok(found) => found,
        Err(e) => {
            // The provider's page, without figures, with what is wrong in the filters.
            let (d, _) = cached_detail(cache, db, slug, &Filter::default()).await?;
            let view = ProviderView {
                form: filter_form(&p, &d.choices),
                p,
                params: Params::default(),
                problem: Some(e),
                selection: None,
                d,
                figures: Arc::default(),
                min_volume: MIN_VOLUME,
            };
            return render(&view, Status::BadRequest);
        }
    };
    let (d, version) = cached_detail(cache, db, slug, &filter).await?;
    let month = this_month();
    let html_key = (slug.to_string(), filter.clone(), p.lang, month.clone());
    let html = cache.made(&cache.provider_html, html_key, version, || {
        let totals: Vec<(String, i64)> = d
            .months
            .iter()
            .map(|(m, f)| (m.clone(), f.complaints))
            .collect();
        rendered(&ProviderFigures {
            p: &p,
            params: Params::of(&filter),
            d: &d,
            chart: chart(&totals, &month),
            period: period_text(&p, &d.period),
        })
    })?;
    render(
        &ProviderView {
            form: filter_form(&p, &d.choices),
            selection: filter
                .selects_providers()
                .then(|| included_text(&p, &d.included)),
            p,
            params,
            problem: None,
            d,
            figures: html,
            min_volume: MIN_VOLUME,
        },
        Status::Ok,
    )
}

/// A share with its base, as "12 of 30 (40 %)"; the percentage only where its base
/// reaches the minimum volume.
pub fn share_text(
    p: &Page,
    part: impl Borrow<i64>,
    base: impl Borrow<i64>,
    percent: impl Borrow<Option<i64>>,
) -> String {
    let (part, base, percent) = (*part.borrow(), *base.borrow(), *percent.borrow());
    let of = p.t_with_many(
        "stats-share-of",
        &[("part", p.count(part)), ("base", p.count(base))],
    );
    match percent {
        Some(pct) => format!("{of} ({pct} %)"),
        None => of,
    }
}

/// The median days with the number of resolved claims it is taken from, or why not shown.
pub fn median_text(p: &Page, median: impl Borrow<Option<i64>>, base: impl Borrow<i64>) -> String {
    median_of(
        p,
        *median.borrow(),
        *base.borrow(),
        ["stats-median-of", "stats-median-hidden"],
    )
}

/// The median days to the provider's answer on Recours with the number of answered claims it
/// is taken from, or why not shown.
pub fn portal_median_text(
    p: &Page,
    median: impl Borrow<Option<i64>>,
    base: impl Borrow<i64>,
) -> String {
    let keys = ["stats-portal-median-of", "stats-portal-median-hidden"];
    median_of(p, *median.borrow(), *base.borrow(), keys)
}

fn median_of(p: &Page, median: Option<i64>, base: i64, [of, hidden]: [&str; 2]) -> String {
    match median {
        Some(days) => p.t_with_many(of, &[("days", p.count(days)), ("base", p.count(base))]),
        None => p.t_with(hidden, "base", p.count(base)),
    }
}
