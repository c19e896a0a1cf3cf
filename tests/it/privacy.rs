//! Nobody but the owner (and admins) sees a complaint, its evidence or its letters.

use rocket::http::Status;

use crate::common::{PASSWORD, PDF, TestApp, claim_move_on, login_on, post_with_token, send};
use recours::domain::account::Role;
use recours::domain::claim::ActionKind;

#[test]
fn another_subscriber_gets_404_everywhere_and_a_visitor_is_sent_to_log_in() {
    let app = TestApp::new();
    app.provider("kleema", "Kleema", None, None);
    app.logged_in_as("owner@example.org", Role::Subscriber);
    let path = app.filed(&[]);
    app.upload(&path, "bill.pdf", PDF)
        .assert_redirect(&format!("{path}#evidence"));
    let page = app.get(&path);
    let attachment = crate::common::after(&page.body, &format!("{path}/attachments/"));
    let attachment_path = format!("{path}/attachments/{attachment}");
    assert_eq!(app.get(&attachment_path).status, Status::Ok);

    app.create_user("other@example.org", Role::Subscriber);
    let other = app.another_instance();
    login_on(&other, "other@example.org", PASSWORD).assert_redirect("/");
    let gets = [
        path.clone(),
        format!("{path}/letter"),
        format!("{path}/letter?to=mediator"),
        format!("{path}/claim/send"),
        attachment_path.clone(),
        "/complaints/00000000-0000-0000-0000-000000000000".to_string(),
        "/complaints/not-a-uuid".to_string(),
    ];
    for uri in &gets {
        let res = send(other.get(uri.clone()));
        assert_eq!(res.status, Status::NotFound, "{uri}");
        assert!(!res.body.contains("Line cut"), "{uri}");
    }
    let claim = claim_move_on(&other, &path, ActionKind::Withdraw, &[("on", "2026-01-01")]);
    assert_eq!(claim.status, Status::NotFound);
    assert!(!send(other.get("/complaints")).body.contains(&path));
    assert_eq!(app.count("claim_events"), 1);

    let visitor = app.another_instance();
    for uri in &gets[..5] {
        let res = send(visitor.get(uri.clone()));
        assert_eq!(res.status, Status::SeeOther, "{uri}");
        assert!(res.location().starts_with("/login?next="), "{uri}");
    }
    assert_eq!(
        send(visitor.get("/complaints")).location(),
        "/login?next=%2Fcomplaints"
    );
    assert_eq!(
        send(visitor.get("/complaints/new")).location(),
        "/login?next=%2Fcomplaints%2Fnew"
    );

    app.create_user("admin@example.org", Role::Admin);
    let admin = app.another_instance();
    login_on(&admin, "admin@example.org", PASSWORD).assert_redirect("/");
    assert_eq!(send(admin.get(path.clone())).status, Status::Ok);
    assert_eq!(send(admin.get(attachment_path)).status, Status::Ok);
}

#[test]
fn the_export_holds_the_persons_data_and_only_theirs() {
    let app = TestApp::new();
    app.provider("kleema", "Kleema", None, None);
    app.create_user("someone@example.org", Role::Subscriber);
    let someone = app.another_instance();
    login_on(&someone, "someone@example.org", PASSWORD).assert_redirect("/");
    post_with_token(
        &someone,
        "/complaints",
        &[
            ("provider", "kleema"),
            ("kind", "other"),
            ("title", "Not yours"),
            ("description", "x"),
            ("amount_claimed", "5"),
        ],
    );

    app.logged_in_as("me@example.org", Role::Subscriber);
    let path = app.filed(&[
        ("kind", "price_hike"),
        ("old_price", "15"),
        ("new_price", "89"),
        ("effective_on", "2009-10-01"),
        ("announced_by", "email"),
        ("amount_claimed", "89,50"),
    ]);
    app.claim_moved(
        &path,
        ActionKind::Send,
        &[("on", "2026-01-05"), ("channel", "email")],
    );
    let res = app.get("/account/export");
    assert_eq!(res.status, Status::Ok);
    assert_eq!(res.header("Content-Type"), Some("application/json"));
    assert!(
        res.header("Content-Disposition")
            .unwrap()
            .starts_with("attachment")
    );
    let json: serde_json::Value = serde_json::from_str(&res.body).unwrap();
    assert_eq!(json["account"]["email"], "me@example.org");
    let complaints = json["complaints"].as_array().unwrap();
    assert_eq!(complaints.len(), 1);
    let c = &complaints[0];
    assert_eq!(format!("/complaints/{}", c["id"].as_str().unwrap()), path);
    assert_eq!(c["problems"].as_array().unwrap().len(), 1);
    assert_eq!(c["problems"][0]["kind"], "price_hike");
    assert_eq!(c["provider"]["slug"], "kleema");
    assert_eq!(c["problems"][0]["facts"]["old_price_cents"], 1500);
    assert_eq!(c["claim"]["state"], "sent");
    assert_eq!(c["claim"]["amount_claimed_cents"], 8950);
    assert_eq!(c["claim"]["currency"], "EUR");
    let events = c["claim"]["events"].as_array().unwrap();
    assert_eq!(events.len(), 2);
    assert_eq!(events[1]["action"], "send");
    assert!(!res.body.contains("Not yours"));
}

#[test]
fn deleting_the_account_keeps_complaints_for_statistics_without_the_person() {
    let app = TestApp::new();
    app.provider("kleema", "Kleema", None, None);
    app.logged_in_as("leaving@example.org", Role::Subscriber);
    let path = app.filed(&[
        ("description", "Call me on 06 12 34 56 78"),
        ("contract_ref", "CLIENT-123"),
        ("share_with_associations", "on"),
    ]);
    app.upload(&path, "bill.pdf", PDF)
        .assert_redirect(&format!("{path}#evidence"));
    app.post("/account/delete", &[("delete_password", PASSWORD)])
        .assert_redirect("/");

    assert_eq!(app.count("users"), 0);
    assert_eq!(
        app.count("complaints"),
        1,
        "the complaint stays for the statistics"
    );
    assert_eq!(app.count("claims"), 1);
    assert_eq!(app.count("attachments"), 0, "evidence is personal data");
    use diesel::prelude::*;
    use recours::db::schema::complaints as c;
    type Row = (Option<String>, String, Option<String>, Option<String>);
    let (owner, text, reference, shared): Row = c::table
        .select((
            c::user_id,
            c::description,
            c::contract_ref,
            c::shared_description,
        ))
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(owner, None);
    assert!(!text.contains("06 12"));
    assert_eq!(reference, None);
    assert_eq!(shared, None, "the anonymised copy goes with the consent");
}
