//! A stored state or JSON document that someone damaged is an error the operator can
//! find, never silently read as a default.

use crate::support::{OtSuite, Recording, now_ms};
use offline_tracking_protocol::RecordKind::{CheckIn, CheckOut};

#[tokio::test]
async fn a_damaged_status_or_json_column_is_an_error_naming_the_column() {
    let (ot, orgs) = OtSuite::start(&["acme"], 1).await;
    let org = &orgs[0];
    let mut phone = ot.device(org, 0).await;
    let at = now_ms() - 120_000;
    let pushed = phone
        .push_new(
            &ot.suite,
            vec![
                Recording::at(CheckIn, at),
                Recording::at(CheckOut, at + 60_000),
            ],
        )
        .await;
    assert_eq!(pushed.status, 200);
    assert_eq!(ot.admin_get(org, "/records").await.status, 200);
    assert_eq!(ot.admin_get(org, "/attendance").await.status, 200);

    // A status no variant has: the listing fails instead of guessing one.
    ot.home
        .database
        .execute("UPDATE ot_records SET status = 'acepted'")
        .await;
    let records = ot.admin_get(org, "/records").await;
    assert_eq!(records.status, 500, "{:?}", records.body);
    assert_eq!(records.code(), "database_error");

    // Session breaks that are not JSON: the same, and the log names the column.
    ot.home
        .database
        .execute("UPDATE ot_sessions SET breaks = 'not json'")
        .await;
    let attendance = ot.admin_get(org, "/attendance").await;
    assert_eq!(attendance.status, 500, "{:?}", attendance.body);
    let mut log = String::new();
    for _ in 0..50 {
        log = ot.suite.log();
        if log.contains("breaks") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        log.lines()
            .any(|line| line.contains("breaks") && line.contains("not a")),
        "{log}"
    );
}
