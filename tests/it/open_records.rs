//! The complaint-level open data (`/api/v1/complaints`, `/complaints.csv`): stable public
//! ids, cursor pages, only cells of at least MIN_VOLUME complaints, and a description only
//! while its author agrees and once a reviewer approved it.

use rocket::http::Status;
use serde_json::Value;

use crate::common::{TestApp, post_with_token, send};
use crate::stats::json;
use recours::domain::account::Role;

const SECRET: &str = "Write to jean.dupont@example.org about the cut line.";

/// Kleema: ten complaints of kind `other` in this month (a cell big enough) and two
/// billing ones (a cell too small). Returns the app and the first complaint's path.
fn app() -> (TestApp, String) {
    let app = TestApp::new();
    app.provider("kleema", "Kleema", Some(50_000), None);
    app.logged_in_as("filer@example.org", Role::Subscriber);
    let first = app.filed(&[("description", SECRET)]);
    for _ in 0..9 {
        app.filed(&[]);
    }
    for _ in 0..2 {
        app.filed(&[
            ("kind", "billing"),
            ("billing_issue", "after_cancellation"),
            ("charged_on", "2026-10-02"),
            ("charged_amount", "29.99"),
        ]);
    }
    (app, first)
}

fn records(app: &TestApp, uri: &str) -> Vec<Value> {
    let res = app.get(uri);
    assert_eq!(res.status, Status::Ok, "{uri}: {}", res.body);
    json(&res)["complaints"].as_array().unwrap().clone()
}

#[test]
fn one_record_per_complaint_of_the_cells_big_enough() {
    let (app, first) = app();
    let all = records(&app, "/api/v1/complaints");
    assert_eq!(
        all.len(),
        10,
        "the two billing complaints are a cell under 10"
    );
    let internal = first.rsplit('/').next().unwrap();
    for r in &all {
        let id = r["id"].as_str().unwrap();
        assert_eq!(id.len(), 16);
        assert_ne!(id, internal);
        assert_eq!(r["provider"], "kleema");
        assert_eq!(r["country"], "FR");
        assert_eq!(r["kinds"], serde_json::json!(["other"]));
        assert_eq!(r["description"], Value::Null);
        assert_eq!(r["answered_on_time"], Value::Null);
        assert!(r["month"].as_str().unwrap().len() == 7);
    }
    assert!(!app.get("/api/v1/complaints").body.contains(internal));
    assert!(records(&app, "/api/v1/complaints?kind=billing").is_empty());
    assert!(records(&app, "/api/v1/complaints?country=MA").is_empty());
    assert_eq!(
        records(&app, "/api/v1/complaints?kind=other&country=fr").len(),
        10
    );
    // The same ids on every read: they are stored, not made up per answer.
    assert_eq!(records(&app, "/api/v1/complaints"), all);

    let csv = app.get("/complaints.csv?kind=other");
    assert_eq!(csv.status, Status::Ok);
    assert_eq!(
        csv.header("Content-Disposition"),
        Some("attachment; filename=\"recours-public-complaints_kind-other.csv\"")
    );
    let mut reader = csv::Reader::from_reader(csv.body.as_bytes());
    let header = reader.headers().unwrap().clone();
    assert_eq!(&header[0], "id");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 10);
    assert!(!csv.body.contains("jean.dupont"));
}

#[test]
fn pages_follow_the_cursor_to_the_end() {
    let (app, _) = app();
    let mut seen = Vec::new();
    let mut uri = "/api/v1/complaints?size=3".to_string();
    loop {
        let res = app.get(&uri);
        assert_eq!(res.status, Status::Ok);
        let page = json(&res);
        seen.extend(page["complaints"].as_array().unwrap().iter().cloned());
        match page["next"].as_str() {
            Some(next) => uri = next.to_string(),
            None => break,
        }
    }
    assert_eq!(seen, records(&app, "/api/v1/complaints?size=1000"));
    assert_eq!(seen.len(), 10);
}

#[test]
fn bad_cursors_and_sizes_are_400_in_json() {
    let (app, _) = app();
    for uri in [
        "/api/v1/complaints?after=xyz",
        "/api/v1/complaints?after=ABCDEF0123456789",
        "/api/v1/complaints?after=",
        "/api/v1/complaints?size=0",
        "/api/v1/complaints?size=1001",
        "/api/v1/complaints?size=ten",
        "/api/v1/complaints?size=-1",
        "/api/v1/complaints?from=2026-13",
        "/api/v1/complaints?kind=nothing",
    ] {
        let res = app.get(uri);
        assert_eq!(res.status, Status::BadRequest, "{uri}");
        assert!(json(&res)["error"].is_string(), "{uri}");
    }
    for uri in ["/complaints.csv?bom=yes", "/complaints.csv?to=bogus"] {
        assert_eq!(app.get(uri).status, Status::BadRequest, "{uri}");
    }
}

fn description_of(app: &TestApp, public_id: &str) -> Value {
    records(app, "/api/v1/complaints")
        .into_iter()
        .find(|r| r["id"] == public_id)
        .unwrap()["description"]
        .clone()
}

#[test]
fn a_description_needs_the_authors_agreement_and_a_reviewers_approval() {
    let (app, first) = app();
    let publication = format!("{first}/publication");
    let page = app.get(&publication);
    assert_eq!(page.status, Status::Ok);
    assert!(
        !page.body.contains("jean.dupont"),
        "the preview is anonymised"
    );
    // Another subscriber cannot touch it.
    let other = app.client_as("other@example.org", Role::Subscriber);
    assert_eq!(send(other.get(&publication)).status, Status::NotFound);
    let res = post_with_token(&other, &publication, &[("agree", "yes")]);
    assert_eq!(res.status, Status::NotFound);
    assert_eq!(
        app.post(&publication, &[("agree", "maybe")]).status,
        Status::BadRequest
    );

    let reviewer = app.client_as("assoc@example.org", Role::Reviewer);
    assert!(
        !send(reviewer.get("/review/publications"))
            .body
            .contains("cut line")
    );
    app.post(&publication, &[("agree", "yes")])
        .assert_redirect(&publication);
    // Agreed, not approved: nothing published yet.
    assert!(
        records(&app, "/api/v1/complaints")
            .iter()
            .all(|r| r["description"].is_null())
    );
    let queue = send(reviewer.get("/review/publications"));
    assert_eq!(queue.status, Status::Ok);
    assert!(queue.body.contains("about the cut line"));
    assert!(!queue.body.contains("jean.dupont"));
    let public_id = queue.body.split("/review/publications/").nth(1).unwrap()[..16].to_string();

    assert_eq!(app.get("/review/publications").status, Status::Forbidden);
    for (uri, decision, status) in [
        (
            format!("/review/publications/{public_id}"),
            "publish",
            Status::BadRequest,
        ),
        (
            "/review/publications/0000000000000000".to_string(),
            "approve",
            Status::NotFound,
        ),
        (
            "/review/publications/nope".to_string(),
            "approve",
            Status::NotFound,
        ),
    ] {
        let res = post_with_token(&reviewer, &uri, &[("decision", decision)]);
        assert_eq!(res.status, status, "{uri} {decision}");
    }
    post_with_token(
        &reviewer,
        &format!("/review/publications/{public_id}"),
        &[("decision", "approve")],
    )
    .assert_redirect("/review/publications");
    let shown = description_of(&app, &public_id);
    let text = shown.as_str().expect("published once approved");
    assert!(text.contains("about the cut line"));
    assert!(!text.contains("jean.dupont"));
    assert!(
        app.get("/complaints.csv")
            .body
            .contains("about the cut line")
    );
    assert_eq!(
        records(&app, "/api/v1/complaints")
            .iter()
            .filter(|r| r["description"].is_string())
            .count(),
        1,
        "only the approved one"
    );

    // Withdrawn: gone at once, from the API and the CSV.
    app.post(&publication, &[("agree", "no")])
        .assert_redirect(&publication);
    assert!(description_of(&app, &public_id).is_null());
    assert!(!app.get("/complaints.csv").body.contains("cut line"));

    // Agreeing again waits for a reviewer again; a refusal drops it.
    app.post(&publication, &[("agree", "yes")]);
    assert!(description_of(&app, &public_id).is_null());
    post_with_token(
        &reviewer,
        &format!("/review/publications/{public_id}"),
        &[("decision", "refuse")],
    )
    .assert_redirect("/review/publications");
    assert!(description_of(&app, &public_id).is_null());
    assert!(
        !send(reviewer.get("/review/publications"))
            .body
            .contains("cut line")
    );
}

#[test]
fn records_follow_the_document_and_the_statistics_network_and_country_rules() {
    let app = TestApp::new();
    app.provider("wana", "Wana", Some(1_000_000), None);
    app.sql("UPDATE providers SET country = 'MA' WHERE slug = 'wana'");
    app.provider("kleema", "Kleema", Some(50_000), Some("wana"));
    app.logged_in_as("filer@example.org", Role::Subscriber);
    for _ in 0..10 {
        app.filed(&[]);
    }
    let page = json(&app.get("/api/v1/complaints?size=4"));
    crate::stats::assert_matches_openapi(&page, "ComplaintsPage");
    // Kleema, filed under France, resells Wana's Moroccan network: it is in Morocco's
    // selection and in Wana's network, as in the statistics.
    assert_eq!(records(&app, "/api/v1/complaints?network=wana").len(), 10);
    assert_eq!(records(&app, "/api/v1/complaints?country=MA").len(), 10);
    assert_eq!(
        records(
            &app,
            "/api/v1/complaints?network=wana&period=last-12-months"
        )
        .len(),
        0,
        "filed this month, so not in the 12 complete months before it"
    );
    assert_eq!(app.get("/complaints.csv?network=wana").status, Status::Ok);
    let bad = app.get("/api/v1/complaints?network=");
    assert_eq!(bad.status, Status::BadRequest);
    assert_eq!(json(&bad)["parameter"], "network");
}
