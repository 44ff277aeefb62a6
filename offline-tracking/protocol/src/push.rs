use crate::{ConflictType, DeviceTime, Resolution, SignedRecord};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What a device sends under the `offline_tracking` collection of a hub push.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushRequest {
    /// [`PROTOCOL_VERSION`](crate::PROTOCOL_VERSION).
    pub protocol_version: u32,
    /// The pushing device (also in `X-Device-Id`).
    pub device_id: Uuid,
    /// The device's clocks as it sends: lets the server measure the device clock's offset
    /// and place records made in the same boot.
    pub sent_at: DeviceTime,
    /// Records in any order; at most [`MAX_BATCH_RECORDS`](crate::MAX_BATCH_RECORDS).
    #[serde(default)]
    pub records: Vec<SignedRecord>,
    /// The employee's withdrawals and notes on their own records.
    #[serde(default)]
    pub actions: Vec<EmployeeAction>,
    /// How the device is doing.
    pub health: DeviceHealth,
}

/// The device's health, sent with every push; the admin's sync status is built from it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeviceHealth {
    /// Records waiting on the device, this batch included.
    pub queue_depth: u32,
    /// Wall clock of the oldest waiting record.
    #[serde(default)]
    pub oldest_pending_ms: Option<i64>,
    /// Bytes of offline data stored.
    pub storage_used_bytes: u64,
    /// The app's version.
    pub app_version: String,
    /// The configuration version the device applies.
    pub config_version: i64,
    /// Failed sync attempts since the last success.
    pub failed_attempts_since_success: u32,
    /// When the last sync succeeded (device wall clock).
    #[serde(default)]
    pub last_success_at_ms: Option<i64>,
    /// The highest sequence number the device has assigned.
    pub last_recorded_sequence: u64,
    /// `wifi`, `cellular`…
    #[serde(default)]
    pub network: Option<String>,
}

/// What a device sends to `POST /api/modules/offline-tracking/devices/health` at the end
/// of a sync, after it applied the answers and the configuration it pulled, so the
/// administrator's sync status shows the phone as it is now, not as it was before the push.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HealthReport {
    /// [`PROTOCOL_VERSION`](crate::PROTOCOL_VERSION).
    pub protocol_version: u32,
    /// The reporting device (also in `X-Device-Id`).
    pub device_id: Uuid,
    /// The device's clocks as it sends.
    pub sent_at: DeviceTime,
    /// How the device is doing now.
    pub health: DeviceHealth,
}

/// An employee's action on one of their own records, taken on the device.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmployeeAction {
    /// Made by the device, so a resent action is applied once.
    pub id: Uuid,
    /// The record it is about.
    pub record_id: Uuid,
    /// What to do.
    pub action: ConflictAction,
    /// The employee's words.
    #[serde(default)]
    pub note: Option<String>,
}

/// What an employee may do about their own record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "sea-orm",
    derive(sea_orm::DeriveValueType),
    sea_orm(value_type = "String")
)]
#[serde(rename_all = "snake_case")]
pub enum ConflictAction {
    /// Take the record back: it no longer counts (it is kept, marked withdrawn).
    Withdraw,
    /// Add a note for the administrator.
    Annotate,
}

impl ConflictAction {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            ConflictAction::Withdraw => "withdraw",
            ConflictAction::Annotate => "annotate",
        }
    }

    /// The action with this wire name.
    pub fn parse(name: &str) -> Option<Self> {
        [ConflictAction::Withdraw, ConflictAction::Annotate]
            .into_iter()
            .find(|action| action.as_str() == name)
    }
}

/// The server's answer to a push.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PushResponse {
    /// [`PROTOCOL_VERSION`](crate::PROTOCOL_VERSION).
    pub protocol_version: u32,
    /// The server's clock: the device's next time anchor.
    pub server_time_ms: i64,
    /// One result per record pushed, in sequence order.
    pub results: Vec<RecordResult>,
    /// One result per action pushed.
    pub action_results: Vec<ActionResult>,
    /// Where this push's writes appear in the pull sequence (none if it wrote nothing).
    /// The pushing device's pulls skip the ones this answer already reports (its records'
    /// outcomes and conflicts); what the push caused beyond them (sessions, a dissolved
    /// conflict, a healed orphan) reaches it as news.
    pub changes: Option<ChangeRange>,
    /// The organisation's configuration version; pull `config` when it changed.
    pub config_version: i64,
    /// The employee's attendance after this push.
    pub attendance: AttendanceState,
}

/// One record's result. A resent record gets its first result again.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecordResult {
    /// The record.
    pub record_id: Uuid,
    /// Its sequence number.
    pub sequence: u64,
    /// What happened to it.
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// What happened to a record. Only `retry_later` asks the device to send it again; every
/// other outcome is final for the device (an admin may still change it, which reaches the
/// device through pull).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Outcome {
    /// Counted in the employee's attendance.
    Accepted {
        /// When it really happened, as the server reconstructed it.
        trusted_time_ms: i64,
        /// Remarks such as `device_clock_off` or `sequence_gap_before`.
        flags: Vec<String>,
    },
    /// The same event was already recorded.
    Duplicate {
        /// The copy that counts.
        original_record_id: Uuid,
    },
    /// It disagrees with the server; how that was settled.
    Conflict {
        /// The conflict, for the admin and for the employee's notes.
        conflict_id: String,
        /// Why they disagree.
        conflict_type: ConflictType,
        /// How it stands.
        resolution: Resolution,
        /// Whether this record counts in attendance now.
        applied: bool,
        /// What it disagrees with, when that is something on the server.
        server_side: Option<ServerSide>,
        /// When it really happened.
        trusted_time_ms: i64,
    },
    /// Refused for good (the code says why); the server keeps it or its audit entry for
    /// the admin.
    Rejected {
        /// Machine-readable reason.
        code: String,
        /// For the employee.
        message: String,
    },
    /// Not processed now: send it again later.
    RetryLater {
        /// Machine-readable reason.
        code: String,
        /// For the employee.
        message: String,
        /// Wait at least this long.
        retry_after_seconds: u32,
    },
}

impl Outcome {
    /// The `status` name.
    pub fn status(&self) -> &'static str {
        match self {
            Outcome::Accepted { .. } => "accepted",
            Outcome::Duplicate { .. } => "duplicate",
            Outcome::Conflict { .. } => "conflict",
            Outcome::Rejected { .. } => "rejected",
            Outcome::RetryLater { .. } => "retry_later",
        }
    }

    /// Whether the device can let go of its copy (everything but `retry_later`).
    pub fn is_final(&self) -> bool {
        !matches!(self, Outcome::RetryLater { .. })
    }
}

/// The server's side of a conflict.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerSide {
    /// `manual_entry` (entered on the server) or `record` (another offline record).
    pub kind: String,
    /// Its id.
    pub id: String,
    /// When it starts or happened.
    pub started_at_ms: Option<i64>,
    /// When it ends, for intervals.
    pub ended_at_ms: Option<i64>,
    /// One line for the employee.
    pub description: String,
}

/// A range of the pull sequence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeRange {
    /// First change written.
    pub from: i64,
    /// Last change written.
    pub to: i64,
}

/// The employee's attendance right now, as the server derives it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendanceState {
    /// Start of the open attendance, if the employee is checked in.
    pub checked_in_since_ms: Option<i64>,
    /// Start of the open break, if on one.
    pub on_break_since_ms: Option<i64>,
}

/// One action's result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionResult {
    /// The action.
    pub action_id: Uuid,
    /// The record it was about.
    pub record_id: Uuid,
    /// What happened.
    #[serde(flatten)]
    pub outcome: ActionOutcome,
}

/// What happened to an employee's action.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ActionOutcome {
    /// Done.
    Applied,
    /// Not done, and why.
    Rejected {
        /// Machine-readable reason.
        code: String,
        /// For the employee.
        message: String,
    },
}
