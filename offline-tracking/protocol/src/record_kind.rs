use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What an offline record says happened.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[cfg_attr(
    feature = "sea-orm",
    derive(sea_orm::DeriveValueType),
    sea_orm(value_type = "String")
)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// The employee started work.
    CheckIn,
    /// The employee finished work.
    CheckOut,
    /// A break began.
    BreakStart,
    /// A break ended.
    BreakEnd,
    /// A leave request, queued until the device syncs.
    LeaveRequest,
}

impl RecordKind {
    /// Every kind, in the default sync priority order.
    pub const ALL: [RecordKind; 5] = [
        RecordKind::CheckIn,
        RecordKind::CheckOut,
        RecordKind::BreakStart,
        RecordKind::BreakEnd,
        RecordKind::LeaveRequest,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::CheckIn => "check_in",
            RecordKind::CheckOut => "check_out",
            RecordKind::BreakStart => "break_start",
            RecordKind::BreakEnd => "break_end",
            RecordKind::LeaveRequest => "leave_request",
        }
    }

    /// The kind with this wire name.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == name)
    }

    /// Attendance events (as opposed to requests): the device always keeps room for
    /// these, and never drops one.
    pub fn is_attendance(self) -> bool {
        !matches!(self, RecordKind::LeaveRequest)
    }
}
