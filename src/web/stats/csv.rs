//! The providers' figures as a CSV download.

use std::collections::BTreeMap;

use rocket::http::{ContentType, Header};
use rocket::{State, get};

use super::*;
use crate::db::Db;
use crate::domain::claim::{Outcome, State as ClaimState};
use crate::domain::complaint::Kind;
use crate::domain::money::Currency;
use crate::domain::stats::{self as maths, Rate};
use crate::domain::tally::Figures;
use crate::store::stats::{Filter, Published};
use crate::web::csv_sheet::{Cell, Sheet, bom_param, file_name, with_bom};
use crate::web::errors::AppError;
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

/// The filters as a download's file name shows them.
pub fn named(filter: &Filter) -> [(&'static str, Option<&str>); 4] {
    [
        ("from", filter.from.as_deref()),
        ("to", filter.to.as_deref()),
        ("kind", filter.kind.map(|k| k.as_str())),
        ("country", filter.country.as_deref()),
    ]
}

/// The providers' figures as CSV (RFC 4180, a header row, money in currency units); the
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
        ]);
        sheet.row(&record)?;
    }
    sheet.finish()
}

/// `bom=true` starts the file with a byte-order mark, for spreadsheets.
#[get("/stats/providers.csv?<bom>&<params..>")]
pub async fn download_csv(
    params: Params,
    bom: Option<&str>,
    db: &State<Db>,
    cache: &State<StatsCache>,
) -> Result<Download, AppError> {
    let bom = bom_param(bom)?;
    let filter = params.filter().map_err(AppError::BadRequest)?;
    let (rows, version) = cached_published(cache, db, &filter).await?;
    let body = cache.made(&cache.providers_csv, filter.clone(), version, || {
        providers_csv(&rows)
    })?;
    let name = file_name("recours-providers", &named(&filter));
    Ok(csv_download(with_bom(bom, body.to_vec()), &name))
}
