//! The states OfflineTracking stores that are its own (the protocol's enums, such as
//! record kinds and conflict types, are stored through the protocol crate). Each is
//! named once here; a column holds the enum, so a wrong value cannot be written and a
//! stored value no variant has is a read error naming the column, not a default.

use sea_orm::entity::prelude::*;
use serde::Serialize;

/// The states a stored record moves through.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "snake_case")]
pub enum RecordStatus {
    /// Stored, not yet derived (only inside the transaction that stores it).
    #[sea_orm(string_value = "received")]
    Received,
    /// Counts in attendance.
    #[sea_orm(string_value = "accepted")]
    Accepted,
    /// Repeats another record, which counts instead.
    #[sea_orm(string_value = "duplicate")]
    Duplicate,
    /// Lost a conflict: kept, does not count.
    #[sea_orm(string_value = "overruled")]
    Overruled,
    /// Waits for an administrator's decision.
    #[sea_orm(string_value = "held")]
    Held,
    /// Refused for good.
    #[sea_orm(string_value = "rejected")]
    Rejected,
    /// Withdrawn by the employee.
    #[sea_orm(string_value = "withdrawn")]
    Withdrawn,
}

impl RecordStatus {
    /// The states derivation recomputes; `Rejected` and `Withdrawn` are final.
    pub const DERIVABLE: [RecordStatus; 5] = [
        RecordStatus::Received,
        RecordStatus::Accepted,
        RecordStatus::Duplicate,
        RecordStatus::Overruled,
        RecordStatus::Held,
    ];
}

/// Where a leave request stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "snake_case")]
pub enum LeaveStatus {
    /// Waiting for an administrator.
    #[sea_orm(string_value = "pending")]
    Pending,
    /// Granted.
    #[sea_orm(string_value = "approved")]
    Approved,
    /// Refused.
    #[sea_orm(string_value = "rejected")]
    Rejected,
    /// Withdrawn by the employee.
    #[sea_orm(string_value = "withdrawn")]
    Withdrawn,
}

/// Whether an administrator's manual entry counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "snake_case")]
pub enum EntryStatus {
    /// Counts.
    #[sea_orm(string_value = "active")]
    Active,
    /// Replaced by a correction, which counts instead.
    #[sea_orm(string_value = "corrected")]
    Corrected,
}

/// What an attendance session was derived from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "snake_case")]
pub enum SessionSource {
    /// A device's records.
    #[sea_orm(string_value = "offline")]
    Offline,
    /// An administrator's manual entry.
    #[sea_orm(string_value = "manual")]
    Manual,
}

/// What the server's side of a conflict is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "snake_case")]
pub enum ServerKind {
    /// Another offline record.
    #[sea_orm(string_value = "record")]
    Record,
    /// An entry an administrator made.
    #[sea_orm(string_value = "manual_entry")]
    ManualEntry,
}

/// How a sync ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "snake_case")]
pub enum SyncOutcome {
    /// Answered.
    #[sea_orm(string_value = "succeeded")]
    Succeeded,
    /// Refused.
    #[sea_orm(string_value = "failed")]
    Failed,
}

/// How a record's trusted time was worked out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "snake_case")]
pub enum TimeSource {
    /// The anchor the device learnt at its last sync, plus monotonic time since.
    #[sea_orm(string_value = "anchored")]
    Anchored,
    /// This push's arrival, minus the monotonic time between recording and sending.
    #[sea_orm(string_value = "send_time")]
    SendTime,
    /// The device's wall clock, for want of anything better.
    #[sea_orm(string_value = "device_clock")]
    DeviceClock,
}

/// Each state reads as its stored name in messages and logs.
macro_rules! displayed_by_stored_name {
    ($($state:ty),+) => {$(
        impl std::fmt::Display for $state {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.to_value())
            }
        }
    )+};
}

displayed_by_stored_name!(
    RecordStatus,
    LeaveStatus,
    EntryStatus,
    SessionSource,
    ServerKind,
    SyncOutcome,
    TimeSource
);

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::{ActiveEnum, Iterable};

    /// The JSON name of every state is its stored name, so views and storage agree.
    fn same_names<E: ActiveEnum<Value = String> + Iterable + Serialize>() {
        for state in E::iter() {
            assert_eq!(serde_json::to_value(&state).unwrap(), state.to_value());
        }
    }

    #[test]
    fn json_names_are_the_stored_names() {
        same_names::<RecordStatus>();
        same_names::<LeaveStatus>();
        same_names::<EntryStatus>();
        same_names::<SessionSource>();
        same_names::<ServerKind>();
        same_names::<SyncOutcome>();
        same_names::<TimeSource>();
    }

    #[test]
    fn an_unknown_stored_value_is_an_error() {
        assert!(RecordStatus::try_from_value(&"acepted".to_owned()).is_err());
    }
}
