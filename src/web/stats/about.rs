//! What the published figures count and how: the methodology page and the data dictionaries.
//! Every number on them is read from the constants and the configuration the figures are
//! made with, so that the text cannot drift from what the code does.

use askama::Template;
use rocket::http::Status;
use rocket::http::uri::Origin;
use rocket::{State, get};

use super::{Params, localise};
use crate::config::AppConfig;
use crate::domain::selection::LAST_MONTHS;
use crate::domain::stats::{CONFIDENCE, MIN_BREAKDOWN, MIN_VOLUME, PER, Z_95};
use crate::web::errors::AppError;
use crate::web::open_data::MAX_AGE;
use crate::web::page::{Page, Reply, render};
use crate::web::query::Empty;
use crate::web::table_schema::{self, Field, TableSchema};

/// One section of the methodology: its anchor, heading and paragraphs.
pub struct Section {
    pub id: &'static str,
    pub title: String,
    pub paragraphs: Vec<String>,
}

#[derive(Template)]
#[template(path = "stats/methodology.html")]
pub(super) struct MethodologyView {
    p: Page,
    sections: Vec<Section>,
}

/// The sections in order; each paragraph is the catalog's `methodology-{id}-{n}` with the
/// numbers it states.
fn sections(p: &Page, config: &AppConfig) -> Vec<Section> {
    let n = |v: i64| p.count(v);
    let profile = config.claim_times();
    let args: Vec<(&str, String)> = vec![
        ("min", n(MIN_VOLUME)),
        ("breakdown", n(MIN_BREAKDOWN)),
        ("per", n(PER)),
        ("confidence", n(CONFIDENCE)),
        ("z", localise(p, &Z_95.to_string())),
        ("months", n(i64::from(LAST_MONTHS))),
        ("answer_days", n(profile.answer_days)),
        ("provider_answer_days", n(profile.provider_answer_days)),
        ("max_age", n(i64::from(MAX_AGE))),
        ("licence", table_schema::LICENCE_TITLE.to_string()),
    ];
    let section = |id: &'static str, count: usize| Section {
        id,
        title: p.t_with_many(&format!("methodology-{id}"), &args),
        paragraphs: (1..=count)
            .map(|i| p.t_with_many(&format!("methodology-{id}-{i}"), &args))
            .collect(),
    };
    vec![
        section("complaint", 3),
        section("several", 2),
        section("subscribers", 3),
        section("rates", 2),
        section("interval", 3),
        section("volumes", 3),
        section("month", 2),
        section("networks", 3),
        section("answers", 3),
        section("records", 3),
        section("version", 2),
        section("licence", 2),
    ]
}

#[get("/stats/methodology")]
pub fn methodology(
    p: Page,
    uri: &Origin<'_>,
    config: &State<AppConfig>,
) -> Result<Reply, AppError> {
    Params::parse(uri, &[], Empty::Refuse)?;
    let sections = sections(&p, config);
    render(&MethodologyView { p, sections }, Status::Ok)
}

#[derive(Template)]
#[template(path = "stats/dictionary.html")]
pub(super) struct DictionaryView {
    p: Page,
    schema: TableSchema,
}

impl DictionaryView {
    /// What a column's values must be, in words: required, the values allowed, the bounds,
    /// the pattern.
    fn rules(&self, f: &Field) -> Vec<String> {
        let p = &self.p;
        let mut rules = Vec::new();
        if f.required {
            rules.push(p.t("dictionary-required"));
        }
        if !f.values.is_empty() {
            rules.push(p.t_with("dictionary-values", "values", f.values.join(", ")));
        }
        if let Some(min) = f.minimum {
            rules.push(p.t_with("dictionary-minimum", "min", p.count(min)));
        }
        if let Some(max) = f.maximum {
            rules.push(p.t_with("dictionary-maximum", "max", p.count(max)));
        }
        if let Some(pattern) = &f.pattern {
            rules.push(p.t_with("dictionary-pattern", "pattern", pattern));
        }
        rules
    }
}

/// A CSV's columns in both languages: names, types, meanings and rules, as its Table Schema
/// states them.
#[get("/stats/dictionary/<name>")]
pub fn dictionary(p: Page, name: &str, uri: &Origin<'_>) -> Result<Reply, AppError> {
    Params::parse(uri, &[], Empty::Refuse)?;
    let schema = table_schema::named(name).ok_or(AppError::NotFound)?;
    render(&DictionaryView { p, schema }, Status::Ok)
}
