//! Changing the organisation's conflict policy settles new conflicts only; an old one is
//! settled again only when an administrator asks, with a reason, in the audit trail.

use crate::support::{HOUR, OtSuite, Recording, collection_body, policy};
use crate::week::midnight_days_ago;
use offline_tracking_protocol::RecordKind::{CheckIn, CheckOut};
use serde_json::json;

#[tokio::test]
async fn a_policy_change_leaves_settled_conflicts_as_they_were() {
    let (ot, orgs) = OtSuite::start(&["acme"], 1).await;
    let org = &orgs[0];
    ot.configure(org, policy("client_wins")).await;
    let mut phone = ot.device(org, 0).await;
    let monday = midnight_days_ago(3);
    let tuesday = monday + 24 * HOUR;
    // A second check-in while checked in: client wins applies it.
    let first = phone
        .push_new(
            &ot.suite,
            vec![
                Recording::at(CheckIn, monday + 8 * HOUR),
                Recording::at(CheckIn, monday + 10 * HOUR),
                Recording::at(CheckOut, monday + 17 * HOUR),
            ],
        )
        .await;
    let old_record = collection_body(&first)["results"][1]["record_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let conflicts = ot.conflicts(org, "overlap").await;
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    let old = conflicts[0].clone();
    assert_eq!(old["resolution"], "offline_applied");
    assert_eq!(old["policy"], "client_wins");

    // The organisation goes back to server wins; the employee syncs again, with a new
    // conflict of the same kind the next day.
    let settings = ot.configure(org, policy("server_wins")).await;
    let description = settings.body["schema"]["properties"]["conflict_resolution"]["description"]
        .as_str()
        .unwrap_or_default();
    assert!(
        description.contains("does not touch conflicts already detected")
            && description.contains("resettle"),
        "the settings answer says what the change affects: {description:?}"
    );
    let mut tablet = ot.device(org, 0).await;
    let second = tablet
        .push_new(
            &ot.suite,
            vec![
                Recording::at(CheckIn, tuesday + 8 * HOUR),
                Recording::at(CheckIn, tuesday + 10 * HOUR),
            ],
        )
        .await;
    assert_eq!(second.status, 200);
    let after = ot.conflicts(org, "overlap").await;
    let still = after
        .iter()
        .find(|c| c["conflict_id"] == old["conflict_id"])
        .unwrap();
    assert_eq!(
        still["resolution"], "offline_applied",
        "history kept: {still}"
    );
    assert_eq!(still["policy"], "client_wins");
    let record = ot.admin_get(org, &format!("/records/{old_record}")).await;
    assert_eq!(record.body["status"], "accepted", "{:?}", record.body);
    let new = after
        .iter()
        .find(|c| c["conflict_id"] != old["conflict_id"])
        .unwrap();
    assert_eq!(
        new["resolution"], "server_kept",
        "new conflicts follow the new policy: {new}"
    );
    assert_eq!(new["policy"], "server_wins");

    // Re-settling is explicit, needs a reason, and is audited.
    let id = old["conflict_id"].as_str().unwrap();
    let path = format!("/conflicts/{id}/resettle");
    let no_reason = ot.admin_post(org, &path, &json!({"note": " "})).await;
    assert_eq!(no_reason.status, 422, "{:?}", no_reason.body);
    let resettled = ot
        .admin_post(
            org,
            &path,
            &json!({"note": "payroll follows server wins from May"}),
        )
        .await;
    assert_eq!(resettled.status, 200, "{:?}", resettled.body);
    let now = ot.conflicts(org, "overlap").await;
    let now = now
        .iter()
        .find(|c| c["conflict_id"] == old["conflict_id"])
        .unwrap();
    assert_eq!(now["resolution"], "server_kept", "{now}");
    assert_eq!(now["policy"], "server_wins");
    let audit = ot.audit_of(org, "conflict", id).await;
    let entry = audit
        .iter()
        .find(|e| e["action"] == "conflict.resettled")
        .unwrap_or_else(|| panic!("{audit:?}"));
    assert_eq!(entry["details"]["policy_before"], "client_wins");
    assert_eq!(entry["details"]["resolution_before"], "offline_applied");
    let again = ot.admin_post(org, &path, &json!({"note": "again"})).await;
    assert_eq!(again.status, 409, "{:?}", again.body);
    assert_eq!(again.body["code"], "policy_unchanged");
}
