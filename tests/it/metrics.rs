//! `/metrics`: who may read it, and its counters moving, read with a strict parser of the
//! text format.

use std::collections::{BTreeMap, BTreeSet};

use rocket::http::{Header, Status};

use recours::domain::account::Role;

use crate::common::{Resp, TestApp, peer_addr, send};

#[derive(Debug)]
struct Sample {
    name: String,
    labels: BTreeMap<String, String>,
    value: f64,
}

/// Parses the OpenMetrics / Prometheus text format strictly: `# HELP`, `# TYPE`, `# UNIT`
/// lines, samples `name{label="value",…} value` of a declared family, `# EOF` last.
fn parse(text: &str) -> Vec<Sample> {
    let mut families = BTreeSet::new();
    let mut samples = Vec::new();
    let mut ended = false;
    for line in text.lines() {
        assert!(!ended, "a line after # EOF: {line:?}");
        if line == "# EOF" {
            ended = true;
            continue;
        }
        if let Some(rest) = line.strip_prefix("# ") {
            let mut parts = rest.splitn(3, ' ');
            let (kind, name) = (parts.next().unwrap(), parts.next().expect("a name"));
            assert!(["HELP", "TYPE", "UNIT"].contains(&kind), "{line:?}");
            if kind == "TYPE" {
                let t = parts.next().expect("a type");
                assert!(
                    [
                        "counter",
                        "gauge",
                        "histogram",
                        "summary",
                        "info",
                        "unknown"
                    ]
                    .contains(&t),
                    "{line:?}"
                );
                families.insert(name.to_string());
            }
            continue;
        }
        let name_end = line.find(['{', ' ']).unwrap_or_else(|| panic!("{line:?}"));
        let name = &line[..name_end];
        assert!(
            name.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':'),
            "{name:?}"
        );
        let family = ["_total", "_bucket", "_sum", "_count", "_created", ""]
            .iter()
            .find_map(|s| name.strip_suffix(s).filter(|f| families.contains(*f)));
        assert!(family.is_some(), "{name} belongs to no declared family");
        let mut rest = &line[name_end..];
        let mut labels = BTreeMap::new();
        if let Some(inner) = rest.strip_prefix('{') {
            let mut chars = inner.char_indices();
            let mut key = String::new();
            let close = loop {
                let (i, c) = chars.next().expect("labels end");
                match c {
                    '}' => break i,
                    ',' => {}
                    '=' => {
                        assert_eq!(chars.next().map(|(_, c)| c), Some('"'), "{line:?}");
                        let mut value = String::new();
                        loop {
                            match chars.next().expect("value ends").1 {
                                '"' => break,
                                '\\' => match chars.next().expect("an escape").1 {
                                    'n' => value.push('\n'),
                                    c @ ('"' | '\\') => value.push(c),
                                    c => panic!("bad escape \\{c} in {line:?}"),
                                },
                                c => value.push(c),
                            }
                        }
                        labels.insert(std::mem::take(&mut key), value);
                    }
                    c => key.push(c),
                }
            };
            rest = &inner[close + 1..];
        }
        let value = rest
            .strip_prefix(' ')
            .and_then(|v| v.split(' ').next())
            .unwrap_or_else(|| panic!("no value: {line:?}"));
        let value: f64 = match value {
            "+Inf" => f64::INFINITY,
            "-Inf" => f64::NEG_INFINITY,
            v => v
                .parse()
                .unwrap_or_else(|_| panic!("bad value in {line:?}")),
        };
        samples.push(Sample {
            name: name.to_string(),
            labels,
            value,
        });
    }
    assert!(ended, "no # EOF");
    samples
}

/// The value of the sample `name` whose labels include `labels` (0 when absent: a counter
/// that has not moved yet).
fn value(samples: &[Sample], name: &str, labels: &[(&str, &str)]) -> f64 {
    samples
        .iter()
        .filter(|s| s.name == name)
        .filter(|s| {
            labels
                .iter()
                .all(|(k, v)| s.labels.get(*k).map(String::as_str) == Some(*v))
        })
        .map(|s| s.value)
        .sum()
}

fn scrape_from(app: &TestApp, ip: &str, extra: Option<Header<'static>>) -> Resp {
    let mut req = app.client.get("/metrics").remote(peer_addr(ip));
    if let Some(h) = extra {
        req = req.header(h);
    }
    send(req)
}

fn scrape(app: &TestApp) -> Vec<Sample> {
    let res = scrape_from(app, "127.0.0.1", None);
    assert_eq!(res.status, Status::Ok, "{}", res.body);
    assert!(
        res.header("Content-Type")
            .is_some_and(|t| t.starts_with("application/openmetrics-text")),
        "{:?}",
        res.header("Content-Type")
    );
    parse(&res.body)
}

#[test]
fn metrics_answer_only_allowed_addresses_or_the_bearer_token() {
    let app = TestApp::with(|f| {
        f.merge(("metrics_token", "s3cret-token"))
            .merge(("trusted_proxies", "10.0.0.1"))
    });
    let bearer = |t: &str| Some(Header::new("Authorization", format!("Bearer {t}")));
    assert_eq!(scrape_from(&app, "127.0.0.1", None).status, Status::Ok);
    assert_eq!(
        scrape_from(&app, "203.0.113.7", None).status,
        Status::NotFound
    );
    assert_eq!(
        scrape_from(&app, "203.0.113.7", bearer("wrong")).status,
        Status::NotFound
    );
    let res = scrape_from(&app, "203.0.113.7", bearer("s3cret-token"));
    assert_eq!(res.status, Status::Ok);
    // Behind the trusted proxy, the client is the forwarded address, not the proxy's.
    let forwarded = Some(Header::new("X-Forwarded-For", "203.0.113.7"));
    assert_eq!(
        scrape_from(&app, "10.0.0.1", forwarded).status,
        Status::NotFound
    );
    let forwarded = Some(Header::new("X-Forwarded-For", "127.0.0.1"));
    assert_eq!(scrape_from(&app, "10.0.0.1", forwarded).status, Status::Ok);
    // A request without a known address is refused too.
    assert_eq!(send(app.client.get("/metrics")).status, Status::NotFound);
}

#[test]
fn metrics_counters_move_after_requests() {
    let app = TestApp::new();
    app.provider("kleema", "Kleema", None, None);
    app.logged_in_as("ana@example.org", Role::Subscriber);
    let before = scrape(&app);
    let filed = app.filed(&[]);
    app.post(
        &format!("{filed}/claim"),
        &[
            ("action", "send"),
            ("on", "2026-11-02"),
            ("channel", "email"),
        ],
    )
    .assert_redirect(&filed);
    for _ in 0..2 {
        assert_eq!(app.get("/stats").status, Status::Ok);
    }
    let after = scrape(&app);

    let moved = |name: &str, labels: &[(&str, &str)]| {
        value(&after, name, labels) - value(&before, name, labels)
    };
    let filing = [
        ("method", "POST"),
        ("route", "/complaints"),
        ("status", "303"),
    ];
    assert!(moved("recours_http_requests_total", &filing) >= 1.0);
    let route = [("method", "POST"), ("route", "/complaints/<id>/claim")];
    assert!(moved("recours_http_request_duration_seconds_count", &route) >= 1.0);
    assert!(
        value(
            &after,
            "recours_http_request_duration_seconds_bucket",
            &route
        ) >= 1.0
    );
    assert!(moved("recours_complaints_filed_total", &[]) >= 1.0);
    assert!(moved("recours_claim_moves_total", &[("move", "send")]) >= 1.0);
    assert!(moved("recours_stats_cache_lookups_total", &[("state", "hit")]) >= 1.0);
    assert!(
        value(
            &after,
            "recours_stats_cache_lookups_total",
            &[("state", "miss")]
        ) >= 1.0
    );
    assert!(value(&after, "recours_password_hash_queue", &[("state", "bound")]) >= 1.0);
    // The filing queued its confirmation: waiting, or already sent by this instance.
    let queued = value(&after, "recours_outbox_messages", &[("state", "waiting")])
        + value(&after, "recours_outbox_messages", &[("state", "sent")]);
    assert!(
        queued >= 1.0,
        "the outbox gauges count the filing's message"
    );
    assert!(value(&after, "recours_outbox_oldest_waiting_seconds", &[]) >= 0.0);
    assert!(value(&after, "recours_db_pool_connections", &[("state", "idle")]) >= 0.0);
    assert!(
        after
            .iter()
            .any(|s| s.name == "recours_db_pool_connections"),
        "no pool gauge"
    );
    if !app.backend.is_postgres() {
        assert!(moved("recours_db_writer_batch_size_count", &[]) >= 2.0);
        assert!(moved("recours_db_writer_commit_seconds_count", &[]) >= 2.0);
    }
    // No label holds a raw URI: the complaint's id never shows.
    let id = filed.rsplit('/').next().unwrap();
    assert!(
        after
            .iter()
            .all(|s| s.labels.values().all(|v| !v.contains(id)))
    );
}
