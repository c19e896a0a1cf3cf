//! Mass incidents through HTTP: the seed event declared, updated, joined with the pro-rata
//! calculator, its live figures against a recount, and every refusal leaving nothing changed.

use rocket::http::Status;
use rocket::local::blocking::Client;

use crate::common::{Resp, TestApp, after, claim_move_on, days_ago, post_with_token, send};
use recours::domain::account::Role;
use recours::domain::claim::ActionKind;

/// Kleema on Wana's network, a reviewer's browser, and the declared seed incident's path.
fn seed_incident() -> (TestApp, Client, String) {
    let app = TestApp::new();
    app.provider("wana", "Wana", None, None);
    app.provider("kleema", "Kleema", Some(50_000), Some("wana"));
    let reviewer = app.client_as("ufc@example.org", Role::Reviewer);
    let res = post_with_token(
        &reviewer,
        "/incidents",
        &[
            ("provider", "kleema"),
            ("network", "wana"),
            ("service", "international_calls"),
            ("title", "Calls to Morocco cut"),
            ("description", "Wana cut the link on 7 September."),
            ("sources", "Interview, 2009"),
            ("started_on", "2009-09-07"),
        ],
    );
    assert_eq!(res.status, Status::SeeOther, "{}", res.body);
    let path = res.location().to_string();
    assert!(path.starts_with("/incidents/"), "{path}");
    (app, reviewer, path)
}

fn join_fields<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut all = vec![
        ("monthly_fee", "30"),
        ("currency", "EUR"),
        ("still_billed", "on"),
        ("contract_ref", "KL-1"),
    ];
    for (k, v) in extra {
        all.retain(|(key, _)| key != k);
        all.push((k, v));
    }
    all
}

/// Joins through both screens; returns the second screen and the filing's answer.
fn join(client: &Client, path: &str, extra: &[(&str, &str)]) -> (Resp, Resp) {
    let fields = join_fields(extra);
    let screen1: Vec<_> = fields
        .iter()
        .filter(|(k, _)| *k != "amount_claimed")
        .copied()
        .collect();
    let review = post_with_token(client, &format!("{path}/join/calculate"), &screen1);
    let mut filing = fields.clone();
    let proposed = review
        .body
        .split("name=\"amount_claimed\"")
        .nth(1)
        .map(|input| after(input, "value=\""));
    if let Some(proposed) = proposed
        && !fields.iter().any(|(k, _)| *k == "amount_claimed")
    {
        filing.push(("amount_claimed", Box::leak(proposed.into_boxed_str())));
    }
    let filed = post_with_token(client, &format!("{path}/join"), &filing);
    (review, filed)
}

fn api(app: &TestApp, path: &str) -> serde_json::Value {
    let res = app.get(&format!("/api/v1{path}"));
    assert_eq!(res.status, Status::Ok, "{}", res.body);
    let value = crate::stats::json(&res);
    let schema = if path == "/incidents" {
        "IncidentsResponse"
    } else {
        "IncidentDetail"
    };
    crate::stats::assert_matches_openapi(&value, schema);
    value
}

fn figures_match_recount(app: &TestApp, path: &str) {
    let id = path.trim_start_matches("/incidents/");
    let mut conn = app.conn();
    let stored = recours::store::incidents::figures(&mut conn, id).unwrap();
    let recounted = recours::store::incidents::recount(&mut conn, id).unwrap();
    assert_eq!(stored, recounted);
}

#[test]
fn the_seed_incident_is_declared_restored_in_part_and_joined_with_the_calculator() {
    let (app, reviewer, path) = seed_incident();
    let page = app.get(&path);
    page.assert_contains("Calls to Morocco cut");
    page.assert_contains("Ongoing");
    page.assert_contains("Incident declared");
    page.assert_contains("Wana");
    app.get("/incidents").assert_contains(&path);

    // The court ruling: half the service back on 1 October, all of it on 1 November.
    let res = post_with_token(
        &reviewer,
        &format!("{path}/update"),
        &[
            ("started_on", "2009-09-07"),
            ("partly_restored_on", "2009-10-01"),
            ("restored_share", "50"),
            ("restored_on", "2009-11-01"),
            ("note", "Summary court ruling"),
        ],
    );
    res.assert_redirect(&path);
    let page = app.get(&path);
    page.assert_contains("Partly restored");
    page.assert_contains("Fully restored");
    page.assert_contains("Summary court ruling");
    page.assert_contains("50 % of the service back");

    // Six subscribers join; the calculator proposes 24/30 of September and half of October.
    let mut complaints = Vec::new();
    for n in 0..6 {
        let client = app.client_as(&format!("s{n}@example.org"), Role::Subscriber);
        let extra: Vec<(&str, &str)> = if n == 5 {
            vec![("amount_claimed", "45"), ("still_billed", "")]
        } else {
            vec![]
        };
        let (review, filed) = join(&client, &path, &extra);
        assert_eq!(review.status, Status::Ok, "{}", review.body);
        review.assert_contains("24 days without service and 0 days partly restored");
        review.assert_contains(
            "0 days without service and 31 days partly restored (50 % back) out of 31",
        );
        review.assert_contains("39.00 EUR");
        assert_eq!(filed.status, Status::SeeOther, "{}", filed.body);
        let complaint = filed.location().to_string();
        assert!(complaint.starts_with("/complaints/"), "{complaint}");
        let mine = send(client.get(complaint.clone()));
        mine.assert_contains("Calls to Morocco cut");
        mine.assert_contains("KL-1");
        // Joining twice is refused, nothing filed.
        let before = app.count("complaints");
        let (again, _) = join(&client, &path, &[]);
        assert_eq!(again.status, Status::Conflict);
        again.assert_contains("You already joined this incident.");
        assert_eq!(app.count("complaints"), before);
        complaints.push((client, complaint));
    }

    // One of them is refunded: the incident's refunded figure follows the claim.
    let (client, complaint) = &complaints[0];
    let res = claim_move_on(
        client,
        complaint,
        ActionKind::Resolve,
        &[
            ("on", &days_ago(1)),
            ("outcome", "partial_refund"),
            ("amount", "20"),
        ],
    );
    res.assert_redirect(complaint);

    let json = api(&app, &path);
    assert_eq!(json["joined"], 6);
    assert_eq!(json["still_billed"], 5);
    assert_eq!(json["claimed"]["EUR"], 5 * 3900 + 4500);
    assert_eq!(json["refunded"]["EUR"], 2000);
    assert_eq!(json["restored_share"], 50);
    assert_eq!(json["partly_restored_on"], "2009-10-01");
    assert_eq!(json["timeline"].as_array().unwrap().len(), 3);
    let list = api(&app, "/incidents");
    assert_eq!(list["incidents"][0]["joined"], 6);
    let page = app.get(&path);
    page.assert_contains("240.00 EUR");
    page.assert_contains("20.00 EUR");
    figures_match_recount(&app, &path);
    app.assert_stats_verified();
}

#[test]
fn bad_joins_are_refused_and_change_nothing() {
    let (app, reviewer, path) = seed_incident();
    post_with_token(
        &reviewer,
        &format!("{path}/update"),
        &[("started_on", "2009-09-07"), ("restored_on", "2009-11-01")],
    )
    .assert_redirect(&path);
    let client = app.client_as("late@example.org", Role::Subscriber);
    for (extra, message) in [
        (
            vec![("monthly_fee", "0")],
            "The monthly fee must be more than zero.",
        ),
        (vec![("monthly_fee", "abc")], "monthly_fee-error"),
        (
            vec![("started_on", "2009-08-01")],
            "Your dates must lie within the incident",
        ),
        (
            vec![("ended_on", "2009-12-01")],
            "Your dates must lie within the incident",
        ),
    ] {
        let res = post_with_token(
            &client,
            &format!("{path}/join/calculate"),
            &join_fields(&extra),
        );
        assert_eq!(res.status, Status::UnprocessableEntity, "{extra:?}");
        res.assert_contains(message);
        // Posting straight to the filing step with the same values files nothing either.
        let res = post_with_token(&client, &format!("{path}/join"), &join_fields(&extra));
        assert_eq!(res.status, Status::UnprocessableEntity, "{extra:?}");
    }
    let res = post_with_token(
        &client,
        &format!("{path}/join"),
        &join_fields(&[("amount_claimed", "-4")]),
    );
    assert_eq!(res.status, Status::UnprocessableEntity);
    res.assert_contains("Your refund");
    assert_eq!(app.count("complaints"), 0);

    // Closed: no one joins any more, and its dates no longer move.
    post_with_token(
        &reviewer,
        &format!("{path}/update"),
        &[
            ("started_on", "2009-09-07"),
            ("restored_on", "2009-11-01"),
            ("close", "on"),
        ],
    )
    .assert_redirect(&path);
    let (res, filed) = join(&client, &path, &[]);
    assert_eq!(res.status, Status::Conflict);
    assert_eq!(filed.status, Status::Conflict);
    filed.assert_contains("This incident is closed to new subscribers.");
    let res = post_with_token(
        &reviewer,
        &format!("{path}/update"),
        &[("started_on", "2009-09-01")],
    );
    assert_eq!(res.status, Status::UnprocessableEntity);
    assert_eq!(app.count("complaints"), 0);
    assert_eq!(app.count("incident_members"), 0);
    let json = api(&app, &path);
    assert_eq!(json["started_on"], "2009-09-07");
    assert_eq!(json["joined"], 0);
    assert!(json["claimed"].is_null(), "hidden below five subscribers");
}

#[test]
fn only_reviewers_and_admins_declare_and_update() {
    let (app, _reviewer, path) = seed_incident();
    let subscriber = app.client_as("sub@example.org", Role::Subscriber);
    let fields = [
        ("provider", "kleema"),
        ("service", "mobile"),
        ("title", "Another"),
        ("started_on", "2010-01-01"),
    ];
    assert_eq!(
        post_with_token(&subscriber, "/incidents", &fields).status,
        Status::Forbidden
    );
    assert_eq!(
        send(subscriber.get("/incidents/new")).status,
        Status::Forbidden
    );
    let res = post_with_token(
        &subscriber,
        &format!("{path}/update"),
        &[("started_on", "2009-01-01")],
    );
    assert_eq!(res.status, Status::Forbidden);
    let admin = app.client_as("admin@example.org", Role::Admin);
    let bad = post_with_token(
        &admin,
        "/incidents",
        &[
            ("provider", "nobody"),
            ("service", "mobile"),
            ("title", "Another"),
            ("started_on", "2010-01-01"),
            ("partly_restored_on", "2010-01-05"),
            ("restored_share", "150"),
        ],
    );
    assert_eq!(bad.status, Status::UnprocessableEntity);
    bad.assert_contains("Give a whole percent from 1 to 99.");
    let unknown = post_with_token(
        &admin,
        "/incidents",
        &[
            ("provider", "nobody"),
            ("service", "mobile"),
            ("title", "Another"),
            ("started_on", "2010-01-01"),
        ],
    );
    assert_eq!(unknown.status, Status::UnprocessableEntity);
    assert_eq!(app.count("incidents"), 1);
    assert_eq!(
        post_with_token(&admin, "/incidents", &fields).status,
        Status::SeeOther
    );
    assert_eq!(app.count("incidents"), 2);
    // Anonymous visitors read incidents but cannot join.
    let anonymous = app.get(&format!("{path}/join"));
    assert_eq!(anonymous.status, Status::SeeOther);
    assert!(anonymous.location().starts_with("/login"));
    assert_eq!(app.get("/incidents/not-an-id").status, Status::NotFound);
    assert_eq!(
        app.get("/api/v1/incidents/00000000-0000-0000-0000-000000000000")
            .status,
        Status::NotFound
    );
    let openapi = app.get("/api/v1/openapi.json");
    openapi.assert_contains("/api/v1/incidents/{id}");
}

#[test]
fn the_command_line_declares_an_incident_as_the_form_does() {
    use crate::cli::{recours, stderr};
    let app = TestApp::new();
    app.provider("wana", "Wana", None, None);
    app.provider("kleema", "Kleema", Some(50_000), Some("wana"));
    let args = [
        "incident",
        "declare",
        "--provider",
        "kleema",
        "--service",
        "international_calls",
        "--from",
        "2009-09-07",
        "--network",
        "wana",
    ];
    let out = recours(&app, &args, "");
    assert!(out.status.success(), "{}", stderr(&out));
    let list = api(&app, "/incidents");
    assert_eq!(list["incidents"][0]["network"], "Wana");
    assert_eq!(list["incidents"][0]["started_on"], "2009-09-07");
    assert_eq!(
        list["incidents"][0]["title"],
        "kleema: international_calls cut since 2009-09-07"
    );
    let mut bad = args;
    bad[7] = "2009-13-01";
    let out = recours(&app, &bad, "");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--from"), "{}", stderr(&out));
    let mut unknown = args;
    unknown[3] = "nobody";
    let out = recours(&app, &unknown, "");
    assert!(!out.status.success());
    assert_eq!(app.count("incidents"), 1);
}

#[test]
fn a_spike_of_complaints_is_an_alert_the_day_it_starts_and_leads_to_a_declaration() {
    let app = TestApp::new();
    app.provider("wana", "Wana", None, None);
    app.provider("kleema", "Kleema", Some(50_000), Some("wana"));
    let reviewer = app.client_as("ufc@example.org", Role::Reviewer);
    // Wana's steady 30 complaints a day for four weeks, planted in its counters.
    let wana: String = {
        use diesel::prelude::*;
        use recours::db::schema::providers;
        providers::table
            .filter(providers::slug.eq("wana"))
            .select(providers::id)
            .first(&mut *app.conn())
            .unwrap()
    };
    let today = chrono::Utc::now().date_naive();
    for back in 1..=28 {
        let day = today - chrono::Duration::days(back);
        app.sql(&format!(
            "INSERT INTO daily_counts (provider_id, day, value) VALUES ('{wana}', '{day}', 30)"
        ));
    }
    app.logged_in_as("filer@example.org", Role::Subscriber);
    for _ in 0..19 {
        app.filed(&[("provider", "kleema")]);
    }
    // 19 is not enough, and Wana's 31 today is its usual.
    for _ in 0..31 {
        app.filed(&[("provider", "wana")]);
    }
    let page = send(reviewer.get("/review/alerts"));
    assert_eq!(page.status, Status::Ok);
    page.assert_contains("No alert.");
    app.filed(&[("provider", "kleema")]);
    let page = send(reviewer.get("/review/alerts"));
    page.assert_contains("Kleema");
    assert!(
        !page.body.contains(">Wana<"),
        "a steady provider raises none"
    );
    let link = format!("/incidents/new?provider=kleema&amp;from={today}");
    page.assert_contains(&link);
    let form = send(reviewer.get(link.replace("&amp;", "&")));
    assert_eq!(form.status, Status::Ok);
    form.assert_contains(&format!("value=\"{today}\""));
    form.assert_contains("<option value=\"kleema\" selected>");
    // Subscribers do not see alerts.
    assert_eq!(app.get("/review/alerts").status, Status::Forbidden);
    // The counters the detector reads equal a recount (Wana's planted days aside).
    let mut conn = app.conn();
    let stored = recours::store::alerts::stored(&mut conn).unwrap();
    let recounted = recours::store::alerts::recount(&mut conn).unwrap();
    let stored: std::collections::BTreeMap<_, _> = stored
        .into_iter()
        .filter(|((_, d), _)| *d == today)
        .collect();
    assert_eq!(stored, recounted);
}

/// The subscriber's own dates are typed in day, month and year boxes, carried through the
/// second screen, and a box that does not read is named with nothing filed.
#[test]
fn joining_types_ones_own_dates_in_boxes() {
    let (app, _, path) = seed_incident();
    let client = app.client_as("boxes@example.org", Role::Subscriber);
    let form = send(client.get(format!("{path}/join")));
    form.assert_contains("name=\"started_on-day\"");
    assert!(!form.body.contains("type=\"date\""));
    let boxes = |month: &'static str| {
        join_fields(&[
            ("started_on-day", "10"),
            ("started_on-month", month),
            ("started_on-year", "2009"),
        ])
    };
    let res = post_with_token(&client, &format!("{path}/join/calculate"), &boxes("sept"));
    assert_eq!(res.status, Status::Ok, "{}", res.body);
    res.assert_contains("name=\"started_on-month\" value=\"sept\"");
    let res = post_with_token(&client, &format!("{path}/join/calculate"), &boxes("13"));
    assert_eq!(res.status, Status::UnprocessableEntity);
    res.assert_contains("href=\"#started_on-month\"");
    res.assert_contains("The month must be a number from 1 to 12, or its name.");
    assert_eq!(app.count("complaints"), 0);
}
