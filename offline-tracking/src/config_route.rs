//! `GET /api/modules/offline-tracking/config`: what a device applies ("Deploy updated
//! mobile app configuration").

use crate::api::{ApiResult, Problem, error, ok};
use host_sdk::abi::{ModuleRequest, ModuleResponse};
use offline_tracking_settings::OfflineTrackingSettings;

/// The organisation's effective settings and their version.
pub fn show(request: &ModuleRequest) -> ApiResult<ModuleResponse> {
    match request.settings.parse::<OfflineTrackingSettings>() {
        Ok(settings) => Ok(ok(&serde_json::json!({
                "config_version": request.settings.version,
                "settings": settings,
                "sync_order": settings.sync_order(),
        }))),
        Err(problem) => Err(error(
            Problem::Internal,
            "invalid_settings",
            problem.to_string(),
        )),
    }
}
