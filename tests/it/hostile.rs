//! Hostile input on every form and query string: arbitrary text, huge fields, broken
//! encodings, missing and repeated fields. Never a 5xx, and a refused request stores nothing.

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use rocket::http::{ContentType, Status};

use crate::common::{PASSWORD, Resp, TestApp, encode, send, token_of};
use recours::domain::account::Role;

const TABLES: [&str; 9] = [
    "users",
    "sessions",
    "providers",
    "complaints",
    "claims",
    "claim_events",
    "attachments",
    "stat_counts",
    // Last: the password routes leave it out of the comparison.
    "login_failures",
];

fn counts(app: &TestApp) -> Vec<i64> {
    TABLES.iter().map(|t| app.count(t)).collect()
}

/// A field value an attacker might send.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "\\PC{0,40}",
        2 => Just(String::new()),
        1 => Just("x".repeat(70_000)),
        1 => Just("<script>alert(1)</script>".to_string()),
        1 => Just("2026-02-30".to_string()),
        1 => Just("-1e309".to_string()),
        1 => Just("'; DROP TABLE users; --".to_string()),
        1 => Just("nul\0byte".to_string()),
        1 => "[0-9]{1,30}([.,][0-9]{0,5})?",
    ]
}

/// A form body built from these fields: some left out, some repeated, some values sent
/// with a broken percent-encoding.
fn body() -> impl Strategy<Value = Vec<(String, String, u8)>> {
    let names = prop_oneof![
        Just("email"),
        Just("password"),
        Just("password_confirm"),
        Just("provider"),
        Just("provider_other"),
        Just("kind"),
        Just("title"),
        Just("description"),
        Just("amount_claimed"),
        Just("currency"),
        Just("started_on"),
        Just("ended_on"),
        Just("service"),
        Just("old_price"),
        Just("new_price"),
        Just("effective_on"),
        Just("announced_by"),
        Just("action"),
        Just("on"),
        Just("amount"),
        Just("channel"),
        Just("outcome"),
        Just("body"),
        Just("note"),
        Just("slug"),
        Just("name"),
        Just("country"),
        Just("subscribers"),
        Just("network"),
        Just("from"),
        Just("into"),
        Just("role"),
        Just("current_password"),
        Just("new_password"),
        Just("new_password_confirm"),
        Just("delete_password"),
        Just("next"),
        Just("share_with_associations"),
    ];
    proptest::collection::vec((names.prop_map(str::to_string), value(), 0..10u8), 0..14)
}

fn encoded(fields: &[(String, String, u8)], token: &str) -> String {
    let mut parts = vec![format!("csrf_token={token}")];
    for (name, value, twist) in fields {
        let v = match twist {
            0 => "%FF%FE%G1".to_string(),
            1 => format!("{}%", encode(value)),
            _ => encode(value),
        };
        parts.push(format!("{}={v}", encode(name)));
        if *twist == 2 {
            parts.push(format!("{}={v}", encode(name)));
        }
    }
    parts.join("&")
}

fn check(what: &str, res: &Resp) -> Result<(), TestCaseError> {
    prop_assert!(
        res.status.code < 500,
        "{what}: {} {}",
        res.status,
        &res.body[..res.body.len().min(400)]
    );
    Ok(())
}

#[test]
fn forms_never_fail_and_refusals_store_nothing() {
    let app = TestApp::new();
    app.provider("kleema", "Kleema", Some(50_000), None);
    app.logged_in_as("root@example.org", Role::Admin);
    let path = app.filed(&[]);
    let token = token_of(&app.client);
    let routes = [
        "/register".to_string(),
        "/login".to_string(),
        "/complaints".to_string(),
        format!("{path}/claim"),
        "/account/password".to_string(),
        "/admin/providers".to_string(),
        "/admin/providers/merge".to_string(),
        "/admin/providers/kleema".to_string(),
        "/admin/users/role".to_string(),
        format!("{path}/attachments"),
    ];
    let mut runner = TestRunner::new(Config {
        cases: 120,
        ..Config::default()
    });
    runner
        .run(&(0..routes.len(), body()), |(route, fields)| {
            let before = counts(&app);
            let body = encoded(&fields, &token);
            let res = send(
                app.client
                    .post(routes[route].clone())
                    .header(ContentType::Form)
                    .body(body),
            );
            check(&routes[route], &res)?;
            if res.status.code >= 400 {
                let mut after = counts(&app);
                let mut before = before;
                // A wrong password is one attempt counted against the lock-out, by design.
                if ["/login", "/account/password"].contains(&routes[route].as_str()) {
                    after.pop();
                    before.pop();
                }
                prop_assert_eq!(
                    after,
                    before,
                    "{} refused with {} but stored something",
                    routes[route],
                    res.status
                );
            }
            // Whatever happened, the admin is still logged in for the next case.
            if app.get("/account").status != Status::Ok {
                app.login("root@example.org", PASSWORD);
            }
            Ok(())
        })
        .unwrap();
    let differences = recours::store::stats::verify(&mut app.conn()).unwrap();
    assert!(differences.is_empty(), "{differences:#?}");
}

#[test]
fn query_strings_never_fail() {
    let app = TestApp::new();
    app.provider("kleema", "Kleema", Some(50_000), None);
    app.logged_in_as("rev@example.org", Role::Reviewer);
    let routes = [
        "/stats",
        "/stats/providers/kleema",
        "/stats/providers.csv",
        "/api/v1/stats/providers",
        "/api/v1/stats/providers/kleema",
        "/review",
        "/review/complaints.csv",
        "/login",
        "/lang/fr",
        "/complaints/new",
    ];
    let names = [
        "from", "to", "kind", "country", "provider", "q", "page", "next", "x",
    ];
    let mut runner = TestRunner::new(Config {
        cases: 150,
        ..Config::default()
    });
    runner
        .run(
            &(
                0..routes.len(),
                proptest::collection::vec((0..names.len(), value(), 0..10u8), 0..6),
            ),
            |(route, fields)| {
                let query: Vec<String> = fields
                    .iter()
                    .map(|(n, v, twist)| match twist {
                        0 => format!("{}=%FF%00%", names[*n]),
                        _ => format!("{}={}", names[*n], encode(&v[..v.len().min(3000)])),
                    })
                    .collect();
                let uri = format!("{}?{}", routes[route], query.join("&"));
                let res = send(app.client.get(uri.clone()));
                check(&uri, &res)
            },
        )
        .unwrap();
}

/// Found by `query_strings_never_fail` on PostgreSQL's run: a logged-in visitor sent to
/// `/login?next=/𝕒` got 500, the redirect refusing an address that is not a valid URI.
#[test]
fn a_next_address_that_is_not_a_uri_leads_home() {
    let app = TestApp::new();
    app.logged_in_as("rev@example.org", Role::Reviewer);
    app.get("/login?next=%2F%F0%9D%95%92").assert_redirect("/");
    app.get("/lang/en?next=%2F%F0%9D%95%92")
        .assert_redirect("/");
    app.get("/login?next=%2Fstats%3Fkind%3Dother")
        .assert_redirect("/stats?kind=other");
}
