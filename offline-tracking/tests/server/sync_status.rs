//! Offline Sync Status counts what the phone still holds after a sync, from the push's
//! answers and from the health the device reports at the end of the sync.

use crate::support::{OtSuite, Recording, collection_body, now_ms};
use offline_tracking_protocol::RecordKind::{CheckIn, CheckOut};
use serde_json::{Value, json};

fn health(queue_depth: u32, config_version: i64) -> Value {
    json!({
        "queue_depth": queue_depth,
        "oldest_pending_ms": if queue_depth > 0 { Some(now_ms() - 60_000) } else { None },
        "storage_used_bytes": 2048,
        "app_version": "1.0.0",
        "config_version": config_version,
        "failed_attempts_since_success": 0,
        "last_success_at_ms": now_ms(),
        "last_recorded_sequence": 2,
        "network": "wifi",
    })
}

#[tokio::test]
async fn pending_counts_what_remains_after_the_push_and_the_devices_last_word() {
    let (ot, orgs) = OtSuite::start(&["acme"], 1).await;
    let org = &orgs[0];
    let mut phone = ot.device(org, 0).await;
    let at = now_ms() - 60_000;
    let records = vec![
        phone.signed(Recording::at(CheckIn, at)),
        phone.signed(Recording::at(CheckOut, at + 30_000)),
    ];
    // The phone held five records when it pushed these two.
    let mut body = phone.push_body(&records, json!([]));
    body["health"]["queue_depth"] = json!(5);
    body["health"]["oldest_pending_ms"] = json!(at);
    let reply = phone.push_raw(&ot.suite, body).await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    assert_eq!(
        collection_body(&reply)["results"].as_array().unwrap().len(),
        2
    );
    let status = ot.admin_get(org, "/sync/status").await.body;
    assert_eq!(
        status["pending_records"], 3,
        "five less the two answered: {status}"
    );
    assert_eq!(status["devices"][0]["pending_records"], 3);

    let config_version = status["config_version"].as_i64().unwrap();
    // A wrong credential or a malformed report changes nothing.
    let forged = phone
        .report_health(&ot.suite, "not-the-device-token", health(0, config_version))
        .await;
    assert!(matches!(forged.status, 401 | 403), "{:?}", forged.body);
    assert!(forged.body["code"].is_string(), "{:?}", forged.body);
    let mut long_version = health(0, config_version);
    long_version["app_version"] = json!("9".repeat(51));
    let refused = phone
        .report_health(&ot.suite, &phone.token, long_version)
        .await;
    assert_eq!(refused.status, 422, "{:?}", refused.body);
    assert_eq!(refused.body["code"], "invalid_health");
    let mut unknown_field = health(0, config_version);
    unknown_field["extra"] = json!(1);
    let refused = phone
        .report_health(&ot.suite, &phone.token, unknown_field)
        .await;
    assert_eq!(refused.status, 422, "{:?}", refused.body);
    assert_eq!(refused.body["code"], "invalid_body");
    assert_eq!(
        ot.admin_get(org, "/sync/status").await.body["pending_records"],
        3
    );

    // The device's own report at the end of its sync is what the admin sees.
    let reported = phone
        .report_health(&ot.suite, &phone.token, health(0, config_version))
        .await;
    assert_eq!(reported.status, 200, "{:?}", reported.body);
    let status = ot.admin_get(org, "/sync/status").await.body;
    let device = &status["devices"][0];
    assert_eq!(status["pending_records"], 0, "{status}");
    assert_eq!(device["oldest_pending_at"], Value::Null, "{device}");
    assert_eq!(device["config_current"], true, "{device}");
}

#[tokio::test]
async fn failures_since_the_last_success_are_counted_per_device() {
    let (ot, orgs) = OtSuite::start(&["acme"], 2).await;
    let org = &orgs[0];
    let mut phone = ot.device(org, 0).await;
    let mut other = ot.device(org, 1).await;
    let at = now_ms() - 60_000;
    let first = phone
        .push_new(&ot.suite, vec![Recording::at(CheckIn, at)])
        .await;
    assert_eq!(first.status, 200);
    other
        .push_new(&ot.suite, vec![Recording::at(CheckIn, at)])
        .await;

    ot.configure(org, json!({"enabled": false})).await;
    for _ in 0..2 {
        let refused = phone.push_new(&ot.suite, vec![]).await;
        assert_eq!(refused.status, 403, "{:?}", refused.body);
    }
    let status = ot.admin_get(org, "/sync/status").await.body;
    let device = |id: &uuid::Uuid| {
        status["devices"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["device_id"] == id.to_string())
            .unwrap()
            .clone()
    };
    let failing = device(&phone.id);
    assert_eq!(failing["failed_syncs_since_success"], 2, "{failing}");
    assert_eq!(failing["last_sync_outcome"], "failed");
    assert_eq!(failing["last_error_code"], "offline_tracking_disabled");
    assert!(failing["last_success_at"].is_string(), "{failing}");
    assert_eq!(device(&other.id)["failed_syncs_since_success"], 0);

    ot.configure(org, json!({"enabled": true})).await;
    let back = phone.push_new(&ot.suite, vec![]).await;
    assert_eq!(back.status, 200, "{:?}", back.body);
    let status = ot.admin_get(org, "/sync/status").await.body;
    let recovered = status["devices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["device_id"] == phone.id.to_string())
        .unwrap();
    assert_eq!(recovered["failed_syncs_since_success"], 0, "{recovered}");
    assert_eq!(recovered["last_sync_outcome"], "succeeded");
}
