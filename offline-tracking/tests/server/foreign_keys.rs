//! The foreign keys between OfflineTracking's tables: added by a migration that keeps the
//! data already stored, removed by its rollback, and enforced by every database.

use crate::support::{Org, OtSuite, Recording, now_ms};
use offline_tracking_protocol::RecordKind::{CheckIn, CheckOut};
use sea_orm::ConnectionTrait;
use serde_json::json;

const HOUR: i64 = 3_600_000;

#[tokio::test]
async fn the_foreign_keys_migration_keeps_existing_data_and_is_enforced() {
    let (ot, orgs) = OtSuite::start(&["acme"], 1).await;
    let org = &orgs[0];
    let employee_id = org.employees[0].0;
    // Rows in most of the tables the constraints join: records, a conflict with a manual
    // entry, sessions, a sync session and a health report.
    let at = now_ms() - 30 * HOUR;
    let entry = ot
        .admin_post(
            org,
            "/attendance/entries",
            &json!({"employee_id": employee_id, "started_at": at - HOUR, "ended_at": at + 8 * HOUR, "note": "from the paper sheet"}),
        )
        .await;
    assert_eq!(entry.status, 201, "{:?}", entry.body);
    let mut phone = ot.device(org, 0).await;
    let pushed = phone
        .push_new(
            &ot.suite,
            vec![
                Recording::at(CheckIn, at),
                Recording::at(CheckIn, at + 20 * HOUR),
                Recording::at(CheckOut, at + 21 * HOUR),
            ],
        )
        .await;
    assert_eq!(pushed.status, 200, "{:?}", pushed.body);
    let before = views(&ot, org).await;
    assert!(
        ot.count("SELECT COUNT(*) FROM ot_conflicts").await >= 1,
        "the entry and the first check-in conflict"
    );

    // Back to the schema without the constraints, then forward again over the same rows.
    let OtSuite { suite, home } = ot;
    assert!(suite.stop());
    let rolled_back = home.run_ok(&[
        "module:migrate-rollback",
        "OfflineTracking",
        "--steps",
        "1",
        "--force",
    ]);
    assert!(
        rolled_back.contains("rolled back m20261122_000006_add_foreign_keys"),
        "{rolled_back}"
    );
    let migrated = home.run_ok(&["migrate"]);
    assert!(
        migrated.contains("m20261122_000006_add_foreign_keys"),
        "{migrated}"
    );
    let ot = OtSuite {
        suite: home.serve(),
        home,
    };
    assert_eq!(
        views(&ot, org).await,
        before,
        "the same data after the migration"
    );

    // Every database now refuses a reference to nothing.
    let db = ot.home.database.connect().await;
    for (statement, what) in [
        (
            "UPDATE ot_records SET device_id = '00000000-0000-7000-8000-000000000000'",
            "a record of no device",
        ),
        (
            "UPDATE ot_conflicts SET record_id = '00000000-0000-7000-8000-000000000000'",
            "a conflict about no record",
        ),
        (
            "UPDATE ot_sessions SET start_record_id = '00000000-0000-7000-8000-000000000000' WHERE start_record_id IS NOT NULL",
            "a session starting at no record",
        ),
    ] {
        assert!(
            db.execute_unprepared(statement).await.is_err(),
            "{what} was accepted"
        );
    }
    db.close().await.ok();
    assert_eq!(
        views(&ot, org).await,
        before,
        "refused changes changed nothing"
    );
}

/// What an administrator reads about the organisation.
async fn views(ot: &OtSuite, org: &Org) -> Vec<serde_json::Value> {
    let mut seen = Vec::new();
    for path in [
        "/records",
        "/attendance",
        "/conflicts?state=all",
        "/sync/status",
    ] {
        let reply = ot.admin_get(org, path).await;
        assert_eq!(reply.status, 200, "{path}: {:?}", reply.body);
        seen.push(without_clock_fields(reply.body));
    }
    seen
}

/// The views with the fields that move with the clock (ages, "now") taken out.
fn without_clock_fields(mut value: serde_json::Value) -> serde_json::Value {
    match &mut value {
        serde_json::Value::Object(map) => {
            map.retain(|key, _| !key.contains("age") && key != "now" && !key.ends_with("_ago"));
            for field in map.values_mut() {
                *field = without_clock_fields(std::mem::take(field));
            }
        }
        serde_json::Value::Array(items) => {
            for item in items.iter_mut() {
                *item = without_clock_fields(std::mem::take(item));
            }
        }
        _ => {}
    }
    value
}
