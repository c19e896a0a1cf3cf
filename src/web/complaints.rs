//! Filing complaints, following the refund claim, evidence and letters.

use askama::Template;
use chrono::NaiveDate;
use rocket::form::{Errors, Form};
use rocket::fs::TempFile;
use rocket::http::{ContentType, Header, Status};
use rocket::tokio::io::AsyncReadExt;
use rocket::{FromForm, State, get, post};

use super::auth::AuthUser;
use super::csrf::{CsrfGuard, PostForm};
use super::page::{Choice, FormState, Page, Reply, done, render};
use crate::config::AppConfig;
use crate::db::Db;
use crate::domain::FieldErrors;
use crate::domain::claim::{self, Action, ActionKind, NextStep, Profile};
use crate::domain::complaint::{
    self, Announcement, BillingIssue, Facts, Kind, PROVIDER_OTHER, Service,
};
use crate::domain::evidence::{self, FileType, MAX_BYTES};
use crate::domain::money::{Currency, parse_amount};
use crate::ops::metrics::METRICS;
use crate::store::WriteError;
use crate::store::complaints::{self as store, AttachmentMeta, Complaint, Dossier, Event};
use crate::store::providers;
use crate::web::errors::AppError;

/// Today, as the rules see it (UTC).
pub fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

/// Ids in URLs are UUIDs; anything else cannot name a complaint.
pub(super) fn complaint_id(id: &str) -> Result<String, AppError> {
    uuid::Uuid::parse_str(id)
        .map(|u| u.to_string())
        .map_err(|_| AppError::NotFound)
}

/// The move in `/complaints/<id>/claim/<action>`: its word (`send`, `answer`...).
impl<'a> rocket::request::FromParam<'a> for ActionKind {
    type Error = &'a str;

    fn from_param(param: &'a str) -> Result<ActionKind, &'a str> {
        ActionKind::parse(param).ok_or(param)
    }
}

// ---- My complaints -------------------------------------------------------------------

#[derive(Template)]
#[template(path = "complaints/list.html")]
struct ListView {
    p: Page,
    complaints: Vec<Complaint>,
    profile: Profile,
    today: NaiveDate,
}

impl ListView {
    fn overdue(&self, c: &Complaint) -> bool {
        c.claim
            .as_ref()
            .is_some_and(|r| claim::is_overdue(r, &self.profile, self.today))
    }
}

#[get("/complaints")]
pub async fn list(
    p: Page,
    auth: AuthUser,
    db: &State<Db>,
    config: &State<AppConfig>,
) -> Result<Reply, AppError> {
    let user_id = auth.0.id;
    let complaints = db.run(move |conn| store::of_user(conn, &user_id)).await?;
    render(
        &ListView {
            p,
            complaints,
            profile: config.claim_profile(),
            today: today(),
        },
        Status::Ok,
    )
}

// ---- Filing --------------------------------------------------------------------------

/// Every field of the filing form, kept when the form comes back with errors.
const FILING_FIELDS: [&str; 24] = [
    "provider",
    "provider_other",
    "kind",
    "title",
    "description",
    "contract_ref",
    "amount_claimed",
    "currency",
    "share_with_associations",
    "service",
    "started_on",
    "ended_on",
    "partly_restored",
    "still_billed",
    "monthly_fee",
    "old_price",
    "new_price",
    "effective_on",
    "announced_by",
    "notice_received",
    "billing_issue",
    "charged_on",
    "charged_amount",
    "csrf_token",
];

#[derive(Template)]
#[template(path = "complaints/new.html")]
struct NewView {
    p: Page,
    f: FormState,
    providers: Vec<Choice>,
    kinds: Vec<Choice>,
    currencies: Vec<Choice>,
    services: Vec<Choice>,
    announcements: Vec<Choice>,
    billing_issues: Vec<Choice>,
}

async fn new_page(p: Page, f: FormState, db: &Db, status: Status) -> Result<Reply, AppError> {
    let listed = db.run(providers::approved).await?;
    let mut providers: Vec<Choice> = listed
        .iter()
        .map(|pr| Choice::new(&pr.slug, format!("{} ({})", pr.name, pr.country)))
        .collect();
    providers.push(Choice::new(
        PROVIDER_OTHER,
        p.t("complaint-provider-not-listed"),
    ));
    let view = NewView {
        providers,
        kinds: choices(&p, "kind", Kind::ALL.iter().map(|k| k.as_str())),
        currencies: Currency::ALL
            .iter()
            .map(|c| Choice::new(c.code(), c.code().to_string()))
            .collect(),
        services: choices(&p, "service", Service::ALL.iter().map(|s| s.as_str())),
        announcements: choices(
            &p,
            "announced",
            Announcement::ALL.iter().map(|a| a.as_str()),
        ),
        billing_issues: choices(
            &p,
            "billing-issue",
            BillingIssue::ALL.iter().map(|b| b.as_str()),
        ),
        p,
        f,
    };
    render(&view, status)
}

/// Options whose labels are catalog keys `<prefix>-<value with - for _>`.
pub fn choices<'a>(p: &Page, prefix: &str, values: impl Iterator<Item = &'a str>) -> Vec<Choice> {
    values
        .map(|v| Choice::new(v, p.t(format!("{prefix}-{}", v.replace('_', "-")))))
        .collect()
}

#[get("/complaints/new")]
pub async fn new(p: Page, _auth: AuthUser, db: &State<Db>) -> Result<Reply, AppError> {
    let mut f = FormState::default();
    f.set("currency", "EUR");
    new_page(p, f, db, Status::Ok).await
}

#[post("/complaints", data = "<form>")]
pub async fn file(
    p: Page,
    auth: AuthUser,
    form: PostForm,
    db: &State<Db>,
) -> Result<Reply, AppError> {
    let today = today();
    let draft = complaint::validate(&|name| form.get(name).to_string(), today);
    let errors = match draft {
        Ok(draft) => {
            let user_id = auth.0.id;
            match db
                .write(move |conn| store::file(conn, &user_id, &draft))
                .await
            {
                Ok(id) => {
                    METRICS.complaints_filed.inc();
                    return Ok(done(format!("/complaints/{id}"), "flash-complaint-filed"));
                }
                Err(WriteError::Failed(e)) => return Err(e.into()),
                Err(WriteError::Refused(refused)) => {
                    let mut errors = FieldErrors::default();
                    errors.add("provider", refused.message_key());
                    errors
                }
            }
        }
        Err(errors) => errors,
    };
    let f = FormState::new(errors).keep(&form, &FILING_FIELDS);
    new_page(p, f, db, Status::UnprocessableEntity).await
}

// ---- One complaint -------------------------------------------------------------------

#[derive(Template)]
#[template(path = "complaints/show.html")]
struct ShowView {
    p: Page,
    c: Complaint,
    events: Vec<Event>,
    attachments: Vec<AttachmentMeta>,
    next: String,
    overdue: bool,
    /// The provider's answer is due by this day (while the claim waits for it).
    due: Option<NaiveDate>,
    /// Whether the letter to the mediator is offered.
    mediator_open: bool,
    actions: Vec<ActionKind>,
    /// A problem with the last upload (catalog key).
    upload_error: Option<&'static str>,
    max_attachments: i64,
    increase: Option<i64>,
}

/// Loads what the complaint page shows, or 404 for anyone but the owner and admins.
async fn load(db: &Db, id: &str, viewer: &crate::store::users::User) -> Result<Dossier, AppError> {
    let id = complaint_id(id)?;
    let viewer = viewer.clone();
    db.run(move |conn| {
        let c = store::visible(conn, &id, &viewer)?.ok_or(AppError::NotFound)?;
        let events = store::events(conn, &id)?;
        let attachments = store::attachments_of(conn, &id)?;
        Ok((c, events, attachments))
    })
    .await
}

/// The next-step sentence with its dates and amounts formatted for the reader.
pub fn next_step_text(p: &Page, step: &NextStep, currency: Currency) -> String {
    let mut args = fluent_bundle::FluentArgs::new();
    for (name, date) in &step.dates {
        args.set(*name, p.date(*date));
    }
    for (name, amount) in &step.amounts {
        args.set(*name, p.money(*amount, currency));
    }
    super::i18n::CATALOG.message(p.lang, step.key, Some(&args))
}

async fn show_page(
    p: Page,
    db: &Db,
    config: &AppConfig,
    id: &str,
    viewer: &crate::store::users::User,
    upload_error: Option<&'static str>,
    status: Status,
) -> Result<Reply, AppError> {
    let (c, events, attachments) = load(db, id, viewer).await?;
    let profile = config.claim_profile();
    let today = today();
    let (next, overdue, due, mediator_open, actions) = match &c.claim {
        Some(r) => (
            next_step_text(&p, &claim::next_step(r, &profile, today), c.currency),
            claim::is_overdue(r, &profile, today),
            r.answer_due_on.filter(|_| r.state == claim::State::Sent),
            claim::mediator_open(r, &profile, today),
            claim::allowed_actions(r.state),
        ),
        None => (p.t("next-no-claim"), false, None, false, Vec::new()),
    };
    let increase = c.facts.increase_percent();
    let view = ShowView {
        p,
        c,
        events,
        attachments,
        next,
        overdue,
        due,
        mediator_open,
        actions,
        upload_error,
        max_attachments: store::MAX_ATTACHMENTS,
        increase,
    };
    render(&view, status)
}

#[get("/complaints/<id>", rank = 2)]
pub async fn show(
    p: Page,
    auth: AuthUser,
    id: &str,
    db: &State<Db>,
    config: &State<AppConfig>,
) -> Result<Reply, AppError> {
    show_page(p, db, config, id, &auth.0, None, Status::Ok).await
}

// ---- The claim's moves ----------------------------------------------------------------

#[derive(Template)]
#[template(path = "complaints/claim_action.html")]
struct ActionView {
    p: Page,
    c: Complaint,
    action: ActionKind,
    f: FormState,
    /// Set when the rules refused the move (catalog key).
    refused: Option<&'static str>,
    channels: Vec<Choice>,
    bodies: Vec<Choice>,
    outcomes: Vec<Choice>,
}

fn action_page(
    p: Page,
    c: Complaint,
    action: ActionKind,
    f: FormState,
    refused: Option<&'static str>,
    status: Status,
) -> Result<Reply, AppError> {
    let view = ActionView {
        channels: claim::Channel::ALL
            .iter()
            .map(|c| Choice::new(c.as_str(), p.t(c.label_key())))
            .collect(),
        bodies: claim::Body::ALL
            .iter()
            .map(|b| Choice::new(b.as_str(), p.t(b.label_key())))
            .collect(),
        outcomes: claim::Outcome::ALL
            .iter()
            .map(|o| Choice::new(o.as_str(), p.t(o.label_key())))
            .collect(),
        p,
        c,
        action,
        f,
        refused,
    };
    render(&view, status)
}

#[get("/complaints/<id>/claim/<action>")]
pub async fn action_form(
    p: Page,
    auth: AuthUser,
    id: &str,
    action: Result<ActionKind, &str>,
    db: &State<Db>,
) -> Result<Reply, AppError> {
    // An unknown move is a page that does not exist.
    let action = action.map_err(|_| AppError::NotFound)?;
    let (c, _, _) = load(db, id, &auth.0).await?;
    if c.claim.is_none() {
        return Err(AppError::NotFound);
    }
    let mut f = FormState::default();
    f.set("on", &today().to_string());
    action_page(p, c, action, f, None, Status::Ok)
}

#[post("/complaints/<id>/claim", data = "<form>")]
pub async fn act(
    p: Page,
    auth: AuthUser,
    id: &str,
    form: PostForm,
    db: &State<Db>,
    config: &State<AppConfig>,
) -> Result<Reply, AppError> {
    let (c, _, _) = load(db, id, &auth.0).await?;
    let Some(record) = &c.claim else {
        return Err(AppError::NotFound);
    };
    let Some(action) = ActionKind::parse(form.get("action")) else {
        return Err(AppError::BadRequest("error-bad-form"));
    };
    let claimed = record.amount_claimed;
    let amount = Some(form.get("amount"))
        .filter(|a| !a.trim().is_empty())
        .map(|a| parse_amount(a, c.currency));
    let parsed = claim::parse_action(&|name| form.get(name).to_string(), amount, claimed, today());
    let keep = [
        "on",
        "channel",
        "reference",
        "amount",
        "note",
        "body",
        "outcome",
    ];
    let parsed: Action = match parsed {
        Ok(a) => a,
        Err(errors) => {
            let f = FormState::new(errors).keep(&form, &keep);
            return action_page(p, c, action, f, None, Status::UnprocessableEntity);
        }
    };
    let (complaint, viewer, move_) = (c.id.clone(), auth.0.clone(), parsed.clone());
    let profile = config.claim_profile();
    let outcome = db
        .write(move |conn| store::act(conn, &complaint, &viewer, &move_, &profile))
        .await;
    match outcome {
        Ok(()) => {
            METRICS.claim_move(parsed.kind().as_str());
            Ok(done(format!("/complaints/{}", c.id), "flash-claim-updated"))
        }
        Err(WriteError::Refused(refused)) => {
            let f = FormState::new(FieldErrors::default()).keep(&form, &keep);
            action_page(
                p,
                c,
                action,
                f,
                Some(refused.message_key()),
                Status::Conflict,
            )
        }
        Err(WriteError::Failed(e)) => Err(e.into()),
    }
}

// ---- Evidence ------------------------------------------------------------------------

#[derive(FromForm)]
pub struct Upload<'r> {
    csrf_token: String,
    file: TempFile<'r>,
}

/// Why the upload form could not be read: the catalog key and the status.
fn form_problem(errors: &Errors<'_>) -> (&'static str, Status) {
    let too_large = errors
        .iter()
        .any(|e| matches!(e.kind, rocket::form::error::ErrorKind::InvalidLength { .. }));
    if too_large {
        ("error-file-too-large", Status::PayloadTooLarge)
    } else {
        ("error-file-missing", Status::UnprocessableEntity)
    }
}

/// The uploaded file's bytes and type, or why it is refused (the catalog key and status).
async fn checked_file(
    upload: &Upload<'_>,
) -> Result<Result<(Vec<u8>, FileType), (&'static str, Status)>, AppError> {
    let mut bytes = Vec::new();
    if upload.file.len() > 0 {
        let mut reader = upload
            .file
            .open()
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?;
        reader
            .read_to_end(&mut bytes)
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?;
    }
    Ok(if bytes.is_empty() {
        Err(("error-file-missing", Status::UnprocessableEntity))
    } else if bytes.len() > MAX_BYTES {
        Err(("error-file-too-large", Status::PayloadTooLarge))
    } else {
        match evidence::sniff(&bytes) {
            Some(file_type) => Ok((bytes, file_type)),
            None => Err(("error-file-type", Status::UnsupportedMediaType)),
        }
    })
}

#[post("/complaints/<id>/attachments", data = "<upload>")]
#[allow(clippy::too_many_arguments)]
pub async fn upload(
    p: Page,
    auth: AuthUser,
    id: &str,
    csrf: CsrfGuard,
    upload: Result<Form<Upload<'_>>, Errors<'_>>,
    db: &State<Db>,
    config: &State<AppConfig>,
) -> Result<Reply, AppError> {
    let user = auth.0;
    let upload = match upload {
        Ok(upload) => upload.into_inner(),
        Err(errors) => {
            let (key, status) = form_problem(&errors);
            return show_page(p, db, config, id, &user, Some(key), status).await;
        }
    };
    csrf.verify(&upload.csrf_token)?;
    let (bytes, file_type) = match checked_file(&upload).await? {
        Ok(file) => file,
        Err((key, status)) => {
            return show_page(p, db, config, id, &user, Some(key), status).await;
        }
    };
    let raw_name = upload
        .file
        .raw_name()
        .map(|n| n.dangerous_unsafe_unsanitized_raw().as_str().to_string());
    let filename = evidence::safe_filename(raw_name.as_deref(), file_type);
    let complaint = complaint_id(id)?;
    let viewer = user.clone();
    let stored = db
        .write(move |conn| {
            store::attach(
                conn,
                &complaint,
                &viewer,
                &filename,
                file_type.content_type(),
                &bytes,
            )
        })
        .await;
    match stored {
        Ok(()) => Ok(done(
            format!("/complaints/{id}#evidence"),
            "flash-attachment-added",
        )),
        Err(WriteError::Refused(refused)) => {
            show_page(
                p,
                db,
                config,
                id,
                &user,
                Some(refused.message_key()),
                Status::UnprocessableEntity,
            )
            .await
        }
        Err(WriteError::Failed(e)) => Err(e.into()),
    }
}

#[derive(rocket::Responder)]
pub struct Download {
    body: Vec<u8>,
    content_type: ContentType,
    disposition: Header<'static>,
    cache: Header<'static>,
}

#[get("/complaints/<id>/attachments/<attachment>")]
pub async fn download(
    auth: AuthUser,
    id: &str,
    attachment: &str,
    db: &State<Db>,
) -> Result<Download, AppError> {
    let complaint = complaint_id(id)?;
    let attachment = complaint_id(attachment)?;
    let viewer = auth.0;
    let (meta, body) = db
        .run(move |conn| store::attachment(conn, &complaint, &attachment, &viewer))
        .await?
        .ok_or(AppError::NotFound)?;
    let content_type =
        ContentType::parse_flexible(&meta.content_type).unwrap_or(ContentType::Binary);
    Ok(Download {
        body,
        content_type,
        disposition: Header::new(
            "Content-Disposition",
            format!("attachment; filename=\"{}\"", meta.filename),
        ),
        cache: Header::new("Cache-Control", "private, no-store"),
    })
}

// ---- Letters -------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "complaints/letter.html")]
struct LetterView {
    p: Page,
    c: Complaint,
    events: Vec<Event>,
    to_mediator: bool,
    due: Option<NaiveDate>,
    today: NaiveDate,
    increase: Option<i64>,
}

#[get("/complaints/<id>/letter?<to>")]
pub async fn letter(
    p: Page,
    auth: AuthUser,
    id: &str,
    to: Option<&str>,
    db: &State<Db>,
    config: &State<AppConfig>,
) -> Result<Reply, AppError> {
    let (c, events, _) = load(db, id, &auth.0).await?;
    let profile = config.claim_profile();
    let today = today();
    let to_mediator = match to {
        None | Some("provider") => false,
        Some("mediator") => true,
        Some(_) => return Err(AppError::NotFound),
    };
    if to_mediator
        && !c
            .claim
            .as_ref()
            .is_some_and(|r| claim::mediator_open(r, &profile, today))
    {
        return Err(AppError::NotFound);
    }
    let due = c.claim.as_ref().and_then(|r| r.answer_due_on);
    let increase = c.facts.increase_percent();
    render(
        &LetterView {
            p,
            c,
            events,
            to_mediator,
            due,
            today,
            increase,
        },
        Status::Ok,
    )
}
