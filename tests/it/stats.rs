//! Public statistics: what is published, that it equals a recount, and that it is fair and
//! anonymous.

use rocket::http::{Header, Status};
use serde_json::Value;

use crate::common::{PASSWORD, TestApp, login_on, send};
use recours::domain::account::Role;
use recours::domain::claim::ActionKind;

pub const OPENAPI: &str = include_str!("../../src/web/openapi.json");

/// Validates `value` against a schema of the OpenAPI document.
pub fn assert_matches_openapi(value: &Value, schema: &str) {
    let doc: Value = serde_json::from_str(OPENAPI).unwrap();
    let root = serde_json::json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$ref": format!("#/components/schemas/{schema}"),
        "components": doc["components"],
    });
    let validator = jsonschema::validator_for(&root).expect("the OpenAPI schemas compile");
    let errors: Vec<String> = validator
        .iter_errors(value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{schema}: {errors:#?}\n{value:#}");
}

pub fn json(res: &crate::common::Resp) -> Value {
    assert_eq!(
        res.header("Content-Type"),
        Some("application/json"),
        "{}",
        res.body
    );
    serde_json::from_str(&res.body).unwrap()
}

/// Kleema (50,000 subscribers, on Wana's network) with `kleema` complaints, Wana (3 million)
/// with `wana`, filed by one subscriber.
pub fn app_with(kleema: usize, wana: usize) -> TestApp {
    let app = TestApp::new();
    app.provider("wana", "Wana", Some(3_000_000), None);
    app.provider("kleema", "Kleema", Some(50_000), Some("wana"));
    app.logged_in_as("filer@example.org", Role::Subscriber);
    for i in 0..kleema {
        let kind = ["service_cut", "price_hike", "billing", "other"][i % 4];
        let fields: Vec<(&str, &str)> = match kind {
            "service_cut" => vec![
                ("kind", kind),
                ("service", "mobile"),
                ("started_on", "2026-09-07"),
            ],
            "price_hike" => vec![
                ("kind", kind),
                ("old_price", "15"),
                ("new_price", "89"),
                ("effective_on", "2026-01-01"),
                ("announced_by", "none"),
            ],
            "billing" => vec![
                ("kind", kind),
                ("billing_issue", "unexplained"),
                ("charged_on", "2026-01-01"),
                ("charged_amount", "10"),
            ],
            _ => vec![("kind", kind)],
        };
        app.filed(&fields);
    }
    for _ in 0..wana {
        app.filed(&[
            ("provider", "wana"),
            ("currency", "MAD"),
            ("amount_claimed", "100"),
        ]);
    }
    app
}

pub fn provider<'a>(doc: &'a Value, slug: &str) -> &'a Value {
    doc["providers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["slug"] == slug)
        .unwrap_or_else(|| panic!("{slug} in {doc:#}"))
}

#[test]
fn the_public_page_ranks_providers_and_hides_rates_below_ten_complaints() {
    let app = app_with(10, 9);
    let page = app.get("/stats");
    assert_eq!(page.status, Status::Ok);
    page.assert_contains("Kleema");
    page.assert_contains("Wana");
    // In the table: the filters list the networks (Wana) above it.
    let table = &page.body[page.body.find("<table class=\"stats\"").unwrap()..];
    assert!(
        table.find("Kleema").unwrap() < table.find(">Wana<").unwrap(),
        "most complaints first"
    );
    // 10 of 50,000 = 20 per 100,000; Wana's 9 are below the minimum volume.
    page.assert_contains("20.0 (");
    page.assert_contains("not shown");
    page.assert_contains("890.00 EUR");
    page.assert_contains("900.00 MAD");
    page.assert_contains("<svg");
    page.assert_contains("Complaints filed each month");

    let doc = json(&app.get("/api/v1/stats/providers"));
    assert_matches_openapi(&doc, "ProvidersResponse");
    let kleema = provider(&doc, "kleema");
    assert_eq!(kleema["complaints"], 10);
    assert_eq!(kleema["network"], "wana");
    assert!((kleema["per_100k"].as_f64().unwrap() - 20.0).abs() < 1e-9);
    assert_eq!(kleema["by_kind"]["service_cut"], 3);
    assert_eq!(kleema["by_kind"]["other"], 2);
    assert_eq!(kleema["claims"]["total"], 10);
    assert_eq!(kleema["claims"]["by_state"]["filed"], 10);
    assert_eq!(kleema["claims"]["claimed"]["EUR"], 89_000);
    let wana = provider(&doc, "wana");
    assert_eq!(wana["complaints"], 9);
    assert_eq!(wana["per_100k"], Value::Null);
    assert_eq!(wana["resolution_rate_percent"], Value::Null);
    assert_eq!(wana["claims"]["claimed"]["MAD"], 90_000);

    let fr = send(
        app.client
            .get("/stats")
            .header(Header::new("Accept-Language", "fr")),
    );
    fr.assert_contains("20,0 (");
    fr.assert_contains("non affiché");
}

#[test]
fn a_provider_page_shows_its_months_and_its_resellers_apart() {
    let app = app_with(3, 2);
    let page = app.get("/stats/providers/wana");
    assert_eq!(page.status, Status::Ok);
    page.assert_contains("Resellers on this network");
    page.assert_contains("href=\"/stats/providers/kleema\"");
    let doc = json(&app.get("/api/v1/stats/providers/wana"));
    assert_matches_openapi(&doc, "ProviderResponse");
    assert_eq!(
        doc["provider"]["complaints"], 2,
        "the resellers' complaints are not added to the network's"
    );
    assert_eq!(doc["provider"]["resellers"][0]["slug"], "kleema");
    assert_eq!(doc["provider"]["resellers"][0]["complaints"], 3);
    let month = chrono::Utc::now().format("%Y-%m").to_string();
    assert_eq!(doc["provider"]["months"][0]["month"], month.as_str());
    assert_eq!(doc["provider"]["months"][0]["complaints"], 2);
    app.get("/stats/providers/kleema")
        .assert_contains("Runs on the network of Wana");
    assert_eq!(app.get("/stats/providers/nosuch").status, Status::NotFound);
    let missing = app.get("/api/v1/stats/providers/nosuch");
    assert_eq!(missing.status, Status::NotFound);
    assert_matches_openapi(&json(&missing), "Error");
}

#[test]
fn filters_select_and_bad_filters_are_refused_clearly() {
    let app = app_with(4, 1);
    let this_month = chrono::Utc::now().format("%Y-%m").to_string();
    let doc = json(&app.get("/api/v1/stats/providers?kind=service_cut"));
    assert_matches_openapi(&doc, "ProvidersResponse");
    assert_eq!(provider(&doc, "kleema")["complaints"], 1);
    assert_eq!(doc["filters"]["kind"], serde_json::json!(["service_cut"]));
    let doc = json(&app.get(&format!(
        "/api/v1/stats/providers?from={this_month}&to={this_month}&country=fr"
    )));
    assert_eq!(
        doc["providers"].as_array().unwrap().len(),
        2,
        "both fixture providers are in FR: {doc:#}"
    );
    let none = json(&app.get("/api/v1/stats/providers?country=MA"));
    assert_eq!(none["providers"].as_array().unwrap().len(), 0);
    let empty = json(&app.get("/api/v1/stats/providers?from=2001-01&to=2001-12"));
    assert_eq!(empty["providers"].as_array().unwrap().len(), 0);

    for bad in [
        "from=2026-13",
        "from=2026-05&to=2026-01",
        "kind=flood",
        "country=France",
        "from=yesterday",
    ] {
        let res = app.get(&format!("/api/v1/stats/providers?{bad}"));
        assert_eq!(res.status, Status::BadRequest, "{bad}");
        assert_matches_openapi(&json(&res), "Error");
        assert_eq!(
            app.get(&format!("/stats?{bad}")).status,
            Status::BadRequest,
            "{bad}"
        );
        assert_eq!(
            app.get(&format!("/stats/providers.csv?{bad}")).status,
            Status::BadRequest,
            "{bad}"
        );
    }
    app.get("/stats?from=2026-13")
        .assert_contains("Enter months like 2026-03.");
    let unknown = app.get("/api/v1/nothing-here");
    assert_eq!(unknown.status, Status::NotFound);
    assert_eq!(json(&unknown)["error"], "not found");
}

#[test]
fn the_csv_parses_and_carries_the_same_numbers() {
    let app = app_with(10, 2);
    let res = app.get("/stats/providers.csv");
    assert_eq!(res.status, Status::Ok);
    assert_eq!(res.header("Content-Type"), Some("text/csv; charset=utf-8"));
    assert!(res.body.contains("\r\n"), "RFC 4180 line ends");
    let mut reader = csv::Reader::from_reader(res.body.as_bytes());
    let header = reader.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("{name}"))
    };
    let kleema = rows.iter().find(|r| &r[col("slug")] == "kleema").unwrap();
    assert_eq!(&kleema[col("complaints")], "10");
    assert_eq!(&kleema[col("network")], "wana");
    assert_eq!(&kleema[col("per_100k")], "20.0");
    assert_eq!(&kleema[col("claimed_EUR")], "890.00", "currency units");
    let wana = rows.iter().find(|r| &r[col("slug")] == "wana").unwrap();
    assert_eq!(
        &wana[col("per_100k")],
        "",
        "hidden below the minimum volume"
    );
    assert_eq!(&wana[col("complaints")], "2");
    assert_eq!(
        &wana[col("claimed_MAD")],
        "",
        "amounts hidden below 5 complaints"
    );
}

#[test]
fn a_name_with_a_comma_and_quotes_is_quoted_in_the_csv() {
    let app = TestApp::new();
    app.provider("odd", "Odd, \"Telecom\"\nLtd", None, None);
    app.logged_in_as("x@example.org", Role::Subscriber);
    app.filed(&[("provider", "odd")]);
    let res = app.get("/stats/providers.csv");
    res.assert_contains("\"Odd, \"\"Telecom\"\"\nLtd\"");
    let mut reader = csv::Reader::from_reader(res.body.as_bytes());
    let row = reader.records().next().unwrap().unwrap();
    assert_eq!(&row[1], "Odd, \"Telecom\"\nLtd");
}

#[test]
fn nothing_public_carries_personal_data() {
    let app = TestApp::new();
    app.provider("kleema", "Kleema", Some(50_000), None);
    app.logged_in_as("jean.dupont@example.fr", Role::Subscriber);
    let secrets = [
        "jean.dupont@example.fr",
        "06 12 34 56 78",
        "FR76 3000 6000 0112 3456 7890 189",
        "CLI-2009-42",
    ];
    let text = format!(
        "Write to {} or call {}; refund to IBAN {}; contract {}",
        secrets[0], secrets[1], secrets[2], secrets[3]
    );
    for _ in 0..12 {
        app.filed(&[
            ("title", &text),
            ("description", &text),
            ("contract_ref", secrets[3]),
            ("share_with_associations", "on"),
        ]);
    }
    let public = [
        app.get("/stats"),
        app.get("/stats/providers/kleema"),
        app.get("/stats/providers.csv"),
        app.get("/api/v1/stats/providers"),
        app.get("/api/v1/stats/providers/kleema"),
    ];
    for res in &public {
        assert_eq!(res.status, Status::Ok);
        for secret in secrets {
            // The logged-in header shows the user's own address on HTML pages: look below it.
            let body = res.body.split("<main").last().unwrap();
            assert!(!body.contains(secret), "{secret} leaked");
        }
        assert!(
            !res.body.contains("Write to"),
            "no free text in public figures"
        );
    }
    // Reviewers see the consented text, without the personal data.
    app.create_user("assoc@example.org", Role::Reviewer);
    let reviewer = app.another_instance();
    login_on(&reviewer, "assoc@example.org", PASSWORD).assert_redirect("/");
    let page = send(reviewer.get("/review?provider=kleema"));
    assert_eq!(page.status, Status::Ok);
    page.assert_contains("Write to [e-mail] or call [phone]");
    let csv = send(reviewer.get("/review/complaints.csv"));
    assert_eq!(csv.status, Status::Ok);
    csv.assert_contains("Write to [e-mail]");
    for res in [&page, &csv] {
        for secret in secrets {
            assert!(!res.body.contains(secret), "{secret} leaked to reviewers");
        }
    }
    let mut reader = csv::Reader::from_reader(csv.body.as_bytes());
    assert_eq!(reader.records().count(), 12);
    // Searching for a removed item finds nothing.
    let probe = send(reviewer.get("/review?q=dupont"));
    assert!(
        !probe.body.contains("Write to"),
        "the search must not reveal removed text"
    );
}

#[test]
fn the_reviewer_pages_are_for_reviewers() {
    let app = app_with(1, 0);
    assert_eq!(app.get("/review").status, Status::Forbidden);
    assert_eq!(app.get("/review/complaints.csv").status, Status::Forbidden);
    let visitor = app.another_instance();
    assert_eq!(
        send(visitor.get("/review")).location(),
        "/login?next=%2Freview"
    );
    app.create_user("admin@example.org", Role::Admin);
    let admin = app.another_instance();
    login_on(&admin, "admin@example.org", PASSWORD).assert_redirect("/");
    assert_eq!(send(admin.get("/review")).status, Status::Ok);
}

#[test]
fn the_openapi_document_is_served_and_describes_both_routes() {
    let app = TestApp::new();
    let doc = json(&app.get("/api/v1/openapi.json"));
    assert_eq!(doc["openapi"], "3.1.0");
    assert!(doc["paths"]["/api/v1/stats/providers"]["get"].is_object());
    assert!(doc["paths"]["/api/v1/stats/providers/{slug}"]["get"].is_object());
}

/// Files a complaint about Kleema as filer@example.org through a second instance.
fn file_on_another_instance(app: &TestApp) {
    let other = app.another_instance();
    login_on(&other, "filer@example.org", PASSWORD).assert_redirect("/");
    let res = crate::common::post_with_token(
        &other,
        "/complaints",
        &[
            ("provider", "kleema"),
            ("kind", "other"),
            ("title", "t"),
            ("description", "d"),
            ("amount_claimed", "1"),
        ],
    );
    assert_eq!(res.status, Status::SeeOther, "{}", res.body);
}

#[test]
fn cached_figures_follow_every_change_on_any_instance() {
    let app = app_with(4, 0);
    let complaints = |app: &TestApp| {
        provider(&json(&app.get("/api/v1/stats/providers")), "kleema")["complaints"].clone()
    };
    assert_eq!(complaints(&app), 4);
    assert_eq!(complaints(&app), 4, "served from the cache");
    let path = app.filed(&[]);
    assert_eq!(complaints(&app), 5, "a filing moves the figures at once");
    app.claim_moved(
        &path,
        ActionKind::Withdraw,
        &[("on", &chrono::Utc::now().date_naive().to_string())],
    );
    let doc = json(&app.get("/api/v1/stats/providers"));
    assert_eq!(
        provider(&doc, "kleema")["claims"]["by_state"]["withdrawn"],
        1
    );
    // Another instance files: this instance's cache must not hide it.
    file_on_another_instance(&app);
    assert_eq!(complaints(&app), 6);
    app.get("/stats").assert_contains(">6<");
}

/// With the database asked only once a minute, this instance's own changes (a filing, a
/// claim move, a provider's new size) still show at once.
#[test]
fn this_instance_shows_its_own_changes_without_asking_the_database() {
    let app = TestApp::with(|f| f.merge(("stats_recheck_ms", 60_000)));
    app.provider("kleema", "Kleema", Some(50_000), None);
    app.logged_in_as("root@example.org", Role::Admin);
    let path = app.filed(&[]);
    let kleema =
        |app: &TestApp| provider(&json(&app.get("/api/v1/stats/providers")), "kleema").clone();
    assert_eq!(kleema(&app)["complaints"], 1);
    app.get("/stats").assert_contains("Kleema");

    for _ in 0..4 {
        app.filed(&[]);
    }
    assert_eq!(kleema(&app)["complaints"], 5, "a filing shows at once");
    app.claim_moved(
        &path,
        ActionKind::Withdraw,
        &[("on", &chrono::Utc::now().date_naive().to_string())],
    );
    assert_eq!(
        kleema(&app)["claims"]["by_state"]["withdrawn"],
        1,
        "a claim move too"
    );

    app.post(
        "/admin/providers/kleema",
        &[
            ("slug", "kleema"),
            ("name", "Kleema Mobile"),
            ("country", "FR"),
            ("subscribers", "80000"),
            ("network", ""),
        ],
    )
    .assert_redirect("/admin/providers");
    let after = kleema(&app);
    assert_eq!(after["name"], "Kleema Mobile", "an edited provider too");
    assert_eq!(after["subscribers"], 80_000);
    app.get("/stats").assert_contains("Kleema Mobile");
    app.get("/stats/providers/kleema")
        .assert_contains("Kleema Mobile");
}

/// Another instance's changes show once this one asks the database again.
#[test]
fn another_instances_changes_show_within_the_recheck_time() {
    let app = TestApp::with(|f| f.merge(("stats_recheck_ms", 300)));
    app.provider("kleema", "Kleema", Some(50_000), None);
    app.logged_in_as("filer@example.org", Role::Subscriber);
    app.filed(&[]);
    let complaints = |app: &TestApp| {
        provider(&json(&app.get("/api/v1/stats/providers")), "kleema")["complaints"].clone()
    };
    assert_eq!(complaints(&app), 1);
    file_on_another_instance(&app);
    std::thread::sleep(std::time::Duration::from_millis(400));
    assert_eq!(complaints(&app), 2);
}

/// A rebuild or a merge writes thousands of counters at once: more than one statement can
/// bind on SQLite (32,766 values) or PostgreSQL (65,535).
#[test]
fn thousands_of_counters_are_written_in_one_transaction() {
    use recours::domain::complaint::{Kind, Kinds};
    use recours::domain::tally::Key;
    use recours::store::{providers, stats};

    let app = TestApp::new();
    app.provider("kleema", "Kleema", Some(50_000), None);
    let mut conn = app.conn();
    let id = providers::by_slug(&mut conn, "kleema").unwrap().unwrap().id;
    let delta: std::collections::BTreeMap<Key, i64> = (0..12_000)
        .map(|i| {
            let key = Key {
                provider_id: id.clone(),
                month: format!("{}-{:02}", 2000 + i / 12 % 30, i % 12 + 1),
                kinds: Kinds::of([Kind::ALL[i % 4]]),
                metric: format!("test-{}", i / 360),
                currency: String::new(),
            };
            (key, 1)
        })
        .collect();
    assert_eq!(delta.len(), 12_000);
    for _ in 0..2 {
        conn.write(|c| stats::apply(c, &delta)).unwrap();
    }
    let stored = stats::stored(&mut conn).unwrap();
    assert_eq!(stored.len(), 12_000);
    assert!(stored.values().all(|v| *v == 2));
}
