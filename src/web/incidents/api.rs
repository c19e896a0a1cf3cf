//! The incidents in the JSON open-data API (`/api/v1/incidents`), described in the OpenAPI
//! document.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rocket::response::content::RawJson;
use rocket::{State, get};

use super::incident_id;
use crate::db::Db;
use crate::domain::stats::{MIN_BREAKDOWN, breakdown_shown};
use crate::store::incidents::{self as store, Figures, Incident, TimelineEntry};
use crate::web::errors::AppError;
use crate::web::stats::ApiError;

/// One incident's public fields and live figures. Below `MIN_BREAKDOWN` joined
/// subscribers, `still_billed` and the amounts are null: they could describe one person.
#[derive(serde::Serialize)]
struct IncidentJson {
    claimed: Option<BTreeMap<String, i64>>,
    closed_on: Option<NaiveDate>,
    id: String,
    joined: i64,
    network: Option<String>,
    ongoing: bool,
    partly_restored_on: Option<NaiveDate>,
    provider: String,
    provider_name: String,
    refunded: Option<BTreeMap<String, i64>>,
    restored_on: Option<NaiveDate>,
    restored_share: Option<u8>,
    service: &'static str,
    started_on: NaiveDate,
    still_billed: Option<i64>,
    title: String,
}

impl IncidentJson {
    fn of(i: &Incident, f: &Figures) -> IncidentJson {
        let shown = breakdown_shown(f.joined);
        IncidentJson {
            claimed: shown.then(|| f.claimed.clone()),
            closed_on: i.closed_on,
            id: i.id.clone(),
            joined: f.joined,
            network: i.network_name.clone(),
            ongoing: i.ongoing(),
            partly_restored_on: i.dates.partial.map(|p| p.on),
            provider: i.provider_slug.clone(),
            provider_name: i.provider_name.clone(),
            refunded: shown.then(|| f.refunded.clone()),
            restored_on: i.dates.restored_on,
            restored_share: i.dates.partial.map(|p| p.share),
            service: i.service.as_str(),
            started_on: i.dates.started_on,
            still_billed: shown.then_some(f.still_billed),
            title: i.title.clone(),
        }
    }
}

#[derive(serde::Serialize)]
struct ListJson {
    incidents: Vec<IncidentJson>,
    min_breakdown_volume: i64,
}

#[derive(serde::Serialize)]
struct EntryJson {
    at: chrono::NaiveDateTime,
    note: String,
    on_date: Option<NaiveDate>,
    share: Option<i32>,
    what: String,
}

#[derive(serde::Serialize)]
struct DetailJson {
    description: String,
    #[serde(flatten)]
    incident: IncidentJson,
    min_breakdown_volume: i64,
    sources: String,
    timeline: Vec<EntryJson>,
}

fn json(value: &impl serde::Serialize) -> Result<RawJson<String>, ApiError> {
    serde_json::to_string(value)
        .map(RawJson)
        .map_err(|e| AppError::Internal(e.to_string()).into())
}

/// Every incident, the ongoing ones first.
#[get("/api/v1/incidents")]
pub async fn incidents(db: &State<Db>) -> Result<RawJson<String>, ApiError> {
    let all = db
        .run(|conn| {
            store::list(conn)?
                .into_iter()
                .map(|i| Ok::<_, AppError>(IncidentJson::of(&i, &store::figures(conn, &i.id)?)))
                .collect::<Result<Vec<_>, AppError>>()
        })
        .await?;
    json(&ListJson {
        incidents: all,
        min_breakdown_volume: MIN_BREAKDOWN,
    })
}

/// One incident with its description, sources and timeline.
#[get("/api/v1/incidents/<id>")]
pub async fn incident(id: &str, db: &State<Db>) -> Result<RawJson<String>, ApiError> {
    let id = incident_id(id)?;
    let (i, f, timeline): (Incident, Figures, Vec<TimelineEntry>) = db
        .run(move |conn| {
            let i = store::get(conn, &id)?.ok_or(AppError::NotFound)?;
            Ok::<_, AppError>((i, store::figures(conn, &id)?, store::timeline(conn, &id)?))
        })
        .await?;
    json(&DetailJson {
        description: i.description.clone(),
        sources: i.sources.clone(),
        incident: IncidentJson::of(&i, &f),
        min_breakdown_volume: MIN_BREAKDOWN,
        timeline: timeline
            .into_iter()
            .map(|e| EntryJson {
                at: e.at,
                note: e.note,
                on_date: e.on_date,
                share: e.share,
                what: e.what,
            })
            .collect(),
    })
}
