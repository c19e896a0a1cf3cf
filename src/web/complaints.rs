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
use crate::domain::complaint::{self, Announcement, BillingIssue, Facts, Service};
use crate::domain::evidence::{self, FileType, MAX_BYTES};
use crate::domain::money::{Currency, parse_amount};
use crate::domain::provider_answer::{self, Reply as PortalReply};
use crate::ops::metrics::METRICS;
use crate::store::WriteError;
use crate::store::complaints::{self as store, AttachmentMeta, Complaint, Dossier, Event};
use crate::store::provider_cases;
use crate::web::errors::AppError;

/// Today, as the rules see it (UTC).
pub fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

/// Ids in URLs are UUIDs; anything else cannot name a complaint.
pub fn complaint_id(id: &str) -> Result<String, AppError> {
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
    let (complaints, country) = db
        .run(move |conn| {
            let country = crate::store::users::country(conn, &user_id)?;
            Ok::<_, AppError>((store::of_user(conn, &user_id)?, country))
        })
        .await?;
    render(
        &ListView {
            p,
            complaints,
            profile: config.claim_profile(country),
            today: today(),
        },
        Status::Ok,
    )
}

// ---- Filing --------------------------------------------------------------------------

/// Options whose labels are catalog keys `<prefix>-<value with - for _>`.
pub fn choices<'a>(p: &Page, prefix: &str, values: impl Iterator<Item = &'a str>) -> Vec<Choice> {
    values
        .map(|v| Choice::new(v, p.t(format!("{prefix}-{}", v.replace('_', "-")))))
        .collect()
}

/// The choices the facts' fields offer (`complaints/fact_fields.html`), the same on the
/// filing steps and on the correction page.
pub struct FactChoices {
    pub currencies: Vec<Choice>,
    pub services: Vec<Choice>,
    pub announcements: Vec<Choice>,
    pub billing_issues: Vec<Choice>,
}

impl FactChoices {
    pub fn new(p: &Page) -> FactChoices {
        FactChoices {
            currencies: Currency::ALL
                .iter()
                .map(|c| Choice::new(c.code(), c.code().to_string()))
                .collect(),
            services: choices(p, "service", Service::ALL.iter().map(|s| s.as_str())),
            announcements: choices(p, "announced", Announcement::ALL.iter().map(|a| a.as_str())),
            billing_issues: choices(
                p,
                "billing-issue",
                BillingIssue::ALL.iter().map(|b| b.as_str()),
            ),
        }
    }
}

/// A whole complaint in one request (the browser's form goes in steps: `web::filing`).
#[post("/complaints", data = "<form>")]
pub async fn file(
    p: Page,
    auth: Result<AuthUser, AppError>,
    form: PostForm,
    db: &State<Db>,
) -> Result<Reply, AppError> {
    let names = crate::domain::filing::Step::all_fields();
    let auth =
        match super::filing::signed_in(auth, &form, &names, None, super::filing::Step::Check)? {
            Ok(user) => user,
            Err(carried) => return super::auth::login_carrying(p, carried),
        };
    let p = Page {
        user: Some(auth.0.clone()),
        ..p
    };
    let today = today();
    let draft = complaint::validate(&form.all("kind"), &|name| form.get(name).to_string(), today);
    let errors = match draft {
        Ok(draft) => {
            let user_id = auth.0.id.clone();
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
    super::filing::keep_refused(p, db, &auth.0.id, &form, errors).await
}

// ---- One complaint -------------------------------------------------------------------

#[derive(Template)]
#[template(path = "complaints/show.html")]
struct ShowView {
    p: Page,
    c: Complaint,
    /// The provider answered on the portal and the subscriber has not replied yet.
    can_reply: bool,
    /// The reply form's values and errors.
    rf: FormState,
    events: Vec<Event>,
    attachments: Vec<AttachmentMeta>,
    next: String,
    overdue: bool,
    /// The provider's answer is due by this day (while the claim waits for it).
    due: Option<NaiveDate>,
    /// Where the advice's bodies come from, when it names one with a source.
    sources: Vec<&'static str>,
    /// The letters to the bodies of the ladder that are offered: `to` and the link's text.
    body_letters: Vec<Choice>,
    /// Whether the letter to the provider's consumer service (second level) is offered.
    consumer_service_letter: bool,
    actions: Vec<ActionKind>,
    /// A problem with the last upload (catalog key).
    upload_error: Option<&'static str>,
    max_attachments: i64,
    increase: Option<i64>,
    /// The facts and amount may still be corrected (the claim is not sent).
    editable: bool,
}

impl ShowView {
    /// Withdrawing is offered apart from the moves: a way out, not a next step.
    fn can_withdraw(&self) -> bool {
        self.actions.contains(&ActionKind::Withdraw)
    }
}

/// Loads what the complaint page shows, or 404 for anyone but the owner and admins.
pub(crate) async fn load(
    db: &Db,
    id: &str,
    viewer: &crate::store::users::User,
) -> Result<Dossier, AppError> {
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

/// The advice's sentences with their dates, amounts and bodies formatted for the reader.
pub fn next_step_text(p: &Page, advice: &[NextStep], currency: Currency) -> String {
    let sentences: Vec<String> = advice
        .iter()
        .map(|step| {
            let mut args = fluent_bundle::FluentArgs::new();
            for (name, date) in &step.dates {
                args.set(*name, p.date(*date));
            }
            for (name, amount) in &step.amounts {
                args.set(*name, p.money(*amount, currency));
            }
            if let Some(body) = step.body {
                args.set("body", p.body_name(body).to_string());
            }
            super::i18n::CATALOG.message(p.lang, step.key, Some(&args))
        })
        .collect();
    sentences.join(" ")
}

/// The profile a complaint's claim follows: the configured answer times and the ladder of
/// its owner's country (whoever looks at it).
async fn profile_of(db: &Db, config: &AppConfig, c: &Complaint) -> Result<Profile, AppError> {
    let owner = c.owner_id.clone();
    let country = db
        .run(move |conn| crate::store::users::country_of_owner(conn, owner.as_deref()))
        .await?;
    Ok(config.claim_profile(country))
}

/// The bodies of the ladder one may write to today, as letter links.
fn body_letters(p: &Page, r: &claim::Claim, profile: &Profile, today: NaiveDate) -> Vec<Choice> {
    profile
        .bodies()
        .filter(|(b, _)| claim::body_letter(r, profile, *b, today))
        .map(|(b, step)| {
            Choice::new(
                b.as_str(),
                p.t_with("letter-body-link", "body", p.body_name(step)),
            )
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
async fn show_page(
    p: Page,
    db: &Db,
    config: &AppConfig,
    id: &str,
    viewer: &crate::store::users::User,
    upload_error: Option<&'static str>,
    rf: FormState,
    status: Status,
) -> Result<Reply, AppError> {
    let (c, events, attachments) = load(db, id, viewer).await?;
    let can_reply = c
        .claim
        .as_ref()
        .is_some_and(|r| provider_answer::reply(r).is_ok());
    let profile = profile_of(db, config, &c).await?;
    let today = today();
    let (next, sources, overdue, due, letters, actions) = match &c.claim {
        Some(r) => {
            let advice = claim::next_step(r, &profile, today);
            let sources = advice
                .iter()
                .filter_map(|s| s.body?.source.as_deref())
                .collect();
            (
                next_step_text(&p, &advice, c.currency),
                sources,
                claim::is_overdue(r, &profile, today),
                r.answer_due_on.filter(|_| r.state == claim::State::Sent),
                (
                    body_letters(&p, r, &profile, today),
                    claim::consumer_service_letter(r, &profile, today),
                ),
                claim::allowed_actions(r.state),
            )
        }
        None => (
            p.t("next-no-claim"),
            Vec::new(),
            false,
            None,
            (Vec::new(), false),
            Vec::new(),
        ),
    };
    let increase = c.increase_percent();
    let editable = complaint::may_edit(
        c.claim.as_ref().map(|r| r.state),
        c.amount_claimed.or(Some(0)),
    )
    .is_ok();
    let view = ShowView {
        editable,
        p,
        c,
        can_reply,
        rf,
        events,
        attachments,
        next,
        sources,
        overdue,
        due,
        body_letters: letters.0,
        consumer_service_letter: letters.1,
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
    show_page(
        p,
        db,
        config,
        id,
        &auth.0,
        None,
        FormState::default(),
        Status::Ok,
    )
    .await
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
    /// The evidence the subscriber may tick to send through Recours.
    evidence: Vec<AttachmentMeta>,
}

/// The bodies the claim may be taken to today, named as the subscriber's ladder names
/// them: the page offers no step the rules would refuse (`body_open`).
fn open_bodies(p: &Page, record: &claim::Claim, profile: &Profile) -> Vec<Choice> {
    claim::Body::ALL
        .iter()
        .filter(|b| claim::body_open(record, profile, **b, today()))
        .map(|b| match profile.step(*b) {
            Some(step) => Choice::new(b.as_str(), p.body_name(step).to_string()),
            None => Choice::new(b.as_str(), p.t(b.label_key())),
        })
        .collect()
}

/// The claim's move form; `bodies` from `open_bodies`.
#[allow(clippy::too_many_arguments)]
fn action_page(
    p: Page,
    c: Complaint,
    evidence: Vec<AttachmentMeta>,
    action: ActionKind,
    f: FormState,
    refused: Option<&'static str>,
    status: Status,
    bodies: Vec<Choice>,
) -> Result<Reply, AppError> {
    let view = ActionView {
        channels: claim::Channel::ALL
            .iter()
            .map(|c| Choice::new(c.as_str(), p.t(c.label_key())))
            .collect(),
        bodies,
        outcomes: claim::Outcome::ALL
            .iter()
            .map(|o| Choice::new(o.as_str(), p.t(o.label_key())))
            .collect(),
        p,
        c,
        evidence,
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
    config: &State<AppConfig>,
) -> Result<Reply, AppError> {
    // An unknown move is a page that does not exist.
    let action = action.map_err(|_| AppError::NotFound)?;
    let (c, _, evidence) = load(db, id, &auth.0).await?;
    let Some(record) = &c.claim else {
        return Err(AppError::NotFound);
    };
    let bodies = open_bodies(&p, record, &profile_of(db, config, &c).await?);
    let mut f = FormState::default();
    f.set_date("on", today());
    action_page(p, c, evidence, action, f, None, Status::Ok, bodies)
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
    let (c, _, evidence) = load(db, id, &auth.0).await?;
    let Some(record) = &c.claim else {
        return Err(AppError::NotFound);
    };
    let Some(action) = ActionKind::parse(form.get("action")) else {
        return Err(AppError::BadRequest("error-bad-form"));
    };
    let claimed = record.amount_claimed;
    let profile = profile_of(db, config, &c).await?;
    let bodies = open_bodies(&p, record, &profile);
    let amount = Some(form.get("amount"))
        .filter(|a| !a.trim().is_empty())
        .map(|a| parse_amount(a, c.currency));
    let parsed = claim::parse_action(&|name| form.get(name).to_string(), amount, claimed, today());
    let keep = [
        "channel",
        "reference",
        "amount",
        "note",
        "body",
        "outcome",
        "account_name",
    ];
    let through_recours = form.get("channel") == claim::Channel::Recours.as_str();
    let account_name = form.get("account_name").trim().to_string();
    let mut portal_errors = FieldErrors::default();
    if action == ActionKind::Send && through_recours {
        if c.provider.is_pending() {
            portal_errors.add("channel", "provider-error-not-on-portal");
        }
        if account_name.is_empty() {
            portal_errors.add("account_name", "error-required");
        } else if account_name.chars().count() > claim::REFERENCE_MAX_CHARS {
            portal_errors.add("account_name", "claim-error-reference-too-long");
        }
    }
    let parsed: Action = match parsed {
        Ok(a) if portal_errors.is_empty() => a,
        other => {
            let mut errors = other.err().unwrap_or_default();
            for e in portal_errors.iter() {
                errors.add(e.field, e.message);
            }
            let f = FormState::new(errors)
                .keep(&form, &keep)
                .keep_date(&form, "on");
            return action_page(
                p,
                c,
                evidence,
                action,
                f,
                None,
                Status::UnprocessableEntity,
                bodies,
            );
        }
    };
    // Sent through Recours, it reaches the provider now, whatever date was typed.
    let parsed = match parsed {
        Action::Send {
            channel: claim::Channel::Recours,
            reference,
            ..
        } => Action::Send {
            on: today(),
            channel: claim::Channel::Recours,
            reference,
        },
        other => other,
    };
    let ticked: Vec<String> = evidence
        .iter()
        .filter(|a| form.checked(&format!("evidence-{}", a.id)))
        .map(|a| a.id.clone())
        .collect();
    let (complaint, viewer, move_) = (c.id.clone(), auth.0.clone(), parsed.clone());
    let outcome = db
        .write(move |conn| {
            if through_recours && matches!(move_, Action::Send { .. }) {
                provider_cases::send(
                    conn,
                    &complaint,
                    &viewer,
                    &move_,
                    &account_name,
                    &ticked,
                    &profile,
                )
            } else {
                store::act(conn, &complaint, &viewer, &move_, &profile)
            }
        })
        .await;
    match outcome {
        Ok(()) => {
            METRICS.claim_move(parsed.kind().as_str());
            Ok(done(format!("/complaints/{}", c.id), "flash-claim-updated"))
        }
        Err(WriteError::Refused(refused)) => {
            let f = FormState::new(FieldErrors::default())
                .keep(&form, &keep)
                .keep_date(&form, "on");
            action_page(
                p,
                c,
                evidence,
                action,
                f,
                Some(refused.message_key()),
                Status::Conflict,
                bodies,
            )
        }
        Err(WriteError::Failed(e)) => Err(e.into()),
    }
}

/// The subscriber accepts or disputes the provider's answer given on the portal; a
/// dispute needs its reason. Then the claim's page offers the next step.
#[post("/complaints/<id>/reply", data = "<form>")]
pub async fn reply(
    p: Page,
    auth: AuthUser,
    id: &str,
    form: PostForm,
    db: &State<Db>,
    config: &State<AppConfig>,
) -> Result<Reply, AppError> {
    let cid = complaint_id(id)?;
    let mut errors = FieldErrors::default();
    let choice = PortalReply::parse(form.get("reply"));
    if choice.is_none() {
        errors.add("reply", "error-choice");
    }
    let reason = form.get("reason").trim().to_string();
    if choice == Some(PortalReply::Disputed) && reason.is_empty() {
        errors.add("reason", "error-required");
    }
    if reason.chars().count() > claim::NOTE_MAX_CHARS {
        errors.add("reason", "claim-error-note-too-long");
    }
    let refused = match choice {
        Some(choice) if errors.is_empty() => {
            let (viewer, wanted) = (auth.0.clone(), cid.clone());
            let reason = (!reason.is_empty()).then_some(reason);
            match db
                .write(move |conn| {
                    provider_cases::reply(
                        conn,
                        &wanted,
                        &viewer,
                        choice,
                        reason.as_deref(),
                        today(),
                    )
                })
                .await
            {
                Ok(()) => return Ok(done(format!("/complaints/{cid}"), "flash-reply-recorded")),
                Err(WriteError::Refused(r)) => Some(r.message_key()),
                Err(WriteError::Failed(e)) => return Err(e.into()),
            }
        }
        _ => None,
    };
    let status = if refused.is_some() {
        Status::Conflict
    } else {
        Status::UnprocessableEntity
    };
    let rf = FormState::new(errors).keep(&form, &["reply", "reason"]);
    show_page(p, db, config, id, &auth.0, refused, rf, status).await
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
            return show_page(
                p,
                db,
                config,
                id,
                &user,
                Some(key),
                FormState::default(),
                status,
            )
            .await;
        }
    };
    csrf.verify(&upload.csrf_token)?;
    let (bytes, file_type) = match checked_file(&upload).await? {
        Ok(file) => file,
        Err((key, status)) => {
            return show_page(
                p,
                db,
                config,
                id,
                &user,
                Some(key),
                FormState::default(),
                status,
            )
            .await;
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
                FormState::default(),
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
    Ok(Download::attachment(&meta, body))
}

impl Download {
    /// A piece of evidence, downloaded (never shown inline), never cached.
    pub fn attachment(meta: &AttachmentMeta, body: Vec<u8>) -> Download {
        Download {
            body,
            content_type: ContentType::parse_flexible(&meta.content_type)
                .unwrap_or(ContentType::Binary),
            disposition: Header::new(
                "Content-Disposition",
                format!("attachment; filename=\"{}\"", meta.filename),
            ),
            cache: Header::new("Cache-Control", "private, no-store"),
        }
    }
}

// ---- Letters -------------------------------------------------------------------------

/// Who a letter is written to: the provider's customer service, its consumer service (the
/// second level), or a body of the ladder one writes to (the French mediator, a regulator).
/// The text is the `to` of the letter's URL: `provider`, `consumer_service` or the body's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Recipient {
    Provider,
    ConsumerService,
    Body(claim::Body),
}

impl Recipient {
    fn parse(to: Option<&str>) -> Option<Recipient> {
        match to {
            None | Some("provider") => Some(Recipient::Provider),
            Some("consumer_service") => Some(Recipient::ConsumerService),
            Some(body) => claim::Body::parse(body)
                .filter(|b| b.takes_letter())
                .map(Recipient::Body),
        }
    }

    fn is_body(&self) -> bool {
        matches!(self, Recipient::Body(_))
    }

    fn is_provider(&self) -> bool {
        *self == Recipient::Provider
    }
}

#[derive(Template)]
#[template(path = "complaints/letter.html")]
struct LetterView {
    p: Page,
    c: Complaint,
    /// The timeline in date order (a letter sent before the complaint was recorded here
    /// comes before its filing).
    events: Vec<Event>,
    to: Recipient,
    title: String,
    /// The body written to, with its address when the ladder has one.
    body: Option<&'static crate::domain::ladder::Step>,
    /// The letter's own date: the day the claim was sent for the provider's letter once
    /// sent (a copy of what was sent), otherwise today.
    dated: NaiveDate,
    /// The answer asked for by this day, counted from the letter's own date.
    due: Option<NaiveDate>,
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
    let (c, mut events, _) = load(db, id, &auth.0).await?;
    let profile = profile_of(db, config, &c).await?;
    let today = today();
    let to = Recipient::parse(to).ok_or(AppError::NotFound)?;
    // A letter exists once its step was reached, and stays (a closed claim keeps them).
    let available = match to {
        Recipient::Provider => true,
        Recipient::ConsumerService => c
            .claim
            .as_ref()
            .is_some_and(|r| claim::consumer_service_letter(r, &profile, today)),
        Recipient::Body(body) => c
            .claim
            .as_ref()
            .is_some_and(|r| claim::body_letter(r, &profile, body, today)),
    };
    if !available {
        return Err(AppError::NotFound);
    }
    let body = match to {
        Recipient::Body(b) => profile.step(b),
        _ => None,
    };
    let title = match (to, body) {
        (_, Some(step)) => p.t_with("letter-body-title", "body", p.body_name(step)),
        (Recipient::ConsumerService, _) => p.t("letter-consumer-service-title"),
        _ => p.t("letter-provider-title"),
    };
    let sent_on = c.claim.as_ref().and_then(|r| r.sent_on);
    let (dated, due) = match (to, sent_on) {
        (Recipient::Provider, Some(sent)) => (sent, c.claim.as_ref().and_then(|r| r.answer_due_on)),
        (Recipient::Body(_), _) => (today, None),
        _ => (today, Some(claim::plus_days(today, profile.answer_days))),
    };
    events.sort_by_key(|e| e.on_date);
    let increase = c.increase_percent();
    render(
        &LetterView {
            p,
            c,
            events,
            to,
            title,
            body,
            dated,
            due,
            increase,
        },
        Status::Ok,
    )
}
