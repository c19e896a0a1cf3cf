//! The provider's portal through HTTP: staff invited and removed, claims sent through
//! Recours, the inbox, answers one by one and all at once, the subscriber's reply.

use rocket::http::Status;
use rocket::local::blocking::Client;

use crate::cli::{recours, stderr};
use crate::common::{
    PASSWORD, PNG, TestApp, claim_move_on, enrol_directly, enrol_on, login_on, post_with_token,
    send,
};
use recours::domain::account::Role;
use recours::domain::claim::ActionKind;

fn id_of(path: &str) -> &str {
    path.trim_start_matches("/complaints/")
}

/// A staff account of `slug`, logged in on its own browser.
fn staff_client(app: &TestApp, email: &str, slug: &str) -> Client {
    let hash = recours::password::hash_blocking(PASSWORD).unwrap();
    let provider = {
        let mut conn = app.conn();
        recours::store::providers::by_slug(&mut conn, slug)
            .unwrap()
            .unwrap()
    };
    let staff = app
        .conn()
        .write(|c| recours::store::users::create_staff(c, email, &hash, &provider.id))
        .expect("staff created");
    enrol_directly(&app.db, &staff.id);
    let client = app.another_instance();
    login_on(&client, email, PASSWORD).assert_redirect("/");
    client
}

/// Files a service-cut complaint on `client` (15 EUR a month, 15 EUR claimed); returns its path.
fn file_cut(client: &Client) -> String {
    let res = post_with_token(
        client,
        "/complaints",
        &[
            ("provider", "kleema"),
            ("kind", "service_cut"),
            ("service", "international_calls"),
            ("started_on", "2009-09-07"),
            ("still_billed", "on"),
            ("monthly_fee", "15"),
            ("title", "Calls to Morocco cut"),
            ("description", "Cut on 7 September, still billed."),
            ("amount_claimed", "15"),
            ("currency", "EUR"),
        ],
    );
    assert_eq!(res.status, Status::SeeOther, "{}", res.body);
    res.location().to_string()
}

fn send_through_recours(client: &Client, path: &str, fields: &[(&str, &str)]) {
    let mut all = vec![("on", "2000-01-01"), ("channel", "recours")];
    all.extend_from_slice(fields);
    claim_move_on(client, path, ActionKind::Send, &all).assert_redirect(path);
}

fn app_with_kleema() -> TestApp {
    let app = TestApp::new();
    app.provider("wana", "Wana", None, None);
    app.provider("kleema", "Kleema", Some(50_000), Some("wana"));
    app.provider("other", "Other Telecom", None, None);
    app
}

fn outbox_kinds(app: &TestApp, recipient: &str) -> Vec<String> {
    use diesel::prelude::*;
    use recours::db::schema::outbox;
    outbox::table
        .filter(outbox::recipient.eq(recipient))
        .order(outbox::id)
        .select(outbox::kind)
        .load(&mut *app.conn())
        .unwrap()
}

#[test]
fn the_seed_case_end_to_end() {
    let app = app_with_kleema();
    // Subscriber one is the app's own browser (for the upload helper).
    app.logged_in_as("one@example.com", Role::Subscriber);
    let one = file_cut(&app.client);
    app.upload(&one, "invoice.png", PNG)
        .assert_redirect(&format!("{one}#evidence"));
    app.upload(&one, "private.png", PNG)
        .assert_redirect(&format!("{one}#evidence"));
    let files = {
        use diesel::prelude::*;
        use recours::db::schema::attachments;
        attachments::table
            .order(attachments::filename)
            .select((attachments::id, attachments::filename))
            .load::<(String, String)>(&mut *app.conn())
            .unwrap()
    };
    let invoice = files
        .iter()
        .find(|(_, n)| n.contains("invoice"))
        .unwrap()
        .0
        .clone();
    let private = files
        .iter()
        .find(|(_, n)| n.contains("private"))
        .unwrap()
        .0
        .clone();
    // The send form offers the subscriber's files to tick and asks for the account's name.
    let form = app.get(&format!("{one}/claim/send"));
    form.assert_contains("Through Recours");
    form.assert_contains(&format!("name=\"evidence-{invoice}\""));
    let tick = format!("evidence-{invoice}");
    // Without the account's name, nothing is sent.
    let missing = claim_move_on(
        &app.client,
        &one,
        ActionKind::Send,
        &[("on", "2000-01-01"), ("channel", "recours")],
    );
    assert_eq!(missing.status, Status::UnprocessableEntity);
    send_through_recours(
        &app.client,
        &one,
        &[("account_name", "Karim B."), (tick.as_str(), "on")],
    );
    let two_client = app.client_as("two@example.com", Role::Subscriber);
    let two = file_cut(&two_client);
    send_through_recours(&two_client, &two, &[("account_name", "Nadia A.")]);
    let three_client = app.client_as("three@example.com", Role::Subscriber);
    let three = file_cut(&three_client);
    send_through_recours(&three_client, &three, &[("account_name", "Yassine C.")]);
    // A claim sent by letter never reaches the portal.
    let letter = file_cut(&three_client);
    claim_move_on(
        &three_client,
        &letter,
        ActionKind::Send,
        &[("on", "2026-01-02"), ("channel", "letter")],
    )
    .assert_redirect(&letter);
    // Sent through Recours, it is sent today, due 30 days later whatever date was typed.
    let page = send(two_client.get(two.clone()));
    page.assert_contains("Through Recours");
    let due = (chrono::Utc::now().date_naive() + chrono::Duration::days(30)).to_string();
    {
        use diesel::prelude::*;
        use recours::db::schema::claims;
        let stored: Option<chrono::NaiveDate> = claims::table
            .find(id_of(&two))
            .select(claims::answer_due_on)
            .first(&mut *app.conn())
            .unwrap();
        assert_eq!(stored.map(|d| d.to_string()), Some(due));
    }

    // Kleema's staff: the inbox holds the three claims, all waiting, none overdue.
    let staff = staff_client(&app, "care@kleema.example", "kleema");
    let inbox = send(staff.get("/provider/complaints"));
    assert_eq!(inbox.status, Status::Ok);
    inbox.assert_contains("3 waiting for an answer");
    inbox.assert_contains("0 overdue");
    for path in [&one, &two, &three] {
        inbox.assert_contains(&format!("/provider/complaints/{}", id_of(path)));
    }
    assert!(
        !inbox.body.contains(id_of(&letter)),
        "a letter is not on the portal"
    );
    for email in ["one@example.com", "two@example.com", "three@example.com"] {
        assert!(!inbox.body.contains(email), "no subscriber's address");
    }
    // The case as sent: the facts, the account's name, only the ticked evidence.
    let case = send(staff.get(format!("/provider/complaints/{}", id_of(&one))));
    assert_eq!(case.status, Status::Ok);
    case.assert_contains("Karim B.");
    case.assert_contains("Cut on 7 September, still billed.");
    case.assert_contains(&invoice);
    assert!(
        !case.body.contains(&private),
        "an evidence not ticked stays private"
    );
    assert!(!case.body.contains("one@example.com"));
    let file = send(staff.get(format!(
        "/provider/complaints/{}/evidence/{invoice}",
        id_of(&one)
    )));
    assert_eq!(file.status, Status::Ok);
    let hidden = send(staff.get(format!(
        "/provider/complaints/{}/evidence/{private}",
        id_of(&one)
    )));
    assert_eq!(hidden.status, Status::NotFound);
    // The CSV of their cases.
    let csv = send(staff.get("/provider/complaints.csv"));
    assert_eq!(csv.status, Status::Ok);
    assert_eq!(csv.body.lines().count(), 4, "{}", csv.body);
    assert!(csv.body.contains("Nadia A."));
    assert!(!csv.body.contains("@example.com"));

    // One answer to every subscriber of the cut: a monthly fee back.
    let mut fields: Vec<(String, String)> = [&one, &two, &three]
        .iter()
        .map(|p| (format!("case-{}", id_of(p)), "on".to_string()))
        .collect();
    fields.push(("response".into(), "monetary_relief".into()));
    fields.push(("amount".into(), "15".into()));
    fields.push((
        "text".into(),
        "We refund one month of the subscription.".into(),
    ));
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    post_with_token(&staff, "/provider/complaints/response", &fields)
        .assert_redirect("/provider/complaints");
    let inbox = send(staff.get("/provider/complaints"));
    inbox.assert_contains("0 waiting for an answer");
    // The subscriber sees the answer under the provider's name and was told by e-mail.
    let page = app.get(&one);
    page.assert_contains("Answered");
    page.assert_contains("Kleema: answered");
    page.assert_contains("Closed with monetary relief");
    page.assert_contains("We refund one month of the subscription.");
    page.assert_contains("15.00 EUR");
    assert!(
        !page.body.contains("care@kleema.example"),
        "not the person's name"
    );
    assert!(
        outbox_kinds(&app, "two@example.com").contains(&"claim-moved".to_string()),
        "{:?}",
        outbox_kinds(&app, "two@example.com")
    );

    // One accepts, then confirms the refund: resolved with the amount received.
    app.post(&format!("{one}/reply"), &[("reply", "accepted")])
        .assert_redirect(&one);
    app.claim_moved(
        &one,
        ActionKind::Resolve,
        &[
            ("on", &crate::common::days_ago(0)),
            ("outcome", "full_refund"),
            ("amount", "15"),
        ],
    );
    let page = app.get(&one);
    page.assert_contains("You accepted the provider");
    page.assert_contains("Resolved");
    // Another disputes, with a reason, then escalates to the mediator.
    let no_reason = post_with_token(
        &two_client,
        &format!("{two}/reply"),
        &[("reply", "disputed")],
    );
    assert_eq!(no_reason.status, Status::UnprocessableEntity);
    post_with_token(
        &two_client,
        &format!("{two}/reply"),
        &[
            ("reply", "disputed"),
            ("reason", "Two months were billed, not one."),
        ],
    )
    .assert_redirect(&two);
    let again = post_with_token(
        &two_client,
        &format!("{two}/reply"),
        &[("reply", "accepted")],
    );
    assert_eq!(again.status, Status::Conflict, "one reply per answer");
    let page = send(two_client.get(two.clone()));
    page.assert_contains("You disputed the provider");
    page.assert_contains("Two months were billed, not one.");
    claim_move_on(
        &two_client,
        &two,
        ActionKind::Escalate,
        // The mediator opens 60 days after sending (French ladder): the consumer
        // association is the step open at once.
        &[("on", &crate::common::days_ago(0)), ("body", "association")],
    )
    .assert_redirect(&two);
    // The audit log, readable by admins, has the staff's answers.
    let admin = app.client_as("admin@example.com", Role::Admin);
    let audit = send(admin.get("/admin/providers/kleema/staff"));
    assert_eq!(audit.status, Status::Ok);
    audit.assert_contains("care@kleema.example");
    audit.assert_contains("monetary_relief");
    assert_eq!(app.count("provider_audit"), 3);
    app.assert_stats_verified();
}

#[test]
fn other_providers_cases_and_bad_answers_are_refused_with_nothing_changed() {
    let app = app_with_kleema();
    app.logged_in_as("one@example.com", Role::Subscriber);
    let one = file_cut(&app.client);
    send_through_recours(&app.client, &one, &[("account_name", "Karim B.")]);
    let kept = file_cut(&app.client);
    let case = format!("/provider/complaints/{}", id_of(&one));
    let respond = format!("{case}/response");

    // Another provider's staff: the case does not exist for them.
    let other = staff_client(&app, "care@other.example", "other");
    assert_eq!(send(other.get(case.clone())).status, Status::NotFound);
    let res = post_with_token(
        &other,
        &respond,
        &[("response", "explanation"), ("text", "Not us.")],
    );
    assert_eq!(res.status, Status::NotFound);
    let inbox = send(other.get("/provider/complaints"));
    assert!(!inbox.body.contains(id_of(&one)));
    // A subscriber is not staff; a complaint not sent through Recours is not a case.
    assert_eq!(app.get("/provider/complaints").status, Status::Forbidden);
    let staff = staff_client(&app, "care@kleema.example", "kleema");
    let not_sent = format!("/provider/complaints/{}", id_of(&kept));
    assert_eq!(send(staff.get(not_sent)).status, Status::NotFound);
    // Bad filters are a 400, not a wider list.
    assert_eq!(
        send(staff.get("/provider/complaints?state=lost")).status,
        Status::BadRequest
    );
    assert_eq!(
        send(staff.get("/provider/complaints?month=2026-13")).status,
        Status::BadRequest
    );
    let filtered = send(staff.get("/provider/complaints?due=soon&kind=service_cut"));
    assert!(
        !filtered.body.contains(id_of(&one)),
        "due in 30 days, not soon"
    );
    let filtered = send(staff.get("/provider/complaints?state=sent&kind=service_cut"));
    filtered.assert_contains(id_of(&one));

    let events = app.count("claim_events");
    for (fields, status) in [
        (
            vec![("response", "monetary_relief"), ("amount", "-5")],
            Status::UnprocessableEntity,
        ),
        (
            vec![("response", "monetary_relief"), ("amount", "lots")],
            Status::UnprocessableEntity,
        ),
        (
            vec![("response", "monetary_relief")],
            Status::UnprocessableEntity,
        ),
        (
            vec![("response", "explanation")],
            Status::UnprocessableEntity,
        ),
        (vec![("response", "refund")], Status::UnprocessableEntity),
    ] {
        let res = post_with_token(&staff, &respond, &fields);
        assert_eq!(res.status, status, "{fields:?}");
    }
    assert_eq!(app.count("claim_events"), events, "nothing recorded");
    // "In progress" once: the second is refused, the deadline stands.
    post_with_token(&staff, &respond, &[("response", "in_progress")]).assert_redirect(&case);
    let twice = post_with_token(&staff, &respond, &[("response", "in_progress")]);
    assert_eq!(twice.status, Status::Conflict);
    twice.assert_contains("already answered once");
    assert_eq!(app.count("claim_events"), events + 1);
    app.get(&one).assert_contains("Kleema: wrote");
    // A bulk answer with one foreign id changes nothing at all.
    let foreign = post_with_token(
        &staff,
        "/provider/complaints/response",
        &[
            (format!("case-{}", id_of(&one)).as_str(), "on"),
            (format!("case-{}", id_of(&kept)).as_str(), "on"),
            ("response", "explanation"),
            ("text", "Wana cut the link."),
        ],
    );
    assert_eq!(foreign.status, Status::NotFound);
    let none = post_with_token(
        &staff,
        "/provider/complaints/response",
        &[("response", "explanation"), ("text", "Wana cut the link.")],
    );
    assert_eq!(none.status, Status::UnprocessableEntity);
    assert_eq!(app.count("claim_events"), events + 1);
    // A closed claim takes no answer.
    app.claim_moved(
        &one,
        ActionKind::Withdraw,
        &[("on", &crate::common::days_ago(0))],
    );
    let closed = post_with_token(
        &staff,
        &respond,
        &[("response", "explanation"), ("text", "Too late.")],
    );
    assert_eq!(closed.status, Status::Conflict);
    assert_eq!(app.count("claim_events"), events + 2);
    app.assert_stats_verified();
}

/// The token of the invitation's link, as the e-mail carries it: the portal's sender
/// writes it to a file (no `smtp_url` in tests) and then erases it from the outbox.
fn invitation_token(app: &TestApp, to: &str) -> String {
    use diesel::prelude::*;
    use recours::db::schema::outbox;
    for _ in 0..200 {
        let state: String = outbox::table
            .filter(outbox::kind.eq("provider-invite"))
            .filter(outbox::recipient.eq(to))
            .select(outbox::state)
            .first(&mut *app.conn())
            .unwrap();
        if state == "sent" {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    for entry in std::fs::read_dir(app.dir.path().join("outbox")).unwrap() {
        // Quoted-printable folds long lines with a trailing `=`.
        let eml = std::fs::read_to_string(entry.unwrap().path())
            .unwrap()
            .replace("=\r\n", "")
            .replace("=\n", "");
        if eml.contains(&format!("To: {to}")) {
            let at = eml.find("/password/reset/").expect("the link") + "/password/reset/".len();
            return eml[at..at + 43].to_string();
        }
    }
    panic!("no invitation to {to}");
}

#[test]
fn invitations_set_a_password_and_a_removed_colleague_is_out_at_once() {
    let app = app_with_kleema();
    let admin = app.client_as("admin@example.com", Role::Admin);
    let bad = post_with_token(
        &admin,
        "/admin/providers/kleema/staff",
        &[("email", "nope")],
    );
    assert_eq!(bad.status, Status::UnprocessableEntity);
    post_with_token(
        &admin,
        "/admin/providers/kleema/staff",
        &[("email", "lead@kleema.example")],
    )
    .assert_redirect("/admin/providers/kleema/staff");
    // A subscriber's own account never becomes staff.
    app.create_user("sub@example.com", Role::Subscriber);
    let taken = post_with_token(
        &admin,
        "/admin/providers/kleema/staff",
        &[("email", "sub@example.com")],
    );
    assert_eq!(taken.status, Status::UnprocessableEntity);
    // The invitation's link sets the first password; before, nothing logs in.
    let token = invitation_token(&app, "lead@kleema.example");
    let lead = app.another_instance();
    assert_ne!(
        login_on(&lead, "lead@kleema.example", "!invited").status,
        Status::SeeOther
    );
    send(lead.get(format!("/password/reset/{token}"))).assert_redirect("/password/reset");
    post_with_token(
        &lead,
        "/password/reset",
        &[("password", PASSWORD), ("password_confirm", PASSWORD)],
    )
    .assert_redirect("/login");
    // Staff set up their second factor at their first log-in, before their space opens.
    login_on(&lead, "lead@kleema.example", PASSWORD).assert_redirect("/login/code?next=%2F");
    assert_eq!(
        send(lead.get("/provider/complaints")).status,
        Status::SeeOther
    );
    assert_eq!(enrol_on(&lead).len(), 10);
    assert_eq!(send(lead.get("/provider/complaints")).status, Status::Ok);

    // Staff invite a colleague, who then works; then remove them: their session dies now.
    post_with_token(
        &lead,
        "/provider/staff",
        &[("email", "temp@kleema.example")],
    )
    .assert_redirect("/provider/staff");
    app.sql("DELETE FROM users WHERE email = 'temp@kleema.example'");
    let temp = staff_client(&app, "temp@kleema.example", "kleema");
    assert_eq!(send(temp.get("/provider/complaints")).status, Status::Ok);
    let temp_id = {
        use diesel::prelude::*;
        use recours::db::schema::users;
        users::table
            .filter(users::email.eq("temp@kleema.example"))
            .select(users::id)
            .first::<String>(&mut *app.conn())
            .unwrap()
    };
    // Another provider's staff cannot remove Kleema's.
    let other = staff_client(&app, "care@other.example", "other");
    let res = post_with_token(&other, &format!("/provider/staff/{temp_id}/remove"), &[]);
    assert_eq!(res.status, Status::NotFound);
    assert_eq!(send(temp.get("/provider/complaints")).status, Status::Ok);
    post_with_token(&lead, &format!("/provider/staff/{temp_id}/remove"), &[])
        .assert_redirect("/provider/staff");
    let after = send(temp.get("/provider/complaints"));
    assert_eq!(
        after.status,
        Status::SeeOther,
        "the removed colleague's session is gone"
    );
    let audit = send(admin.get("/admin/providers/kleema/staff"));
    audit.assert_contains("temp@kleema.example");
    audit.assert_contains("remove");
}

#[test]
fn the_command_line_creates_and_invites_staff() {
    let app = app_with_kleema();
    let out = recours(
        &app,
        &[
            "user",
            "create",
            "--email",
            "cli@kleema.example",
            "--role",
            "provider",
            "--provider",
            "kleema",
        ],
        &format!("{PASSWORD}\n"),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let client = app.another_instance();
    login_on(&client, "cli@kleema.example", PASSWORD).assert_redirect("/login/code?next=%2F");
    enrol_on(&client);
    assert_eq!(send(client.get("/provider/complaints")).status, Status::Ok);
    let unbound = recours(
        &app,
        &[
            "user",
            "create",
            "--email",
            "x@kleema.example",
            "--role",
            "provider",
        ],
        &format!("{PASSWORD}\n"),
    );
    assert_eq!(unbound.status.code(), Some(2), "{}", stderr(&unbound));
    let unknown = recours(
        &app,
        &[
            "provider",
            "invite",
            "--slug",
            "nobody",
            "--email",
            "a@b.example",
        ],
        "",
    );
    assert_eq!(unknown.status.code(), Some(2));
    let out = recours(
        &app,
        &[
            "provider",
            "invite",
            "--slug",
            "kleema",
            "--email",
            "new@kleema.example",
            "--lang",
            "fr",
        ],
        "",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        outbox_kinds(&app, "new@kleema.example"),
        ["provider-invite"]
    );
}

#[test]
fn staff_are_reminded_a_week_before_the_due_date_then_weekly_until_they_answer() {
    let app = app_with_kleema();
    app.logged_in_as("one@example.com", Role::Subscriber);
    let one = file_cut(&app.client);
    send_through_recours(&app.client, &one, &[("account_name", "Karim B.")]);
    let staff = staff_client(&app, "care@kleema.example", "kleema");
    let _unconfirmed = staff_client(&app, "new@kleema.example", "kleema");
    app.sql("UPDATE users SET email_verified_at = created_at WHERE email = 'care@kleema.example'");
    let due = chrono::Utc::now().date_naive() + chrono::Duration::days(30);
    let pass = |day: chrono::NaiveDate| -> usize {
        let profile = recours::domain::claim::Profile::default();
        app.conn()
            .write(|c| recours::store::notices::queue_reminders(c, &profile, day))
            .unwrap()
    };
    let days = |n: i64| due + chrono::Duration::days(n);
    assert_eq!(pass(days(-8)), 0);
    assert_eq!(pass(days(-7)), 1, "a week before");
    assert_eq!(pass(days(-1)), 0, "once");
    assert_eq!(pass(days(1)), 1, "overdue");
    assert_eq!(pass(days(5)), 0);
    assert_eq!(pass(days(8)), 1, "a week later");
    assert_eq!(
        outbox_kinds(&app, "care@kleema.example"),
        [
            "provider-answer-due",
            "provider-answer-overdue",
            "provider-answer-overdue"
        ]
    );
    assert!(
        outbox_kinds(&app, "new@kleema.example").is_empty(),
        "unconfirmed address"
    );
    post_with_token(
        &staff,
        &format!("/provider/complaints/{}/response", id_of(&one)),
        &[("response", "explanation"), ("text", "Wana cut the link.")],
    )
    .assert_redirect(&format!("/provider/complaints/{}", id_of(&one)));
    assert_eq!(pass(days(15)), 0, "answered: no more reminders");
}

/// Moves a claim still waiting for its answer back in time: sent `sent_ago` days ago, due
/// `due_after` days after that. A waiting claim's counters do not depend on these dates.
fn sent_days_ago(app: &TestApp, path: &str, sent_ago: i64, due_after: i64) {
    let today = chrono::Utc::now().date_naive();
    let sent = today - chrono::Duration::days(sent_ago);
    let due = sent + chrono::Duration::days(due_after);
    app.sql(&format!(
        "UPDATE claims SET sent_on = '{sent}', answer_due_on = '{due}' WHERE complaint_id = '{}'",
        id_of(path)
    ));
}

/// Staff give one answer to every case of `paths` at once.
fn answer_all(staff: &Client, paths: &[&String], response: &[(&str, &str)]) {
    let mut fields: Vec<(String, String)> = paths
        .iter()
        .map(|p| (format!("case-{}", id_of(p)), "on".to_string()))
        .collect();
    fields.extend(response.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    post_with_token(staff, "/provider/complaints/response", &fields)
        .assert_redirect("/provider/complaints");
}

/// Kleema's public figures of the portal, as the API, the CSV and the page give them.
struct Published {
    json: serde_json::Value,
    csv: std::collections::BTreeMap<String, String>,
    page: String,
}

fn published(app: &TestApp, query: &str) -> Published {
    let res = app.get(&format!("/api/v1/stats/providers/kleema{query}"));
    assert_eq!(res.status, Status::Ok, "{}", res.body);
    let doc = crate::stats::json(&res);
    crate::stats::assert_matches_openapi(&doc, "ProviderResponse");
    let csv = app.get(&format!("/stats/providers.csv{query}"));
    assert_eq!(csv.status, Status::Ok, "{}", csv.body);
    let mut lines = csv.body.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let row = lines
        .find(|l| l.starts_with("kleema,"))
        .map(|l| l.split(',').collect::<Vec<_>>())
        .unwrap_or_default();
    let csv = header
        .iter()
        .enumerate()
        .filter(|(_, h)| h.starts_with("recours_"))
        .map(|(i, h)| (h.to_string(), row.get(i).unwrap_or(&"").to_string()))
        .collect();
    Published {
        json: doc["provider"]["recours_portal"].clone(),
        csv,
        page: app.get(&format!("/stats/providers/kleema{query}")).body,
    }
}

#[test]
fn the_public_sees_how_the_provider_answered_on_recours() {
    let app = app_with_kleema();
    let subscribers: Vec<Client> = ["one", "two", "three"]
        .iter()
        .map(|n| app.client_as(&format!("{n}@example.com"), Role::Subscriber))
        .collect();
    // Thirteen claims sent through Recours by three subscribers, one more by letter.
    let cases: Vec<(usize, String)> = (0..13)
        .map(|i| {
            let client = &subscribers[i % 3];
            let path = file_cut(client);
            send_through_recours(client, &path, &[("account_name", "Karim B.")]);
            (i % 3, path)
        })
        .collect();
    let letter = file_cut(&subscribers[0]);
    claim_move_on(
        &subscribers[0],
        &letter,
        ActionKind::Send,
        &[("on", &crate::common::days_ago(1)), ("channel", "letter")],
    )
    .assert_redirect(&letter);
    let paths: Vec<&String> = cases.iter().map(|(_, p)| p).collect();
    // Eight will be answered in time, 0 to 7 days after sending; three late, 40 days after.
    for (i, path) in paths[..8].iter().enumerate() {
        sent_days_ago(&app, path, i as i64, 30);
    }
    for path in &paths[8..11] {
        sent_days_ago(&app, path, 40, 30);
    }
    let staff = staff_client(&app, "care@kleema.example", "kleema");

    // Nothing answered yet: thirteen sent, every share hidden with its base.
    let before = published(&app, "");
    assert_eq!(before.json["sent"], 13);
    assert_eq!(before.json["timely_answer_base"], 0);
    assert_eq!(
        before.json["timely_answer_percent"],
        serde_json::Value::Null
    );
    assert_eq!(before.csv["recours_sent"], "13");
    assert_eq!(before.csv["recours_timely_answer_percent"], "");

    // Four answered in time: a base of four shows no percentage.
    answer_all(
        &staff,
        &paths[..4],
        &[("response", "monetary_relief"), ("amount", "15")],
    );
    let few = published(&app, "");
    assert_eq!(few.json["answered_in_time"], 4);
    assert_eq!(few.json["timely_answer_percent"], serde_json::Value::Null);
    assert_eq!(few.json["median_days_to_answer"], serde_json::Value::Null);
    assert_eq!(few.csv["recours_timely_answer_base"], "4");
    assert_eq!(few.csv["recours_timely_answer_percent"], "");
    assert!(few.page.contains("4 of 4</dd>"), "{}", few.page);
    assert!(few.page.contains("not shown (4 answered)"));

    answer_all(
        &staff,
        &paths[4..6],
        &[("response", "monetary_relief"), ("amount", "15")],
    );
    answer_all(
        &staff,
        &paths[6..8],
        &[("response", "explanation"), ("text", "Wana cut the link.")],
    );
    answer_all(
        &staff,
        &paths[8..11],
        &[
            ("response", "non_monetary_relief"),
            ("text", "A free month."),
        ],
    );
    post_with_token(
        &staff,
        &format!("/provider/complaints/{}/response", id_of(paths[11])),
        &[("response", "in_progress"), ("text", "We are checking.")],
    )
    .assert_redirect(&format!("/provider/complaints/{}", id_of(paths[11])));
    // Three subscribers dispute an answer, two accept one.
    for (n, reply) in [
        (0, "disputed"),
        (1, "disputed"),
        (2, "disputed"),
        (3, "accepted"),
        (4, "accepted"),
    ] {
        let (who, path) = &cases[n];
        post_with_token(
            &subscribers[*who],
            &format!("{path}/reply"),
            &[("reply", reply), ("reason", "Two months were billed.")],
        )
        .assert_redirect(path);
    }
    // A subscriber recording an answer on a letter is not the portal's.
    claim_move_on(
        &subscribers[0],
        &letter,
        ActionKind::Answer,
        &[("on", &crate::common::days_ago(0)), ("amount", "0")],
    )
    .assert_redirect(&letter);

    let after = published(&app, "");
    let j = &after.json;
    assert_eq!(j["sent"], 13);
    assert_eq!(
        (
            j["answered_in_time"].clone(),
            j["timely_answer_base"].clone()
        ),
        (8.into(), 11.into())
    );
    assert_eq!(j["timely_answer_percent"], 73, "8 of 11");
    // Days to answer: 0 to 7, then 40 three times; the middle one of eleven is 5.
    assert_eq!(j["median_days_to_answer"], 5);
    assert_eq!(j["median_days_base"], 11);
    assert_eq!(j["by_response"]["monetary_relief"], 6);
    assert_eq!(j["by_response"]["explanation"], 2);
    assert_eq!(j["by_response"]["non_monetary_relief"], 3);
    assert_eq!(j["in_progress"], 1);
    assert_eq!(
        (
            j["answered"].clone(),
            j["disputed"].clone(),
            j["accepted"].clone()
        ),
        (11.into(), 3.into(), 2.into())
    );
    assert_eq!(j["disputed_percent"], 27, "3 of 11");
    // The CSV says the same.
    let expected = [
        ("recours_sent", "13"),
        ("recours_answered_in_time", "8"),
        ("recours_timely_answer_base", "11"),
        ("recours_timely_answer_percent", "73"),
        ("recours_median_days_to_answer", "5"),
        ("recours_median_days_base", "11"),
        ("recours_monetary_relief", "6"),
        ("recours_non_monetary_relief", "3"),
        ("recours_explanation", "2"),
        ("recours_in_progress", "1"),
        ("recours_answered", "11"),
        ("recours_accepted", "2"),
        ("recours_disputed", "3"),
        ("recours_disputed_percent", "27"),
    ];
    for (column, value) in expected {
        assert_eq!(after.csv[column], value, "{column}");
    }
    // And the page, apart from the figures subscribers typed.
    let page = &after.page;
    for text in [
        "Answers given on Recours",
        "Claims sent through Recours</dt><dd>13</dd>",
        "8 of 11 (73 %)",
        "5 (of 11 answered)",
        "3 of 11 (27 %)",
        "Closed with monetary relief</th><td class=\"num\">6</td>",
        "The figures above come from what subscribers recorded",
    ] {
        assert!(page.contains(text), "{text}\n{page}");
    }
    // The typed figures count the letter's answer; the portal's do not.
    let typed = &crate::stats::json(&app.get("/api/v1/stats/providers/kleema"))["provider"];
    assert_eq!(typed["timely_answer_base"], 12);

    // A selection without complaints shows no breakdown, the portal's figures included.
    let empty = published(&app, "?from=2001-01&to=2001-12");
    assert_eq!(empty.json, serde_json::Value::Null);
    assert!(!empty.page.contains("Answers given on Recours"));
    app.assert_stats_verified();
}

fn user_id(app: &TestApp, email: &str) -> String {
    use diesel::prelude::*;
    use recours::db::schema::users;
    users::table
        .filter(users::email.eq(email))
        .select(users::id)
        .first::<String>(&mut *app.conn())
        .unwrap()
}

fn role_of(app: &TestApp, email: &str) -> (String, Option<String>) {
    use diesel::prelude::*;
    use recours::db::schema::users;
    users::table
        .filter(users::email.eq(email))
        .select((users::role, users::provider_id))
        .first(&mut *app.conn())
        .unwrap()
}

#[test]
fn a_colleague_this_provider_removed_can_be_invited_again_unless_they_filed_since() {
    let app = app_with_kleema();
    let lead = staff_client(&app, "lead@kleema.example", "kleema");
    let other = staff_client(&app, "care@other.example", "other");
    let temp = staff_client(&app, "temp@kleema.example", "kleema");
    let gone = staff_client(&app, "gone@kleema.example", "kleema");
    for email in ["temp@kleema.example", "gone@kleema.example"] {
        post_with_token(
            &lead,
            &format!("/provider/staff/{}/remove", user_id(&app, email)),
            &[],
        )
        .assert_redirect("/provider/staff");
    }
    // One of them files a complaint of their own as a subscriber.
    login_on(&gone, "gone@kleema.example", PASSWORD).assert_redirect("/");
    file_cut(&gone);
    let invite = |client: &Client, email: &str| {
        post_with_token(client, "/provider/staff", &[("email", email)])
    };
    // Another provider did not remove them: still an address that has an account.
    let refused = invite(&other, "temp@kleema.example");
    assert_eq!(refused.status, Status::UnprocessableEntity);
    refused.assert_contains("already");
    assert_eq!(role_of(&app, "temp@kleema.example").0, "subscriber");
    // Kleema removed them and they filed nothing: back as staff, with a password to set.
    invite(&lead, "temp@kleema.example").assert_redirect("/provider/staff");
    let kleema = {
        let mut conn = app.conn();
        recours::store::providers::by_slug(&mut conn, "kleema")
            .unwrap()
            .unwrap()
    };
    assert_eq!(
        role_of(&app, "temp@kleema.example"),
        ("provider".to_string(), Some(kleema.id))
    );
    assert_ne!(
        login_on(&temp, "temp@kleema.example", PASSWORD).status,
        Status::SeeOther,
        "the old password is gone"
    );
    let token = invitation_token(&app, "temp@kleema.example");
    send(temp.get(format!("/password/reset/{token}"))).assert_redirect("/password/reset");
    post_with_token(
        &temp,
        "/password/reset",
        &[("password", PASSWORD), ("password_confirm", PASSWORD)],
    )
    .assert_redirect("/login");
    login_on(&temp, "temp@kleema.example", PASSWORD).assert_redirect("/");
    assert_eq!(send(temp.get("/provider/complaints")).status, Status::Ok);
    // The colleague who filed a complaint stays a subscriber: their complaint is theirs.
    let filed = invite(&lead, "gone@kleema.example");
    assert_eq!(filed.status, Status::UnprocessableEntity);
    assert_eq!(
        role_of(&app, "gone@kleema.example"),
        ("subscriber".to_string(), None)
    );
}

#[test]
fn staff_answer_every_case_of_a_filter_at_once_all_or_nothing() {
    let app = app_with_kleema();
    let subscriber = app.client_as("one@example.com", Role::Subscriber);
    let paths: Vec<String> = (0..4)
        .map(|_| {
            let path = file_cut(&subscriber);
            send_through_recours(&subscriber, &path, &[("account_name", "Karim B.")]);
            path
        })
        .collect();
    claim_move_on(
        &subscriber,
        &paths[3],
        ActionKind::Withdraw,
        &[("on", &crate::common::days_ago(0))],
    )
    .assert_redirect(&paths[3]);
    let staff = staff_client(&app, "care@kleema.example", "kleema");
    let answer = |fields: &[(&str, &str)]| {
        let mut all = vec![
            ("response", "monetary_relief"),
            ("amount", "15"),
            ("text", "One month back."),
        ];
        all.extend_from_slice(fields);
        post_with_token(&staff, "/provider/complaints/response", &all)
    };
    // The whole inbox holds a withdrawn claim: nothing is answered.
    let inbox = send(staff.get("/provider/complaints"));
    inbox.assert_contains("Answer all 4 cases of this filter");
    let refused = answer(&[("all", "4")]);
    assert_eq!(refused.status, Status::Conflict);
    refused.assert_contains("The claim is closed");
    send(staff.get("/provider/complaints")).assert_contains("3 waiting for an answer");
    // The filter of the waiting ones, confirmed with a stale count: nothing either.
    let waiting = send(staff.get("/provider/complaints?state=sent"));
    waiting.assert_contains("Answer all 3 cases of this filter");
    waiting.assert_contains(r#"name="filter-state" value="sent""#);
    let stale = answer(&[("all", "2"), ("filter-state", "sent")]);
    assert_eq!(stale.status, Status::Conflict);
    stale.assert_contains("The cases of this filter changed");
    stale.assert_contains("Answer all 3 cases of this filter");
    send(staff.get("/provider/complaints")).assert_contains("3 waiting for an answer");
    let bad = answer(&[("all", "many"), ("filter-state", "sent")]);
    assert_eq!(bad.status, Status::BadRequest);
    // Confirmed with the count shown: every one answered, without ticking any.
    answer(&[("all", "3"), ("filter-state", "sent")]).assert_redirect("/provider/complaints");
    send(staff.get("/provider/complaints")).assert_contains("0 waiting for an answer");
    for path in &paths[..3] {
        send(subscriber.get(path.clone())).assert_contains("Closed with monetary relief");
    }
    assert_eq!(app.count("provider_audit"), 3);
    app.assert_stats_verified();
}
