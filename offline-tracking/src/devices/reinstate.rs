//! `POST /admin/modules/offline-tracking/devices/{device_id}/reinstate`: an administrator
//! takes a revocation back, with a reason for the audit trail. The device syncs again
//! with its own key, so what it recorded before the revocation arrives signed as it was
//! made, never re-signed under another key.

use super::view::device_json;
use crate::api::{ApiResult, Caller, Problem, database, error, not_found, ok, path_uuid};
use crate::clock::now_ms;
use crate::entities::device;
use crate::store::audit_action::AuditAction;
use crate::store::journal::{Actor, Journal};
use host_sdk::abi::{ModuleRequest, ModuleResponse};
use offline_tracking_protocol::{ChangeKind, DeviceStatus};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    Set,
};
use serde::Deserialize;
use serde_json::json;

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReinstateBody {
    reason: String,
}

/// Makes a revoked device active again.
pub async fn reinstate(
    db: &DatabaseConnection,
    request: &ModuleRequest,
) -> ApiResult<ModuleResponse> {
    let caller = Caller::new(&request.principal, &request.settings)?;
    let device_id = path_uuid(request, "device_id", "device")?;
    let body: ReinstateBody = request.json()?;
    let reason = body.reason.trim().to_owned();
    if reason.is_empty() || reason.chars().count() > 500 || crate::text::note_has_control(&reason) {
        return Err(error(
            Problem::Invalid,
            "invalid_reason",
            "a reason of 1 to 500 characters, without control characters, explains the reinstatement",
        ));
    }
    let fail = || database("reinstating the device");
    let transaction = host_sdk::db::begin_write(db).await.map_err(fail())?;
    let found = device::Entity::find_by_id(device_id.as_str())
        .filter(device::Column::OrganisationId.eq(caller.organisation_id))
        .one(&transaction)
        .await
        .map_err(fail())?
        .ok_or_else(|| not_found("device", &device_id))?;
    if found.status != DeviceStatus::Revoked {
        return Err(error(
            Problem::Conflict,
            "device_not_revoked",
            format!("this device is {}, not revoked", found.status),
        ));
    }
    let mut active = found.clone().into_active_model();
    active.status = Set(DeviceStatus::Active);
    active.decided_at_ms = Set(Some(now_ms()));
    active.decided_by = Set(Some(caller.user_id));
    let updated = active.update(&transaction).await.map_err(fail())?;
    let mut journal = Journal::new(caller.organisation_id, None);
    journal.audit(
        &Actor::User(caller.user_id),
        AuditAction::DeviceReinstated,
        "device",
        &device_id,
        json!({
            "employee_id": found.employee_id,
            "reason": reason,
            "revoked_for": found.revoke_reason,
        }),
    );
    journal.change(
        Some(found.employee_id),
        &device_id,
        ChangeKind::Device {
            device_id: device_id.clone(),
            status: DeviceStatus::Active.as_str().to_owned(),
        },
    );
    journal.flush(&transaction).await.map_err(fail())?;
    transaction.commit().await.map_err(fail())?;
    Ok(ok(&device_json(&updated)))
}
