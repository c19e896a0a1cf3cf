//! `/readyz`: whether this instance should receive traffic. `/healthz` says the process
//! answers (liveness); this adds that the database answers and its schema is this version's.

use rocket::http::Status;
use rocket::{State, get};

use crate::db::Db;
use crate::web::errors::AppError;

/// 200 `ready`; 503 with the reason while the database does not answer or a migration of
/// this version is not applied.
#[get("/readyz")]
pub async fn readyz(db: &State<Db>) -> (Status, String) {
    let state = db
        .run(|conn| conn.migration_state().map_err(AppError::Internal))
        .await;
    match state {
        Ok(state) if state.pending.is_empty() => (Status::Ok, "ready".into()),
        Ok(state) => (
            Status::ServiceUnavailable,
            format!("migrations not applied: {}", state.pending.join(", ")),
        ),
        Err(_) => (
            Status::ServiceUnavailable,
            "the database does not answer".into(),
        ),
    }
}
