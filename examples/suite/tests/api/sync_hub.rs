//! The sync hub: one envelope, collections dispatched to the modules that serve them.

use crate::helpers::{Module, SuiteHome};
use serde_json::json;

const PUSH: &str = "/api/v1/sync/push";

#[tokio::test]
async fn a_push_reaches_the_collections_module_untouched() {
    let home = SuiteHome::new().await;
    home.install_enabled(&[Module::Hello, Module::Probe]);
    let (_, employee) = home.demo_tokens();
    let suite = home.serve();
    let payload = json!({"note": "hello from the field", "n": [1, 2, 3]});
    let reply = suite
        .post(
            PUSH,
            &employee,
            &json!({"protocol_version": 1, "collections": {"probe_notes": payload}}),
        )
        .await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    let outcome = &reply.body["collections"]["probe_notes"];
    assert_eq!(outcome["status"], 200);
    assert_eq!(outcome["body"]["received"], payload);
    assert!(reply.body["server_time_ms"].as_i64().unwrap() > 0);
}

#[tokio::test]
async fn bad_envelopes_are_refused_before_any_module_sees_them() {
    let home = SuiteHome::new().await;
    home.install_enabled(&[Module::Hello, Module::Probe]);
    let (_, employee) = home.demo_tokens();
    let suite = home.serve();
    let cases = [
        (
            json!({"collections": {"probe_notes": {}}}),
            426,
            "protocol_version_missing",
        ),
        (
            json!({"protocol_version": 9, "collections": {"probe_notes": {}}}),
            426,
            "protocol_version_unsupported",
        ),
        (
            json!({"protocol_version": 1, "collections": {"nobody_serves_this": {}}}),
            422,
            "unknown_collection",
        ),
        (
            json!({"protocol_version": 1, "collections": {}}),
            422,
            "no_collections",
        ),
        (json!({"protocol_version": 1}), 422, "invalid_envelope"),
    ];
    for (body, status, code) in cases {
        let reply = suite.post(PUSH, &employee, &body).await;
        assert_eq!((reply.status, reply.code()), (status, code), "{body}");
    }
    let malformed = suite
        .send(
            reqwest::Method::POST,
            PUSH,
            Some(&employee),
            Some(b"{\"protocol_version\": 1,".to_vec()),
            &[],
        )
        .await;
    assert_eq!(
        (malformed.status, malformed.code()),
        (400, "malformed_json")
    );
    let anonymous = suite
        .send(reqwest::Method::POST, PUSH, None, Some(b"{}".to_vec()), &[])
        .await;
    assert_eq!(anonymous.status, 401);
}

#[tokio::test]
async fn a_single_collections_refusal_is_the_answers_status() {
    let home = SuiteHome::new().await;
    home.install_enabled(&[Module::Hello, Module::Probe]);
    let (_, employee) = home.demo_tokens();
    let suite = home.serve();
    let reply = suite
        .post(
            PUSH,
            &employee,
            &json!({"protocol_version": 1, "collections": {"probe_notes": {"fail": true}}}),
        )
        .await;
    assert_eq!(reply.status, 422);
    assert_eq!(
        reply.body["collections"]["probe_notes"]["body"]["code"],
        "probe_refused"
    );
}

#[tokio::test]
async fn pulls_page_through_a_collection_with_an_opaque_cursor() {
    let home = SuiteHome::new().await;
    home.install_enabled(&[Module::Hello, Module::Probe]);
    let (_, employee) = home.demo_tokens();
    let suite = home.serve();
    let mut cursor = String::new();
    let mut seen = Vec::new();
    let mut pages = 0;
    loop {
        let reply = suite
            .get(
                &format!("/api/v1/sync/pull?protocol_version=1&limit=2&cursor={cursor}"),
                &employee,
            )
            .await;
        assert_eq!(reply.status, 200, "{:?}", reply.body);
        for note in reply.body["collections"]["probe_notes"]["body"]["notes"]
            .as_array()
            .unwrap()
        {
            seen.push(note.as_u64().unwrap());
        }
        cursor = reply.body["cursor"].as_str().unwrap().to_owned();
        pages += 1;
        if !reply.body["has_more"].as_bool().unwrap() {
            break;
        }
        assert!(pages < 10, "the pull never ends");
    }
    assert_eq!(seen, [1, 2, 3, 4, 5]);
    assert_eq!(pages, 3);

    let forged = suite
        .get(
            "/api/v1/sync/pull?protocol_version=1&cursor=forged",
            &employee,
        )
        .await;
    assert_eq!((forged.status, forged.code()), (400, "invalid_cursor"));
    let no_version = suite.get("/api/v1/sync/pull", &employee).await;
    assert_eq!(no_version.status, 426);
    let too_many = suite
        .get(
            "/api/v1/sync/pull?protocol_version=1&limit=100000",
            &employee,
        )
        .await;
    assert_eq!((too_many.status, too_many.code()), (422, "invalid_limit"));
}

#[tokio::test]
async fn collections_follow_their_permission() {
    let home = SuiteHome::new().await;
    home.install_enabled(&[Module::Hello, Module::Probe]);
    home.run_ok(&["demo"]);
    let created = home.run_ok(&[
        "user:create",
        "--org",
        "demo",
        "--email",
        "guest@demo.test",
        "--name",
        "Gus Guest",
        "--role",
        "guest",
    ]);
    let guest = created
        .lines()
        .find_map(|line| line.strip_prefix("Token (shown once): "))
        .unwrap()
        .to_owned();
    let suite = home.serve();
    let refused = suite
        .post(
            PUSH,
            &guest,
            &json!({"protocol_version": 1, "collections": {"probe_notes": {}}}),
        )
        .await;
    assert_eq!(refused.status, 403);
    // Pulling "everything" gives a guest only what it may see: nothing here.
    let pulled = suite
        .get("/api/v1/sync/pull?protocol_version=1", &guest)
        .await;
    assert_eq!(pulled.status, 200);
    assert_eq!(pulled.body["collections"], json!({}));
}
