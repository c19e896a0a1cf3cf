//! The filing form in steps, drafts, and a submit whose session had ended.

use rocket::http::Status;

use crate::common::{PASSWORD, Resp, TestApp, after, post_with_token};
use recours::domain::account::Role;

fn app_with_subscriber() -> TestApp {
    let app = TestApp::new();
    app.provider("wana", "Wana", Some(3_000_000), None);
    app.provider("kleema", "Kleema", Some(50_000), Some("wana"));
    app.logged_in_as("amina@example.org", Role::Subscriber);
    app
}

/// The seed case's facts and claim, as step 2 posts them.
const SEED_FACTS: [(&str, &str); 13] = [
    ("title", "Line cut, still billed, and a price rise"),
    (
        "description",
        "Since 7 September the line is dead and the price went up.",
    ),
    ("amount_claimed", "89"),
    ("currency", "EUR"),
    ("service", "international_calls"),
    ("started_on", "2009-09-07"),
    ("still_billed", "on"),
    ("monthly_fee", "15"),
    ("old_price", "15"),
    ("new_price", "89"),
    ("effective_on", "2009-10-01"),
    ("announced_by", "email"),
    ("share_with_associations", "on"),
];

/// Step 1 posted: returns the draft's path (`/complaints/drafts/<id>`).
fn started(app: &TestApp, kinds: &[&str]) -> String {
    let mut fields = vec![("provider", "kleema")];
    fields.extend(kinds.iter().map(|k| ("kind", *k)));
    let res = app.post("/complaints/drafts", &fields);
    assert_eq!(res.status, Status::SeeOther, "{}", res.body);
    let facts = res.location().to_string();
    facts
        .strip_suffix("/facts")
        .unwrap_or_else(|| panic!("{facts}"))
        .to_string()
}

#[test]
fn the_seed_case_goes_through_three_steps_into_one_complaint() {
    let app = app_with_subscriber();
    let new = app.get("/complaints/new");
    assert_eq!(new.status, Status::Ok);
    new.assert_contains("Step 1 of 3");
    new.assert_contains("Kleema (FR)");
    new.assert_contains("type=\"checkbox\" value=\"price_hike\"");
    assert!(
        !new.body.contains("name=\"old_price\""),
        "no facts before the problems are known"
    );

    let draft = started(&app, &["service_cut", "price_hike"]);
    let facts = app.get(&format!("{draft}/facts"));
    facts.assert_contains("Step 2 of 3");
    // Dates are typed in day, month and year boxes.
    facts.assert_contains("name=\"started_on-day\"");
    facts.assert_contains("name=\"started_on-month\"");
    facts.assert_contains("name=\"started_on-year\"");
    assert!(!facts.body.contains("type=\"date\""));
    facts.assert_contains("name=\"old_price\"");
    facts.assert_contains("value=\"EUR\" selected");
    assert!(
        !facts.body.contains("name=\"billing_issue\""),
        "only the facts of the problems ticked"
    );

    app.post(&format!("{draft}/facts"), &SEED_FACTS)
        .assert_redirect(&format!("{draft}/check"));
    let check = app.get(&format!("{draft}/check"));
    check.assert_contains("Step 3 of 3");
    check.assert_contains("Service cut, Price rise");
    check.assert_contains("International calls");
    check.assert_contains("7 September 2009");
    check.assert_contains("By e-mail");
    check.assert_contains(&format!("href=\"{draft}/problems#kind\""));
    check.assert_contains(&format!("href=\"{draft}/facts#old_price\""));
    assert_eq!(
        app.count("complaints"),
        0,
        "nothing filed before the last step"
    );

    let res = app.post(&format!("{draft}/file"), &[]);
    assert_eq!(res.status, Status::SeeOther, "{}", res.body);
    let page = app.get(res.location());
    page.assert_contains("Your complaint is filed.");
    page.assert_contains("+493 %");
    page.assert_contains("89.00 EUR");
    assert_eq!(app.count("complaints"), 1);
    assert_eq!(app.count("complaint_problems"), 2);
    assert_eq!(app.count("claims"), 1);
    assert_eq!(
        app.count("complaint_drafts"),
        0,
        "the draft goes with the filing"
    );
    assert_eq!(app.get(&format!("{draft}/check")).status, Status::NotFound);
    app.assert_stats_verified();
}

#[test]
fn each_step_names_what_is_wrong_and_keeps_what_was_typed() {
    let app = app_with_subscriber();
    let res = app.post("/complaints/drafts", &[("provider", "kleema")]);
    assert_eq!(res.status, Status::UnprocessableEntity);
    res.assert_contains("href=\"#kind\"");
    res.assert_contains("Enter this information.");
    let res = app.post(
        "/complaints/drafts",
        &[("provider", "kleema"), ("kind", "flood")],
    );
    assert_eq!(res.status, Status::UnprocessableEntity);
    assert_eq!(app.count("complaint_drafts"), 0);

    let draft = started(&app, &["service_cut"]);
    let res = app.post(
        &format!("{draft}/facts"),
        &[
            ("title", "Cut"),
            ("started_on-day", "1"),
            ("started_on-month", "janvier"),
            ("started_on-year", "2099"),
            ("monthly_fee", "abc"),
        ],
    );
    assert_eq!(res.status, Status::UnprocessableEntity);
    res.assert_contains("href=\"#started_on\"");
    res.assert_contains("href=\"#description\"");
    res.assert_contains("href=\"#service\"");
    // Kept, even wrong: the page comes back with it, and so does the draft.
    res.assert_contains("value=\"abc\"");
    let again = app.get(&format!("{draft}/facts"));
    again.assert_contains("value=\"janvier\"");
    again.assert_contains("value=\"2099\"");
    // Filing now is refused, each error linking to the page where it is mended.
    let res = app.post(&format!("{draft}/file"), &[]);
    assert_eq!(res.status, Status::UnprocessableEntity);
    res.assert_contains(&format!("href=\"{draft}/facts#started_on\""));
    assert_eq!(app.count("complaints"), 0);
    assert_eq!(app.count("complaint_drafts"), 1);
}

#[test]
fn unticking_a_problem_takes_its_facts_with_it() {
    let app = app_with_subscriber();
    let draft = started(&app, &["service_cut", "price_hike"]);
    app.post(&format!("{draft}/facts"), &SEED_FACTS)
        .assert_redirect(&format!("{draft}/check"));
    app.post(
        &format!("{draft}/problems"),
        &[("provider", "kleema"), ("kind", "service_cut")],
    )
    .assert_redirect(&format!("{draft}/facts"));
    let facts = app.get(&format!("{draft}/facts"));
    assert!(!facts.body.contains("name=\"old_price\""));
    let res = app.post(&format!("{draft}/file"), &[]);
    assert_eq!(res.status, Status::SeeOther, "{}", res.body);
    assert_eq!(app.count("complaint_problems"), 1);
    app.get(res.location())
        .assert_contains("International calls");
}

#[test]
fn drafts_are_listed_offered_back_and_only_to_their_author() {
    let app = app_with_subscriber();
    let draft = started(&app, &["billing"]);
    app.post(&format!("{draft}/facts"), &[("title", "Charged twice")])
        .assert_contains("Enter this information.");
    let list = app.get("/complaints/drafts");
    list.assert_contains("Charged twice");
    list.assert_contains(&format!("href=\"{draft}/check\""));
    app.get("/complaints/new")
        .assert_contains(&format!("href=\"{draft}/check\""));

    // Another account: each of its pages and posts answers 404, and nothing changes.
    let other = app.client_as("other@example.org", Role::Subscriber);
    for page in ["problems", "facts", "check"] {
        let res = crate::common::send(other.get(format!("{draft}/{page}")));
        assert_eq!(res.status, Status::NotFound, "{page}");
    }
    for (path, fields) in [
        (format!("{draft}/facts"), vec![("title", "Mine now")]),
        (
            format!("{draft}/problems"),
            vec![("provider", "kleema"), ("kind", "other")],
        ),
        (format!("{draft}/file"), vec![]),
        (format!("{draft}/delete"), vec![]),
    ] {
        let res = post_with_token(&other, &path, &fields);
        assert_eq!(res.status, Status::NotFound, "{path}");
    }
    let mine = crate::common::send(other.get("/complaints/drafts"));
    assert!(!mine.body.contains("Charged twice"));
    app.get(&format!("{draft}/facts"))
        .assert_contains("value=\"Charged twice\"");
    assert_eq!(app.count("complaints"), 0);

    app.post(&format!("{draft}/delete"), &[])
        .assert_redirect("/complaints/drafts");
    assert_eq!(app.count("complaint_drafts"), 0);
    assert_eq!(app.get(&format!("{draft}/check")).status, Status::NotFound);
}

/// The hidden fields a log-in page carries, as the browser posts them back.
fn carried(page: &Resp) -> Vec<(String, String)> {
    page.body
        .split("name=\"carried.")
        .skip(1)
        .map(|rest| {
            let name = rest.split('"').next().unwrap().to_string();
            (name, after(rest, "value=\""))
        })
        .collect()
}

fn log_in_carrying(app: &TestApp, page: &Resp) -> Resp {
    let carried = carried(page);
    let mut fields: Vec<(String, String)> = vec![
        ("email".into(), "amina@example.org".into()),
        ("password".into(), PASSWORD.into()),
    ];
    fields.extend(
        carried
            .into_iter()
            .map(|(k, v)| (format!("carried.{k}"), v)),
    );
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    app.post("/login", &fields)
}

#[test]
fn a_submit_after_the_session_ended_is_kept_through_the_login() {
    let app = app_with_subscriber();
    let draft = started(&app, &["service_cut", "price_hike"]);
    app.sql("DELETE FROM sessions");

    let res = app.post(&format!("{draft}/facts"), &SEED_FACTS);
    assert_eq!(res.status, Status::Unauthorized);
    res.assert_contains("Your session had ended");
    res.assert_contains("name=\"carried.old_price\" value=\"15\"");
    assert_eq!(app.count("complaints"), 0);

    let res = log_in_carrying(&app, &res);
    res.assert_redirect(&format!("{draft}/facts"));
    let facts = app.get(&format!("{draft}/facts"));
    facts.assert_contains("value=\"Line cut, still billed, and a price rise\"");
    // The date carried as one field shows in its boxes.
    for (id, value) in [
        ("started_on", "7"),
        ("started_on-month", "9"),
        ("started_on-year", "2009"),
    ] {
        let at = facts.body.find(&format!("<input id=\"{id}\"")).expect(id);
        let input = &facts.body[at..at + facts.body[at..].find('>').expect("input's end")];
        assert!(
            input.contains(&format!("value=\"{value}\"")),
            "{id}: {input}"
        );
    }
    app.post(&format!("{draft}/facts"), &SEED_FACTS)
        .assert_redirect(&format!("{draft}/check"));

    // A whole complaint posted in one request, its session gone: a new draft of the account.
    app.sql("DELETE FROM sessions");
    let mut whole = vec![
        ("provider", "kleema"),
        ("kind", "service_cut"),
        ("kind", "price_hike"),
    ];
    whole.extend(SEED_FACTS);
    let res = app.post("/complaints", &whole);
    assert_eq!(res.status, Status::Unauthorized);
    let res = log_in_carrying(&app, &res);
    assert_eq!(res.status, Status::SeeOther);
    let check = app.get(res.location());
    assert_eq!(check.status, Status::Ok);
    check.assert_contains("Service cut, Price rise");
    check.assert_contains("International calls");
    assert_eq!(app.count("complaint_drafts"), 2);
    assert_eq!(
        app.count("complaints"),
        0,
        "kept, not filed behind the person's back"
    );

    // A wrong password keeps carrying it.
    app.sql("DELETE FROM sessions");
    let res = app.post("/complaints", &whole);
    let mut wrong: Vec<(String, String)> = vec![
        ("email".into(), "amina@example.org".into()),
        ("password".into(), "not the password".into()),
    ];
    wrong.extend(
        carried(&res)
            .into_iter()
            .map(|(k, v)| (format!("carried.{k}"), v)),
    );
    let wrong: Vec<(&str, &str)> = wrong
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let again = app.post("/login", &wrong);
    assert_eq!(again.status, Status::UnprocessableEntity);
    again.assert_contains(
        "name=\"carried.title\" value=\"Line cut, still billed, and a price rise\"",
    );
}

/// The facts' dates are typed in day, month and year boxes, read as people write them; a
/// box that does not read is named and linked, kept as typed, and nothing is filed.
#[test]
fn the_facts_dates_are_typed_in_day_month_and_year_boxes() {
    let app = app_with_subscriber();
    let draft = started(&app, &["billing"]);
    let facts = app.get(&format!("{draft}/facts"));
    facts.assert_contains("<legend>Charged on");
    for id in ["charged_on", "charged_on-month", "charged_on-year"] {
        facts.assert_contains(&format!("<label for=\"{id}\">"));
    }
    facts.assert_contains("For example 7 9 2026 or 7 September 2026.");
    let typed = |month: &'static str| {
        [
            ("title", "Charged after the end"),
            ("description", "Charged after I left."),
            ("billing_issue", "after_cancellation"),
            ("charged_on-day", "5"),
            ("charged_on-month", month),
            ("charged_on-year", "2026"),
            ("charged_amount", "89"),
        ]
    };
    let res = app.post(&format!("{draft}/facts"), &typed("13"));
    assert_eq!(res.status, Status::UnprocessableEntity);
    res.assert_contains("href=\"#charged_on-month\"");
    res.assert_contains("The month must be a number from 1 to 12, or its name.");
    res.assert_contains("value=\"13\"");
    let res = app.post(&format!("{draft}/file"), &[]);
    assert_eq!(res.status, Status::UnprocessableEntity);
    res.assert_contains(&format!("href=\"{draft}/facts#charged_on-month\""));
    assert_eq!(app.count("complaints"), 0);

    app.post(&format!("{draft}/facts"), &typed("avril"))
        .assert_redirect(&format!("{draft}/check"));
    let check = app.get(&format!("{draft}/check"));
    check.assert_contains("5 April 2026");
    let res = app.post(&format!("{draft}/file"), &[]);
    assert_eq!(res.status, Status::SeeOther, "{}", res.body);
    let page = app.get(res.location());
    page.assert_contains("<dt>Charged on</dt><dd>5 April 2026</dd>");
}
