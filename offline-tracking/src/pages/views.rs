//! The fields of the JSON answers that the pages show, read by name: if an answer stops
//! carrying one, the page fails loudly instead of showing a blank.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use offline_tracking_protocol::{ConflictType, Decision, DeviceStatus, RecordKind, Resolution};
use serde::{Deserialize, Deserializer, de::Error};
use std::collections::BTreeMap;

/// An instant as the JSON answers write it (RFC 3339, UTC), shown in the organisation's
/// time zone.
#[derive(Clone, Copy, Debug)]
pub struct At(pub DateTime<Utc>);

impl At {
    /// The instant as a person in `zone` reads it, with the zone's abbreviation.
    pub fn local(&self, zone: &Tz) -> String {
        self.0
            .with_timezone(zone)
            .format("%Y-%m-%d %H:%M:%S %Z")
            .to_string()
    }
}

impl<'de> Deserialize<'de> for At {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        DateTime::parse_from_rfc3339(&text)
            .map(|time| At(time.with_timezone(&Utc)))
            .map_err(|_| D::Error::custom(format!("{text:?} is not an RFC 3339 time")))
    }
}

/// `GET …/sync/status`
#[derive(Deserialize)]
pub struct SyncStatus {
    pub config_version: i64,
    pub pending_records: i64,
    pub devices: Vec<DeviceStatusRow>,
}

/// One device of the sync status.
#[derive(Deserialize)]
pub struct DeviceStatusRow {
    pub device_id: String,
    pub employee_id: i64,
    pub employee_name: Option<String>,
    pub device_status: DeviceStatus,
    pub platform: String,
    pub app_version: String,
    pub config_version: Option<i64>,
    pub config_current: Option<bool>,
    pub last_sync_at: Option<At>,
    pub last_sync_outcome: Option<String>,
    pub last_error_code: Option<String>,
    pub failed_syncs_since_success: i64,
    pub pending_records: i64,
    pub oldest_pending_at: Option<At>,
    pub records_not_yet_received: i64,
    pub clock_offset_ms: Option<i64>,
}

impl DeviceStatusRow {
    /// Waiting for an administrator's approval.
    pub fn awaits_approval(&self) -> bool {
        self.device_status == DeviceStatus::PendingApproval
    }

    /// Revoked: it may be reinstated.
    pub fn is_revoked(&self) -> bool {
        self.device_status == DeviceStatus::Revoked
    }
}

/// `GET …/sync/rates`
#[derive(Deserialize)]
pub struct SyncRates {
    pub syncs: u64,
    pub succeeded: u64,
    pub failed: u64,
    pub success_rate: Option<f64>,
    pub failure_codes: BTreeMap<String, u64>,
    pub records: RecordCounts,
    pub days: Vec<DayRates>,
}

/// Records carried by the window's syncs.
#[derive(Deserialize)]
pub struct RecordCounts {
    pub accepted: i64,
    pub duplicates: i64,
    pub conflicts: i64,
    pub rejected: i64,
    pub retry_later: i64,
    pub resent: i64,
}

/// One day of the rates.
#[derive(Deserialize)]
pub struct DayRates {
    pub day: String,
    pub succeeded: u64,
    pub failed: u64,
}

/// `GET …/conflicts`
#[derive(Deserialize)]
pub struct Conflicts {
    pub conflicts: Vec<ConflictRow>,
}

/// A conflict's summary; its detail adds both sides and the decisions.
#[derive(Deserialize)]
pub struct ConflictRow {
    pub conflict_id: String,
    #[serde(rename = "type")]
    pub conflict_type: ConflictType,
    pub resolution: Resolution,
    pub policy: Option<String>,
    pub dissolved: bool,
    pub employee_id: i64,
    pub employee_name: Option<String>,
    pub detected_at: At,
}

/// `GET …/conflicts/{id}`: the summary with both sides and the decisions.
#[derive(Deserialize)]
pub struct ConflictDetail {
    #[serde(flatten)]
    pub summary: ConflictRow,
    pub offline_record: Option<RecordRow>,
    pub server_side: Option<ServerSide>,
    pub decisions: Vec<DecisionRow>,
}

/// What the server held that the offline record disagrees with.
#[derive(Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ServerSide {
    /// An entry an administrator made.
    ManualEntry { entry: EntryRow },
    /// Another offline record.
    Record { record: Box<RecordRow> },
}

/// Attendance an administrator entered.
#[derive(Deserialize)]
pub struct EntryRow {
    pub started_at: At,
    pub ended_at: Option<At>,
    pub note: String,
    pub recorded_at: At,
    pub recorded_by: i64,
}

/// A decision taken on a conflict.
#[derive(Deserialize)]
pub struct DecisionRow {
    pub decision: Decision,
    pub corrected_time_ms: Option<i64>,
    pub note: String,
    pub decided_by: Option<i64>,
    pub decided_at: At,
    pub reversed_at: Option<At>,
    pub reverse_note: Option<String>,
}

/// `GET …/leave-requests`
#[derive(Deserialize)]
pub struct LeaveRequests {
    pub leave_requests: Vec<LeaveRow>,
}

/// A leave request.
#[derive(Deserialize)]
pub struct LeaveRow {
    pub request_id: String,
    pub employee_id: i64,
    pub employee_name: Option<String>,
    pub leave_type: String,
    pub starts_on: String,
    pub ends_on: String,
    pub reason: Option<String>,
    pub requested_at: At,
}

/// `GET …/audit/verify`
#[derive(Deserialize)]
pub struct Verification {
    pub intact: bool,
    pub entries_checked: u64,
    pub problems: Vec<VerificationProblem>,
}

/// What the verification found wrong with one entry.
#[derive(Deserialize)]
pub struct VerificationProblem {
    pub seq: i64,
    pub problem: String,
    pub detail: String,
}

/// `GET …/records`
#[derive(Deserialize)]
pub struct Records {
    pub records: Vec<RecordRow>,
}

/// A record with its evidence.
#[derive(Deserialize)]
pub struct RecordRow {
    pub record_id: String,
    pub employee_id: i64,
    #[serde(default)]
    pub employee_name: Option<String>,
    pub sequence: i64,
    pub kind: RecordKind,
    pub status: String,
    pub status_message: Option<String>,
    pub trusted_time: At,
    pub time_source: String,
    pub device_wall_clock: At,
    pub clock_offset_ms: Option<i64>,
    pub flags: serde_json::Value,
    pub gps: Option<Gps>,
    pub site_id: Option<String>,
    /// The signed record, when the list was asked for evidence.
    #[serde(default)]
    pub payload: Option<serde_json::Value>,
}

/// Where a record was made.
#[derive(Deserialize)]
pub struct Gps {
    pub latitude: f64,
    pub longitude: Option<f64>,
    pub accuracy_m: Option<f64>,
}

/// `GET …/sites`
#[derive(Deserialize)]
pub struct Sites {
    pub sites: Vec<SiteRow>,
}

/// A site.
#[derive(Deserialize)]
pub struct SiteRow {
    pub site_id: String,
    pub name: String,
    pub geofence: Option<Geofence>,
}

/// A site's geofence.
#[derive(Deserialize)]
pub struct Geofence {
    pub latitude: f64,
    pub longitude: f64,
    pub radius_m: f64,
}

/// `GET …/sites/{id}/qr`
#[derive(Deserialize)]
pub struct SiteQr {
    pub name: String,
    pub qr_payload: String,
}

/// `GET …/devices/{id}/gaps`
#[derive(Deserialize)]
pub struct Gaps {
    pub highest_sequence_received: i64,
    pub last_sequence_reported: i64,
    pub gaps: Vec<GapRow>,
}

/// Sequence numbers that never arrived.
#[derive(Deserialize)]
pub struct GapRow {
    pub from: i64,
    pub to: i64,
}

/// `GET …/audit`
#[derive(Deserialize)]
pub struct Audit {
    pub entries: Vec<AuditRow>,
}

/// One audit entry.
#[derive(Deserialize)]
pub struct AuditRow {
    pub seq: i64,
    pub at: At,
    pub actor: Party,
    pub action: String,
    pub subject: Party,
    pub details: serde_json::Value,
}

/// Who acted, or what was acted on.
#[derive(Deserialize)]
pub struct Party {
    pub kind: String,
    pub id: Option<serde_json::Value>,
}

/// `GET …/attendance`
#[derive(Deserialize)]
pub struct Attendance {
    pub sessions: Vec<SessionRow>,
}

/// A derived attendance session.
#[derive(Deserialize)]
pub struct SessionRow {
    pub employee_id: i64,
    #[serde(default)]
    pub employee_name: Option<String>,
    pub source: String,
    pub started_at: Option<At>,
    pub ended_at: Option<At>,
    pub breaks: serde_json::Value,
    pub flags: serde_json::Value,
}

/// `GET …/devices`
#[derive(Deserialize)]
pub struct Devices {
    pub devices: Vec<DeviceRow>,
}

/// A device and whose it is.
#[derive(Deserialize)]
pub struct DeviceRow {
    pub employee_id: i64,
    pub employee_name: Option<String>,
}

/// `GET …/employees`
#[derive(Deserialize)]
pub struct Employees {
    pub employees: Vec<EmployeeRow>,
    pub next_after_id: Option<i64>,
}

/// An employee with what OfflineTracking knows of them.
#[derive(Deserialize)]
pub struct EmployeeRow {
    pub employee_id: i64,
    pub name: String,
    pub devices: i64,
    pub face_enrolled: bool,
    pub site_ids: Vec<String>,
}
