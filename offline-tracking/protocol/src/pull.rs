use crate::{ConflictType, Decision, RecordResult, Resolution};
use serde::{Deserialize, Serialize};

/// A page of changes for the pulling device's employee, in server order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PullResponse {
    /// [`PROTOCOL_VERSION`](crate::PROTOCOL_VERSION).
    pub protocol_version: u32,
    /// The server's clock.
    pub server_time_ms: i64,
    /// The changes, oldest first. What the device's own push answers already reported is
    /// left out.
    pub changes: Vec<Change>,
    /// Where the next pull continues.
    pub next_cursor: String,
    /// More changes are waiting.
    pub has_more: bool,
    /// The organisation's configuration version now.
    pub config_version: i64,
}

/// One change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// Its place in the organisation's change sequence.
    pub seq: i64,
    /// When it was made (server time).
    pub at_ms: i64,
    /// What changed.
    #[serde(flatten)]
    pub kind: ChangeKind,
}

/// What a change is about.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "data", rename_all = "snake_case")]
pub enum ChangeKind {
    /// A record's outcome changed (for example an orphan check-out found its check-in).
    RecordOutcome(RecordResult),
    /// A conflict was detected, settled, decided by an admin, or reversed.
    Conflict {
        /// The conflict.
        conflict_id: String,
        /// Its type.
        conflict_type: ConflictType,
        /// How it stands now.
        resolution: Resolution,
        /// The offline record it is about.
        record_id: String,
        /// The admin's decision, when there is one in force.
        decision: Option<Decision>,
        /// The admin's note.
        note: Option<String>,
        /// Whether it no longer applies (the data that caused it changed).
        dissolved: bool,
    },
    /// An attendance session was derived or changed.
    AttendanceSession {
        /// Stable id of the session.
        session_id: String,
        /// `offline` or `manual`.
        source: String,
        /// Start, when known.
        started_at_ms: Option<i64>,
        /// End, when closed.
        ended_at_ms: Option<i64>,
        /// Breaks inside it: (start, end).
        breaks: Vec<(Option<i64>, Option<i64>)>,
    },
    /// A session no longer exists (its records were overruled or withdrawn).
    SessionRemoved {
        /// The session.
        session_id: String,
    },
    /// A leave request was created or decided.
    LeaveRequest {
        /// The request (its record's id).
        request_id: String,
        /// `pending`, `approved`, `rejected` or `withdrawn`.
        status: String,
        /// First day.
        starts_on: String,
        /// Last day.
        ends_on: String,
        /// The admin's note.
        note: Option<String>,
    },
    /// The organisation's configuration changed: fetch it.
    Config {
        /// The new version.
        config_version: i64,
    },
    /// A device's status changed (approved, revoked).
    Device {
        /// The device.
        device_id: String,
        /// Its status.
        status: String,
    },
}
