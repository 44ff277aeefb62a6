use crate::support::{HOUR, OtSuite, Recording, collection_body};
use crate::week::midnight_days_ago;
use offline_tracking_protocol::RecordKind::{BreakEnd, BreakStart, CheckIn, CheckOut};
use serde_json::Value;
use std::collections::BTreeMap;

fn results_by_id(body: &Value) -> BTreeMap<String, Value> {
    body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["record_id"].as_str().unwrap().to_owned(), r.clone()))
        .collect()
}

#[tokio::test]
async fn resends_supersets_and_concurrent_copies_change_nothing() {
    let (ot, orgs) = OtSuite::start(&["acme"], 1).await;
    let org = &orgs[0];
    let mut phone = ot.device(org, 0).await;
    let mut records = Vec::new();
    for day in [3, 2, 1] {
        let base = midnight_days_ago(day);
        for (kind, at) in [
            (CheckIn, 8 * HOUR),
            (BreakStart, 12 * HOUR),
            (BreakEnd, 13 * HOUR),
            (CheckOut, 17 * HOUR),
        ] {
            records.push(phone.signed(Recording::at(kind, base + at)));
        }
    }
    let ot = &ot;
    let count = |table: &'static str| async move {
        ot.count(&format!("SELECT COUNT(*) FROM {table}")).await
    };

    let first = phone.push(&ot.suite, &records[..4]).await;
    assert_eq!(first.status, 200, "{:?}", first.body);
    let first_results = results_by_id(collection_body(&first));
    let (stored, changes, sessions) = (
        count("ot_records").await,
        count("ot_changes").await,
        count("ot_sessions").await,
    );
    assert_eq!(stored, 4);

    // The same batch again: the same answers, nothing new.
    let again = phone.push(&ot.suite, &records[..4]).await;
    assert_eq!(
        collection_body(&again)["results"],
        collection_body(&first)["results"]
    );
    assert_eq!(count("ot_records").await, stored);
    assert_eq!(count("ot_changes").await, changes);
    assert_eq!(count("ot_sessions").await, sessions);

    // A superset, in another order: old records keep their first answers.
    let mut superset: Vec<_> = records[..8].to_vec();
    superset.reverse();
    let bigger = phone.push(&ot.suite, &superset).await;
    let bigger_results = results_by_id(collection_body(&bigger));
    for (id, result) in &first_results {
        assert_eq!(
            &bigger_results[id], result,
            "a resent record keeps its first answer"
        );
    }
    assert_eq!(bigger_results.len(), 8);
    assert!(bigger_results.values().all(|r| r["status"] == "accepted"));
    assert_eq!(count("ot_records").await, 8);

    // The last day, pushed on two connections at the same time.
    let body = phone.push_body(&records[8..], serde_json::json!([]));
    let (a, b) = tokio::join!(
        phone.push_raw(&ot.suite, body.clone()),
        phone.push_raw(&ot.suite, body)
    );
    assert_eq!(
        (a.status, b.status),
        (200, 200),
        "{:?} {:?}",
        a.body,
        b.body
    );
    assert_eq!(
        collection_body(&a)["results"],
        collection_body(&b)["results"]
    );
    assert_eq!(count("ot_records").await, 12);
    assert_eq!(
        ot.count("SELECT COUNT(*) FROM ot_sessions").await,
        3,
        "three days, each one session, none doubled"
    );
    let received = ot
        .count("SELECT COUNT(*) FROM ot_audit WHERE action = 'record.received'")
        .await;
    assert_eq!(received, 12, "each record is received once");
}
