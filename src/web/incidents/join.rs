//! "Me too": joining an incident in two screens. The first asks what only the subscriber
//! knows; the second shows the pro-rata calculation line by line, with the amount they can
//! change, and files the complaint through the normal filing path.

use askama::Template;
use rocket::http::Status;
use rocket::{State, get, post};

use super::{incident_id, one_error};
use crate::db::Db;
use crate::domain::FieldErrors;
use crate::domain::incident::{self, Refund};
use crate::domain::money::{Currency, amount_input};
use crate::ops::metrics::METRICS;
use crate::store::WriteError;
use crate::store::incidents::{self as store, Incident};
use crate::web::auth::AuthUser;
use crate::web::complaints::today;
use crate::web::csrf::PostForm;
use crate::web::errors::AppError;
use crate::web::page::{Choice, FormState, Page, Reply, done, render};

/// The first screen's fields, carried by the second as hidden inputs: each date as its
/// day, month and year boxes, or as one `YYYY-MM-DD` field from scripts.
const DETAILS: [&str; 13] = [
    "contract_ref",
    "monthly_fee",
    "currency",
    "still_billed",
    "started_on",
    "started_on-day",
    "started_on-month",
    "started_on-year",
    "ended_on",
    "ended_on-day",
    "ended_on-month",
    "ended_on-year",
    "description",
];
/// Fields only the second screen has.
const AMOUNT: [&str; 1] = ["amount_claimed"];

#[derive(Template)]
#[template(path = "incidents/join.html")]
struct DetailsView {
    p: Page,
    i: Incident,
    f: FormState,
    currencies: Vec<Choice>,
    /// Why joining is not possible (catalog key); no form then.
    refused: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "incidents/join_review.html")]
struct ReviewView {
    p: Page,
    i: Incident,
    f: FormState,
    refund: Refund,
    currency: Currency,
    /// The first screen's values, as hidden inputs.
    hidden: Vec<(&'static str, String)>,
}

/// The incident, or the reason this subscriber cannot join it.
async fn open_incident(
    db: &Db,
    id: &str,
    user_id: &str,
) -> Result<(Incident, Option<&'static str>), AppError> {
    let id = incident_id(id)?;
    let user_id = user_id.to_string();
    db.run(move |conn| {
        let i = store::get(conn, &id)?.ok_or(AppError::NotFound)?;
        let refused = if store::joined_by(conn, &id, &user_id)?.is_some() {
            Some(store::JoinRefused::AlreadyJoined.message_key())
        } else if i.closed_on.is_some() {
            Some(store::JoinRefused::Closed.message_key())
        } else {
            None
        };
        Ok((i, refused))
    })
    .await
}

fn details_page(
    p: Page,
    i: Incident,
    f: FormState,
    refused: Option<&'static str>,
) -> Result<Reply, AppError> {
    let status = match (refused, f.errors.is_empty()) {
        (Some(_), _) => Status::Conflict,
        (None, false) => Status::UnprocessableEntity,
        (None, true) => Status::Ok,
    };
    let view = DetailsView {
        currencies: Currency::ALL
            .iter()
            .map(|c| Choice::new(c.code(), c.code().to_string()))
            .collect(),
        p,
        i,
        f,
        refused,
    };
    render(&view, status)
}

#[get("/incidents/<id>/join")]
pub async fn form(p: Page, auth: AuthUser, id: &str, db: &State<Db>) -> Result<Reply, AppError> {
    let (i, refused) = open_incident(db, id, &auth.0.id).await?;
    let mut f = FormState::default();
    f.set("currency", "EUR");
    details_page(p, i, f, refused)
}

/// Only the second screen's errors: the first screen's values were right.
fn only_amount(errors: &FieldErrors) -> bool {
    errors.iter().all(|e| AMOUNT.contains(&e.field))
}

fn review_page(
    p: Page,
    i: Incident,
    form: &PostForm,
    f: FormState,
    status: Status,
) -> Result<Reply, AppError> {
    // The first screen's values were checked: read them again to compute.
    let j = incident::validate_join(
        &|n| {
            if n == "amount_claimed" {
                String::new()
            } else {
                form.get(n).to_string()
            }
        },
        &i.dates,
        today(),
    )
    .map_err(|_| AppError::BadRequest("error-bad-request"))?;
    let refund = j.refund(&i.dates, today());
    let mut f = f;
    if f.value("amount_claimed").is_empty() && f.errors.is_empty() {
        f.set("amount_claimed", &amount_input(refund.total, j.currency));
    }
    let view = ReviewView {
        hidden: DETAILS
            .iter()
            .map(|n| (*n, form.get(n).to_string()))
            .collect(),
        currency: j.currency,
        refund,
        p,
        i,
        f,
    };
    render(&view, status)
}

/// The first screen sent: on to the calculation, or back with what is wrong.
#[post("/incidents/<id>/join/calculate", data = "<form>")]
pub async fn calculate(
    p: Page,
    auth: AuthUser,
    id: &str,
    form: PostForm,
    db: &State<Db>,
) -> Result<Reply, AppError> {
    let (i, refused) = open_incident(db, id, &auth.0.id).await?;
    if refused.is_some() {
        return details_page(p, i, FormState::default(), refused);
    }
    let read = |n: &str| {
        if n == "amount_claimed" {
            String::new()
        } else {
            form.get(n).to_string()
        }
    };
    match incident::validate_join(&read, &i.dates, today()) {
        Ok(_) => review_page(p, i, &form, FormState::default(), Status::Ok),
        Err(errors) => details_page(p, i, FormState::new(errors).keep(&form, &DETAILS), None),
    }
}

/// The second screen sent: files the complaint (or goes back to the first screen).
#[post("/incidents/<id>/join", data = "<form>")]
pub async fn file(
    p: Page,
    auth: AuthUser,
    id: &str,
    form: PostForm,
    db: &State<Db>,
) -> Result<Reply, AppError> {
    let (i, refused) = open_incident(db, id, &auth.0.id).await?;
    if refused.is_some() {
        return details_page(p, i, FormState::default(), refused);
    }
    if form.get("step") == "back" {
        return details_page(p, i, FormState::default().keep(&form, &DETAILS), None);
    }
    let today = today();
    let j = match incident::validate_join(&|n| form.get(n).to_string(), &i.dates, today) {
        Ok(j) => j,
        Err(errors) if only_amount(&errors) => {
            let f = FormState::new(errors).keep(&form, &AMOUNT);
            return review_page(p, i, &form, f, Status::UnprocessableEntity);
        }
        Err(errors) => {
            return details_page(p, i, FormState::new(errors).keep(&form, &DETAILS), None);
        }
    };
    let user_id = auth.0.id.clone();
    let incident = i.id.clone();
    match db
        .write(move |conn| store::join(conn, &incident, &user_id, &j, today))
        .await
    {
        Ok(complaint) => {
            METRICS.complaints_filed.inc();
            Ok(done(
                format!("/complaints/{complaint}"),
                "flash-incident-joined",
            ))
        }
        Err(WriteError::Failed(e)) => Err(e.into()),
        Err(WriteError::Refused(r)) => {
            let f = FormState::new(one_error("incident", r.message_key()));
            details_page(p, i, f, Some(r.message_key()))
        }
    }
}
