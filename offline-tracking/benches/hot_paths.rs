//! Micro-benchmarks of the push's hot paths, in process: deriving one employee's
//! attendance as the history grows (every push re-derives the pushing employee), checking
//! a record's signature, and reading a record's JSON.
//!
//! `cargo bench -p offline-tracking --bench hot_paths`

use offline_tracking::attendance::derive::{Event, ManualEntry, Rules, derive};
use offline_tracking_protocol::{
    DeviceKey, DeviceTime, FaceMatch, GpsFix, OfflineRecord, RecordKind, SignedRecord,
};
use offline_tracking_settings::ConflictPolicy;
use std::collections::BTreeMap;

fn main() {
    divan::main();
}

const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;

/// `days` working days of check-in, break, check-out from two devices, with one manual
/// entry per twenty days and an orphan now and then.
fn history(days: i64) -> (Vec<Event>, Vec<ManualEntry>) {
    let mut events = Vec::new();
    let mut sequences = [0i64; 2];
    for day in 0..days {
        let device = (day % 2) as usize;
        for (kind, at) in [
            (RecordKind::CheckIn, 8 * HOUR),
            (RecordKind::BreakStart, 12 * HOUR),
            (RecordKind::BreakEnd, 12 * HOUR + HOUR / 2),
            (RecordKind::CheckOut, 17 * HOUR),
        ] {
            if kind == RecordKind::CheckIn && day % 37 == 5 {
                continue;
            }
            sequences[device] += 1;
            events.push(Event {
                record_id: format!("{day:06}-{}", kind.as_str()),
                device_id: format!("d{device}"),
                sequence: sequences[device],
                kind,
                time_ms: day * DAY + at,
                stale: false,
                suspect_clock: false,
                outside_geofence: false,
                leave_key: None,
            });
        }
    }
    let entries = (0..days / 20)
        .map(|n| ManualEntry {
            id: format!("entry-{n}"),
            started_at_ms: n * 20 * DAY + 7 * HOUR,
            ended_at_ms: Some(n * 20 * DAY + 9 * HOUR),
            recorded_at_ms: n * 20 * DAY + 20 * HOUR,
        })
        .collect();
    (events, entries)
}

/// Deriving `days` working days (about four records a day).
#[divan::bench(args = [20, 250, 1000, 5000], sample_count = 15)]
fn derive_history(bencher: divan::Bencher, days: i64) {
    let rules = Rules {
        policy: ConflictPolicy::ServerWins,
        duplicate_window_ms: 120_000,
        order_tolerance_ms: 300_000,
        locked_until_ms: None,
    };
    let overrides = BTreeMap::new();
    let (events, entries) = history(days);
    bencher.bench(|| derive(&events, &entries, &overrides, rules));
}

/// A typical signed check-in, as a phone sends it.
fn signed_check_in() -> (SignedRecord, String) {
    let key = DeviceKey::from_secret([7; 32]);
    let record = OfflineRecord {
        id: uuid::Uuid::now_v7(),
        device_id: uuid::Uuid::now_v7(),
        sequence: 42,
        kind: RecordKind::CheckIn,
        device_time: DeviceTime {
            wall_clock_ms: 1_796_000_000_000,
            monotonic_ms: 86_400_000,
            boot_id: "boot-1".into(),
            anchor: None,
        },
        gps: Some(GpsFix {
            latitude: 52.52,
            longitude: 13.405,
            accuracy_m: 8.0,
            provider: "gps".into(),
            mock_location: false,
            captured_at_ms: 1_796_000_000_000,
        }),
        face: Some(FaceMatch {
            matched: true,
            score: 0.93,
            threshold: 0.8,
            model: "face-1".into(),
        }),
        qr: None,
        leave: None,
        note: None,
    };
    let signed = key.sign(&record).expect("a record signs");
    (signed, key.public_key_base64())
}

/// Checking one record's Ed25519 signature (strict verification).
#[divan::bench]
fn verify_signature(bencher: divan::Bencher) {
    let (signed, public_key) = signed_check_in();
    bencher.bench(|| signed.verify(divan::black_box(&public_key)));
}

/// Reading one record's JSON payload after its signature checked.
#[divan::bench]
fn parse_record(bencher: divan::Bencher) {
    let (signed, _) = signed_check_in();
    bencher.bench(|| divan::black_box(&signed).record());
}
