//! The keyboard alone: Tab, Enter and Space to move and act, the arrow keys inside a select or
//! a group of radios, typed characters into fields; never a click. Every journey of the
//! mouse tests, in one sitting: register, log out, log in; a wrong form corrected through the
//! error summary; a price-hike complaint and its letter; the claim from sent to resolved;
//! the statistics, their filters, the CSV download and a provider's page.
//! (Choosing a file to attach opens the system's file chooser, out of WebDriver's reach: the
//! mouse journey attaches the evidence.)

use fantoccini::key::Key;

use crate::ensure;
use crate::harness::{Browser, Res};
use crate::journeys::{PASSWORD, wait_download};

pub async fn everything(b: &mut Browser) -> Res {
    let email = format!("keys-{}-{}@example.org", b.lang.code(), b.size.name());

    // Register.
    b.go("/").await?;
    b.press(Key::Tab).await?;
    ensure!(
        b.focused_matches(".skip-link").await?,
        "the first Tab does not reach the skip link but {}",
        b.focused_describe().await?
    );
    b.page("skip-link").await?;
    b.tab_to(".nav-list a[href='/register']").await?;
    b.press(Key::Enter).await?;
    b.wait_path_is("/register").await?;
    b.tab_type("#email", &email).await?;
    b.tab_type("#password", PASSWORD).await?;
    b.tab_type("#password_confirm", PASSWORD).await?;
    b.tab_to("form[action='/register'] button[type=submit]")
        .await?;
    b.page("register-filled").await?;
    b.press(Key::Enter).await?;
    b.wait_path_is("/complaints/new").await?;
    b.assert_chrome(true).await?;

    // Log out (Space on the button), log in (Enter in the password field).
    b.tab_to("form[action='/logout'] button").await?;
    b.press(Key::Space).await?;
    b.wait_path_is("/").await?;
    b.assert_chrome(false).await?;
    b.tab_to(".nav-list a[href='/login']").await?;
    b.press(Key::Enter).await?;
    b.wait_path("/login").await?;
    b.tab_type("#email", &email).await?;
    b.tab_type("#password", PASSWORD).await?;
    b.press(Key::Enter).await?;
    b.wait_path_is("/").await?;
    b.assert_chrome(true).await?;

    // A price-hike complaint, first with a wrong amount.
    b.tab_to(".nav-list a[href='/complaints/new']").await?;
    b.press(Key::Enter).await?;
    b.wait_path_is("/complaints/new").await?;
    b.tab_to("#provider").await?;
    b.arrow_select("#provider", "kleema").await?;
    // Each problem is a checkbox of its own: Tab reaches it, Space ticks it.
    b.tab_to("#kind-price_hike").await?;
    b.press(Key::Space).await?;
    ensure!(
        b.find("#kind-price_hike").await?.is_selected().await?,
        "Space did not tick the price rise"
    );
    b.tab_to("form.step-form button[type=submit]").await?;
    b.press(Key::Enter).await?;
    b.wait_path_end("/facts").await?;
    b.tab_type("#title", "A 500 % rise without notice").await?;
    b.tab_type(
        "#description",
        "Calls to Morocco went from 5 to 30 EUR a month.",
    )
    .await?;
    b.tab_type("#amount_claimed", "75x").await?;
    b.tab_type("#old_price", "5").await?;
    b.tab_type("#new_price", "30").await?;
    b.tab_type_date("#effective_on", "2026-09-07").await?;
    b.tab_to("#announced_by").await?;
    b.arrow_select("#announced_by", "email").await?;
    b.tab_to("form.step-form button[type=submit]").await?;
    b.press(Key::Enter).await?;
    b.wait_path_end("/facts").await?;
    b.find(".error-summary").await?;
    b.tab_to(".error-summary a[href='#amount_claimed']").await?;
    b.page("error-link").await?;
    b.press(Key::Enter).await?;
    ensure!(
        b.focused_matches("#amount_claimed").await?,
        "the summary link left the focus on {}",
        b.focused_describe().await?
    );
    ensure!(
        b.value("#amount_claimed").await? == "75x",
        "the amount typed was lost"
    );
    b.press(Key::End).await?;
    for _ in 0..3 {
        b.press(Key::Backspace).await?;
    }
    b.type_keys("75").await?;
    ensure!(
        b.value("#amount_claimed").await? == "75",
        "the amount is now {:?}",
        b.value("#amount_claimed").await?
    );
    b.tab_to("form.step-form button[type=submit]").await?;
    b.press(Key::Space).await?;
    b.wait_path_end("/check").await?;
    b.tab_to("form.file-form button[type=submit]").await?;
    b.press(Key::Enter).await?;
    let complaint = b.wait_complaint().await?;
    ensure!(
        b.text(".increase").await?.contains("+500"),
        "no +500 % on the complaint page"
    );
    b.page("filed").await?;

    // The letter, and back.
    b.tab_to(".letters a[href$='/letter']").await?;
    b.press(Key::Enter).await?;
    b.wait_path_is(&format!("{complaint}/letter")).await?;
    b.tab_to(".breadcrumb a").await?;
    b.press(Key::Enter).await?;
    b.wait_path_is(&complaint).await?;

    // The claim: sent, answered, escalated, resolved.
    // (action, the date's boxes typed into, selects chosen with the arrows, fields typed
    // into), each group in the form's order so that Tab only moves forward.
    type Fields<'a> = &'a [(&'a str, &'a str)];
    type Move<'a> = (&'a str, Fields<'a>, Fields<'a>, Fields<'a>);
    // Sent three months ago, typed in the date's boxes: the mediator's window is open.
    let sent = chrono::Utc::now().date_naive() - chrono::Duration::days(90);
    let (day, month, year) = (
        sent.format("%-d").to_string(),
        sent.format("%-m").to_string(),
        sent.format("%Y").to_string(),
    );
    let sent_on = [
        ("#on", day.as_str()),
        ("#on-month", month.as_str()),
        ("#on-year", year.as_str()),
    ];
    let moves: [Move; 4] = [
        ("send", &sent_on, &[("#channel", "email")], &[]),
        ("answer", &[], &[], &[("#amount", "20")]),
        ("escalate", &[], &[("#body", "mediator")], &[]),
        (
            "resolve",
            &[],
            &[("#outcome", "partial_refund")],
            &[("#amount", "60")],
        ),
    ];
    for (action, date, selects, fields) in moves {
        let before = b.text(".next-step").await?;
        b.tab_to(&format!(".actions-list a[href$='/claim/{action}']"))
            .await?;
        b.press(Key::Enter).await?;
        b.wait_path_is(&format!("{complaint}/claim/{action}"))
            .await?;
        for (css, value) in date {
            b.tab_type(css, value).await?;
        }
        for (css, value) in selects {
            b.tab_to(css).await?;
            b.arrow_select(css, value).await?;
        }
        for (css, value) in fields {
            b.tab_type(css, value).await?;
        }
        b.tab_to("form[action$='/claim'] button[type=submit]")
            .await?;
        b.press(Key::Enter).await?;
        b.wait_path_is(&complaint).await?;
        let after = b.text(".next-step").await?;
        ensure!(
            after != before,
            "the next step did not change after {action}"
        );
    }
    b.page("resolved").await?;

    // The statistics: a filter, the CSV, a provider.
    b.tab_to(".nav-list a[href='/stats']").await?;
    b.press(Key::Enter).await?;
    b.wait_path_is("/stats").await?;
    // The kinds are checkboxes (several may be chosen): Tab reaches one, Space ticks it.
    b.tab_to("#kind-price_hike").await?;
    b.press(Key::Space).await?;
    b.tab_to("form.filters button[type=submit]").await?;
    b.press(Key::Space).await?;
    b.wait_path("/stats?").await?;
    ensure!(
        b.path().await?.contains("kind=price_hike"),
        "the filter did not apply"
    );
    b.tab_to(".downloads a[href^='/stats/providers.csv']")
        .await?;
    b.press(Key::Enter).await?;
    wait_download(b, "recours-providers-v*").await?;
    b.tab_to("table.stats tbody th a").await?;
    b.page("stats-link").await?;
    b.press(Key::Enter).await?;
    b.wait_path("/stats/providers/").await?;
    b.page("provider").await?;
    Ok(())
}
