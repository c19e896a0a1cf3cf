//! French and English through one Fluent catalog; the language comes from the switch
//! (a cookie), else from `Accept-Language`.

use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use rocket::http::{Cookie, CookieJar, SameSite};
use rocket::request::{FromRequest, Outcome, Request};
use rocket::response::Redirect;

use super::auth::safe_next;

pub const LANG_COOKIE: &str = "lang";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    Fr,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Fr, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == code)
    }

    /// French when the most preferred language is French, English otherwise.
    pub fn from_accept_language(header: &str) -> Lang {
        let mut best: Option<(f32, &str)> = None;
        for item in header.split(',') {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or("").trim();
            if tag.is_empty() {
                continue;
            }
            let q = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, tag));
            }
        }
        match best {
            Some((q, tag)) if q > 0.0 && tag.to_ascii_lowercase().starts_with("fr") => Lang::Fr,
            _ => Lang::En,
        }
    }

    pub fn of_request(req: &Request<'_>) -> Lang {
        req.cookies()
            .get(LANG_COOKIE)
            .and_then(|c| Lang::parse(c.value()))
            .or_else(|| {
                req.headers()
                    .get_one("Accept-Language")
                    .map(Lang::from_accept_language)
            })
            .unwrap_or(Lang::En)
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Lang {
    type Error = std::convert::Infallible;
    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        Outcome::Success(Lang::of_request(req))
    }
}

pub struct Catalog {
    fr: FluentBundle<FluentResource>,
    en: FluentBundle<FluentResource>,
}

/// The catalog, one file per area and language.
pub const FR_SOURCES: [&str; 8] = [
    include_str!("../../i18n/fr.ftl"),
    include_str!("../../i18n/complaints.fr.ftl"),
    include_str!("../../i18n/claim.fr.ftl"),
    include_str!("../../i18n/mail.fr.ftl"),
    include_str!("../../i18n/provider.fr.ftl"),
    include_str!("../../i18n/incidents.fr.ftl"),
    include_str!("../../i18n/publication.fr.ftl"),
    include_str!("../../i18n/data.fr.ftl"),
];
pub const EN_SOURCES: [&str; 8] = [
    include_str!("../../i18n/en.ftl"),
    include_str!("../../i18n/complaints.en.ftl"),
    include_str!("../../i18n/claim.en.ftl"),
    include_str!("../../i18n/mail.en.ftl"),
    include_str!("../../i18n/provider.en.ftl"),
    include_str!("../../i18n/incidents.en.ftl"),
    include_str!("../../i18n/publication.en.ftl"),
    include_str!("../../i18n/data.en.ftl"),
];

fn bundle(lang: &str, sources: &[&str]) -> FluentBundle<FluentResource> {
    let id: unic_langid::LanguageIdentifier = lang.parse().expect("valid language id");
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Unicode isolation marks would end up inside HTML attributes and e-mail-like values.
    bundle.set_use_isolating(false);
    for source in sources {
        let resource = FluentResource::try_new(source.to_string()).expect("the catalog parses");
        bundle
            .add_resource(resource)
            .expect("no duplicate message in the catalog");
    }
    bundle
}

pub static CATALOG: LazyLock<Catalog> = LazyLock::new(|| Catalog {
    fr: bundle("fr", &FR_SOURCES),
    en: bundle("en", &EN_SOURCES),
});

impl Catalog {
    /// Whether the catalog has `key`, for names known for some values only (countries).
    pub fn has(&self, lang: Lang, key: &str) -> bool {
        match lang {
            Lang::Fr => self.fr.has_message(key),
            Lang::En => self.en.has_message(key),
        }
    }

    pub fn message(&self, lang: Lang, key: &str, args: Option<&FluentArgs>) -> String {
        let bundle = match lang {
            Lang::Fr => &self.fr,
            Lang::En => &self.en,
        };
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            // A missing key is a bug: loud in tests, the bare key in production.
            debug_assert!(false, "no message {key:?} in the catalog");
            return key.to_string();
        };
        let mut errors = Vec::new();
        bundle
            .format_pattern(pattern, args, &mut errors)
            .into_owned()
    }
}

/// Looks up a message with one named argument.
pub fn message_with(
    lang: Lang,
    key: &str,
    name: &str,
    value: impl Into<FluentValue<'static>>,
) -> String {
    let mut args = FluentArgs::new();
    args.set(name.to_string(), value.into());
    CATALOG.message(lang, key, Some(&args))
}

/// The language switch: remembers the choice for a year and goes back to the page.
#[rocket::get("/lang/<code>?<next>")]
pub fn switch(
    code: &str,
    next: Option<&str>,
    cookies: &CookieJar<'_>,
) -> Result<Redirect, crate::web::errors::AppError> {
    let lang = Lang::parse(code).ok_or(crate::web::errors::AppError::NotFound)?;
    cookies.add(
        Cookie::build((LANG_COOKIE, lang.code()))
            .path("/")
            .same_site(SameSite::Lax)
            .max_age(rocket::time::Duration::days(365)),
    );
    Ok(Redirect::to(safe_next(next).to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(sources: &[&str]) -> std::collections::BTreeSet<String> {
        sources
            .iter()
            .flat_map(|s| s.lines())
            .filter_map(|l| l.split_once(" =").map(|(k, _)| k))
            .filter(|k| !k.starts_with(' ') && !k.starts_with('#') && !k.is_empty())
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn both_catalogs_have_the_same_messages() {
        let fr = keys(&FR_SOURCES);
        let en = keys(&EN_SOURCES);
        assert!(!fr.is_empty());
        assert_eq!(
            fr.difference(&en).collect::<Vec<_>>(),
            Vec::<&String>::new(),
            "only in French"
        );
        assert_eq!(
            en.difference(&fr).collect::<Vec<_>>(),
            Vec::<&String>::new(),
            "only in English"
        );
    }

    /// The one check of the keys used: every key the templates and the code use exists in
    /// both languages, and every message of the claims' catalog is used.
    #[test]
    fn every_used_key_exists_in_both_languages() {
        let (en, fr) = (keys(&EN_SOURCES), keys(&FR_SOURCES));
        // A key starts with the first word of a catalog key: `error-`, `claim-`, `next-`…
        let words: std::collections::BTreeSet<&str> = en
            .iter()
            .chain(&fr)
            .filter_map(|k| k.split_once('-').map(|(word, _)| word))
            .collect();
        let mut files = Vec::new();
        for dir in ["templates", "src"] {
            collect_files(
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir),
                &mut files,
            );
        }
        let mut used = std::collections::BTreeSet::new();
        let mut missing = Vec::new();
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            let rust = file.extension().is_some_and(|e| e == "rs");
            for key in used_keys(&text, rust, &words) {
                // The code completes keys around a part (`"billing-issue"` + `-<value>`, or
                // `mail-` + a message kind such as `"claim-moved"` + `-subject`).
                let (prefix, inner) = (format!("{key}-"), format!("-{key}-"));
                if en
                    .iter()
                    .any(|k| k.starts_with(&prefix) || k.contains(&inner))
                    && !en.contains(&key)
                {
                    continue;
                }
                if !en.contains(&key) || !fr.contains(&key) {
                    missing.push(format!("{}: {key}", file.display()));
                }
                used.insert(key);
            }
        }
        assert!(missing.is_empty(), "missing from a catalog: {missing:#?}");
        let unused: Vec<String> = keys(&[include_str!("../../i18n/claim.en.ftl")])
            .into_iter()
            .filter(|k| !used.contains(k))
            .collect();
        assert!(unused.is_empty(), "claim messages never used: {unused:?}");
    }

    fn collect_files(dir: std::path::PathBuf, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                collect_files(path, out);
            } else {
                out.push(path);
            }
        }
    }

    /// Keys passed to `.t("…")`, and in Rust code above its tests the string literals shaped
    /// like catalog keys: one of the catalog's first `words`, then words joined by '-'.
    fn used_keys(text: &str, rust: bool, words: &std::collections::BTreeSet<&str>) -> Vec<String> {
        let mut out = Vec::new();
        if rust {
            let code = text.split("#[cfg(test)]\nmod tests").next().unwrap_or(text);
            for piece in code.split('"').skip(1).step_by(2) {
                let word = piece.split('-').next().unwrap_or("");
                if is_key_shaped(piece) && words.contains(word) {
                    out.push(piece.to_string());
                }
            }
        }
        for part in text.split(".t(\"").skip(1) {
            if let Some(key) = part.split('"').next().filter(|k| is_key_shaped(k)) {
                out.push(key.to_string());
            }
        }
        out
    }

    fn is_key_shaped(s: &str) -> bool {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && s.contains('-')
            && !s.ends_with('-')
    }

    #[test]
    fn accept_language() {
        assert_eq!(
            Lang::from_accept_language("fr-FR,fr;q=0.9,en;q=0.8"),
            Lang::Fr
        );
        assert_eq!(Lang::from_accept_language("fr"), Lang::Fr);
        assert_eq!(Lang::from_accept_language("en-US,fr;q=0.8"), Lang::En);
        assert_eq!(Lang::from_accept_language("de;q=0.5,fr-CA;q=0.9"), Lang::Fr);
        assert_eq!(Lang::from_accept_language("de"), Lang::En);
        assert_eq!(Lang::from_accept_language(""), Lang::En);
        assert_eq!(Lang::from_accept_language("fr;q=0"), Lang::En);
        assert_eq!(Lang::from_accept_language(";;,,q=x"), Lang::En);
    }

    #[test]
    fn messages_with_arguments() {
        let text = message_with(Lang::En, "error-locked", "minutes", 3);
        assert!(text.contains('3'), "{text}");
    }
}
