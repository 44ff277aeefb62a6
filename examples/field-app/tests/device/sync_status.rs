//! After a sync, the administrator's Offline Sync Status shows the phone as the employee
//! sees it: what waits, and which configuration it runs.

use crate::support::{Field, Phone};
use serde_json::json;

/// A number from the `field-app status` line that starts with `prefix`.
fn number_after(status: &str, prefix: &str) -> i64 {
    status
        .lines()
        .find_map(|line| line.strip_prefix(prefix))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no {prefix:?} in:\n{status}"))
}

#[tokio::test]
async fn after_a_sync_the_admin_sees_what_the_phone_sees() {
    let field = Field::start().await;
    let phone = Phone::new();
    phone.register(&field.url(), &field.employee);
    for command in ["check-in", "break-start", "break-end"] {
        phone.record(command);
    }
    // The organisation changes its configuration while the phone is offline.
    field.configure(json!({"storage_limit_mb": 40})).await;

    let before = phone.run_ok(&["status"]);
    assert_eq!(number_after(&before, "Waiting: "), 3, "{before}");
    phone.run_ok(&["sync"]);

    let status = phone.run_ok(&["status"]);
    let waiting = number_after(&status, "Waiting: ");
    let config_version = number_after(&status, "Configuration version ");
    assert_eq!(waiting, 0, "{status}");
    assert!(
        phone
            .records()
            .iter()
            .all(|(_, _, state, _)| state == "accepted"),
        "{:?}",
        phone.records()
    );

    let admin = field.admin_get("/sync/status").await;
    assert_eq!(admin["pending_records"], waiting, "{admin}");
    let device = &admin["devices"][0];
    assert_eq!(device["pending_records"], waiting, "{device}");
    assert_eq!(
        device["oldest_pending_at"],
        serde_json::Value::Null,
        "{device}"
    );
    assert_eq!(device["config_version"], config_version, "{device}");
    assert_eq!(device["config_current"], true, "{device}");
    assert_eq!(admin["config_version"], config_version, "{admin}");
    assert_eq!(device["records_not_yet_received"], 0, "{device}");
}
