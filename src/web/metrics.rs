//! `/metrics` for Prometheus, only for the addresses in `metrics_allow` (loopback by default;
//! the client address honours `trusted_proxies`) or a request bearing `metrics_token`. Anyone
//! else gets 404, as for a page that does not exist: the figures say how busy the service is.

use std::net::IpAddr;

use rocket::http::{ContentType, Status};
use rocket::request::{FromRequest, Outcome, Request};
use rocket::{State, get};
use subtle::ConstantTimeEq;

use super::client::ClientAddr;
use crate::config::AppConfig;
use crate::db::Db;
use crate::ops::metrics::{METRICS, Metrics};
use crate::password::Hasher;
use crate::web::errors::AppError;

/// The request may read the metrics.
pub struct MetricsReader;

fn bearer_matches(header: Option<&str>, token: Option<&str>) -> bool {
    match (header.and_then(|h| h.strip_prefix("Bearer ")), token) {
        (Some(given), Some(token)) if !token.is_empty() => {
            bool::from(given.as_bytes().ct_eq(token.as_bytes()))
        }
        _ => false,
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for MetricsReader {
    type Error = ();
    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, ()> {
        let Some(config) = req.rocket().state::<AppConfig>() else {
            return Outcome::Error((Status::NotFound, ()));
        };
        let client = req.guard::<ClientAddr>().await;
        let allowed = client
            .succeeded()
            .and_then(|c| c.0.parse::<IpAddr>().ok())
            .is_some_and(|ip| config.metrics_allow.contains(ip));
        let bearer = bearer_matches(
            req.headers().get_one("Authorization"),
            config.metrics_token.as_deref(),
        );
        if allowed || bearer {
            Outcome::Success(MetricsReader)
        } else {
            Outcome::Error((Status::NotFound, ()))
        }
    }
}

#[get("/metrics")]
pub async fn metrics(
    _reader: MetricsReader,
    db: &State<Db>,
    hasher: &State<Hasher>,
    config: &State<AppConfig>,
) -> Result<(ContentType, String), AppError> {
    let outbox = db.run(crate::store::outbox::summary).await?;
    for (state, n) in [
        ("waiting", outbox.waiting),
        ("sent", outbox.sent),
        ("failed", outbox.failed),
    ] {
        Metrics::set(&METRICS.outbox, state, usize::try_from(n).unwrap_or(0));
    }
    let age = outbox
        .oldest_waiting
        .map_or(0, |t| (crate::store::now() - t).num_seconds().max(0));
    METRICS.outbox_oldest_waiting.set(age);
    let (open, idle) = db.pool_state();
    Metrics::set(&METRICS.pool_connections, "idle", idle as usize);
    Metrics::set(
        &METRICS.pool_connections,
        "in_use",
        open.saturating_sub(idle) as usize,
    );
    let bound = config.hash_queue();
    Metrics::set(&METRICS.hash_queue, "admitted", hasher.admitted(bound));
    Metrics::set(&METRICS.hash_queue, "bound", bound);
    let text = METRICS
        .encode()
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let openmetrics = ContentType::new("application", "openmetrics-text")
        .with_params([("version", "1.0.0"), ("charset", "utf-8")]);
    Ok((openmetrics, text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_configured_bearer_token_opens() {
        assert!(bearer_matches(Some("Bearer s3cret"), Some("s3cret")));
        assert!(!bearer_matches(Some("Bearer s3cre"), Some("s3cret")));
        assert!(!bearer_matches(Some("s3cret"), Some("s3cret")));
        assert!(!bearer_matches(Some("Bearer "), Some("")));
        assert!(!bearer_matches(None, Some("s3cret")));
        assert!(!bearer_matches(Some("Bearer s3cret"), None));
    }
}
