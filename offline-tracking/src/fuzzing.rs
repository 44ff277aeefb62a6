//! What the fuzz target in `fuzz/` drives, and what a property test here drives on every
//! test run: a push body decoded as the module decodes it, then every record read,
//! verified, checked and placed in time as ingestion does, with what needs a database
//! (sites, the device's highest sequence, settings) replaced by fixed values. The property
//! is that no input makes any of it panic.

use crate::entities::site;
use crate::sync::{trusted_time, validate};
use offline_tracking_protocol::{DeviceKey, PushRequest};
use offline_tracking_settings::OfflineTrackingSettings;
use std::collections::BTreeMap;

/// 2026-11-19 17:46:40 UTC: the server's clock for every input.
const NOW_MS: i64 = 1_795_000_000_000;

/// The device key inputs are checked against; a fuzzer's corpus may sign with it.
pub fn device_key() -> DeviceKey {
    DeviceKey::from_secret([7; 32])
}

fn a_site() -> BTreeMap<String, site::Model> {
    let site = site::Model {
        id: "00000000-0000-7000-8000-000000000001".to_owned(),
        organisation_id: 1,
        name: "Depot".to_owned(),
        secret: "c2l0ZS1zZWNyZXQ".to_owned(),
        latitude: Some(52.52),
        longitude: Some(13.405),
        radius_m: Some(150.0),
        created_at_ms: NOW_MS,
        created_by: 1,
    };
    BTreeMap::from([(site.id.clone(), site)])
}

/// Decodes `bytes` as a push and runs every check of ingestion on its records, under
/// default settings and under the strictest ones.
pub fn decode_and_check_push(bytes: &[u8]) {
    let Ok(request) = serde_json::from_slice::<PushRequest>(bytes) else {
        return;
    };
    let _ = validate::check_device_time(&request.sent_at, NOW_MS);
    let public_key = device_key().public_key_base64();
    let strict = OfflineTrackingSettings {
        gps_required: true,
        qr_required: true,
        ..OfflineTrackingSettings::default()
    };
    let sites = a_site();
    for signed in &request.records {
        let _ = signed.verify(&public_key);
        let _ = signed.size();
        let Ok(record) = signed.record() else {
            continue;
        };
        for settings in [&OfflineTrackingSettings::default(), &strict] {
            let context = validate::Context {
                settings,
                organisation_id: 1,
                face_enrolled: true,
                sites: &sites,
                assigned_sites: &std::collections::BTreeSet::new(),
                now_ms: NOW_MS,
                highest_sequence: 41,
            };
            let _ = validate::check(&record, &context);
        }
        let tolerance_ms = i64::from(strict.clock_skew_tolerance_seconds) * 1000;
        let _ =
            trusted_time::reconstruct(&record.device_time, &request.sent_at, NOW_MS, tolerance_ms);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::{Value, json};

    fn valid_push() -> Value {
        let record = json!({
            "id": "01a20000-0000-7000-8000-000000000001",
            "device_id": "01a20000-0000-7000-8000-000000000002",
            "sequence": 42,
            "kind": "check_in",
            "device_time": {"wall_clock_ms": NOW_MS - 60_000, "monotonic_ms": 5_000, "boot_id": "b", "anchor": null},
            "gps": {"latitude": 52.52, "longitude": 13.405, "accuracy_m": 8.0, "provider": "gps", "mock_location": false, "captured_at_ms": NOW_MS - 60_000},
            "face": null, "qr": null, "leave": null, "note": null
        });
        let signed = device_key().sign_payload(record.to_string());
        json!({
            "protocol_version": 1,
            "device_id": "01a20000-0000-7000-8000-000000000002",
            "sent_at": {"wall_clock_ms": NOW_MS, "monotonic_ms": 65_000, "boot_id": "b", "anchor": null},
            "records": [signed],
            "actions": [],
            "health": {"queue_depth": 1, "oldest_pending_ms": null, "storage_used_bytes": 1, "app_version": "1", "config_version": 0, "failed_attempts_since_success": 0, "last_success_at_ms": null, "last_recorded_sequence": 42, "network": null}
        })
    }

    #[test]
    fn a_valid_push_decodes_and_its_record_passes() {
        let push = valid_push();
        let request: PushRequest = serde_json::from_value(push.clone()).unwrap();
        let record = request.records[0].record().unwrap();
        let context = validate::Context {
            settings: &OfflineTrackingSettings::default(),
            organisation_id: 1,
            face_enrolled: false,
            sites: &a_site(),
            assigned_sites: &std::collections::BTreeSet::new(),
            now_ms: NOW_MS,
            highest_sequence: 41,
        };
        assert!(validate::check(&record, &context).is_ok());
        decode_and_check_push(push.to_string().as_bytes());
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

        #[test]
        fn no_bytes_make_the_checks_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            decode_and_check_push(&bytes);
        }

        #[test]
        fn no_record_field_makes_the_checks_panic(
            field in proptest::sample::select(vec!["sequence", "device_time", "gps", "face", "qr", "leave", "note", "kind"]),
            value in prop_oneof![
                any::<i64>().prop_map(Value::from),
                any::<u64>().prop_map(Value::from),
                any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
                ".{0,40}".prop_map(Value::from),
                Just(json!({"latitude": 1e308, "longitude": -1e308, "accuracy_m": -1, "provider": "\u{0}", "mock_location": true, "captured_at_ms": i64::MIN})),
                Just(json!({"wall_clock_ms": i64::MIN, "monotonic_ms": i64::MAX, "boot_id": "b", "anchor": {"server_time_ms": i64::MAX, "monotonic_ms": 0, "boot_id": "b"}})),
            ],
        ) {
            let mut push = valid_push();
            let mut record: Value = serde_json::from_str(push["records"][0]["payload"].as_str().unwrap()).unwrap();
            record[field] = value;
            push["records"][0] = serde_json::to_value(device_key().sign_payload(record.to_string())).unwrap();
            decode_and_check_push(push.to_string().as_bytes());
        }
    }
}
