//! The geofence, when the organisation asks, applies to every attendance record with a
//! GPS fix, to the sites the employee may work at, and never to a fix too vague to place.

use crate::support::{HOUR, Org, OtSuite, Recording, collection_body};
use crate::week::midnight_days_ago;
use offline_tracking_protocol::RecordKind::{CheckIn, CheckOut};
use serde_json::{Value, json};

/// A site with a 150 m fence; answers (site id, QR payload).
async fn site(ot: &OtSuite, org: &Org, name: &str, latitude: f64) -> (String, String) {
    let site = ot
        .admin_post(
            org,
            "/sites",
            &json!({"name": name, "latitude": latitude, "longitude": 13.405, "radius_m": 150.0}),
        )
        .await;
    assert_eq!(site.status, 201, "{:?}", site.body);
    (
        site.body["site_id"].as_str().unwrap().to_owned(),
        site.body["qr_payload"].as_str().unwrap().to_owned(),
    )
}

fn at(
    kind: offline_tracking_protocol::RecordKind,
    time: i64,
    latitude: f64,
    accuracy_m: f64,
) -> Recording {
    let mut recording = Recording::at(kind, time);
    let gps = recording.gps.as_mut().unwrap();
    gps.latitude = latitude;
    gps.accuracy_m = accuracy_m;
    recording
}

fn results(reply: &suite_harness::Reply) -> Vec<Value> {
    collection_body(reply)["results"]
        .as_array()
        .unwrap()
        .clone()
}

/// The depot is at 52.52; 52.61 is about 10 km north.
const DEPOT: f64 = 52.52;
const TEN_KM_NORTH: f64 = 52.61;

#[tokio::test]
async fn every_gps_record_is_checked_when_the_organisation_asks() {
    let (ot, orgs) = OtSuite::start(&["asks", "default"], 1).await;
    let (asks, default) = (&orgs[0], &orgs[1]);
    for org in &orgs {
        site(&ot, org, "Depot", DEPOT).await;
    }
    ot.configure(asks, json!({"geofence_check": "every_gps_record"}))
        .await;
    let day = midnight_days_ago(1);
    for (org, far_away_status) in [(asks, "rejected"), (default, "accepted")] {
        let mut phone = ot.device(org, 0).await;
        let reply = phone
            .push_new(
                &ot.suite,
                vec![
                    at(CheckIn, day + 8 * HOUR, DEPOT, 10.0),
                    at(CheckOut, day + 9 * HOUR, DEPOT, 10.0),
                    // 10 km away, no QR code.
                    at(CheckIn, day + 10 * HOUR, TEN_KM_NORTH, 10.0),
                    // 10 km away, claiming 20 km of uncertainty.
                    at(CheckOut, day + 11 * HOUR, TEN_KM_NORTH, 20_000.0),
                ],
            )
            .await;
        let answers = results(&reply);
        assert_eq!(
            answers[0]["status"], "accepted",
            "{}: {answers:?}",
            org.slug
        );
        assert_eq!(
            answers[2]["status"], far_away_status,
            "{}: {answers:?}",
            org.slug
        );
        if org.slug == "asks" {
            assert_eq!(answers[2]["code"], "outside_geofence");
            assert_eq!(answers[3]["code"], "gps_too_imprecise", "{answers:?}");
        }
    }
}

#[tokio::test]
async fn a_vague_fix_never_passes_a_fence_even_with_the_sites_qr_code() {
    let (ot, orgs) = OtSuite::start(&["acme"], 1).await;
    let org = &orgs[0];
    let (_, qr) = site(&ot, org, "Depot", DEPOT).await;
    let mut phone = ot.device(org, 0).await;
    let day = midnight_days_ago(1);
    let mut vague = at(CheckIn, day + 8 * HOUR, TEN_KM_NORTH, 20_000.0);
    vague.qr = Some(qr.clone());
    // 400 m from the centre of a 150 m fence, reporting 300 m: inside when 300 m fixes
    // are accepted.
    let wide = |time: i64| {
        let mut recording = at(CheckIn, time, DEPOT + 0.0036, 300.0);
        recording.qr = Some(qr.clone());
        recording
    };
    let reply = phone
        .push_new(&ot.suite, vec![vague, wide(day + 9 * HOUR)])
        .await;
    let answers = results(&reply);
    assert_eq!(answers[0]["code"], "gps_too_imprecise", "{answers:?}");
    assert_eq!(
        answers[1]["code"], "gps_too_imprecise",
        "the default bound is 200 m"
    );

    ot.configure(org, json!({"max_gps_accuracy_m": 300})).await;
    let mut tablet = ot.device(org, 0).await;
    let reply = tablet
        .push_new(&ot.suite, vec![wide(day + 10 * HOUR)])
        .await;
    assert_eq!(
        results(&reply)[0]["status"],
        "accepted",
        "{:?}",
        results(&reply)
    );
}

#[tokio::test]
async fn held_for_review_and_only_the_assigned_sites_count() {
    let (ot, orgs) = OtSuite::start(&["acme"], 1).await;
    let org = &orgs[0];
    site(&ot, org, "Depot", DEPOT).await;
    let (far_site, _) = site(&ot, org, "North yard", TEN_KM_NORTH).await;
    ot.configure(
        org,
        json!({"geofence_check": "every_gps_record", "geofence_outcome": "review"}),
    )
    .await;
    let employee = org.employees[0].0;
    let assigned = ot
        .suite
        .put(
            &format!("/admin/modules/offline-tracking/employees/{employee}/sites"),
            &org.admin,
            &json!({"site_ids": [far_site]}),
        )
        .await;
    assert_eq!(assigned.status, 200, "{:?}", assigned.body);
    let unknown = ot
        .suite
        .put(
            &format!("/admin/modules/offline-tracking/employees/{employee}/sites"),
            &org.admin,
            &json!({"site_ids": ["not-a-site"]}),
        )
        .await;
    assert_eq!((unknown.status, unknown.code()), (422, "unknown_site"));

    // At the depot, which is not one of the employee's sites: held for an administrator.
    let mut phone = ot.device(org, 0).await;
    let day = midnight_days_ago(1);
    let reply = phone
        .push_new(&ot.suite, vec![at(CheckIn, day + 8 * HOUR, DEPOT, 10.0)])
        .await;
    let answer = &results(&reply)[0];
    assert_eq!(answer["status"], "conflict", "{answer}");
    assert_eq!(answer["conflict_type"], "outside_geofence");
    assert_eq!(answer["resolution"], "pending_review");
    let held = ot.conflicts(org, "outside_geofence").await;
    assert_eq!(held.len(), 1, "{held:?}");
    let decided = ot
        .admin_post(
            org,
            &format!(
                "/conflicts/{}/resolve",
                held[0]["conflict_id"].as_str().unwrap()
            ),
            &json!({"decision": "accept_offline", "note": "covering at the depot that day"}),
        )
        .await;
    assert_eq!(decided.status, 200, "{:?}", decided.body);
    let record = ot
        .admin_get(
            org,
            &format!("/records/{}", answer["record_id"].as_str().unwrap()),
        )
        .await;
    assert_eq!(record.body["status"], "accepted", "{:?}", record.body);

    // Back to every site: the depot counts again.
    let every = ot
        .suite
        .put(
            &format!("/admin/modules/offline-tracking/employees/{employee}/sites"),
            &org.admin,
            &json!({"site_ids": []}),
        )
        .await;
    assert_eq!(every.body["every_site"], true);
    let mut tablet = ot.device(org, 0).await;
    let reply = tablet
        .push_new(&ot.suite, vec![at(CheckOut, day + 17 * HOUR, DEPOT, 10.0)])
        .await;
    assert_eq!(
        results(&reply)[0]["status"],
        "accepted",
        "{:?}",
        results(&reply)
    );
}
