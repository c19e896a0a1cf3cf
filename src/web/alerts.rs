//! `/review/alerts`: days far above a provider's recent baseline, for reviewers and admins,
//! each with "declare an incident from this".

use askama::Template;
use rocket::http::Status;
use rocket::{State, get};

use super::complaints::today;
use super::page::{Page, Reply, render};
use super::review::Reviewer;
use crate::db::Db;
use crate::store::alerts::{self as store, Alert};
use crate::web::errors::AppError;

/// How many days back the page looks.
const DAYS: i64 = 14;

#[derive(Template)]
#[template(path = "review/alerts.html")]
struct AlertsView {
    p: Page,
    alerts: Vec<Alert>,
    days: i64,
}

impl AlertsView {
    fn baseline(&self, a: &Alert) -> String {
        format!("{:.1}", a.spike.baseline)
    }

    fn tail(&self, a: &Alert) -> String {
        format!("{:.1e}", a.spike.tail)
    }
}

#[get("/review/alerts")]
pub async fn alerts(p: Page, _reviewer: Reviewer, db: &State<Db>) -> Result<Reply, AppError> {
    let today = today();
    let alerts = db.run(move |conn| store::recent(conn, today, DAYS)).await?;
    render(
        &AlertsView {
            p,
            alerts,
            days: DAYS,
        },
        Status::Ok,
    )
}
