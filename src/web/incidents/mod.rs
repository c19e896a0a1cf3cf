//! Mass incidents: the public list and page (timeline, live figures), declaring and
//! updating them (reviewers and admins), joining ("me too", in `join`), the JSON API.

pub mod api;
pub mod join;

use askama::Template;
use chrono::NaiveDate;
use rocket::http::Status;
use rocket::{State, get, post};

use super::auth::AuthUser;
use super::complaints::{choices, today};
use super::csrf::PostForm;
use super::page::{Choice, FormState, Page, Reply, done, render};
use super::review::Reviewer;
use crate::db::Db;
use crate::domain::FieldErrors;
use crate::domain::complaint::Service;
use crate::domain::incident::{self, Dates};
use crate::domain::money::Currency;
use crate::store::WriteError;
use crate::store::incidents::{self as store, Figures, Incident, TimelineEntry};
use crate::store::providers;
use crate::web::errors::AppError;

/// Ids in URLs are UUIDs; anything else cannot name an incident.
pub(crate) fn incident_id(id: &str) -> Result<String, AppError> {
    uuid::Uuid::parse_str(id)
        .map(|u| u.to_string())
        .map_err(|_| AppError::NotFound)
}

/// Amounts per currency as the pages show them, currencies in code order.
pub struct Sums(pub Vec<(Currency, i64)>);

impl Sums {
    fn of(map: &std::collections::BTreeMap<String, i64>) -> Sums {
        Sums(
            map.iter()
                .filter_map(|(c, v)| Currency::parse(c).map(|c| (c, *v)))
                .collect(),
        )
    }
}

// ---- The list and one incident -------------------------------------------------------

#[derive(Template)]
#[template(path = "incidents/list.html")]
struct ListView {
    p: Page,
    incidents: Vec<(Incident, Figures)>,
}

#[get("/incidents")]
pub async fn list(p: Page, db: &State<Db>) -> Result<Reply, AppError> {
    let incidents = db
        .run(|conn| {
            let all = store::list(conn)?;
            all.into_iter()
                .map(|i| {
                    let f = store::figures(conn, &i.id)?;
                    Ok::<_, AppError>((i, f))
                })
                .collect::<Result<Vec<_>, AppError>>()
        })
        .await?;
    render(&ListView { p, incidents }, Status::Ok)
}

#[derive(Template)]
#[template(path = "incidents/show.html")]
struct ShowView {
    p: Page,
    i: Incident,
    timeline: Vec<TimelineEntry>,
    f: Figures,
    claimed: Sums,
    refunded: Sums,
    /// The viewer's complaint, when they joined.
    mine: Option<String>,
}

impl ShowView {
    /// Whether enough subscribers joined for figures that cannot describe one person.
    fn shown(&self) -> bool {
        crate::domain::stats::breakdown_shown(self.f.joined)
    }
}

#[get("/incidents/<id>")]
pub async fn show(p: Page, id: &str, db: &State<Db>) -> Result<Reply, AppError> {
    let id = incident_id(id)?;
    let user = p.user.as_ref().map(|u| u.id.clone());
    let (i, timeline, f, mine) = db
        .run(move |conn| {
            let i = store::get(conn, &id)?.ok_or(AppError::NotFound)?;
            let timeline = store::timeline(conn, &id)?;
            let f = store::figures(conn, &id)?;
            let mine = match user {
                Some(u) => store::joined_by(conn, &id, &u)?,
                None => None,
            };
            Ok::<_, AppError>((i, timeline, f, mine))
        })
        .await?;
    let view = ShowView {
        claimed: Sums::of(&f.claimed),
        refunded: Sums::of(&f.refunded),
        p,
        i,
        timeline,
        f,
        mine,
    };
    render(&view, Status::Ok)
}

// ---- Declaring -----------------------------------------------------------------------

const DECLARATION_FIELDS: [&str; 11] = [
    "provider",
    "network",
    "service",
    "title",
    "description",
    "sources",
    "started_on",
    "partly_restored_on",
    "restored_share",
    "restored_on",
    "csrf_token",
];

#[derive(Template)]
#[template(path = "incidents/declare.html")]
struct DeclareView {
    p: Page,
    f: FormState,
    providers: Vec<Choice>,
    services: Vec<Choice>,
}

async fn declare_page(p: Page, f: FormState, db: &Db, status: Status) -> Result<Reply, AppError> {
    let listed = db.run(providers::approved).await?;
    let view = DeclareView {
        providers: listed
            .iter()
            .map(|pr| Choice::new(&pr.slug, format!("{} ({})", pr.name, pr.country)))
            .collect(),
        services: choices(&p, "service", Service::ALL.iter().map(|s| s.as_str())),
        p,
        f,
    };
    render(&view, status)
}

/// The declaration form; `provider` and `from` prefill it (an alert's "declare an
/// incident from this").
#[get("/incidents/new?<provider>&<from>")]
pub async fn new(
    p: Page,
    _reviewer: Reviewer,
    provider: Option<&str>,
    from: Option<&str>,
    db: &State<Db>,
) -> Result<Reply, AppError> {
    let mut f = FormState::default();
    f.set("provider", provider.unwrap_or(""));
    f.set("started_on", from.unwrap_or(""));
    declare_page(p, f, db, Status::Ok).await
}

#[post("/incidents", data = "<form>")]
pub async fn declare(
    p: Page,
    _reviewer: Reviewer,
    auth: AuthUser,
    form: PostForm,
    db: &State<Db>,
) -> Result<Reply, AppError> {
    let errors = match incident::validate_declaration(&|n| form.get(n).to_string(), today()) {
        Ok(d) => {
            let by = auth.0.id;
            match db
                .write(move |conn| store::declare(conn, Some(&by), &d))
                .await
            {
                Ok(id) => return Ok(done(format!("/incidents/{id}"), "flash-incident-declared")),
                Err(WriteError::Failed(e)) => return Err(e.into()),
                Err(WriteError::Refused(r)) => one_error(r.field(), r.message_key()),
            }
        }
        Err(errors) => errors,
    };
    let f = FormState::new(errors).keep(&form, &DECLARATION_FIELDS);
    declare_page(p, f, db, Status::UnprocessableEntity).await
}

fn one_error(field: &'static str, key: &'static str) -> FieldErrors {
    let mut errors = FieldErrors::default();
    errors.add(field, key);
    errors
}

// ---- Updating ------------------------------------------------------------------------

const UPDATE_FIELDS: [&str; 7] = [
    "started_on",
    "partly_restored_on",
    "restored_share",
    "restored_on",
    "close",
    "note",
    "csrf_token",
];

#[derive(Template)]
#[template(path = "incidents/update.html")]
struct UpdateView {
    p: Page,
    i: Incident,
    f: FormState,
}

fn date_text(d: Option<NaiveDate>) -> String {
    d.map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

fn dates_form(dates: &Dates) -> FormState {
    let mut f = FormState::default();
    f.set("started_on", &date_text(Some(dates.started_on)));
    f.set(
        "partly_restored_on",
        &date_text(dates.partial.map(|p| p.on)),
    );
    f.set(
        "restored_share",
        &dates
            .partial
            .map(|p| p.share.to_string())
            .unwrap_or_default(),
    );
    f.set("restored_on", &date_text(dates.restored_on));
    f
}

async fn load(db: &Db, id: &str) -> Result<Incident, AppError> {
    let id = incident_id(id)?;
    db.run(move |conn| store::get(conn, &id)?.ok_or(AppError::NotFound))
        .await
}

#[get("/incidents/<id>/update")]
pub async fn update_form(
    p: Page,
    _reviewer: Reviewer,
    id: &str,
    db: &State<Db>,
) -> Result<Reply, AppError> {
    let i = load(db, id).await?;
    let f = dates_form(&i.dates);
    render(&UpdateView { p, i, f }, Status::Ok)
}

#[post("/incidents/<id>/update", data = "<form>")]
pub async fn update(
    p: Page,
    _reviewer: Reviewer,
    id: &str,
    form: PostForm,
    db: &State<Db>,
) -> Result<Reply, AppError> {
    let i = load(db, id).await?;
    let errors = match incident::validate_update(&|n| form.get(n).to_string(), today()) {
        Ok(u) => {
            let id = i.id.clone();
            match db.write(move |conn| store::update(conn, &id, &u)).await {
                Ok(()) => {
                    return Ok(done(
                        format!("/incidents/{}", i.id),
                        "flash-incident-updated",
                    ));
                }
                Err(WriteError::Failed(e)) => return Err(e.into()),
                Err(WriteError::Refused(r)) => one_error(r.field(), r.message_key()),
            }
        }
        Err(errors) => errors,
    };
    let f = FormState::new(errors).keep(&form, &UPDATE_FIELDS);
    render(&UpdateView { p, i, f }, Status::UnprocessableEntity)
}
