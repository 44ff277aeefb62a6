use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Which records are checked against the sites' geofences.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum GeofenceCheck {
    /// Only a record with a scanned site QR code, against that site's fence.
    #[default]
    QrScans,
    /// Every attendance record with a GPS fix: with a QR code, against that site's fence;
    /// without one, against the fence of any site the employee may work at (the sites
    /// assigned to them, or every site of the organisation when none is assigned).
    EveryGpsRecord,
}

/// What happens to a record that fails the geofence.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum GeofenceOutcome {
    /// Rejected (kept, not counted), with the code `outside_geofence` or
    /// `gps_too_imprecise`.
    #[default]
    Reject,
    /// Held for an administrator as an `outside_geofence` conflict, whatever the conflict
    /// policy; the administrator counts it or not.
    Review,
}
