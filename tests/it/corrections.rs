//! Correcting a complaint until its claim is sent, adding an amount later, removing a
//! document: each change on the timeline, nothing changed when refused.

use rocket::http::Status;

use crate::common::{PNG, TestApp, post_raw, post_with_token, send};
use recours::domain::account::Role;

fn app_with_subscriber() -> TestApp {
    let app = TestApp::new();
    app.provider("kleema", "Kleema", Some(50_000), None);
    app.logged_in_as("amina@example.org", Role::Subscriber);
    app
}

/// A service cut with 89 EUR claimed; returns its page's path.
fn cut(app: &TestApp, amount: &str) -> String {
    app.filed(&[
        ("kind", "service_cut"),
        ("service", "international_calls"),
        ("started_on", "2026-09-07"),
        ("monthly_fee", "15"),
        ("amount_claimed", amount),
    ])
}

const CORRECTED: [(&str, &str); 7] = [
    ("title", "Line cut since 7 September, still billed"),
    ("description", "Since 7 September the line is dead."),
    ("amount_claimed", "95"),
    ("currency", "EUR"),
    ("service", "international_calls"),
    ("started_on", "2026-09-07"),
    ("monthly_fee", "19"),
];

#[test]
fn the_facts_and_amount_change_until_the_claim_is_sent_then_never() {
    let app = app_with_subscriber();
    let path = cut(&app, "89");
    let form = app.get(&format!("{path}/edit"));
    assert_eq!(form.status, Status::Ok);
    form.assert_contains("value=\"89.00\"");
    form.assert_contains("value=\"15.00\"");
    assert!(
        !form.body.contains("name=\"old_price\""),
        "only its own problems' facts"
    );

    app.post(&format!("{path}/edit"), &CORRECTED)
        .assert_redirect(&path);
    let page = app.get(&path);
    page.assert_contains("Your complaint is corrected.");
    page.assert_contains("Line cut since 7 September, still billed");
    page.assert_contains("19.00 EUR");
    page.assert_contains("95.00 EUR");
    page.assert_contains("Corrected: Title, Amount claimed, Service cut");
    app.assert_stats_verified();

    // A wrong field: named, nothing changed.
    let mut bad = CORRECTED.to_vec();
    bad.retain(|(k, _)| *k != "started_on");
    bad.push(("started_on", "2099-01-01"));
    bad.push(("old_price", "15"));
    let res = app.post(&format!("{path}/edit"), &bad);
    assert_eq!(res.status, Status::UnprocessableEntity);
    res.assert_contains("href=\"#started_on\"");
    res.assert_contains("href=\"#old_price\"");
    // A claim keeps an amount.
    let mut no_amount = CORRECTED.to_vec();
    no_amount.retain(|(k, _)| *k != "amount_claimed");
    let res = app.post(&format!("{path}/edit"), &no_amount);
    assert_eq!(res.status, Status::UnprocessableEntity);
    res.assert_contains("A claim keeps an amount.");

    app.claimed_sent(&path);
    let form = app.get(&format!("{path}/edit"));
    assert_eq!(form.status, Status::Conflict);
    form.assert_contains("already been sent");
    assert!(!form.body.contains("name=\"title\""));
    let mut late = CORRECTED.to_vec();
    late[0] = ("title", "Changed after sending");
    let res = app.post(&format!("{path}/edit"), &late);
    assert_eq!(res.status, Status::Conflict);
    res.assert_contains("Nothing was changed.");
    let page = app.get(&path);
    assert!(!page.body.contains("Changed after sending"));
    assert!(
        !page.body.contains(&format!("href=\"{path}/edit\"")),
        "no edit link once sent"
    );
    app.assert_stats_verified();
}

#[test]
fn an_amount_added_later_makes_the_complaint_a_claim_not_a_second_complaint() {
    let app = app_with_subscriber();
    let path = cut(&app, "");
    let page = app.get(&path);
    page.assert_contains("add the amount to this complaint");
    page.assert_contains(&format!("href=\"{path}/edit\""));
    assert_eq!(app.count("claims"), 0);

    app.post(&format!("{path}/edit"), &CORRECTED)
        .assert_redirect(&path);
    assert_eq!(app.count("complaints"), 1);
    assert_eq!(app.count("claims"), 1);
    let page = app.get(&path);
    assert!(!page.body.contains("You did not claim an amount"));
    page.assert_contains("Amount claimed added");
    page.assert_contains("95.00 EUR");
    // It moves like any claim.
    app.claimed_sent(&path);
    app.assert_stats_verified();
    let doc = crate::stats::json(&app.get("/api/v1/stats/providers"));
    assert_eq!(doc["providers"][0]["complaints"], 1);
}

#[test]
fn someone_else_cannot_correct_it() {
    let app = app_with_subscriber();
    let path = cut(&app, "89");
    let other = app.client_as("other@example.org", Role::Subscriber);
    assert_eq!(
        send(other.get(format!("{path}/edit"))).status,
        Status::NotFound
    );
    let res = post_with_token(&other, &format!("{path}/edit"), &CORRECTED);
    assert_eq!(res.status, Status::NotFound);
    assert!(!app.get(&path).body.contains("95.00 EUR"));
}

#[test]
fn a_document_is_removed_by_its_owner_only() {
    let app = app_with_subscriber();
    let path = cut(&app, "89");
    assert_eq!(
        app.upload(&path, "wrong-bill.png", PNG).status,
        Status::SeeOther
    );
    let page = app.get(&path);
    let file = crate::common::after(&page.body, &format!("action=\"{path}/attachments/"));
    let file = file.trim_end_matches("/remove").to_string();
    let remove = format!("{path}/attachments/{file}/remove");
    page.assert_contains(&format!("action=\"{remove}\""));

    // Someone else: 404, the document stays.
    let other = app.client_as("other@example.org", Role::Subscriber);
    assert_eq!(
        post_with_token(&other, &remove, &[]).status,
        Status::NotFound
    );
    // Without the CSRF token: refused.
    assert_eq!(post_raw(&app.client, &remove, "").status, Status::Forbidden);
    // Another complaint's path with this document: 404.
    let mine_too = cut(&app, "");
    assert_eq!(
        app.post(&format!("{mine_too}/attachments/{file}/remove"), &[])
            .status,
        Status::NotFound
    );
    assert_eq!(app.count("attachments"), 1);

    app.post(&remove, &[])
        .assert_redirect(&format!("{path}#evidence"));
    assert_eq!(app.count("attachments"), 0);
    let page = app.get(&path);
    page.assert_contains("The document is removed.");
    page.assert_contains("Document removed");
    page.assert_contains("wrong-bill.png");
    assert_eq!(app.post(&remove, &[]).status, Status::NotFound);
}

/// The correction page shows the dates in their day, month and year boxes and takes them
/// back the same way; a box that does not read changes nothing.
#[test]
fn the_correction_page_types_dates_in_boxes() {
    let app = app_with_subscriber();
    let path = cut(&app, "89");
    let form = app.get(&format!("{path}/edit"));
    form.assert_contains("name=\"started_on-day\"");
    assert!(!form.body.contains("type=\"date\""));
    for (id, value) in [
        ("started_on", "7"),
        ("started_on-month", "9"),
        ("started_on-year", "2026"),
    ] {
        let at = form.body.find(&format!("<input id=\"{id}\"")).expect(id);
        let input = &form.body[at..at + form.body[at..].find('>').expect("input's end")];
        assert!(
            input.contains(&format!("value=\"{value}\"")),
            "{id}: {input}"
        );
    }
    let mut fields: Vec<(&str, &str)> = CORRECTED
        .iter()
        .copied()
        .filter(|(k, _)| *k != "started_on")
        .collect();
    fields.extend([
        ("started_on-day", "31"),
        ("started_on-month", "4"),
        ("started_on-year", "2026"),
    ]);
    let res = app.post(&format!("{path}/edit"), &fields);
    assert_eq!(res.status, Status::UnprocessableEntity);
    res.assert_contains("This day does not exist in that month.");
    res.assert_contains("value=\"31\"");
    app.get(&path).assert_contains("7 September 2026");

    fields.retain(|(k, _)| *k != "started_on-day");
    fields.push(("started_on-day", "1"));
    app.post(&format!("{path}/edit"), &fields)
        .assert_redirect(&path);
    app.get(&path).assert_contains("1 April 2026");
}
