//! The complaint-level open data: `/api/v1/complaints` (JSON, a page at a time after a
//! cursor) and `/complaints.csv` (every record, streamed). Published: the complaints of
//! reviewed providers whose cell (provider, month, set of kinds) holds at least MIN_VOLUME
//! complaints (see `store::complaints::public_records`); a description only where its
//! author agreed and a reviewer approved the anonymised text.

use rocket::http::uri::Origin;
use rocket::response::content::RawJson;
use rocket::{State, get};
use serde::Serialize;

use super::csv_sheet::{Cell, Sheet, bom_param, file_name, with_bom};
use super::query::{Empty, ParamError, Spec, many, one};
use super::stats::{ApiRefusal, CsvRefusal, Download, Params, csv_download, named};
use super::streamed::{SheetPart, Streamed, streamed};
use crate::db::{Db, DbConnection};
use crate::domain::claim::{Outcome, State as ClaimState};
use crate::store::complaints::{self as store, PublicRecord};
use crate::store::stats::Filter;
use crate::web::errors::AppError;
use crate::web::table_schema::{COUNTRY_PATTERN, Described, Field, TableSchema, Type};

/// Records per page of the API unless `size` says otherwise, and the most it may say.
const DEFAULT_SIZE: i64 = 100;
const MAX_SIZE: i64 = 1_000;

#[derive(Serialize)]
struct RecordJson<'a> {
    id: &'a str,
    month: &'a str,
    provider: &'a str,
    provider_name: &'a str,
    network: Option<&'a str>,
    country: &'a str,
    kinds: Vec<&'static str>,
    claim_state: Option<&'a str>,
    outcome: Option<&'a str>,
    answered_on_time: Option<bool>,
    description: Option<&'a str>,
}

impl<'a> From<&'a PublicRecord> for RecordJson<'a> {
    fn from(r: &'a PublicRecord) -> RecordJson<'a> {
        RecordJson {
            id: &r.id,
            month: &r.month,
            provider: &r.provider,
            provider_name: &r.provider_name,
            network: r.network.as_deref(),
            country: &r.country,
            kinds: r.kinds.iter().map(|k| k.as_str()).collect(),
            claim_state: r.claim_state.as_deref(),
            outcome: r.outcome.as_deref(),
            answered_on_time: r.answered_on_time,
            description: r.description.as_deref(),
        }
    }
}

#[derive(Serialize)]
struct PageJson<'a> {
    complaints: Vec<RecordJson<'a>>,
    /// The next page's address, or null on the last page.
    next: Option<String>,
}

/// The API's parameters: the statistics' filters and the page.
pub const RECORDS: &[Spec] = &[
    one("from"),
    one("to"),
    one("period"),
    many("kind"),
    many("country"),
    many("network"),
    many("provider"),
    one("after"),
    one("size"),
];

/// The CSV's parameters: the statistics' filters and `bom`.
pub const RECORDS_CSV: &[Spec] = &[
    one("from"),
    one("to"),
    one("period"),
    many("kind"),
    many("country"),
    many("network"),
    many("provider"),
    one("bom"),
];

/// The cursor: the id of the last record of the previous page.
fn cursor(after: &str) -> Result<Option<String>, ParamError> {
    match after {
        "" => Ok(None),
        a if store::is_public_id(a) => Ok(Some(a.to_string())),
        _ => Err(ParamError::invalid("after", "error-cursor-invalid")),
    }
}

fn page_size(size: &str) -> Result<i64, ParamError> {
    match size {
        "" => Ok(DEFAULT_SIZE),
        s => s
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=MAX_SIZE).contains(n))
            .ok_or_else(|| ParamError::invalid("size", "error-size-invalid")),
    }
}

#[get("/api/v1/complaints")]
pub async fn api_complaints(
    uri: &Origin<'_>,
    db: &State<Db>,
) -> Result<RawJson<String>, ApiRefusal> {
    let params = Params::parse(uri, RECORDS, Empty::Refuse)?;
    let filter = params.filter()?;
    let after = cursor(params.value("after"))?;
    let size = page_size(params.value("size"))?;
    let wanted = filter.clone();
    let (records, more) = db
        .run(move |conn| store::public_records(conn, &wanted, after.as_deref(), size))
        .await
        .map_err(AppError::from)?;
    let next = match records.last() {
        Some(last) if more => {
            let mut query = params.query_without(&["after", "size"]);
            query.push(if query.is_empty() { '?' } else { '&' });
            Some(format!(
                "/api/v1/complaints{query}after={}&size={size}",
                last.id
            ))
        }
        _ => None,
    };
    let page = PageJson {
        complaints: records.iter().map(RecordJson::from).collect(),
        next,
    };
    serde_json::to_string(&page)
        .map(RawJson)
        .map_err(|e| ApiRefusal::from(AppError::Internal(format!("JSON: {e}"))))
}

/// The CSV's columns, in order: its header row and its Table Schema
/// (`/complaints.schema.json`).
pub fn records_schema() -> TableSchema {
    TableSchema {
        name: "complaints",
        csv: "/complaints.csv",
        path: "/complaints.schema.json",
        title_key: "dictionary-complaints-title",
        fields: vec![
            Field::new("id", Type::Text, "column-records-id")
                .required()
                .pattern("[0-9a-f]{16}"),
            Field::month("month", "column-records-month").required(),
            Field::slug("provider", "column-records-provider").required(),
            Field::new("provider_name", Type::Text, "column-providers-name").required(),
            Field::slug("network", "column-providers-network"),
            Field::new("country", Type::Text, "column-providers-country")
                .required()
                .pattern(COUNTRY_PATTERN),
            Field::kinds("kinds", "column-records-kinds", ';').required(),
            Field::new("claim_state", Type::Text, "column-records-claim-state")
                .one_of(ClaimState::ALL.iter().map(|s| s.as_str())),
            Field::new("outcome", Type::Text, "column-records-outcome")
                .one_of(Outcome::ALL.iter().map(|o| o.as_str())),
            Field::new("answered_on_time", Type::Boolean, "column-records-on-time"),
            Field::new("description", Type::Text, "column-records-description"),
        ],
        primary_key: Some("id"),
        open: true,
    }
}

/// Records read and sent at a time.
const PART: i64 = 5_000;

fn part(
    conn: &mut DbConnection,
    filter: &Filter,
    mut sheet: Sheet,
    after: Option<String>,
) -> SheetPart<String> {
    let (records, more) = store::public_records(conn, filter, after.as_deref(), PART)?;
    for r in &records {
        let kinds: Vec<&str> = r.kinds.iter().map(|k| k.as_str()).collect();
        sheet.row(&[
            Cell::text(&r.id),
            Cell::text(&r.month),
            Cell::text(&r.provider),
            Cell::text(&r.provider_name),
            Cell::text(r.network.as_deref().unwrap_or("")),
            Cell::text(&r.country),
            Cell::text(kinds.join(";")),
            Cell::text(r.claim_state.as_deref().unwrap_or("")),
            Cell::text(r.outcome.as_deref().unwrap_or("")),
            Cell::flag(r.answered_on_time),
            Cell::text(r.description.as_deref().unwrap_or("")),
        ])?;
    }
    let bytes = sheet.take()?;
    let next = match records.last() {
        Some(last) if more => Some((sheet, last.id.clone())),
        _ => None,
    };
    Ok((bytes, next))
}

/// Every published record as CSV, streamed; same filters as the statistics, `bom=true`
/// for spreadsheets.
#[get("/complaints.csv")]
pub async fn complaints_csv(
    uri: &Origin<'_>,
    db: &State<Db>,
) -> Result<Described<Download<Streamed>>, CsvRefusal> {
    let params = Params::parse(uri, RECORDS_CSV, Empty::Refuse)?;
    let bom = bom_param(params.value("bom"))?;
    let filter = params.filter()?;
    let name = file_name("recours-public-complaints", &named(&filter));
    let wanted = filter.clone();
    let (first, next) = db
        .run(move |conn| part(conn, &wanted, Sheet::new(records_schema().header())?, None))
        .await?;
    let body = streamed(
        db.inner().clone(),
        with_bom(bom, first),
        next,
        move |conn, (sheet, after)| part(conn, &filter, sheet, Some(after)),
    );
    Ok(Described {
        inner: csv_download(body, &name),
        link: records_schema().link(),
    })
}
