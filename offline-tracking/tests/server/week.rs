use crate::support::{DAY, HOUR, OtSuite, Recording, collection_body, now_ms};
use offline_tracking_protocol::RecordKind::{BreakEnd, BreakStart, CheckIn, CheckOut};

/// Midnight (UTC) `days` days ago.
pub fn midnight_days_ago(days: i64) -> i64 {
    (now_ms() - days * DAY) / DAY * DAY
}

fn close(actual: i64, expected: i64) -> bool {
    (actual - expected).abs() < 5_000
}

#[tokio::test]
async fn a_week_offline_pushed_at_once_becomes_sessions_with_breaks() {
    let (ot, orgs) = OtSuite::start(&["acme"], 1).await;
    let org = &orgs[0];
    let mut phone = ot.device(org, 0).await;
    let first_day = midnight_days_ago(6);
    let mut records = Vec::new();
    for day in 0..5 {
        let base = first_day + day * DAY;
        for (kind, at) in [
            (CheckIn, 8 * HOUR),
            (BreakStart, 12 * HOUR),
            (BreakEnd, 12 * HOUR + HOUR / 2),
            (CheckOut, 17 * HOUR),
        ] {
            records.push(phone.signed(Recording::at(kind, base + at)));
        }
    }
    let reply = phone.push(&ot.suite, &records).await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    let body = collection_body(&reply);
    let results = body["results"].as_array().unwrap();
    assert_eq!(results.len(), 20);
    for (index, result) in results.iter().enumerate() {
        assert_eq!(result["status"], "accepted", "{result}");
        assert_eq!(result["sequence"], index as u64 + 1);
    }
    assert!(
        body["changes"]["from"].as_i64().unwrap() >= 1,
        "the push says where its writes appear in pull"
    );
    assert_eq!(
        body["attendance"]["checked_in_since_ms"],
        serde_json::Value::Null
    );

    let mine = ot
        .suite
        .get(
            "/api/modules/offline-tracking/attendance",
            &org.employees[0].1,
        )
        .await;
    let sessions = mine.body["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 5, "{sessions:?}");
    for (day, session) in sessions.iter().enumerate() {
        let base = first_day + day as i64 * DAY;
        assert!(
            close(session["started_at_ms"].as_i64().unwrap(), base + 8 * HOUR),
            "{session}"
        );
        assert!(
            close(session["ended_at_ms"].as_i64().unwrap(), base + 17 * HOUR),
            "{session}"
        );
        let breaks = session["breaks"].as_array().unwrap();
        assert_eq!(breaks.len(), 1);
        let length = breaks[0]["ended_at_ms"].as_i64().unwrap()
            - breaks[0]["started_at_ms"].as_i64().unwrap();
        assert!((length - HOUR / 2).abs() < 1_000, "{breaks:?}");
        assert_eq!(session["source"], "offline");
    }
    let admin_view = ot
        .admin_get(
            org,
            &format!("/attendance?employee_id={}", org.employees[0].0),
        )
        .await;
    assert_eq!(admin_view.body["sessions"].as_array().unwrap().len(), 5);
    let status = ot.admin_get(org, "/sync/status").await;
    assert_eq!(status.body["devices"][0]["last_sync_outcome"], "succeeded");
    assert_eq!(status.body["devices"][0]["highest_sequence_received"], 20);
}
