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
use crate::domain::stats::{self as maths, CONFIDENCE, MIN_BREAKDOWN, MIN_VOLUME, PER, Rate};
use crate::domain::tally::{Figures, PortalFigures};
use crate::store::stats::{Filter, PENDING, Ranking};
use crate::web::csv_sheet::{Cell, Sheet, bom_param, file_name, with_bom};
use crate::web::errors::AppError;
use crate::web::open_data::Versioned;
use crate::web::query::{Empty, ParamError, Spec, many, one};
use crate::web::stats_cache::StatsCache;
use crate::web::table_schema::{COUNTRY_PATTERN, Described, Field, TableSchema, Type};

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

/// The providers' CSV's columns, in order: its header row and its Table Schema.
pub fn providers_schema() -> TableSchema {
    let min = MIN_VOLUME.to_string();
    let breakdown = MIN_BREAKDOWN.to_string();
    let shown = |name: String, kind: Type, key: &'static str| {
        Field::count(name, kind, key).with("breakdown", breakdown.clone())
    };
    let rate = |name: &str, key: &'static str| {
        Field::count(name, Type::Number, key)
            .with("min", min.clone())
            .with("per", PER.to_string())
            .with("confidence", CONFIDENCE.to_string())
    };
    let mut fields = vec![
        Field::slug("slug", "column-providers-slug")
            .required()
            .with("pending", PENDING),
        Field::new("name", Type::Text, "column-providers-name").required(),
        Field::new("country", Type::Text, "column-providers-country")
            .required()
            .pattern(COUNTRY_PATTERN),
        Field::slug("network", "column-providers-network"),
        Field::count("subscribers", Type::Integer, "column-providers-subscribers"),
        Field::count("complaints", Type::Integer, "column-providers-complaints").required(),
        rate("per_100k", "column-providers-per-100k"),
        rate("per_100k_low", "column-providers-per-100k-low"),
        rate("per_100k_high", "column-providers-per-100k-high"),
    ];
    fields.extend(Kind::ALL.iter().map(|k| {
        shown(k.as_str().into(), Type::Integer, "column-providers-kind").with("kind", k.as_str())
    }));
    fields.push(shown(
        "claims".into(),
        Type::Integer,
        "column-providers-claims",
    ));
    fields.extend(ClaimState::ALL.iter().map(|s| {
        shown(
            format!("state_{}", s.as_str()),
            Type::Integer,
            "column-providers-state",
        )
        .with("state", s.as_str())
    }));
    fields.extend(Outcome::ALL.iter().map(|o| {
        shown(o.as_str().into(), Type::Integer, "column-providers-outcome")
            .with("outcome", o.as_str())
    }));
    for c in Currency::ALL {
        for (name, key) in [
            ("claimed", "column-providers-claimed"),
            ("received", "column-providers-received"),
        ] {
            fields.push(
                shown(format!("{name}_{}", c.code()), Type::Number, key)
                    .with("currency", c.code())
                    .with("decimals", c.minor_digits().to_string()),
            );
        }
    }
    fields.extend([
        Field::percent(
            "resolution_rate_percent",
            "column-providers-resolution-rate",
        )
        .with("min", min.clone()),
        Field::count(
            "median_days_to_resolution",
            Type::Integer,
            "column-providers-median-days",
        )
        .with("min", min.clone()),
        Field::percent("timely_answer_percent", "column-providers-timely").with("min", min.clone()),
        shown(
            "median_days_base".into(),
            Type::Integer,
            "column-providers-median-base",
        ),
        shown(
            "timely_answer_base".into(),
            Type::Integer,
            "column-providers-timely-base",
        ),
        Field::month("period_from", "column-providers-period-from"),
        Field::month("period_to", "column-providers-period-to"),
    ]);
    // What happened on Recours itself, apart from what subscribers typed.
    let portal = |name: &str, key: &'static str| shown(name.into(), Type::Integer, key);
    fields.extend([
        portal("recours_sent", "column-providers-recours-sent"),
        portal(
            "recours_answered_in_time",
            "column-providers-recours-answered-in-time",
        ),
        portal(
            "recours_timely_answer_base",
            "column-providers-recours-timely-base",
        ),
        Field::percent(
            "recours_timely_answer_percent",
            "column-providers-recours-timely",
        )
        .with("min", min.clone()),
        Field::count(
            "recours_median_days_to_answer",
            Type::Integer,
            "column-providers-recours-median-days",
        )
        .with("min", min.clone()),
        portal(
            "recours_median_days_base",
            "column-providers-recours-median-base",
        ),
    ]);
    fields.extend(ResponseType::CLOSING.iter().map(|t| {
        portal(
            &format!("recours_{}", t.as_str()),
            "column-providers-recours-response",
        )
        .with("response", t.as_str())
    }));
    fields.extend([
        portal(
            "recours_in_progress",
            "column-providers-recours-in-progress",
        ),
        portal("recours_answered", "column-providers-recours-answered"),
        portal("recours_accepted", "column-providers-recours-accepted"),
        portal("recours_disputed", "column-providers-recours-disputed"),
        Field::percent(
            "recours_disputed_percent",
            "column-providers-recours-disputed-percent",
        )
        .with("min", min.clone()),
    ]);
    TableSchema {
        name: "providers",
        csv: "/stats/providers.csv",
        path: "/stats/providers.schema.json",
        title_key: "dictionary-providers-title",
        fields,
        primary_key: Some("slug"),
        open: true,
    }
}

/// The providers' figures as CSV (RFC 4180, a header row, money in currency units); the
/// breakdown cells are empty where the selection is too small to show them. Every row
/// says the months it covers.
pub fn providers_csv(ranking: &Ranking) -> Result<Vec<u8>, AppError> {
    let rows = &ranking.rows;
    let (period_from, period_to) = ranking.period.clone().unwrap_or_default();
    let mut sheet = Sheet::new(providers_schema().header())?;
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
) -> Result<Versioned<Described<Download>>, CsvRefusal> {
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
        inner: Described {
            inner: csv_download(with_bom(bom, body.to_vec()), &name),
            link: providers_schema().link(),
        },
        version,
    })
}
