//! What the admin and the employee read is what derivation says, however the records
//! arrive; and a resend of answered records writes nothing at all.

use crate::support::{DAY, HOUR, OtSuite, Recording, collection_body};
use crate::week::midnight_days_ago;
use offline_tracking_protocol::RecordKind::{self, BreakEnd, BreakStart, CheckIn, CheckOut};
use offline_tracking_protocol::SignedRecord;
use serde_json::{Value, json};

/// The module's tables as rows and last updates, except the employee lock (touched by
/// every push to serialise it) and the sync log (a resend is still a sync).
async fn stored_state(ot: &OtSuite) -> Vec<(String, i64, i64)> {
    let with_updates = ["ot_records", "ot_sessions", "ot_conflicts"];
    let mut state = Vec::new();
    for table in ot.home.database.tables().await {
        if !table.starts_with("ot_")
            || ["ot_employee_locks", "ot_sync_sessions", "ot_health_reports"]
                .contains(&table.as_str())
        {
            continue;
        }
        let rows = ot.count(&format!("SELECT COUNT(*) FROM {table}")).await;
        let last_update = if with_updates.contains(&table.as_str()) {
            ot.count(&format!(
                "SELECT COALESCE(MAX(updated_at_ms), 0) FROM {table}"
            ))
            .await
        } else {
            0
        };
        state.push((table, rows, last_update));
    }
    state
}

fn sessions_of(reply: &suite_harness::Reply) -> Vec<(i64, Option<i64>, Value)> {
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    let mut sessions: Vec<(i64, Option<i64>, Value)> = reply.body["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["started_at_ms"].as_i64().unwrap(),
                s["ended_at_ms"].as_i64(),
                s["breaks"].clone(),
            )
        })
        .collect();
    sessions.sort_by_key(|s| s.0);
    sessions
}

#[tokio::test]
async fn sessions_pushed_in_pieces_are_stored_whole_and_a_resend_writes_nothing() {
    let (ot, orgs) = OtSuite::start(&["acme"], 1).await;
    let org = &orgs[0];
    let mut phone = ot.device(org, 0).await;
    let first_day = midnight_days_ago(4);
    let day_plan = |day: i64| -> [(RecordKind, i64); 4] {
        let base = first_day + day * DAY;
        [
            (CheckIn, base + 8 * HOUR),
            (BreakStart, base + 12 * HOUR),
            (BreakEnd, base + 12 * HOUR + HOUR / 2),
            (CheckOut, base + 17 * HOUR),
        ]
    };
    // Three days recorded offline, then sent two records at a time, so that every
    // session is opened by one push and its break and end arrive in the next.
    let signed: Vec<SignedRecord> = (0..3)
        .flat_map(day_plan)
        .map(|(kind, at)| phone.signed(Recording::at(kind, at)))
        .collect();
    let mut answers = Vec::new();
    for pair in signed.chunks(2) {
        let reply = phone.push(&ot.suite, pair).await;
        assert_eq!(reply.status, 200, "{:?}", reply.body);
        answers.push(collection_body(&reply)["results"].clone());
    }

    // Tolerance: the test places records by the monotonic clock and the server by the
    // anchor, a few milliseconds apart.
    let near = |a: i64, b: i64| (a - b).abs() < 5_000;
    let employee = &org.employees[0];
    let mine = sessions_of(
        &ot.suite
            .get("/api/modules/offline-tracking/attendance", &employee.1)
            .await,
    );
    let admins = sessions_of(
        &ot.admin_get(org, &format!("/attendance?employee_id={}", employee.0))
            .await,
    );
    assert_eq!(mine, admins, "the employee and the admin see the same");
    assert_eq!(mine.len(), 3, "{mine:?}");
    for (day, (started, ended, breaks)) in mine.iter().enumerate() {
        let plan = day_plan(day as i64);
        assert!(near(*started, plan[0].1), "day {day}: {mine:?}");
        assert!(
            ended.is_some_and(|ended| near(ended, plan[3].1)),
            "day {day} is closed: {mine:?}"
        );
        let breaks = breaks.as_array().unwrap();
        assert_eq!(breaks.len(), 1, "day {day}: {breaks:?}");
        assert!(near(
            breaks[0]["started_at_ms"].as_i64().unwrap(),
            plan[1].1
        ));
        assert!(
            breaks[0]["ended_at_ms"]
                .as_i64()
                .is_some_and(|ended| near(ended, plan[2].1)),
            "day {day}'s break has its end: {breaks:?}"
        );
    }

    // Every pair again, as after answers lost on the way back: the same answers, and not
    // one row, change or audit entry more.
    let before = stored_state(&ot).await;
    for (pair, first_answer) in signed.chunks(2).zip(&answers) {
        let reply = phone.push(&ot.suite, pair).await;
        assert_eq!(reply.status, 200, "{:?}", reply.body);
        let body = collection_body(&reply);
        assert_eq!(&body["results"], first_answer);
        assert_eq!(body["changes"], Value::Null, "a resend changes nothing");
        assert_eq!(
            body["attendance"],
            json!({"checked_in_since_ms": null, "on_break_since_ms": null})
        );
    }
    assert_eq!(stored_state(&ot).await, before);
    let rates = ot.admin_get(org, "/sync/rates").await;
    assert_eq!(
        (
            rates.body["records"]["accepted"].as_i64(),
            rates.body["records"]["resent"].as_i64()
        ),
        (Some(12), Some(12)),
        "each record's outcome is counted once, its resend as a retry: {}",
        rates.body
    );
    let pulled = phone.pull(&ot.suite, "", 1000).await;
    let session_changes: Vec<&Value> = collection_body(&pulled)["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "attendance_session")
        .collect();
    assert!(
        session_changes.len() <= 6,
        "each session is announced when it opens and when it closes, never again: {session_changes:?}"
    );
}

#[tokio::test]
async fn a_record_withdrawn_in_the_push_that_brings_it_gets_a_final_answer() {
    let (ot, orgs) = OtSuite::start(&["acme"], 1).await;
    let org = &orgs[0];
    let mut phone = ot.device(org, 0).await;
    let record = phone.signed(Recording::at(CheckIn, midnight_days_ago(1) + 8 * HOUR));
    let record_id = record.record().unwrap().id;
    let actions =
        json!([{"id": uuid::Uuid::now_v7(), "record_id": record_id, "action": "withdraw"}]);
    let body = phone.push_body(std::slice::from_ref(&record), actions);
    let first = phone.push_raw(&ot.suite, body.clone()).await;
    assert_eq!(first.status, 200, "{:?}", first.body);
    let answer = &collection_body(&first)["results"][0];
    assert_eq!(answer["status"], "rejected", "{answer}");
    assert_eq!(answer["code"], "withdrawn", "{answer}");
    assert_eq!(
        collection_body(&first)["action_results"][0]["status"],
        "applied"
    );
    let again = phone.push_raw(&ot.suite, body).await;
    assert_eq!(collection_body(&again)["results"][0], *answer);
    let stored = ot.admin_get(org, &format!("/records/{record_id}")).await;
    assert_eq!(stored.body["status"], "withdrawn");
    assert_eq!(stored.body["first_result"]["status"], "rejected");
}
