//! Bad input: each refused with its own code, and nothing stored but the audit entry.

use crate::support::{HOUR, OtSuite, Recording, TestDevice, collection_body, statuses_and_codes};
use crate::week::midnight_days_ago;
use offline_tracking_protocol::{DeviceKey, LeaveDetails, RecordKind};
use serde_json::json;

async fn stored_records(ot: &OtSuite) -> i64 {
    ot.count("SELECT COUNT(*) FROM ot_records").await
}

async fn audited(ot: &OtSuite, action: &str, code: &str) -> bool {
    ot.count(&format!(
        "SELECT COUNT(*) FROM ot_audit WHERE action = '{action}' AND details LIKE '%\"{code}\"%'"
    ))
    .await
        > 0
}

#[tokio::test]
async fn records_that_cannot_be_genuine_or_possible_are_refused_one_by_one() {
    let (ot, orgs) = OtSuite::start(&["acme"], 1).await;
    let mut phone = ot.device(&orgs[0], 0).await;
    let at = midnight_days_ago(1) + 9 * HOUR;

    let good = phone.signed(Recording::at(RecordKind::CheckIn, at));
    let forged = DeviceKey::from_secret([9; 32])
        .sign(&phone.record(Recording::at(RecordKind::CheckOut, at + HOUR)))
        .unwrap();
    let mut off_globe = Recording::at(RecordKind::CheckOut, at + 2 * HOUR);
    off_globe.gps.as_mut().unwrap().latitude = 91.5;
    let off_globe = phone.signed(off_globe);
    let mut backwards = Recording::at(RecordKind::LeaveRequest, at);
    backwards.gps = None;
    backwards.leave = Some(LeaveDetails {
        leave_type: "annual".into(),
        starts_on: "2026-12-10".into(),
        ends_on: "2026-12-01".into(),
        reason: None,
    });
    let backwards = phone.signed(backwards);
    let garbage = phone.key.sign_payload("this is not a record".into());

    let pushed = phone
        .push(&ot.suite, &[good, forged, off_globe, backwards, garbage])
        .await;
    assert_eq!(
        pushed.status, 200,
        "one bad record never fails the batch: {:?}",
        pushed.body
    );
    assert_eq!(
        statuses_and_codes(&pushed),
        [
            ("accepted".to_owned(), String::new()),
            ("rejected".to_owned(), "invalid_signature".to_owned()),
            ("rejected".to_owned(), "invalid_coordinates".to_owned()),
            ("rejected".to_owned(), "invalid_leave_dates".to_owned()),
            ("rejected".to_owned(), "malformed_record".to_owned()),
        ]
    );
    assert_eq!(
        stored_records(&ot).await,
        1,
        "only the good record is stored"
    );
    for code in [
        "invalid_signature",
        "invalid_coordinates",
        "invalid_leave_dates",
        "malformed_record",
    ] {
        assert!(
            audited(&ot, "record.refused", code).await,
            "{code} is audited"
        );
    }
}

#[tokio::test]
async fn devices_that_may_not_sync_are_refused_and_audited() {
    let (ot, orgs) = OtSuite::start(&["acme", "other"], 2).await;
    let (acme, other) = (&orgs[0], &orgs[1]);
    let at = midnight_days_ago(1) + 9 * HOUR;
    let mut phone = ot.device(acme, 0).await;
    let record = phone.signed(Recording::at(RecordKind::CheckIn, at));

    // Another employee of the same organisation presenting this phone.
    let mut borrowed = TestDevice::register(&ot.suite, &acme.employees[1].1).await;
    borrowed.id = phone.id;
    borrowed.token = phone.token.clone();
    let reply = borrowed
        .push_raw(
            &ot.suite,
            phone.push_body(std::slice::from_ref(&record), json!([])),
        )
        .await;
    assert_eq!(
        (
            reply.status,
            reply.body["collections"]["offline_tracking"]["body"]["code"].as_str()
        ),
        (403, Some("device_not_yours"))
    );

    // An employee of another organisation naming this organisation's device.
    let mut foreign = TestDevice::register(&ot.suite, &other.employees[0].1).await;
    foreign.id = phone.id;
    foreign.token = phone.token.clone();
    let reply = foreign
        .push_raw(
            &ot.suite,
            phone.push_body(std::slice::from_ref(&record), json!([])),
        )
        .await;
    assert_eq!(reply.status, 403);
    assert_eq!(
        reply.body["collections"]["offline_tracking"]["body"]["code"],
        "unknown_device"
    );

    // A wrong credential.
    let mut stolen = TestDevice::register(&ot.suite, &acme.employees[0].1).await;
    stolen.id = phone.id;
    let reply = stolen
        .push_raw(
            &ot.suite,
            phone.push_body(std::slice::from_ref(&record), json!([])),
        )
        .await;
    assert_eq!(reply.status, 401);
    assert_eq!(
        reply.body["collections"]["offline_tracking"]["body"]["code"],
        "device_credential_invalid"
    );

    // A revoked device.
    let revoked = ot
        .admin_post(
            acme,
            &format!("/devices/{}/revoke", phone.id),
            &json!({"reason": "reported lost"}),
        )
        .await;
    assert_eq!(revoked.body["status"], "revoked");
    let reply = phone.push(&ot.suite, &[record]).await;
    assert_eq!(reply.status, 403);
    assert_eq!(
        reply.body["collections"]["offline_tracking"]["body"]["code"],
        "device_revoked"
    );

    assert_eq!(stored_records(&ot).await, 0, "nothing was stored");
    for code in [
        "device_not_yours",
        "unknown_device",
        "device_credential_invalid",
        "device_revoked",
    ] {
        assert!(
            audited(&ot, "sync.refused", code).await,
            "{code} is audited"
        );
    }
    let rates = ot.admin_get(acme, "/sync/rates").await;
    assert!(
        rates.body["failed"].as_u64().unwrap() >= 1,
        "{:?}",
        rates.body
    );
}

#[tokio::test]
async fn malformed_and_oversized_pushes_are_refused_whole() {
    let (ot, orgs) = OtSuite::start(&["acme"], 1).await;
    let mut phone = ot.device(&orgs[0], 0).await;

    let broken = ot
        .suite
        .send(
            reqwest::Method::POST,
            "/api/v1/sync/push",
            Some(&phone.employee_token),
            Some(b"{\"protocol_version\": 1, \"collections\": {\"offline_tracking\": {".to_vec()),
            &[
                ("x-device-id", &phone.id.to_string()),
                ("x-device-token", &phone.token),
            ],
        )
        .await;
    assert_eq!((broken.status, broken.code()), (400, "malformed_json"));

    let wrong_shape = phone
        .push_raw(&ot.suite, json!({"protocol_version": 1, "records": "no"}))
        .await;
    assert_eq!(wrong_shape.status, 422);
    assert_eq!(
        wrong_shape.body["collections"]["offline_tracking"]["body"]["code"],
        "invalid_body"
    );

    let at = midnight_days_ago(3);
    let many: Vec<_> = (0..501)
        .map(|n| phone.signed(Recording::at(RecordKind::BreakStart, at + n * 60_000)))
        .collect();
    let oversized = phone.push(&ot.suite, &many).await;
    assert_eq!(oversized.status, 413);
    assert_eq!(
        oversized.body["collections"]["offline_tracking"]["body"]["code"],
        "batch_too_large"
    );

    let mut outdated = phone.push_body(&[], json!([]));
    outdated["protocol_version"] = json!(0);
    let reply = phone.push_raw(&ot.suite, outdated).await;
    assert_eq!(reply.status, 426);
    assert_eq!(stored_records(&ot).await, 0);
}

#[tokio::test]
async fn another_organisations_ids_are_unknown_here() {
    let (ot, orgs) = OtSuite::start(&["acme", "other"], 1).await;
    let (acme, other) = (&orgs[0], &orgs[1]);
    let mut phone = ot.device(acme, 0).await;
    let pushed = phone
        .push_new(
            &ot.suite,
            vec![Recording::at(
                RecordKind::CheckOut,
                midnight_days_ago(1) + 17 * HOUR,
            )],
        )
        .await;
    let record_id = collection_body(&pushed)["results"][0]["record_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let conflict_id = collection_body(&pushed)["results"][0]["conflict_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let site = ot
        .admin_post(acme, "/sites", &json!({"name": "Depot"}))
        .await;
    let site_id = site.body["site_id"].as_str().unwrap().to_owned();

    for path in [
        format!("/records/{record_id}"),
        format!("/conflicts/{conflict_id}"),
        format!("/sites/{site_id}/qr"),
        format!("/devices/{}/gaps", phone.id),
    ] {
        let reply = ot.admin_get(other, &path).await;
        assert_eq!(reply.status, 404, "{path}: {:?}", reply.body);
    }
    let decided = ot
        .admin_post(
            other,
            &format!("/conflicts/{conflict_id}/resolve"),
            &json!({"decision": "keep_server", "note": "not ours"}),
        )
        .await;
    assert_eq!(decided.status, 404);
    let approve = ot
        .admin_post(other, &format!("/devices/{}/revoke", phone.id), &json!({}))
        .await;
    assert_eq!(approve.status, 404);

    // A QR code of acme's site scanned by an employee of another organisation.
    let mut stranger = ot.device(other, 0).await;
    let mut scanned = Recording::at(RecordKind::CheckIn, midnight_days_ago(1) + 8 * HOUR);
    scanned.qr = Some(site.body["qr_payload"].as_str().unwrap().to_owned());
    let reply = stranger.push_new(&ot.suite, vec![scanned]).await;
    let result = &collection_body(&reply)["results"][0];
    assert_eq!(
        (result["status"].as_str(), result["code"].as_str()),
        (Some("rejected"), Some("invalid_qr"))
    );
}
