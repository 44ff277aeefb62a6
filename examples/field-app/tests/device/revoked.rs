//! A revoked device: its records wait on the phone until an administrator reinstates it
//! (audited, with a reason); the phone can be registered anew only with nothing left to
//! send under the revoked key.

use crate::support::{Field, Phone};
use serde_json::json;

async fn admin_post(field: &Field, path: &str, body: serde_json::Value) -> suite_harness::Reply {
    field
        .suite()
        .post(
            &format!("/admin/modules/offline-tracking{path}"),
            &field.admin,
            &body,
        )
        .await
}

fn device_id(phone: &Phone) -> String {
    let status = phone.run_ok(&["status"]);
    status
        .split_whitespace()
        .nth(1)
        .unwrap_or_else(|| panic!("{status}"))
        .to_owned()
}

#[tokio::test]
async fn a_revoked_device_is_reinstated_or_registered_anew_and_no_record_is_lost() {
    let field = Field::start().await;
    let phone = Phone::new();
    phone.register(&field.url(), &field.employee);
    let old_device = device_id(&phone);
    phone.record("check-in");

    let revoked = admin_post(
        &field,
        &format!("/devices/{old_device}/revoke"),
        json!({"reason": "reported lost"}),
    )
    .await;
    assert_eq!(revoked.status, 200, "{:?}", revoked.body);
    let approve = admin_post(&field, &format!("/devices/{old_device}/approve"), json!({})).await;
    assert_eq!(approve.status, 409);
    assert!(
        approve.body["message"]
            .as_str()
            .unwrap()
            .contains("reinstate"),
        "{:?}",
        approve.body
    );

    let refused = phone.run(&["sync"]);
    assert!(!refused.status.success());
    let again = phone.run(&["sync"]);
    let said = String::from_utf8_lossy(&again.stderr);
    assert!(
        said.contains("sent once an administrator reinstates it"),
        "{said}"
    );
    assert_eq!(phone.records()[0].2, "pending", "{:?}", phone.records());

    // Registering anew would strand the waiting record under the revoked key: refused.
    let anew = phone.run(&[
        "register",
        "--again",
        "--server",
        &field.url(),
        "--token",
        &field.employee,
    ]);
    assert!(!anew.status.success());
    let said = String::from_utf8_lossy(&anew.stderr);
    assert!(
        said.contains("1 record(s)") && said.contains("reinstate"),
        "{said}"
    );
    assert_eq!(phone.records().len(), 1);

    let no_reason = admin_post(
        &field,
        &format!("/devices/{old_device}/reinstate"),
        json!({"reason": ""}),
    )
    .await;
    assert_eq!(no_reason.status, 422);
    let reinstated = admin_post(
        &field,
        &format!("/devices/{old_device}/reinstate"),
        json!({"reason": "found in the van"}),
    )
    .await;
    assert_eq!(reinstated.status, 200, "{:?}", reinstated.body);
    assert_eq!(reinstated.body["status"], "active");
    let audit = field
        .admin_get(&format!(
            "/audit?subject_kind=device&subject_id={old_device}"
        ))
        .await;
    let entry = audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "device.reinstated")
        .unwrap_or_else(|| panic!("{audit}"))
        .clone();
    assert_eq!(entry["details"]["reason"], "found in the van");
    assert_eq!(entry["details"]["revoked_for"], "reported lost");

    phone.run_ok(&["sync"]);
    assert_eq!(phone.records()[0].2, "accepted", "sent with its own key");
    assert_eq!(field.server_records().await, 1);

    // Revoked again with nothing waiting: the phone registers anew, as a new device.
    admin_post(&field, &format!("/devices/{old_device}/revoke"), json!({})).await;
    assert!(!phone.run(&["sync"]).status.success());
    phone.run_ok(&[
        "register",
        "--again",
        "--server",
        &field.url(),
        "--token",
        &field.employee,
    ]);
    let new_device = device_id(&phone);
    assert_ne!(new_device, old_device);
    phone.record("check-out");
    phone.run_ok(&["sync"]);
    assert_eq!(field.server_records().await, 2);
    let gaps = field
        .admin_get(&format!("/devices/{new_device}/gaps"))
        .await;
    assert_eq!(
        gaps["gaps"],
        json!([]),
        "the new device counts from 1: {gaps}"
    );
}
