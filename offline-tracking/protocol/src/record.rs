use crate::RecordKind;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One thing an employee recorded on a device, as signed by the device. Immutable: a
/// correction is a new record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfflineRecord {
    /// Made by the device (UUIDv7), unique forever.
    pub id: Uuid,
    /// The device that recorded it.
    pub device_id: Uuid,
    /// Gap-free per device, from 1.
    pub sequence: u64,
    /// What happened.
    pub kind: RecordKind,
    /// The device's clocks when it happened.
    pub device_time: DeviceTime,
    /// Where, when the device had a fix.
    #[serde(default)]
    pub gps: Option<GpsFix>,
    /// The face check, when the employee is enrolled.
    #[serde(default)]
    pub face: Option<FaceMatch>,
    /// The site's QR code, when one was scanned.
    #[serde(default)]
    pub qr: Option<QrScan>,
    /// The request, for `leave_request` records.
    #[serde(default)]
    pub leave: Option<LeaveDetails>,
    /// Free text from the employee.
    #[serde(default)]
    pub note: Option<String>,
}

/// The device's clocks at one instant.
///
/// The wall clock can be moved by the user; the monotonic clock cannot, but restarts at
/// every boot. With the anchor from the last sync (same boot), the server reconstructs
/// when the event really happened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeviceTime {
    /// Wall clock, ms since the epoch, as the device believed.
    pub wall_clock_ms: i64,
    /// Monotonic clock, ms since boot.
    pub monotonic_ms: i64,
    /// Identifies the boot the monotonic clock belongs to.
    pub boot_id: String,
    /// The last server time the device learnt, if any.
    #[serde(default)]
    pub anchor: Option<TimeAnchor>,
}

/// The server time a device learnt at a successful sync, with its own monotonic clock
/// at that moment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TimeAnchor {
    /// The server's time.
    pub server_time_ms: i64,
    /// The device's monotonic clock when it received it.
    pub monotonic_ms: i64,
    /// The boot that monotonic reading belongs to.
    pub boot_id: String,
}

/// A GPS fix.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GpsFix {
    /// Degrees, -90 to 90.
    pub latitude: f64,
    /// Degrees, -180 to 180.
    pub longitude: f64,
    /// Metres, 0 or more.
    pub accuracy_m: f64,
    /// `gps`, `network`, `fused`…
    pub provider: String,
    /// The OS reported a mock location.
    pub mock_location: bool,
    /// Device wall clock when the fix was taken.
    pub captured_at_ms: i64,
}

/// The result of an on-device face check.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaceMatch {
    /// Whether the model accepted the face.
    pub matched: bool,
    /// Similarity score.
    pub score: f64,
    /// The score needed to match.
    pub threshold: f64,
    /// The model that decided.
    pub model: String,
}

/// A scanned static site QR code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QrScan {
    /// The code's text, exactly as scanned.
    pub payload: String,
    /// Device wall clock at the scan.
    pub scanned_at_ms: i64,
}

/// A leave request made offline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeaveDetails {
    /// Such as `annual`, `sick`, `unpaid`.
    pub leave_type: String,
    /// First day, `YYYY-MM-DD`.
    pub starts_on: String,
    /// Last day, `YYYY-MM-DD`, not before `starts_on`.
    pub ends_on: String,
    /// Why.
    #[serde(default)]
    pub reason: Option<String>,
}
