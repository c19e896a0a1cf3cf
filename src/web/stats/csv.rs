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
use crate::domain::stats::{self as maths, Rate};
use crate::domain::tally::Figures;
use crate::store::stats::Ranking;
use crate::web::csv_sheet::{Cell, Sheet};
use crate::web::errors::AppError;
use crate::web::open_data::Versioned;
use crate::web::query::{Empty, ParamError};
use crate::web::stats_cache::StatsCache;

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
            shown(&|f| f.median_base()),
            shown(&|f| f.timeliness_base()),
            Cell::text(&period_from),
            Cell::text(&period_to),
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
    let filter = Params::parse(uri, LIST, Empty::Refuse)?.filter()?;
    let (rows, version) = cached_published(cache, db, &filter).await?;
    let body = cache.made(&cache.providers_csv, filter, version, || {
        providers_csv(&rows)
    })?;
    // The data version in the name ties two downloads to the same figures.
    let name = format!("recours-providers-v{}.csv", version.data_version());
    Ok(Versioned {
        inner: csv_download(body.to_vec(), &name),
        version,
    })
}
