//! The questions associations ask of the statistics: a country's providers with the
//! resellers on its networks, a network, the table in any order, the last 12 months, every
//! share with its base, the month in progress.

use rocket::http::Status;
use serde_json::Value;

use crate::common::TestApp;
use crate::stats::{assert_matches_openapi, json};
use recours::domain::account::Role;
use recours::domain::claim::ActionKind;

const PRICE_HIKE: [(&str, &str); 5] = [
    ("kind", "price_hike"),
    ("old_price", "15"),
    ("new_price", "89"),
    ("effective_on", "2026-01-01"),
    ("announced_by", "none"),
];

/// The seed's world: Wana (Morocco, 20 million), Kleema (filed under France, 50,000, on
/// Wana's network), Orange (France, 22 million), Maroc Telecom (Morocco, 19 million), each
/// with `n` price rises.
fn morocco(n: usize) -> TestApp {
    let app = TestApp::new();
    app.provider("wana", "Wana", Some(20_000_000), None);
    app.provider("kleema", "Kleema", Some(50_000), Some("wana"));
    app.provider("orange", "Orange", Some(22_000_000), None);
    app.provider("maroc-telecom", "Maroc Telecom", Some(19_000_000), None);
    app.sql("UPDATE providers SET country = 'MA' WHERE slug IN ('wana', 'maroc-telecom')");
    app.logged_in_as("filer@example.org", Role::Subscriber);
    for slug in ["wana", "kleema", "orange", "maroc-telecom"] {
        for _ in 0..n {
            let mut fields = PRICE_HIKE.to_vec();
            fields.push(("provider", slug));
            app.filed(&fields);
        }
    }
    app
}

fn slugs(doc: &Value) -> Vec<String> {
    doc["providers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["slug"].as_str().unwrap().to_string())
        .collect()
}

/// Rows of the HTML providers' table, in order, by the provider's link.
fn html_order(body: &str, slugs: &[&str]) -> Vec<String> {
    let table = &body[body.find("<table class=\"stats\"").unwrap()..];
    let mut found: Vec<(usize, String)> = slugs
        .iter()
        .filter_map(|s| {
            table
                .find(&format!("<th scope=\"row\"><a href=\"/stats/providers/{s}"))
                .map(|at| (at, s.to_string()))
        })
        .collect();
    found.sort();
    found.into_iter().map(|(_, s)| s).collect()
}

fn csv_slugs(body: &str) -> Vec<String> {
    body.lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap().to_string())
        .collect()
}

#[test]
fn the_worst_rate_for_price_rises_in_morocco_is_kleemas() {
    let app = morocco(12);
    let query = "country=MA&kind=price_hike&sort=-per_100k";
    let doc = json(&app.get(&format!("/api/v1/stats/providers?{query}")));
    assert_matches_openapi(&doc, "ProvidersResponse");
    assert_eq!(
        slugs(&doc),
        ["kleema", "maroc-telecom", "wana"],
        "the reseller on a Moroccan network is in Morocco, worst rate first"
    );
    assert_eq!(
        doc["included"],
        serde_json::json!(["kleema", "maroc-telecom", "wana"])
    );
    assert_eq!(doc["filters"]["sort"], "-per_100k");
    // 12 of 50,000 = 24 per 100,000.
    assert!((doc["providers"][0]["per_100k"].as_f64().unwrap() - 24.0).abs() < 1e-9);

    let page = app.get(&format!("/stats?{query}"));
    assert_eq!(page.status, Status::Ok);
    assert_eq!(
        html_order(&page.body, &["kleema", "maroc-telecom", "wana", "orange"]),
        ["kleema", "maroc-telecom", "wana"]
    );
    page.assert_contains("This selection includes: Kleema (FR), Maroc Telecom (MA), Wana (MA).");
    page.assert_contains("<option value=\"MA\" selected>Morocco (MA)</option>");

    let csv = app.get(&format!("/stats/providers.csv?{query}"));
    assert_eq!(csv.status, Status::Ok);
    assert_eq!(csv_slugs(&csv.body), ["kleema", "maroc-telecom", "wana"]);

    // France keeps Kleema too: it is based there.
    let fr = json(&app.get("/api/v1/stats/providers?country=FR"));
    assert_eq!(slugs(&fr), ["kleema", "orange"]);
}

#[test]
fn a_network_is_its_operator_and_its_resellers_and_wana_keeps_them_under_a_filter() {
    let app = morocco(10);
    let doc = json(&app.get("/api/v1/stats/providers?network=wana&sort=name"));
    assert_matches_openapi(&doc, "ProvidersResponse");
    assert_eq!(slugs(&doc), ["kleema", "wana"]);
    assert_eq!(doc["filters"]["network"], serde_json::json!(["wana"]));
    let page = app.get("/stats?network=wana");
    page.assert_contains("This selection includes: Kleema (FR), Wana (MA).");
    page.assert_contains("<option value=\"wana\" selected>Wana</option>");

    // Wana's own page keeps its reseller under the Moroccan filter.
    let wana = app.get("/stats/providers/wana?country=MA&kind=price_hike");
    assert_eq!(wana.status, Status::Ok);
    wana.assert_contains("Resellers on this network");
    wana.assert_contains("href=\"/stats/providers/kleema?country=MA&#38;kind=price_hike\"");
    let doc = json(&app.get("/api/v1/stats/providers/wana?country=MA"));
    assert_matches_openapi(&doc, "ProviderResponse");
    assert_eq!(doc["provider"]["resellers"][0]["slug"], "kleema");

    let empty = app.get("/api/v1/stats/providers?period=");
    assert_eq!(empty.status, Status::BadRequest);
    assert_eq!(json(&empty)["parameter"], "period");
    // A network with no listed provider selects nothing; a malformed one is refused.
    // Several networks select what any of them does.
    let two = json(&app.get("/api/v1/stats/providers?network=wana&network=orange&sort=name"));
    assert_eq!(slugs(&two), ["kleema", "orange", "wana"]);
    let none = json(&app.get("/api/v1/stats/providers?network=nowhere"));
    assert_eq!(slugs(&none), Vec::<String>::new());
    for bad in [
        "network=Wana!",
        "sort=rate",
        "sort=--complaints",
        "period=12",
    ] {
        let res = app.get(&format!("/api/v1/stats/providers?{bad}"));
        assert_eq!(res.status, Status::BadRequest, "{bad}");
        assert_matches_openapi(&json(&res), "Error");
        assert_eq!(
            app.get(&format!("/stats?{bad}")).status,
            Status::BadRequest,
            "{bad}"
        );
    }
}

#[test]
fn the_table_sorts_by_any_column_with_links_that_say_their_order() {
    let app = morocco(10);
    // Orange and Kleema get two more complaints each, Wana none: unequal counts and rates.
    for slug in ["orange", "orange", "kleema"] {
        let mut fields = PRICE_HIKE.to_vec();
        fields.push(("provider", slug));
        app.filed(&fields);
    }
    let all = ["kleema", "maroc-telecom", "orange", "wana"];
    let order = |sort: &str| json(&app.get(&format!("/api/v1/stats/providers?sort={sort}")));
    assert_eq!(
        slugs(&order("-complaints")),
        ["orange", "kleema", "maroc-telecom", "wana"]
    );
    assert_eq!(
        slugs(&order("name")),
        ["kleema", "maroc-telecom", "orange", "wana"]
    );
    assert_eq!(
        slugs(&order("-name")),
        ["wana", "orange", "maroc-telecom", "kleema"]
    );
    // 11/50,000, 10/19M, 12/22M, 10/20M.
    assert_eq!(
        slugs(&order("per_100k")),
        ["wana", "maroc-telecom", "orange", "kleema"]
    );
    assert_eq!(
        slugs(&order("-per_100k")),
        ["kleema", "orange", "maroc-telecom", "wana"]
    );
    // Every column of the table is a sort the API takes, both ways.
    for column in recours::domain::selection::Column::ALL {
        for sort in [column.as_str().to_string(), format!("-{}", column.as_str())] {
            let res = app.get(&format!("/api/v1/stats/providers?sort={sort}"));
            assert_eq!(res.status, Status::Ok, "{sort}");
            assert_eq!(
                app.get(&format!("/stats?sort={sort}")).status,
                Status::Ok,
                "{sort}"
            );
        }
    }

    let page = app.get("/stats?sort=-per_100k");
    assert_eq!(
        html_order(&page.body, &all),
        ["kleema", "orange", "maroc-telecom", "wana"]
    );
    // The sorted column says so, and its link reverses the order; other links sort by theirs.
    page.assert_contains("<th scope=\"col\" class=\"num\" aria-sort=\"descending\"><a href=\"/stats?sort=per_100k\">");
    page.assert_contains("<a href=\"/stats?sort=name\">Provider</a>");
    page.assert_contains("<a href=\"/stats\">Complaints</a>");
    assert_eq!(page.body.matches("aria-sort=").count(), 1);
    page.assert_contains("sorted by Per 100,000 subscribers");
    // The filters keep the order.
    page.assert_contains("<input type=\"hidden\" name=\"sort\" value=\"-per_100k\">");
    // A provider's page does not take the list's order: its links leave it out.
    page.assert_contains("href=\"/stats/providers/kleema\"");
    let sorted = app.get("/stats?sort=-per_100k&country=MA");
    sorted.assert_contains("href=\"/stats/providers/kleema?country=MA\"");
    assert_eq!(
        app.get("/stats/providers/kleema?country=MA").status,
        Status::Ok
    );
    let csv = app.get("/stats/providers.csv?sort=-per_100k");
    assert_eq!(
        csv_slugs(&csv.body),
        ["kleema", "orange", "maroc-telecom", "wana"]
    );
}

#[test]
fn hidden_figures_come_last_in_either_order() {
    let app = morocco(10);
    // Three more without a declared subscriber count: no rate at all.
    app.provider("sans-chiffre", "Sans Chiffre", None, None);
    for _ in 0..12 {
        let mut fields = PRICE_HIKE.to_vec();
        fields.push(("provider", "sans-chiffre"));
        app.filed(&fields);
    }
    for sort in ["per_100k", "-per_100k"] {
        let doc = json(&app.get(&format!("/api/v1/stats/providers?sort={sort}")));
        assert_eq!(slugs(&doc).last().unwrap(), "sans-chiffre", "{sort}");
    }
}

#[test]
fn the_last_12_months_are_the_complete_months_before_this_one() {
    let app = morocco(10);
    let today = chrono::Utc::now().date_naive();
    let (from, to) = recours::domain::selection::Period::Last12Months.months(today);
    // Everything was filed this month, which is not complete: nothing yet.
    let doc = json(&app.get("/api/v1/stats/providers?period=last-12-months"));
    assert_matches_openapi(&doc, "ProvidersResponse");
    assert_eq!(doc["filters"]["period"], "last-12-months");
    assert_eq!(doc["filters"]["from"], from.as_str());
    assert_eq!(doc["filters"]["to"], to.as_str());
    assert_eq!(slugs(&doc), Vec::<String>::new());

    // Kleema's counters moved to last month are in it, and the period is said.
    app.sql(&format!(
        "UPDATE stat_counts SET month = '{to}' WHERE provider_id = \
         (SELECT id FROM providers WHERE slug = 'kleema')"
    ));
    app.sql("UPDATE stats_generation SET n = n + 1");
    let doc = json(&app.get("/api/v1/stats/providers?period=last-12-months"));
    assert_eq!(slugs(&doc), ["kleema"]);
    assert_eq!(doc["period"], serde_json::json!({"from": from, "to": to}));
    let page = app.get("/stats?period=last-12-months");
    page.assert_contains("<option value=\"last-12-months\" selected>");
    page.assert_contains(&format!(
        "Per 100,000 subscribers, complaints filed from {from} to {to}"
    ));
    // Links keep the named period, not its months.
    page.assert_contains("href=\"/stats/providers/kleema?period=last-12-months\"");

    for bad in [
        format!("period=last-12-months&from={from}"),
        "period=last-12-months&to=2026-01".into(),
    ] {
        let res = app.get(&format!("/api/v1/stats/providers?{bad}"));
        assert_eq!(res.status, Status::BadRequest, "{bad}");
        assert_eq!(app.get(&format!("/stats?{bad}")).status, Status::BadRequest);
    }
    app.get(&format!("/stats?period=last-12-months&from={from}"))
        .assert_contains("Choose either the last 12 months or months, not both.");
}

#[test]
fn each_share_shows_its_base_and_hides_below_ten_in_it() {
    // Twelve complaints with claims, three of them sent and answered in time: the share
    // answered in time is 3 of 3, too few to be a percentage.
    let app = morocco(0);
    let today = chrono::Utc::now().date_naive().to_string();
    let mut paths = Vec::new();
    for _ in 0..12 {
        let mut fields = PRICE_HIKE.to_vec();
        fields.push(("provider", "kleema"));
        paths.push(app.filed(&fields));
    }
    for path in &paths[..3] {
        app.claim_moved(
            path,
            ActionKind::Send,
            &[("on", &today), ("channel", "email")],
        );
        app.claim_moved(
            path,
            ActionKind::Answer,
            &[("on", &today), ("amount", "10")],
        );
    }
    let doc = json(&app.get("/api/v1/stats/providers"));
    assert_matches_openapi(&doc, "ProvidersResponse");
    let kleema = &doc["providers"][0];
    assert_eq!(kleema["complaints"], 12);
    assert_eq!(kleema["timely_answer_base"], 3);
    assert_eq!(
        kleema["timely_answer_percent"],
        Value::Null,
        "3 is below 10"
    );
    assert_eq!(kleema["resolution_rate_percent"], 0, "0 of 12 claims");
    assert_eq!(kleema["median_days_base"], 0);

    let page = app.get("/stats");
    page.assert_contains("0 of 12 (0 %)");
    page.assert_contains("3 of 3");
    assert!(!page.body.contains("100 %"), "no percentage on a base of 3");
    page.assert_contains("not shown (0 resolved)");
    let detail = app.get("/stats/providers/kleema");
    detail.assert_contains("3 of 3");
    assert!(!detail.body.contains("100 %"));

    let csv = app.get("/stats/providers.csv");
    let header: Vec<&str> = csv.body.lines().next().unwrap().split(',').collect();
    let row: Vec<&str> = csv.body.lines().nth(1).unwrap().split(',').collect();
    let cell = |name: &str| row[header.iter().position(|h| *h == name).unwrap()];
    assert_eq!(cell("timely_answer_base"), "3");
    assert_eq!(cell("timely_answer_percent"), "");
    assert_eq!(cell("resolution_rate_percent"), "0");
    let this_month = chrono::Utc::now().format("%Y-%m").to_string();
    assert_eq!(
        (cell("period_from"), cell("period_to")),
        (this_month.as_str(), this_month.as_str())
    );
}

#[test]
fn the_month_in_progress_is_marked_and_the_chart_has_a_y_axis() {
    let app = morocco(3);
    let this_month = chrono::Utc::now().format("%Y-%m").to_string();
    let doc = json(&app.get("/api/v1/stats/providers"));
    assert_eq!(doc["current_month"], this_month.as_str());
    for page in [app.get("/stats"), app.get("/stats/providers/kleema")] {
        assert_eq!(page.status, Status::Ok);
        page.assert_contains("class=\"bar bar-in-progress\"");
        page.assert_contains(&format!(
            "{this_month} <span class=\"muted\">(month in progress)</span>"
        ));
        page.assert_contains(&format!("The month {this_month} is not finished"));
        // Values on the y-axis: 0 up to the tallest bar, rounded.
        page.assert_contains("class=\"value\"");
        page.assert_contains(">0</text>");
    }
    let page = app.get("/stats");
    // 12 complaints this month: ticks 0, 5, 10, 15.
    page.assert_contains(">15</text>");
}
