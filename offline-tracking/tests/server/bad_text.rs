//! Text with NUL and other control characters, wherever a client can send text: a 422 (or
//! a record's refusal) naming the field, the same on every database, never a 5xx.

use crate::support::{HOUR, OtSuite, Recording, TestDevice, collection_body, statuses_and_codes};
use crate::week::midnight_days_ago;
use offline_tracking_protocol::{
    COLLECTION, DEVICE_ID_HEADER, DEVICE_TOKEN_HEADER, LeaveDetails, RecordKind,
};
use serde_json::json;

const NUL: &str = "\u{0}";

#[tokio::test]
async fn nul_in_a_record_its_push_or_an_action_is_refused_with_a_code() {
    let (ot, orgs) = OtSuite::start(&["acme"], 1).await;
    let org = &orgs[0];
    let mut phone = ot.device(org, 0).await;
    let at = midnight_days_ago(1) + 8 * HOUR;

    let mut record = phone.record(Recording::at(RecordKind::CheckIn, at));
    record.device_time.boot_id = format!("boot{NUL}");
    let bad_boot = phone.key.sign(&record).unwrap();
    let mut leave = Recording::at(RecordKind::LeaveRequest, at + HOUR);
    leave.gps = None;
    leave.leave = Some(LeaveDetails {
        leave_type: format!("annual{NUL}"),
        starts_on: "2026-12-01".into(),
        ends_on: "2026-12-02".into(),
        reason: None,
    });
    let bad_leave_type = phone.signed(leave);
    let mut leave = Recording::at(RecordKind::LeaveRequest, at + 2 * HOUR);
    leave.gps = None;
    leave.leave = Some(LeaveDetails {
        leave_type: "annual".into(),
        starts_on: "2026-12-01".into(),
        ends_on: "2026-12-02".into(),
        reason: Some(format!("family{NUL}")),
    });
    let bad_reason = phone.signed(leave);
    let good = phone.signed(Recording::at(RecordKind::CheckIn, at + 3 * HOUR));
    let good_id = good.record().unwrap().id;
    let reply = phone
        .push(&ot.suite, &[bad_boot, bad_leave_type, bad_reason, good])
        .await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    let codes: Vec<String> = statuses_and_codes(&reply)
        .into_iter()
        .map(|(status, code)| if code.is_empty() { status } else { code })
        .collect();
    assert_eq!(
        codes,
        [
            "invalid_time",
            "invalid_leave_request",
            "invalid_leave_request",
            "accepted"
        ]
    );

    for (field, value) in [
        ("app_version", json!(format!("1.0{NUL}"))),
        ("network", json!(format!("wifi{NUL}"))),
    ] {
        let mut body = phone.push_body(&[], json!([]));
        body["health"][field] = value;
        let reply = phone.push_raw(&ot.suite, body).await;
        assert_eq!(
            (reply.status, collection_body(&reply)["code"].as_str()),
            (422, Some("invalid_health")),
            "{field}: {:?}",
            reply.body
        );
    }
    let mut body = phone.push_body(&[], json!([]));
    body["sent_at"]["boot_id"] = json!(NUL);
    let reply = phone.push_raw(&ot.suite, body).await;
    assert_eq!(reply.status, 422, "{:?}", reply.body);

    let actions = json!([{"id": uuid::Uuid::now_v7(), "record_id": good_id, "action": "annotate", "note": format!("late{NUL}")}]);
    let reply = phone
        .push_raw(&ot.suite, phone.push_body(&[], actions))
        .await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    assert_eq!(
        collection_body(&reply)["action_results"][0]["code"],
        "invalid_note"
    );
}

#[tokio::test]
async fn nul_in_registrations_admin_forms_and_queries_is_a_422() {
    let (ot, orgs) = OtSuite::start(&["acme"], 1).await;
    let org = &orgs[0];
    let employee = &org.employees[0];
    let registration = ot
        .suite
        .post(
            "/api/modules/offline-tracking/devices",
            &employee.1,
            &json!({
                "install_id": uuid::Uuid::new_v4().to_string(),
                "platform": format!("android{NUL}"),
                "app_version": "1.0.0",
                "public_key": offline_tracking_protocol::DeviceKey::from_secret([7; 32]).public_key_base64(),
            }),
        )
        .await;
    assert_eq!(
        (registration.status, registration.code()),
        (422, "invalid_device")
    );

    let site = ot
        .admin_post(org, "/sites", &json!({"name": format!("Depot{NUL}")}))
        .await;
    assert_eq!((site.status, site.code()), (422, "invalid_site"));

    let _phone = TestDevice::register(&ot.suite, &employee.1).await;
    let entry = ot
        .admin_post(
            org,
            "/attendance/entries",
            &json!({"employee_id": employee.0, "started_at": midnight_days_ago(1) + 8 * HOUR, "note": format!("entered{NUL}")}),
        )
        .await;
    assert_eq!((entry.status, entry.code()), (422, "invalid_entry"));

    for query in ["subject_kind=%00", "subject_id=a%00b", "action=%07"] {
        let audit = ot.admin_get(org, &format!("/audit?{query}")).await;
        assert_eq!(
            (audit.status, audit.code()),
            (422, "invalid_parameter"),
            "{query}: {:?}",
            audit.body
        );
    }
}

#[tokio::test]
async fn a_device_id_that_is_no_id_is_refused_and_the_refusal_audited() {
    let (ot, orgs) = OtSuite::start(&["acme"], 1).await;
    let org = &orgs[0];
    let phone = ot.device(org, 0).await;
    let long_id = "d".repeat(200);
    let envelope = json!({"protocol_version": 1, "collections": {COLLECTION: phone.push_body(&[], json!([]))}});
    for named in [long_id.as_str(), "not-a-uuid"] {
        let reply = ot
            .suite
            .send(
                reqwest::Method::POST,
                "/api/v1/sync/push",
                Some(&phone.employee_token),
                Some(envelope.to_string().into_bytes()),
                &[
                    (DEVICE_ID_HEADER, named),
                    (DEVICE_TOKEN_HEADER, &phone.token),
                ],
            )
            .await;
        assert!(
            reply.status == 422 || reply.status == 403,
            "{named}: {} {:?}",
            reply.status,
            reply.body
        );
        assert_ne!(reply.status, 500);
    }
    let refusals = ot
        .count("SELECT COUNT(*) FROM ot_audit WHERE action = 'sync.refused'")
        .await;
    assert_eq!(refusals, 2, "each refusal is audited:\n{}", ot.suite.log());
}
