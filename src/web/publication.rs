//! Publishing a complaint's description in the open data: its author agrees (or withdraws)
//! on a page of its own, and a reviewer approves or refuses each anonymised text.

use askama::Template;
use rocket::http::Status;
use rocket::{State, get, post};

use super::auth::AuthUser;
use super::complaints::complaint_id;
use super::csrf::PostForm;
use super::page::{Page, Reply, done, render};
use super::review::Reviewer;
use crate::db::Db;
use crate::domain::anonymise::anonymise;
use crate::store::complaints::{self as store, Complaint, Waiting};
use crate::web::errors::AppError;

fn now() -> chrono::NaiveDateTime {
    chrono::Utc::now().naive_utc()
}

#[derive(Template)]
#[template(path = "complaints/publication.html")]
struct PublicationView {
    p: Page,
    c: Complaint,
    /// What the open data would show: the anonymised description.
    preview: String,
    /// None: not agreed; Some(false): waiting for a reviewer; Some(true): published.
    state: Option<bool>,
}

/// The complaint if the viewer may see it (404 otherwise, as for its page), and whether
/// its description is agreed to / approved.
async fn load(db: &Db, id: &str, auth: &AuthUser) -> Result<(Complaint, Option<bool>), AppError> {
    let id = complaint_id(id)?;
    let viewer = auth.0.clone();
    db.run(move |conn| {
        let c = store::visible(conn, &id, &viewer)?.ok_or(AppError::NotFound)?;
        let state = store::publication(conn, &id)?;
        Ok((c, state))
    })
    .await
}

#[get("/complaints/<id>/publication")]
pub async fn show(p: Page, auth: AuthUser, id: &str, db: &State<Db>) -> Result<Reply, AppError> {
    let (c, state) = load(db, id, &auth).await?;
    let refs: Vec<&str> = c.contract_ref.as_deref().into_iter().collect();
    let view = PublicationView {
        preview: anonymise(&c.description, &refs),
        p,
        c,
        state,
    };
    render(&view, Status::Ok)
}

/// `agree=yes` agrees, `agree=no` withdraws; anything else is refused.
#[post("/complaints/<id>/publication", data = "<form>")]
pub async fn set(
    auth: AuthUser,
    id: &str,
    form: PostForm,
    db: &State<Db>,
) -> Result<Reply, AppError> {
    let agree = match form.get("agree") {
        "yes" => true,
        "no" => false,
        _ => return Err(AppError::BadRequest("error-bad-form")),
    };
    let (c, _) = load(db, id, &auth).await?;
    let complaint = c.id.clone();
    let at = now();
    db.write(move |conn| {
        if agree {
            store::agree(conn, &complaint, at)
        } else {
            store::withdraw(conn, &complaint)
        }
    })
    .await?;
    let flash = if agree {
        "flash-publication-agreed"
    } else {
        "flash-publication-withdrawn"
    };
    Ok(done(format!("/complaints/{}/publication", c.id), flash))
}

/// Descriptions listed at a time: the oldest agreements first.
const QUEUE: i64 = 50;

#[derive(Template)]
#[template(path = "review/publications.html")]
struct QueueView {
    p: Page,
    waiting: Vec<Waiting>,
}

#[get("/review/publications")]
pub async fn queue(p: Page, _reviewer: Reviewer, db: &State<Db>) -> Result<Reply, AppError> {
    let waiting = db.run(|conn| store::waiting(conn, QUEUE)).await?;
    render(&QueueView { p, waiting }, Status::Ok)
}

/// `decision=approve` publishes the text, `decision=refuse` drops the agreement; an id
/// with nothing waiting is 404.
#[post("/review/publications/<public_id>", data = "<form>")]
pub async fn decide(
    _reviewer: Reviewer,
    public_id: &str,
    form: PostForm,
    db: &State<Db>,
) -> Result<Reply, AppError> {
    let approve = match form.get("decision") {
        "approve" => true,
        "refuse" => false,
        _ => return Err(AppError::BadRequest("error-bad-form")),
    };
    if !store::is_public_id(public_id) {
        return Err(AppError::NotFound);
    }
    let public_id = public_id.to_string();
    let at = now();
    let found = db
        .write(move |conn| store::decide(conn, &public_id, approve, at))
        .await?;
    if !found {
        return Err(AppError::NotFound);
    }
    Ok(done("/review/publications", "flash-publication-decided"))
}
