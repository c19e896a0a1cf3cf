use rocket::http::Status;

use crate::common::{PASSWORD, TestApp, days_ago, login_on, send};
use recours::domain::account::Role;
use recours::domain::claim::ActionKind::{self, *};

fn app_with_claim() -> (TestApp, String) {
    let app = TestApp::new();
    app.provider("kleema", "Kleema", Some(50_000), None);
    app.logged_in_as("ines@example.org", Role::Subscriber);
    let path = app.filed(&[("amount_claimed", "89")]);
    (app, path)
}

#[test]
fn a_claim_goes_from_filed_to_a_partial_refund() {
    let (app, path) = app_with_claim();
    let page = app.get(&path);
    page.assert_contains("Send your claim to the provider in writing");
    page.assert_contains(&format!("href=\"{path}/claim/send\""));

    let form = app.get(&format!("{path}/claim/send"));
    assert_eq!(form.status, Status::Ok);
    form.assert_contains("name=\"channel\"");
    let sent = days_ago(100);
    app.claim_moved(
        &path,
        Send,
        &[
            ("on", &sent),
            ("channel", "registered_letter"),
            ("reference", "TICKET-42"),
        ],
    );
    let page = app.get(&path);
    page.assert_contains("Sent to the provider");
    page.assert_contains("Overdue");
    page.assert_contains("The provider did not answer in time");
    page.assert_contains("TICKET-42");
    page.assert_contains("Registered letter");

    app.claim_moved(
        &path,
        Answer,
        &[
            ("on", &days_ago(80)),
            ("amount", "0"),
            ("note", "They refuse."),
        ],
    );
    let page = app.get(&path);
    page.assert_contains("The provider refused to refund you");
    page.assert_contains("They refuse.");
    assert!(!page.body.contains("badge-overdue"));

    app.claim_moved(
        &path,
        Escalate,
        &[("on", &days_ago(10)), ("body", "mediator")],
    );
    let page = app.get(&path);
    page.assert_contains("Escalated");
    page.assert_contains("The mediator&#39;s opinion is due by");

    app.claim_moved(
        &path,
        Resolve,
        &[
            ("on", &days_ago(1)),
            ("outcome", "partial_refund"),
            ("amount", "45,50"),
        ],
    );
    let page = app.get(&path);
    page.assert_contains("Resolved");
    page.assert_contains("45.50 EUR");
    page.assert_contains("partial refund");
    assert!(
        !page.body.contains("/claim/"),
        "no move left on a closed claim"
    );
    let list = app.get("/complaints");
    list.assert_contains("45.50 EUR");
    // filed, send, answer, escalate, resolve
    assert_eq!(app.count("claim_events"), 5);
}

#[test]
fn a_move_the_rules_refuse_answers_409_and_changes_nothing() {
    let (app, path) = app_with_claim();
    let before = app.count("claim_events");
    let res = app.claim_move(&path, Answer, &[("on", &days_ago(1)), ("amount", "10")]);
    assert_eq!(res.status, Status::Conflict);
    res.assert_contains("Send your claim to the provider first");
    app.claim_moved(&path, Withdraw, &[("on", &days_ago(0))]);
    let res = app.claim_move(&path, Send, &[("on", &days_ago(0)), ("channel", "email")]);
    assert_eq!(res.status, Status::Conflict);
    res.assert_contains("This claim is closed");
    assert_eq!(app.count("claim_events"), before + 1);
    app.get(&path).assert_contains("Withdrawn");
}

#[test]
fn bad_claim_forms_are_answered_field_by_field() {
    let (app, path) = app_with_claim();
    // The move, its fields, the field that gets the error.
    type Case<'a> = (ActionKind, &'a [(&'a str, &'a str)], &'a str);
    let cases: [Case; 5] = [
        (Send, &[("on", ""), ("channel", "email")], "on"),
        (Send, &[("on", "2999-01-01"), ("channel", "email")], "on"),
        (
            Send,
            &[("on", "2026-01-01"), ("channel", "pigeon")],
            "channel",
        ),
        (
            Resolve,
            &[
                ("on", "2026-01-01"),
                ("outcome", "partial_refund"),
                ("amount", "500"),
            ],
            "amount",
        ),
        (
            Resolve,
            &[
                ("on", "2026-01-01"),
                ("outcome", "partial_refund"),
                ("amount", "abc"),
            ],
            "amount",
        ),
    ];
    for (action, fields, field) in cases {
        let res = app.claim_move(&path, action, fields);
        assert_eq!(
            res.status,
            Status::UnprocessableEntity,
            "{action:?} {fields:?}: {}",
            res.body
        );
        res.assert_contains(&format!("id=\"{field}-error\""));
    }
    // A word that names no move: the form was not the page's.
    let res = app.post(
        &format!("{path}/claim"),
        &[("action", "fly"), ("on", "2026-01-01")],
    );
    assert_eq!(res.status, Status::BadRequest);
    assert_eq!(app.count("claim_events"), 1);
    assert_eq!(
        app.get(&format!("{path}/claim/fly")).status,
        Status::NotFound
    );
}

#[test]
fn letters_to_the_provider_and_then_to_the_mediator() {
    let (app, path) = app_with_claim();
    let today = chrono::Utc::now().date_naive();
    let letter = app.get(&format!("{path}/letter"));
    assert_eq!(letter.status, Status::Ok);
    letter.assert_contains("Letter to the provider");
    letter.assert_contains("I therefore ask you to refund 89.00 EUR.");
    // Not sent yet: the answer is asked for 30 days after the letter's own date.
    letter.assert_contains(&format!("Date: {}", english_date(today)));
    letter.assert_contains(&format!(
        "I expect your answer by {}",
        english_date(today + chrono::Duration::days(30))
    ));
    for to in ["mediator", "consumer_service"] {
        assert_eq!(
            app.get(&format!("{path}/letter?to={to}")).status,
            Status::NotFound,
            "{to}: not before the provider failed the claim"
        );
    }

    // Printed after sending, it is the copy of what was sent: its date and its due date.
    let sent = today - chrono::Duration::days(5);
    app.claim_moved(&path, Send, &[("on", &days_ago(5)), ("channel", "email")]);
    let letter = app.get(&format!("{path}/letter"));
    letter.assert_contains(&format!("Date: {}", english_date(sent)));
    letter.assert_contains(&format!(
        "I expect your answer by {}",
        english_date(sent + chrono::Duration::days(30))
    ));

    let fr = send_fr(&app, &format!("{path}/letter"));
    fr.assert_contains("Je vous demande donc de me rembourser 89,00 EUR.");
}

/// The mediator's window: before it opens the page says from when, offers neither the move
/// nor the letter, and refuses a move dated before it; the consumer service (second level),
/// which the advice names, has its letter.
#[test]
fn the_mediator_is_offered_only_inside_its_window() {
    let (app, path) = app_with_claim();
    let today = chrono::Utc::now().date_naive();
    app.claim_moved(&path, Send, &[("on", &days_ago(40)), ("channel", "email")]);
    let opens = english_date(today - chrono::Duration::days(40) + chrono::Duration::days(60));
    let page = app.get(&path);
    page.assert_contains("The provider did not answer in time");
    page.assert_contains("Write to its consumer service (second level)");
    page.assert_contains(&format!(
        "Next step: Electronic communications mediator (Médiateur des communications \
         électroniques). From {opens} you can take your claim to it"
    ));
    page.assert_contains(&format!("{path}/letter?to=consumer_service"));
    assert!(
        !page.body.contains("letter?to=mediator"),
        "no mediator letter before its window"
    );
    let second = app.get(&format!("{path}/letter?to=consumer_service"));
    assert_eq!(second.status, Status::Ok);
    second.assert_contains("I therefore ask your consumer service to review it");
    second.assert_contains("The steps so far");
    assert_eq!(
        app.get(&format!("{path}/letter?to=mediator")).status,
        Status::NotFound
    );
    let form = app.get(&format!("{path}/claim/escalate"));
    assert!(
        !form.body.contains("value=\"mediator\""),
        "the mediator is not offered yet"
    );
    form.assert_contains("value=\"association\"");
    let before = app.count("claim_events");
    let res = app.claim_move(
        &path,
        Escalate,
        &[("on", &days_ago(0)), ("body", "mediator")],
    );
    assert_eq!(res.status, Status::Conflict);
    res.assert_contains("This body cannot be seized on that date");
    assert_eq!(app.count("claim_events"), before);
}

/// Inside the window: the mediator's letter asks it to examine the dispute and recommend a
/// solution, lists the steps in date order, and stays available once the claim is closed.
#[test]
fn the_mediator_letter_asks_for_a_recommendation_and_outlives_the_claim() {
    let (app, _) = app_with_claim();
    let path = app.filed(&[
        ("kind", "billing"),
        ("billing_issue", "after_cancellation"),
        ("charged_on", "2026-04-05"),
        ("charged_amount", "89"),
    ]);
    // Sent well before the complaint was recorded here: the sending comes first.
    app.claim_moved(&path, Send, &[("on", &days_ago(90)), ("channel", "email")]);
    app.claim_moved(&path, Answer, &[("on", &days_ago(20)), ("amount", "10")]);
    let page = app.get(&path);
    page.assert_contains(&format!("{path}/letter?to=mediator"));
    let letter = app.get(&format!("{path}/letter?to=mediator"));
    assert_eq!(letter.status, Status::Ok);
    letter.assert_contains("Médiateur des communications électroniques");
    letter.assert_contains("https://mediation-telecom.org");
    letter.assert_contains("I ask you to examine this dispute and to recommend a solution.");
    letter.assert_contains("My claim to the provider is for 89.00 EUR.");
    assert!(
        !letter.body.contains("ask you to refund"),
        "a mediator recommends, it does not refund"
    );
    let sent = letter
        .body
        .find("Claim sent")
        .expect("the sending on the timeline");
    let filed = letter
        .body
        .find("Complaint filed")
        .expect("the filing on the timeline");
    assert!(sent < filed, "the timeline is in date order");
    // Facts in sentences, not a list of labels.
    letter.assert_contains("I was charged 89.00 EUR on");
    assert!(!letter.body.contains("<dt>"), "no label dump in a letter");

    app.claim_moved(
        &path,
        Escalate,
        &[("on", &days_ago(10)), ("body", "mediator")],
    );
    app.claim_moved(
        &path,
        Resolve,
        &[("on", &days_ago(1)), ("outcome", "no_refund")],
    );
    for to in ["provider", "consumer_service", "mediator"] {
        assert_eq!(
            app.get(&format!("{path}/letter?to={to}")).status,
            Status::Ok,
            "{to}: a closed claim keeps its letters"
        );
    }
}

/// The answer's due date is fixed when the claim is sent: an instance configured with
/// another answer time since shows the same date as the statistics count.
#[test]
fn the_pages_keep_the_due_date_fixed_when_the_claim_was_sent() {
    let app = TestApp::with(|f| f.merge(("claim_answer_days", 10)));
    app.provider("kleema", "Kleema", Some(50_000), None);
    app.logged_in_as("ines@example.org", Role::Subscriber);
    let path = app.filed(&[("amount_claimed", "89")]);
    app.claim_moved(&path, Send, &[("on", &days_ago(20)), ("channel", "email")]);
    let due = english_date(chrono::Utc::now().date_naive() - chrono::Duration::days(10));

    // The default answer time (30 days) would put the due date 10 days ahead.
    let later = app.another_instance();
    login_on(&later, "ines@example.org", PASSWORD).assert_redirect("/");
    let page = send(later.get(path.clone()));
    page.assert_contains(&format!("is due by {due}."));
    page.assert_contains("badge-overdue");
    page.assert_contains("The provider did not answer in time");
    page.assert_contains(&format!("{path}/letter?to=consumer_service"));
    send(later.get("/complaints")).assert_contains("badge-overdue");
    send(later.get(format!("{path}/letter")))
        .assert_contains(&format!("I expect your answer by {due}."));
}

/// An absurd answer time (a billion years) puts the due date at the calendar's end instead
/// of failing the move.
#[test]
fn an_absurd_answer_time_saturates_the_due_date() {
    let app = TestApp::with(|f| f.merge(("claim_answer_days", 365_000_000_000_i64)));
    app.provider("kleema", "Kleema", Some(50_000), None);
    app.logged_in_as("ines@example.org", Role::Subscriber);
    let path = app.filed(&[("amount_claimed", "89")]);
    app.claim_moved(&path, Send, &[("on", &days_ago(1)), ("channel", "email")]);
    let page = app.get(&path);
    page.assert_contains("Sent to the provider");
    assert!(!page.body.contains("badge-overdue"));
    assert_eq!(app.get(&format!("{path}/letter")).status, Status::Ok);
}

fn send_fr(app: &TestApp, path: &str) -> crate::common::Resp {
    crate::common::send(
        app.client
            .get(path.to_string())
            .header(rocket::http::Header::new("Accept-Language", "fr")),
    )
}

fn english_date(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    format!("{} {} {}", d.day(), MONTHS[d.month0() as usize], d.year())
}

#[test]
fn a_date_is_typed_in_day_month_and_year_boxes() {
    let (app, path) = app_with_claim();
    let form = app.get(&format!("{path}/claim/send"));
    // A fieldset named by its legend, three labelled boxes filled with today.
    form.assert_contains("<legend>Date");
    for id in ["on", "on-month", "on-year"] {
        form.assert_contains(&format!("<label for=\"{id}\">"));
    }
    form.assert_contains("name=\"on-day\"");

    // The month box is the one to correct: the summary links to it and only it is marked.
    let before = app.count("claim_events");
    let res = app.claim_move(
        &path,
        Send,
        &[
            ("on-day", "2"),
            ("on-month", "13"),
            ("on-year", "2026"),
            ("channel", "email"),
        ],
    );
    assert_eq!(res.status, Status::UnprocessableEntity);
    res.assert_contains("href=\"#on-month\"");
    res.assert_contains("The month must be a number from 1 to 12, or its name.");
    assert_eq!(res.body.matches("aria-invalid=\"true\"").count(), 2); // fieldset + box
    res.assert_contains("value=\"13\"");
    let res = app.claim_move(
        &path,
        Send,
        &[
            ("on-day", "2"),
            ("on-month", "5"),
            ("on-year", "26"),
            ("channel", "email"),
        ],
    );
    res.assert_contains("href=\"#on-year\"");
    res.assert_contains("Write the year with four digits");
    assert_eq!(app.count("claim_events"), before);

    // What people type: no leading zero, the month's name in French, spaces.
    app.claim_moved(
        &path,
        Send,
        &[
            ("on-day", " 2 "),
            ("on-month", "janvier"),
            ("on-year", "2026"),
            ("channel", "email"),
        ],
    );
    app.get(&path).assert_contains("2 January 2026");
}
