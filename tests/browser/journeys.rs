//! The journeys people make on the portal, with the mouse (and a keyboard journey apart).

use crate::ensure;
use crate::harness::{Browser, Res};

pub const PASSWORD: &str = "correct horse battery 2026";

fn email(b: &Browser, who: &str) -> String {
    format!("{who}-{}-{}@example.org", b.lang.code(), b.size.name())
}

/// Registers a fresh subscriber with the mouse; ends on "file a complaint".
pub async fn register(b: &Browser, who: &str) -> Res {
    b.go("/register").await?;
    b.fill("#email", &email(b, who)).await?;
    b.fill("#password", PASSWORD).await?;
    b.fill("#password_confirm", PASSWORD).await?;
    b.submit("form[action='/register'] button[type=submit]")
        .await?;
    b.wait_path("/complaints/new").await?;
    Ok(())
}

/// Posts a step of the filing form and waits for the next one (`facts`, `check`).
pub async fn continue_to(b: &Browser, next: &str) -> Res {
    b.submit("form.step-form button[type=submit]").await?;
    b.wait_path_end(&format!("/{next}")).await?;
    Ok(())
}

/// Files the checked answers; returns the complaint's path.
pub async fn file_checked(b: &Browser) -> Res<String> {
    b.find(".check-answers").await?;
    b.submit("form.file-form button[type=submit]").await?;
    b.wait_complaint().await
}

/// Files a billing complaint with an amount; returns the complaint's path.
pub async fn file_billing(b: &Browser) -> Res<String> {
    b.go("/complaints/new").await?;
    b.select("#provider", "kleema").await?;
    b.click("#kind-billing").await?;
    continue_to(b, "facts").await?;
    b.fill(
        "#title",
        b.lang
            .pick("Prélèvement après résiliation", "Charged after cancelling"),
    )
    .await?;
    b.fill(
        "#description",
        b.lang.pick(
            "Mon abonnement est résilié depuis mars, mais Kleema prélève toujours 89 EUR.",
            "I cancelled in March, yet Kleema still takes 89 EUR.",
        ),
    )
    .await?;
    b.fill("#amount_claimed", "89").await?;
    b.select("#billing_issue", "after_cancellation").await?;
    b.fill_date("#charged_on", "2026-04-05").await?;
    b.fill("#charged_amount", "89").await?;
    continue_to(b, "check").await?;
    file_checked(b).await
}

/// Register, log out, log in.
pub async fn account(b: &mut Browser) -> Res {
    b.go("/").await?;
    b.assert_chrome(false).await?;
    b.page("home").await?;

    b.click(".nav-list a[href='/register']").await?;
    b.wait_path("/register").await?;
    b.page("register").await?;
    b.fill("#email", &email(b, "account")).await?;
    b.fill("#password", PASSWORD).await?;
    b.fill("#password_confirm", PASSWORD).await?;
    b.submit("form[action='/register'] button[type=submit]")
        .await?;
    b.wait_path("/complaints/new").await?;
    b.assert_chrome(true).await?;
    ensure!(
        b.text(".whoami").await?.contains(&email(b, "account")),
        "the header does not say who is logged in"
    );
    ensure!(!b.all(".flash").await?.is_empty(), "no welcome message");
    b.click(".nav-list a[href='/account']").await?;
    b.wait_path("/account").await?;
    b.page("account").await?;

    b.submit("form[action='/logout'] button").await?;
    b.wait_path_is("/").await?;
    b.assert_chrome(false).await?;
    b.page("logged-out").await?;

    b.click(".nav-list a[href='/login']").await?;
    b.wait_path("/login").await?;
    b.page("login").await?;
    b.fill("#email", &email(b, "account")).await?;
    b.fill("#password", PASSWORD).await?;
    b.submit("form[action='/login'] button[type=submit]")
        .await?;
    b.wait_path_is("/").await?;
    b.assert_chrome(true).await?;
    b.page("logged-in").await?;
    Ok(())
}

/// A price-hike complaint with an attachment; the % increase; the letter, printed.
pub async fn price_hike(b: &mut Browser) -> Res {
    register(b, "hike").await?;
    b.click(".nav-list a[href='/complaints/new']").await?;
    b.wait_path("/complaints/new").await?;
    b.page("new").await?;

    b.select("#provider", "kleema").await?;
    b.click("#kind-price_hike").await?;
    continue_to(b, "facts").await?;
    b.fill(
        "#title",
        b.lang.pick(
            "Hausse de 500 % sans préavis",
            "A 500 % rise without notice",
        ),
    )
    .await?;
    b.fill(
        "#description",
        b.lang.pick(
            "L'appel illimité vers le Maroc est passé de 5 à 30 EUR par mois ; je n'ai reçu aucun courriel.",
            "Unlimited calls to Morocco went from 5 to 30 EUR a month; I received no e-mail.",
        ),
    )
    .await?;
    b.fill("#amount_claimed", b.lang.pick("75,00", "75.00"))
        .await?;
    b.fill("#old_price", "5").await?;
    b.fill("#new_price", "30").await?;
    b.fill_date("#effective_on", "2026-09-07").await?;
    b.select("#announced_by", "email").await?;
    continue_to(b, "check").await?;
    b.page("check").await?;
    let complaint = file_checked(b).await?;
    b.assert_chrome(true).await?;
    let increase = b.text(".increase").await?;
    ensure!(
        increase.contains("+500"),
        "the page shows the increase as {increase:?}, expected +500 %"
    );
    b.page("filed").await?;

    // Evidence: the browser picks a file (a PNG made by this very test).
    let evidence = b.dir.join("facture-septembre.png");
    std::fs::write(&evidence, b.c.screenshot().await?)?;
    b.find("#file")
        .await?
        .send_keys(&evidence.display().to_string())
        .await?;
    b.submit("form[action$='/attachments'] button[type=submit]")
        .await?;
    b.find("#evidence ul").await?;
    let listed = b.text("#evidence ul").await?;
    ensure!(
        listed.contains("facture-septembre.png"),
        "the evidence list does not show the file: {listed:?}"
    );
    b.page("evidence").await?;

    b.click(".letters a[href$='/letter']").await?;
    b.wait_path_is(&format!("{complaint}/letter")).await?;
    let letter = b.text(".letter").await?;
    ensure!(letter.contains("500"), "the letter does not state the rise");
    b.page("letter").await?;
    b.print_png("letter-printed").await?;
    printed(b, "price_hike-letter").await?;
    Ok(())
}

/// Prints the page as Chromium does (WebDriver "print page"), keeps the PDF beside the
/// screenshots for a look (`pdftoppm -png -r 60 FILE.pdf out`), and checks a letter fits
/// one or two A4/Letter pages rather than spilling a line onto a third.
async fn printed(b: &Browser, name: &str) -> Res {
    let pdf = b.c.print(Default::default()).await?;
    ensure!(pdf.starts_with(b"%PDF"), "printing the letter gave no PDF");
    let pages = pdf
        .windows(12)
        .filter(|w| w.starts_with(b"/Type /Page") && w[11] != b's')
        .count();
    ensure!(
        (1..=2).contains(&pages),
        "the printed {name} has {pages} pages, expected 1 or 2"
    );
    let file = crate::harness::screenshot_dir().join(format!(
        "{}-{}-{name}.pdf",
        b.lang.code(),
        b.size.name()
    ));
    std::fs::write(file, pdf)?;
    Ok(())
}

/// What the complaint page says about the claim: next step, state, timeline length.
async fn claim_status(b: &Browser) -> Res<(String, String, usize)> {
    let next = b.text(".next-step").await?;
    let state = b.text(".next-step .state strong").await.unwrap_or_default();
    let events = b.all(".timeline li").await?.len();
    Ok((next, state, events))
}

/// One move of the claim with the mouse; checks the page moved on.
async fn claim_move(
    b: &mut Browser,
    action: &str,
    fill: &[(&str, &str)],
    picks: &[(&str, &str)],
) -> Res {
    let complaint = b.path().await?;
    let before = claim_status(b).await?;
    b.click(&format!(".actions-list a[href$='/claim/{action}']"))
        .await?;
    b.wait_path(&format!("{complaint}/claim/{action}")).await?;
    b.page(&format!("{action}-form")).await?;
    for (css, value) in picks {
        b.select(css, value).await?;
    }
    for (css, value) in fill {
        b.fill(css, value).await?;
    }
    b.submit("form[action$='/claim'] button[type=submit]")
        .await?;
    b.wait_path_is(&complaint).await?;
    let after = claim_status(b).await?;
    ensure!(
        after.0 != before.0,
        "the next-step text did not change after {action}"
    );
    ensure!(
        after.1 != before.1,
        "the state did not change after {action}: {}",
        after.1
    );
    ensure!(
        after.2 == before.2 + 1,
        "the timeline went from {} to {} events after {action}",
        before.2,
        after.2
    );
    Ok(())
}

/// Sent, answered with an offer, escalated to the mediator, resolved with a partial refund.
pub async fn claim(b: &mut Browser) -> Res {
    register(b, "claim").await?;
    file_billing(b).await?;
    b.page("filed").await?;
    // One obvious step on a new complaint: get the letter.
    ensure!(
        b.all(".next-step .primary-step a.button[href$='/letter']")
            .await?
            .len()
            == 1,
        "no primary 'get the letter' step on a new complaint"
    );
    // Sent three months ago (typed in the date's boxes), so that the mediator's window
    // (two months after sending) is open today.
    let sent = chrono::Utc::now().date_naive() - chrono::Duration::days(90);
    let (day, month, year) = (
        sent.format("%-d").to_string(),
        sent.format("%-m").to_string(),
        sent.format("%Y").to_string(),
    );
    claim_move(
        b,
        "send",
        &[
            ("#on", &day),
            ("#on-month", &month),
            ("#on-year", &year),
            ("#reference", "RC-2026-0042"),
        ],
        &[("#channel", "registered_letter")],
    )
    .await?;
    b.page("sent").await?;
    claim_move(
        b,
        "answer",
        &[
            ("#amount", "20"),
            (
                "#note",
                b.lang
                    .pick("Geste commercial de 20 EUR.", "A 20 EUR goodwill gesture."),
            ),
        ],
        &[],
    )
    .await?;
    b.page("answered").await?;
    claim_move(b, "escalate", &[], &[("#body", "mediator")]).await?;
    b.page("escalated").await?;
    // Once escalated, the letter to the mediator, with the timeline.
    let complaint = b.path().await?;
    b.click(".letters a[href$='/letter?to=mediator']").await?;
    b.wait_path_is(&format!("{complaint}/letter?to=mediator"))
        .await?;
    let events = b.all(".letter .timeline li").await?.len();
    ensure!(
        events == 4,
        "the mediator letter lists {events} events, expected 4"
    );
    b.page("mediator-letter").await?;
    printed(b, "mediator-letter").await?;
    b.c.back().await?;
    b.wait_path_is(&complaint).await?;
    claim_move(
        b,
        "resolve",
        &[("#amount", "60")],
        &[("#outcome", "partial_refund")],
    )
    .await?;
    ensure!(
        b.all(".actions-list a").await?.is_empty(),
        "a resolved claim still offers moves"
    );
    b.page("resolved").await?;

    b.click(".nav-list a[href='/complaints']").await?;
    b.wait_path_is("/complaints").await?;
    let rows = b.all("tbody tr").await?.len();
    ensure!(rows == 1, "the list shows {rows} complaints, expected 1");
    b.page("list").await?;
    Ok(())
}

/// Follows each link of the error summary and checks where the focus lands.
pub async fn check_summary_links(b: &Browser) -> Res<Vec<String>> {
    let links = b.all(".error-summary a").await?;
    ensure!(!links.is_empty(), "no error summary");
    let mut targets = Vec::new();
    for link in links {
        let href = link.attr("href").await?.unwrap_or_default();
        targets.push(href.trim_start_matches('#').to_string());
    }
    for id in &targets {
        b.click(&format!(".error-summary a[href='#{id}']")).await?;
        focus_reached(b, id).await?;
    }
    Ok(targets)
}

/// After following a link to `#id`, the focus is on that field, or (a group of radios) the
/// next Tab reaches its first control.
pub async fn focus_reached(b: &Browser, id: &str) -> Res {
    if b.focused_matches(&format!("#{id}")).await? {
        return Ok(());
    }
    b.press(fantoccini::key::Key::Tab).await?;
    ensure!(
        b.focused_matches(&format!("#{id} input, #{id} select, #{id} textarea"))
            .await?,
        "following the summary link to #{id} leaves the focus on {}",
        b.focused_describe().await?
    );
    Ok(())
}

/// A wrong form: a bad amount and an end date before the start date.
pub async fn wrong_form(b: &mut Browser) -> Res {
    register(b, "wrong").await?;
    b.go("/complaints/new").await?;
    b.select("#provider", "wana").await?;
    b.click("#kind-service_cut").await?;
    continue_to(b, "facts").await?;
    let title = b
        .lang
        .pick("Coupure des appels vers le Maroc", "Calls to Morocco cut");
    b.fill("#title", title).await?;
    b.fill(
        "#description",
        b.lang
            .pick("Plus aucun appel ne passe.", "No call goes through."),
    )
    .await?;
    b.fill("#amount_claimed", "89 euros et des poussières")
        .await?;
    b.select("#service", "international_calls").await?;
    b.fill_date("#started_on", "2026-09-07").await?;
    b.fill_date("#ended_on", "2026-09-01").await?;
    b.click("#still_billed").await?;
    b.submit("form.step-form button[type=submit]").await?;
    b.find(".error-summary").await?;
    b.page("errors").await?;
    // Without JavaScript of ours: the summary takes the focus, the title says "Error".
    ensure!(
        b.focused_matches(".error-summary").await?,
        "the error summary does not have the focus"
    );
    let page_title = b.c.title().await?;
    ensure!(
        page_title.starts_with(b.lang.pick("Erreur : ", "Error: ")),
        "the title does not start with the error: {page_title}"
    );

    let targets = check_summary_links(b).await?;
    for wanted in ["amount_claimed", "ended_on"] {
        ensure!(
            targets.iter().any(|t| t == wanted),
            "the error summary does not link to {wanted}: {targets:?}"
        );
    }
    ensure!(b.value("#title").await? == title, "the title was lost");
    ensure!(
        b.value("#amount_claimed").await? == "89 euros et des poussières",
        "the amount typed was lost"
    );
    ensure!(
        b.date_value("#started_on").await? == "2026-09-07",
        "the start date was lost"
    );
    ensure!(
        b.date_value("#ended_on").await? == "2026-09-01",
        "the end date was lost"
    );
    ensure!(
        b.value("#service").await? == "international_calls",
        "the service was lost"
    );
    ensure!(
        !b.all("#service").await?.is_empty() && b.all("#old_price").await?.is_empty(),
        "the page does not ask the facts of the problem chosen, and only them"
    );
    ensure!(
        b.find("#still_billed").await?.is_selected().await?,
        "the checkbox was lost"
    );
    ensure!(
        b.find("#amount_claimed")
            .await?
            .attr("aria-invalid")
            .await?
            .as_deref()
            == Some("true"),
        "the wrong amount is not marked invalid"
    );

    b.fill("#amount_claimed", "89").await?;
    b.fill_date("#ended_on", "2026-09-20").await?;
    continue_to(b, "check").await?;
    file_checked(b).await?;
    ensure!(
        !b.path().await?.ends_with("/new") && b.all(".error-summary").await?.is_empty(),
        "the corrected form was not accepted"
    );
    b.page("fixed").await?;
    Ok(())
}

/// `/stats`, the filters, the CSV download, one provider's page.
pub async fn stats(b: &mut Browser) -> Res {
    b.go("/").await?;
    b.click(".nav-list a[href='/stats']").await?;
    b.wait_path("/stats").await?;
    b.assert_chrome(false).await?;
    let rows = b.all("table.stats tbody tr").await?.len();
    ensure!(rows > 3, "the statistics table has {rows} rows");
    b.page("index").await?;

    // The language switch keeps the page, and comes back.
    let other = match b.lang {
        crate::harness::Lang::Fr => "en",
        crate::harness::Lang::En => "fr",
    };
    b.click("a[hreflang]").await?;
    b.wait_lang(other).await?;
    b.wait_path_is("/stats").await?;
    b.page("other-language").await?;
    b.click("a[hreflang]").await?;
    b.wait_lang(b.lang.code()).await?;
    b.wait_path_is("/stats").await?;
    b.assert_chrome(false).await?;

    b.click("#kind-price_hike").await?;
    b.select("#country", "MA").await?;
    b.submit("form.filters button[type=submit]").await?;
    let filtered = b.wait_path("/stats?").await?;
    ensure!(
        filtered.contains("kind=price_hike") && filtered.contains("country=MA"),
        "the filters did not reach the address: {filtered}"
    );
    ensure!(
        b.value("#country").await? == "MA",
        "the filter lost its value"
    );
    b.page("filtered").await?;

    b.click(".downloads a[href^='/stats/providers.csv']")
        .await?;
    let csv = wait_download(b, "recours-providers-v*").await?;
    ensure!(
        csv.lines().count() > 1 && csv.contains("wana"),
        "the CSV download holds: {csv:?}"
    );

    b.click("table.stats tbody th a[href^='/stats/providers/wana']")
        .await?;
    b.wait_path("/stats/providers/wana").await?;
    ensure!(
        b.path().await?.contains("kind=price_hike"),
        "the provider page lost the filters"
    );
    let declared = b.lang.pick("20\u{202F}000\u{202F}000", "20,000,000");
    ensure!(
        b.text("main").await?.contains(declared),
        "the declared subscribers are not written as {declared}"
    );
    b.page("provider").await?;
    b.click("#kind-price_hike").await?;
    b.select("#country", "").await?;
    b.submit("form.filters button[type=submit]").await?;
    // The form's empty fields are left out: exactly the unfiltered page.
    b.wait_path_is("/stats/providers/wana").await?;
    ensure!(
        !b.all(".table-scroll table").await?.is_empty(),
        "the provider page has no tables"
    );
    b.page("provider-all").await?;

    // What the data is: the methodology from the page's links, then a data dictionary.
    b.click(".downloads a[href='/stats/methodology']").await?;
    b.wait_path_is("/stats/methodology").await?;
    let sections = b.all("nav.toc a").await?.len();
    ensure!(sections >= 10, "the methodology lists {sections} sections");
    b.page("methodology").await?;
    b.click("a[href='/stats/dictionary/providers']").await?;
    b.wait_path_is("/stats/dictionary/providers").await?;
    ensure!(
        b.all("table.dictionary tbody tr").await?.len() > 20,
        "the data dictionary lists too few columns"
    );
    b.page("dictionary").await?;
    Ok(())
}

/// An association asks, on a phone: which provider had the worst rate for price rises in
/// Morocco over the last 12 months? Kleema, a reseller on Wana's Moroccan network filed
/// under France, must be the answer.
pub async fn morocco(b: &mut Browser) -> Res {
    b.go("/stats").await?;
    b.select("#period", "last-12-months").await?;
    b.select("#country", "MA").await?;
    b.click("#kind-price_hike").await?;
    b.submit("form.filters button[type=submit]").await?;
    let filtered = b.wait_path("/stats?").await?;
    for wanted in ["period=last-12-months", "country=MA", "kind=price_hike"] {
        ensure!(filtered.contains(wanted), "{wanted} is not in {filtered}");
    }
    let selection = b.text(".selection").await?;
    ensure!(
        selection.contains("Kleema (FR)") && selection.contains("Wana (MA)"),
        "the page does not say that Morocco includes Kleema: {selection:?}"
    );
    // The rate's heading sorts by it, worst first.
    b.click("table.stats thead a[href*='sort=-per_100k']")
        .await?;
    b.wait_path("/stats?").await?;
    ensure!(
        b.path().await?.contains("sort=-per_100k"),
        "the table was not sorted by rate"
    );
    let sorted = b
        .find("table.stats thead th[aria-sort='descending']")
        .await?;
    let heading = sorted.text().await?;
    ensure!(
        heading.contains(
            b.lang
                .pick("Pour 100 000 abonnés", "Per 100,000 subscribers")
        ),
        "the sorted column is {heading:?}"
    );
    let first = b
        .text("table.stats tbody tr:first-child th[scope='row'] a")
        .await?;
    ensure!(
        first == "Kleema",
        "the worst rate is {first:?}'s, not Kleema's"
    );
    let rate = b
        .text("table.stats tbody tr:first-child td:nth-child(3)")
        .await?;
    ensure!(
        rate.chars().next().is_some_and(|c| c.is_ascii_digit()),
        "Kleema's rate is not shown: {rate:?}"
    );
    b.page("answer").await?;

    b.click("table.stats tbody tr:first-child th[scope='row'] a")
        .await?;
    b.wait_path("/stats/providers/kleema?").await?;
    let path = b.path().await?;
    ensure!(
        path.contains("period=last-12-months") && !path.contains("sort="),
        "Kleema's page has the period, not the list's order: {path}"
    );
    ensure!(
        b.all(".error-summary").await?.is_empty() && !b.all("dl.facts").await?.is_empty(),
        "Kleema's page shows no figures"
    );
    b.page("kleema").await?;
    Ok(())
}

/// Waits for a file the browser downloads; returns its text.
/// `name` may end with `*`: a file whose name starts with what comes before (a name that
/// carries the data's version).
pub async fn wait_download(b: &Browser, name: &str) -> Res<String> {
    let matches = |f: &str| match name.strip_suffix('*') {
        Some(prefix) => f.starts_with(prefix) && !f.ends_with(".crdownload"),
        None => f == name,
    };
    for _ in 0..100 {
        let found = std::fs::read_dir(b.downloads())
            .into_iter()
            .flatten()
            .flatten()
            .find(|e| matches(&e.file_name().to_string_lossy()));
        if let Some(text) = found.and_then(|e| std::fs::read_to_string(e.path()).ok())
            && !text.is_empty()
        {
            return Ok(text);
        }
        rocket::tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    Err(format!("the browser did not download {name}").into())
}

/// The reset link of the newest `.eml` file that holds one: the server runs without
/// `smtp_url`, so its messages are files under `<data_dir>/outbox/` (quoted-printable: soft
/// line breaks are undone first).
async fn reset_link_in_outbox(b: &Browser) -> Res<String> {
    let dir = b.dir.join("data/outbox");
    for _ in 0..300 {
        let mut found: Vec<(std::time::SystemTime, String)> = Vec::new();
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let text = std::fs::read_to_string(entry.path())?.replace("=\r\n", "");
            let modified = entry.metadata()?.modified()?;
            if let Some(at) = text.find("/password/reset/") {
                let token: String = text[at + "/password/reset/".len()..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                    .collect();
                found.push((modified, format!("/password/reset/{token}")));
            }
        }
        if let Some((_, link)) = found.into_iter().max() {
            return Ok(link);
        }
        rocket::tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    Err("no password reset message in the outbox folder".into())
}

/// Forgot my password: ask for a link, open it from the message, choose a new password, log
/// in with it.
pub async fn forgot(b: &mut Browser) -> Res {
    register(b, "forgot").await?;
    b.submit("form[action='/logout'] button").await?;
    b.wait_path_is("/").await?;
    b.go("/login").await?;
    b.click("a[href='/password/forgot']").await?;
    b.wait_path("/password/forgot").await?;
    b.page("forgot").await?;
    b.fill("#email", &email(b, "forgot")).await?;
    b.submit("form[action='/password/forgot'] button[type=submit]")
        .await?;
    ensure!(
        !b.all(".flash").await?.is_empty(),
        "no message saying a link is on its way"
    );
    b.page("forgot-sent").await?;

    let link = reset_link_in_outbox(b).await?;
    b.go(&link).await?;
    b.wait_path_is("/password/reset").await?;
    b.page("reset").await?;
    let new_password = "a new passphrase after forgetting";
    b.fill("#password", new_password).await?;
    b.fill("#password_confirm", new_password).await?;
    b.submit("form[action='/password/reset'] button[type=submit]")
        .await?;
    b.wait_path("/login").await?;
    b.page("reset-done").await?;
    b.fill("#email", &email(b, "forgot")).await?;
    b.fill("#password", new_password).await?;
    b.submit("form[action='/login'] button[type=submit]")
        .await?;
    b.wait_path_is("/").await?;
    b.assert_chrome(true).await?;
    Ok(())
}

/// The seed case as one complaint: the line cut while billed and a price rise of about
/// 500 % whose notice never came, one claim of 89 EUR; then a correction and a document
/// added and removed.
pub async fn seed_case(b: &mut Browser) -> Res {
    register(b, "seed").await?;
    b.go("/complaints/new").await?;
    b.select("#provider", "kleema").await?;
    b.click("#kind-service_cut").await?;
    b.click("#kind-price_hike").await?;
    b.page("seed-problems").await?;
    continue_to(b, "facts").await?;
    ensure!(
        b.all("#billing_issue").await?.is_empty(),
        "step 2 asks the facts of a problem not ticked"
    );
    b.fill(
        "#title",
        b.lang.pick(
            "Ligne coupée mais facturée, puis hausse de 500 %",
            "Line cut but billed, then a 500 % rise",
        ),
    )
    .await?;
    b.fill(
        "#description",
        b.lang.pick(
            "Depuis le 7 septembre les appels vers le Maroc ne passent plus, l'abonnement est toujours prélevé, et le prix est passé de 15 à 89 EUR sans que je reçoive le courriel annoncé.",
            "Since 7 September calls to Morocco no longer go through, the subscription is still charged, and the price went from 15 to 89 EUR without the announced e-mail ever reaching me.",
        ),
    )
    .await?;
    b.fill("#amount_claimed", "89").await?;
    b.select("#service", "international_calls").await?;
    b.fill_date("#started_on", "2026-09-07").await?;
    b.click("#still_billed").await?;
    b.fill("#monthly_fee", "15").await?;
    b.fill("#old_price", "15").await?;
    b.fill("#new_price", "89").await?;
    b.fill_date("#effective_on", "2026-10-01").await?;
    b.select("#announced_by", "email").await?;
    b.page("seed-facts").await?;
    continue_to(b, "check").await?;
    let check = b.text("main").await?;
    ensure!(
        check.contains(b.lang.pick("Appels internationaux", "International calls")),
        "the check page does not show the service cut: {check}"
    );
    b.page("seed-check").await?;
    let complaint = file_checked(b).await?;
    let facts = b.text("main").await?;
    ensure!(
        facts.contains("+493") && facts.contains("89"),
        "the complaint page lacks the rise or the claim: {facts}"
    );
    b.page("seed-filed").await?;

    // A wrong document, removed.
    let wrong = b.dir.join("pas-la-bonne-facture.png");
    std::fs::write(&wrong, b.c.screenshot().await?)?;
    b.find("#file")
        .await?
        .send_keys(&wrong.display().to_string())
        .await?;
    b.submit("form[action$='/attachments'] button[type=submit]")
        .await?;
    b.find("#evidence .evidence-item").await?;
    b.page("seed-evidence").await?;
    b.submit("#evidence .evidence-item form button[type=submit]")
        .await?;
    b.wait_path_is(&complaint).await?;
    ensure!(
        b.all("#evidence .evidence-item").await?.is_empty(),
        "the document is still listed"
    );

    // A correction before sending: the claim becomes 95 EUR.
    b.click(&format!("a[href='{complaint}/edit']")).await?;
    b.wait_path_is(&format!("{complaint}/edit")).await?;
    b.page("seed-edit").await?;
    b.fill("#amount_claimed", "95").await?;
    b.submit(&format!(
        "form[action='{complaint}/edit'] button[type=submit]"
    ))
    .await?;
    b.wait_path_is(&complaint).await?;
    let page = b.text("main").await?;
    ensure!(
        page.contains("95"),
        "the corrected amount is not shown: {page}"
    );
    b.page("seed-edited").await?;
    Ok(())
}

/// A staff, reviewer or admin account's first login: the password, then its second factor
/// set up as a person would, typing the secret shown into an authenticator app; the
/// recovery codes are shown once, then the home page.
async fn log_in_and_enrol(b: &mut Browser, email: &str) -> Res {
    b.go("/login").await?;
    b.fill("#email", email).await?;
    b.fill("#password", PASSWORD).await?;
    b.submit("form[action='/login'] button[type=submit]")
        .await?;
    b.wait_path("/login/enrol").await?;
    b.page("enrol").await?;
    let secret = b.text("#secret").await?;
    let secret = totp_rs::Secret::try_from_base32(secret.replace(' ', ""))
        .map_err(|e| format!("the secret shown is not base32: {e:?}"))?;
    let code = totp_rs::Builder::new()
        .with_secret(secret.as_bytes().to_vec())
        .build()
        .map_err(|e| format!("the secret shown is unusable: {e:?}"))?
        .generate_current()
        .to_string();
    b.fill("#code", &code).await?;
    b.submit("form[action='/login/enrol'] button[type=submit]")
        .await?;
    let codes = b.all(".recovery-codes code").await?;
    ensure!(codes.len() >= 8, "recovery codes shown: {}", codes.len());
    b.page("recovery-codes").await?;
    b.click("main a.button").await?;
    b.wait_path_is("/").await?;
    Ok(())
}

/// A staff account of the provider `slug`, made as an operator would: `recours user create`,
/// the password on standard input.
fn create_staff(b: &Browser, email: &str, slug: &str) -> Res {
    use std::io::Write;
    let data = b.dir.join("data");
    let mut child = std::process::Command::new(crate::harness::BIN)
        .args(["user", "create", "--email", email, "--role", "provider"])
        .args(["--provider", slug])
        .env("ROCKET_DATA_DIR", &data)
        .env("DATABASE_URL", data.join("recours.db"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()?;
    child
        .stdin
        .take()
        .ok_or("no stdin")?
        .write_all(format!("{PASSWORD}\n").as_bytes())?;
    let out = child.wait_with_output()?;
    ensure!(
        out.status.success(),
        "user create failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(())
}

/// Kleema's staff answer the claims sent through Recours: the inbox, a filter, one case,
/// then one monetary relief to several cases at once.
pub async fn staff_inbox(b: &mut Browser) -> Res {
    register(b, "sender").await?;
    let today = chrono::Utc::now().date_naive();
    let (day, month, year) = (
        today.format("%-d").to_string(),
        today.format("%-m").to_string(),
        today.format("%Y").to_string(),
    );
    let mut sent = Vec::new();
    for _ in 0..3 {
        let complaint = file_billing(b).await?;
        claim_move(
            b,
            "send",
            &[
                ("#on", &day),
                ("#on-month", &month),
                ("#on-year", &year),
                ("#account_name", "Karim B."),
            ],
            &[("#channel", "recours")],
        )
        .await?;
        sent.push(complaint.trim_start_matches("/complaints/").to_string());
    }
    b.submit("form[action='/logout'] button").await?;
    b.wait_path_is("/").await?;

    let staff = email(b, "staff");
    create_staff(b, &staff, "kleema")?;
    log_in_and_enrol(b, &staff).await?;
    b.click(".nav-list a[href='/provider/complaints']").await?;
    b.wait_path_is("/provider/complaints").await?;
    b.page("inbox").await?;
    let counts = b.text(".counts").await?;
    ensure!(counts.starts_with('3'), "three cases wait: {counts}");

    b.select("#state", "sent").await?;
    b.select("#kind", "billing").await?;
    b.submit("form.filters button[type=submit]").await?;
    b.wait_path("/provider/complaints?state=sent").await?;
    ensure!(
        b.all("input[name^='case-']").await?.len() == 3,
        "the filter shows the three billing cases sent"
    );
    b.page("inbox-filtered").await?;

    b.click(&format!("a[href='/provider/complaints/{}']", sent[0]))
        .await?;
    b.wait_path_is(&format!("/provider/complaints/{}", sent[0]))
        .await?;
    let case = b.text("main").await?;
    ensure!(
        case.contains("Karim B."),
        "the case lacks the account's name: {case}"
    );
    b.page("case").await?;
    b.click(".breadcrumb a[href='/provider/complaints']")
        .await?;
    b.wait_path_is("/provider/complaints").await?;

    for id in &sent[..2] {
        b.click(&format!("#case-{id}")).await?;
    }
    b.click("#response-monetary_relief").await?;
    b.fill("#amount", "89").await?;
    b.fill(
        "#text",
        b.lang.pick(
            "Nous remboursons le mois prélevé.",
            "We refund the month charged.",
        ),
    )
    .await?;
    b.page("answer-two").await?;
    b.submit("form[action='/provider/complaints/response'] button[type=submit]")
        .await?;
    b.find(".flash").await?;
    b.wait_path_is("/provider/complaints").await?;
    let counts = b.text(".counts").await?;
    ensure!(counts.starts_with('1'), "one case still waits: {counts}");
    b.page("answered").await?;
    Ok(())
}
