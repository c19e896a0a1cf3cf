//! What every page shares (language, user, CSRF token, flash) and how pages are answered.

use std::borrow::Borrow;
use std::collections::HashMap;

use askama::Template;
use rocket::http::{Header, Status};
use rocket::request::{FlashMessage, FromRequest, Outcome, Request};
use rocket::response::content::RawHtml;
use rocket::response::{Flash, Redirect};

use super::auth::current_user;
use super::i18n::{CATALOG, Lang};
use crate::domain::FieldErrors;
use crate::domain::date_input::{DateError, DatePart};
use crate::store::users::User;
use crate::web::errors::AppError;

/// The context every template receives as `p`.
pub struct Page {
    pub lang: Lang,
    pub user: Option<User>,
    pub csrf: String,
    /// (kind, catalog key): kind is `success` or `error`.
    pub flash: Option<(String, String)>,
    /// The current path and query, percent-encoded for a `next=` parameter.
    pub here: String,
}

impl Page {
    /// Builds the context from what the request already knows (the user only if a guard
    /// looked it up), so error pages can use it without touching the database.
    pub fn from_request_cached(req: &Request<'_>) -> Page {
        Page {
            lang: Lang::of_request(req),
            user: super::auth::cached_user(req),
            csrf: super::csrf::token(req).to_string(),
            flash: None,
            here: here(req),
        }
    }

    /// A message from the catalog in the page's language.
    /// A body of an escalation ladder, named in the reader's language.
    pub fn body_name<'s>(&self, step: &'s crate::domain::ladder::Step) -> &'s str {
        match self.lang {
            super::i18n::Lang::Fr => &step.body.fr,
            super::i18n::Lang::En => &step.body.en,
        }
    }

    pub fn t(&self, key: impl AsRef<str>) -> String {
        CATALOG.message(self.lang, key.as_ref(), None)
    }

    /// A message with one named argument.
    pub fn t_with(&self, key: &str, name: &str, value: impl AsRef<str>) -> String {
        super::i18n::message_with(self.lang, key, name, value.as_ref().to_string())
    }

    /// A country's name and code ("Morocco (MA)"), or the code alone where the catalog has
    /// no name for it: the directory may hold any ISO code.
    pub fn country(&self, code: &str) -> String {
        let key = format!("country-{code}");
        if CATALOG.has(self.lang, &key) {
            format!("{} ({code})", self.t(key))
        } else {
            code.to_string()
        }
    }

    /// The label of a form field: catalog key `field-<name>` with `_` as `-`.
    pub fn label(&self, field: impl AsRef<str>) -> String {
        self.t(format!("field-{}", field.as_ref().replace('_', "-")))
    }

    pub fn role_key(&self, role: impl Borrow<crate::domain::account::Role>) -> &'static str {
        match role.borrow() {
            crate::domain::account::Role::Subscriber => "role-subscriber",
            crate::domain::account::Role::Reviewer => "role-reviewer",
            crate::domain::account::Role::Admin => "role-admin",
            crate::domain::account::Role::Provider => "role-provider",
        }
    }

    /// The catalog key of a choice: `<prefix>-<value>` with `_` as `-`.
    pub fn choice_key(&self, prefix: &str, value: impl AsRef<str>) -> String {
        format!("{prefix}-{}", value.as_ref().replace('_', "-"))
    }

    pub fn kind_key(&self, kind: impl Borrow<crate::domain::complaint::Kind>) -> String {
        self.choice_key("kind", kind.borrow().as_str())
    }

    /// The kinds of a complaint's problems, named and joined: "Coupure de service, Hausse de prix".
    pub fn kinds_text(&self, kinds: impl Borrow<crate::domain::complaint::Kinds>) -> String {
        kinds
            .borrow()
            .iter()
            .map(|k| self.t(self.kind_key(k)))
            .collect::<Vec<_>>()
            .join(", ")
    }

    pub fn state_key(&self, state: impl Borrow<crate::domain::claim::State>) -> &'static str {
        state.borrow().label_key()
    }

    /// What a timeline entry's detail code means: a channel, a body, an outcome, the
    /// provider's answer or the subscriber's reply.
    pub fn event_detail(&self, action: impl AsRef<str>, detail: impl AsRef<str>) -> String {
        use crate::domain::claim::{Body, Channel, Outcome};
        use crate::domain::provider_answer::{Reply, ResponseType};
        let detail = detail.as_ref();
        if action.as_ref() == "edit" {
            // What changed: field names, or a kind for a problem's facts.
            return detail
                .split(',')
                .map(|name| match crate::domain::complaint::Kind::parse(name) {
                    Some(kind) => self.t(self.kind_key(kind)),
                    None => self.label(name),
                })
                .collect::<Vec<_>>()
                .join(", ");
        }
        let key = match action.as_ref() {
            "provider_answer" | "provider_note" => {
                ResponseType::parse(detail).map(ResponseType::label_key)
            }
            "reply" => Reply::parse(detail).map(Reply::label_key),
            "send" => Channel::parse(detail).map(Channel::label_key),
            "escalate" => Body::parse(detail).map(Body::label_key),
            _ => Outcome::parse(detail).map(Outcome::label_key),
        };
        key.map_or_else(|| detail.to_string(), |k| self.t(k))
    }

    pub fn yes_no(&self, value: impl Borrow<bool>) -> String {
        self.t(if *value.borrow() {
            "word-yes"
        } else {
            "word-no"
        })
    }

    pub fn style_path(&self) -> &'static str {
        super::pages::STYLE_PATH.as_str()
    }

    /// An amount in the page's language: `89,50 EUR` or `89.50 EUR`.
    pub fn money(
        &self,
        minor: impl Borrow<i64>,
        currency: impl Borrow<crate::domain::money::Currency>,
    ) -> String {
        crate::domain::money::format_amount(
            *minor.borrow(),
            *currency.borrow(),
            self.lang == Lang::Fr,
        )
    }

    /// A whole number grouped by thousands: `20 000 000` (narrow no-break spaces) or
    /// `20,000,000`.
    pub fn count(&self, n: impl Borrow<i64>) -> String {
        let n = *n.borrow();
        let digits = n.unsigned_abs().to_string();
        let sep = if self.lang == Lang::Fr {
            '\u{202F}'
        } else {
            ','
        };
        let mut out = String::new();
        for (i, d) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(sep);
            }
            out.push(d);
        }
        if n < 0 { format!("-{out}") } else { out }
    }

    /// A date in words: `7 septembre 2009`, `7 September 2009`.
    pub fn date(&self, date: impl Borrow<chrono::NaiveDate>) -> String {
        use chrono::Datelike;
        let date = *date.borrow();
        let month = self.t(format!("month-{}", date.month()));
        format!("{} {month} {}", date.day(), date.year())
    }

    /// A message with several named arguments.
    pub fn t_with_many(&self, key: &str, args: &[(&str, String)]) -> String {
        let mut fluent = fluent_bundle::FluentArgs::new();
        for (name, value) in args {
            fluent.set(*name, value.clone());
        }
        CATALOG.message(self.lang, key, Some(&fluent))
    }

    pub fn can_review(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.role.can_review())
    }

    pub fn is_provider(&self) -> bool {
        self.user
            .as_ref()
            .is_some_and(|u| u.role == crate::domain::account::Role::Provider)
    }

    pub fn is_admin(&self) -> bool {
        self.user
            .as_ref()
            .is_some_and(|u| u.role == crate::domain::account::Role::Admin)
    }
}

fn here(req: &Request<'_>) -> String {
    let uri = req.uri().to_string();
    rocket::http::RawStr::new(&uri).percent_encode().to_string()
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Page {
    type Error = AppError;
    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, AppError> {
        let user = match current_user(req).await {
            Ok(user) => user.clone(),
            Err(e) => return Outcome::Error((e.status(), e)),
        };
        let flash = req
            .guard::<Option<FlashMessage<'_>>>()
            .await
            .succeeded()
            .flatten()
            .map(|f| (f.kind().to_string(), f.message().to_string()));
        Outcome::Success(Page {
            lang: Lang::of_request(req),
            user,
            csrf: super::csrf::token(req).to_string(),
            flash,
            here: here(req),
        })
    }
}

/// A form's state for re-rendering: what the user typed and what is wrong with it.
#[derive(Debug, Default)]
pub struct FormState {
    values: HashMap<String, String>,
    /// The values of fields sent several times (a group of checkboxes).
    lists: HashMap<String, Vec<String>>,
    pub errors: FieldErrors,
}

impl FormState {
    pub fn new(errors: FieldErrors) -> FormState {
        FormState {
            values: HashMap::new(),
            lists: HashMap::new(),
            errors,
        }
    }

    /// Keeps what the user typed in these fields (never passwords).
    pub fn keep(mut self, form: &super::csrf::PostForm, fields: &[&str]) -> FormState {
        for f in fields {
            self.values
                .insert((*f).to_string(), form.get(f).to_string());
        }
        self
    }

    /// Keeps every value of a field sent several times.
    pub fn keep_all(mut self, form: &super::csrf::PostForm, field: &str) -> FormState {
        self.lists.insert(field.to_string(), form.all(field));
        self
    }

    pub fn set_all(&mut self, field: &str, values: Vec<String>) {
        self.lists.insert(field.to_string(), values);
    }

    /// For a group of checkboxes: one of the field's values is this one.
    pub fn has(&self, field: &str, value: &str) -> bool {
        self.lists
            .get(field)
            .is_some_and(|values| values.iter().any(|v| v == value))
    }

    pub fn set(&mut self, field: &str, value: &str) {
        self.values.insert(field.to_string(), value.to_string());
    }

    /// For checkboxes and radio buttons: the field holds this value.
    pub fn is(&self, field: &str, value: &str) -> bool {
        self.value(field) == value
    }

    pub fn value(&self, field: &str) -> &str {
        self.values.get(field).map_or("", String::as_str)
    }

    pub fn error(&self, field: &str) -> Option<&'static str> {
        self.errors.get(field)
    }

    /// Keeps the three boxes of the date field `name`.
    pub fn keep_date(mut self, form: &super::csrf::PostForm, name: &str) -> FormState {
        for part in DatePart::ALL {
            let field = format!("{name}-{}", part.suffix());
            let value = form.get(&field).to_string();
            self.values.insert(field, value);
        }
        self
    }

    /// Fills the three boxes of the date field `name`.
    pub fn set_date(&mut self, name: &str, date: chrono::NaiveDate) {
        use chrono::Datelike;
        for (part, value) in DatePart::ALL.into_iter().zip([date.day(), date.month()]) {
            self.set(&format!("{name}-{}", part.suffix()), &value.to_string());
        }
        self.set(&format!("{name}-year"), &date.year().to_string());
    }

    /// The typed value of one box (`day`, `month`, `year`) of the date field `name`.
    pub fn date_value(&self, name: &str, suffix: &str) -> &str {
        self.value(&format!("{name}-{suffix}"))
    }

    /// Whether a box of the date field `name` is the one to correct: the box its error
    /// names, or every box when the error is about the whole date (left empty).
    pub fn date_box_invalid(&self, name: &str, suffix: &str) -> bool {
        self.error(name).is_some_and(|key| {
            DateError::part_of_key(key).is_none_or(|part| part.suffix() == suffix)
        })
    }

    /// The element the error summary links to: the field, or for a date the box to correct.
    pub fn anchor(&self, e: &crate::domain::FieldError) -> String {
        match DateError::part_of_key(e.message) {
            Some(part) if part != DatePart::Day => format!("{}-{}", e.field, part.suffix()),
            _ => e.field.to_string(),
        }
    }
}

/// One option of a select or a radio group.
#[derive(Debug, Clone)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

impl Choice {
    pub fn new(value: &str, label: String) -> Choice {
        Choice {
            value: value.to_string(),
            label,
        }
    }
}

/// Every answer a page handler gives.
#[derive(rocket::Responder)]
pub enum Reply {
    Html((Status, RawHtml<String>)),
    Redirect(Redirect),
    Flash(Flash<Redirect>),
    /// 429 with the time to wait.
    #[response(status = 429)]
    TooMany(RawHtml<String>, Header<'static>),
}

fn html(view: &impl Template) -> Result<RawHtml<String>, AppError> {
    view.render()
        .map(RawHtml)
        .map_err(|e| AppError::Internal(format!("template failed: {e}")))
}

pub fn render(view: &impl Template, status: Status) -> Result<Reply, AppError> {
    Ok(Reply::Html((status, html(view)?)))
}

/// A page refused with 429 and how many seconds to wait before trying again.
pub fn render_too_many(view: &impl Template, wait: chrono::Duration) -> Result<Reply, AppError> {
    let secs = crate::domain::lockout::retry_after_secs(wait);
    Ok(Reply::TooMany(
        html(view)?,
        Header::new("Retry-After", secs.to_string()),
    ))
}

/// Redirects after a successful POST, with a message for the next page.
pub fn done(to: impl Into<String>, message_key: &str) -> Reply {
    Reply::Flash(Flash::success(Redirect::to(to.into()), message_key))
}
