//! Every request has an id (the client's, when sensible) and one access-log line with its
//! method, route, status, latency and the caller's organisation.

use crate::helpers::{Module, SuiteHome};

#[tokio::test]
async fn each_request_gets_an_id_and_one_access_line() {
    let mut home = SuiteHome::new().await;
    home.install_enabled(&[Module::Hello]);
    let (_, employee) = home.demo_tokens();
    home.set_env("SUITE__LOG__LEVEL", "info");
    let suite = home.serve();

    let path = "/api/modules/hello/greet?name=Ada";
    let given = suite
        .send(
            reqwest::Method::GET,
            path,
            Some(&employee),
            None,
            &[("x-request-id", "trace-42.a_b")],
        )
        .await;
    assert_eq!(given.status, 200, "{:?}", given.body);
    assert_eq!(given.headers["x-request-id"], "trace-42.a_b");

    let hostile = suite
        .send(
            reqwest::Method::GET,
            path,
            Some(&employee),
            None,
            &[("x-request-id", "no spaces\tor tabs allowed")],
        )
        .await;
    let made = hostile.headers["x-request-id"].to_str().unwrap().to_owned();
    assert!(
        uuid::Uuid::parse_str(&made).is_ok(),
        "a new id replaces it: {made}"
    );

    let missing = suite.get("/api/modules/hello/nowhere", &employee).await;
    assert_eq!(missing.status, 404);

    let mut log = String::new();
    for _ in 0..50 {
        log = suite.log();
        if log.matches("access").count() >= 3 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let line = log
        .lines()
        .find(|line| line.contains("trace-42.a_b") && line.contains(" access: "))
        .unwrap_or_else(|| panic!("no access line for the request:\n{log}"));
    for part in [
        "access",
        "method=GET",
        "route=/api/modules/hello/greet",
        "status=200",
        "latency_ms=",
        "organisation=",
    ] {
        assert!(line.contains(part), "{part} missing from {line}");
    }
    assert_eq!(
        log.lines()
            .filter(|l| l.contains("trace-42.a_b") && l.contains(" access: "))
            .count(),
        1,
        "one access line per request:\n{log}"
    );
    // The module's own event of that request carries its id too.
    assert!(
        log.lines()
            .any(|l| l.contains("module: greeted") && l.contains("request_id=\"trace-42.a_b\"")),
        "{log}"
    );
    assert!(
        log.lines()
            .any(|l| l.contains(&made) && l.contains("status=200")),
        "{log}"
    );
    assert!(
        log.lines()
            .any(|l| l.contains("access") && l.contains("status=404")),
        "{log}"
    );
}

#[tokio::test]
async fn json_logs_carry_the_request_id_into_the_modules_events() {
    let mut home = SuiteHome::new().await;
    home.install_enabled(&[Module::Hello]);
    let (_, employee) = home.demo_tokens();
    home.set_env("SUITE__LOG__LEVEL", "info");
    home.set_env("SUITE__LOG__FORMAT", "json");
    let suite = home.serve();

    let reply = suite
        .send(
            reqwest::Method::GET,
            "/api/modules/hello/greet?name=Ada",
            Some(&employee),
            None,
            &[("x-request-id", "trace-json-7")],
        )
        .await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);

    let mut events: Vec<serde_json::Value> = Vec::new();
    for _ in 0..50 {
        let log = suite.log();
        // The server prints its address on stdout, which shares the file: every other
        // line is one JSON object.
        events = log
            .lines()
            .filter(|line| !line.starts_with("Suite listening"))
            .map(|line| serde_json::from_str(line).unwrap_or_else(|_| panic!("not JSON: {line}")))
            .collect();
        if events.iter().any(|event| event["target"] == "access") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let greeted = events
        .iter()
        .find(|event| event["target"] == "module" && event["module"] == "HelloModule")
        .unwrap_or_else(|| panic!("no event of the module: {events:?}"));
    assert_eq!(greeted["request_id"], "trace-json-7", "{greeted}");
    assert!(
        greeted["message"].as_str().unwrap().contains("greeted"),
        "{greeted}"
    );
    let access = events
        .iter()
        .find(|event| event["target"] == "access")
        .unwrap();
    assert_eq!(access["request_id"], "trace-json-7");
    assert_eq!(access["route"], "/api/modules/hello/greet");
    assert_eq!(access["status"], 200);
}
