use serde::{Deserialize, Serialize};

/// Why an offline record disagrees with what the server knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(
    feature = "sea-orm",
    derive(sea_orm::DeriveValueType),
    sea_orm(value_type = "String")
)]
#[serde(rename_all = "snake_case")]
pub enum ConflictType {
    /// The same event recorded twice (two devices, or two submissions) within the
    /// duplicate window.
    Duplicate,
    /// A check-in while an attendance is already open, or an event inside an attendance
    /// entered on the server.
    Overlap,
    /// A check-out or break with no open attendance (or break) to close.
    Orphan,
    /// The device's own order (sequence) contradicts its times.
    OutOfOrder,
    /// Older than the organisation's max offline days when it arrived.
    Stale,
    /// The device clock was wrong and the real time could not be reconstructed.
    SuspectClock,
    /// Inside a locked attendance period.
    LockedPeriod,
    /// Its GPS fix is outside every fence it is checked against (or too imprecise to
    /// tell), under an organisation that holds such records for review.
    OutsideGeofence,
}

impl ConflictType {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            ConflictType::Duplicate => "duplicate",
            ConflictType::Overlap => "overlap",
            ConflictType::Orphan => "orphan",
            ConflictType::OutOfOrder => "out_of_order",
            ConflictType::Stale => "stale",
            ConflictType::SuspectClock => "suspect_clock",
            ConflictType::LockedPeriod => "locked_period",
            ConflictType::OutsideGeofence => "outside_geofence",
        }
    }

    /// Parses the wire name.
    pub fn parse(text: &str) -> Option<Self> {
        [
            ConflictType::Duplicate,
            ConflictType::Overlap,
            ConflictType::Orphan,
            ConflictType::OutOfOrder,
            ConflictType::Stale,
            ConflictType::SuspectClock,
            ConflictType::LockedPeriod,
            ConflictType::OutsideGeofence,
        ]
        .into_iter()
        .find(|kind| kind.as_str() == text)
    }
}

/// How a conflict stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(
    feature = "sea-orm",
    derive(sea_orm::DeriveValueType),
    sea_orm(value_type = "String")
)]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    /// The server's side stands; the offline record is kept as the loser.
    ServerKept,
    /// The offline record was applied; the server's side is kept as the loser.
    OfflineApplied,
    /// The two are one event: the first copy stands, the other is kept as a duplicate.
    Merged,
    /// Held for an administrator: nothing is applied until one decides.
    PendingReview,
}

impl Resolution {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Resolution::ServerKept => "server_kept",
            Resolution::OfflineApplied => "offline_applied",
            Resolution::Merged => "merged",
            Resolution::PendingReview => "pending_review",
        }
    }

    /// Parses the wire name.
    pub fn parse(text: &str) -> Option<Self> {
        [
            Resolution::ServerKept,
            Resolution::OfflineApplied,
            Resolution::Merged,
            Resolution::PendingReview,
        ]
        .into_iter()
        .find(|resolution| resolution.as_str() == text)
    }
}

/// What an administrator decided about a conflict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[cfg_attr(
    feature = "sea-orm",
    derive(sea_orm::DeriveValueType),
    sea_orm(value_type = "String")
)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Apply the offline record.
    AcceptOffline,
    /// Keep the server's side; the offline record stays the loser.
    KeepServer,
    /// Apply the offline record at a corrected time.
    CorrectTimes,
}

impl Decision {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::AcceptOffline => "accept_offline",
            Decision::KeepServer => "keep_server",
            Decision::CorrectTimes => "correct_times",
        }
    }

    /// Parses the wire name.
    pub fn parse(text: &str) -> Option<Self> {
        [
            Decision::AcceptOffline,
            Decision::KeepServer,
            Decision::CorrectTimes,
        ]
        .into_iter()
        .find(|decision| decision.as_str() == text)
    }
}
