//! Numbers a device chooses: bounded at the edge with a final answer, never a 500, never
//! work proportional to the number, never a device that cannot sync again.

use crate::support::{HOUR, OtSuite, Recording, collection_body, now_ms, statuses_and_codes};
use crate::week::midnight_days_ago;
use offline_tracking_protocol::RecordKind;
use serde_json::{Value, json};

fn answers(reply: &suite_harness::Reply) -> Vec<(String, String)> {
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    statuses_and_codes(reply)
}

fn rejected(code: &str) -> (String, String) {
    ("rejected".to_owned(), code.to_owned())
}

#[tokio::test]
async fn sequences_beyond_what_a_device_can_have_used_are_refused_and_the_device_syncs_on() {
    let (ot, orgs) = OtSuite::start(&["acme"], 1).await;
    let org = &orgs[0];
    let mut phone = ot.device(org, 0).await;
    let at = midnight_days_ago(1) + 8 * HOUR;
    let first = phone.signed(Recording::at(RecordKind::CheckIn, at));
    let mut at_sequence = |sequence: u64, offset: i64| {
        phone.next_sequence = sequence;
        phone.signed(Recording::at(RecordKind::BreakStart, at + offset))
    };
    let hostile = [
        at_sequence(1_000_000_000_000, 0),
        at_sequence((1 << 53) - 1, 60_000),
        at_sequence(1 << 53, 120_000),
        at_sequence((1 << 63) - 1, 180_000),
        at_sequence(u64::MAX, 240_000),
    ];
    phone.next_sequence = 2;
    let reply = phone.push(&ot.suite, &hostile).await;
    assert_eq!(
        answers(&reply),
        [
            rejected("implausible_sequence"),
            rejected("implausible_sequence"),
            rejected("invalid_sequence"),
            rejected("invalid_sequence"),
            rejected("invalid_sequence"),
        ]
    );
    assert_eq!(
        ot.count("SELECT COUNT(*) FROM ot_records").await,
        0,
        "a refused record is not stored"
    );

    // The device goes on with its real numbers, in this push and the next.
    let reply = phone.push(&ot.suite, &[first]).await;
    assert_eq!(answers(&reply), [("accepted".to_owned(), String::new())]);
    let second = phone.signed(Recording::at(RecordKind::CheckOut, now_ms()));
    let reply = phone.push(&ot.suite, &[second]).await;
    assert_eq!(answers(&reply), [("accepted".to_owned(), String::new())]);
}

#[tokio::test]
async fn a_large_gap_is_shown_as_one_range() {
    let (ot, orgs) = OtSuite::start(&["acme"], 1).await;
    let org = &orgs[0];
    let mut phone = ot.device(org, 0).await;
    let at = midnight_days_ago(1) + 8 * HOUR;
    let first = phone.signed(Recording::at(RecordKind::CheckIn, at));
    phone.next_sequence = 100_001;
    let far = phone.signed(Recording::at(RecordKind::CheckOut, at + 8 * HOUR));
    let reply = phone.push(&ot.suite, &[first, far]).await;
    assert_eq!(
        answers(&reply),
        [
            ("accepted".to_owned(), String::new()),
            ("accepted".to_owned(), String::new())
        ]
    );
    let gaps = ot
        .admin_get(org, &format!("/devices/{}/gaps", phone.id))
        .await;
    assert_eq!(gaps.status, 200, "{:?}", gaps.body);
    assert_eq!(
        gaps.body["gaps"],
        json!([{"from": 2, "to": 100_000, "refused": []}])
    );
}

#[tokio::test]
async fn clocks_at_the_ends_of_the_integers_are_refused_not_a_500() {
    let (ot, orgs) = OtSuite::start(&["acme"], 1).await;
    let org = &orgs[0];
    let mut phone = ot.device(org, 0).await;
    let at = midnight_days_ago(1) + 8 * HOUR;
    let mut record = phone.record(Recording::at(RecordKind::CheckIn, at));
    record.device_time.monotonic_ms = i64::MAX;
    let huge_monotonic = phone.key.sign(&record).unwrap();
    let mut record = phone.record(Recording::at(RecordKind::CheckOut, at + HOUR));
    record.device_time.wall_clock_ms = i64::MIN;
    let ancient_wall = phone.key.sign(&record).unwrap();
    let reply = phone.push(&ot.suite, &[huge_monotonic, ancient_wall]).await;
    assert_eq!(
        answers(&reply),
        [rejected("invalid_time"), rejected("invalid_time")]
    );

    for (field, value) in [
        ("wall_clock_ms", json!(i64::MIN)),
        ("wall_clock_ms", json!(i64::MAX)),
        ("monotonic_ms", json!(i64::MAX)),
        ("monotonic_ms", json!(-1)),
    ] {
        let mut body = phone.push_body(&[], json!([]));
        body["sent_at"][field] = value.clone();
        let reply = phone.push_raw(&ot.suite, body).await;
        assert_eq!(
            (reply.status, collection_body(&reply)["code"].clone()),
            (422, Value::from("invalid_sent_at")),
            "sent_at.{field} = {value}: {:?}",
            reply.body
        );
    }
    assert!(
        !ot.suite.log().contains("panicked"),
        "no panic in the suite's log:\n{}",
        ot.suite.log()
    );
}
