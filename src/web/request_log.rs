//! One line per request on standard output, and its count and latency in the metrics: its id (also sent back as `X-Request-Id`),
//! method, route, status and duration. The route is the matched route's path template
//! (`/complaints/<id>`), never the URI: no ids, no query string, no form field, no cookie
//! reaches the log. Rocket's own per-request lines (at `log_level = "normal"`) show raw
//! URIs: with this log on, they are silenced (`quiet_rocket`).

use std::io::Write;
use std::time::Instant;

use rocket::fairing::{Fairing, Info, Kind};
use rocket::{Data, Request, Response};
use serde::Deserialize;

use crate::ops::metrics::METRICS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// `request id=… method=GET route=/complaints/<id> status=200 ms=1.2`
    #[default]
    Text,
    /// One JSON object per line.
    Json,
    /// No request log.
    Off,
}

pub struct RequestLog(pub LogFormat);

/// The request's id and start, kept in the request's local cache.
struct Started {
    id: String,
    at: Instant,
}

/// An incoming id is kept only if short and plain (a proxy's, to follow a request across
/// logs); anything else could forge or break log lines, and is replaced.
fn accepted_id(given: Option<&str>) -> Option<String> {
    given
        .filter(|id| {
            (1..=64).contains(&id.len())
                && id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b))
        })
        .map(str::to_string)
}

/// Our line replaces Rocket's per-request lines, which print the raw URI with its query
/// string: with the request log on, `normal` becomes `critical` (launch and errors only).
/// `debug` is left as asked: it is for a developer's machine.
pub fn quiet_rocket(
    figment: rocket::figment::Figment,
    format: LogFormat,
) -> rocket::figment::Figment {
    use rocket::config::LogLevel;
    match figment.extract_inner::<LogLevel>("log_level") {
        Ok(LogLevel::Normal) if format != LogFormat::Off => {
            figment.merge(("log_level", LogLevel::Critical))
        }
        _ => figment,
    }
}

/// One log line; every field is ours or a route template, so none needs escaping in text.
pub fn line(
    format: LogFormat,
    id: &str,
    method: &str,
    route: &str,
    status: u16,
    ms: f64,
) -> String {
    match format {
        LogFormat::Json => serde_json::json!({
            "request_id": id,
            "method": method,
            "route": route,
            "status": status,
            "duration_ms": (ms * 10.0).round() / 10.0,
        })
        .to_string(),
        _ => format!("request id={id} method={method} route={route} status={status} ms={ms:.1}"),
    }
}

#[rocket::async_trait]
impl Fairing for RequestLog {
    fn info(&self) -> Info {
        Info {
            name: "request log",
            kind: Kind::Request | Kind::Response,
        }
    }

    async fn on_request(&self, req: &mut Request<'_>, _: &mut Data<'_>) {
        let id = accepted_id(req.headers().get_one("X-Request-Id"))
            .unwrap_or_else(|| uuid::Uuid::new_v4().simple().to_string());
        req.local_cache(|| Started {
            id,
            at: Instant::now(),
        });
    }

    async fn on_response<'r>(&self, req: &'r Request<'_>, res: &mut Response<'r>) {
        let started = req.local_cache(|| Started {
            id: uuid::Uuid::new_v4().simple().to_string(),
            at: Instant::now(),
        });
        res.set_raw_header("X-Request-Id", started.id.clone());
        // A catcher's answer (404 for an unknown URI) matched no route: never print the URI.
        let route = req.route().map_or("-", |r| r.uri.path());
        let seconds = started.at.elapsed().as_secs_f64();
        let (method, status) = (req.method().as_str(), res.status().code);
        METRICS.request(method, route, status, seconds);
        if self.0 == LogFormat::Off {
            return;
        }
        let text = line(self.0, &started.id, method, route, status, seconds * 1000.0);
        // A closed standard output must not fail the request.
        let _ = writeln!(std::io::stdout().lock(), "{text}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_short_plain_ids_are_kept() {
        assert_eq!(
            accepted_id(Some("abc-123_x.y:z")).as_deref(),
            Some("abc-123_x.y:z")
        );
        for bad in ["", "a b", "a\nrequest id=forged", "é", &"x".repeat(65)] {
            assert_eq!(accepted_id(Some(bad)), None, "{bad:?}");
        }
        assert_eq!(accepted_id(None), None);
    }

    #[test]
    fn lines_in_text_and_json() {
        assert_eq!(
            line(LogFormat::Text, "r1", "GET", "/complaints/<id>", 200, 1.234),
            "request id=r1 method=GET route=/complaints/<id> status=200 ms=1.2"
        );
        let json: serde_json::Value =
            serde_json::from_str(&line(LogFormat::Json, "r1", "POST", "/login", 303, 12.345))
                .unwrap();
        assert_eq!(json["request_id"], "r1");
        assert_eq!(json["route"], "/login");
        assert_eq!(json["status"], 303);
        assert_eq!(json["duration_ms"], 12.3);
    }
}
