//! How long deriving one employee's attendance takes as their history grows: every push
//! re-derives the pushing employee from all their records, so this bounds push latency.
//!
//! `cargo bench -p offline-tracking --bench derive`

use offline_tracking::attendance::derive::{Event, ManualEntry, Rules, derive};
use offline_tracking_protocol::RecordKind;
use offline_tracking_settings::ConflictPolicy;
use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

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

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn main() {
    let rules = Rules {
        policy: ConflictPolicy::ServerWins,
        duplicate_window_ms: 120_000,
        order_tolerance_ms: 300_000,
        locked_until_ms: None,
    };
    let overrides = BTreeMap::new();
    println!(
        "{:>8} {:>9} {:>12} {:>14}",
        "days", "records", "median", "per record"
    );
    for days in [20, 250, 1000, 5000] {
        let (events, entries) = history(days);
        let runs = if days >= 1000 { 15 } else { 51 };
        let samples: Vec<Duration> = (0..runs)
            .map(|_| {
                let started = Instant::now();
                black_box(derive(
                    black_box(&events),
                    black_box(&entries),
                    &overrides,
                    rules,
                ));
                started.elapsed()
            })
            .collect();
        let median = median(samples);
        println!(
            "{days:>8} {:>9} {:>10.2} ms {:>11.2} µs",
            events.len(),
            median.as_secs_f64() * 1000.0,
            median.as_secs_f64() * 1e6 / events.len() as f64
        );
    }
}
