//! Two `suite serve` processes on one database, as behind a load balancer: the same batch
//! sent to both at once, pushes split between them, and pulls that alternate between them
//! lose, duplicate and skip nothing.

use crate::support::{DAY, HOUR, OtSuite, Recording, TestDevice, collection_body};
use crate::week::midnight_days_ago;
use offline_tracking_protocol::RecordKind::{BreakEnd, BreakStart, CheckIn, CheckOut};
use offline_tracking_protocol::SignedRecord;
use serde_json::{Value, json};
use suite_harness::RunningSuite;

fn a_week(phone: &mut TestDevice) -> Vec<SignedRecord> {
    let first_day = midnight_days_ago(6);
    (0..5)
        .flat_map(|day| {
            let base = first_day + day * DAY;
            [
                (CheckIn, base + 8 * HOUR),
                (BreakStart, base + 12 * HOUR),
                (BreakEnd, base + 12 * HOUR + HOUR / 2),
                (CheckOut, base + 17 * HOUR),
            ]
        })
        .map(|(kind, at)| phone.signed(Recording::at(kind, at)))
        .collect()
}

fn outcomes(reply: &suite_harness::Reply) -> Vec<Value> {
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    collection_body(reply)["results"]
        .as_array()
        .unwrap()
        .clone()
}

/// Pulls every change for `phone`, alternating between the nodes page by page.
async fn pull_alternating(phone: &TestDevice, nodes: [&RunningSuite; 2]) -> Vec<i64> {
    let mut cursor = String::new();
    let mut seen = Vec::new();
    for page in 0.. {
        let reply = phone.pull(nodes[page % 2], &cursor, 7).await;
        assert_eq!(reply.status, 200, "{:?}", reply.body);
        for change in collection_body(&reply)["changes"].as_array().unwrap() {
            seen.push(change["seq"].as_i64().unwrap());
        }
        cursor = reply.body["cursor"].as_str().unwrap().to_owned();
        if !reply.body["has_more"].as_bool().unwrap() {
            return seen;
        }
    }
    unreachable!("the loop returns")
}

async fn sessions(node: &RunningSuite, phone: &TestDevice) -> Value {
    node.get(
        "/api/modules/offline-tracking/attendance",
        &phone.employee_token,
    )
    .await
    .body["sessions"]
        .clone()
}

#[tokio::test]
async fn two_suite_processes_on_one_database_lose_duplicate_and_skip_nothing() {
    let (ot, orgs) = OtSuite::start(&["acme"], 2).await;
    let org = &orgs[0];
    let node_a = &ot.suite;
    let node_b = ot.home.serve();
    let mut first = ot.device(org, 0).await;
    let mut second = ot.device(org, 1).await;

    // The same batch to both nodes at the same moment: one stores it, the other answers
    // with the same outcomes, and nothing is stored twice.
    let week = a_week(&mut first);
    let body = first.push_body(&week, json!([]));
    let (via_a, via_b) = tokio::join!(
        first.push_raw(node_a, body.clone()),
        first.push_raw(&node_b, body.clone())
    );
    assert_eq!(outcomes(&via_a), outcomes(&via_b));
    assert!(
        outcomes(&via_a).iter().all(|r| r["status"] == "accepted"),
        "{:?}",
        via_a.body
    );

    // The other employee's week, split between the nodes in concurrent halves.
    let week = a_week(&mut second);
    let (early, late) = week.split_at(week.len() / 2);
    let (early_body, late_body) = (
        second.push_body(early, json!([])),
        second.push_body(late, json!([])),
    );
    let (early_reply, late_reply) = tokio::join!(
        second.push_raw(node_a, early_body),
        second.push_raw(&node_b, late_body)
    );
    assert_eq!(
        outcomes(&early_reply).len() + outcomes(&late_reply).len(),
        20
    );

    assert_eq!(
        ot.count("SELECT COUNT(*) FROM ot_records").await,
        40,
        "every record once"
    );
    for (phone, employee) in [(&first, org.employees[0].0), (&second, org.employees[1].0)] {
        // Everything for the employee but what a push answer already told this phone
        // (which half arrived first decides whether there is any).
        let expected: Vec<i64> = ot
            .home
            .database
            .rows(&format!(
                "SELECT seq FROM ot_changes WHERE (employee_id IS NULL OR employee_id = {employee}) \
                 AND (origin_device_id IS NULL OR origin_device_id <> '{}') ORDER BY seq",
                phone.id
            ))
            .await
            .iter()
            .map(|row| row[0].parse().unwrap())
            .collect();
        let seen = pull_alternating(phone, [node_a, &node_b]).await;
        assert_eq!(
            seen, expected,
            "every change once, in order, from either node"
        );
        let from_a = sessions(node_a, phone).await;
        assert_eq!(from_a.as_array().unwrap().len(), 5, "{from_a}");
        assert_eq!(
            from_a,
            sessions(&node_b, phone).await,
            "both nodes show the same"
        );
    }
}
