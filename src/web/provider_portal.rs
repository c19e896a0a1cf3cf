//! The provider's portal: the staff's inbox of claims sent through Recours, a case, the
//! answers (one or many at once), the CSV of their cases, and their colleagues. Admins
//! invite staff and read the audit log from the provider's admin pages.

use askama::Template;
use chrono::NaiveDate;
use rocket::http::Status;
use rocket::request::{FromRequest, Outcome, Request};
use rocket::{State, get, post};

use super::auth::{AdminUser, AuthUser};
use super::complaints::{Download, complaint_id, today};
use super::csrf::PostForm;
use super::csv_sheet::{Cell, Sheet};
use super::page::{Choice, FormState, Page, Reply, done, render};
use super::stats::{Download as CsvDownload, csv_download};
use crate::config::AppConfig;
use crate::db::Db;
use crate::domain::FieldErrors;
use crate::domain::account::{Role, email_is_valid};
use crate::domain::claim::State as ClaimState;
use crate::domain::complaint::{Facts, Kind};
use crate::domain::money::parse_amount;
use crate::domain::provider_answer::{ResponseType, parse_response};
use crate::store::WriteError;
use crate::store::complaints::{AttachmentMeta, Event};
use crate::store::provider_cases::{self as cases, Case, Filter, Inbox};
use crate::store::provider_staff::{self as staff, AuditEntry};
use crate::store::providers::{self, Provider};
use crate::store::users::{CreateUserError, User};
use crate::web::errors::AppError;

/// A provider's staff member, with the provider they answer for; anyone else logged in
/// gets 403.
pub struct StaffUser {
    pub user: User,
    pub provider_id: String,
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for StaffUser {
    type Error = AppError;
    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, AppError> {
        match req.guard::<AuthUser>().await {
            Outcome::Success(AuthUser(user)) if user.role == Role::Provider => {
                match user.provider_id.clone() {
                    Some(provider_id) => Outcome::Success(StaffUser { user, provider_id }),
                    None => Outcome::Error((Status::Forbidden, AppError::Forbidden("error-role"))),
                }
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

async fn provider_of(db: &Db, provider_id: &str) -> Result<Provider, AppError> {
    let id = provider_id.to_string();
    db.run(move |conn| providers::by_id(conn, &id))
        .await?
        .ok_or(AppError::NotFound)
}

// ---- The inbox ------------------------------------------------------------------------

/// The inbox's filters from the query string: `state`, `due` (`soon` or `overdue`),
/// `kind`, `month` (YYYY-MM). An unknown value is a 400, not a silently wider list.
fn filter_of(
    state: Option<&str>,
    due: Option<&str>,
    kind: Option<&str>,
    month: Option<&str>,
) -> Result<Filter, AppError> {
    let bad = || AppError::BadRequest("error-bad-request");
    fn given(v: Option<&str>) -> Option<&str> {
        v.map(str::trim).filter(|v| !v.is_empty())
    }
    let mut filter = Filter::default();
    if let Some(s) = given(state) {
        filter.state = Some(ClaimState::parse(s).ok_or_else(bad)?);
    }
    match given(due) {
        None => {}
        Some("soon") => filter.due_soon = true,
        Some("overdue") => filter.overdue = true,
        Some(_) => return Err(bad()),
    }
    if let Some(k) = given(kind) {
        filter.kind = Some(Kind::parse(k).ok_or_else(bad)?);
    }
    if let Some(m) = given(month) {
        filter.month =
            Some(NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").map_err(|_| bad())?);
    }
    Ok(filter)
}

#[derive(Template)]
#[template(path = "provider/inbox.html")]
struct InboxView {
    p: Page,
    provider: Provider,
    inbox: Inbox,
    today: NaiveDate,
    /// The filter's values as typed, and the answer form's values and errors.
    q: FormState,
    f: FormState,
    /// Set when the rules refused a bulk answer: the message and the case it concerns, if
    /// one.
    refused: Option<(&'static str, Option<String>)>,
    /// The filter's values, sent back with an answer to every case it shows.
    filter_fields: Vec<(&'static str, String)>,
    states: Vec<Choice>,
    kinds: Vec<Choice>,
    responses: Vec<Choice>,
    query: String,
}

impl InboxView {
    /// How many cases the filter shows: what an answer to all of them confirms.
    fn shown(&self) -> i64 {
        i64::try_from(self.inbox.cases.len()).unwrap_or(i64::MAX)
    }
}

fn response_choices(p: &Page) -> Vec<Choice> {
    ResponseType::ALL
        .iter()
        .map(|r| Choice::new(r.as_str(), p.t(r.label_key())))
        .collect()
}

#[allow(clippy::too_many_arguments)]
async fn inbox_page(
    p: Page,
    db: &Db,
    staff_user: &StaffUser,
    params: [Option<&str>; 4],
    f: FormState,
    refused: Option<(&'static str, Option<String>)>,
    status: Status,
) -> Result<Reply, AppError> {
    let [state, due, kind, month] = params;
    let filter = filter_of(state, due, kind, month)?;
    let provider = provider_of(db, &staff_user.provider_id).await?;
    let today = today();
    let provider_id = staff_user.provider_id.clone();
    let inbox = db
        .run(move |conn| cases::inbox(conn, &provider_id, &filter, today))
        .await?;
    let mut q = FormState::default();
    let mut query = Vec::new();
    let mut filter_fields = Vec::new();
    for (name, value) in FILTER_FIELDS.into_iter().zip(params) {
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            q.set(name, v);
            query.push(format!(
                "{name}={}",
                rocket::http::RawStr::new(v).percent_encode()
            ));
            filter_fields.push((name, v.to_string()));
        }
    }
    let view = InboxView {
        states: ClaimState::ALL
            .iter()
            .map(|s| Choice::new(s.as_str(), p.t(s.label_key())))
            .collect(),
        kinds: Kind::ALL
            .iter()
            .map(|k| Choice::new(k.as_str(), p.t(p.kind_key(k))))
            .collect(),
        responses: response_choices(&p),
        p,
        provider,
        inbox,
        today,
        q,
        f,
        refused,
        query: query.join("&"),
        filter_fields,
    };
    render(&view, status)
}

/// The inbox's filter, in the order `inbox_page` takes it.
const FILTER_FIELDS: [&str; 4] = ["state", "due", "kind", "month"];

#[get("/provider/complaints?<state>&<due>&<kind>&<month>")]
pub async fn inbox(
    p: Page,
    staff_user: StaffUser,
    state: Option<&str>,
    due: Option<&str>,
    kind: Option<&str>,
    month: Option<&str>,
    db: &State<Db>,
) -> Result<Reply, AppError> {
    inbox_page(
        p,
        db,
        &staff_user,
        [state, due, kind, month],
        FormState::default(),
        None,
        Status::Ok,
    )
    .await
}

#[get("/provider/complaints.csv?<state>&<due>&<kind>&<month>")]
pub async fn inbox_csv(
    staff_user: StaffUser,
    state: Option<&str>,
    due: Option<&str>,
    kind: Option<&str>,
    month: Option<&str>,
    db: &State<Db>,
) -> Result<CsvDownload, AppError> {
    let filter = filter_of(state, due, kind, month)?;
    let today = today();
    let provider_id = staff_user.provider_id.clone();
    let body = db
        .run(move |conn| {
            let inbox = cases::inbox(conn, &provider_id, &filter, today)?;
            let mut sheet = Sheet::new([
                "reference",
                "kind",
                "title",
                "account_name",
                "contract_ref",
                "currency",
                "amount_claimed",
                "sent_on",
                "answer_due_on",
                "overdue",
                "state",
                "response",
                "offered",
                "reply",
            ])?;
            for case in &inbox.cases {
                let c = &case.complaint;
                let claim = case.claim();
                let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
                sheet.row(&[
                    Cell::text(crate::domain::mail::reference(&c.id)),
                    Cell::text(c.kinds().as_string()),
                    Cell::text(&c.title),
                    Cell::text(case.portal.account_name.as_deref().unwrap_or("")),
                    Cell::text(c.contract_ref.as_deref().unwrap_or("")),
                    Cell::text(c.currency.code()),
                    Cell::opt(c.amount_claimed),
                    Cell::text(date(claim.and_then(|r| r.sent_on))),
                    Cell::text(date(claim.and_then(|r| r.answer_due_on))),
                    Cell::text(if case.overdue(today) { "yes" } else { "no" }),
                    Cell::text(claim.map_or("", |r| r.state.as_str())),
                    Cell::text(
                        claim
                            .and_then(|r| r.portal.response_type)
                            .map_or("", |r| r.as_str()),
                    ),
                    Cell::opt(claim.and_then(|r| r.last_offer)),
                    Cell::text(
                        claim
                            .and_then(|r| r.portal.reply)
                            .map_or("", |r| r.as_str()),
                    ),
                ])?;
            }
            sheet.finish()
        })
        .await?;
    Ok(csv_download(body, "recours-provider-cases.csv"))
}

// ---- A case ---------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "provider/case.html")]
struct CaseView {
    p: Page,
    case: Case,
    /// The complaint, as the shared facts and timeline templates name it.
    c: crate::store::complaints::Complaint,
    events: Vec<Event>,
    evidence: Vec<AttachmentMeta>,
    increase: Option<i64>,
    overdue: bool,
    f: FormState,
    refused: Option<&'static str>,
    responses: Vec<Choice>,
}

async fn case_page(
    p: Page,
    db: &Db,
    staff_user: &StaffUser,
    id: &str,
    f: FormState,
    refused: Option<&'static str>,
    status: Status,
) -> Result<Reply, AppError> {
    let id = complaint_id(id)?;
    let provider_id = staff_user.provider_id.clone();
    let (case, events, evidence) = db
        .run(move |conn| cases::dossier(conn, &provider_id, &id))
        .await?
        .ok_or(AppError::NotFound)?;
    let view = CaseView {
        c: case.complaint.clone(),
        increase: case.complaint.increase_percent(),
        overdue: case.overdue(today()),
        responses: response_choices(&p),
        p,
        case,
        events,
        evidence,
        f,
        refused,
    };
    render(&view, status)
}

#[get("/provider/complaints/<id>")]
pub async fn case(
    p: Page,
    staff_user: StaffUser,
    id: &str,
    db: &State<Db>,
) -> Result<Reply, AppError> {
    case_page(
        p,
        db,
        &staff_user,
        id,
        FormState::default(),
        None,
        Status::Ok,
    )
    .await
}

#[get("/provider/complaints/<id>/evidence/<attachment>")]
pub async fn evidence(
    staff_user: StaffUser,
    id: &str,
    attachment: &str,
    db: &State<Db>,
) -> Result<Download, AppError> {
    let (complaint, attachment) = (complaint_id(id)?, complaint_id(attachment)?);
    let provider_id = staff_user.provider_id;
    let (meta, body) = db
        .run(move |conn| cases::evidence(conn, &provider_id, &complaint, &attachment))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Download::attachment(&meta, body))
}

// ---- Answering ------------------------------------------------------------------------

const ANSWER_FIELDS: [&str; 3] = ["response", "amount", "text"];

/// The cases an answer is for: the ticked ones, or every one a filter shows (as many as the
/// staff were shown).
enum Target {
    Ids(Vec<String>),
    Filter(Filter, usize),
}

/// Records one answer to the target's cases (all or none): Ok, or the refusal's message
/// and case.
async fn give_answer(
    db: &Db,
    config: &AppConfig,
    staff_user: &StaffUser,
    target: Target,
    form: &PostForm,
    currency_of_first: crate::domain::money::Currency,
) -> Result<Result<usize, AnswerProblem>, AppError> {
    let amount = Some(form.get("amount"))
        .filter(|a| !a.trim().is_empty())
        .map(|a| parse_amount(a, currency_of_first));
    let response = match parse_response(form.get("response"), amount, form.get("text")) {
        Ok(r) => r,
        Err(errors) => return Ok(Err(AnswerProblem::Fields(errors))),
    };
    let (provider_id, user, profile) = (
        staff_user.provider_id.clone(),
        staff_user.user.clone(),
        config.claim_times(),
    );
    let today = today();
    match db
        .write(move |conn| match &target {
            Target::Ids(ids) => {
                cases::answer(conn, &provider_id, &user, ids, &response, &profile, today)
            }
            Target::Filter(filter, expected) => cases::answer_matching(
                conn,
                &provider_id,
                &user,
                filter,
                *expected,
                &response,
                &profile,
                today,
            ),
        })
        .await
    {
        Ok(n) => Ok(Ok(n)),
        Err(WriteError::Refused(r)) => Ok(Err(AnswerProblem::Refused(r.reason, r.complaint_id))),
        Err(WriteError::Failed(e)) => Err(e.into()),
    }
}

enum AnswerProblem {
    Fields(FieldErrors),
    Refused(&'static str, Option<String>),
}

#[post("/provider/complaints/<id>/response", data = "<form>")]
pub async fn respond(
    p: Page,
    staff_user: StaffUser,
    id: &str,
    form: PostForm,
    db: &State<Db>,
    config: &State<AppConfig>,
) -> Result<Reply, AppError> {
    let cid = complaint_id(id)?;
    let provider_id = staff_user.provider_id.clone();
    let wanted = cid.clone();
    let case = db
        .run(move |conn| cases::case(conn, &provider_id, &wanted))
        .await?
        .ok_or(AppError::NotFound)?;
    let currency = case.complaint.currency;
    let target = Target::Ids(vec![cid.clone()]);
    match give_answer(db, config, &staff_user, target, &form, currency).await? {
        Ok(_) => Ok(done(
            format!("/provider/complaints/{cid}"),
            "flash-provider-answered",
        )),
        Err(AnswerProblem::Fields(errors)) => {
            let f = FormState::new(errors).keep(&form, &ANSWER_FIELDS);
            case_page(p, db, &staff_user, id, f, None, Status::UnprocessableEntity).await
        }
        Err(AnswerProblem::Refused(key, _)) => {
            let f = FormState::new(FieldErrors::default()).keep(&form, &ANSWER_FIELDS);
            case_page(p, db, &staff_user, id, f, Some(key), Status::Conflict).await
        }
    }
}

/// Answers every ticked case of the inbox (`case-<id>` checkboxes) at once, or, with `all`
/// (the number of cases shown), every case of the inbox's filter (sent back in
/// `filter-<name>` fields).
#[post("/provider/complaints/response", data = "<form>")]
pub async fn respond_many(
    p: Page,
    staff_user: StaffUser,
    form: PostForm,
    db: &State<Db>,
    config: &State<AppConfig>,
) -> Result<Reply, AppError> {
    let filter_values = FILTER_FIELDS
        .map(|name| Some(form.get(&format!("filter-{name}"))).filter(|v| !v.is_empty()));
    let all = form.get("all");
    let (target, first) = if all.is_empty() {
        let ids = form
            .names()
            .filter_map(|name| name.strip_prefix("case-"))
            .map(complaint_id)
            .collect::<Result<Vec<String>, AppError>>()?;
        let first = ids.first().cloned();
        (Target::Ids(ids), first)
    } else {
        let expected: usize = all
            .parse()
            .map_err(|_| AppError::BadRequest("error-bad-request"))?;
        let [state, due, kind, month] = filter_values;
        let filter = filter_of(state, due, kind, month)?;
        let (provider_id, wanted) = (staff_user.provider_id.clone(), filter.clone());
        let first = db
            .run(move |conn| cases::matching(conn, &provider_id, &wanted, today()))
            .await?
            .into_iter()
            .next();
        (Target::Filter(filter, expected), first)
    };
    let again = |f: FormState, refused, status| {
        inbox_page(p, db, &staff_user, filter_values, f, refused, status)
    };
    let Some(first) = first else {
        let mut errors = FieldErrors::default();
        errors.add("cases", "provider-error-no-case");
        let f = FormState::new(errors).keep(&form, &ANSWER_FIELDS);
        return again(f, None, Status::UnprocessableEntity).await;
    };
    // The amount is read in the first case's currency: a relief typed once for many
    // cases of one cut is one amount in one currency.
    let provider_id = staff_user.provider_id.clone();
    let currency = db
        .run(move |conn| cases::case(conn, &provider_id, &first))
        .await?
        .ok_or(AppError::NotFound)?
        .complaint
        .currency;
    match give_answer(db, config, &staff_user, target, &form, currency).await? {
        Ok(_) => Ok(done("/provider/complaints", "flash-provider-answered")),
        Err(AnswerProblem::Fields(errors)) => {
            let f = FormState::new(errors).keep(&form, &ANSWER_FIELDS);
            again(f, None, Status::UnprocessableEntity).await
        }
        Err(AnswerProblem::Refused(key, id)) => {
            let f = FormState::new(FieldErrors::default()).keep(&form, &ANSWER_FIELDS);
            let reference = id.map(|id| crate::domain::mail::reference(&id));
            again(f, Some((key, reference)), Status::Conflict).await
        }
    }
}

// ---- Staff ----------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "provider/staff.html")]
struct StaffView {
    p: Page,
    provider: Provider,
    /// Where the forms post: `/provider/staff` or `/admin/providers/<slug>/staff`.
    base: String,
    staff: Vec<User>,
    audit: Option<Vec<AuditEntry>>,
    f: FormState,
}

/// The audit log's length on the admin's page.
const AUDIT_SHOWN: i64 = 200;

async fn staff_page(
    p: Page,
    db: &Db,
    provider: Provider,
    for_admin: bool,
    f: FormState,
    status: Status,
) -> Result<Reply, AppError> {
    let id = provider.id.clone();
    let (list, audit) = db
        .run(move |conn| {
            let list = staff::colleagues(conn, &id)?;
            let audit = if for_admin {
                Some(staff::audit_log(conn, &id, AUDIT_SHOWN)?)
            } else {
                None
            };
            Ok::<_, AppError>((list, audit))
        })
        .await?;
    let base = if for_admin {
        format!("/admin/providers/{}/staff", provider.slug)
    } else {
        "/provider/staff".to_string()
    };
    render(
        &StaffView {
            p,
            provider,
            base,
            staff: list,
            audit,
            f,
        },
        status,
    )
}

async fn by_slug(db: &Db, slug: &str) -> Result<Provider, AppError> {
    let slug = slug.to_string();
    db.run(move |conn| providers::by_slug(conn, &slug))
        .await?
        .filter(|p| !p.is_pending())
        .ok_or(AppError::NotFound)
}

#[get("/provider/staff")]
pub async fn staff_list(p: Page, staff_user: StaffUser, db: &State<Db>) -> Result<Reply, AppError> {
    let provider = provider_of(db, &staff_user.provider_id).await?;
    staff_page(p, db, provider, false, FormState::default(), Status::Ok).await
}

#[get("/admin/providers/<slug>/staff")]
pub async fn admin_staff(
    p: Page,
    _admin: AdminUser,
    slug: &str,
    db: &State<Db>,
) -> Result<Reply, AppError> {
    let provider = by_slug(db, slug).await?;
    staff_page(p, db, provider, true, FormState::default(), Status::Ok).await
}

/// Invites `email` to the provider's staff; re-renders the page with the field's error.
async fn invite(
    p: Page,
    db: &Db,
    provider: Provider,
    by: User,
    for_admin: bool,
    form: PostForm,
) -> Result<Reply, AppError> {
    let email = form.get("email").trim().to_string();
    let mut errors = FieldErrors::default();
    if !email_is_valid(&email) {
        errors.add("email", "error-email-invalid");
    } else {
        let (id, name, lang) = (provider.id.clone(), provider.name.clone(), p.lang.code());
        let invited = db
            .write(move |conn| staff::invite(conn, &id, &name, &email, lang, Some(&by)))
            .await;
        match invited {
            Ok(_) => {
                let to = if for_admin {
                    format!("/admin/providers/{}/staff", provider.slug)
                } else {
                    "/provider/staff".to_string()
                };
                return Ok(done(to, "flash-provider-invited"));
            }
            Err(CreateUserError::EmailTaken) => errors.add("email", "provider-error-email-taken"),
            Err(CreateUserError::Other(e)) => return Err(e.into()),
        }
    }
    let f = FormState::new(errors).keep(&form, &["email"]);
    staff_page(p, db, provider, for_admin, f, Status::UnprocessableEntity).await
}

#[post("/provider/staff", data = "<form>")]
pub async fn staff_invite(
    p: Page,
    staff_user: StaffUser,
    form: PostForm,
    db: &State<Db>,
) -> Result<Reply, AppError> {
    let provider = provider_of(db, &staff_user.provider_id).await?;
    invite(p, db, provider, staff_user.user, false, form).await
}

#[post("/admin/providers/<slug>/staff", data = "<form>")]
pub async fn admin_invite(
    p: Page,
    admin: AdminUser,
    slug: &str,
    form: PostForm,
    db: &State<Db>,
) -> Result<Reply, AppError> {
    let provider = by_slug(db, slug).await?;
    invite(p, db, provider, admin.0, true, form).await
}

/// Removes a colleague; their sessions end at once. Another provider's staff member, or
/// any other account, answers 404.
async fn remove(db: &Db, provider_id: String, user_id: &str, by: User) -> Result<(), AppError> {
    let user_id = complaint_id(user_id)?;
    if db
        .write(move |conn| staff::remove(conn, &provider_id, &user_id, &by))
        .await?
    {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

#[post("/provider/staff/<user_id>/remove", data = "<_form>")]
pub async fn staff_remove(
    staff_user: StaffUser,
    user_id: &str,
    _form: PostForm,
    db: &State<Db>,
) -> Result<Reply, AppError> {
    remove(db, staff_user.provider_id, user_id, staff_user.user).await?;
    Ok(done("/provider/staff", "flash-provider-removed"))
}

#[post("/admin/providers/<slug>/staff/<user_id>/remove", data = "<_form>")]
pub async fn admin_remove(
    admin: AdminUser,
    slug: &str,
    user_id: &str,
    _form: PostForm,
    db: &State<Db>,
) -> Result<Reply, AppError> {
    let provider = by_slug(db, slug).await?;
    remove(db, provider.id, user_id, admin.0).await?;
    Ok(done(
        format!("/admin/providers/{slug}/staff"),
        "flash-provider-removed",
    ))
}
