use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::fmt;

/// What an offline record says happened.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
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

    /// Attendance events (as opposed to requests): the device always keeps room for
    /// these, and never drops one.
    pub fn is_attendance(self) -> bool {
        !matches!(self, RecordKind::LeaveRequest)
    }
}

impl fmt::Display for RecordKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for RecordKind {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        RecordKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == text)
            .ok_or_else(|| {
                format!(
                    "unknown record kind {text:?} (one of check_in, check_out, break_start, break_end, leave_request)"
                )
            })
    }
}
