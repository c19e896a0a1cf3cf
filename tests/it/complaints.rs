use rocket::http::{Header, Status};

use crate::common::{PASSWORD, TestApp, login_on, post_with_token, send};
use recours::domain::account::Role;

fn app_with_subscriber() -> TestApp {
    let app = TestApp::new();
    app.provider("wana", "Wana", Some(3_000_000), None);
    app.provider("kleema", "Kleema", Some(50_000), Some("wana"));
    app.logged_in_as("amina@example.org", Role::Subscriber);
    app
}

fn is_complaint_path(path: &str) -> bool {
    path.strip_prefix("/complaints/")
        .is_some_and(|id| uuid::Uuid::parse_str(id).is_ok())
}

#[test]
fn each_kind_is_filed_end_to_end() {
    let app = app_with_subscriber();
    let form = app.get("/complaints/new");
    assert_eq!(form.status, Status::Ok);
    form.assert_contains("Kleema (FR)");

    let cut = app.filed(&[
        ("kind", "service_cut"),
        ("service", "international_calls"),
        ("started_on", "2009-09-07"),
        ("still_billed", "on"),
        ("monthly_fee", "15"),
    ]);
    assert!(is_complaint_path(&cut), "{cut}");
    let page = app.get(&cut);
    assert_eq!(page.status, Status::Ok);
    page.assert_contains("Your complaint is filed.");
    page.assert_contains("International calls");
    page.assert_contains("7 September 2009");
    page.assert_contains("Still cut");
    page.assert_contains("15.00 EUR");
    page.assert_contains("Runs on the network of Wana");
    page.assert_contains("What to do next");

    let hike = app.filed(&[
        ("kind", "price_hike"),
        ("old_price", "15"),
        ("new_price", "89"),
        ("effective_on", "2009-10-01"),
        ("announced_by", "email"),
    ]);
    let page = app.get(&hike);
    page.assert_contains("+493 %");
    page.assert_contains("By e-mail");

    let billing = app.filed(&[
        ("kind", "billing"),
        ("billing_issue", "after_cancellation"),
        ("charged_on", "2026-10-02"),
        ("charged_amount", "29.99"),
        ("currency", "MAD"),
        ("amount_claimed", "29.99"),
    ]);
    let page = app.get(&billing);
    page.assert_contains("Charged after cancellation");
    page.assert_contains("29.99 MAD");

    let other = app.filed(&[("kind", "other"), ("amount_claimed", "")]);
    app.get(&other)
        .assert_contains("You did not claim an amount");

    let list = app.get("/complaints");
    for path in [&cut, &hike, &billing, &other] {
        list.assert_contains(&format!("href=\"{path}\""));
    }
    assert_eq!(app.count("complaints"), 4);
    assert_eq!(app.count("claims"), 3, "no claim without an amount");
}

#[test]
fn amounts_take_the_french_decimal_comma() {
    let app = app_with_subscriber();
    let path = app.filed(&[("amount_claimed", "89,50")]);
    app.get(&path).assert_contains("89.50 EUR");
    let fr = send(
        app.client
            .get(path.clone())
            .header(Header::new("Accept-Language", "fr")),
    );
    fr.assert_contains("89,50 EUR");
}

#[test]
fn every_bad_field_is_answered_and_nothing_is_saved() {
    let app = app_with_subscriber();
    type Case<'a> = (Vec<(&'a str, &'a str)>, &'a str, &'a str);
    let cases: Vec<Case> = vec![
        (vec![("provider", "")], "provider", "Choose your provider"),
        (
            vec![("provider", "nosuchprovider")],
            "provider",
            "This provider is not in the list.",
        ),
        (vec![("kind", "")], "kind", "Enter this information."),
        (
            vec![("kind", "flood")],
            "kind",
            "Choose one of the options offered.",
        ),
        (vec![("title", "  ")], "title", "Enter this information."),
        (
            vec![("description", "")],
            "description",
            "Enter this information.",
        ),
        (
            vec![("amount_claimed", "89.999")],
            "amount_claimed",
            "Too many digits",
        ),
        (
            vec![("amount_claimed", "lots")],
            "amount_claimed",
            "Enter an amount like 89,50",
        ),
        (
            vec![("amount_claimed", "-5")],
            "amount_claimed",
            "cannot be negative",
        ),
        (
            vec![("currency", "XXX")],
            "currency",
            "Choose one of the options offered.",
        ),
        (
            vec![
                ("kind", "service_cut"),
                ("service", "mobile"),
                ("started_on", "2999-01-01"),
            ],
            "started_on",
            "in the future",
        ),
        (
            vec![
                ("kind", "service_cut"),
                ("service", "mobile"),
                ("started_on", "07/09/2009"),
            ],
            "started_on",
            "Enter a date like",
        ),
        (
            vec![
                ("kind", "service_cut"),
                ("service", "mobile"),
                ("started_on", "2026-10-10"),
                ("ended_on", "2026-10-01"),
            ],
            "ended_on",
            "before the start date",
        ),
        (
            vec![("kind", "service_cut"), ("started_on", "2026-10-10")],
            "service",
            "Enter this information.",
        ),
        (
            vec![
                ("kind", "price_hike"),
                ("old_price", "20"),
                ("new_price", "10"),
                ("effective_on", "2026-01-01"),
                ("announced_by", "none"),
            ],
            "new_price",
            "must be higher",
        ),
        (
            vec![
                ("kind", "billing"),
                ("billing_issue", "double_charge"),
                ("charged_on", "2026-01-01"),
            ],
            "charged_amount",
            "Enter this information.",
        ),
    ];
    for (fields, field, message) in cases {
        let res = app.file(&fields);
        assert_eq!(res.status, Status::UnprocessableEntity, "{fields:?}");
        // The page of the step that asks the field, the error beside it and in the summary.
        res.assert_contains(message);
        res.assert_contains(&format!("id=\"{field}-error\""));
        res.assert_contains(&format!("href=\"#{field}\""));
        // The user's values come back: kept as a draft, on whichever step asks them.
        if field != "title" {
            let draft = crate::common::after(&res.body, "action=\"/complaints/drafts/");
            let draft = draft.rsplit_once('/').map_or(draft.as_str(), |(d, _)| d);
            app.get(&format!("/complaints/drafts/{draft}/facts"))
                .assert_contains("value=\"Line cut and still billed\"");
        }
    }
    let long = "x".repeat(5001);
    let res = app.file(&[("description", &long)]);
    assert_eq!(res.status, Status::UnprocessableEntity);
    res.assert_contains("This is too long.");
    assert_eq!(app.count("complaints"), 0);
    assert_eq!(app.count("claims"), 0);
    assert_eq!(app.count("claim_events"), 0);
}

#[test]
fn text_comes_back_escaped_everywhere() {
    let app = app_with_subscriber();
    let evil = "<script>alert('x')</script>";
    let path = app.filed(&[
        ("title", evil),
        ("description", evil),
        ("contract_ref", evil),
        ("kind", "other"),
    ]);
    for page in [
        app.get(&path),
        app.get("/complaints"),
        app.get(&format!("{path}/letter")),
    ] {
        assert_eq!(page.status, Status::Ok);
        assert!(!page.body.contains("<script>"), "{}", page.body);
        page.assert_contains("&#60;script&#62;");
    }
    let res = app.file(&[("title", evil), ("description", "")]);
    assert!(!res.body.contains("<script>"));
    let pending = app.filed(&[("provider", "other"), ("provider_other", evil)]);
    let page = app.get(&pending);
    assert!(!page.body.contains("<script>"));
    page.assert_contains("&#60;script&#62;");
}

#[test]
fn an_unlisted_provider_becomes_pending_until_an_admin_reviews_it() {
    let app = app_with_subscriber();
    let path = app.filed(&[("provider", "other"), ("provider_other", "Télé Maghreb")]);
    app.get(&path)
        .assert_contains("not yet checked by our team");
    // Not offered to others until approved.
    assert!(!app.get("/complaints/new").body.contains("Télé Maghreb"));

    app.create_user("root@example.org", Role::Admin);
    let admin = app.another_instance();
    login_on(&admin, "root@example.org", PASSWORD).assert_redirect("/");
    let list = send(admin.get("/admin/providers"));
    list.assert_contains("Télé Maghreb");
    list.assert_contains("Pending");
    post_with_token(
        &admin,
        "/admin/providers/tele-maghreb",
        &[
            ("slug", "tele-maghreb"),
            ("name", "Télé Maghreb"),
            ("country", "MA"),
            ("subscribers", "120000"),
            ("network", ""),
        ],
    )
    .assert_redirect("/admin/providers");
    assert!(
        app.get("/complaints/new")
            .body
            .contains("Télé Maghreb (MA)")
    );

    // Merging moves its complaints to the other provider.
    post_with_token(
        &admin,
        "/admin/providers/merge",
        &[("from", "tele-maghreb"), ("into", "wana")],
    )
    .assert_redirect("/admin/providers");
    app.get(&path).assert_contains("Wana");
    let bad = post_with_token(
        &admin,
        "/admin/providers/merge",
        &[("from", "wana"), ("into", "wana")],
    );
    assert_eq!(bad.status, Status::UnprocessableEntity);
    bad.assert_contains("Choose two different providers.");
}

/// The seed case's facts: the line cut while billed, and a price rise of about 500 % whose
/// notice never came, with one claim of 89 EUR.
pub const SEED_CASE: [(&str, &str); 15] = [
    ("provider", "kleema"),
    ("kind", "service_cut"),
    ("kind", "price_hike"),
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
];

#[test]
fn one_complaint_carries_two_problems_under_one_claim() {
    let app = app_with_subscriber();
    let res = app.post("/complaints", &SEED_CASE);
    assert_eq!(res.status, Status::SeeOther, "{}", res.body);
    let path = res.location().to_string();
    let page = app.get(&path);
    page.assert_contains("Service cut, Price rise");
    page.assert_contains("International calls");
    page.assert_contains("7 September 2009");
    page.assert_contains("+493 %");
    page.assert_contains("By e-mail");
    page.assert_contains("89.00 EUR");
    assert_eq!(app.count("complaints"), 1);
    assert_eq!(app.count("complaint_problems"), 2);
    assert_eq!(app.count("claims"), 1, "one refund claim for both problems");
    app.get("/complaints")
        .assert_contains("Service cut, Price rise");
    let letter = app.get(&format!("{path}/letter"));
    // The letter writes the facts as sentences: "… my international calls service …".
    letter.assert_contains("international calls");
    letter.assert_contains("rose by 493 %");
    app.assert_stats_verified();
}

#[test]
fn several_problems_count_once_in_totals_and_under_each_kind() {
    let app = app_with_subscriber();
    // Five, so that the split by kind is published.
    for _ in 0..5 {
        assert_eq!(app.post("/complaints", &SEED_CASE).status, Status::SeeOther);
    }
    app.filed(&[
        ("kind", "billing"),
        ("billing_issue", "double_charge"),
        ("charged_on", "2026-10-02"),
        ("charged_amount", "5"),
    ]);
    let doc = crate::stats::json(&app.get("/api/v1/stats/providers"));
    let kleema = doc["providers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["slug"] == "kleema")
        .unwrap();
    assert_eq!(kleema["complaints"], 6, "{kleema:#}");
    assert_eq!(kleema["by_kind"]["service_cut"], 5);
    assert_eq!(kleema["by_kind"]["price_hike"], 5);
    assert_eq!(kleema["by_kind"]["billing"], 1);
    assert_eq!(kleema["claims"]["total"], 6);
    assert_eq!(kleema["claims"]["claimed"]["EUR"], 6 * 8900);
    // A selection of one kind takes every complaint that has it.
    for kind in ["service_cut", "price_hike"] {
        let doc = crate::stats::json(&app.get(&format!("/api/v1/stats/providers?kind={kind}")));
        assert_eq!(doc["providers"][0]["complaints"], 5, "{kind}: {doc:#}");
    }
    let doc = crate::stats::json(&app.get("/api/v1/stats/providers?kind=billing"));
    assert_eq!(doc["providers"][0]["complaints"], 1);
    app.assert_stats_verified();
}

#[test]
fn a_fact_of_a_problem_not_chosen_is_named_never_dropped() {
    let app = app_with_subscriber();
    let res = app.file(&[
        ("kind", "service_cut"),
        ("service", "mobile"),
        ("started_on", "2026-09-07"),
        ("old_price", "15"),
        ("notice_received", "on"),
    ]);
    assert_eq!(res.status, Status::UnprocessableEntity);
    res.assert_contains("This belongs to a problem you did not tick");
    res.assert_contains("href=\"#old_price\"");
    res.assert_contains("href=\"#notice_received\"");
    // What was typed comes back: the price rise's facts shown although it is not ticked,
    // and the problem chosen still ticked.
    res.assert_contains("value=\"15\"");
    let draft = crate::common::after(&res.body, "action=\"/complaints/drafts/");
    let draft = draft.rsplit_once('/').map_or(draft.as_str(), |(d, _)| d);
    app.get(&format!("/complaints/drafts/{draft}/problems"))
        .assert_contains("value=\"service_cut\" checked");
    assert_eq!(app.count("complaints"), 0);
    assert_eq!(app.count("complaint_problems"), 0);

    let mut twice = SEED_CASE.to_vec();
    twice.push(("kind", "price_hike"));
    let res = app.post("/complaints", &twice);
    assert_eq!(res.status, Status::UnprocessableEntity);
    res.assert_contains("Each problem can be chosen only once.");
    // Any other field sent twice leaves a value unread: the form is refused.
    let mut title_twice = SEED_CASE.to_vec();
    title_twice.push(("title", "another"));
    assert_eq!(
        app.post("/complaints", &title_twice).status,
        Status::BadRequest
    );
    assert_eq!(app.count("complaints"), 0);
}
