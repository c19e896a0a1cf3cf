//! What the open data says about itself: the licence on every statistics page and in the
//! CSVs' metadata, the methodology page, the data dictionaries and the Table Schemas.

use rocket::http::{Header, Method, Status};
use serde_json::Value;

use crate::common::{Resp, TestApp, send};
use crate::stats::{app_with, json};
use recours::domain::account::Role;
use recours::domain::stats::{MIN_BREAKDOWN, MIN_VOLUME};

const LICENCE_URL: &str = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/";

/// The CSVs, their schemas and their dictionaries.
const FILES: [(&str, &str, &str); 3] = [
    (
        "/stats/providers.csv",
        "/stats/providers.schema.json",
        "/stats/dictionary/providers",
    ),
    (
        "/complaints.csv",
        "/complaints.schema.json",
        "/stats/dictionary/complaints",
    ),
    (
        "/review/complaints.csv",
        "/review/complaints.schema.json",
        "/stats/dictionary/reviewers",
    ),
];

fn in_french(app: &TestApp, path: &str) -> Resp {
    send(
        app.client
            .get(path.to_string())
            .header(Header::new("Accept-Language", "fr-FR,fr;q=0.9")),
    )
}

/// The text of a page without its tags, spaces collapsed: what a reader sees.
fn text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn every_statistics_page_states_the_licence_and_links_the_methodology() {
    let app = app_with(2, 1);
    for path in [
        "/stats",
        "/stats/providers/kleema",
        "/stats/methodology",
        "/stats/dictionary/providers",
        "/stats/dictionary/complaints",
    ] {
        for res in [app.get(path), in_french(&app, path)] {
            assert_eq!(res.status, Status::Ok, "{path}");
            res.assert_contains(&format!(r#"href="{LICENCE_URL}" rel="license""#));
            res.assert_contains("Licence Ouverte / Open Licence 2.0");
            res.assert_contains(r#"href="/stats/methodology""#);
        }
    }
    assert!(text(&app.get("/stats").body).contains("open data under the Licence Ouverte"));
    assert!(
        text(&in_french(&app, "/stats").body).contains("données ouvertes sous la Licence Ouverte")
    );
    // The reviewers' export is not open data: its dictionary claims no licence.
    let reviewers = app.get("/stats/dictionary/reviewers");
    assert_eq!(reviewers.status, Status::Ok);
    assert!(!reviewers.body.contains(LICENCE_URL));
    // Pages that are not the statistics' say nothing of it.
    assert!(!app.get("/").body.contains(LICENCE_URL));
}

#[test]
fn the_methodology_page_in_both_languages_with_the_numbers_the_code_uses() {
    let app = TestApp::with(|f| {
        f.merge(("claim_answer_days", 45))
            .merge(("provider_answer_days", 21))
    });
    let en = app.get("/stats/methodology");
    assert_eq!(en.status, Status::Ok);
    let fr = in_french(&app, "/stats/methodology");
    assert_eq!(fr.status, Status::Ok);
    assert!(en.body.contains(r#"<html lang="en">"#));
    assert!(fr.body.contains(r#"<html lang="fr">"#));
    let (en_text, fr_text) = (text(&en.body), text(&fr.body));
    // Every number of every message was given (Fluent shows a missing one as `{$name}`).
    assert!(!en_text.contains("{$") && !fr_text.contains("{$"));
    for (wanted, page) in [
        ("What counts as a complaint".to_string(), &en_text),
        ("Ce qui compte comme une plainte".to_string(), &fr_text),
        ("counts in the month it was filed".to_string(), &en_text),
        // The numbers come from the constants and the configuration.
        (
            format!("only from {MIN_VOLUME} complaints in the selection"),
            &en_text,
        ),
        (
            format!("only from {MIN_BREAKDOWN} complaints in the selection"),
            &en_text,
        ),
        (format!("qu'à partir de {MIN_VOLUME} plaintes"), &fr_text),
        ("per 100,000 declared subscribers".to_string(), &en_text),
        // Grouped by a narrow no-break space, which `text` reads as a space.
        ("pour 100 000 abonnés déclarés".to_string(), &fr_text),
        ("The 95 % Wilson interval".to_string(), &en_text),
        ("z = 1.959964".to_string(), &en_text),
        ("z = 1,959964".to_string(), &fr_text),
        ("due 45 days after".to_string(), &en_text),
        (
            "(21 days for a claim sent through this portal)".to_string(),
            &en_text,
        ),
        ("attendue 45 jours après".to_string(), &fr_text),
        (
            "the 12 complete months before the current one".to_string(),
            &en_text,
        ),
        ("keep the figures 60 seconds".to_string(), &en_text),
        ("at least 10 complaints are published".to_string(), &en_text),
        ("counts once under each of its kinds".to_string(), &en_text),
        (
            "the resellers riding on a network based in it".to_string(),
            &en_text,
        ),
        (
            "where its author agreed to publish it".to_string(),
            &en_text,
        ),
        ("data_version".to_string(), &en_text),
        ("compatible with CC-BY and ODC-BY".to_string(), &en_text),
        ("compatible avec CC-BY et ODC-BY".to_string(), &fr_text),
    ] {
        assert!(page.contains(&wanted), "{wanted:?} not in {page}");
    }
    // A table of contents whose every entry leads to a heading of the page.
    let toc = &en.body[en.body.find("<nav aria-labelledby=\"toc-title\"").unwrap()..];
    let toc = &toc[..toc.find("</nav>").unwrap()];
    let anchors: Vec<&str> = toc
        .split("href=\"#")
        .skip(1)
        .map(|s| s.split('"').next().unwrap())
        .collect();
    assert!(anchors.len() >= 10, "{anchors:?}");
    for a in &anchors {
        en.assert_contains(&format!("<h2 id=\"{a}\">"));
    }
    // Linked from the statistics and from the API's document.
    app.get("/stats")
        .assert_contains(r#"<a href="/stats/methodology">Methodology</a>"#);
    let doc = json(&app.get("/api/v1/openapi.json"));
    let said = doc["info"]["description"].as_str().unwrap();
    assert!(said.contains("/stats/methodology"), "{said}");
    assert!(
        doc["externalDocs"]["url"]
            .as_str()
            .unwrap()
            .ends_with("/stats/methodology")
    );
    // Like every public page, strict about its query string.
    assert_eq!(app.get("/stats/methodology?x=1").status, Status::BadRequest);
    assert_eq!(
        send(app.client.req(Method::Post, "/stats/methodology")).status,
        Status::MethodNotAllowed
    );
}

#[test]
fn table_schemas_are_served_as_open_data_and_name_the_csv_columns_exactly() {
    let app = app_with(2, 1);
    let reviewer = app.client_as("assoc@example.org", Role::Reviewer);
    for (csv_path, schema_path, dictionary) in FILES {
        let res = send(
            app.client
                .get(schema_path)
                .header(Header::new("Origin", "https://elsewhere.example")),
        );
        assert_eq!(res.status, Status::Ok, "{schema_path}");
        assert_eq!(res.header("Content-Type"), Some("application/json"));
        assert_eq!(res.header("Access-Control-Allow-Origin"), Some("*"));
        assert_eq!(res.header("Cache-Control"), Some("public, max-age=60"));
        let schema: Value = serde_json::from_str(&res.body).unwrap();
        let fields = schema["fields"].as_array().unwrap();
        for f in fields {
            // Every argument of its message was given.
            assert!(
                f["description"]
                    .as_str()
                    .is_some_and(|d| d.len() > 10 && !d.contains('{')),
                "{schema_path}: {f}"
            );
            assert!(
                ["string", "integer", "number", "boolean"].contains(&f["type"].as_str().unwrap())
            );
        }
        assert_eq!(schema["missingValues"], serde_json::json!([""]));
        assert_eq!(
            send(app.client.get(format!("{schema_path}?v=1"))).status,
            Status::BadRequest
        );
        let options = send(app.client.req(Method::Options, schema_path));
        assert_eq!(options.status, Status::NoContent, "{schema_path}");

        // The CSV: its header row is the schema's field names, in order, and its Link
        // header points to the schema (and, for open data, to the licence).
        let csv = if csv_path.starts_with("/review/") {
            send(reviewer.get(csv_path))
        } else {
            app.get(csv_path)
        };
        assert_eq!(csv.status, Status::Ok, "{csv_path}");
        let header: Vec<String> = csv::Reader::from_reader(csv.body.as_bytes())
            .headers()
            .unwrap()
            .iter()
            .map(str::to_string)
            .collect();
        let names: Vec<String> = fields
            .iter()
            .map(|f| f["name"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(header, names, "{csv_path}");
        let link = csv
            .header("Link")
            .unwrap_or_else(|| panic!("{csv_path}: a Link"));
        assert!(
            link.contains(&format!("<{schema_path}>; rel=\"describedby\"")),
            "{link}"
        );
        let open = !csv_path.starts_with("/review/");
        assert_eq!(
            link.contains(&format!("<{LICENCE_URL}>; rel=\"license\"")),
            open,
            "{link}"
        );
        if open {
            assert_eq!(schema["licenses"][0]["name"], "etalab-2.0");
            assert_eq!(schema["licenses"][0]["path"], LICENCE_URL);
        } else {
            assert!(schema.get("licenses").is_none());
        }

        // The dictionary lists every column in both languages.
        let (en, fr) = (app.get(dictionary), in_french(&app, dictionary));
        assert_eq!(en.status, Status::Ok, "{dictionary}");
        for name in &names {
            en.assert_contains(&format!("<code>{name}</code>"));
        }
        for f in fields {
            let said = f["description"].as_str().unwrap();
            assert!(
                text(&en.body).contains(said),
                "{dictionary}: {said:?} not on the page"
            );
        }
        assert!(fr.body.contains("Dictionnaire des données"));
        assert!(!text(&fr.body).contains("{$"), "{dictionary}");
        en.assert_contains(&format!(r#"href="{schema_path}""#));
        en.assert_contains(&format!(r#"href="{csv_path}""#));
    }
    assert_eq!(app.get("/stats/dictionary/nosuch").status, Status::NotFound);
}

#[test]
fn the_schemas_state_types_constraints_and_keys() {
    let app = TestApp::new();
    let schema = |path: &str| -> Value { serde_json::from_str(&app.get(path).body).unwrap() };
    let field = |schema: &Value, name: &str| -> Value {
        schema["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == name)
            .unwrap_or_else(|| panic!("{name}"))
            .clone()
    };
    let providers = schema("/stats/providers.schema.json");
    assert_eq!(providers["primaryKey"], serde_json::json!(["slug"]));
    assert_eq!(field(&providers, "complaints")["type"], "integer");
    assert_eq!(
        field(&providers, "complaints")["constraints"],
        serde_json::json!({"required": true, "minimum": 0})
    );
    assert_eq!(field(&providers, "per_100k")["type"], "number");
    assert_eq!(field(&providers, "claimed_TND")["type"], "number");
    assert!(
        field(&providers, "claimed_TND")["description"]
            .as_str()
            .unwrap()
            .contains("with 3 decimals")
    );
    assert_eq!(
        field(&providers, "timely_answer_percent")["constraints"],
        serde_json::json!({"minimum": 0, "maximum": 100})
    );
    assert_eq!(
        field(&providers, "period_from")["constraints"]["pattern"],
        "[0-9]{4}-(0[1-9]|1[0-2])"
    );
    assert!(
        field(&providers, "per_100k")["description"]
            .as_str()
            .unwrap()
            .contains(&format!("below {MIN_VOLUME} complaints"))
    );

    let records = schema("/complaints.schema.json");
    assert_eq!(records["primaryKey"], serde_json::json!(["id"]));
    assert_eq!(
        field(&records, "claim_state")["constraints"]["enum"],
        serde_json::json!([
            "filed",
            "sent",
            "answered",
            "escalated",
            "resolved",
            "withdrawn"
        ])
    );
    assert_eq!(field(&records, "answered_on_time")["type"], "boolean");
    assert_eq!(
        field(&records, "kinds")["constraints"]["pattern"],
        "(service_cut|price_hike|billing|other)(;(service_cut|price_hike|billing|other))*"
    );

    let reviewers = schema("/review/complaints.schema.json");
    assert!(reviewers.get("primaryKey").is_none());
    assert_eq!(
        field(&reviewers, "currency")["constraints"]["enum"],
        serde_json::json!(["EUR", "MAD", "TND", "DZD", "USD", "CAD", "GBP"])
    );
    assert!(
        field(&reviewers, "amount_claimed")["description"]
            .as_str()
            .unwrap()
            .contains("TND 3")
    );
    // The API's document points to the schemas.
    let doc = json(&app.get("/api/v1/openapi.json"));
    let said = doc["info"]["description"].as_str().unwrap();
    for path in [
        "/stats/providers.schema.json",
        "/complaints.schema.json",
        "/review/complaints.schema.json",
    ] {
        assert!(said.contains(path), "{path} not in {said}");
    }
}

#[test]
fn the_download_links_sit_beside_their_dictionary_and_schema() {
    let app = app_with(2, 1);
    let page = app.get("/stats?kind=billing&sort=-complaints");
    page.assert_contains(r#"href="/stats/dictionary/providers""#);
    page.assert_contains(r#"href="/stats/providers.schema.json""#);
    // The records take the same selection, without the table's order.
    page.assert_contains(r#"href="/complaints.csv?kind=billing""#);
    page.assert_contains(r#"href="/complaints.schema.json""#);
    app.logged_in_as("assoc@example.org", Role::Reviewer);
    let review = app.get("/review");
    review.assert_contains(r#"href="/stats/dictionary/reviewers""#);
    review.assert_contains(r#"href="/review/complaints.schema.json""#);
}
