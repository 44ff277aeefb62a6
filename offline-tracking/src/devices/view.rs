use crate::clock::iso;
use crate::entities::device;
use serde_json::{Value, json};

/// A device as admins and employees see it (never the credential).
pub fn device_json(device: &device::Model) -> Value {
    json!({
        "device_id": device.id,
        "employee_id": device.employee_id,
        "platform": device.platform,
        "app_version": device.app_version,
        "install_id": device.install_id,
        "status": device.status,
        "registered_at": iso(device.registered_at_ms),
        "decided_at": device.decided_at_ms.map(iso),
        "decided_by": device.decided_by,
        "revoke_reason": device.revoke_reason,
    })
}
