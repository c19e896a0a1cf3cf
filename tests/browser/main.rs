//! Real-browser tests: the release app (or the debug one under plain `cargo test`) on a fresh
//! SQLite database, driven through chromedriver in headless Chromium, with axe-core checking
//! every key page against WCAG 2.1 A and AA and a screenshot of each under
//! `target/screenshots/`.
//!
//! Skipped (passing, with the reason on stderr) when no chromedriver is installed or when
//! `TEST_DATABASE_URL` is set (the PostgreSQL run of the suite). See the README.

mod harness;
mod journeys;
mod keys;

/// One test per journey, language and screen size, so a failure says which one.
macro_rules! journey {
    ($name:ident, $run:path) => {
        mod $name {
            use crate::harness::{Browser, Lang, Size};

            async fn run(lang: Lang, size: Size) {
                let Some(mut b) = Browser::start(lang, size, stringify!($name)).await else {
                    return;
                };
                let outcome = $run(&mut b).await;
                b.finish(outcome).await;
            }

            #[rocket::async_test]
            async fn fr_phone() {
                run(Lang::Fr, Size::Phone).await
            }
            #[rocket::async_test]
            async fn fr_desktop() {
                run(Lang::Fr, Size::Desktop).await
            }
            #[rocket::async_test]
            async fn en_phone() {
                run(Lang::En, Size::Phone).await
            }
            #[rocket::async_test]
            async fn en_desktop() {
                run(Lang::En, Size::Desktop).await
            }
        }
    };
}

journey!(account, crate::journeys::account);
journey!(price_hike, crate::journeys::price_hike);
journey!(claim, crate::journeys::claim);
journey!(wrong_form, crate::journeys::wrong_form);
journey!(seed_case, crate::journeys::seed_case);
journey!(stats, crate::journeys::stats);
journey!(morocco, crate::journeys::morocco);
journey!(forgot, crate::journeys::forgot);
journey!(staff_inbox, crate::journeys::staff_inbox);
journey!(keyboard, crate::keys::everything);

/// axe-core really runs: an image without a text alternative planted in a page is reported.
#[rocket::async_test]
async fn axe_reports_a_planted_violation() {
    use harness::{Browser, Lang, Res, Size};
    let Some(mut b) = Browser::start(Lang::En, Size::Desktop, "axe_self_check").await else {
        return;
    };
    async fn plant(b: &mut Browser) -> Res {
        b.go("/").await?;
        b.js("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\\'/favicon.png\\'>'); return true;")
            .await?;
        b.axe().await?;
        let found = b.take_violations();
        ensure!(
            found.iter().any(|v| v.contains("image-alt")),
            "axe-core did not report the image without alt: {found:?}"
        );
        Ok(())
    }
    let outcome = plant(&mut b).await;
    b.finish(outcome).await;
}
