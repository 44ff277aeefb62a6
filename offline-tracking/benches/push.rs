//! Push latency through the real suite and module on embedded SQLite, as one employee's
//! history grows: ten pushes of 500 records each.
//!
//! Needs a release build of the suite and the module first:
//! `cargo build --release --workspace && cargo bench -p offline-tracking --bench push`
//! (TEST_DATABASE_URL selects PostgreSQL or MySQL/MariaDB as in the tests).

#[path = "../tests/server/support/mod.rs"]
#[allow(dead_code, unused_imports)]
mod support;

use offline_tracking_protocol::RecordKind;
use std::time::Instant;
use support::{OtSuite, Recording, collection_body, now_ms};

const BATCHES: usize = 10;
const BATCH: i64 = 500;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let (ot, orgs) = OtSuite::start(&["bench"], 1).await;
    let mut phone = ot.device(&orgs[0], 0).await;
    let kinds = [
        RecordKind::CheckIn,
        RecordKind::BreakStart,
        RecordKind::BreakEnd,
        RecordKind::CheckOut,
    ];
    let start = now_ms() - 5 * support::DAY;
    println!(
        "{:>6} {:>16} {:>12} {:>14}",
        "batch", "history before", "push", "per record"
    );
    for batch in 0..BATCHES {
        let recordings: Vec<Recording> = (0..BATCH)
            .map(|n| {
                let index = batch as i64 * BATCH + n;
                Recording::at(kinds[(index % 4) as usize], start + index * 60_000)
            })
            .collect();
        let signed: Vec<_> = recordings.into_iter().map(|r| phone.signed(r)).collect();
        let started = Instant::now();
        let reply = phone.push(&ot.suite, &signed).await;
        let elapsed = started.elapsed();
        assert_eq!(reply.status, 200, "{:?}", reply.body);
        assert_eq!(
            collection_body(&reply)["results"].as_array().unwrap().len(),
            BATCH as usize
        );
        println!(
            "{:>6} {:>16} {:>9.0} ms {:>11.2} ms",
            batch + 1,
            batch as i64 * BATCH,
            elapsed.as_secs_f64() * 1000.0,
            elapsed.as_secs_f64() * 1000.0 / BATCH as f64
        );
    }
}
