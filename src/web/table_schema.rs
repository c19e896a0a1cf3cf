//! Table Schemas (Frictionless, <https://specs.frictionlessdata.io/table-schema/>) of the CSVs
//! the portal writes, served beside them, and the `Link` header that points a CSV to its
//! schema and licence. A CSV's header row is written from its schema's fields, so the two
//! cannot disagree; each field's description comes from the catalog (English in the
//! schema, both languages on the data dictionary pages).

use rocket::http::uri::Origin;
use rocket::http::{ContentType, Header};
use rocket::response::{self, Responder};
use rocket::{Request, get};
use serde_json::{Value, json};

use super::i18n::{CATALOG, Lang};
use super::open_data::public_cache;
use super::query::Empty;
use super::stats::{ApiRefusal, Params};
use crate::domain::complaint::Kind;
use crate::domain::money::Currency;

/// The open data's licence: the Licence Ouverte 2.0 of Etalab (compatible with CC-BY and
/// ODC-BY).
pub const LICENCE_ID: &str = "etalab-2.0";
pub const LICENCE_URL: &str = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/";
pub const LICENCE_TITLE: &str = "Licence Ouverte / Open Licence 2.0";

/// A month as the CSVs write it, `YYYY-MM` (Table Schema patterns match whole values).
pub const MONTH_PATTERN: &str = "[0-9]{4}-(0[1-9]|1[0-2])";
/// A provider's slug (`domain::provider::slug_is_valid`): 2 to 40 lowercase letters,
/// digits and inner hyphens.
pub const SLUG_PATTERN: &str = "[a-z0-9][a-z0-9-]{0,38}[a-z0-9]";
pub const COUNTRY_PATTERN: &str = "[A-Z]{2}";

/// A column's Table Schema type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    Text,
    Integer,
    Number,
    Boolean,
}

impl Type {
    pub fn as_str(self) -> &'static str {
        match self {
            Type::Text => "string",
            Type::Integer => "integer",
            Type::Number => "number",
            Type::Boolean => "boolean",
        }
    }
}

/// One column of a CSV.
#[derive(Debug, Clone)]
pub struct Field {
    pub name: String,
    pub kind: Type,
    /// The catalog message saying what the column holds, and its arguments.
    key: &'static str,
    args: Vec<(&'static str, String)>,
    pub required: bool,
    pub minimum: Option<i64>,
    pub maximum: Option<i64>,
    pub pattern: Option<String>,
    /// The only values the column takes, when they are a fixed list.
    pub values: Vec<String>,
}

impl Field {
    pub fn new(name: impl Into<String>, kind: Type, key: &'static str) -> Field {
        Field {
            name: name.into(),
            kind,
            key,
            args: Vec::new(),
            required: false,
            minimum: None,
            maximum: None,
            pattern: None,
            values: Vec::new(),
        }
    }

    /// A count or an amount: never negative.
    pub fn count(name: impl Into<String>, kind: Type, key: &'static str) -> Field {
        Field {
            minimum: Some(0),
            ..Field::new(name, kind, key)
        }
    }

    /// A whole percentage, 0 to 100.
    pub fn percent(name: &str, key: &'static str) -> Field {
        Field {
            maximum: Some(100),
            ..Field::count(name, Type::Integer, key)
        }
    }

    pub fn month(name: &str, key: &'static str) -> Field {
        Field::new(name, Type::Text, key).pattern(MONTH_PATTERN)
    }

    pub fn slug(name: &str, key: &'static str) -> Field {
        Field::new(name, Type::Text, key).pattern(SLUG_PATTERN)
    }

    /// The kinds of a complaint's problems joined by `separator`, in their usual order.
    pub fn kinds(name: &str, key: &'static str, separator: char) -> Field {
        let one = format!(
            "({})",
            Kind::ALL
                .iter()
                .map(|k| k.as_str())
                .collect::<Vec<_>>()
                .join("|")
        );
        // `+` separates the reviewers' kinds: a regular expression must escape it.
        let separator = if "\\^$.|?*+()[]{}".contains(separator) {
            format!("\\{separator}")
        } else {
            separator.to_string()
        };
        Field::new(name, Type::Text, key).pattern(&format!("{one}({separator}{one})*"))
    }

    pub fn with(mut self, arg: &'static str, value: impl Into<String>) -> Field {
        self.args.push((arg, value.into()));
        self
    }

    pub fn required(mut self) -> Field {
        self.required = true;
        self
    }

    pub fn pattern(mut self, pattern: &str) -> Field {
        self.pattern = Some(pattern.to_string());
        self
    }

    pub fn one_of<'a>(mut self, values: impl IntoIterator<Item = &'a str>) -> Field {
        self.values = values.into_iter().map(str::to_string).collect();
        self
    }

    /// What the column holds, in `lang`.
    pub fn description(&self, lang: impl std::borrow::Borrow<Lang>) -> String {
        let mut args = fluent_bundle::FluentArgs::new();
        for (name, value) in &self.args {
            args.set(*name, value.clone());
        }
        CATALOG.message(*lang.borrow(), self.key, Some(&args))
    }

    fn json(&self) -> Value {
        let mut field = json!({
            "name": self.name,
            "type": self.kind.as_str(),
            "description": self.description(Lang::En),
        });
        if self.kind == Type::Boolean {
            field["trueValues"] = json!(["true"]);
            field["falseValues"] = json!(["false"]);
        }
        let mut constraints = serde_json::Map::new();
        if self.required {
            constraints.insert("required".into(), json!(true));
        }
        if let Some(min) = self.minimum {
            constraints.insert("minimum".into(), json!(min));
        }
        if let Some(max) = self.maximum {
            constraints.insert("maximum".into(), json!(max));
        }
        if let Some(pattern) = &self.pattern {
            constraints.insert("pattern".into(), json!(pattern));
        }
        if !self.values.is_empty() {
            constraints.insert("enum".into(), json!(self.values));
        }
        if !constraints.is_empty() {
            field["constraints"] = Value::Object(constraints);
        }
        field
    }
}

/// The columns of one CSV and what is said of the whole file.
#[derive(Debug, Clone)]
pub struct TableSchema {
    /// The name in the addresses: `/stats/dictionary/{name}`.
    pub name: &'static str,
    /// Where the CSV is downloaded, and where this schema is served.
    pub csv: &'static str,
    pub path: &'static str,
    /// The catalog message titling the file.
    pub title_key: &'static str,
    pub fields: Vec<Field>,
    pub primary_key: Option<&'static str>,
    /// Open data under the licence; the reviewers' export is not published.
    pub open: bool,
}

impl TableSchema {
    /// The CSV's header row.
    pub fn header(&self) -> impl Iterator<Item = &str> {
        self.fields.iter().map(|f| f.name.as_str())
    }

    pub fn json(&self) -> Value {
        let mut doc = json!({
            "$schema": "https://specs.frictionlessdata.io/schemas/table-schema.json",
            "name": format!("recours-{}", self.name),
            "title": CATALOG.message(Lang::En, self.title_key, None),
            "path": self.path,
            "fields": self.fields.iter().map(Field::json).collect::<Vec<_>>(),
            // Empty cells are the only missing values: hidden below a minimum volume, or
            // not applicable (the field's description says which).
            "missingValues": [""],
        });
        if let Some(key) = self.primary_key {
            doc["primaryKey"] = json!([key]);
        }
        if self.open {
            doc["licenses"] = json!([{
                "name": LICENCE_ID,
                "path": LICENCE_URL,
                "title": LICENCE_TITLE,
            }]);
        }
        doc
    }

    /// The `Link` header of the CSV: its schema, and its licence when it is open data.
    pub fn link(&self) -> Header<'static> {
        let mut links = vec![format!(
            "<{}>; rel=\"describedby\"; type=\"application/json\"",
            self.path
        )];
        if self.open {
            links.push(format!("<{LICENCE_URL}>; rel=\"license\""));
        }
        Header::new("Link", links.join(", "))
    }
}

/// The currencies' decimals, as the amounts' descriptions state them: "EUR 2, …, TND 3".
pub fn currency_decimals() -> String {
    Currency::ALL
        .iter()
        .map(|c| format!("{} {}", c.code(), c.minor_digits()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Every CSV's schema, by name.
pub fn all() -> [TableSchema; 3] {
    [
        super::stats::providers_schema(),
        super::open_records::records_schema(),
        super::review::records_schema(),
    ]
}

pub fn named(name: &str) -> Option<TableSchema> {
    all().into_iter().find(|s| s.name == name)
}

/// A CSV answered with the `Link` header that describes it.
pub struct Described<R> {
    pub inner: R,
    pub link: Header<'static>,
}

impl<'r, R: Responder<'r, 'static>> Responder<'r, 'static> for Described<R> {
    fn respond_to(self, req: &'r Request<'_>) -> response::Result<'static> {
        let mut res = self.inner.respond_to(req)?;
        res.set_header(self.link);
        Ok(res)
    }
}

/// A schema document: JSON, the same for everyone, readable from any origin.
#[derive(rocket::Responder)]
pub struct SchemaDocument {
    body: String,
    content_type: ContentType,
    cache: Header<'static>,
}

fn document(uri: &Origin<'_>, schema: TableSchema) -> Result<SchemaDocument, ApiRefusal> {
    Params::parse(uri, &[], Empty::Refuse)?;
    let body = serde_json::to_string_pretty(&schema.json()).unwrap_or_default();
    Ok(SchemaDocument {
        body,
        content_type: ContentType::JSON,
        cache: public_cache(),
    })
}

#[get("/stats/providers.schema.json")]
pub fn providers(uri: &Origin<'_>) -> Result<SchemaDocument, ApiRefusal> {
    document(uri, super::stats::providers_schema())
}

#[get("/complaints.schema.json")]
pub fn complaints(uri: &Origin<'_>) -> Result<SchemaDocument, ApiRefusal> {
    document(uri, super::open_records::records_schema())
}

#[get("/review/complaints.schema.json")]
pub fn reviewers(uri: &Origin<'_>) -> Result<SchemaDocument, ApiRefusal> {
    document(uri, super::review::records_schema())
}
