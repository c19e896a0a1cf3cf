//! Integration tests through the real HTTP surface, each on a fresh database.

mod accounts;
mod claims;
mod cli;
mod common;
mod complaints;
mod concurrency;
mod corrections;
mod country;
mod csv_injection;
mod data_docs;
mod directory;
mod evidence;
mod filing;
mod frictionless;
mod hostile;
mod incidents;
mod ladders;
mod lockout;
mod mail;
mod metrics;
mod open_data;
mod open_records;
mod ops;
mod pages;
mod privacy;
mod provider_portal;
mod review_export;
mod review_search;
mod second_factor;
mod security;
mod stats;
mod stats_privacy;
mod stats_recount;
mod stats_tables;

#[test]
fn backend_in_use() {
    let app = common::TestApp::new();
    if app.backend.is_postgres() {
        println!("running on PostgreSQL");
    } else {
        println!(
            "PostgreSQL tests skipped: TEST_DATABASE_URL is not set (run with --features postgres \
             and TEST_DATABASE_URL=postgres://… to run this suite on PostgreSQL)"
        );
    }
    assert_eq!(app.get("/healthz").body, "ok");
}
