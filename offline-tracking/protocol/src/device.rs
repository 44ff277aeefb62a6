use serde::{Deserialize, Serialize};

use uuid::Uuid;

/// `POST /api/modules/offline-tracking/devices`: an employee registers the device they
/// hold, once, while online.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterDevice {
    /// Identifies this installation of the app (a reinstall is a new device).
    pub install_id: String,
    /// `android`, `ios`, `cli`…
    pub platform: String,
    /// The app's version.
    pub app_version: String,
    /// Base64 of the device's 32-byte Ed25519 public key.
    pub public_key: String,
}

/// Where a device stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "sea-orm",
    derive(sea_orm::DeriveValueType),
    sea_orm(value_type = "String")
)]
#[serde(rename_all = "snake_case")]
pub enum DeviceStatus {
    /// Waiting for an admin (when the organisation requires approval).
    PendingApproval,
    /// May sync.
    Active,
    /// Refused for good.
    Revoked,
}

impl DeviceStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            DeviceStatus::PendingApproval => "pending_approval",
            DeviceStatus::Active => "active",
            DeviceStatus::Revoked => "revoked",
        }
    }

    /// Parses the stored name.
    pub fn parse(text: &str) -> Option<Self> {
        [
            DeviceStatus::PendingApproval,
            DeviceStatus::Active,
            DeviceStatus::Revoked,
        ]
        .into_iter()
        .find(|status| status.as_str() == text)
    }
}

/// The answer to a registration. `device_token` is shown once: the device stores it and
/// sends it with every sync (`X-Device-Token`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceRegistered {
    /// The device's id, sent as `X-Device-Id` and in every record.
    pub device_id: Uuid,
    /// Its status.
    pub status: DeviceStatus,
    /// The device credential.
    pub device_token: String,
    /// The employee the device records for.
    pub employee_id: i64,
    /// The server's time at registration: the device's first time anchor.
    pub server_time_ms: i64,
    /// The organisation's configuration version.
    pub config_version: i64,
}
