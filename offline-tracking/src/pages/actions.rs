//! What the pages' buttons do: each posts a form that becomes the body of the same JSON
//! route an integration would call (same checks, same audit entry naming the signed-in
//! administrator), then the browser goes back to where the person was.

use super::bridge::{PAGES, after, as_api, form_json};
use crate::OfflineTracking;
use crate::{conflicts, devices, leave};
use host_sdk::abi::{ModuleRequest, ModuleResponse};
use offline_tracking_protocol::DeviceStatus;

fn back_to_status(anchor: &str) -> String {
    format!("{PAGES}/sync-status#{anchor}")
}

/// `POST …/devices/{device_id}/approve`, `…/revoke` (optional `reason`).
pub async fn decide_device(
    ot: &OfflineTracking,
    request: &ModuleRequest,
    to: DeviceStatus,
) -> ModuleResponse {
    let fields: &[&str] = if to == DeviceStatus::Revoked {
        &["reason"]
    } else {
        &[]
    };
    let api = as_api(request, "", Some(&form_json(request, fields)));
    after(
        devices::routes::decide(&ot.db, &api, to).await,
        &back_to_status("devices"),
    )
}

/// `POST …/devices/{device_id}/reinstate` with `reason`.
pub async fn reinstate_device(ot: &OfflineTracking, request: &ModuleRequest) -> ModuleResponse {
    let mut body = form_json(request, &["reason"]);
    // A blank reason reaches the route as empty, so its own message explains what is needed.
    body.as_object_mut()
        .map(|object| object.entry("reason").or_insert_with(|| "".into()));
    let api = as_api(request, "", Some(&body));
    after(
        devices::reinstate::reinstate(&ot.db, &api).await,
        &back_to_status("devices"),
    )
}

/// `POST …/leave-requests/{request_id}/approve` or `…/reject` (optional `note`).
pub async fn decide_leave(
    ot: &OfflineTracking,
    request: &ModuleRequest,
    approve: bool,
) -> ModuleResponse {
    let api = as_api(request, "", Some(&form_json(request, &["note"])));
    after(
        leave::routes::decide(&ot.db, &api, approve).await,
        &back_to_status("leave"),
    )
}

fn conflict_page(request: &ModuleRequest) -> String {
    format!(
        "{PAGES}/conflicts/{}",
        request.param("conflict_id").unwrap_or_default()
    )
}

/// `POST …/conflicts/{conflict_id}/resolve` with `decision`, `note` and, to correct
/// times, `corrected_time`.
pub async fn resolve_conflict(ot: &OfflineTracking, request: &ModuleRequest) -> ModuleResponse {
    let mut body = form_json(request, &["decision", "note", "corrected_time"]);
    if let Some(object) = body.as_object_mut() {
        object.entry("note").or_insert_with(|| "".into());
        object.entry("decision").or_insert_with(|| "".into());
    }
    let api = as_api(request, "", Some(&body));
    after(
        conflicts::routes::resolve(&ot.db, &api).await,
        &conflict_page(request),
    )
}

/// `POST …/conflicts/{conflict_id}/reverse` with `note`.
pub async fn reverse_conflict(ot: &OfflineTracking, request: &ModuleRequest) -> ModuleResponse {
    let mut body = form_json(request, &["note"]);
    if let Some(object) = body.as_object_mut() {
        object.entry("note").or_insert_with(|| "".into());
    }
    let api = as_api(request, "", Some(&body));
    after(
        conflicts::routes::reverse(&ot.db, &api).await,
        &conflict_page(request),
    )
}

/// `POST …/conflicts/{conflict_id}/resettle` with `note`: today's policy, applied to a
/// conflict an older policy settled.
pub async fn resettle_conflict(ot: &OfflineTracking, request: &ModuleRequest) -> ModuleResponse {
    let mut body = form_json(request, &["note"]);
    if let Some(object) = body.as_object_mut() {
        object.entry("note").or_insert_with(|| "".into());
    }
    let api = as_api(request, "", Some(&body));
    after(
        conflicts::resettle::resettle(&ot.db, &api).await,
        &conflict_page(request),
    )
}
