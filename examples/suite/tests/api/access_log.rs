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
        .find(|line| line.contains("trace-42.a_b"))
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
        log.matches("trace-42.a_b").count(),
        1,
        "one line per request:\n{log}"
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
