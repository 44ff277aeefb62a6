//! The device core's storage limit and max offline days, through the library itself.

use crate::support::{DAY, Field, now_ms};
use field_app::clock::FileClock;
use field_app::recorder::{self, Entry};
use field_app::store::Store;
use field_app::sync::{Network, sync_once};
use field_app::{FieldError, registration, views};
use offline_tracking_protocol::{GpsFix, RecordKind};
use serde_json::json;

fn entry(kind: RecordKind) -> Entry {
    Entry {
        kind: Some(kind),
        gps: Some(GpsFix {
            latitude: 52.52,
            longitude: 13.405,
            accuracy_m: 5.0,
            provider: "gps".into(),
            mock_location: false,
            captured_at_ms: now_ms(),
        }),
        note: Some("n".repeat(1000)),
        ..Default::default()
    }
}

fn clock_at(folder: &std::path::Path, shift_ms: i64) -> FileClock {
    let path = folder.join("clock.json");
    std::fs::write(
        &path,
        json!({"shift_ms": shift_ms, "boot_id": "b", "boot_at_ms": now_ms() - 20 * DAY})
            .to_string(),
    )
    .unwrap();
    FileClock::new(path)
}

#[tokio::test]
async fn at_the_storage_limit_only_check_in_and_check_out_are_kept_and_nothing_is_dropped() {
    let field = Field::start().await;
    field.configure(json!({"storage_limit_mb": 1})).await;
    let folder = tempfile::tempdir().unwrap();
    let clock = clock_at(folder.path(), 0);
    let store = Store::open(&folder.path().join("data")).await.unwrap();
    registration::register(&store, &clock, &field.url(), &field.employee, "test")
        .await
        .unwrap();

    let mut breaks = 0;
    let refusal = loop {
        match recorder::record(&store, &clock, entry(RecordKind::BreakStart)).await {
            Ok(_) => breaks += 1,
            Err(error) => break error,
        }
        assert!(breaks < 2000, "the limit never applied");
    };
    assert!(
        matches!(refusal, FieldError::NotRecorded(ref why) if why.contains("only check-in and check-out")),
        "{refusal}"
    );
    assert!(breaks > 400, "{breaks}");
    // The refusal states the storage as `records` does: 0.9 of the 1 MB are used.
    let used = store.storage_used().await.unwrap();
    assert!(
        refusal
            .to_string()
            .contains(&recorder::storage_used_text(used, 1))
            && refusal.to_string().contains("0.9 of 1 MB used"),
        "{refusal}"
    );
    recorder::record(&store, &clock, entry(RecordKind::CheckIn))
        .await
        .expect("room is kept for check-in");
    let mut essentials = 1;
    let full = loop {
        match recorder::record(&store, &clock, entry(RecordKind::CheckOut)).await {
            Ok(_) => essentials += 1,
            Err(error) => break error,
        }
        assert!(essentials < 500, "the hard limit never applied");
    };
    assert!(
        matches!(full, FieldError::NotRecorded(ref why) if why.contains("even the room kept")),
        "{full}"
    );
    let waiting = views::overview(&store, &clock).await.unwrap();
    assert_eq!(
        waiting.records.len(),
        breaks + essentials,
        "nothing was dropped"
    );
    assert!(waiting.storage_used_bytes <= waiting.storage_limit_bytes);

    let report = sync_once(&store, &clock, Network::Wifi).await.unwrap();
    let acknowledged = report.pushed.accepted
        + report.pushed.duplicates
        + report.pushed.conflicts.len()
        + report.pushed.rejected.len();
    assert_eq!(acknowledged, breaks + essentials);
    assert_eq!(field.server_records().await as usize, breaks + essentials);
    assert_eq!(
        store.storage_used().await.unwrap(),
        0,
        "acknowledged records free their room"
    );
    recorder::record(&store, &clock, entry(RecordKind::BreakStart))
        .await
        .expect("room again after a sync");
}

#[tokio::test]
async fn nearing_and_passing_max_offline_days_warns_but_keeps_everything() {
    let field = Field::start().await;
    let folder = tempfile::tempdir().unwrap();
    let store = Store::open(&folder.path().join("data")).await.unwrap();
    registration::register(
        &store,
        &clock_at(folder.path(), 0),
        &field.url(),
        &field.employee,
        "test",
    )
    .await
    .unwrap();
    // Recorded six and a half days ago, looked at now.
    recorder::record(
        &store,
        &clock_at(folder.path(), -(6 * DAY + DAY / 2)),
        entry(RecordKind::CheckIn),
    )
    .await
    .unwrap();
    let now = clock_at(folder.path(), 0);
    let view = views::overview(&store, &now).await.unwrap();
    assert!(
        view.warnings[0].contains("reaches the 7 days allowed in 11 hours"),
        "{:?}",
        view.warnings
    );
    let stored = recorder::record(
        &store,
        &clock_at(folder.path(), DAY),
        entry(RecordKind::CheckOut),
    )
    .await
    .unwrap();
    assert!(
        stored.warnings[0].contains("beyond the 7 days allowed"),
        "{:?}",
        stored.warnings
    );
    assert_eq!(
        views::overview(&store, &now).await.unwrap().records.len(),
        2,
        "kept, never dropped"
    );
}
