//! Correcting a complaint until its claim is sent (`/complaints/{id}/edit`), and removing
//! a piece of evidence. Each change goes on the claim's timeline.

use askama::Template;
use rocket::http::Status;
use rocket::{State, get, post};

use super::auth::AuthUser;
use super::csrf::PostForm;
use super::page::{FormState, Page, Reply, done, render};
use crate::db::Db;
use crate::domain::FieldErrors;
use crate::domain::complaint::{self, EditRefused, Facts, Kind};
use crate::domain::money::amount_input;
use crate::store::WriteError;
use crate::store::complaints::{self as store, Complaint};
use crate::web::complaints::{FactChoices, today};
use crate::web::errors::AppError;

#[derive(Template)]
#[template(path = "complaints/edit.html")]
struct EditView {
    p: Page,
    c: Complaint,
    f: FormState,
    /// Set when the rules refuse the change (catalog key): the form is not offered.
    refused: Option<&'static str>,
    fact_choices: FactChoices,
}

impl EditView {
    /// The complaint's own problems: their facts are asked.
    fn shows(&self, kind: &str) -> bool {
        self.c.kinds().iter().any(|k| k.as_str() == kind)
    }
}

fn edit_page(
    p: Page,
    c: Complaint,
    f: FormState,
    refused: Option<&'static str>,
    status: Status,
) -> Result<Reply, AppError> {
    let view = EditView {
        fact_choices: FactChoices::new(&p),
        p,
        c,
        f,
        refused,
    };
    render(&view, status)
}

/// The form filled with the complaint as it stands.
fn form_of(c: &Complaint) -> FormState {
    let mut f = FormState::default();
    let money = |a: i64| amount_input(a, c.currency);
    let tick = |b: bool| if b { "on" } else { "" };
    f.set("title", &c.title);
    f.set("description", &c.description);
    f.set("contract_ref", c.contract_ref.as_deref().unwrap_or(""));
    f.set(
        "amount_claimed",
        &c.amount_claimed.map(money).unwrap_or_default(),
    );
    f.set("currency", c.currency.code());
    f.set("share_with_associations", tick(c.share_with_associations));
    for facts in &c.problems {
        match *facts {
            Facts::ServiceCut {
                service,
                started_on,
                ended_on,
                partly_restored,
                still_billed,
                monthly_fee,
            } => {
                f.set("service", service.as_str());
                f.set_date("started_on", started_on);
                if let Some(ended_on) = ended_on {
                    f.set_date("ended_on", ended_on);
                }
                f.set("partly_restored", tick(partly_restored));
                f.set("still_billed", tick(still_billed));
                f.set("monthly_fee", &monthly_fee.map(money).unwrap_or_default());
            }
            Facts::PriceHike {
                old_price,
                new_price,
                effective_on,
                announced_by,
                notice_received,
            } => {
                f.set("old_price", &money(old_price));
                f.set("new_price", &money(new_price));
                f.set_date("effective_on", effective_on);
                f.set("announced_by", announced_by.as_str());
                f.set("notice_received", tick(notice_received));
            }
            Facts::Billing {
                issue,
                charged_on,
                charged_amount,
            } => {
                f.set("billing_issue", issue.as_str());
                f.set_date("charged_on", charged_on);
                f.set("charged_amount", &money(charged_amount));
            }
            Facts::Other => {}
        }
    }
    f
}

/// Whether the complaint may change now, with the amount it has (the form keeps it).
fn refusal(c: &Complaint) -> Option<&'static str> {
    let amount = c.amount_claimed.or(Some(0));
    complaint::may_edit(c.claim.as_ref().map(|r| r.state), amount)
        .err()
        .map(EditRefused::message_key)
}

#[get("/complaints/<id>/edit")]
pub async fn form(p: Page, auth: AuthUser, id: &str, db: &State<Db>) -> Result<Reply, AppError> {
    let c = super::complaints::load(db, id, &auth.0).await?.0;
    let f = form_of(&c);
    match refusal(&c) {
        Some(key) => edit_page(p, c, f, Some(key), Status::Conflict),
        None => edit_page(p, c, f, None, Status::Ok),
    }
}

/// The fields the edit form posts: the complaint's own, and its problems' facts.
fn edit_fields() -> Vec<&'static str> {
    let mut names = vec![
        "title",
        "description",
        "contract_ref",
        "amount_claimed",
        "currency",
        "share_with_associations",
    ];
    for kind in Kind::ALL {
        names.extend(kind.form_fields());
    }
    names
}

#[post("/complaints/<id>/edit", data = "<form>")]
pub async fn save(
    p: Page,
    auth: AuthUser,
    id: &str,
    form: PostForm,
    db: &State<Db>,
) -> Result<Reply, AppError> {
    let c = super::complaints::load(db, id, &auth.0).await?.0;
    let keep = |errors: FieldErrors| FormState::new(errors).keep(&form, &edit_fields());
    if let Some(key) = refusal(&c) {
        return edit_page(
            p,
            c.clone(),
            keep(FieldErrors::default()),
            Some(key),
            Status::Conflict,
        );
    }
    // The provider and the problems stay: only their facts and the claim change.
    let kinds: Vec<String> = c.kinds().iter().map(|k| k.as_str().to_string()).collect();
    let provider = c.provider.slug.clone();
    let get = |name: &str| match name {
        "provider" => provider.clone(),
        "provider_other" => String::new(),
        _ => form.get(name).to_string(),
    };
    let draft = match complaint::validate(&kinds, &get, today()) {
        Ok(d) => d,
        Err(errors) => {
            let f = keep(errors);
            return edit_page(p, c, f, None, Status::UnprocessableEntity);
        }
    };
    let (complaint_id, viewer) = (c.id.clone(), auth.0.clone());
    match db
        .write(move |conn| store::edit(conn, &complaint_id, &viewer, &draft))
        .await
    {
        Ok(()) => Ok(done(
            format!("/complaints/{}", c.id),
            "flash-complaint-edited",
        )),
        Err(WriteError::Refused(EditRefused::AmountNeeded)) => {
            let mut errors = FieldErrors::default();
            errors.add("amount_claimed", EditRefused::AmountNeeded.message_key());
            let f = keep(errors);
            edit_page(p, c, f, None, Status::UnprocessableEntity)
        }
        Err(WriteError::Refused(refused)) => {
            let f = keep(FieldErrors::default());
            edit_page(p, c, f, Some(refused.message_key()), Status::Conflict)
        }
        Err(WriteError::Failed(e)) => Err(e.into()),
    }
}

/// Removes one piece of evidence (a form beside each file on the complaint's page).
#[post("/complaints/<id>/attachments/<attachment>/remove", data = "<_form>")]
pub async fn remove_attachment(
    auth: AuthUser,
    id: &str,
    attachment: &str,
    _form: PostForm,
    db: &State<Db>,
) -> Result<Reply, AppError> {
    let parse = |s: &str| {
        uuid::Uuid::parse_str(s)
            .map(|u| u.to_string())
            .map_err(|_| AppError::NotFound)
    };
    let (complaint, attachment, viewer) = (parse(id)?, parse(attachment)?, auth.0);
    let path = format!("/complaints/{complaint}#evidence");
    db.write(move |conn| store::remove_attachment(conn, &complaint, &attachment, &viewer))
        .await?;
    Ok(done(path, "flash-attachment-removed"))
}
