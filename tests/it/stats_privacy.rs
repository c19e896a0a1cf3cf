//! Public figures single nobody out: a name typed for an unlisted provider is never
//! published, and a small selection shows its number of complaints only.

use rocket::http::{Header, Status};
use rocket::local::blocking::Client;
use serde_json::Value;

use crate::common::{PASSWORD, TestApp, post_with_token, send};
use crate::stats::{assert_matches_openapi, json};
use recours::domain::account::Role;

const TYPED: &str = "Marie Curie box 0699887766";

/// Every public answer as text.
fn everything_public(app: &TestApp) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = [
        "/stats",
        "/stats/providers.csv",
        "/api/v1/stats/providers",
        "/api/v1/openapi.json",
    ]
    .iter()
    .map(|uri| (uri.to_string(), app.get(uri).body))
    .collect();
    let fr = send(
        app.client
            .get("/stats")
            .header(Header::new("Accept-Language", "fr")),
    );
    out.push(("/stats in French".into(), fr.body));
    out
}

/// What reviewers read.
fn everything_reviewed(reviewer: &Client) -> Vec<(String, String)> {
    ["/review", "/review/complaints.csv"]
        .iter()
        .map(|uri| (uri.to_string(), send(reviewer.get(*uri)).body))
        .collect()
}

fn assert_nowhere(published: &[(String, String)], secrets: &[&str]) {
    for (uri, body) in published {
        let body = body.split("<main").last().unwrap().to_lowercase();
        for secret in secrets {
            assert!(
                !body.contains(&secret.to_lowercase()),
                "{secret} in {uri}:\n{body}"
            );
        }
    }
}

fn line<'a>(doc: &'a Value, slug: &str) -> Option<&'a Value> {
    doc["providers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["slug"] == slug)
}

fn file_typed(client: &Client, name: &str, share: bool) {
    let mut fields = vec![
        ("provider", "other"),
        ("provider_other", name),
        ("kind", "other"),
        ("title", "Cut"),
        ("description", "No line since Monday."),
        ("amount_claimed", "89"),
        ("currency", "EUR"),
    ];
    if share {
        fields.push(("share_with_associations", "on"));
    }
    let res = post_with_token(client, "/complaints", &fields);
    assert_eq!(res.status, Status::SeeOther, "{}", res.body);
}

fn pending_slug(app: &TestApp, name: &str) -> String {
    recours::store::providers::all(&mut app.conn())
        .unwrap()
        .into_iter()
        .find(|p| p.name == name)
        .unwrap()
        .slug
}

/// Wana in the directory, an admin logged in on `app.client`, and a reviewer.
fn app_with_reviewer() -> (TestApp, Client) {
    let app = TestApp::new();
    app.provider("wana", "Wana", Some(3_000_000), None);
    app.logged_in_as("admin@example.org", Role::Admin);
    let reviewer = app.client_as("assoc@example.org", Role::Reviewer);
    (app, reviewer)
}

#[test]
fn a_typed_provider_name_is_published_only_once_an_admin_approves_it() {
    let (app, reviewer) = app_with_reviewer();
    let filer = app.client_as("filer@example.org", Role::Subscriber);
    for _ in 0..5 {
        file_typed(&filer, TYPED, true);
    }
    let slug = pending_slug(&app, TYPED);
    assert_eq!(slug, "marie-curie-box-0699887766");

    assert_nowhere(
        &everything_public(&app),
        &[TYPED, "0699887766", &slug, "Marie Curie"],
    );
    assert_nowhere(&everything_reviewed(&reviewer), &["0699887766", &slug]);
    let doc = json(&app.get("/api/v1/stats/providers"));
    assert_matches_openapi(&doc, "ProvidersResponse");
    let pending = line(&doc, "pending").expect("one line for the providers not yet reviewed");
    assert_eq!(pending["complaints"], 5);
    assert_eq!(pending["claims"]["claimed"]["EUR"], 44_500);
    let page = app.get("/stats");
    page.assert_contains("Providers not yet reviewed");
    assert!(
        !page.body.contains("/stats/providers/pending"),
        "no link to a page that does not exist"
    );
    assert_eq!(app.get("/stats/providers/pending").status, Status::NotFound);
    assert_eq!(
        app.get(&format!("/stats/providers/{slug}")).status,
        Status::NotFound
    );
    send(
        app.client
            .get("/stats")
            .header(Header::new("Accept-Language", "fr")),
    )
    .assert_contains("Opérateurs pas encore vérifiés");
    // Reviewers see the typed name anonymised, under the same one line.
    let records = send(reviewer.get("/review/complaints.csv")).body;
    assert!(
        records.contains("pending,Marie Curie box [phone],"),
        "{records}"
    );
    let filtered = send(reviewer.get("/review/complaints.csv?provider=pending")).body;
    assert_eq!(
        csv::Reader::from_reader(filtered.as_bytes())
            .records()
            .count(),
        5
    );

    // An admin approves it under a reviewed name: its figures move to it at once.
    app.post(
        &format!("/admin/providers/{slug}"),
        &[
            ("slug", "marie-telecom"),
            ("name", "Marie Telecom"),
            ("country", "FR"),
            ("subscribers", ""),
            ("network", ""),
        ],
    )
    .assert_redirect("/admin/providers");
    let doc = json(&app.get("/api/v1/stats/providers"));
    assert!(line(&doc, "pending").is_none(), "{doc:#}");
    assert_eq!(line(&doc, "marie-telecom").unwrap()["complaints"], 5);
    assert_eq!(
        line(&doc, "marie-telecom").unwrap()["claims"]["claimed"]["EUR"],
        44_500
    );
    app.get("/stats").assert_contains("Marie Telecom");
    assert_eq!(app.get("/stats/providers/marie-telecom").status, Status::Ok);
    app.assert_stats_verified();
}

#[test]
fn a_typed_provider_name_goes_with_its_authors_account() {
    let (app, reviewer) = app_with_reviewer();
    let leaving = app.client_as("leaving@example.org", Role::Subscriber);
    let staying = app.client_as("staying@example.org", Role::Subscriber);
    file_typed(&leaving, TYPED, false);
    file_typed(&leaving, "Both Of Us Telecom", false);
    file_typed(&staying, "Both Of Us Telecom", false);
    let slug = pending_slug(&app, TYPED);
    post_with_token(
        &leaving,
        "/account/delete",
        &[("delete_password", PASSWORD)],
    )
    .assert_redirect("/");

    let admin_page = app.get("/admin/providers");
    assert_eq!(admin_page.status, Status::Ok);
    let mut published = everything_public(&app);
    published.extend(everything_reviewed(&reviewer));
    published.push(("/admin/providers".into(), admin_page.body.clone()));
    assert_nowhere(&published, &[TYPED, "0699887766", &slug, "Marie Curie"]);
    let names: Vec<String> = recours::store::providers::all(&mut app.conn())
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert!(!names.iter().any(|n| n.contains("0699887766")), "{names:?}");
    // A name someone else also typed is theirs too: it stays for the admin to review.
    admin_page.assert_contains("Both Of Us Telecom");
    // The complaints stay in the figures, counted exactly.
    let doc = json(&app.get("/api/v1/stats/providers"));
    assert_eq!(line(&doc, "pending").unwrap()["complaints"], 3);
    app.assert_stats_verified();
}

fn breakdown_hidden(p: &Value) -> bool {
    let c = &p["claims"];
    [
        &p["by_kind"],
        &c["total"],
        &c["by_state"],
        &c["resolved"],
        &c["by_outcome"],
        &c["claimed"],
        &c["received"],
    ]
    .iter()
    .all(|v| v.is_null())
}

#[test]
fn a_breakdown_shows_only_from_five_complaints() {
    let app = TestApp::new();
    app.provider("kleema", "Kleema", Some(50_000), None);
    app.logged_in_as("filer@example.org", Role::Subscriber);
    let path = app.filed(&[("kind", "other"), ("amount_claimed", "89")]);
    app.post(
        &format!("{path}/claim"),
        &[
            ("action", "withdraw"),
            ("on", &chrono::Utc::now().date_naive().to_string()),
        ],
    )
    .assert_redirect(&path);

    let check = |shown: bool, complaints: i64| {
        let doc = json(&app.get("/api/v1/stats/providers"));
        assert_matches_openapi(&doc, "ProvidersResponse");
        assert_eq!(doc["min_breakdown_volume"], 5);
        let kleema = line(&doc, "kleema").unwrap();
        assert_eq!(kleema["complaints"], complaints, "counts always");
        assert_eq!(breakdown_hidden(kleema), !shown, "{kleema:#}");
        let detail = json(&app.get("/api/v1/stats/providers/kleema"));
        assert_matches_openapi(&detail, "ProviderResponse");
        assert_eq!(breakdown_hidden(&detail["provider"]), !shown);
        assert_eq!(breakdown_hidden(&detail["provider"]["months"][0]), !shown);
        assert_eq!(detail["provider"]["months"][0]["complaints"], complaints);

        let csv = app.get("/stats/providers.csv").body;
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let header = reader.headers().unwrap().clone();
        let row = reader.records().next().unwrap().unwrap();
        let breakdown = [
            "other",
            "claims",
            "state_withdrawn",
            "no_refund",
            "claimed_EUR",
            "received_EUR",
        ];
        for (name, value) in header.iter().zip(row.iter()) {
            if name == "complaints" {
                assert_eq!(value, complaints.to_string());
            } else if breakdown.contains(&name) && !shown {
                assert_eq!(value, "", "{name}");
            }
        }

        for uri in ["/stats", "/stats/providers/kleema"] {
            let page = app.get(uri);
            page.assert_contains("shown only from 5 complaints");
            assert_eq!(page.body.contains(" EUR"), shown, "{uri}: amounts");
            assert_eq!(
                page.body.contains("hidden below 5 complaints"),
                !shown,
                "{uri}"
            );
        }
        let fr = send(
            app.client
                .get("/stats/providers/kleema")
                .header(Header::new("Accept-Language", "fr")),
        );
        assert_eq!(fr.body.contains("masqué sous 5 plaintes"), !shown);
    };
    check(false, 1);
    for _ in 0..3 {
        app.filed(&[("kind", "other"), ("amount_claimed", "89")]);
    }
    check(false, 4);
    app.filed(&[("kind", "other"), ("amount_claimed", "89")]);
    check(true, 5);
    let doc = json(&app.get("/api/v1/stats/providers"));
    let kleema = line(&doc, "kleema").unwrap();
    assert_eq!(kleema["by_kind"]["other"], 5);
    assert_eq!(kleema["claims"]["by_state"]["withdrawn"], 1);
    assert_eq!(kleema["claims"]["claimed"]["EUR"], 44_500);
}
