//! Device: the field app core's durable enqueue (a signed record and its sequence number
//! in one fsynced SQLite transaction), its latency as the queue grows, and how many
//! typical records the storage limit of 100 MB holds.

use crate::Size;
use crate::report::{Latencies, Report};
use crate::server::BenchSuite;
use field_app::clock::SystemClock;
use field_app::recorder::{self, Entry};
use field_app::store::Store;
use offline_tracking_protocol::{FaceMatch, GpsFix, RecordKind};
use std::time::Instant;

const MIB: f64 = 1024.0 * 1024.0;
const LIMIT_MB: f64 = 100.0;

pub async fn run(size: Size) -> anyhow::Result<Report> {
    let records = size.pick(5_000, 300);
    // Registration is online, once; the suite is there only for it.
    let mut suite = BenchSuite::offline_tracking(None).await?;
    let employee = suite.employees(1).await?.remove(0);
    let folder = tempfile::tempdir()?;
    let store = Store::open(folder.path()).await?;
    let clock = SystemClock;
    field_app::registration::register(
        &store,
        &clock,
        &suite.suite.base_url,
        &employee.token,
        "bench",
    )
    .await?;
    let before = settled_disk_bytes(&store, folder.path()).await?;
    let kinds = [
        RecordKind::CheckIn,
        RecordKind::BreakStart,
        RecordKind::BreakEnd,
        RecordKind::CheckOut,
    ];
    let mut latencies = Vec::with_capacity(records);
    for n in 0..records {
        let entry = Entry {
            kind: Some(kinds[n % kinds.len()]),
            gps: Some(GpsFix {
                latitude: 52.52,
                longitude: 13.405,
                accuracy_m: 8.0,
                provider: "gps".into(),
                mock_location: false,
                captured_at_ms: chrono::Utc::now().timestamp_millis(),
            }),
            face: Some(FaceMatch {
                matched: true,
                score: 0.93,
                threshold: 0.8,
                model: "bench-face-1".into(),
            }),
            ..Entry::default()
        };
        let started = Instant::now();
        recorder::record(&store, &clock, entry).await?;
        latencies.push(started.elapsed());
    }
    let first_tenth = Latencies::new(latencies[..records / 10].to_vec());
    let last_tenth = Latencies::new(latencies[records - records / 10..].to_vec());
    let all = Latencies::new(latencies);
    let counted = store.storage_used().await? as f64 / records as f64;
    let after = settled_disk_bytes(&store, folder.path()).await?;
    let on_disk = after.saturating_sub(before) as f64 / records as f64;
    Ok(Report::new("device")
        .add("records", records)
        .ms("enqueue_p50_ms", all.median())
        .ms("enqueue_p99_ms", all.percentile(99.0))
        .ms("enqueue_p50_first_tenth_ms", first_tenth.median())
        .ms("enqueue_p50_last_tenth_ms", last_tenth.median())
        .add("counted_bytes_per_record", format!("{counted:.0}"))
        .add("disk_bytes_per_record", format!("{on_disk:.0}"))
        .add(
            "records_in_100mb",
            format!("{:.0}", LIMIT_MB * MIB / counted.max(1.0)),
        ))
}

/// Bytes of the store's files once the write-ahead log is folded into the database (the
/// log's size depends on when SQLite last checkpointed, not on the records).
async fn settled_disk_bytes(store: &Store, folder: &std::path::Path) -> anyhow::Result<u64> {
    use sea_orm::ConnectionTrait;
    store
        .db()
        .execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
        .await?;
    Ok(disk_bytes(folder))
}

/// Bytes of the store's files (the database, its WAL and shared memory).
fn disk_bytes(folder: &std::path::Path) -> u64 {
    std::fs::read_dir(folder)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter_map(|entry| entry.metadata().ok())
                .map(|metadata| metadata.len())
                .sum()
        })
        .unwrap_or(0)
}
