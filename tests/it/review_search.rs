//! Reviewers search words only in what they may read: the anonymised copy of the complaints
//! whose authors agreed to share them. The search answers nothing about the rest, neither
//! on the page nor in the CSV, however the words are cut.

use rocket::http::Status;
use rocket::local::blocking::Client;

use crate::common::{TestApp, send};
use recours::domain::account::Role;

const PRIVATE: &str = "Private: reach jean.secret@example.org or 06 99 88 77 66 near Zanzibar.";
const SHARED: &str = "Shared: write to marie.x@example.org or call 0611223344, the line is dead.";

/// What a search finds: the shared descriptions listed on the page, and the CSV's rows.
fn found(reviewer: &Client, q: &str) -> (Vec<String>, usize) {
    let q = crate::common::encode(q);
    let page = send(reviewer.get(format!("/review?q={q}")));
    assert_eq!(page.status, Status::Ok);
    let listed = page
        .body
        .split("<p class=\"description\">")
        .skip(1)
        .map(|s| s[..s.find("</p>").unwrap()].to_string())
        .collect();
    let csv = send(reviewer.get(format!("/review/complaints.csv?q={q}")));
    assert_eq!(csv.status, Status::Ok);
    let rows = csv::Reader::from_reader(csv.body.as_bytes())
        .records()
        .count();
    (listed, rows)
}

fn app_with_both() -> TestApp {
    let app = TestApp::new();
    app.provider("kleema", "Kleema", None, None);
    app.logged_in_as("filer@example.org", Role::Subscriber);
    app.filed(&[("title", "Cut"), ("description", PRIVATE)]);
    app.filed(&[
        ("title", "Cut too"),
        ("description", SHARED),
        ("share_with_associations", "on"),
    ]);
    app
}

/// Fragments of the e-mail addresses and phone numbers of both complaints, digit by digit
/// as the reviewer of the issue went, and words found only in the complaint not shared.
const PROBES: [&str; 14] = [
    "0",
    "06",
    "069",
    "0699",
    "06 99",
    "99 88 77",
    "061",
    "0611",
    "06112233",
    "secret",
    "jean",
    "marie.x",
    "example.org",
    "zanzibar",
];

#[test]
fn words_are_searched_only_in_the_anonymised_text_of_shared_complaints() {
    let app = app_with_both();
    let reviewer = app.client_as("assoc@example.org", Role::Reviewer);
    for probe in PROBES {
        assert_eq!(found(&reviewer, probe), (vec![], 0), "q={probe}");
    }
    // What the reviewer can read is found, placeholders included, on the page and in the CSV.
    for visible in ["line is dead", "[phone]", "[e-mail]"] {
        let (listed, rows) = found(&reviewer, visible);
        assert_eq!(rows, 1, "q={visible}");
        assert_eq!(
            listed,
            ["Shared: write to [e-mail] or call [phone], the line is dead."],
            "q={visible}"
        );
    }
    // Without words, the CSV still holds every complaint, the description only where shared.
    let (_, rows) = found(&reviewer, "");
    assert_eq!(rows, 2);
}

/// Complaints stored before the anonymised copy existed (or by an older anonymiser) get it
/// when the application next starts, before anything is served.
#[test]
fn the_copies_are_made_again_at_start_up() {
    let app = app_with_both();
    app.sql(
        "UPDATE complaints SET shared_title = NULL, shared_description = NULL, shared_version = 0",
    );
    let reviewer = app.client_as("assoc@example.org", Role::Reviewer);
    assert_eq!(found(&reviewer, "line is dead").1, 1);
    for probe in PROBES {
        assert_eq!(found(&reviewer, probe), (vec![], 0), "q={probe}");
    }
}

/// The review page's own parameters (`q`, `page`, `provider`) are not the provider page's:
/// its links to a provider must leave them out, or that page refuses them (400).
#[test]
fn the_review_pages_provider_links_open_the_provider_page() {
    let app = app_with_both();
    let reviewer = app.client_as("assoc@example.org", Role::Reviewer);
    let page = send(reviewer.get("/review?q=ligne&page=1&provider=kleema&from=2020-01"));
    assert_eq!(page.status, Status::Ok);
    let links: Vec<&str> = page
        .body
        .split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .filter(|h| h.starts_with("/stats/providers/"))
        .collect();
    assert!(!links.is_empty(), "the table links to the providers");
    for link in links {
        let link = link.replace("&amp;", "&").replace("&#38;", "&");
        assert!(!link.contains("q=") && !link.contains("page="), "{link}");
        assert_eq!(app.get(&link).status, Status::Ok, "{link}");
    }
}
