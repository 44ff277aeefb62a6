//! Each conflict type, produced on purpose, under each policy: the loser is kept and the
//! audit trail shows how it was settled.

use crate::support::{
    DAY, HOUR, Org, OtSuite, Recording, TestDevice, collection_body, now_ms, policy,
};
use crate::week::midnight_days_ago;
use offline_tracking_protocol::RecordKind::{CheckIn, CheckOut};
use serde_json::{Value, json};

const POLICIES: [&str; 4] = ["server_wins", "client_wins", "latest_wins", "manual"];

/// Four organisations, one per policy (in POLICIES order).
async fn one_org_per_policy(employees: usize) -> (OtSuite, Vec<Org>) {
    let (ot, orgs) = OtSuite::start(&["sw", "cw", "lw", "mn"], employees).await;
    for (org, name) in orgs.iter().zip(POLICIES) {
        ot.configure(org, policy(name)).await;
    }
    (ot, orgs)
}

fn status_for(resolution: &str) -> &'static str {
    match resolution {
        "server_kept" => "overruled",
        "offline_applied" => "accepted",
        "pending_review" => "held",
        "merged" => "duplicate",
        other => panic!("unexpected resolution {other}"),
    }
}

/// The conflict of `conflict_type` about `record_id` is settled as `resolution`, the
/// record is kept with the matching status, and the audit trail recorded the conflict.
async fn assert_settled(
    ot: &OtSuite,
    org: &Org,
    conflict_type: &str,
    record_id: &str,
    resolution: &str,
) -> Value {
    let conflicts = ot.conflicts(org, conflict_type).await;
    let conflict = conflicts
        .iter()
        .find(|c| c["record_id"] == record_id)
        .unwrap_or_else(|| {
            panic!(
                "{}: no {conflict_type} conflict for {record_id} in {conflicts:?}",
                org.slug
            )
        })
        .clone();
    assert_eq!(
        conflict["resolution"], resolution,
        "{}: {conflict}",
        org.slug
    );
    let record = ot.admin_get(org, &format!("/records/{record_id}")).await;
    assert_eq!(record.status, 200, "the offline record is kept");
    assert_eq!(
        record.body["status"],
        status_for(resolution),
        "{}: {:?}",
        org.slug,
        record.body
    );
    let audit = ot
        .audit_of(org, "conflict", conflict["conflict_id"].as_str().unwrap())
        .await;
    assert!(
        audit
            .iter()
            .any(|e| e["action"] == "conflict.detected" && e["details"]["resolution"] == resolution)
            || audit.iter().any(|e| e["action"] == "conflict.updated"),
        "{}: {audit:?}",
        org.slug
    );
    conflict
}

fn record_id(reply: &suite_harness::Reply, index: usize) -> String {
    collection_body(reply)["results"][index]["record_id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn the_same_check_in_from_two_devices_is_merged_under_every_policy() {
    let (ot, orgs) = one_org_per_policy(1).await;
    let at = midnight_days_ago(1) + 9 * HOUR;
    for org in &orgs {
        let mut phone = ot.device(org, 0).await;
        let mut tablet = ot.device(org, 0).await;
        let first = phone
            .push_new(&ot.suite, vec![Recording::at(CheckIn, at)])
            .await;
        let second = tablet
            .push_new(&ot.suite, vec![Recording::at(CheckIn, at + 30_000)])
            .await;
        let result = &collection_body(&second)["results"][0];
        assert_eq!(result["status"], "duplicate", "{}: {result}", org.slug);
        assert_eq!(result["original_record_id"], record_id(&first, 0).as_str());
        assert_settled(&ot, org, "duplicate", &record_id(&second, 0), "merged").await;
    }
}

#[tokio::test]
async fn checking_in_again_soon_after_checking_out_is_not_a_duplicate() {
    let (ot, orgs) = OtSuite::start(&["acme"], 1).await;
    let org = &orgs[0];
    let mut phone = ot.device(org, 0).await;
    // Well inside the 120 s duplicate window: in, out after 30 s, in again after 60 s.
    let at = now_ms() - 90_000;
    let pushed = phone
        .push_new(
            &ot.suite,
            vec![
                Recording::at(CheckIn, at),
                Recording::at(CheckOut, at + 30_000),
                Recording::at(CheckIn, at + 60_000),
            ],
        )
        .await;
    let body = collection_body(&pushed);
    for result in body["results"].as_array().unwrap() {
        assert_eq!(result["status"], "accepted", "{result}");
    }
    assert!(body["attendance"]["checked_in_since_ms"].is_i64(), "{body}");
    let attendance = ot
        .admin_get(
            org,
            &format!("/attendance?employee_id={}", org.employees[0].0),
        )
        .await;
    let sessions = attendance.body["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 2, "{sessions:?}");
    assert_eq!(sessions[1]["ended_at_ms"], Value::Null, "checked in again");
    assert!(ot.conflicts(org, "duplicate").await.is_empty());
}

#[tokio::test]
async fn a_check_in_inside_an_attendance_entered_on_the_server_follows_the_policy() {
    let (ot, orgs) = one_org_per_policy(1).await;
    let at = midnight_days_ago(2) + 9 * HOUR;
    for (org, expected) in orgs.iter().zip([
        "server_kept",
        "offline_applied",
        "server_kept",
        "pending_review",
    ]) {
        let mut phone = ot.device(org, 0).await;
        let entry = ot
            .admin_post(
                org,
                "/attendance/entries",
                &json!({"employee_id": org.employees[0].0, "started_at": at - HOUR, "ended_at": at + 8 * HOUR, "note": "entered by HR from the paper sheet"}),
            )
            .await;
        assert_eq!(entry.status, 201, "{:?}", entry.body);
        let pushed = phone
            .push_new(&ot.suite, vec![Recording::at(CheckIn, at)])
            .await;
        let result = &collection_body(&pushed)["results"][0];
        assert_eq!(result["status"], "conflict", "{result}");
        assert_eq!(result["server_side"]["kind"], "manual_entry");
        let conflict = assert_settled(&ot, org, "overlap", &record_id(&pushed, 0), expected).await;
        assert_eq!(conflict["server_side"]["id"], entry.body["entry_id"]);
        // The losing side is kept too: a superseded entry stays, marked.
        let attendance = ot.admin_get(org, "/attendance").await;
        let kept_entry = &attendance.body["manual_entries"][0];
        assert_eq!(
            kept_entry["superseded_by_offline_record"],
            expected == "offline_applied",
            "{}",
            org.slug
        );
        let sources: Vec<&str> = attendance.body["sessions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["source"].as_str().unwrap())
            .collect();
        let expected_source = if expected == "offline_applied" {
            "offline"
        } else {
            "manual"
        };
        assert_eq!(sources, [expected_source], "{}", org.slug);
    }
}

#[tokio::test]
async fn a_second_check_in_while_checked_in_follows_the_policy() {
    let (ot, orgs) = one_org_per_policy(1).await;
    let at = midnight_days_ago(1) + 8 * HOUR;
    for (org, expected) in orgs.iter().zip([
        "server_kept",
        "offline_applied",
        "offline_applied",
        "pending_review",
    ]) {
        let mut phone = ot.device(org, 0).await;
        let records = [
            phone.signed(Recording::at(CheckIn, at)),
            phone.signed(Recording::at(CheckIn, at + 2 * HOUR)),
        ];
        let pushed = phone.push(&ot.suite, &records).await;
        assert_eq!(collection_body(&pushed)["results"][0]["status"], "accepted");
        let conflict = assert_settled(&ot, org, "overlap", &record_id(&pushed, 1), expected).await;
        assert_eq!(
            conflict["server_side"]["id"],
            record_id(&pushed, 0).as_str()
        );
    }
}

#[tokio::test]
async fn a_check_out_with_no_open_attendance_is_an_orphan() {
    let (ot, orgs) = one_org_per_policy(1).await;
    let at = midnight_days_ago(1) + 17 * HOUR;
    for (org, expected) in orgs.iter().zip([
        "server_kept",
        "offline_applied",
        "server_kept",
        "pending_review",
    ]) {
        let mut phone = ot.device(org, 0).await;
        let pushed = phone
            .push_new(&ot.suite, vec![Recording::at(CheckOut, at)])
            .await;
        assert_settled(&ot, org, "orphan", &record_id(&pushed, 0), expected).await;
    }
}

#[tokio::test]
async fn a_device_whose_times_contradict_its_sequence_is_out_of_order() {
    let (ot, orgs) = one_org_per_policy(1).await;
    let noon = midnight_days_ago(1) + 12 * HOUR;
    for (org, expected) in orgs.iter().zip([
        "server_kept",
        "offline_applied",
        "server_kept",
        "pending_review",
    ]) {
        let mut phone = ot.device(org, 0).await;
        let first = phone.signed(Recording::at(CheckIn, noon));
        // Rebooted, and the next record's clock runs five hours behind: with no anchor
        // in either boot, only the wall clocks place them, and they contradict the order.
        phone.reboot(noon + HOUR, "boot-2");
        phone.wall_skew_ms = -5 * HOUR;
        let second = phone.signed(Recording::at(CheckOut, noon + 2 * HOUR));
        phone.reboot(noon + 3 * HOUR, "boot-3");
        phone.wall_skew_ms = 0;
        let pushed = phone.push(&ot.suite, &[first, second]).await;
        let conflict =
            assert_conflict_only(&ot, org, "out_of_order", &record_id(&pushed, 1), expected).await;
        assert_eq!(
            conflict["server_side"]["id"],
            record_id(&pushed, 0).as_str()
        );
    }
}

/// Like [`assert_settled`], for a record that may also be in a later conflict (the
/// record's status then follows that one).
async fn assert_conflict_only(
    ot: &OtSuite,
    org: &Org,
    conflict_type: &str,
    record_id: &str,
    resolution: &str,
) -> Value {
    let conflicts = ot.conflicts(org, conflict_type).await;
    let conflict = conflicts
        .iter()
        .find(|c| c["record_id"] == record_id)
        .unwrap_or_else(|| panic!("{}: no {conflict_type} conflict in {conflicts:?}", org.slug))
        .clone();
    assert_eq!(conflict["resolution"], resolution, "{}", org.slug);
    let record = ot.admin_get(org, &format!("/records/{record_id}")).await;
    assert_eq!(record.status, 200, "kept");
    conflict
}

#[tokio::test]
async fn a_record_older_than_max_offline_days_waits_for_review_under_every_policy() {
    let (ot, orgs) = one_org_per_policy(1).await;
    for org in &orgs {
        let mut phone = ot.device(org, 0).await;
        let pushed = phone
            .push_new(&ot.suite, vec![Recording::at(CheckIn, now_ms() - 9 * DAY)])
            .await;
        assert_settled(&ot, org, "stale", &record_id(&pushed, 0), "pending_review").await;
    }
}

#[tokio::test]
async fn a_record_whose_time_cannot_be_trusted_waits_for_review_under_every_policy() {
    let (ot, orgs) = one_org_per_policy(1).await;
    let at = midnight_days_ago(2) + 9 * HOUR;
    for org in &orgs {
        let mut phone = ot.device(org, 0).await;
        let record = phone.signed(Recording::at(CheckIn, at));
        // Rebooted since, and the clock is now two hours fast: nothing places the record.
        phone.reboot(now_ms() - HOUR, "boot-2");
        phone.wall_skew_ms = 2 * HOUR;
        let pushed = phone.push(&ot.suite, &[record]).await;
        assert_settled(
            &ot,
            org,
            "suspect_clock",
            &record_id(&pushed, 0),
            "pending_review",
        )
        .await;
    }
}

#[tokio::test]
async fn a_record_inside_a_locked_period_waits_for_review_under_every_policy() {
    let (ot, orgs) = one_org_per_policy(1).await;
    let locked_until = chrono::DateTime::from_timestamp_millis(now_ms() - 4 * DAY)
        .unwrap()
        .format("%Y-%m-%d")
        .to_string();
    for (org, name) in orgs.iter().zip(POLICIES) {
        ot.configure(
            org,
            json!({"conflict_resolution": name, "attendance_locked_until": locked_until}),
        )
        .await;
        let mut phone = ot.device(org, 0).await;
        let pushed = phone
            .push_new(
                &ot.suite,
                vec![Recording::at(CheckIn, midnight_days_ago(5) + 9 * HOUR)],
            )
            .await;
        assert_settled(
            &ot,
            org,
            "locked_period",
            &record_id(&pushed, 0),
            "pending_review",
        )
        .await;
    }
}

async fn changes(phone: &TestDevice, ot: &OtSuite) -> Vec<Value> {
    let reply = phone.pull(&ot.suite, "", 1000).await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    collection_body(&reply)["changes"]
        .as_array()
        .unwrap()
        .clone()
}

#[tokio::test]
async fn an_administrators_decision_is_audited_reaches_the_device_and_can_be_reversed() {
    let (ot, orgs) = OtSuite::start(&["mn"], 1).await;
    let org = &orgs[0];
    ot.configure(org, policy("manual")).await;
    let mut phone = ot.device(org, 0).await;
    let at = midnight_days_ago(1) + 17 * HOUR;
    let pushed = phone
        .push_new(&ot.suite, vec![Recording::at(CheckOut, at)])
        .await;
    let record = record_id(&pushed, 0);
    let conflict = assert_settled(&ot, org, "orphan", &record, "pending_review").await;
    let conflict_id = conflict["conflict_id"].as_str().unwrap().to_owned();
    assert!(
        ot.admin_get(org, "/conflicts").await.body["conflicts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["conflict_id"] == conflict_id.as_str()),
        "open conflicts list it"
    );

    let refused = ot
        .admin_post(
            org,
            &format!("/conflicts/{conflict_id}/resolve"),
            &json!({"decision": "accept_offline", "note": ""}),
        )
        .await;
    assert_eq!((refused.status, refused.code()), (422, "invalid_note"));

    let decided = ot
        .admin_post(
            org,
            &format!("/conflicts/{conflict_id}/resolve"),
            &json!({"decision": "accept_offline", "note": "confirmed with the site manager"}),
        )
        .await;
    assert_eq!(decided.status, 200, "{:?}", decided.body);
    assert_eq!(decided.body["resolution"], "offline_applied");
    assert_eq!(decided.body["decisions"][0]["decision"], "accept_offline");
    assert_eq!(decided.body["offline_record"]["status"], "accepted");

    let seen = changes(&phone, &ot).await;
    assert!(
        seen.iter()
            .any(|c| c["kind"] == "conflict" && c["data"]["decision"] == "accept_offline"),
        "the decision reaches the device: {seen:?}"
    );
    assert!(
        seen.iter()
            .any(|c| c["kind"] == "record_outcome" && c["data"]["record_id"] == record.as_str()),
        "{seen:?}"
    );

    let reversed = ot
        .admin_post(
            org,
            &format!("/conflicts/{conflict_id}/reverse"),
            &json!({"note": "manager withdrew the confirmation"}),
        )
        .await;
    assert_eq!(reversed.status, 200, "{:?}", reversed.body);
    assert_eq!(reversed.body["resolution"], "pending_review");
    assert!(reversed.body["decisions"][0]["reversed_at"].is_string());
    let again = ot
        .admin_post(
            org,
            &format!("/conflicts/{conflict_id}/reverse"),
            &json!({"note": "twice"}),
        )
        .await;
    assert_eq!((again.status, again.code()), (409, "nothing_to_reverse"));

    let corrected = ot
        .admin_post(
            org,
            &format!("/conflicts/{conflict_id}/resolve"),
            &json!({"decision": "correct_times", "corrected_time": at - 30 * 60_000, "note": "left half an hour earlier"}),
        )
        .await;
    assert_eq!(corrected.body["resolution"], "offline_applied");
    let attendance = ot.admin_get(org, "/attendance").await;
    assert_eq!(
        attendance.body["sessions"][0]["ended_at_ms"],
        at - 30 * 60_000
    );

    let actions: Vec<String> = ot
        .audit_of(org, "conflict", &conflict_id)
        .await
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_owned())
        .collect();
    for expected in [
        "conflict.detected",
        "conflict.decided",
        "conflict.decision_reversed",
    ] {
        assert!(
            actions.iter().any(|a| a == expected),
            "{expected} missing from {actions:?}"
        );
    }
}
