//! Claims follow the escalation ladder of the subscriber's country of residence
//! (`directory/ladders.json`): a Moroccan subscriber is never sent to the French mediator.

use rocket::http::{Header, Status};

use crate::common::{PASSWORD, Resp, TestApp, days_ago, send};
use recours::domain::claim::ActionKind::*;

const ANRT: &str = "National Telecommunications Regulatory Agency (ANRT)";
const ANRT_FR: &str = "Agence nationale de réglementation des télécommunications (ANRT)";

/// A subscriber living in Morocco, logged in, with a claim of 890 MAD against Wana.
fn moroccan_claim() -> (TestApp, String) {
    let app = TestApp::new();
    app.provider("wana", "Wana", None, None);
    app.post(
        "/register",
        &[
            ("email", "amine@example.ma"),
            ("country", "MA"),
            ("password", PASSWORD),
            ("password_confirm", PASSWORD),
        ],
    )
    .assert_redirect("/complaints/new");
    let path = app.filed(&[
        ("provider", "wana"),
        ("amount_claimed", "890"),
        ("currency", "MAD"),
    ]);
    (app, path)
}

fn in_french(app: &TestApp, path: &str) -> Resp {
    send(
        app.client
            .get(path.to_string())
            .header(Header::new("Accept-Language", "fr")),
    )
}

/// Nothing of the French ladder: its mediator, its consumer service, their letters.
fn assert_no_french_ladder(page: &Resp) {
    for french in [
        "mediator",
        "Médiateur",
        "médiateur",
        "consumer service",
        "service consommateurs",
        "to=consumer_service",
    ] {
        assert!(!page.body.contains(french), "{french:?} on the page");
    }
}

#[test]
fn a_moroccan_claim_follows_the_moroccan_ladder_to_the_anrt_and_its_end() {
    let (app, path) = moroccan_claim();
    let page = app.get(&path);
    page.assert_contains("Send your claim to the provider in writing");
    assert_no_french_ladder(&page);
    assert_eq!(app.get(&format!("{path}/letter")).status, Status::Ok);

    // Sent 40 days ago: the provider's answer was due 10 days ago.
    app.claim_moved(&path, Send, &[("on", &days_ago(40)), ("channel", "email")]);
    let page = app.get(&path);
    page.assert_contains("The provider did not answer in time");
    page.assert_contains(&format!(
        "Next step: {ANRT}. You can take your claim to it now"
    ));
    // The waiting time is not confirmed: said plainly, with the source there is.
    page.assert_contains("No public source confirms how long you must wait");
    page.assert_contains("href=\"https://fr.le360.ma/");
    page.assert_contains(&format!("{path}/letter?to=regulator"));
    assert_no_french_ladder(&page);
    let page = in_french(&app, &path);
    page.assert_contains(&format!("Étape suivante : {ANRT_FR}."));
    page.assert_contains("Aucune source publique ne confirme");
    assert_no_french_ladder(&page);

    // The letter to the ANRT, at the address the profile gives.
    let letter = app.get(&format!("{path}/letter?to=regulator"));
    assert_eq!(letter.status, Status::Ok);
    letter.assert_contains(&format!("Letter to {ANRT}"));
    letter.assert_contains("suiviplainte@ANRT.ma");
    letter.assert_contains("I ask you to examine this dispute and to recommend a solution.");
    letter.assert_contains("My claim to the provider is for 890.00 MAD.");
    assert_no_french_ladder(&letter);
    let lettre = in_french(&app, &format!("{path}/letter?to=regulator"));
    lettre.assert_contains(ANRT_FR);
    lettre.assert_contains("Je vous demande d&#39;examiner ce litige");
    for french in ["mediator", "consumer_service", "court"] {
        assert_eq!(
            app.get(&format!("{path}/letter?to={french}")).status,
            Status::NotFound,
            "{french}"
        );
    }

    // The form offers the ANRT (and an association), never the French mediator or a court.
    let form = app.get(&format!("{path}/claim/escalate"));
    form.assert_contains(&format!("<option value=\"regulator\">{ANRT}</option>"));
    form.assert_contains("value=\"association\"");
    assert!(!form.body.contains("value=\"mediator\""));
    assert!(!form.body.contains("value=\"court\""));
    let before = app.count("claim_events");
    for body in ["mediator", "court"] {
        let res = app.claim_move(&path, Escalate, &[("on", &days_ago(5)), ("body", body)]);
        assert_eq!(res.status, Status::Conflict, "{body}");
        res.assert_contains("This body is not among the escalation steps for your country");
    }
    assert_eq!(app.count("claim_events"), before, "nothing recorded");

    app.claim_moved(
        &path,
        Escalate,
        &[("on", &days_ago(5)), ("body", "regulator")],
    );
    let page = app.get(&path);
    page.assert_contains("Escalated");
    page.assert_contains(&format!("Your claim is with this body: {ANRT}."));
    assert_no_french_ladder(&page);

    app.claim_moved(
        &path,
        Resolve,
        &[
            ("on", &days_ago(1)),
            ("outcome", "partial_refund"),
            ("amount", "400"),
        ],
    );
    let page = app.get(&path);
    page.assert_contains("Resolved");
    page.assert_contains("400.00 MAD");
    assert_no_french_ladder(&page);
    // A closed claim keeps its letter to the ANRT.
    assert_eq!(
        app.get(&format!("{path}/letter?to=regulator")).status,
        Status::Ok
    );
    // filed, send, escalate, resolve
    assert_eq!(app.count("claim_events"), 4);
}

/// While the provider is still in time, the ANRT is neither advised, nor offered, nor
/// accepted; once the provider refuses, it is, whatever the day.
#[test]
fn the_anrt_opens_when_the_provider_fails_the_claim() {
    let (app, path) = moroccan_claim();
    app.claim_moved(&path, Send, &[("on", &days_ago(5)), ("channel", "email")]);
    let page = app.get(&path);
    page.assert_contains("The provider must answer by");
    assert!(!page.body.contains("ANRT"));
    assert_eq!(
        app.get(&format!("{path}/letter?to=regulator")).status,
        Status::NotFound
    );
    assert!(
        !app.get(&format!("{path}/claim/escalate"))
            .body
            .contains("value=\"regulator\"")
    );
    let res = app.claim_move(
        &path,
        Escalate,
        &[("on", &days_ago(0)), ("body", "regulator")],
    );
    assert_eq!(res.status, Status::Conflict);
    res.assert_contains("This body cannot be seized on that date");
    assert_eq!(app.count("claim_events"), 2);

    app.claim_moved(&path, Answer, &[("on", &days_ago(1)), ("amount", "0")]);
    let page = app.get(&path);
    page.assert_contains("The provider refused to refund you.");
    page.assert_contains(&format!("Next step: {ANRT}."));
    assert_eq!(
        app.get(&format!("{path}/letter?to=regulator")).status,
        Status::Ok
    );
}

/// The ladder is the owner's: a French subscriber cannot take a claim to a regulator, and
/// moving to Morocco changes the way up.
#[test]
fn the_ladder_is_the_one_of_the_owners_country_now() {
    let (app, path) = moroccan_claim();
    app.post("/account/country", &[("country", "FR")])
        .assert_redirect("/account");
    app.claim_moved(&path, Send, &[("on", &days_ago(100)), ("channel", "email")]);
    let page = app.get(&path);
    page.assert_contains("Next step: Electronic communications mediator");
    page.assert_contains(&format!("{path}/letter?to=mediator"));
    assert!(!page.body.contains("ANRT"));
    let res = app.claim_move(
        &path,
        Escalate,
        &[("on", &days_ago(0)), ("body", "regulator")],
    );
    assert_eq!(res.status, Status::Conflict);
    res.assert_contains("This body is not among the escalation steps for your country");
    app.post("/account/country", &[("country", "MA")])
        .assert_redirect("/account");
    let page = app.get(&path);
    page.assert_contains(ANRT);
    assert_no_french_ladder(&page);
}
