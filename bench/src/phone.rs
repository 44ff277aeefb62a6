//! A phone as the benchmark plays it: a registered device with its own Ed25519 key that
//! makes realistic signed records (whole working days with GPS, a face match and its
//! clocks, and leave requests) and sends them through the suite's sync hub.

use crate::server::{BenchSuite, Employee, expect_status};
use anyhow::{Context, anyhow};
use chrono::DateTime;
use host_sdk::hub::{
    CollectionAnswer, HubAnswer, HubPush, PULL_PATH, PUSH_PATH, SYNC_PROTOCOL_VERSION,
};
use offline_tracking_protocol::{
    COLLECTION, DEVICE_ID_HEADER, DEVICE_TOKEN_HEADER, DeviceHealth, DeviceKey, DeviceRegistered,
    DeviceTime, FaceMatch, GpsFix, LeaveDetails, OfflineRecord, Outcome, PROTOCOL_VERSION,
    PullResponse, PushRequest, PushResponse, RecordKind, SignedRecord,
};
use serde_json::json;
use std::time::{Duration, Instant};
use uuid::Uuid;

pub const HOUR_MS: i64 = 3_600_000;
pub const DAY_MS: i64 = 24 * HOUR_MS;

/// A working day's shift: check-in, a half-hour break from the fourth hour, check-out
/// after nine hours.
const DAY_SHIFT: [(RecordKind, i64); 4] = [
    (RecordKind::CheckIn, 0),
    (RecordKind::BreakStart, 4 * HOUR_MS),
    (RecordKind::BreakEnd, 4 * HOUR_MS + HOUR_MS / 2),
    (RecordKind::CheckOut, 9 * HOUR_MS),
];

/// One of up to four shifts packed into a day of a very long history: five hours from a
/// quarter past, with a quarter-hour break.
const SHORT_SHIFT: [(RecordKind, i64); 4] = [
    (RecordKind::CheckIn, HOUR_MS / 4),
    (RecordKind::BreakStart, 2 * HOUR_MS),
    (RecordKind::BreakEnd, 2 * HOUR_MS + HOUR_MS / 4),
    (RecordKind::CheckOut, 5 * HOUR_MS),
];

/// The real time now.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// A registered phone.
pub struct Phone {
    pub id: Uuid,
    token: String,
    employee_token: String,
    key: DeviceKey,
    next_sequence: u64,
}

/// What one push came back with.
pub struct Pushed {
    pub elapsed: Duration,
    pub status: u16,
    /// Records the server stored or had stored before (accepted, duplicate or conflict).
    pub stored: usize,
    /// Records refused or to be sent again.
    pub refused: usize,
}

impl Phone {
    /// Registers a new phone (fresh key) for `employee`.
    pub async fn register(suite: &BenchSuite, employee: &Employee) -> anyhow::Result<Self> {
        let mut secret = [0u8; 32];
        secret[..16].copy_from_slice(Uuid::new_v4().as_bytes());
        secret[16..].copy_from_slice(Uuid::new_v4().as_bytes());
        let key = DeviceKey::from_secret(secret);
        let reply = suite
            .suite
            .post(
                "/api/modules/offline-tracking/devices",
                &employee.token,
                &json!({
                    "install_id": Uuid::new_v4().to_string(),
                    "platform": "bench",
                    "app_version": "1.0.0",
                    "public_key": key.public_key_base64(),
                }),
            )
            .await;
        expect_status(&reply, 201, "registering a phone")?;
        let registered: DeviceRegistered =
            serde_json::from_value(reply.body).context("reading the registration")?;
        Ok(Self {
            id: registered.device_id,
            token: registered.device_token,
            employee_token: employee.token.clone(),
            key,
            next_sequence: 1,
        })
    }

    /// The phone's clocks at `at_ms`: it restarts every night an hour before midnight
    /// (UTC), so its monotonic clock counts from there, as a phone's does after a restart.
    fn clocks_at(at_ms: i64) -> DeviceTime {
        let day = at_ms.div_euclid(DAY_MS);
        let boot_at_ms = day * DAY_MS - HOUR_MS;
        DeviceTime {
            wall_clock_ms: at_ms,
            monotonic_ms: at_ms - boot_at_ms,
            boot_id: format!("boot-{day}"),
            anchor: None,
        }
    }

    fn signed(
        &mut self,
        kind: RecordKind,
        at_ms: i64,
        leave: Option<LeaveDetails>,
    ) -> anyhow::Result<SignedRecord> {
        let sequence = self.next_sequence;
        self.next_sequence += 1;
        let attendance = kind.is_attendance();
        let record = OfflineRecord {
            id: Uuid::now_v7(),
            device_id: self.id,
            sequence,
            kind,
            device_time: Self::clocks_at(at_ms),
            gps: attendance.then(|| GpsFix {
                latitude: 52.52 + (sequence % 7) as f64 * 0.0001,
                longitude: 13.405,
                accuracy_m: 8.0,
                provider: "gps".into(),
                mock_location: false,
                captured_at_ms: at_ms,
            }),
            face: attendance.then(|| FaceMatch {
                matched: true,
                score: 0.93,
                threshold: 0.8,
                model: "bench-face-1".into(),
            }),
            qr: None,
            leave,
            note: None,
        };
        Ok(self.key.sign(&record)?)
    }

    /// The records of a shift starting at `start_ms`, one per `(kind, offset)`.
    fn shift(
        &mut self,
        start_ms: i64,
        shape: &[(RecordKind, i64)],
    ) -> anyhow::Result<Vec<SignedRecord>> {
        shape
            .iter()
            .map(|(kind, offset)| self.signed(*kind, start_ms + offset, None))
            .collect()
    }

    /// `count` records ending yesterday (UTC), oldest first: a shift from 8:00 every day (UTC),
    /// and every tenth day a leave request for a day off a month ahead.
    ///
    /// Wall clocks before 2000 are refused, so a history longer than about twenty years
    /// of single shifts packs up to four shorter shifts into a day (from 0:00, 6:00, 12:00
    /// and 18:00, each five hours with its break).
    pub fn history(&mut self, count: usize) -> anyhow::Result<Vec<SignedRecord>> {
        self.history_before(count, now_ms())
    }

    /// [`Phone::history`] ending the day before the day of `end_ms`.
    pub fn history_before(
        &mut self,
        count: usize,
        end_ms: i64,
    ) -> anyhow::Result<Vec<SignedRecord>> {
        const MOST_DAYS: usize = 7_000;
        let shifts_per_day = count.div_ceil(4 * MOST_DAYS).clamp(1, 4);
        let days = count.div_ceil(4 * shifts_per_day) as i64;
        let today = end_ms - end_ms.rem_euclid(DAY_MS);
        let mut records = Vec::with_capacity(count + 4 * shifts_per_day);
        for day in 0..days {
            let day_ms = today - (days - day) * DAY_MS;
            if shifts_per_day == 1 {
                records.extend(self.shift(day_ms + 8 * HOUR_MS, &DAY_SHIFT)?);
            } else {
                for shift in 0..shifts_per_day as i64 {
                    records.extend(self.shift(day_ms + shift * 6 * HOUR_MS, &SHORT_SHIFT)?);
                }
            }
            if day % 10 == 9 {
                records.push(self.leave_request(day_ms)?);
            }
        }
        // The oldest records go: the history ends with a whole day, and starts with a
        // whole shift (at most three fewer records than asked).
        records.drain(..records.len().saturating_sub(count));
        while let Some(first) = records.first() {
            if first.record()?.kind == RecordKind::CheckIn {
                break;
            }
            records.remove(0);
        }
        Ok(records)
    }

    fn leave_request(&mut self, day_ms: i64) -> anyhow::Result<SignedRecord> {
        let ahead = DateTime::from_timestamp_millis(day_ms + 30 * DAY_MS)
            .ok_or_else(|| anyhow!("a date out of range"))?
            .format("%Y-%m-%d")
            .to_string();
        let leave = LeaveDetails {
            leave_type: "annual".into(),
            starts_on: ahead.clone(),
            ends_on: ahead,
            reason: None,
        };
        self.signed(RecordKind::LeaveRequest, day_ms + 23 * HOUR_MS, Some(leave))
    }

    /// The hub push of `records`, sent now, as bytes ready to send.
    pub fn push_body(&self, records: &[SignedRecord]) -> anyhow::Result<Vec<u8>> {
        self.push_body_at(records, now_ms())
    }

    /// The hub push of `records` as sent at `sent_ms` (the server's clock when it is
    /// moved), as bytes ready to send.
    pub fn push_body_at(&self, records: &[SignedRecord], sent_ms: i64) -> anyhow::Result<Vec<u8>> {
        let request = PushRequest {
            protocol_version: PROTOCOL_VERSION,
            device_id: self.id,
            sent_at: Self::clocks_at(sent_ms),
            records: records.to_vec(),
            actions: Vec::new(),
            health: DeviceHealth {
                queue_depth: u32::try_from(records.len())?,
                oldest_pending_ms: None,
                storage_used_bytes: 64 * 1024,
                app_version: "1.0.0".into(),
                config_version: 0,
                failed_attempts_since_success: 0,
                last_success_at_ms: None,
                last_recorded_sequence: self.next_sequence - 1,
                network: Some("wifi".into()),
            },
        };
        Ok(serde_json::to_vec(&HubPush::one(COLLECTION, request))?)
    }

    /// Sends a push body made by [`Phone::push_body`] and counts the answers.
    pub async fn push(
        &self,
        client: &reqwest::Client,
        base_url: &str,
        body: Vec<u8>,
    ) -> anyhow::Result<Pushed> {
        let started = Instant::now();
        let response = client
            .post(format!("{base_url}{PUSH_PATH}"))
            .bearer_auth(&self.employee_token)
            .header(DEVICE_ID_HEADER, self.id.to_string())
            .header(DEVICE_TOKEN_HEADER, &self.token)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await?;
        let mut status = response.status().as_u16();
        let bytes = response.bytes().await?;
        let elapsed = started.elapsed();
        let (mut stored, mut refused) = (0, 0);
        if status == 200 {
            let answer: HubAnswer<serde_json::Value> =
                serde_json::from_slice(&bytes).context("reading a push answer")?;
            let CollectionAnswer {
                status: collection_status,
                body,
                ..
            } = answer
                .collections
                .into_values()
                .next()
                .ok_or_else(|| anyhow!("a push answer without its collection"))?;
            status = collection_status;
            if status == 200 {
                let body: PushResponse =
                    serde_json::from_value(body).context("reading the module's push answer")?;
                for result in body.results {
                    match result.outcome {
                        Outcome::Rejected { .. } | Outcome::RetryLater { .. } => refused += 1,
                        _ => stored += 1,
                    }
                }
            }
        }
        Ok(Pushed {
            elapsed,
            status,
            stored,
            refused,
        })
    }

    /// One pull page from the start of the change log; answers how many changes it held.
    pub async fn pull(
        &self,
        client: &reqwest::Client,
        base_url: &str,
        limit: u32,
    ) -> anyhow::Result<(Duration, usize)> {
        let started = Instant::now();
        let response = client
            .get(format!(
                "{base_url}{PULL_PATH}?protocol_version={SYNC_PROTOCOL_VERSION}&collections={COLLECTION}&limit={limit}"
            ))
            .bearer_auth(&self.employee_token)
            .header(DEVICE_ID_HEADER, self.id.to_string())
            .header(DEVICE_TOKEN_HEADER, &self.token)
            .send()
            .await?;
        let status = response.status().as_u16();
        let bytes = response.bytes().await?;
        let elapsed = started.elapsed();
        if status != 200 {
            anyhow::bail!(
                "a pull was answered {status}: {}",
                String::from_utf8_lossy(&bytes)
            );
        }
        let answer: HubAnswer<PullResponse> =
            serde_json::from_slice(&bytes).context("reading a pull answer")?;
        let changes = answer
            .collections
            .into_values()
            .map(|collection| collection.body.changes.len())
            .sum();
        Ok((elapsed, changes))
    }
}
