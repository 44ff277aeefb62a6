//! A seeded mutation fuzzer for the push path, over HTTP through the real suite and the
//! real module: valid pushes of a real phone, with fields of the records (re-signed, so
//! they get past the signature to the validator), of the push itself or of its bytes
//! replaced by hostile values. The same pushes go to a suite on embedded SQLite and to one
//! on `TEST_DATABASE_URL`'s server (or a second SQLite), and the oracle is:
//!
//! * never a 5xx, never a panic in the suite's log;
//! * a final answer for every record: no `retry_later` to a lone client;
//! * nothing stored for a refused push;
//! * the same answers on both databases.
//!
//! `PUSH_FUZZ_CASES` and `PUSH_FUZZ_SEED` change how many pushes and which.

use crate::support::{HOUR, Org, OtSuite, Recording, TestDevice, collection_body};
use crate::week::midnight_days_ago;
use offline_tracking_protocol::{RecordKind, SignedRecord};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use serde_json::{Value, json};

/// Pushes per database: with the two databases, 2,000 pushes in about half a minute.
const DEFAULT_CASES: usize = 1000;

fn hostile_values() -> Vec<Value> {
    vec![
        json!(i64::MAX),
        json!(i64::MIN),
        json!(u64::MAX),
        json!(-1),
        json!(0),
        json!(9_007_199_254_740_993u64),
        json!(1e308),
        json!(-0.5),
        json!(""),
        json!("\u{0}"),
        json!("\u{1b}[2J"),
        json!("x".repeat(5000)),
        json!("2026-02-30"),
        Value::Null,
        json!([]),
        json!({}),
        json!(true),
        json!([1, 2, 3]),
    ]
}

const RECORD_PATHS: &[&[&str]] = &[
    &["sequence"],
    &["kind"],
    &["id"],
    &["device_id"],
    &["device_time", "wall_clock_ms"],
    &["device_time", "monotonic_ms"],
    &["device_time", "boot_id"],
    &["device_time", "anchor"],
    &["gps"],
    &["gps", "latitude"],
    &["gps", "longitude"],
    &["gps", "accuracy_m"],
    &["gps", "provider"],
    &["gps", "captured_at_ms"],
    &["face"],
    &["face", "score"],
    &["qr"],
    &["qr", "payload"],
    &["leave"],
    &["leave", "leave_type"],
    &["note"],
];

const PUSH_PATHS: &[&[&str]] = &[
    &["protocol_version"],
    &["device_id"],
    &["sent_at"],
    &["sent_at", "wall_clock_ms"],
    &["sent_at", "monotonic_ms"],
    &["sent_at", "boot_id"],
    &["health"],
    &["health", "queue_depth"],
    &["health", "app_version"],
    &["health", "network"],
    &["health", "storage_used_bytes"],
    &["health", "last_recorded_sequence"],
    &["records"],
    &["actions"],
];

fn set_path(target: &mut Value, path: &[&str], value: Value) {
    let mut place = target;
    for key in path {
        place = &mut place[*key];
    }
    *place = value;
}

fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

/// One record of the phone, valid or mutated.
fn fuzzed_record(rng: &mut StdRng, phone: &mut TestDevice, at_ms: i64) -> SignedRecord {
    use RecordKind::{BreakEnd, BreakStart, CheckIn, CheckOut};
    let kind = *pick(rng, &[CheckIn, BreakStart, BreakEnd, CheckOut]);
    let record = phone.record(Recording::at(kind, at_ms));
    let mut value = serde_json::to_value(&record).unwrap();
    let roll = rng.random_range(0..10);
    if roll < 5 {
        let path = *pick::<&[&str]>(rng, RECORD_PATHS);
        set_path(&mut value, path, pick(rng, &hostile_values()).clone());
    }
    let mut signed = phone.key.sign_payload(value.to_string());
    if roll == 9 {
        // Bytes changed after signing: the signature no longer matches.
        let mut bytes = signed.payload.into_bytes();
        let at = rng.random_range(0..bytes.len());
        bytes[at] = bytes[at].wrapping_add(1) & 0x7f;
        signed.payload = String::from_utf8_lossy(&bytes).into_owned();
    }
    signed
}

async fn stored_records(db: &DatabaseConnection) -> i64 {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT COUNT(*) FROM ot_records".to_owned(),
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

/// What a person comparing two runs would compare: statuses and codes, not generated ids.
fn summary(reply: &suite_harness::Reply) -> String {
    let body = collection_body(reply);
    let results: Vec<String> = body["results"]
        .as_array()
        .map(|results| {
            results
                .iter()
                .map(|r| format!("{}:{}", r["status"], r["code"]))
                .collect()
        })
        .unwrap_or_default();
    format!("{} {} {results:?}", reply.status, body["code"])
}

/// Sends `cases` fuzzed pushes from one phone; checks the oracle on each; answers the
/// summaries.
async fn fuzz(ot: &OtSuite, org: &Org, seed: u64, cases: usize) -> Vec<String> {
    let mut phone =
        TestDevice::register_with_secret(&ot.suite, &org.employees[0].1, [42; 32]).await;
    let mut rng = StdRng::seed_from_u64(seed);
    let db = ot.home.database.connect().await;
    let first = midnight_days_ago(6) + 6 * HOUR;
    let mut summaries = Vec::with_capacity(cases);
    for case in 0..cases {
        let count = rng.random_range(1..=3);
        let records: Vec<SignedRecord> = (0..count)
            .map(|n| {
                // 47 s apart: no multiple lands within seconds of the duplicate window
                // (120 s) or the clock tolerance (300 s), where the milliseconds between
                // the two suites' clocks could decide.
                let at = first + (case * 3 + n) as i64 * 47_000;
                fuzzed_record(&mut rng, &mut phone, at)
            })
            .collect();
        let mut body = phone.push_body(&records, json!([]));
        if rng.random_range(0..10) < 2 {
            let path = *pick::<&[&str]>(&mut rng, PUSH_PATHS);
            set_path(&mut body, path, pick(&mut rng, &hostile_values()).clone());
        }
        let before = stored_records(&db).await;
        let reply = phone.push_raw(&ot.suite, body.clone()).await;
        let context = || format!("case {case} (seed {seed}): {body}\nanswer {:?}", reply.body);
        assert!(reply.status < 500, "a 5xx: {}", context());
        if reply.status == 200 {
            let results = collection_body(&reply)["results"].as_array().unwrap();
            let sent = body["records"].as_array().map_or(0, Vec::len);
            assert_eq!(results.len(), sent, "an answer per record: {}", context());
            assert!(
                results.iter().all(|r| r["status"] != "retry_later"),
                "every deterministic record gets a final answer: {}",
                context()
            );
        } else {
            assert_eq!(
                stored_records(&db).await,
                before,
                "a refused push stores nothing: {}",
                context()
            );
        }
        summaries.push(summary(&reply));
    }
    let log = ot.suite.log();
    assert!(
        !log.contains("panicked"),
        "a panic in the suite's log:\n{log}"
    );
    summaries
}

#[tokio::test]
async fn mutated_pushes_never_fail_the_server_and_get_the_same_answers_on_every_database() {
    let cases = std::env::var("PUSH_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(DEFAULT_CASES);
    let seed = std::env::var("PUSH_FUZZ_SEED")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(20_261_122);
    let ((embedded, embedded_orgs), (server, server_orgs)) = tokio::join!(
        OtSuite::start_on_sqlite(&["fuzz"], 1),
        OtSuite::start(&["fuzz"], 1)
    );
    let (on_sqlite, on_server) = tokio::join!(
        fuzz(&embedded, &embedded_orgs[0], seed, cases),
        fuzz(&server, &server_orgs[0], seed, cases)
    );
    let refused = on_sqlite.iter().filter(|s| !s.starts_with("200")).count();
    assert!(
        refused > 0 && refused < cases,
        "the mutations reach both refusals and answers: {refused} of {cases} refused"
    );
    for (case, (a, b)) in on_sqlite.iter().zip(&on_server).enumerate() {
        assert_eq!(a, b, "case {case} (seed {seed}) answered differently");
    }
}
