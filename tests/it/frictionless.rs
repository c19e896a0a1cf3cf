//! Every CSV the portal writes validates against its Table Schema with the real Frictionless
//! validator (pinned below, installed once into the git-ignored `target/frictionless`
//! virtualenv). Where it cannot be installed the test skips, saying why, unless
//! `RECOURS_OPEN_DATA_TOOLS=required` (CI), where that is a failure.

use std::path::Path;
use std::process::Command;

use rocket::http::Status;
use serde_json::Value;

use crate::common::venv::Tool;
use crate::common::{TestApp, days_ago, post_with_token, send};
use recours::domain::account::Role;
use recours::domain::claim::ActionKind;

static FRICTIONLESS: Tool = Tool::new(
    "target/frictionless",
    &["frictionless==5.18.1"],
    "RECOURS_OPEN_DATA_TOOLS",
    "open data validation tests",
);

fn provider(
    app: &TestApp,
    slug: &str,
    name: &str,
    country: &str,
    subscribers: Option<i64>,
    network: Option<&str>,
) {
    let input = recours::domain::provider::ProviderInput {
        slug: slug.to_string(),
        name: name.to_string(),
        country: country.to_string(),
        website: None,
        subscribers,
        network: network.map(str::to_string),
        ..Default::default()
    };
    app.conn()
        .write(|c| recours::store::providers::add(c, &input))
        .expect("provider added");
}

/// Several providers in three countries (one with a comma and quotes in its name, one whose
/// name a spreadsheet would run, a reseller on a Moroccan network), every kind, several
/// problems in one complaint, claims in every step, three currencies, two months, a
/// provider not yet reviewed, and a published description.
fn realistic() -> TestApp {
    let app = TestApp::new();
    provider(&app, "wana", "Wana", "MA", Some(3_000_000), None);
    provider(
        &app,
        "kleema",
        "Kleema \"Maroc\", SA",
        "FR",
        Some(50_000),
        Some("wana"),
    );
    provider(&app, "tt", "Tunisie Telecom", "TN", Some(7_000_000), None);
    provider(&app, "evil", "=HYPERLINK(\"x\")", "FR", None, None);
    app.logged_in_as("filer@example.org", Role::Subscriber);
    let mut kleema = Vec::new();
    for i in 0..10 {
        let description = if i == 0 {
            "Since 7 September the line is dead, call me on 06 12 34 56 78, still billed."
        } else {
            "Since 7 September the line is dead."
        };
        kleema.push(app.filed(&[("description", description)]));
    }
    // Posted whole: `filed` keeps one value per field, and `kind` comes twice here.
    for _ in 0..5 {
        let res = app.post(
            "/complaints",
            &[
                ("provider", "kleema"),
                ("title", "Cut, and the price rose"),
                ("description", "No calls to Morocco, and a new price."),
                ("amount_claimed", "89"),
                ("currency", "EUR"),
                ("kind", "service_cut"),
                ("kind", "price_hike"),
                ("service", "international_calls"),
                ("started_on", "2026-09-07"),
                ("still_billed", "on"),
                ("old_price", "15"),
                ("new_price", "89"),
                ("effective_on", "2026-01-01"),
                ("announced_by", "email"),
            ],
        );
        assert_eq!(res.status, Status::SeeOther, "{}", res.body);
    }
    let mut wana = Vec::new();
    for _ in 0..12 {
        wana.push(app.filed(&[
            ("provider", "wana"),
            ("kind", "billing"),
            ("billing_issue", "double_charge"),
            ("charged_on", "2026-01-02"),
            ("charged_amount", "49.90"),
            ("currency", "MAD"),
            ("amount_claimed", "49.90"),
        ]));
    }
    for _ in 0..6 {
        app.filed(&[
            ("provider", "tt"),
            ("currency", "TND"),
            ("amount_claimed", "12.345"),
        ]);
    }
    for _ in 0..2 {
        app.filed(&[("provider", "evil"), ("amount_claimed", "")]);
    }
    app.filed(&[
        ("provider", "other"),
        ("provider_other", "Télé Maghreb, Oujda"),
    ]);

    // Claims along their way: sent, answered, resolved with money, escalated, withdrawn.
    let today = days_ago(0);
    for path in &wana[..4] {
        app.claimed_sent(path);
    }
    for path in &wana[..3] {
        app.claim_moved(
            path,
            ActionKind::Answer,
            &[("on", &today), ("amount", "20")],
        );
    }
    for path in &wana[..2] {
        app.claim_moved(
            path,
            ActionKind::Resolve,
            &[
                ("on", &today),
                ("outcome", "partial_refund"),
                ("amount", "20"),
            ],
        );
    }
    app.claim_moved(&kleema[9], ActionKind::Withdraw, &[("on", &today)]);

    // The first Kleema complaint's author agrees to publish it; a reviewer approves it.
    let publication = format!("{}/publication", kleema[0]);
    app.post(&publication, &[("agree", "yes")])
        .assert_redirect(&publication);
    let reviewer = app.client_as("assoc@example.org", Role::Reviewer);
    let queue = send(reviewer.get("/review/publications"));
    let public_id = &queue.body.split("/review/publications/").nth(1).unwrap()[..16];
    post_with_token(
        &reviewer,
        &format!("/review/publications/{public_id}"),
        &[("decision", "approve")],
    )
    .assert_redirect("/review/publications");

    // Two of Wana's complaints were filed last month (a cell too small to publish).
    let last_month = (chrono::Utc::now() - chrono::Duration::days(35)).naive_utc();
    for path in &wana[10..] {
        let id = path.rsplit('/').next().unwrap();
        app.sql(&format!(
            "UPDATE complaints SET created_at = '{}' WHERE id = '{id}'",
            last_month.format("%Y-%m-%d %H:%M:%S")
        ));
    }
    recours::store::stats::rebuild(&mut app.conn()).unwrap();
    app.assert_stats_verified();
    app
}

/// What `frictionless validate` says of `csv` against `schema`, both in `dir`.
fn validate(bin: &Path, dir: &Path, csv: &str, schema: &str) -> Value {
    let out = Command::new(bin.join("frictionless"))
        .current_dir(dir)
        .args(["validate", "--json", "--schema", schema, csv])
        .output()
        .expect("frictionless runs");
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "frictionless answered no JSON ({e}): {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

#[test]
fn every_csv_validates_against_its_table_schema() {
    let Some(bin) = FRICTIONLESS.available() else {
        return;
    };
    let app = realistic();
    let reviewer = app.client_as("reader@example.org", Role::Reviewer);
    let dir = tempfile::tempdir().unwrap();
    for (name, csv_path, schema_path, min_rows) in [
        (
            "providers",
            "/stats/providers.csv",
            "/stats/providers.schema.json",
            5,
        ),
        (
            "providers-morocco",
            "/stats/providers.csv?country=MA&bom=true",
            "/stats/providers.schema.json",
            2,
        ),
        (
            "complaints",
            "/complaints.csv",
            "/complaints.schema.json",
            20,
        ),
        (
            "reviewers",
            "/review/complaints.csv",
            "/review/complaints.schema.json",
            36,
        ),
    ] {
        let csv = send(reviewer.get(csv_path));
        assert_eq!(csv.status, Status::Ok, "{csv_path}");
        let schema = app.get(schema_path);
        assert_eq!(schema.status, Status::Ok, "{schema_path}");
        let rows = csv.body.lines().count() - 1;
        assert!(rows >= min_rows, "{csv_path}: {rows} rows\n{}", csv.body);
        let (csv_file, schema_file) = (format!("{name}.csv"), format!("{name}.schema.json"));
        std::fs::write(dir.path().join(&csv_file), &csv.body).unwrap();
        std::fs::write(dir.path().join(&schema_file), &schema.body).unwrap();
        let report = validate(&bin, dir.path(), &csv_file, &schema_file);
        assert_eq!(
            report["valid"], true,
            "{csv_path}: {report:#}\n{}",
            csv.body
        );
        assert_eq!(report["tasks"][0]["stats"]["rows"], rows, "{csv_path}");
    }
    // What the data holds reached the files: quoting, neutralised text, three decimals,
    // a published description.
    let providers = std::fs::read_to_string(dir.path().join("providers.csv")).unwrap();
    assert!(
        providers.contains(r#""Kleema ""Maroc"", SA""#),
        "{providers}"
    );
    assert!(providers.contains(r#""'=HYPERLINK(""x"")""#), "{providers}");
    assert!(providers.contains("74.070"), "6 × 12.345 TND: {providers}");
    let records = std::fs::read_to_string(dir.path().join("complaints.csv")).unwrap();
    assert!(records.contains("still billed"), "{records}");
    assert!(!records.contains("06 12 34 56 78"), "{records}");
    assert!(records.contains(",MA,billing,answered,,true,"), "{records}");
    assert!(
        records.contains(",resolved,partial_refund,true,"),
        "{records}"
    );

    // The validator does refuse what breaks the schema: a month that is not one.
    let broken = providers.replacen(",2026-", ",2026-13-", 1);
    assert_ne!(broken, providers);
    std::fs::write(dir.path().join("broken.csv"), broken).unwrap();
    let report = validate(&bin, dir.path(), "broken.csv", "providers.schema.json");
    assert_eq!(report["valid"], false, "{report:#}");
}
