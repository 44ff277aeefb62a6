use crate::support::{HOUR, OtSuite, Recording, TestDevice, collection_body};
use crate::week::midnight_days_ago;
use offline_tracking_protocol::{LeaveDetails, RecordKind};
use serde_json::{Value, json};
use std::collections::BTreeSet;

async fn pull_all(phone: &TestDevice, ot: &OtSuite, limit: u32) -> Vec<Value> {
    let mut cursor = String::new();
    let mut seen = Vec::new();
    for _ in 0..1000 {
        let reply = phone.pull(&ot.suite, &cursor, limit).await;
        assert_eq!(reply.status, 200, "{:?}", reply.body);
        seen.extend(
            collection_body(&reply)["changes"]
                .as_array()
                .unwrap()
                .iter()
                .cloned(),
        );
        cursor = reply.body["cursor"].as_str().unwrap().to_owned();
        if !reply.body["has_more"].as_bool().unwrap() {
            return seen;
        }
    }
    panic!("the pull never ended");
}

#[tokio::test]
async fn a_device_pulls_what_its_push_caused_but_not_what_its_answer_said() {
    let (ot, orgs) = OtSuite::start(&["acme"], 1).await;
    let mut phone = ot.device(&orgs[0], 0).await;
    let tablet = ot.device(&orgs[0], 0).await;
    let base = midnight_days_ago(1);
    let pushed = phone
        .push_new(
            &ot.suite,
            vec![
                Recording::at(RecordKind::CheckIn, base + 8 * HOUR),
                Recording::at(RecordKind::CheckOut, base + 16 * HOUR),
                Recording::at(RecordKind::CheckOut, base + 17 * HOUR),
            ],
        )
        .await;
    let orphan = collection_body(&pushed)["results"][2].clone();
    assert_eq!(orphan["conflict_type"], "orphan");
    let range = &collection_body(&pushed)["changes"];
    assert!(range["to"].as_i64().unwrap() >= range["from"].as_i64().unwrap());

    // The answer reported the orphan: the phone does not pull it again. The session its
    // records made is news to it.
    let own = pull_all(&phone, &ot, 50).await;
    assert!(!own.iter().any(|c| c["kind"] == "conflict"), "{own:?}");
    assert!(
        own.iter().any(|c| c["kind"] == "attendance_session"),
        "{own:?}"
    );
    // Its sibling learns both.
    let sibling = pull_all(&tablet, &ot, 50).await;
    assert!(
        sibling
            .iter()
            .any(|c| c["kind"] == "conflict" && c["data"]["conflict_id"] == orphan["conflict_id"]),
        "{sibling:?}"
    );
    assert!(
        sibling
            .iter()
            .any(|c| c["kind"] == "attendance_session" && c["data"]["ended_at_ms"].is_i64()),
        "{sibling:?}"
    );

    // What the phone's next push causes beyond its answer (the conflict dissolving when
    // the employee withdraws the record) reaches the phone too.
    let withdraw = json!([{"id": uuid::Uuid::now_v7(), "record_id": orphan["record_id"], "action": "withdraw"}]);
    let body = phone.push_body(&[], withdraw);
    let reply = phone.push_raw(&ot.suite, body).await;
    assert_eq!(
        collection_body(&reply)["action_results"][0]["status"],
        "applied"
    );
    let after = pull_all(&phone, &ot, 50).await;
    assert!(
        after
            .iter()
            .any(|c| c["kind"] == "conflict" && c["data"]["dissolved"] == true),
        "{after:?}"
    );
}

#[tokio::test]
async fn configuration_changes_and_leave_decisions_reach_the_device() {
    let (ot, orgs) = OtSuite::start(&["acme"], 1).await;
    let org = &orgs[0];
    let mut phone = ot.device(org, 0).await;
    ot.configure(org, json!({"max_offline_days": 5})).await;
    let mut leave = Recording::at(RecordKind::LeaveRequest, midnight_days_ago(1) + 10 * HOUR);
    leave.gps = None;
    leave.leave = Some(LeaveDetails {
        leave_type: "annual".into(),
        starts_on: "2027-01-04".into(),
        ends_on: "2027-01-08".into(),
        reason: Some("family visit".into()),
    });
    let pushed = phone.push_new(&ot.suite, vec![leave]).await;
    let request_id = collection_body(&pushed)["results"][0]["record_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(collection_body(&pushed)["config_version"], 1);

    let mine = ot
        .suite
        .get(
            "/api/modules/offline-tracking/leave-requests",
            &org.employees[0].1,
        )
        .await;
    assert_eq!(mine.body["leave_requests"][0]["status"], "pending");
    let approved = ot
        .admin_post(
            org,
            &format!("/leave-requests/{request_id}/approve"),
            &json!({"note": "enjoy"}),
        )
        .await;
    assert_eq!(approved.body["status"], "approved", "{:?}", approved.body);
    let twice = ot
        .admin_post(
            org,
            &format!("/leave-requests/{request_id}/reject"),
            &json!({}),
        )
        .await;
    assert_eq!((twice.status, twice.code()), (409, "leave_request_decided"));

    let seen = pull_all(&phone, &ot, 50).await;
    assert!(
        seen.iter()
            .any(|c| c["kind"] == "config" && c["data"]["config_version"] == 1),
        "{seen:?}"
    );
    assert!(
        seen.iter().any(|c| c["kind"] == "leave_request"
            && c["data"]["status"] == "approved"
            && c["data"]["note"] == "enjoy"),
        "{seen:?}"
    );
}

/// Changes committed concurrently by many transactions must all reach a puller that
/// keeps pulling while they commit, each exactly once: a cursor that stepped over a
/// change committing late would lose it for good.
#[tokio::test]
async fn a_pull_never_skips_a_change_that_commits_late() {
    let (ot, orgs) = OtSuite::start(&["acme"], 4).await;
    let org = &orgs[0];
    let puller = ot.device(org, 0).await;
    let mut writers = Vec::new();
    for n in 1..4 {
        writers.push(ot.device(org, n).await);
    }
    let base = midnight_days_ago(2);
    let write = |mut phone: TestDevice| {
        let ot = &ot;
        async move {
            // Recorded offline first, then sent in small pushes: a record made after a push
            // would carry that push's time anchor and could not be in the past.
            let recorded: Vec<_> = (0..6)
                .flat_map(|n| {
                    let at = base + n * HOUR;
                    [
                        Recording::at(RecordKind::BreakStart, at),
                        Recording::at(RecordKind::BreakEnd, at + 60_000),
                    ]
                })
                .map(|recording| phone.signed(recording))
                .collect();
            for batch in recorded.chunks(2) {
                let reply = phone.push(&ot.suite, batch).await;
                assert_eq!(reply.status, 200, "{:?}\n{}", reply.body, ot.suite.log());
            }
        }
    };
    let reconfigure = async {
        for days in 1..=12 {
            ot.configure(org, json!({"max_offline_days": days})).await;
        }
    };
    let done = std::sync::atomic::AtomicBool::new(false);
    let pull_while_writing = async {
        let mut cursor = String::new();
        let mut seen: Vec<i64> = Vec::new();
        loop {
            let finished = done.load(std::sync::atomic::Ordering::SeqCst);
            let reply = puller.pull(&ot.suite, &cursor, 3).await;
            assert_eq!(reply.status, 200, "{:?}", reply.body);
            for change in collection_body(&reply)["changes"].as_array().unwrap() {
                seen.push(change["seq"].as_i64().unwrap());
            }
            cursor = reply.body["cursor"].as_str().unwrap().to_owned();
            if finished && !reply.body["has_more"].as_bool().unwrap() {
                return seen;
            }
        }
    };
    let writers_done = async {
        let mut writers = writers.into_iter();
        let (a, b, c) = (
            writers.next().unwrap(),
            writers.next().unwrap(),
            writers.next().unwrap(),
        );
        tokio::join!(write(a), write(b), write(c), reconfigure);
        done.store(true, std::sync::atomic::Ordering::SeqCst);
    };
    let ((), seen) = tokio::join!(writers_done, pull_while_writing);
    let expected: Vec<i64> = ot
        .home
        .database
        .rows(&format!(
            "SELECT seq FROM ot_changes WHERE employee_id IS NULL OR employee_id = {} ORDER BY seq",
            org.employees[0].0
        ))
        .await
        .iter()
        .map(|row| row[0].parse().unwrap())
        .collect();
    assert_eq!(expected.len(), 12, "twelve configuration changes");
    assert_eq!(seen, expected, "every change, once, in order");
    let all: BTreeSet<i64> = ot
        .home
        .database
        .rows("SELECT seq FROM ot_changes")
        .await
        .iter()
        .map(|row| row[0].parse().unwrap())
        .collect();
    let max = *all.iter().next_back().unwrap();
    assert_eq!(
        all.len() as i64,
        max,
        "change numbers have no holes: {all:?}"
    );
}
