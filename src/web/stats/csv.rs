//! The providers' figures as a CSV download.

use std::collections::BTreeMap;

use rocket::http::uri::Origin;
use rocket::http::{ContentType, Header};
use rocket::{State, get};

use super::*;
use crate::db::Db;
use crate::domain::claim::{Outcome, State as ClaimState};
use crate::domain::complaint::Kind;
use crate::domain::money::Currency;
use crate::domain::provider_answer::{Reply, ResponseType};
use crate::domain::stats::{self as maths, Rate};
use crate::domain::tally::{Figures, PortalFigures};
use crate::store::stats::{Filter, Ranking};
use crate::web::csv_sheet::{Cell, Sheet, bom_param, file_name, with_bom};
use crate::web::errors::AppError;
use crate::web::open_data::Versioned;
use crate::web::query::{Empty, ParamError, Spec, many, one};
use crate::web::stats_cache::StatsCache;

/// A CSV file: its body whole (`Vec<u8>`) or streamed.
#[derive(rocket::Responder)]
pub struct Download<B = Vec<u8>> {
    body: B,
    content_type: ContentType,
    disposition: Header<'static>,
}

pub fn csv_download<B>(body: B, filename: &str) -> Download<B> {
    Download {
        body,
        content_type: ContentType::new("text", "csv").with_params(("charset", "utf-8")),
        disposition: Header::new(
            "Content-Disposition",
            format!("attachment; filename=\"{filename}\""),
        ),
    }
}

/// The providers' CSV takes the list's parameters and `bom`.
pub const CSV_LIST: &[Spec] = &[
    one("from"),
    one("to"),
    one("period"),
    many("kind"),
    many("country"),
    many("network"),
    many("provider"),
    one("sort"),
    one("bom"),
];

/// The filters as a download's file name shows them (several values joined by `+`).
pub fn named(filter: &Filter) -> Vec<(&'static str, Option<String>)> {
    let join = |values: Vec<&str>| Some(values.join("+")).filter(|v| !v.is_empty());
    vec![
        ("from", filter.from.clone()),
        ("to", filter.to.clone()),
        (
            "kind",
            join(filter.kinds.iter().map(|k| k.as_str()).collect()),
        ),
        (
            "country",
            join(filter.countries.iter().map(String::as_str).collect()),
        ),
        (
            "network",
            join(filter.networks.iter().map(String::as_str).collect()),
        ),
        (
            "provider",
            join(filter.providers.iter().map(String::as_str).collect()),
        ),
    ]
}

/// The providers' figures as CSV (RFC 4180, a header row, money in currency units); the
/// breakdown cells are empty where the selection is too small to show them. Every row
/// says the months it covers.
pub fn providers_csv(ranking: &Ranking) -> Result<Vec<u8>, AppError> {
    let rows = &ranking.rows;
    let (period_from, period_to) = ranking.period.clone().unwrap_or_default();
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
            "median_days_base",
            "timely_answer_base",
            "period_from",
            "period_to",
        ]
        .map(String::from),
    );
    // What happened on Recours itself, apart from what subscribers typed.
    header.extend(
        [
            "recours_sent",
            "recours_answered_in_time",
            "recours_timely_answer_base",
            "recours_timely_answer_percent",
            "recours_median_days_to_answer",
            "recours_median_days_base",
        ]
        .map(String::from),
    );
    header.extend(
        ResponseType::CLOSING
            .iter()
            .map(|t| format!("recours_{}", t.as_str())),
    );
    header.extend(
        [
            "recours_in_progress",
            "recours_answered",
            "recours_accepted",
            "recours_disputed",
            "recours_disputed_percent",
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
            let money = |m: fn(&Figures) -> &BTreeMap<String, i64>| {
                Cell::money(r.breakdown().map(|f| sum(m(f))), c)
            };
            record.push(money(|f| &f.claimed));
            record.push(money(|f| &f.received));
        }
        record.extend([
            Cell::opt(r.resolution_percent),
            Cell::opt(r.median_days),
            Cell::opt(r.timely_percent),
            shown(&|f| f.median_base()),
            shown(&|f| f.timeliness_base()),
            Cell::text(&period_from),
            Cell::text(&period_to),
        ]);
        let portal = |n: &dyn Fn(&PortalFigures) -> i64| shown(&|f| n(&f.portal));
        let share = |x: Option<i64>| Cell::opt(r.breakdown().and(x));
        record.extend([
            portal(&|p| p.sent),
            portal(&|p| p.answered_in_time),
            portal(&|p| p.timeliness_base()),
            share(r.portal.timely_percent),
            share(r.portal.median_days),
            portal(&|p| p.median_base()),
        ]);
        record.extend(
            ResponseType::CLOSING
                .iter()
                .map(|t| portal(&|p| p.response_count(*t))),
        );
        record.extend([
            portal(&|p| p.in_progress),
            portal(&|p| p.answered()),
            portal(&|p| p.reply_count(Reply::Accepted)),
            portal(&|p| p.reply_count(Reply::Disputed)),
            share(r.portal.disputed_percent),
        ]);
        sheet.row(&record)?;
    }
    sheet.finish()
}

/// What a CSV route answers when it cannot give the file: a refused query string in plain
/// text, naming the parameter, or the error page.
#[derive(rocket::Responder)]
pub enum CsvRefusal {
    #[response(status = 400, content_type = "plain")]
    Params(String),
    Failed(AppError),
}

impl From<ParamError> for CsvRefusal {
    fn from(e: ParamError) -> Self {
        CsvRefusal::Params(e.plain())
    }
}

impl From<AppError> for CsvRefusal {
    fn from(e: AppError) -> Self {
        CsvRefusal::Failed(e)
    }
}

#[get("/stats/providers.csv")]
pub async fn download_csv(
    uri: &Origin<'_>,
    db: &State<Db>,
    cache: &State<StatsCache>,
) -> Result<Versioned<Download>, CsvRefusal> {
    let params = Params::parse(uri, CSV_LIST, Empty::Refuse)?;
    let bom = bom_param(params.value("bom"))?;
    let filter = params.filter()?;
    let (ranking, version) = cached_published(cache, db, &filter).await?;
    let body = cache.made(&cache.providers_csv, filter.clone(), version, || {
        providers_csv(&ranking)
    })?;
    // The data version in the name ties two downloads to the same figures.
    let name = file_name(
        &format!("recours-providers-v{}", version.data_version()),
        &named(&filter),
    );
    Ok(Versioned {
        inner: csv_download(with_bom(bom, body.to_vec()), &name),
        version,
    })
}
