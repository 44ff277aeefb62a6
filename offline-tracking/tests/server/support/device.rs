//! A test device: it keeps a key, a sequence and simulated clocks (a boot, a monotonic
//! clock, a wall clock its user may have moved), and syncs through the suite's hub.

use host_sdk::hub::{HubPush, PULL_PATH, PUSH_PATH, SYNC_PROTOCOL_VERSION};
use offline_tracking_protocol::{
    COLLECTION, DEVICE_ID_HEADER, DEVICE_TOKEN_HEADER, DeviceHealth, DeviceKey, DeviceRegistered,
    DeviceTime, GpsFix, LeaveDetails, OfflineRecord, PROTOCOL_VERSION, QrScan, RecordKind,
    SignedRecord, TimeAnchor,
};
use serde_json::{Value, json};
use suite_harness::{Reply, RunningSuite};
use uuid::Uuid;

pub const HOUR: i64 = 3_600_000;
pub const DAY: i64 = 24 * HOUR;

/// The real time now.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

/// A phone in a test.
pub struct TestDevice {
    pub id: Uuid,
    pub token: String,
    pub employee_token: String,
    pub key: DeviceKey,
    /// The boot the device is in now, and when (real time) it started.
    pub boot_id: String,
    pub boot_at_ms: i64,
    /// How far the user moved the wall clock.
    pub wall_skew_ms: i64,
    pub anchor: Option<TimeAnchor>,
    pub next_sequence: u64,
}

/// What to record; [`TestDevice::record`] fills in the rest.
pub struct Recording {
    pub kind: RecordKind,
    /// When it really happens.
    pub at_ms: i64,
    pub gps: Option<GpsFix>,
    pub qr: Option<String>,
    pub leave: Option<LeaveDetails>,
}

impl Recording {
    /// An attendance event at a real time, with a good GPS fix in Berlin.
    pub fn at(kind: RecordKind, at_ms: i64) -> Self {
        Self {
            kind,
            at_ms,
            gps: Some(GpsFix {
                latitude: 52.52,
                longitude: 13.405,
                accuracy_m: 8.0,
                provider: "gps".into(),
                mock_location: false,
                captured_at_ms: at_ms,
            }),
            qr: None,
            leave: None,
        }
    }
}

impl TestDevice {
    /// Registers a new device (fresh key) for the employee with `employee_token`.
    pub async fn register(suite: &RunningSuite, employee_token: &str) -> Self {
        let mut secret = [0u8; 32];
        secret[..16].copy_from_slice(Uuid::new_v4().as_bytes());
        secret[16..].copy_from_slice(Uuid::new_v4().as_bytes());
        Self::register_with_secret(suite, employee_token, secret).await
    }

    /// Registers a device whose key is made from `secret` (the same phone on two suites).
    pub async fn register_with_secret(
        suite: &RunningSuite,
        employee_token: &str,
        secret: [u8; 32],
    ) -> Self {
        let key = DeviceKey::from_secret(secret);
        let reply = suite
            .post(
                "/api/modules/offline-tracking/devices",
                employee_token,
                &json!({
                    "install_id": Uuid::new_v4().to_string(),
                    "platform": "test",
                    "app_version": "1.0.0",
                    "public_key": key.public_key_base64(),
                }),
            )
            .await;
        assert_eq!(reply.status, 201, "{:?}", reply.body);
        let registered: DeviceRegistered = serde_json::from_value(reply.body).unwrap();
        Self {
            id: registered.device_id,
            token: registered.device_token,
            employee_token: employee_token.to_owned(),
            key,
            boot_id: "boot-1".into(),
            boot_at_ms: now_ms() - 10 * DAY,
            wall_skew_ms: 0,
            anchor: None,
            next_sequence: 1,
        }
    }

    /// The device's clocks at real time `at_ms`.
    pub fn clocks_at(&self, at_ms: i64) -> DeviceTime {
        DeviceTime {
            wall_clock_ms: at_ms + self.wall_skew_ms,
            monotonic_ms: at_ms - self.boot_at_ms,
            boot_id: self.boot_id.clone(),
            anchor: self.anchor.clone(),
        }
    }

    /// Reboots the device at real time `at_ms`: a new boot, the anchor forgotten.
    pub fn reboot(&mut self, at_ms: i64, boot_id: &str) {
        self.boot_id = boot_id.to_owned();
        self.boot_at_ms = at_ms;
        self.anchor = None;
    }

    /// Records an event, taking the next sequence number.
    ///
    /// A real phone records only in the present: never in the future, and never before the
    /// sync whose time anchor it carries. A test that plans events at fixed hours of a day
    /// can break those rules at some hours of the day and not others, so they are checked
    /// here, where the failure says what is wrong, and not left to the server's answer.
    pub fn record(&mut self, what: Recording) -> OfflineRecord {
        assert!(
            what.at_ms <= now_ms() + 1_000,
            "a test device records an event {} s in the future: plan events in the past",
            (what.at_ms - now_ms()) / 1000
        );
        if let Some(anchor) = self.anchor.as_ref().filter(|a| a.boot_id == self.boot_id) {
            let synced_at = self.boot_at_ms + anchor.monotonic_ms;
            assert!(
                what.at_ms >= synced_at,
                "a test device records an event {} s before its last sync, whose time anchor it carries: record it at now_ms() or later",
                (synced_at - what.at_ms) / 1000
            );
        }
        let sequence = self.next_sequence;
        self.next_sequence = self.next_sequence.wrapping_add(1);
        OfflineRecord {
            id: Uuid::now_v7(),
            device_id: self.id,
            sequence,
            kind: what.kind,
            device_time: self.clocks_at(what.at_ms),
            gps: what.gps,
            face: None,
            qr: what.qr.map(|payload| QrScan {
                payload,
                scanned_at_ms: what.at_ms,
            }),
            leave: what.leave,
            note: None,
        }
    }

    /// Records and signs.
    pub fn signed(&mut self, what: Recording) -> SignedRecord {
        let record = self.record(what);
        self.key.sign(&record).unwrap()
    }

    /// The push body for `records` (and `actions`), sent now.
    pub fn push_body(&self, records: &[SignedRecord], actions: Value) -> Value {
        json!({
            "protocol_version": PROTOCOL_VERSION,
            "device_id": self.id,
            "sent_at": self.clocks_at(now_ms()),
            "records": records,
            "actions": actions,
            "health": DeviceHealth {
                queue_depth: records.len() as u32,
                oldest_pending_ms: None,
                storage_used_bytes: 4096,
                app_version: "1.0.0".into(),
                config_version: 0,
                failed_attempts_since_success: 0,
                last_success_at_ms: None,
                last_recorded_sequence: self.next_sequence - 1,
                network: Some("wifi".into()),
            },
        })
    }

    /// Pushes through the hub with this device's credentials.
    pub async fn push_raw(&self, suite: &RunningSuite, body: Value) -> Reply {
        let envelope = serde_json::to_value(HubPush::one(COLLECTION, body)).unwrap();
        suite
            .send(
                reqwest::Method::POST,
                PUSH_PATH,
                Some(&self.employee_token),
                Some(envelope.to_string().into_bytes()),
                &[
                    (DEVICE_ID_HEADER, &self.id.to_string()),
                    (DEVICE_TOKEN_HEADER, &self.token),
                ],
            )
            .await
    }

    /// Pushes records; answers the collection's body and remembers the server time as
    /// the next anchor.
    pub async fn push(&mut self, suite: &RunningSuite, records: &[SignedRecord]) -> Reply {
        let reply = self
            .push_raw(suite, self.push_body(records, json!([])))
            .await;
        if reply.status == 200 {
            let server_time = reply.body["collections"][COLLECTION]["body"]["server_time_ms"]
                .as_i64()
                .unwrap();
            self.anchor = Some(TimeAnchor {
                server_time_ms: server_time,
                monotonic_ms: now_ms() - self.boot_at_ms,
                boot_id: self.boot_id.clone(),
            });
        }
        reply
    }

    /// Records, signs and pushes in one go.
    pub async fn push_new(&mut self, suite: &RunningSuite, recordings: Vec<Recording>) -> Reply {
        let signed: Vec<SignedRecord> = recordings.into_iter().map(|r| self.signed(r)).collect();
        self.push(suite, &signed).await
    }

    /// Reports the device's health at the end of a sync, with `token` as its credential.
    pub async fn report_health(&self, suite: &RunningSuite, token: &str, health: Value) -> Reply {
        let body = json!({
            "protocol_version": PROTOCOL_VERSION,
            "device_id": self.id,
            "sent_at": self.clocks_at(now_ms()),
            "health": health,
        });
        suite
            .send(
                reqwest::Method::POST,
                "/api/modules/offline-tracking/devices/health",
                Some(&self.employee_token),
                Some(body.to_string().into_bytes()),
                &[
                    (DEVICE_ID_HEADER, &self.id.to_string()),
                    (DEVICE_TOKEN_HEADER, token),
                ],
            )
            .await
    }

    /// Pulls the collection from `cursor` (the hub's opaque cursor).
    pub async fn pull(&self, suite: &RunningSuite, cursor: &str, limit: u32) -> Reply {
        suite
            .send(
                reqwest::Method::GET,
                &format!("{PULL_PATH}?protocol_version={SYNC_PROTOCOL_VERSION}&collections={COLLECTION}&limit={limit}&cursor={cursor}"),
                Some(&self.employee_token),
                None,
                &[(DEVICE_ID_HEADER, &self.id.to_string()), (DEVICE_TOKEN_HEADER, &self.token)],
            )
            .await
    }
}

/// Each record's status and code (empty when it has none) in a push answer.
pub fn statuses_and_codes(reply: &Reply) -> Vec<(String, String)> {
    collection_body(reply)["results"]
        .as_array()
        .unwrap_or_else(|| panic!("no results in {:?}", reply.body))
        .iter()
        .map(|r| {
            (
                r["status"].as_str().unwrap_or_default().to_owned(),
                r["code"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

/// The collection's part of a hub answer.
pub fn collection_body(reply: &Reply) -> &Value {
    &reply.body["collections"][COLLECTION]["body"]
}
