//! The provider directory, for admins: add, edit, approve, merge.

use askama::Template;
use rocket::http::Status;
use rocket::{State, get, post};

use super::auth::AdminUser;
use super::csrf::PostForm;
use super::page::{Choice, FormState, Page, Reply, done, render};
use crate::db::Db;
use crate::domain::FieldErrors;
use crate::domain::provider;
use crate::store::providers::{self as store, DirectoryError, Provider};
use crate::web::errors::AppError;

const FIELDS: [&str; 8] = [
    "slug",
    "name",
    "country",
    "website",
    "subscribers",
    "subscribers_as_of",
    "subscribers_source",
    "network",
];

#[derive(Template)]
#[template(path = "admin/providers.html")]
struct ListView {
    p: Page,
    providers: Vec<Provider>,
    networks: Vec<Choice>,
    all: Vec<Choice>,
    add: FormState,
    merge: FormState,
}

impl ListView {
    fn network_name(&self, id: &Option<String>) -> String {
        id.as_ref()
            .and_then(|id| self.providers.iter().find(|p| &p.id == id))
            .map(|p| p.name.clone())
            .unwrap_or_default()
    }
}

fn choices(providers: &[Provider], approved_only: bool) -> Vec<Choice> {
    providers
        .iter()
        .filter(|p| !approved_only || !p.is_pending())
        .map(|p| Choice::new(&p.slug, format!("{} ({})", p.name, p.slug)))
        .collect()
}

async fn list_page(
    p: Page,
    db: &Db,
    add: FormState,
    merge: FormState,
    status: Status,
) -> Result<Reply, AppError> {
    let providers = db.run(store::all).await?;
    let view = ListView {
        networks: choices(&providers, true),
        all: choices(&providers, false),
        providers,
        p,
        add,
        merge,
    };
    render(&view, status)
}

#[get("/admin/providers")]
pub async fn list(p: Page, _admin: AdminUser, db: &State<Db>) -> Result<Reply, AppError> {
    list_page(
        p,
        db,
        FormState::default(),
        FormState::default(),
        Status::Ok,
    )
    .await
}

fn refused(e: DirectoryError) -> Result<FieldErrors, AppError> {
    match e {
        DirectoryError::Refused(errors) => Ok(errors),
        DirectoryError::Failed(e) => Err(e.into()),
    }
}

#[post("/admin/providers", data = "<form>")]
pub async fn add(
    p: Page,
    _admin: AdminUser,
    form: PostForm,
    db: &State<Db>,
) -> Result<Reply, AppError> {
    let errors = match provider::validate(&|n| form.get(n).to_string()) {
        Ok(input) => match db.write(move |conn| store::add(conn, &input)).await {
            Ok(_) => return Ok(done("/admin/providers", "flash-provider-saved")),
            Err(e) => refused(e)?,
        },
        Err(errors) => errors,
    };
    let add = FormState::new(errors).keep(&form, &FIELDS);
    list_page(
        p,
        db,
        add,
        FormState::default(),
        Status::UnprocessableEntity,
    )
    .await
}

#[post("/admin/providers/merge", data = "<form>")]
pub async fn merge(
    p: Page,
    _admin: AdminUser,
    form: PostForm,
    db: &State<Db>,
) -> Result<Reply, AppError> {
    let (from, into) = (form.get("from").to_string(), form.get("into").to_string());
    match db.write(move |conn| store::merge(conn, &from, &into)).await {
        Ok(()) => Ok(done("/admin/providers", "flash-provider-merged")),
        Err(e) => {
            let merge = FormState::new(refused(e)?).keep(&form, &["from", "into"]);
            list_page(
                p,
                db,
                FormState::default(),
                merge,
                Status::UnprocessableEntity,
            )
            .await
        }
    }
}

#[derive(Template)]
#[template(path = "admin/provider_edit.html")]
struct EditView {
    p: Page,
    slug: String,
    f: FormState,
    networks: Vec<Choice>,
    pending: bool,
}

async fn edit_page(
    p: Page,
    db: &Db,
    slug: &str,
    f: Option<FormState>,
    status: Status,
) -> Result<Reply, AppError> {
    let wanted = slug.to_string();
    let (current, all) = db
        .run(move |conn| Ok::<_, AppError>((store::by_slug(conn, &wanted)?, store::all(conn)?)))
        .await?;
    let current = current.ok_or(AppError::NotFound)?;
    let f = f.unwrap_or_else(|| {
        let mut f = FormState::default();
        f.set("slug", &current.slug);
        f.set("name", &current.name);
        f.set("country", &current.country);
        f.set("website", current.website.as_deref().unwrap_or(""));
        f.set(
            "subscribers",
            &current
                .subscribers
                .map(|n| n.to_string())
                .unwrap_or_default(),
        );
        f.set(
            "subscribers_as_of",
            current.subscribers_as_of.as_deref().unwrap_or(""),
        );
        f.set(
            "subscribers_source",
            current.subscribers_source.as_deref().unwrap_or(""),
        );
        let network = current
            .network_id
            .as_ref()
            .and_then(|id| all.iter().find(|p| &p.id == id));
        f.set("network", network.map_or("", |n| n.slug.as_str()));
        f
    });
    let others: Vec<Provider> = all.into_iter().filter(|p| p.id != current.id).collect();
    let view = EditView {
        p,
        slug: current.slug.clone(),
        f,
        networks: choices(&others, true),
        pending: current.is_pending(),
    };
    render(&view, status)
}

#[get("/admin/providers/<slug>")]
pub async fn edit(
    p: Page,
    _admin: AdminUser,
    slug: &str,
    db: &State<Db>,
) -> Result<Reply, AppError> {
    edit_page(p, db, slug, None, Status::Ok).await
}

#[post("/admin/providers/<slug>", data = "<form>")]
pub async fn update(
    p: Page,
    _admin: AdminUser,
    slug: &str,
    form: PostForm,
    db: &State<Db>,
) -> Result<Reply, AppError> {
    let errors = match provider::validate(&|n| form.get(n).to_string()) {
        Ok(input) => {
            let current = slug.to_string();
            match db
                .write(move |conn| store::update(conn, &current, &input))
                .await
            {
                Ok(()) => return Ok(done("/admin/providers", "flash-provider-saved")),
                Err(e) => refused(e)?,
            }
        }
        Err(errors) => errors,
    };
    let f = FormState::new(errors).keep(&form, &FIELDS);
    edit_page(p, db, slug, Some(f), Status::UnprocessableEntity).await
}
