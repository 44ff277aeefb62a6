use crate::support::{HOUR, OtSuite, Recording, collection_body, now_ms};
use offline_tracking_protocol::RecordKind::CheckIn;

#[tokio::test]
async fn a_clock_moved_back_an_hour_offline_is_flagged_and_placed_right() {
    let (ot, orgs) = OtSuite::start(&["acme"], 1).await;
    let org = &orgs[0];
    let mut phone = ot.device(org, 0).await;
    // A first sync gives the phone its time anchor.
    let synced = phone.push(&ot.suite, &[]).await;
    assert_eq!(synced.status, 200, "{:?}", synced.body);
    assert!(phone.anchor.is_some());
    // Offline, the user sets the clock back an hour, then checks in.
    phone.wall_skew_ms = -HOUR;
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let really_at = now_ms();
    let pushed = phone
        .push_new(&ot.suite, vec![Recording::at(CheckIn, really_at)])
        .await;
    let result = &collection_body(&pushed)["results"][0];
    assert_eq!(result["status"], "accepted", "{result}");
    let trusted = result["trusted_time_ms"].as_i64().unwrap();
    assert!(
        (trusted - really_at).abs() < 5_000,
        "trusted {trusted}, really {really_at}"
    );
    assert!(
        result["flags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f == "device_clock_off"),
        "{result}"
    );

    let record = ot
        .admin_get(
            org,
            &format!("/records/{}", result["record_id"].as_str().unwrap()),
        )
        .await;
    assert_eq!(record.body["time_source"], "anchored");
    let offset = record.body["clock_offset_ms"].as_i64().unwrap();
    assert!((offset + HOUR).abs() < 5_000, "offset {offset}");
}
