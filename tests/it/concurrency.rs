//! Many subscribers at once: every acknowledged filing is saved.

use rocket::http::{ContentType, Status};

use crate::common::{TestApp, base_figment, csrf_in, form_body, raw_cookie};
use recours::domain::account::Role;
use recours::domain::claim::ActionKind;

#[test]
fn fifty_concurrent_filings_are_all_saved() {
    let app = TestApp::new();
    app.provider("kleema", "Kleema", Some(50_000), None);
    app.logged_in_as("many@example.org", Role::Subscriber);
    let token = csrf_in(&app.get("/complaints/new").body).unwrap();
    let cookies = [
        raw_cookie(&app.client, "session").unwrap(),
        raw_cookie(&app.client, "csrf").unwrap(),
    ];

    let runtime = rocket::tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let statuses = runtime.block_on(async {
        let rocket = recours::app(base_figment(app.dir.path(), &app.database_url)).unwrap();
        let client = rocket::local::asynchronous::Client::untracked(rocket)
            .await
            .unwrap();
        let requests = (0..50).map(|i| {
            let title = format!("Outage report {i}");
            let body = form_body(&[
                ("csrf_token", &token),
                ("provider", "kleema"),
                ("kind", "service_cut"),
                ("service", "internet"),
                ("started_on", "2026-09-07"),
                ("title", &title),
                ("description", "Everything is down since this morning."),
                ("amount_claimed", "12,50"),
            ]);
            let req = client
                .post("/complaints")
                .header(ContentType::Form)
                .cookies(cookies.clone())
                .body(body);
            async move { req.dispatch().await.status() }
        });
        futures::future::join_all(requests).await
    });
    assert!(
        statuses.iter().all(|s| *s == Status::SeeOther),
        "{statuses:?}"
    );
    assert_eq!(app.count("complaints"), 50);
    assert_eq!(app.count("claims"), 50);
    assert_eq!(app.count("claim_events"), 50);
    let list = app.get("/complaints");
    for i in 0..50 {
        list.assert_contains(&format!("Outage report {i}<"));
    }
}

/// 64 clients filing, moving claims and reading the statistics at once: no error, no
/// "database is locked", and the statistics still equal a recount.
#[test]
fn sixty_four_clients_at_once_and_the_statistics_still_add_up() {
    let app = TestApp::new();
    app.provider("wana", "Wana", Some(3_000_000), None);
    app.provider("kleema", "Kleema", Some(50_000), Some("wana"));
    // Eight subscribers, each in eight browsers' worth of concurrent requests.
    let mut people = Vec::new();
    for i in 0..8 {
        let email = format!("crowd{i}@example.org");
        app.create_user(&email, Role::Subscriber);
        let client = app.another_instance();
        crate::common::login_on(&client, &email, crate::common::PASSWORD).assert_redirect("/");
        let token = csrf_in(&crate::common::send(client.get("/complaints/new")).body).unwrap();
        let cookies = [
            raw_cookie(&client, "session").unwrap(),
            raw_cookie(&client, "csrf").unwrap(),
        ];
        people.push((token, cookies));
    }

    let runtime = rocket::tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let failures = runtime.block_on(async {
        let rocket = recours::app(base_figment(app.dir.path(), &app.database_url)).unwrap();
        let client = rocket::local::asynchronous::Client::untracked(rocket)
            .await
            .unwrap();
        let client = &client;
        let tasks = (0..64).map(|i| {
            let (token, cookies) = people[i % people.len()].clone();
            async move {
                let mut failures = Vec::new();
                let mut check = |what: &str, status: Status| {
                    if status.code >= 400 {
                        failures.push(format!("client {i}: {what} answered {status}"));
                    }
                };
                let provider = if i % 3 == 0 { "wana" } else { "kleema" };
                let title = format!("Mass outage {i}");
                let body = form_body(&[
                    ("csrf_token", &token),
                    ("provider", provider),
                    ("kind", "service_cut"),
                    ("service", "internet"),
                    ("started_on", "2026-09-07"),
                    ("title", &title),
                    ("description", "Down since this morning."),
                    ("amount_claimed", "30"),
                ]);
                let res = client
                    .post("/complaints")
                    .header(ContentType::Form)
                    .cookies(cookies.clone())
                    .body(body)
                    .dispatch()
                    .await;
                check("filing", res.status());
                let Some(path) = res.headers().get_one("Location").map(str::to_string) else {
                    return failures;
                };
                let res = client
                    .get(path.clone())
                    .cookies(cookies.clone())
                    .dispatch()
                    .await;
                check("complaint page", res.status());
                let today = chrono::Utc::now().date_naive().to_string();
                for fields in [
                    vec![
                        ("csrf_token", token.as_str()),
                        ("action", ActionKind::Send.as_str()),
                        ("on", today.as_str()),
                        ("channel", "email"),
                    ],
                    vec![
                        ("csrf_token", token.as_str()),
                        ("action", ActionKind::Answer.as_str()),
                        ("on", today.as_str()),
                        ("amount", "10"),
                    ],
                ] {
                    let res = client
                        .post(format!("{path}/claim"))
                        .header(ContentType::Form)
                        .cookies(cookies.clone())
                        .body(form_body(&fields))
                        .dispatch()
                        .await;
                    check("claim move", res.status());
                }
                for uri in ["/stats", "/api/v1/stats/providers", "/stats/providers/wana"] {
                    let res = client.get(uri).dispatch().await;
                    check(uri, res.status());
                }
                failures
            }
        });
        futures::future::join_all(tasks).await.concat()
    });
    assert!(failures.is_empty(), "{failures:#?}");
    assert_eq!(app.count("complaints"), 64);
    assert_eq!(app.count("claim_events"), 64 * 3);
    let differences = recours::store::stats::verify(&mut app.conn()).unwrap();
    assert!(differences.is_empty(), "{differences:#?}");
}

/// Writes that arrive together share a commit on SQLite (group commit); each still stands
/// alone: one that fails leaves no trace, and the others are all saved.
#[test]
fn a_failed_write_among_concurrent_ones_undoes_only_itself() {
    use recours::domain::provider::ProviderInput;
    use recours::store::providers;
    use recours::web::errors::AppError;

    let app = TestApp::new();
    let runtime = rocket::tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let answers = runtime.block_on(futures::future::join_all((0..120).map(|i| {
        let db = app.db.clone();
        async move {
            db.write(move |conn| {
                let input = ProviderInput {
                    slug: format!("provider-{i}"),
                    name: format!("Provider {i}"),
                    country: "FR".into(),
                    website: None,
                    subscribers: None,
                    network: None,
                    ..Default::default()
                };
                providers::add(conn, &input).map_err(|_| AppError::Internal("not added".into()))?;
                // Every third one fails after its insert.
                if i % 3 == 0 {
                    return Err(AppError::Internal("refused after writing".into()));
                }
                Ok(i)
            })
            .await
        }
    })));
    for (i, answer) in answers.iter().enumerate() {
        assert_eq!(answer.is_ok(), i % 3 != 0, "write {i}: {answer:?}");
    }
    let mut conn = app.conn();
    let listed: Vec<String> = providers::all(&mut conn)
        .unwrap()
        .into_iter()
        .map(|p| p.slug)
        .filter(|s| s.starts_with("provider-"))
        .collect();
    assert_eq!(listed.len(), 80);
    assert!(listed.iter().all(|s| {
        let i: usize = s["provider-".len()..].parse().unwrap();
        !i.is_multiple_of(3)
    }));
}
