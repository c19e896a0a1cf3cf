//! The consumer associations' dashboard: everything public, plus the descriptions their
//! authors agreed to share, anonymised; and complaint-level records as CSV.

use askama::Template;
use chrono::{NaiveDate, NaiveDateTime};
use rocket::http::Status;
use rocket::http::uri::Origin;
use rocket::request::{FromRequest, Outcome, Request};
use rocket::{State, get};

use super::auth::AuthUser;
use super::csv_sheet::{Cell, Sheet, bom_param, file_name, with_bom};
use super::page::{Page, Reply, render};
use super::query::{Empty, Spec, one};
use super::stats::{Download, Params, csv_download, named};
use super::streamed::{SheetPart, Streamed, streamed};
use crate::db::{Db, DbConnection};
use crate::domain::anonymise::anonymise;
use crate::domain::complaint::{Kinds, increase_percent};
use crate::domain::money::Currency;
use crate::domain::tally::month_of;
use crate::store::complaints::{self as store, Part, Position, Record, Selection};
use crate::store::stats::Filter;
use crate::store::stats::{self as store_stats, Published};
use crate::web::errors::AppError;
use crate::web::table_schema::{Described, Field, TableSchema, Type, currency_decimals};

/// A reviewer (consumer association) or an admin; anyone else logged in gets 403.
pub struct Reviewer;

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Reviewer {
    type Error = AppError;
    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, AppError> {
        match req.guard::<AuthUser>().await {
            Outcome::Success(AuthUser(user)) if user.role.can_review() => {
                Outcome::Success(Reviewer)
            }
            Outcome::Success(_) => {
                super::errors::note_refusal(req, "error-role");
                Outcome::Error((Status::Forbidden, AppError::Forbidden("error-role")))
            }
            Outcome::Error(e) => Outcome::Error(e),
            Outcome::Forward(s) => Outcome::Forward(s),
        }
    }
}

const PAGE_SIZE: i64 = 20;

/// Search text goes to the database, and PostgreSQL refuses a NUL in text.
fn no_nul(values: &[Option<&str>]) -> Result<(), AppError> {
    if values.iter().flatten().any(|v| v.contains('\0')) {
        return Err(AppError::BadRequest("error-bad-request"));
    }
    Ok(())
}

/// A shared description, ready to show: nothing in it can reach a person.
pub struct Shared {
    pub provider: String,
    pub kinds: Kinds,
    pub month: String,
    pub title: String,
    pub description: String,
}

/// The provider as reviewers see it: a name typed by a subscriber and not reviewed yet is
/// anonymised, under the one slug of all such entries (its own slug comes from the name).
fn provider_of(r: &Record) -> (String, String) {
    if r.provider_status == crate::domain::provider::Status::Pending.as_str() {
        (
            crate::domain::provider::PENDING_SLUG.to_string(),
            anonymise(&r.provider_name, &[]),
        )
    } else {
        (r.provider_slug.clone(), r.provider_name.clone())
    }
}

fn month_start(month: &str) -> Option<NaiveDateTime> {
    NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d")
        .ok()?
        .and_hms_opt(0, 0, 0)
}

fn next_month_start(month: &str) -> Option<NaiveDateTime> {
    let start = month_start(month)?.date();
    start
        .checked_add_months(chrono::Months::new(1))?
        .and_hms_opt(0, 0, 0)
}

fn selection(
    filter: &Filter,
    provider: Option<&str>,
    words: Option<&str>,
    shared_only: bool,
) -> Selection {
    Selection {
        provider_slug: provider
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string),
        kind: filter.kinds.first().copied(),
        from: filter.from.as_deref().and_then(month_start),
        until: filter.to.as_deref().and_then(next_month_start),
        country: filter.countries.first().cloned(),
        network: filter.networks.first().cloned(),
        shared_only,
        words: words
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string),
    }
}

#[derive(Template)]
#[template(path = "review/index.html")]
struct ReviewView {
    p: Page,
    params: Params,
    form: super::stats::FilterForm,
    headings: Vec<super::stats::Heading>,
    caption: String,
    provider: String,
    words: String,
    rows: Vec<Published>,
    shared: Vec<Shared>,
    page: i64,
    more: bool,
    query: String,
    min_volume: i64,
    /// Refused parameters answer 400 before the page: never shown here.
    problem: Option<crate::web::query::ParamError>,
}

impl ReviewView {
    fn field_error(&self, name: &str) -> Option<String> {
        super::stats::field_error(&self.p, &self.problem, name)
    }

    fn rate(&self, r: &Option<crate::domain::stats::Rate>) -> String {
        super::stats::rate_text(&self.p, r)
    }
}

/// The review page's parameters: one value each (the store selects one kind, one country,
/// one network).
const PAGE_PARAMS: &[Spec] = &[
    one("from"),
    one("to"),
    one("period"),
    one("kind"),
    one("country"),
    one("network"),
    one("provider"),
    one("q"),
    one("page"),
];

/// The records' CSV takes the page's parameters but the page number, and `bom`.
const CSV_PARAMS: &[Spec] = &[
    one("from"),
    one("to"),
    one("kind"),
    one("country"),
    one("provider"),
    one("q"),
    one("bom"),
];

/// The parameters, the filter, the provider's slug and the words.
fn read(
    uri: &Origin<'_>,
    specs: &[Spec],
) -> Result<(Params, Filter, Option<String>, Option<String>), AppError> {
    let params = Params::parse(uri, specs, Empty::Skip)?;
    let filter = params.filter()?;
    let one = |name: &str| Some(params.value(name).to_string()).filter(|v| !v.is_empty());
    let (provider, q) = (one("provider"), one("q"));
    no_nul(&[provider.as_deref(), q.as_deref()])?;
    Ok((params, filter, provider, q))
}

#[get("/review")]
pub async fn index(
    p: Page,
    _reviewer: Reviewer,
    uri: &Origin<'_>,
    db: &State<Db>,
) -> Result<Reply, AppError> {
    let (params, filter, provider, q) = read(uri, PAGE_PARAMS)?;
    let page = match params.value("page") {
        "" => 1,
        n => n
            .parse::<i64>()
            .map_err(|_| AppError::BadRequest("error-bad-query"))?,
    }
    .clamp(1, 10_000);
    let (provider, q) = (provider.as_deref(), q.as_deref());
    let sel = selection(&filter, provider, q, true);
    let (rows, records, choices) = db
        .run(move |conn| {
            let rows = store_stats::published(conn, &filter)?;
            let choices = store_stats::filter_choices(conn)?;
            let records = store::records(
                conn,
                &sel,
                Part::Offset((page - 1) * PAGE_SIZE),
                PAGE_SIZE + 1,
            )?;
            Ok::<_, AppError>((rows, records, choices))
        })
        .await?;
    let more = records.len() as i64 > PAGE_SIZE;
    let shared = records
        .iter()
        .take(PAGE_SIZE as usize)
        .map(|r| Shared {
            provider: provider_of(r).1,
            kinds: r.kinds,
            month: month_of(r.created_at.date()),
            title: r.title.clone().unwrap_or_default(),
            description: r.description.clone().unwrap_or_default(),
        })
        .collect();
    let query = params.query_without(&["page"]);
    let view = ReviewView {
        form: super::stats::filter_form(&p, &choices),
        headings: super::stats::headings(&p, None, ""),
        caption: p.t("review-table-caption"),
        provider: provider.unwrap_or("").to_string(),
        words: q.unwrap_or("").to_string(),
        p,
        params,
        problem: None,
        rows,
        shared,
        page,
        more,
        query,
        min_volume: crate::domain::stats::MIN_VOLUME,
    };
    render(&view, Status::Ok)
}

/// The reviewers' CSV's columns, in order: its header row, its Table Schema
/// (`/review/complaints.schema.json`) and its data dictionary
/// (`/stats/dictionary/reviewers`).
pub fn records_schema() -> TableSchema {
    use crate::domain::claim::{Outcome as ClaimOutcome, State as ClaimState};
    let decimals = currency_decimals();
    let amount = |name: &str, key: &'static str| {
        Field::count(name, Type::Number, key).with("decimals", decimals.clone())
    };
    TableSchema {
        name: "reviewers",
        csv: "/review/complaints.csv",
        path: "/review/complaints.schema.json",
        title_key: "dictionary-reviewers-title",
        fields: vec![
            Field::slug("provider", "column-reviewers-provider")
                .required()
                .with("pending", crate::domain::provider::PENDING_SLUG),
            Field::new(
                "provider_name",
                Type::Text,
                "column-reviewers-provider-name",
            )
            .required(),
            Field::kinds("kind", "column-reviewers-kind", '+').required(),
            Field::month("month", "column-records-month").required(),
            Field::new("currency", Type::Text, "column-reviewers-currency")
                .required()
                .one_of(Currency::ALL.iter().map(|c| c.code())),
            amount("amount_claimed", "column-reviewers-amount-claimed"),
            Field::new("claim_state", Type::Text, "column-records-claim-state")
                .one_of(ClaimState::ALL.iter().map(|s| s.as_str())),
            Field::new("outcome", Type::Text, "column-records-outcome")
                .one_of(ClaimOutcome::ALL.iter().map(|o| o.as_str())),
            amount("amount_received", "column-reviewers-amount-received"),
            Field::new(
                "price_rise_percent",
                Type::Integer,
                "column-reviewers-price-rise",
            ),
            Field::new("notice_received", Type::Boolean, "column-reviewers-notice"),
            Field::new(
                "still_billed",
                Type::Boolean,
                "column-reviewers-still-billed",
            ),
            Field::new("description", Type::Text, "column-reviewers-description"),
        ],
        primary_key: None,
        open: false,
    }
}

fn record_row(r: &Record) -> Vec<Cell> {
    let (slug, name) = provider_of(r);
    let description = r.description.as_deref().filter(|_| r.shared);
    let currency = Currency::parse(&r.currency);
    let money = |v: Option<i64>| match currency {
        Some(c) => Cell::money(v, c),
        None => Cell::opt(None),
    };
    let rise = match (r.old_price, r.new_price) {
        (Some(old), Some(new)) => increase_percent(old, new),
        _ => None,
    };
    vec![
        Cell::text(slug),
        Cell::text(name),
        Cell::text(r.kinds.as_string()),
        Cell::text(month_of(r.created_at.date())),
        Cell::text(&r.currency),
        money(r.amount_claimed),
        Cell::text(r.state.as_deref().unwrap_or("")),
        Cell::text(r.outcome.as_deref().unwrap_or("")),
        money(r.received),
        Cell::opt(rise),
        Cell::flag(r.notice_received),
        Cell::flag(r.still_billed),
        Cell::text(description.unwrap_or("")),
    ]
}

/// Rows read and sent at a time.
const PART: i64 = 5_000;

/// The rows of `sel` after `after`, written on `sheet`; and where the next part starts,
/// unless this one was the last.
fn records_part(
    conn: &mut DbConnection,
    sel: &Selection,
    mut sheet: Sheet,
    after: Option<Position>,
) -> SheetPart<Position> {
    let rows = store::records(conn, sel, Part::After(after), PART)?;
    for r in &rows {
        sheet.row(&record_row(r))?;
    }
    let bytes = sheet.take()?;
    let next = match rows.last() {
        Some(last) if rows.len() as i64 == PART => Some((sheet, last.position())),
        _ => None,
    };
    Ok((bytes, next))
}

/// Complaint-level records: no names, e-mails or references, dates by month, the
/// description only where its author consented, anonymised. Streamed as it is read, so a
/// million rows take no more memory than one part; `bom=true` starts it with a byte-order
/// mark for spreadsheets.
#[get("/review/complaints.csv")]
pub async fn records_csv(
    _reviewer: Reviewer,
    uri: &Origin<'_>,
    db: &State<Db>,
) -> Result<Described<Download<Streamed>>, AppError> {
    let (params, filter, provider, q) = read(uri, CSV_PARAMS)?;
    let bom = bom_param(params.value("bom"))?;
    let sel = selection(&filter, provider.as_deref(), q.as_deref(), false);
    // The filter already names the provider.
    let mut names = named(&filter);
    names.push(("q", q));
    let name = file_name("recours-complaints", &names);
    // The first part is read before answering, so that a failure there is still an error
    // page rather than a broken download.
    let wanted = sel.clone();
    let (first, next) = db
        .run(move |conn| records_part(conn, &wanted, Sheet::new(records_schema().header())?, None))
        .await?;
    let body = streamed(
        db.inner().clone(),
        with_bom(bom, first),
        next,
        move |conn, (sheet, after)| records_part(conn, &sel, sheet, Some(after)),
    );
    Ok(Described {
        inner: csv_download(body, &name),
        link: records_schema().link(),
    })
}
