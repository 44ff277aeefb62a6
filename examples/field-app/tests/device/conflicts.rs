use crate::support::{Field, HOUR, Phone, now_ms};
use serde_json::json;

#[tokio::test]
async fn a_conflict_is_shown_and_the_employees_withdrawal_and_note_come_back() {
    let field = Field::start().await;
    let phone = Phone::new();
    phone.register(&field.url(), &field.employee);
    let employee_id = field.admin_get("/devices").await["devices"][0]["employee_id"]
        .as_i64()
        .unwrap();
    let entry = field
        .suite()
        .post(
            "/admin/modules/offline-tracking/attendance/entries",
            &field.admin,
            &json!({"employee_id": employee_id, "started_at": now_ms() - 2 * HOUR, "ended_at": now_ms() + 2 * HOUR, "note": "HR entered the shift"}),
        )
        .await;
    assert_eq!(entry.status, 201, "{:?}", entry.body);

    let record = phone.record("check-in");
    let synced = phone.run_ok(&["sync"]);
    assert!(synced.contains("1 conflict(s)"), "{synced}");
    assert!(
        synced.contains("conflict overlap (server_kept)"),
        "{synced}"
    );
    let shown = phone.run_ok(&["conflicts"]);
    assert!(
        shown.contains("overlap (server_kept)") && shown.contains(&record),
        "{shown}"
    );

    phone.run_ok(&["annotate", &record, "--note", "I was on site from 9"]);
    phone.run_ok(&[
        "withdraw",
        &record,
        "--note",
        "the HR entry is right after all",
    ]);
    let second = phone.run_ok(&["sync"]);
    assert!(second.contains("your actions: 2 applied"), "{second}");
    let after = phone.run_ok(&["conflicts"]);
    assert!(
        after.contains("no longer applies"),
        "the outcome came back through pull: {after}"
    );
    assert!(after.contains("you: withdraw applied"), "{after}");

    let on_server = field.admin_get(&format!("/records/{record}")).await;
    assert_eq!(on_server["status"], "withdrawn");
    assert_eq!(
        on_server["employee_note"],
        "the HR entry is right after all"
    );
}
