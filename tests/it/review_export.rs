//! The reviewers' CSV: every row once however many parts it is read in, amounts in currency
//! units, the case facts associations use, a byte-order mark on request, and the filters in
//! the file name.

use rocket::http::Status;

use crate::common::{TestApp, send};
use recours::domain::account::Role;

fn rows(body: &str) -> (csv::StringRecord, Vec<csv::StringRecord>) {
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let header = reader.headers().unwrap().clone();
    (header, reader.records().map(Result::unwrap).collect())
}

fn col(header: &csv::StringRecord, name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("{name}"))
}

#[test]
fn every_row_comes_once_across_parts_even_filed_at_the_same_instant() {
    let app = TestApp::new();
    app.provider("kleema", "Kleema", None, None);
    app.logged_in_as("filer@example.org", Role::Subscriber);
    app.filed(&[("amount_claimed", "0.01")]);
    // 12,000 more at the very same instant: the parts (5,000 rows) must be cut by id too.
    app.sql(
        "INSERT INTO complaints (id, user_id, provider_id, title, description, currency, \
         amount_claimed, share_with_associations, created_at, shared_version, public_id) \
         WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i < 12001) \
         SELECT 'bulk-' || i, user_id, provider_id, title, description, currency, i, \
         share_with_associations, created_at, shared_version, 'p-' || i \
         FROM n CROSS JOIN complaints",
    );
    app.sql(
        "INSERT INTO complaint_problems (complaint_id, kind) \
         SELECT c.id, p.kind FROM complaints c CROSS JOIN complaint_problems p \
         WHERE c.id LIKE 'bulk-%'",
    );
    let reviewer = app.client_as("assoc@example.org", Role::Reviewer);
    let res = send(reviewer.get("/review/complaints.csv"));
    assert_eq!(res.status, Status::Ok);
    let (header, rows) = rows(&res.body);
    let amount = col(&header, "amount_claimed");
    let mut amounts: Vec<String> = rows.iter().map(|r| r[amount].to_string()).collect();
    assert_eq!(amounts.len(), 12_001);
    amounts.sort();
    amounts.dedup();
    assert_eq!(amounts.len(), 12_001, "no row twice");
    assert!(amounts.contains(&"0.01".to_string()));
    assert!(amounts.contains(&"120.01".to_string()), "12001 cents");
}

#[test]
fn case_facts_and_amounts_in_currency_units() {
    let app = TestApp::new();
    app.provider("kleema", "Kleema", None, None);
    app.logged_in_as("filer@example.org", Role::Subscriber);
    app.filed(&[
        ("kind", "price_hike"),
        ("old_price", "15"),
        ("new_price", "89"),
        ("effective_on", "2026-10-01"),
        ("announced_by", "email"),
        ("notice_received", "on"),
        ("amount_claimed", "12.5"),
    ]);
    app.filed(&[
        ("kind", "service_cut"),
        ("service", "internet"),
        ("started_on", "2026-09-07"),
        ("still_billed", "on"),
    ]);
    let reviewer = app.client_as("assoc@example.org", Role::Reviewer);
    let (header, rows) = rows(&send(reviewer.get("/review/complaints.csv")).body);
    let hike = rows
        .iter()
        .find(|r| &r[col(&header, "kind")] == "price_hike")
        .unwrap();
    assert_eq!(&hike[col(&header, "price_rise_percent")], "493");
    assert_eq!(&hike[col(&header, "notice_received")], "true");
    assert_eq!(
        &hike[col(&header, "still_billed")],
        "",
        "not a fact of a price rise"
    );
    assert_eq!(&hike[col(&header, "amount_claimed")], "12.50");
    assert_eq!(&hike[col(&header, "currency")], "EUR");
    let cut = rows
        .iter()
        .find(|r| &r[col(&header, "kind")] == "service_cut")
        .unwrap();
    assert_eq!(&cut[col(&header, "still_billed")], "true");
    assert_eq!(&cut[col(&header, "notice_received")], "");
    assert_eq!(&cut[col(&header, "price_rise_percent")], "");
}

#[test]
fn a_bom_on_request_and_the_filters_in_the_file_name() {
    let app = TestApp::new();
    app.provider("kleema", "Kleema", None, None);
    app.logged_in_as("filer@example.org", Role::Subscriber);
    app.filed(&[]);
    let reviewer = app.client_as("assoc@example.org", Role::Reviewer);
    for (uri, name) in [
        ("/stats/providers.csv", "recours-providers.csv"),
        (
            "/stats/providers.csv?kind=billing&from=2026-01&country=fr",
            "recours-providers_from-2026-01_kind-billing_country-FR.csv",
        ),
        ("/review/complaints.csv", "recours-complaints.csv"),
        (
            "/review/complaints.csv?provider=kleema&to=2026-12&q=line%20cut",
            "recours-complaints_to-2026-12_provider-kleema_q-line-cut.csv",
        ),
    ] {
        let plain = send(reviewer.get(uri));
        assert_eq!(plain.status, Status::Ok, "{uri}");
        assert!(!plain.body.starts_with('\u{feff}'), "{uri}");
        // The providers' file also names the data version (`-v<n>`).
        let given = plain.header("Content-Disposition").unwrap();
        let unversioned = match given.find("-v") {
            Some(at) if given.starts_with("attachment; filename=\"recours-providers") => {
                let digits = given[at + 2..].find(|c: char| !c.is_ascii_digit()).unwrap();
                format!("{}{}", &given[..at], &given[at + 2 + digits..])
            }
            _ => given.to_string(),
        };
        assert_eq!(unversioned, format!("attachment; filename=\"{name}\""));
        let join = if uri.contains('?') { '&' } else { '?' };
        let marked = send(reviewer.get(format!("{uri}{join}bom=true")));
        assert!(marked.body.starts_with('\u{feff}'), "{uri}");
        assert_eq!(marked.body.trim_start_matches('\u{feff}'), plain.body);
        for bad in ["yes", "1", "TRUE"] {
            let refused = send(reviewer.get(format!("{uri}{join}bom={bad}")));
            assert_eq!(refused.status, Status::BadRequest, "{uri} bom={bad}");
        }
    }
}
