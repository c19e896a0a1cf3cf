//! The filing form in steps: which problems (1), their facts and the claim (2), check your
//! answers (3), then file. Plain forms posting from step to step, no script needed.
//!
//! The answers are kept server-side, as a draft of their author, rather than in hidden
//! fields: a step can be left and taken up again from any device (`/complaints/drafts`,
//! offered on `/complaints/new`), nothing grows in the page from step to step, and a submit
//! whose session expired is carried through the login into the same kind of draft.

use askama::Template;
use rocket::http::Status;
use rocket::{State, get, post};

use super::auth::AuthUser;
use super::csrf::PostForm;
use super::page::{Choice, FormState, Page, Reply, done, render};
use crate::db::Db;
use crate::domain::FieldErrors;
use crate::domain::complaint::{self, DATE_BOXES, Kind, Kinds, PROVIDER_OTHER, parse_date};
use crate::domain::date_input::{self, DatePart};
pub use crate::domain::filing::Step;
use crate::domain::filing::{CHECKBOXES, DETAIL_FIELDS, PROBLEM_FIELDS};
use crate::domain::money::Currency;
use crate::ops::metrics::METRICS;
use crate::store::WriteError;
use crate::store::complaints as store;
use crate::store::drafts::{self, Draft, Fields};
use crate::store::providers;
use crate::web::complaints::{FactChoices, choices, today};
use crate::web::errors::AppError;

impl<'a> rocket::request::FromParam<'a> for Step {
    type Error = &'a str;

    fn from_param(param: &'a str) -> Result<Step, &'a str> {
        Step::parse(param).ok_or(param)
    }
}

/// Everything wrong with the draft's answers, as filing would find it.
fn errors_of(draft: &Draft) -> FieldErrors {
    match complaint::validate(&draft.all("kind"), &|n| draft.get(n).to_string(), today()) {
        Ok(_) => FieldErrors::default(),
        Err(errors) => errors,
    }
}

/// What is wrong in one step's fields.
fn step_errors(draft: &Draft, step: Step) -> FieldErrors {
    FieldErrors(
        errors_of(draft)
            .0
            .into_iter()
            .filter(|e| Step::of(e.field) == step)
            .collect(),
    )
}

/// The kinds ticked (the valid ones).
fn ticked(draft: &Draft) -> Kinds {
    Kinds::of(
        draft
            .all("kind")
            .iter()
            .filter_map(|k| Kind::parse(k.trim())),
    )
}

/// A posted form's fields, without its CSRF token.
fn posted(form: &PostForm, names: &[&str]) -> Fields {
    names
        .iter()
        .flat_map(|name| form.all(name).into_iter().map(|v| (name.to_string(), v)))
        .collect()
}

/// One answer on the "check your answers" page, with where to change it.
pub struct Answer {
    pub field: &'static str,
    pub label: String,
    pub value: String,
    pub step: Step,
}

/// A group of answers under its heading.
pub struct Section {
    pub title: String,
    pub answers: Vec<Answer>,
}

/// A draft as the list offers it back.
pub struct DraftLine {
    pub id: String,
    pub title: String,
    pub kinds: Kinds,
    pub updated_on: chrono::NaiveDate,
}

impl DraftLine {
    fn of(d: &Draft) -> DraftLine {
        DraftLine {
            id: d.id.clone(),
            title: d.get("title").trim().to_string(),
            kinds: ticked(d),
            updated_on: d.updated_at.date(),
        }
    }
}

#[derive(Template)]
#[template(path = "complaints/step.html")]
struct StepView {
    p: Page,
    f: FormState,
    step: Step,
    /// None on `/complaints/new`, before anything is kept.
    draft_id: Option<String>,
    providers: Vec<Choice>,
    kinds: Vec<Choice>,
    fact_choices: FactChoices,
    /// The kinds whose facts step 2 asks: those ticked, and any with a value typed.
    shown: Vec<Kind>,
    sections: Vec<Section>,
    drafts: Vec<DraftLine>,
}

impl StepView {
    fn shows(&self, kind: &str) -> bool {
        self.shown.iter().any(|k| k.as_str() == kind)
    }

    /// A catalog key of this step: `step-<step>-<what>`.
    fn step_key(&self, what: &str) -> String {
        format!("step-{}-{what}", self.step.as_str())
    }

    /// Where the error summary sends each field: here, or the step that asks it; for a
    /// date, the box to correct.
    fn error_link(&self, e: &crate::domain::FieldError) -> String {
        let (on, anchor) = (Step::of(e.field), self.f.anchor(e));
        match &self.draft_id {
            Some(id) if on != self.step => {
                format!("/complaints/drafts/{id}/{}#{anchor}", on.as_str())
            }
            _ => format!("#{anchor}"),
        }
    }
}

/// Fields holding an amount in the complaint's currency.
const AMOUNTS: [&str; 5] = [
    "amount_claimed",
    "monthly_fee",
    "old_price",
    "new_price",
    "charged_amount",
];

/// The text of one answer as typed, choices named and amounts written in the reader's
/// language (an amount that does not read stays as typed).
fn answer_text(
    p: &Page,
    field: &str,
    value: &str,
    currency: Currency,
    providers: &[Choice],
) -> String {
    let named = |prefix: &str| p.t(format!("{prefix}-{}", value.replace('_', "-")));
    match field {
        f if AMOUNTS.contains(&f) => crate::domain::money::parse_amount(value, currency)
            .map_or_else(|_| value.to_string(), |a| p.money(a, currency)),
        "provider" => providers
            .iter()
            .find(|c| c.value == value)
            .map_or_else(|| value.to_string(), |c| c.label.clone()),
        "service" => named("service"),
        "announced_by" => named("announced"),
        "billing_issue" => named("billing-issue"),
        f if CHECKBOXES.contains(&f) => p.yes_no(true),
        f if f.ends_with("_on") => {
            parse_date(value).map_or_else(|| value.to_string(), |d| p.date(d))
        }
        _ => value.to_string(),
    }
}

/// A date typed in its boxes: written in the reader's language, or as typed when it does
/// not read (the page then says what is wrong); None when the boxes are empty.
fn boxes_text(p: &Page, draft: &Draft, name: &str) -> Option<String> {
    match date_input::read(&|n| draft.get(n).to_string(), name) {
        Ok(None) => None,
        Ok(Some(d)) => Some(p.date(d)),
        Err(_) => Some(
            DatePart::ALL
                .iter()
                .map(|part| draft.get(&format!("{name}-{}", part.suffix())).trim())
                .collect::<Vec<_>>()
                .join(" / "),
        ),
    }
}

fn sections(p: &Page, draft: &Draft, providers: &[Choice], shown: &[Kind]) -> Vec<Section> {
    let currency = Currency::parse(draft.get("currency").trim()).unwrap_or(Currency::Eur);
    let answers = |fields: &[&'static str], step: Step| -> Vec<Answer> {
        fields
            .iter()
            .filter(|f| **f != "kind")
            .filter(|f| !(**f == "provider" && draft.get(f) == PROVIDER_OTHER))
            .filter_map(|f| {
                let value = match draft.get(f).trim() {
                    "" if DATE_BOXES.iter().any(|(date, _)| date == f) => boxes_text(p, draft, f)?,
                    "" => return None,
                    typed => answer_text(p, f, typed, currency, providers),
                };
                Some(Answer {
                    field: f,
                    label: p.label(f),
                    value,
                    step,
                })
            })
            .collect()
    };
    let mut first = answers(&PROBLEM_FIELDS, Step::Problems);
    first.push(Answer {
        field: "kind",
        label: p.label("kind"),
        value: p.kinds_text(ticked(draft)),
        step: Step::Problems,
    });
    let mut out = vec![
        Section {
            title: p.t("complaint-group-provider"),
            answers: first,
        },
        Section {
            title: p.t("complaint-group-what"),
            answers: answers(&DETAIL_FIELDS, Step::Facts),
        },
    ];
    for kind in shown.iter().filter(|k| !k.fields().is_empty()) {
        out.push(Section {
            title: p.t(p.kind_key(kind)),
            answers: answers(kind.fields(), Step::Facts),
        });
    }
    out
}

async fn step_page(
    p: Page,
    db: &Db,
    step: Step,
    draft: Option<&Draft>,
    errors: FieldErrors,
    status: Status,
) -> Result<Reply, AppError> {
    let user_id = p.user.as_ref().map(|u| u.id.clone()).unwrap_or_default();
    let (listed, mine) = db
        .run(move |conn| {
            Ok::<_, AppError>((providers::approved(conn)?, drafts::of_user(conn, &user_id)?))
        })
        .await?;
    let mut providers: Vec<Choice> = listed
        .iter()
        .map(|pr| Choice::new(&pr.slug, format!("{} ({})", pr.name, pr.country)))
        .collect();
    providers.push(Choice::new(
        PROVIDER_OTHER,
        p.t("complaint-provider-not-listed"),
    ));
    let mut f = FormState::new(errors);
    let empty = Draft {
        id: String::new(),
        fields: vec![("currency".into(), Currency::Eur.code().into())],
        updated_at: chrono::NaiveDateTime::default(),
    };
    let d = draft.unwrap_or(&empty);
    for name in Step::all_fields() {
        f.set(name, d.get(name));
    }
    // A date posted as one field (by a script, or carried from `POST /complaints`) shows in
    // the boxes: split when it reads, else as typed in the day box, which reads it whole.
    for (name, _) in DATE_BOXES {
        match (d.get(name).trim(), parse_date(d.get(name))) {
            ("", _) => {}
            (_, Some(date)) => f.set_date(name, date),
            (typed, None) => f.set(&format!("{name}-day"), typed),
        }
    }
    f.set_all("kind", d.all("kind"));
    let chosen = ticked(d);
    let shown: Vec<Kind> = Kind::ALL
        .iter()
        .copied()
        .filter(|k| chosen.contains(*k) || k.form_fields().iter().any(|n| !d.get(n).is_empty()))
        .collect();
    let view = StepView {
        sections: if step == Step::Check {
            sections(&p, d, &providers, &shown)
        } else {
            Vec::new()
        },
        drafts: if draft.is_none() {
            mine.iter().map(DraftLine::of).collect()
        } else {
            Vec::new()
        },
        providers,
        kinds: choices(&p, "kind", Kind::ALL.iter().map(|k| k.as_str())),
        fact_choices: FactChoices::new(&p),
        shown,
        draft_id: draft.map(|d| d.id.clone()),
        p,
        f,
        step,
    };
    render(&view, status)
}

/// Ids in URLs are UUIDs; anything else cannot name a draft.
fn draft_id(id: &str) -> Result<String, AppError> {
    uuid::Uuid::parse_str(id)
        .map(|u| u.to_string())
        .map_err(|_| AppError::NotFound)
}

async fn load(db: &Db, id: &str, user_id: &str) -> Result<Draft, AppError> {
    let (id, user_id) = (draft_id(id)?, user_id.to_string());
    db.run(move |conn| drafts::mine(conn, &id, &user_id))
        .await?
        .ok_or(AppError::NotFound)
}

/// The signed-in user; with no session (expired, or logged out in another tab), what was
/// posted, for the log-in page to carry (`auth::login_carrying`) and keep as a draft.
pub fn signed_in(
    auth: Result<AuthUser, AppError>,
    form: &PostForm,
    names: &[&str],
    draft: Option<&str>,
    step: Step,
) -> Result<Result<AuthUser, Fields>, AppError> {
    match auth {
        Ok(user) => Ok(Ok(user)),
        Err(AppError::NotFound) => {
            let mut carried = posted(form, names);
            if let Some(id) = draft {
                carried.push(("draft".into(), id.to_string()));
                carried.push(("step".into(), step.as_str().to_string()));
            }
            Ok(Err(carried))
        }
        Err(e) => Err(e),
    }
}

/// After a login that carried a form: its answers go into the draft they came from (when it
/// is this account's) or a new one. Returns the page that offers them back.
pub async fn keep_carried(db: &Db, user_id: &str, carried: Fields) -> Result<String, AppError> {
    let user_id = user_id.to_string();
    db.write(move |conn| {
        let get = |name: &str| {
            carried
                .iter()
                .find(|(k, _)| k == name)
                .map_or(String::new(), |(_, v)| v.clone())
        };
        let step = Step::parse(&get("step"));
        let id = draft_id(&get("draft")).ok();
        let answers: Fields = carried
            .iter()
            .filter(|(k, _)| k != "draft" && k != "step")
            .cloned()
            .collect();
        if let (Some(step), Some(id)) = (step, id)
            && let Some(mut draft) = drafts::mine(conn, &id, &user_id)?
        {
            draft.replace(&step.fields(), &answers);
            drafts::save(conn, &draft, &user_id)?;
            return Ok(format!("/complaints/drafts/{id}/{}", step.as_str()));
        }
        let id = drafts::create(conn, &user_id, &answers)?;
        Ok::<_, AppError>(format!("/complaints/drafts/{id}/check"))
    })
    .await
}

#[get("/complaints/new")]
pub async fn new(p: Page, _auth: AuthUser, db: &State<Db>) -> Result<Reply, AppError> {
    step_page(
        p,
        db,
        Step::Problems,
        None,
        FieldErrors::default(),
        Status::Ok,
    )
    .await
}

/// Step 1 posted for the first time: the draft begins.
#[post("/complaints/drafts", data = "<form>")]
pub async fn start(
    p: Page,
    auth: Result<AuthUser, AppError>,
    form: PostForm,
    db: &State<Db>,
) -> Result<Reply, AppError> {
    let names = Step::Problems.fields();
    let user = match signed_in(auth, &form, &names, None, Step::Problems)? {
        Ok(user) => user.0,
        Err(carried) => return super::auth::login_carrying(p, carried),
    };
    let mut draft = Draft {
        id: String::new(),
        fields: vec![("currency".into(), Currency::Eur.code().into())],
        updated_at: chrono::NaiveDateTime::default(),
    };
    draft.replace(&names, &posted(&form, &names));
    let errors = step_errors(&draft, Step::Problems);
    let p = Page {
        user: Some(user.clone()),
        ..p
    };
    if !errors.is_empty() {
        return step_page(
            p,
            db,
            Step::Problems,
            None,
            errors,
            Status::UnprocessableEntity,
        )
        .await;
    }
    let fields = draft.fields;
    let id = db
        .write(move |conn| drafts::create(conn, &user.id, &fields))
        .await?;
    Ok(Reply::Redirect(rocket::response::Redirect::to(format!(
        "/complaints/drafts/{id}/facts"
    ))))
}

// Ranked after `/complaints/<id>/claim/<action>` and the like, which it could shadow.
#[get("/complaints/drafts/<id>/<step>", rank = 3)]
pub async fn show_step(
    p: Page,
    auth: AuthUser,
    id: &str,
    step: Result<Step, &str>,
    db: &State<Db>,
) -> Result<Reply, AppError> {
    let step = step.map_err(|_| AppError::NotFound)?;
    let draft = load(db, id, &auth.0.id).await?;
    let errors = if step == Step::Check {
        errors_of(&draft)
    } else {
        FieldErrors::default()
    };
    step_page(p, db, step, Some(&draft), errors, Status::Ok).await
}

/// Step 1 or 2 posted: kept in the draft whatever is wrong, then the next step.
#[post("/complaints/drafts/<id>/<step>", data = "<form>", rank = 3)]
pub async fn save_step(
    p: Page,
    auth: Result<AuthUser, AppError>,
    id: &str,
    step: Result<Step, &str>,
    form: PostForm,
    db: &State<Db>,
) -> Result<Reply, AppError> {
    let step = step
        .ok()
        .filter(|s| *s != Step::Check)
        .ok_or(AppError::NotFound)?;
    let names = step.fields();
    let user = match signed_in(auth, &form, &names, Some(id), step)? {
        Ok(user) => user.0,
        Err(carried) => return super::auth::login_carrying(p, carried),
    };
    let mut draft = load(db, id, &user.id).await?;
    let before = ticked(&draft);
    draft.replace(&names, &posted(&form, &names));
    if step == Step::Problems {
        // The facts of a problem unticked here go with it: the person chose to.
        let unticked: Vec<&str> = before
            .iter()
            .filter(|k| !ticked(&draft).contains(*k))
            .flat_map(|k| k.form_fields())
            .collect();
        draft.replace(&unticked, &Vec::new());
    }
    let (saved, uid) = (draft.clone(), user.id.clone());
    db.write(move |conn| drafts::save(conn, &saved, &uid))
        .await?;
    let errors = step_errors(&draft, step);
    let p = Page {
        user: Some(user),
        ..p
    };
    if !errors.is_empty() {
        return step_page(
            p,
            db,
            step,
            Some(&draft),
            errors,
            Status::UnprocessableEntity,
        )
        .await;
    }
    let next = if step == Step::Problems {
        Step::Facts
    } else {
        Step::Check
    };
    Ok(Reply::Redirect(rocket::response::Redirect::to(format!(
        "/complaints/drafts/{}/{}",
        draft.id,
        next.as_str()
    ))))
}

/// The answers checked: the complaint is filed and its draft goes, in one transaction.
#[post("/complaints/drafts/<id>/file", data = "<form>")]
pub async fn file(
    p: Page,
    auth: Result<AuthUser, AppError>,
    id: &str,
    form: PostForm,
    db: &State<Db>,
) -> Result<Reply, AppError> {
    let user = match signed_in(auth, &form, &[], Some(id), Step::Check)? {
        Ok(user) => user.0,
        Err(carried) => return super::auth::login_carrying(p, carried),
    };
    let draft = load(db, id, &user.id).await?;
    let p = Page {
        user: Some(user.clone()),
        ..p
    };
    let valid = complaint::validate(&draft.all("kind"), &|n| draft.get(n).to_string(), today());
    let complaint = match valid {
        Ok(c) => c,
        Err(errors) => {
            return step_page(
                p,
                db,
                Step::Check,
                Some(&draft),
                errors,
                Status::UnprocessableEntity,
            )
            .await;
        }
    };
    let (draft_id, user_id) = (draft.id.clone(), user.id.clone());
    let filed = db
        .write(move |conn| {
            let id = store::file(conn, &user_id, &complaint)?;
            drafts::delete(conn, &draft_id, &user_id)?;
            Ok(id)
        })
        .await;
    match filed {
        Ok(id) => {
            METRICS.complaints_filed.inc();
            Ok(done(format!("/complaints/{id}"), "flash-complaint-filed"))
        }
        Err(WriteError::Refused(refused)) => {
            let mut errors = FieldErrors::default();
            errors.add("provider", refused.message_key());
            step_page(
                p,
                db,
                Step::Check,
                Some(&draft),
                errors,
                Status::UnprocessableEntity,
            )
            .await
        }
        Err(WriteError::Failed(e)) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "complaints/drafts.html")]
struct DraftsView {
    p: Page,
    drafts: Vec<DraftLine>,
}

#[get("/complaints/drafts")]
pub async fn list(p: Page, auth: AuthUser, db: &State<Db>) -> Result<Reply, AppError> {
    let user_id = auth.0.id;
    let mine = db.run(move |conn| drafts::of_user(conn, &user_id)).await?;
    render(
        &DraftsView {
            p,
            drafts: mine.iter().map(DraftLine::of).collect(),
        },
        Status::Ok,
    )
}

/// Drops a draft (its author's only).
#[post("/complaints/drafts/<id>/delete", data = "<_form>")]
pub async fn delete(
    auth: AuthUser,
    id: &str,
    _form: PostForm,
    db: &State<Db>,
) -> Result<Reply, AppError> {
    let (id, user_id) = (draft_id(id)?, auth.0.id);
    db.write(move |conn| drafts::delete(conn, &id, &user_id))
        .await?;
    Ok(done("/complaints/drafts", "flash-draft-deleted"))
}

/// A whole complaint posted with errors (`POST /complaints`): kept as a draft, and its
/// "check your answers" page says what is wrong, each error linking to where to change it.
pub async fn keep_refused(
    p: Page,
    db: &Db,
    user_id: &str,
    form: &PostForm,
    errors: FieldErrors,
) -> Result<Reply, AppError> {
    let fields = posted(form, &Step::all_fields());
    let uid = user_id.to_string();
    let id = db
        .write(move |conn| drafts::create(conn, &uid, &fields))
        .await?;
    let draft = load(db, &id, user_id).await?;
    // The page of the first error, its summary listing them all.
    let step = errors
        .iter()
        .next()
        .map_or(Step::Check, |e| Step::of(e.field));
    step_page(
        p,
        db,
        step,
        Some(&draft),
        errors,
        Status::UnprocessableEntity,
    )
    .await
}
