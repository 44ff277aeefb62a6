//! What an operator watches: `/metrics` counts what really happened, and
//! `/api/openapi.json` describes exactly the routes that are served.

use crate::support::{OtSuite, Recording, now_ms};
use host_sdk::module::Module;
use offline_tracking::OfflineTracking;
use offline_tracking_protocol::RecordKind::{CheckIn, CheckOut};
use std::collections::{BTreeMap, BTreeSet};

/// One sample of the Prometheus text format: name, labels, value.
struct Sample {
    name: String,
    labels: BTreeMap<String, String>,
    value: f64,
}

fn samples(text: &str) -> Vec<Sample> {
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| {
            let (series, value) = line.rsplit_once(' ').expect("a sample has a value");
            let (name, labels) = match series.split_once('{') {
                Some((name, rest)) => (name, rest.trim_end_matches('}')),
                None => (series, ""),
            };
            let labels = labels
                .split(',')
                .filter(|pair| !pair.is_empty())
                .map(|pair| {
                    let (key, value) = pair.split_once('=').expect("label=value");
                    (key.to_owned(), value.trim_matches('"').to_owned())
                })
                .collect();
            Sample {
                name: name.to_owned(),
                labels,
                value: value
                    .parse()
                    .unwrap_or_else(|_| panic!("not a number: {line}")),
            }
        })
        .collect()
}

/// The value of the one series called `name` whose labels include `labels`.
fn value(samples: &[Sample], name: &str, labels: &[(&str, &str)]) -> f64 {
    let found: Vec<&Sample> = samples
        .iter()
        .filter(|sample| sample.name == name)
        .filter(|sample| {
            labels
                .iter()
                .all(|(key, value)| sample.labels.get(*key).map(String::as_str) == Some(*value))
        })
        .collect();
    assert_eq!(found.len(), 1, "one series {name} {labels:?}");
    found[0].value
}

#[tokio::test]
async fn metrics_count_pushes_first_answers_and_requests() {
    let (ot, orgs) = OtSuite::start(&["acme"], 1).await;
    let org = &orgs[0];
    let mut phone = ot.device(org, 0).await;
    let at = now_ms() - 120_000;
    let records = vec![
        phone.signed(Recording::at(CheckIn, at)),
        phone.signed(Recording::at(CheckOut, at + 60_000)),
    ];
    assert_eq!(phone.push(&ot.suite, &records).await.status, 200);
    // Sent again (the answer was lost): the records were counted when first answered.
    assert_eq!(phone.push(&ot.suite, &records).await.status, 200);

    let scraped = ot.suite.get_anonymous("/metrics").await;
    assert_eq!(scraped.status, 200);
    assert!(
        scraped.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain"),
        "{:?}",
        scraped.headers
    );
    let samples = samples(&scraped.text);
    let module = ("module", "OfflineTracking");
    assert_eq!(
        value(
            &samples,
            "offline_tracking_records_total",
            &[module, ("outcome", "accepted")]
        ),
        2.0,
        "{}",
        scraped.text
    );
    assert_eq!(
        value(
            &samples,
            "offline_tracking_pushes_total",
            &[module, ("status", "200")]
        ),
        2.0
    );
    assert_eq!(
        value(
            &samples,
            "offline_tracking_push_duration_seconds_count",
            &[module]
        ),
        2.0
    );
    assert_eq!(
        value(
            &samples,
            "offline_tracking_device_clock_offset_seconds_count",
            &[module]
        ),
        2.0
    );
    assert_eq!(
        value(
            &samples,
            "http_requests_total",
            &[
                ("method", "POST"),
                ("route", "/api/v1/sync/push"),
                ("status", "200")
            ]
        ),
        2.0
    );
    assert_eq!(
        value(
            &samples,
            "http_request_duration_seconds_bucket",
            &[("route", "/api/v1/sync/push"), ("le", "+Inf")]
        ),
        2.0
    );
    assert_eq!(
        value(
            &samples,
            "suite_module_up",
            &[("module", "OfflineTracking")]
        ),
        1.0
    );
    assert!(value(&samples, "suite_db_pool_connections", &[("state", "idle")]) >= 0.0);
    assert!(
        scraped
            .text
            .contains("# HELP offline_tracking_records_total")
    );

    // A refusal is counted by its code.
    let mut forged = phone.push_body(&records, serde_json::json!([]));
    forged["protocol_version"] = serde_json::json!(99);
    let refused = phone.push_raw(&ot.suite, forged).await;
    let code = crate::support::collection_body(&refused)["code"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(!code.is_empty(), "{:?}", refused.body);
    let samples = self::samples(&ot.suite.get_anonymous("/metrics").await.text);
    assert_eq!(
        value(
            &samples,
            "offline_tracking_refusals_total",
            &[module, ("code", &code)]
        ),
        1.0
    );
}

/// A value for each `{name}` segment, so the route is reached.
fn reachable(path: &str) -> String {
    path.split('/')
        .map(|segment| {
            if segment.starts_with('{') {
                "0190d9e0-0000-7000-8000-000000000000"
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[tokio::test]
async fn the_api_description_is_valid_and_lists_exactly_what_is_served() {
    let (ot, orgs) = OtSuite::start(&["acme"], 1).await;
    let org = &orgs[0];
    let reply = ot.suite.get_anonymous("/api/openapi.json").await;
    assert_eq!(reply.status, 200);
    let spec = oas3::from_json(&reply.text).expect("a valid OpenAPI 3.1 document");
    assert!(spec.openapi.starts_with("3.1"), "{}", spec.openapi);

    let documented: BTreeSet<(String, String)> = reply.body["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, methods)| {
            methods
                .as_object()
                .unwrap()
                .keys()
                .map(move |method| (method.to_ascii_uppercase(), path.clone()))
        })
        .collect();

    // Every JSON route the module declares is described, and nothing else under its
    // prefixes; its HTML pages are for browsers and stay out of the API description.
    let declared: BTreeSet<(String, String)> = OfflineTracking::routes()
        .iter()
        .map(|route| route.spec())
        .filter(|spec| spec.scope.as_str() != host_sdk::Scope::Page.as_str())
        .map(|spec| {
            let scope = spec.scope.as_str();
            (
                spec.method.to_string(),
                format!("/{scope}/modules/offline-tracking{}", spec.path),
            )
        })
        .collect();
    let described: BTreeSet<(String, String)> = documented
        .iter()
        .filter(|(_, path)| path.contains("/modules/offline-tracking"))
        .cloned()
        .collect();
    assert_eq!(described, declared);
    for host_route in [
        ("GET", "/health"),
        ("GET", "/metrics"),
        ("GET", "/api/openapi.json"),
        ("GET", "/api/settings/modules/{alias}"),
        ("PUT", "/api/settings/modules/{alias}"),
        ("PATCH", "/api/settings/modules/{alias}"),
        ("POST", "/api/v1/sync/push"),
        ("GET", "/api/v1/sync/pull"),
    ] {
        let key = (host_route.0.to_owned(), host_route.1.to_owned());
        assert!(documented.contains(&key), "{host_route:?} is not described");
    }

    // Every described operation is served: nothing answers "no such route".
    let employee = &org.employees[0].1;
    for (method, path) in &documented {
        let token = if path.starts_with("/admin/") {
            &org.admin
        } else {
            employee
        };
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let body = (method != reqwest::Method::GET).then(|| b"{}".to_vec());
        let answer = ot
            .suite
            .send(method.clone(), &reachable(path), Some(token), body, &[])
            .await;
        assert_ne!(answer.status, 405, "{method} {path}: {:?}", answer.body);
        assert!(
            !["not_found", "unknown_route"].contains(&answer.code()),
            "{method} {path} is described but not served: {:?}",
            answer.body
        );
    }

    // Schemas travel with the routes: a body the module reads is described.
    let register = &reply.body["paths"]["/api/modules/offline-tracking/devices"]["post"];
    assert!(
        register["requestBody"]["content"]["application/json"]["schema"].is_object(),
        "{register}"
    );
}
