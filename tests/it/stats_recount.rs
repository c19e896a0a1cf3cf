//! After any sequence of filings, claim moves and account deletions, every published figure
//! equals a recount from the raw rows, and `recours stats verify` agrees.

use std::collections::BTreeMap;

use diesel::prelude::*;
use proptest::prelude::*;
use rocket::local::blocking::Client;

use crate::common::{PASSWORD, TestApp, claim_move_on, login_on, post_with_token, send};
use crate::stats::{assert_matches_openapi, json};
use recours::domain::account::Role;
use recours::domain::claim::ActionKind::{self, *};

#[derive(Debug, Clone)]
enum Op {
    File {
        user: usize,
        provider: usize,
        kind: usize,
        amount: Option<u32>,
        currency: usize,
    },
    Move {
        pick: usize,
        action: usize,
        amount: u32,
        days_ago: i64,
    },
    DeleteAccount {
        user: usize,
    },
    Merge,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (0..3usize, 0..3usize, 0..5usize, proptest::option::of(1..500u32), 0..3usize)
            .prop_map(|(user, provider, kind, amount, currency)| Op::File { user, provider, kind, amount, currency }),
        8 => (any::<usize>(), 0..5usize, 0..600u32, 0..90i64)
            .prop_map(|(pick, action, amount, days_ago)| Op::Move { pick, action, amount, days_ago }),
        1 => (0..3usize).prop_map(|user| Op::DeleteAccount { user }),
        1 => Just(Op::Merge),
    ]
}

const PROVIDERS: [&str; 3] = ["wana", "kleema", "pending-telecom"];

fn run(app: &TestApp, users: &[Client], admin: &Client, ops: &[Op]) {
    let mut filed: Vec<(usize, String)> = Vec::new();
    let mut merged = false;
    for op in ops {
        match op {
            Op::File {
                user,
                provider,
                kind,
                amount,
                currency,
            } => {
                // The last: two problems in one complaint, as in the seed case.
                let kind = [
                    "service_cut",
                    "price_hike",
                    "billing",
                    "other",
                    "service_cut+price_hike",
                ][*kind];
                let amount = amount
                    .map(|a| format!("{a},{:02}", a % 100))
                    .unwrap_or_default();
                let currency = ["EUR", "MAD", "TND"][*currency];
                let mut fields: Vec<(&str, &str)> = kind.split('+').map(|k| ("kind", k)).collect();
                fields.extend([
                    ("title", "t"),
                    ("description", "d"),
                    ("amount_claimed", amount.as_str()),
                    ("currency", currency),
                ]);
                if PROVIDERS[*provider] == "pending-telecom" {
                    fields.extend([("provider", "other"), ("provider_other", "Pending Telecom")]);
                } else {
                    fields.push(("provider", PROVIDERS[*provider]));
                }
                for kind in kind.split('+') {
                    fields.extend(match kind {
                        "service_cut" => {
                            vec![("service", "internet"), ("started_on", "2026-01-02")]
                        }
                        "price_hike" => vec![
                            ("old_price", "10"),
                            ("new_price", "20"),
                            ("effective_on", "2026-01-01"),
                            ("announced_by", "sms"),
                        ],
                        "billing" => vec![
                            ("billing_issue", "double_charge"),
                            ("charged_on", "2026-01-01"),
                            ("charged_amount", "5"),
                        ],
                        _ => vec![],
                    });
                }
                let res = post_with_token(&users[*user], "/complaints", &fields);
                if res.status == rocket::http::Status::SeeOther {
                    filed.push((*user, res.location().to_string()));
                }
            }
            Op::Move {
                pick,
                action,
                amount,
                days_ago,
            } => {
                if filed.is_empty() {
                    continue;
                }
                let (user, path) = &filed[pick % filed.len()];
                let on = (chrono::Utc::now().date_naive() - chrono::Duration::days(*days_ago))
                    .to_string();
                let amount = format!("{}.{:02}", amount / 100, amount % 100);
                let (kind, fields): (ActionKind, Vec<(&str, &str)>) = match action {
                    0 => (Send, vec![("on", &on), ("channel", "email")]),
                    1 => (Answer, vec![("on", &on), ("amount", &amount)]),
                    2 => (Escalate, vec![("on", &on), ("body", "mediator")]),
                    3 => (
                        Resolve,
                        vec![
                            ("on", &on),
                            (
                                "outcome",
                                ["full_refund", "partial_refund", "no_refund"][pick % 3],
                            ),
                            ("amount", if pick % 3 == 1 { amount.as_str() } else { "" }),
                        ],
                    ),
                    _ => (Withdraw, vec![("on", &on)]),
                };
                // Refused moves (409, 422) and deleted owners (redirect) change nothing.
                claim_move_on(&users[*user], path, kind, &fields);
            }
            Op::DeleteAccount { user } => {
                post_with_token(
                    &users[*user],
                    "/account/delete",
                    &[("delete_password", PASSWORD)],
                );
            }
            Op::Merge => {
                if !merged {
                    post_with_token(
                        admin,
                        "/admin/providers/merge",
                        &[("from", "pending-telecom"), ("into", "kleema")],
                    );
                    merged = true;
                }
            }
        }
    }
    let _ = app;
}

/// Complaint id, provider slug and status, currency, amount claimed, claim state, amount
/// received.
type RawRow = (
    String,
    String,
    String,
    String,
    Option<i64>,
    Option<String>,
    Option<i64>,
);

/// The published figures recounted straight from the complaints, problems and claims
/// tables: the providers not reviewed yet together under `pending`, below 5 complaints
/// nothing but the number of complaints, and a complaint once in the totals and once under
/// each kind of its problems.
fn recount(app: &TestApp) -> BTreeMap<String, Value> {
    use recours::db::schema::{claims, complaint_problems, complaints, providers};
    let mut kinds: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let problems: Vec<(String, String)> = complaint_problems::table
        .select((complaint_problems::complaint_id, complaint_problems::kind))
        .load(&mut *app.conn())
        .unwrap();
    for (id, kind) in problems {
        kinds.entry(id).or_default().push(kind);
    }
    let rows: Vec<RawRow> = complaints::table
        .inner_join(providers::table)
        .left_join(claims::table)
        .select((
            complaints::id,
            providers::slug,
            providers::status,
            complaints::currency,
            complaints::amount_claimed,
            claims::state.nullable(),
            claims::received.nullable(),
        ))
        .load(&mut *app.conn())
        .unwrap();
    let mut out: BTreeMap<String, Value> = BTreeMap::new();
    for (id, slug, status, currency, amount, state, received) in rows {
        let slug = if status == "pending" {
            "pending".to_string()
        } else {
            slug
        };
        let p = out.entry(slug).or_insert_with(|| serde_json::json!({"complaints": 0, "by_kind": {}, "claims": {"total": 0, "by_state": {}, "claimed": {}, "received": {}}}));
        bump(&mut p["complaints"], 1);
        for kind in &kinds[&id] {
            bump(&mut p["by_kind"][kind], 1);
        }
        if let (Some(amount), Some(state)) = (amount, state) {
            bump(&mut p["claims"]["total"], 1);
            bump(&mut p["claims"]["by_state"][&state], 1);
            bump(&mut p["claims"]["claimed"][&currency], amount);
            if state == "resolved" {
                bump(
                    &mut p["claims"]["received"][&currency],
                    received.unwrap_or(0),
                );
            }
        }
    }
    for p in out.values_mut() {
        for money in ["claimed", "received"] {
            let m = p["claims"][money]
                .as_object()
                .unwrap()
                .iter()
                .filter(|(_, n)| n.as_i64() != Some(0))
                .map(|(k, n)| (k.clone(), n.clone()))
                .collect();
            p["claims"][money] = Value::Object(m);
        }
        if p["complaints"].as_i64().unwrap() < 5 {
            p["by_kind"] = Value::Null;
            for field in ["total", "by_state", "claimed", "received"] {
                p["claims"][field] = Value::Null;
            }
        }
    }
    out
}

type Value = serde_json::Value;

fn bump(v: &mut Value, by: i64) {
    *v = serde_json::json!(v.as_i64().unwrap_or(0) + by);
}

/// The published figures in the recount's shape (zeros dropped).
fn published(app: &TestApp) -> BTreeMap<String, Value> {
    let doc = json(&app.get("/api/v1/stats/providers"));
    assert_matches_openapi(&doc, "ProvidersResponse");
    let nonzero = |v: &Value| -> Value {
        if v.is_null() {
            return Value::Null;
        }
        Value::Object(
            v.as_object()
                .unwrap()
                .iter()
                .filter(|(_, n)| n.as_i64() != Some(0))
                .map(|(k, n)| (k.clone(), n.clone()))
                .collect(),
        )
    };
    doc["providers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let c = &p["claims"];
            (
                p["slug"].as_str().unwrap().to_string(),
                serde_json::json!({
                    "complaints": p["complaints"],
                    "by_kind": nonzero(&p["by_kind"]),
                    "claims": {
                        "total": c["total"],
                        "by_state": nonzero(&c["by_state"]),
                        "claimed": c["claimed"],
                        "received": c["received"],
                    },
                }),
            )
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    #[test]
    fn published_figures_equal_a_recount(ops in proptest::collection::vec(op(), 5..40)) {
        let app = TestApp::new();
        app.provider("wana", "Wana", Some(3_000_000), None);
        app.provider("kleema", "Kleema", Some(50_000), Some("wana"));
        let users: Vec<Client> = (0..3)
            .map(|i| {
                let email = format!("user{i}@example.org");
                app.create_user(&email, Role::Subscriber);
                let client = app.another_instance();
                login_on(&client, &email, PASSWORD).assert_redirect("/");
                client
            })
            .collect();
        app.create_user("admin@example.org", Role::Admin);
        let admin = app.another_instance();
        login_on(&admin, "admin@example.org", PASSWORD).assert_redirect("/");

        run(&app, &users, &admin, &ops);

        let differences = recours::store::stats::verify(&mut app.conn()).unwrap();
        prop_assert!(differences.is_empty(), "{differences:#?}");
        prop_assert_eq!(published(&app), recount(&app));
        let _ = send(admin.get("/stats"));
    }
}
