//! The process's metrics, in one registry that `/metrics` encodes (OpenMetrics text, which
//! Prometheus reads). Counters and histograms are moved where things happen, by a line each
//! (`METRICS.…`); the gauges of the database pool, the password-hash queue and the e-mail
//! outbox (waiting, sent, failed, oldest waiting age) are read at each scrape (`web::metrics`).

use std::sync::LazyLock;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::{Metric, Registry, Unit};

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub method: &'static str,
    /// The matched route's template, never the URI: a bounded set of values.
    pub route: String,
    pub status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabels {
    pub method: &'static str,
    pub route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct StateLabels {
    pub state: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct MoveLabels {
    pub r#move: &'static str,
}

type HistogramFamily<L> = Family<L, Histogram, fn() -> Histogram>;

fn latency() -> Histogram {
    // 1 ms to about 16 s.
    Histogram::new(exponential_buckets(0.001, 2.0, 15))
}

/// The names and help texts, one metric a line (kept as a table).
#[rustfmt::skip]
fn register(r: &mut Registry, m: &Metrics) {
    let seconds = || Some(Unit::Seconds);
    add(r, "http_requests", "Requests answered, by route template and status", None, &m.requests);
    add(r, "http_request_duration", "From a request's arrival to its answer", seconds(), &m.request_seconds);
    add(r, "db_pool_connections", "Database pool connections: idle or in_use", None, &m.pool_connections);
    add(r, "db_writer_waiting", "Writes queued for the SQLite group writer", None, &m.writer_waiting);
    add(r, "db_writer_batch_size", "Writes committed together by one group commit", None, &m.writer_batch_size);
    add(r, "db_writer_commit", "Time of the group writer's durable COMMIT", seconds(), &m.writer_commit_seconds);
    add(r, "password_hash_queue", "Password hashes admitted (running or waiting), and the bound", None, &m.hash_queue);
    add(r, "password_hash_refused", "Password hashes refused at once, the queue full (503)", None, &m.hash_refused);
    add(r, "stats_cache_lookups", "Statistics cache lookups: hit or miss", None, &m.stats_cache);
    add(r, "complaints_filed", "Complaints filed through this instance", None, &m.complaints_filed);
    add(r, "claim_moves", "Claim moves recorded through this instance, by move", None, &m.claim_moves);
    add(r, "outbox_messages", "E-mail outbox messages (all instances): waiting, sent or failed", None, &m.outbox);
    add(r, "outbox_oldest_waiting", "Age of the oldest message waiting to be sent (0: none)", seconds(), &m.outbox_oldest_waiting);
}

/// Registers a metric (a handle sharing its values), with its unit if any.
fn add<M: Metric + Clone>(
    r: &mut Registry,
    name: &str,
    help: &str,
    unit: Option<Unit>,
    metric: &M,
) {
    match unit {
        Some(unit) => r.register_with_unit(name, help, unit, metric.clone()),
        None => r.register(name, help, metric.clone()),
    }
}

pub struct Metrics {
    registry: Registry,
    pub requests: Family<RequestLabels, Counter>,
    pub request_seconds: HistogramFamily<RouteLabels>,
    pub pool_connections: Family<StateLabels, Gauge>,
    pub writer_waiting: Gauge,
    pub writer_batch_size: Histogram,
    pub writer_commit_seconds: Histogram,
    pub hash_queue: Family<StateLabels, Gauge>,
    pub hash_refused: Counter,
    pub stats_cache: Family<StateLabels, Counter>,
    pub complaints_filed: Counter,
    pub claim_moves: Family<MoveLabels, Counter>,
    pub outbox: Family<StateLabels, Gauge>,
    pub outbox_oldest_waiting: Gauge,
}

pub static METRICS: LazyLock<Metrics> = LazyLock::new(Metrics::new);

impl Metrics {
    fn new() -> Metrics {
        let mut registry = Registry::with_prefix("recours");
        let m = Metrics {
            registry: Registry::default(),
            requests: Family::default(),
            request_seconds: Family::new_with_constructor(latency),
            pool_connections: Family::default(),
            writer_waiting: Gauge::default(),
            writer_batch_size: Histogram::new(exponential_buckets(1.0, 2.0, 9)),
            writer_commit_seconds: Histogram::new(exponential_buckets(0.0005, 2.0, 14)),
            hash_queue: Family::default(),
            hash_refused: Counter::default(),
            stats_cache: Family::default(),
            complaints_filed: Counter::default(),
            claim_moves: Family::default(),
            outbox: Family::default(),
            outbox_oldest_waiting: Gauge::default(),
        };
        register(&mut registry, &m);
        Metrics { registry, ..m }
    }

    /// The registry in the OpenMetrics text format.
    pub fn encode(&self) -> Result<String, std::fmt::Error> {
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &self.registry)?;
        Ok(text)
    }

    pub fn request(&self, method: &'static str, route: &str, status: u16, seconds: f64) {
        let route = route.to_string();
        self.requests
            .get_or_create(&RequestLabels {
                method,
                route: route.clone(),
                status,
            })
            .inc();
        self.request_seconds
            .get_or_create(&RouteLabels { method, route })
            .observe(seconds);
    }

    pub fn stats_cache(&self, hit: bool) {
        let state = if hit { "hit" } else { "miss" };
        self.stats_cache.get_or_create(&StateLabels { state }).inc();
    }

    pub fn claim_move(&self, name: &'static str) {
        self.claim_moves
            .get_or_create(&MoveLabels { r#move: name })
            .inc();
    }

    /// Sets a gauge of a `state` family.
    pub fn set(family: &Family<StateLabels, Gauge>, state: &'static str, value: usize) {
        family
            .get_or_create(&StateLabels { state })
            .set(i64::try_from(value).unwrap_or(i64::MAX));
    }
}
