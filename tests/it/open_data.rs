//! The open data as an API client and an analyst use it: strict query strings, methods,
//! HTTP caching, compression, CORS, and what the document says.

use rocket::http::{Header, Method, Status};
use serde_json::Value;

use crate::common::{TestApp, send};
use crate::stats::{OPENAPI, app_with, assert_matches_openapi, json, provider};

fn count(doc: &Value, slug: &str) -> i64 {
    provider(doc, slug)["complaints"].as_i64().unwrap()
}

/// A refused API query string: 400, JSON in the document's Error shape, naming `name`.
#[track_caller]
fn api_refuses(app: &TestApp, query: &str, name: &str) {
    let res = app.get(&format!("/api/v1/stats/providers?{query}"));
    assert_eq!(res.status, Status::BadRequest, "{query}: {}", res.body);
    let body = json(&res);
    assert_matches_openapi(&body, "Error");
    assert_eq!(body["parameter"], name, "{query}: {body}");
    assert!(body["error"].as_str().unwrap().starts_with(name), "{body}");
}

#[test]
fn repeated_unknown_and_empty_parameters_are_refused_naming_them() {
    let app = app_with(4, 1);
    for (query, name) in [
        ("kind=billing&from=2026-05&from=bogus", "from"),
        ("from=2026-05&from=2026-05", "from"),
        ("to=", "to"),
        ("to", "to"),
        ("kind=", "kind"),
        ("colour=red", "colour"),
        ("Kind=billing", "Kind"),
        ("from=1899-12", "from"),
        ("provider=NOT_A_SLUG", "provider"),
    ] {
        api_refuses(&app, query, name);
        let csv = app.get(&format!("/stats/providers.csv?{query}"));
        assert_eq!(csv.status, Status::BadRequest, "{query}");
        assert_eq!(
            csv.header("Content-Type"),
            Some("text/plain; charset=utf-8")
        );
        assert!(csv.body.starts_with(name), "{query}: {}", csv.body);
    }
    let detail = app.get("/api/v1/stats/providers/kleema?provider=wana");
    assert_eq!(
        detail.status,
        Status::BadRequest,
        "one provider's page takes no provider"
    );
    assert_eq!(json(&detail)["parameter"], "provider");
    let doc = app.get("/api/v1/openapi.json?x=1");
    assert_eq!(json(&doc)["parameter"], "x");

    // The pages say it beside the filters, in the page's language.
    let page = app.get("/stats?from=2026-01&from=2026-02");
    assert_eq!(page.status, Status::BadRequest);
    page.assert_contains("The parameter “from” takes one value");
    page.assert_contains(r##"<a href="#from">"##);
    let page = app.get("/stats?colour=red");
    assert_eq!(page.status, Status::BadRequest);
    page.assert_contains("This page does not take the parameter “colour”");
    let page = app.get("/stats/providers/kleema?from=2026-13");
    assert_eq!(page.status, Status::BadRequest);
    page.assert_contains("Enter months like 2026-03.");
    page.assert_contains("Kleema");
    assert_eq!(
        app.get("/stats/providers/nosuch?from=2026-13").status,
        Status::NotFound
    );
}

#[test]
fn the_filter_form_without_javascript_lands_on_the_clean_address() {
    let app = app_with(4, 1);
    // What a browser sends for the form with only the kinds ticked.
    app.get("/stats?from=&to=&country=&kind=billing&kind=other")
        .assert_redirect("/stats?kind=billing&kind=other");
    app.get("/stats/providers/kleema?from=&to=2026-12&country=")
        .assert_redirect("/stats/providers/kleema?to=2026-12");
    // An empty value beside a repeated one is still refused.
    assert_eq!(
        app.get("/stats?from=&to=2026-01&to=2026-02").status,
        Status::BadRequest
    );
    let page = app.get("/stats?kind=billing&kind=other");
    assert_eq!(page.status, Status::Ok);
    page.assert_contains(r#"value="billing" checked"#);
    page.assert_contains(r#"value="other" checked"#);
    page.assert_contains(r#"href="/stats/providers.csv?kind=billing&#38;kind=other""#);
}

#[test]
fn several_kinds_countries_and_providers_select_their_union() {
    let app = app_with(8, 3);
    let all = json(&app.get("/api/v1/stats/providers"));
    assert_eq!(count(&all, "kleema"), 8);
    let one = json(&app.get("/api/v1/stats/providers?kind=billing"));
    assert_eq!(count(&one, "kleema"), 2);
    let two = json(&app.get("/api/v1/stats/providers?kind=billing&kind=price_hike"));
    assert_matches_openapi(&two, "ProvidersResponse");
    assert_eq!(count(&two, "kleema"), 4);
    assert_eq!(
        two["filters"]["kind"],
        serde_json::json!(["price_hike", "billing"])
    );
    let same = json(&app.get("/api/v1/stats/providers?kind=billing&kind=billing"));
    assert_eq!(
        count(&same, "kleema"),
        2,
        "the same kind twice is that kind"
    );

    let only = json(&app.get("/api/v1/stats/providers?provider=wana"));
    assert_eq!(only["providers"].as_array().unwrap().len(), 1);
    assert_eq!(count(&only, "wana"), 3);
    let both = json(&app.get("/api/v1/stats/providers?provider=wana&provider=kleema"));
    assert_eq!(both["providers"].as_array().unwrap().len(), 2);
    assert_eq!(
        both["filters"]["provider"],
        serde_json::json!(["kleema", "wana"])
    );
    let none = json(&app.get("/api/v1/stats/providers?provider=nosuch"));
    assert_eq!(none["providers"].as_array().unwrap().len(), 0);

    let fr = json(&app.get("/api/v1/stats/providers?country=ma&country=FR"));
    assert_eq!(fr["filters"]["country"], serde_json::json!(["FR", "MA"]));
    assert_eq!(fr["providers"].as_array().unwrap().len(), 2);

    let csv = app.get("/stats/providers.csv?kind=billing&kind=price_hike&provider=kleema");
    assert_eq!(csv.status, Status::Ok);
    let lines: Vec<&str> = csv.body.lines().collect();
    assert_eq!(lines.len(), 2, "{}", csv.body);
    assert!(
        lines[1].starts_with("kleema,Kleema,FR,wana,50000,4,"),
        "{}",
        lines[1]
    );
    let page = app.get("/stats?provider=kleema");
    assert_eq!(page.status, Status::Ok);
    // In the table: the filters list Wana as a network above it.
    let table = &page.body[page.body.find("<table class=\"stats\"").unwrap()..];
    assert!(!table.contains(">Wana<"), "Wana is not selected");
    page.assert_contains(r#"<input type="hidden" name="provider" value="kleema">"#);
}

#[test]
fn other_methods_get_405_with_allow_and_options_answers() {
    let app = TestApp::new();
    app.provider("wana", "Wana", Some(3_000_000), None);
    for path in [
        "/api/v1/stats/providers",
        "/api/v1/stats/providers/wana",
        "/api/v1/openapi.json",
        "/api/v1/incidents",
        "/api/v1/complaints",
        "/stats/providers.csv",
        "/complaints.csv",
        "/stats",
        "/stats/providers/wana",
    ] {
        for method in [
            Method::Post,
            Method::Put,
            Method::Delete,
            Method::Patch,
            Method::Trace,
        ] {
            let res = send(app.client.req(method, path));
            assert_eq!(res.status, Status::MethodNotAllowed, "{method} {path}");
            assert_eq!(res.header("Allow"), Some("GET, HEAD, OPTIONS"));
            if path.starts_with("/api/") {
                assert_matches_openapi(&json(&res), "Error");
            }
        }
        let options = send(app.client.req(Method::Options, path));
        assert_eq!(options.status, Status::NoContent, "OPTIONS {path}");
        assert_eq!(options.header("Allow"), Some("GET, HEAD, OPTIONS"));
        let head = send(app.client.head(path));
        assert_eq!(head.status, Status::Ok, "HEAD {path}");
    }
    // An incident that does not exist still has the address's methods.
    let incident = "/api/v1/incidents/00000000-0000-0000-0000-000000000000";
    let res = send(app.client.req(Method::Put, incident));
    assert_eq!(res.status, Status::MethodNotAllowed);
    assert_eq!(res.header("Allow"), Some("GET, HEAD, OPTIONS"));
    assert_eq!(app.get(incident).status, Status::NotFound);
    // Addresses that are not public data keep their own answers.
    assert_eq!(
        send(app.client.req(Method::Delete, "/api/v1/nothing")).status,
        Status::NotFound
    );
}

/// A method Rocket does not know (schemathesis sends `QUERY`) never reaches `rocket::local`,
/// which takes Rocket's own methods only: this goes over a socket to the app on a port.
#[test]
fn a_method_rocket_does_not_know_gets_405_with_allow_too() {
    use rocket::tokio::io::{AsyncReadExt, AsyncWriteExt};
    use rocket::tokio::net::TcpStream;

    let app = TestApp::new();
    let port = crate::common::smtp::free_port();
    let figment = crate::common::base_figment(app.dir.path(), &app.database_url)
        .merge(("port", port))
        .merge(("shutdown.ctrlc", false))
        .merge(("shutdown.grace", 0))
        .merge(("shutdown.mercy", 0));
    let rocket = recours::app(figment).expect("the app starts");
    let ask = |method: &'static str, path: &'static str| async move {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        let mut stream = loop {
            match TcpStream::connect(("127.0.0.1", port)).await {
                Ok(stream) => break stream,
                Err(e) if std::time::Instant::now() > deadline => panic!("never served: {e}"),
                Err(_) => rocket::tokio::time::sleep(std::time::Duration::from_millis(20)).await,
            }
        };
        let request =
            format!("{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).await.unwrap();
        answer.to_ascii_lowercase()
    };
    rocket::tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(async move {
            let rocket = rocket.ignite().await.expect("the app ignites");
            let shutdown = rocket.shutdown();
            let server = rocket::tokio::spawn(rocket.launch());
            for path in [
                "/api/v1/stats/providers",
                "/api/v1/incidents",
                "/complaints.csv",
                "/stats",
            ] {
                for method in ["QUERY", "FROBNICATE"] {
                    let answer = ask(method, path).await;
                    assert!(
                        answer.starts_with("http/1.1 405"),
                        "{method} {path}: {answer}"
                    );
                    assert!(
                        answer.contains("\r\nallow: get, head, options\r\n"),
                        "{answer}"
                    );
                    if path.starts_with("/api/") {
                        assert!(
                            answer
                                .ends_with(r#"{"error":"this address takes get, head, options"}"#),
                            "{answer}"
                        );
                    }
                }
            }
            // Elsewhere such a request stays a bad request.
            for path in ["/api/v1/nothing", "/login"] {
                let answer = ask("QUERY", path).await;
                assert!(answer.starts_with("http/1.1 400"), "QUERY {path}: {answer}");
            }
            shutdown.notify();
            let _ = server.await;
        });
}

/// The parameter schemas of the document accept exactly what the server accepts.
#[test]
fn the_document_accepts_what_the_server_accepts() {
    let app = app_with(1, 1);
    let doc: Value = serde_json::from_str(OPENAPI).unwrap();
    let params = &doc["components"]["parameters"];
    let accepts = |name: &str, value: &str| {
        let schema = &params[name]["schema"];
        let (schema, value) = if schema["type"] == "array" {
            (schema.clone(), serde_json::json!([value]))
        } else {
            (schema.clone(), serde_json::json!(value))
        };
        let root = serde_json::json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "allOf": [schema],
            "components": doc["components"],
        });
        jsonschema::validator_for(&root).unwrap().is_valid(&value)
    };
    for (name, value) in [
        ("from", "2026-01"),
        ("from", "1900-01"),
        ("from", "1899-12"),
        ("from", "0000-01"),
        ("to", "9999-12"),
        ("to", "2026-13"),
        ("to", "2026-1"),
        ("kind", "billing"),
        ("kind", "flood"),
        ("country", "ma"),
        ("country", "MAR"),
        ("country", "é1"),
        ("provider", "wana"),
        ("provider", "-wana"),
        ("provider", "w"),
        ("provider", "Wana"),
    ] {
        let served = app
            .get(&format!(
                "/api/v1/stats/providers?{name}={}",
                crate::common::encode(value)
            ))
            .status;
        assert_eq!(
            accepts(name, value),
            served == Status::Ok,
            "{name}={value}: the server answered {served}"
        );
    }
    let from = params["from"]["description"].as_str().unwrap();
    assert!(from.contains("from must not be after to"), "{from}");
    for multi in ["kind", "country", "provider"] {
        assert_eq!(params[multi]["schema"]["type"], "array", "{multi}");
        assert_eq!(params[multi]["explode"], true, "{multi}");
    }
}

#[test]
fn figures_carry_their_version_and_answer_304_while_it_holds() {
    let app = app_with(2, 1);
    for path in [
        "/api/v1/stats/providers?kind=billing",
        "/api/v1/stats/providers/wana",
        "/stats/providers.csv",
    ] {
        let first = app.get(path);
        assert_eq!(first.status, Status::Ok, "{path}");
        assert_eq!(first.header("Cache-Control"), Some("public, max-age=60"));
        let etag = first.header("ETag").expect("an ETag").to_string();
        let modified = first
            .header("Last-Modified")
            .expect("Last-Modified")
            .to_string();
        assert!(modified.ends_with(" GMT"), "{modified}");
        let again = send(
            app.client
                .get(path)
                .header(Header::new("If-None-Match", etag.clone())),
        );
        assert_eq!(again.status, Status::NotModified, "{path}");
        assert!(again.body.is_empty());
        assert_eq!(again.header("ETag"), Some(etag.as_str()));
        let since = send(
            app.client
                .get(path)
                .header(Header::new("If-Modified-Since", modified.clone())),
        );
        assert_eq!(since.status, Status::NotModified, "{path}");
        let other = send(
            app.client
                .get(path)
                .header(Header::new("If-None-Match", "W/\"-1\"")),
        );
        assert_eq!(other.status, Status::Ok, "{path}");
    }
    let doc = json(&app.get("/api/v1/stats/providers"));
    assert_matches_openapi(&doc, "ProvidersResponse");
    let version = doc["data_version"].as_i64().unwrap();
    let res = app.get("/api/v1/stats/providers");
    assert_eq!(
        res.header("ETag"),
        Some(format!("W/\"{version}\"").as_str())
    );
    let csv = app.get("/stats/providers.csv");
    assert_eq!(
        csv.header("Content-Disposition"),
        Some(format!("attachment; filename=\"recours-providers-v{version}.csv\"").as_str())
    );
    let detail = json(&app.get("/api/v1/stats/providers/wana"));
    assert_matches_openapi(&detail, "ProviderResponse");
    assert_eq!(detail["data_version"], version);

    // A complaint filed moves the version: the old ETag no longer matches.
    let etag = res.header("ETag").unwrap().to_string();
    app.filed(&[("provider", "wana")]);
    let after = send(
        app.client
            .get("/api/v1/stats/providers")
            .header(Header::new("If-None-Match", etag.clone())),
    );
    assert_eq!(after.status, Status::Ok);
    assert_ne!(after.header("ETag"), Some(etag.as_str()));
    assert!(json(&after)["data_version"].as_i64().unwrap() > version);
}

#[test]
fn the_open_data_is_readable_from_any_origin_and_the_pages_are_not() {
    let app = app_with(1, 1);
    for path in [
        "/api/v1/stats/providers",
        "/api/v1/stats/providers/wana",
        "/api/v1/openapi.json",
        "/stats/providers.csv",
        "/api/v1/complaints",
        "/complaints.csv",
        "/api/v1/stats/providers?kind=flood",
        "/api/v1/stats/providers/nosuch",
    ] {
        let res = send(
            app.client
                .get(path)
                .header(Header::new("Origin", "https://elsewhere.example")),
        );
        assert_eq!(
            res.header("Access-Control-Allow-Origin"),
            Some("*"),
            "{path}"
        );
        assert!(
            res.header("Access-Control-Expose-Headers")
                .unwrap()
                .contains("ETag")
        );
    }
    let preflight = send(
        app.client
            .req(Method::Options, "/api/v1/stats/providers")
            .header(Header::new("Origin", "https://elsewhere.example"))
            .header(Header::new("Access-Control-Request-Method", "GET"))
            .header(Header::new(
                "Access-Control-Request-Headers",
                "if-none-match",
            )),
    );
    assert_eq!(preflight.status, Status::NoContent);
    assert_eq!(preflight.header("Access-Control-Allow-Origin"), Some("*"));
    assert_eq!(
        preflight.header("Access-Control-Allow-Methods"),
        Some("GET, HEAD, OPTIONS")
    );
    assert!(
        preflight
            .header("Access-Control-Allow-Headers")
            .unwrap()
            .contains("If-None-Match")
    );
    assert_eq!(
        app.get("/api/v1/openapi.json").header("Cache-Control"),
        Some("public, max-age=60")
    );
    // The pages: no CORS, and a logged-in visitor's page is never kept in a cache.
    let page = app.get("/stats");
    assert_eq!(page.header("Access-Control-Allow-Origin"), None);
    assert_eq!(page.header("Cache-Control"), Some("no-store"));
}

#[test]
fn text_answers_are_compressed_as_the_client_accepts() {
    use std::io::Read;
    let app = app_with(2, 1);
    let fetch = |path: &str, accept: Option<&str>| {
        let mut req = app.client.get(path.to_string());
        if let Some(a) = accept {
            req = req.header(Header::new("Accept-Encoding", a.to_string()));
        }
        let res = req.dispatch();
        let coding = res
            .headers()
            .get_one("Content-Encoding")
            .map(str::to_string);
        let vary = res.headers().get_one("Vary").map(str::to_string);
        (coding, vary, res.into_bytes().unwrap_or_default())
    };
    for path in [
        "/stats",
        "/stats/providers/wana",
        "/stats/providers.csv",
        "/api/v1/stats/providers",
        "/api/v1/openapi.json",
    ] {
        let (coding, vary, plain) = fetch(path, None);
        assert_eq!(coding, None, "{path}");
        assert_eq!(vary.as_deref(), Some("Accept-Encoding"), "{path}");
        let (coding, _, packed) = fetch(path, Some("gzip, deflate, br"));
        assert_eq!(coding.as_deref(), Some("br"), "{path}");
        let mut unpacked = Vec::new();
        brotli::Decompressor::new(&packed[..], 4096)
            .read_to_end(&mut unpacked)
            .unwrap();
        assert!(packed.len() < plain.len(), "{path}");
        let (coding, _, gz) = fetch(path, Some("gzip"));
        assert_eq!(coding.as_deref(), Some("gzip"), "{path}");
        let mut ungz = Vec::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_end(&mut ungz)
            .unwrap();
        // The pages carry a fresh CSRF token and the JSON its time: the same content,
        // not the same bytes.
        if path.ends_with(".csv") || path.ends_with("openapi.json") {
            assert_eq!(unpacked, plain, "{path}");
            assert_eq!(ungz, plain, "{path}");
        } else {
            for text in [&unpacked, &ungz] {
                let text = String::from_utf8(text.clone()).unwrap();
                assert!(
                    text.contains("Wana") && text.trim_end().ends_with(['>', '}']),
                    "{path}"
                );
            }
        }
    }
}

/// Every property of every schema says what it holds, and the data's licence is stated.
#[test]
fn every_property_of_the_document_is_described() {
    fn walk(schema: &Value, path: &str, missing: &mut Vec<String>) {
        match schema {
            Value::Object(map) => {
                if let Some(Value::Object(props)) = map.get("properties") {
                    for (name, prop) in props {
                        if prop
                            .get("description")
                            .and_then(Value::as_str)
                            .is_none_or(str::is_empty)
                        {
                            missing.push(format!("{path}.{name}"));
                        }
                    }
                }
                for (k, v) in map {
                    walk(v, &format!("{path}.{k}"), missing);
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    walk(v, &format!("{path}[{i}]"), missing);
                }
            }
            _ => {}
        }
    }
    let doc = json(&TestApp::new().get("/api/v1/openapi.json"));
    let mut missing = Vec::new();
    walk(&doc, "", &mut missing);
    assert!(
        missing.is_empty(),
        "properties without a description: {missing:#?}"
    );
    assert!(
        doc["info"]["license"]["name"]
            .as_str()
            .unwrap()
            .contains("Licence Ouverte 2.0")
    );
    assert!(
        doc["info"]["license"]["url"]
            .as_str()
            .unwrap()
            .starts_with("https://")
    );
}
