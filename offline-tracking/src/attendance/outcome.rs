//! A record's outcome as the device is told it.

use crate::clock::iso;
use crate::entities::states::{RecordStatus, ServerKind};
use crate::entities::{conflict, manual_entry};
use host_sdk::db::StoredJson;
use offline_tracking_protocol::{ConflictType, Outcome, RecordKind, ServerSide};
use sea_orm::FromQueryResult;
use std::collections::BTreeMap;

/// The columns of a record derivation and outcomes need (not the evidence).
#[derive(Clone, Debug, PartialEq, FromQueryResult)]
pub struct RecordState {
    pub id: String,
    pub device_id: String,
    pub sequence: i64,
    pub kind: RecordKind,
    pub trusted_time_ms: i64,
    pub stale: bool,
    pub suspect_clock: bool,
    pub leave_key: Option<String>,
    pub status: RecordStatus,
    pub status_code: Option<String>,
    pub status_message: Option<String>,
    pub conflict_id: Option<String>,
    pub flags: StoredJson<Vec<String>>,
}

impl RecordState {
    /// Whether ingest flagged the record with `flag` (flags are stored as a JSON list).
    pub fn has_flag(&self, flag: &str) -> bool {
        self.flags.iter().any(|f| f == flag)
    }
}

/// What the server side of a conflict can be looked up in.
pub struct ServerSides<'a> {
    pub records: &'a BTreeMap<String, RecordState>,
    pub entries: &'a BTreeMap<String, manual_entry::Model>,
}

impl ServerSides<'_> {
    fn describe(&self, conflict: &conflict::Model) -> Option<ServerSide> {
        let id = conflict.server_id.clone()?;
        match conflict.server_kind? {
            ServerKind::ManualEntry => {
                let entry = self.entries.get(&id)?;
                Some(ServerSide {
                    kind: ServerKind::ManualEntry.to_string(),
                    id,
                    started_at_ms: Some(entry.started_at_ms),
                    ended_at_ms: entry.ended_at_ms,
                    description: format!(
                        "attendance entered by an administrator from {}{}",
                        iso(entry.started_at_ms),
                        entry
                            .ended_at_ms
                            .map(|end| format!(" to {}", iso(end)))
                            .unwrap_or_default()
                    ),
                })
            }
            ServerKind::Record => {
                let record = self.records.get(&id)?;
                Some(ServerSide {
                    kind: ServerKind::Record.to_string(),
                    id,
                    started_at_ms: Some(record.trusted_time_ms),
                    ended_at_ms: None,
                    description: format!(
                        "{} at {} recorded on device {}",
                        record.kind,
                        iso(record.trusted_time_ms),
                        record.device_id
                    ),
                })
            }
        }
    }
}

/// The outcome of `record` given its conflict (if any).
pub fn outcome(
    record: &RecordState,
    conflict: Option<&conflict::Model>,
    sides: &ServerSides<'_>,
) -> Outcome {
    let flags = record.flags.0.clone();
    if matches!(
        record.status,
        RecordStatus::Rejected | RecordStatus::Withdrawn
    ) {
        return Outcome::Rejected {
            code: record
                .status_code
                .clone()
                .unwrap_or_else(|| record.status.to_string()),
            message: record.status_message.clone().unwrap_or_default(),
        };
    }
    let Some(conflict) = conflict else {
        return Outcome::Accepted {
            trusted_time_ms: record.trusted_time_ms,
            flags,
        };
    };
    let conflict_type = conflict.conflict_type;
    if conflict_type == ConflictType::Duplicate
        && record.status == RecordStatus::Duplicate
        && let Some(original) = conflict
            .server_id
            .as_deref()
            .and_then(|id| uuid::Uuid::parse_str(id).ok())
    {
        return Outcome::Duplicate {
            original_record_id: original,
        };
    }
    Outcome::Conflict {
        conflict_id: conflict.id.clone(),
        conflict_type,
        resolution: conflict.resolution,
        applied: record.status == RecordStatus::Accepted,
        server_side: sides.describe(conflict),
        trusted_time_ms: record.trusted_time_ms,
    }
}
