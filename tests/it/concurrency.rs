//! Many subscribers at once: every acknowledged filing is saved.

use rocket::http::{ContentType, Status};

use crate::common::{TestApp, base_figment, csrf_in, form_body, raw_cookie};
use recours::domain::account::Role;

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
