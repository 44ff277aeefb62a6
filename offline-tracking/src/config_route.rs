//! `GET /api/modules/offline-tracking/config`: what a device applies ("Deploy updated
//! mobile app configuration").

use host_sdk::abi::{ModuleRequest, ModuleResponse};
use offline_tracking_settings::OfflineTrackingSettings;

/// The organisation's effective settings and their version.
pub fn show(request: &ModuleRequest) -> ModuleResponse {
    match request.settings.parse::<OfflineTrackingSettings>() {
        Ok(settings) => ModuleResponse::json(
            200,
            &serde_json::json!({
                "config_version": request.settings.version,
                "settings": settings,
                "sync_order": settings.sync_order(),
            }),
        ),
        Err(error) => ModuleResponse::error(500, "invalid_settings", error.to_string()),
    }
}
