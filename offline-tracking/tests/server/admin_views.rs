use crate::support::{HOUR, OtSuite, Recording, TestDevice, collection_body, now_ms};
use crate::week::midnight_days_ago;
use offline_tracking_protocol::{FaceMatch, OfflineRecord, RecordKind};
use serde_json::json;

fn result(reply: &suite_harness::Reply, index: usize) -> serde_json::Value {
    collection_body(reply)["results"][index].clone()
}

#[tokio::test]
async fn devices_wait_for_approval_when_the_organisation_requires_it() {
    let (ot, orgs) = OtSuite::start(&["acme"], 1).await;
    let org = &orgs[0];
    ot.configure(org, json!({"device_approval_required": true}))
        .await;
    let mut phone = TestDevice::register(&ot.suite, &org.employees[0].1).await;
    let waiting = ot.admin_get(org, "/devices?status=pending_approval").await;
    assert_eq!(
        waiting.body["devices"][0]["device_id"],
        phone.id.to_string()
    );
    let record = phone.signed(Recording::at(
        RecordKind::CheckIn,
        midnight_days_ago(1) + 8 * HOUR,
    ));
    let refused = phone.push(&ot.suite, std::slice::from_ref(&record)).await;
    assert_eq!(refused.status, 403);
    assert_eq!(collection_body(&refused)["code"], "device_not_approved");
    let approved = ot
        .admin_post(org, &format!("/devices/{}/approve", phone.id), &json!({}))
        .await;
    assert_eq!(approved.body["status"], "active");
    let accepted = phone.push(&ot.suite, &[record]).await;
    assert_eq!(result(&accepted, 0)["status"], "accepted");
    let mine = ot
        .suite
        .get("/api/modules/offline-tracking/devices", &org.employees[0].1)
        .await;
    assert_eq!(mine.body["devices"][0]["status"], "active");
}

#[tokio::test]
async fn site_qr_codes_and_geofences_are_checked() {
    let (ot, orgs) = OtSuite::start(&["acme"], 1).await;
    let org = &orgs[0];
    let site = ot
        .admin_post(
            org,
            "/sites",
            &json!({"name": "Depot", "latitude": 52.52, "longitude": 13.405, "radius_m": 150.0}),
        )
        .await;
    assert_eq!(site.status, 201, "{:?}", site.body);
    let qr = ot
        .admin_get(
            org,
            &format!("/sites/{}/qr", site.body["site_id"].as_str().unwrap()),
        )
        .await;
    let payload = qr.body["qr_payload"].as_str().unwrap().to_owned();
    assert_eq!(payload, site.body["qr_payload"].as_str().unwrap());
    let bad_site = ot
        .admin_post(org, "/sites", &json!({"name": "Half", "latitude": 52.0}))
        .await;
    assert_eq!(
        (bad_site.status, bad_site.code()),
        (422, "invalid_geofence")
    );

    let mut phone = ot.device(org, 0).await;
    let at = midnight_days_ago(1) + 8 * HOUR;
    let mut on_site = Recording::at(RecordKind::CheckIn, at);
    on_site.qr = Some(payload.clone());
    let mut far_away = Recording::at(RecordKind::CheckOut, at + 8 * HOUR);
    far_away.qr = Some(payload.clone());
    far_away.gps.as_mut().unwrap().latitude = 52.60;
    let mut forged = Recording::at(RecordKind::BreakStart, at + HOUR);
    forged.qr = Some(payload.replace(&payload[payload.len() - 6..], "AAAAAA"));
    let reply = phone
        .push_new(&ot.suite, vec![on_site, far_away, forged])
        .await;
    assert_eq!(result(&reply, 0)["status"], "accepted");
    assert_eq!(result(&reply, 1)["code"], "outside_geofence");
    assert_eq!(result(&reply, 2)["code"], "invalid_qr");
    let rejected = ot.admin_get(org, "/records?status=rejected").await;
    assert_eq!(
        rejected.body["records"].as_array().unwrap().len(),
        2,
        "rule breaks are kept for the admin"
    );
    let accepted = ot
        .admin_get(
            org,
            &format!(
                "/records/{}",
                result(&reply, 0)["record_id"].as_str().unwrap()
            ),
        )
        .await;
    assert_eq!(accepted.body["site_id"], site.body["site_id"]);

    ot.configure(org, json!({"qr_required": true})).await;
    // Recorded after the sync above, so now: the phone carries that sync's time anchor, and
    // a record placed before its own anchor is rightly refused as `invalid_time`.
    let without = phone
        .push_new(
            &ot.suite,
            vec![Recording::at(RecordKind::CheckIn, now_ms())],
        )
        .await;
    assert_eq!(result(&without, 0)["code"], "qr_required");
}

#[tokio::test]
async fn enrolled_employees_need_a_matching_face() {
    let (ot, orgs) = OtSuite::start(&["acme"], 1).await;
    let org = &orgs[0];
    let enrolled = ot
        .suite
        .put(
            &format!(
                "/admin/modules/offline-tracking/employees/{}/face-enrollment",
                org.employees[0].0
            ),
            &org.admin,
            &json!({"enrolled": true}),
        )
        .await;
    assert_eq!(enrolled.status, 200, "{:?}", enrolled.body);
    let mut phone = ot.device(org, 0).await;
    let at = midnight_days_ago(1) + 8 * HOUR;
    let without = phone.signed(Recording::at(RecordKind::CheckIn, at));
    let face = |matched: bool| FaceMatch {
        matched,
        score: if matched { 0.93 } else { 0.41 },
        threshold: 0.8,
        model: "facenet-v2".into(),
    };
    let mut record: OfflineRecord = phone.record(Recording::at(RecordKind::CheckIn, at + 60_000));
    record.face = Some(face(false));
    let mismatched = phone.key.sign(&record).unwrap();
    let mut record = phone.record(Recording::at(RecordKind::CheckIn, at + 120_000));
    record.face = Some(face(true));
    let matched = phone.key.sign(&record).unwrap();
    let reply = phone.push(&ot.suite, &[without, mismatched, matched]).await;
    assert_eq!(result(&reply, 0)["code"], "face_match_required");
    assert_eq!(result(&reply, 1)["code"], "face_not_matched");
    assert_eq!(result(&reply, 2)["status"], "accepted");
}

#[tokio::test]
async fn sequence_gaps_and_unsent_records_are_shown() {
    let (ot, orgs) = OtSuite::start(&["acme"], 1).await;
    let org = &orgs[0];
    let mut phone = ot.device(org, 0).await;
    let at = midnight_days_ago(2) + 8 * HOUR;
    let first = phone.signed(Recording::at(RecordKind::CheckIn, at));
    let second = phone.signed(Recording::at(RecordKind::BreakStart, at + HOUR));
    let _lost_three = phone.signed(Recording::at(RecordKind::BreakEnd, at + 2 * HOUR));
    let _lost_four = phone.signed(Recording::at(RecordKind::BreakStart, at + 3 * HOUR));
    let fifth = phone.signed(Recording::at(RecordKind::BreakEnd, at + 4 * HOUR));
    let _unsent_six = phone.signed(Recording::at(RecordKind::CheckOut, at + 9 * HOUR));
    phone.push(&ot.suite, &[first, second]).await;
    // The phone still holds the fifth and the sixth when it sends the fifth.
    let mut body = phone.push_body(&[fifth], json!([]));
    body["health"]["queue_depth"] = json!(2);
    let reply = phone.push_raw(&ot.suite, body).await;
    assert!(
        result(&reply, 0)["flags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f == "sequence_gap_before")
    );
    let gaps = ot
        .admin_get(org, &format!("/devices/{}/gaps", phone.id))
        .await;
    assert_eq!(
        gaps.body["gaps"],
        json!([{"from": 3, "to": 4, "refused": []}])
    );
    assert_eq!(gaps.body["last_sequence_reported"], 6);
    assert_eq!(gaps.body["not_yet_received"], 1);
    let status = ot.admin_get(org, "/sync/status").await;
    let device = &status.body["devices"][0];
    assert_eq!(device["records_not_yet_received"], 1, "{device}");
    assert_eq!(
        device["pending_records"], 1,
        "the queue depth the phone reported, less the record the push answered"
    );
    assert_eq!(device["config_current"], true);
    assert_eq!(status.body["employees"][0]["pending_records"], 1);
    let audit = ot.audit_of(org, "device", &phone.id.to_string()).await;
    assert!(
        audit.iter().any(|e| e["action"] == "sequence.gap_detected"),
        "{audit:?}"
    );
}

#[tokio::test]
async fn an_employee_withdraws_or_annotates_their_own_record_once() {
    let (ot, orgs) = OtSuite::start(&["acme"], 1).await;
    let org = &orgs[0];
    let mut phone = ot.device(org, 0).await;
    let pushed = phone
        .push_new(
            &ot.suite,
            vec![Recording::at(
                RecordKind::CheckOut,
                midnight_days_ago(1) + 17 * HOUR,
            )],
        )
        .await;
    assert_eq!(
        result(&pushed, 0)["status"],
        "conflict",
        "{:?}",
        pushed.body
    );
    let record_id = result(&pushed, 0)["record_id"].as_str().unwrap().to_owned();
    let conflict_id = result(&pushed, 0)["conflict_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let actions = json!([
        {"id": uuid::Uuid::now_v7(), "record_id": record_id, "action": "annotate", "note": "forgot to check in"},
        {"id": uuid::Uuid::now_v7(), "record_id": record_id, "action": "withdraw"},
        {"id": uuid::Uuid::now_v7(), "record_id": uuid::Uuid::now_v7(), "action": "withdraw"},
    ]);
    let body = phone.push_body(&[], actions);
    let first = phone.push_raw(&ot.suite, body.clone()).await;
    assert_eq!(first.status, 200, "{:?}\n{}", first.body, ot.suite.log());
    let outcomes: Vec<&str> = collection_body(&first)["action_results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap_or(r["status"].as_str().unwrap()))
        .collect();
    assert_eq!(outcomes, ["applied", "applied", "unknown_record"]);
    let again = phone.push_raw(&ot.suite, body).await;
    assert_eq!(
        collection_body(&again)["action_results"],
        collection_body(&first)["action_results"]
    );
    let record = ot.admin_get(org, &format!("/records/{record_id}")).await;
    assert_eq!(record.body["status"], "withdrawn");
    assert_eq!(record.body["employee_note"], "forgot to check in");
    let conflict = ot
        .admin_get(org, &format!("/conflicts/{conflict_id}"))
        .await;
    assert_eq!(conflict.body["dissolved"], true);
    let mine = ot
        .suite
        .get("/api/modules/offline-tracking/records", &org.employees[0].1)
        .await;
    assert_eq!(mine.body["records"][0]["status"], "withdrawn");
}
