//! Device routes: an employee registers and lists their devices; an administrator lists,
//! approves and revokes them.

use super::view::device_json;
use crate::api::{
    ApiResult, Caller, Problem, created, database, error, not_found, ok, path_uuid, query_i64,
};
use crate::clock::now_ms;
use crate::entities::device;
use crate::store::audit_action::AuditAction;
use crate::store::employee_lock;
use crate::store::journal::{Actor, Journal};
use host_sdk::abi::{ModuleRequest, ModuleResponse};
use offline_tracking_protocol::{
    ChangeKind, DeviceRegistered, DeviceStatus, RegisterDevice, public_key_from_base64,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set,
};
use serde::Deserialize;
use serde_json::json;

fn bounded(field: &str, value: &str, max: usize) -> ApiResult<()> {
    if value.trim().is_empty()
        || value.chars().count() > max
        || crate::text::line_has_control(value)
    {
        return Err(error(
            Problem::Invalid,
            "invalid_device",
            format!("{field} must be 1 to {max} characters, without control characters"),
        ));
    }
    Ok(())
}

/// `POST /api/modules/offline-tracking/devices`
pub async fn register(
    db: &DatabaseConnection,
    request: &ModuleRequest,
) -> ApiResult<ModuleResponse> {
    let caller = Caller::new(&request.principal, &request.settings)?;
    let employee_id = caller.employee()?;
    if !caller.settings.enabled {
        return Err(error(
            Problem::Forbidden,
            "offline_tracking_disabled",
            "offline tracking is turned off for this organisation",
        ));
    }
    let body: RegisterDevice = request.json()?;
    bounded("install_id", &body.install_id, 100)?;
    bounded("platform", &body.platform, 50)?;
    bounded("app_version", &body.app_version, 50)?;
    if public_key_from_base64(&body.public_key).is_err() {
        return Err(error(
            Problem::Invalid,
            "invalid_public_key",
            "public_key must be the base64 of a 32-byte Ed25519 public key",
        ));
    }
    let status = if caller.settings.device_approval_required {
        DeviceStatus::PendingApproval
    } else {
        DeviceStatus::Active
    };
    let device_id = uuid::Uuid::now_v7();
    let token = host_sdk::tokens::generate("dt_");
    let now = now_ms();
    let transaction = host_sdk::db::begin_write(db)
        .await
        .map_err(database("registering the device"))?;
    employee_lock::lock(&transaction, caller.organisation_id, employee_id)
        .await
        .map_err(database("registering the device"))?;
    let taken = device::Entity::find()
        .filter(device::Column::PublicKey.eq(body.public_key.as_str()))
        .one(&transaction)
        .await
        .map_err(database("registering the device"))?;
    if taken.is_some() {
        return Err(error(
            Problem::Conflict,
            "device_already_registered",
            "a device with this key is already registered: generate a new key to register again",
        ));
    }
    device::ActiveModel {
        id: Set(device_id.to_string()),
        organisation_id: Set(caller.organisation_id),
        employee_id: Set(employee_id),
        registered_by: Set(caller.user_id),
        install_id: Set(body.install_id.trim().to_owned()),
        platform: Set(body.platform.trim().to_owned()),
        app_version: Set(body.app_version.trim().to_owned()),
        public_key: Set(body.public_key.clone()),
        token_hash: Set(host_sdk::tokens::hash(&token)),
        status: Set(status),
        registered_at_ms: Set(now),
        decided_at_ms: Set(None),
        decided_by: Set(None),
        revoke_reason: Set(None),
    }
    .insert(&transaction)
    .await
    .map_err(database("registering the device"))?;
    let mut journal = Journal::new(caller.organisation_id, None);
    journal.audit(
        &Actor::User(caller.user_id),
        AuditAction::DeviceRegistered,
        "device",
        &device_id.to_string(),
        json!({
            "employee_id": employee_id,
            "platform": body.platform,
            "app_version": body.app_version,
            "install_id": body.install_id,
            "status": status.as_str(),
        }),
    );
    journal
        .flush(&transaction)
        .await
        .map_err(database("registering the device"))?;
    transaction
        .commit()
        .await
        .map_err(database("registering the device"))?;
    Ok(created(&DeviceRegistered {
        device_id,
        status,
        device_token: token,
        employee_id,
        server_time_ms: now,
        config_version: caller.config_version,
    }))
}

/// `GET /api/modules/offline-tracking/devices`: the caller's own devices.
pub async fn mine(db: &DatabaseConnection, request: &ModuleRequest) -> ApiResult<ModuleResponse> {
    let caller = Caller::new(&request.principal, &request.settings)?;
    let employee_id = caller.employee()?;
    let devices = device::Entity::find()
        .filter(device::Column::OrganisationId.eq(caller.organisation_id))
        .filter(device::Column::EmployeeId.eq(employee_id))
        .order_by_asc(device::Column::RegisteredAtMs)
        .all(db)
        .await
        .map_err(database("listing devices"))?;
    Ok(ok(
        &json!({"devices": devices.iter().map(device_json).collect::<Vec<_>>()}),
    ))
}

/// `GET /admin/modules/offline-tracking/devices?status=&employee_id=`
pub async fn list(db: &DatabaseConnection, request: &ModuleRequest) -> ApiResult<ModuleResponse> {
    let caller = Caller::new(&request.principal, &request.settings)?;
    let mut query =
        device::Entity::find().filter(device::Column::OrganisationId.eq(caller.organisation_id));
    if let Some(name) = request.query_param("status") {
        let Some(status) = DeviceStatus::parse(&name) else {
            return Err(error(
                Problem::Invalid,
                "invalid_parameter",
                "status is pending_approval, active or revoked",
            ));
        };
        query = query.filter(device::Column::Status.eq(status));
    }
    if let Some(employee_id) = query_i64(request, "employee_id")? {
        query = query.filter(device::Column::EmployeeId.eq(employee_id));
    }
    let devices = query
        .order_by_asc(device::Column::RegisteredAtMs)
        .all(db)
        .await
        .map_err(database("listing devices"))?;
    Ok(ok(
        &json!({"devices": devices.iter().map(device_json).collect::<Vec<_>>()}),
    ))
}

#[derive(Deserialize, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RevokeBody {
    #[serde(default)]
    reason: Option<String>,
}

/// `POST /admin/modules/offline-tracking/devices/{device_id}/approve` and `…/revoke`.
pub async fn decide(
    db: &DatabaseConnection,
    request: &ModuleRequest,
    to: DeviceStatus,
) -> ApiResult<ModuleResponse> {
    let caller = Caller::new(&request.principal, &request.settings)?;
    let device_id = path_uuid(request, "device_id", "device")?;
    let reason = if to == DeviceStatus::Revoked && !request.body.is_empty() {
        request.json::<RevokeBody>()?.reason
    } else {
        None
    };
    if reason
        .as_ref()
        .is_some_and(|r| r.chars().count() > 500 || crate::text::note_has_control(r))
    {
        return Err(error(
            Problem::Invalid,
            "invalid_reason",
            "reason must be at most 500 characters, without control characters",
        ));
    }
    let transaction = host_sdk::db::begin_write(db)
        .await
        .map_err(database("deciding on the device"))?;
    let found = device::Entity::find_by_id(device_id.as_str())
        .filter(device::Column::OrganisationId.eq(caller.organisation_id))
        .one(&transaction)
        .await
        .map_err(database("deciding on the device"))?
        .ok_or_else(|| not_found("device", &device_id))?;
    let current = found.status;
    if current == to {
        return Ok(ok(&device_json(&found)));
    }
    if current == DeviceStatus::Revoked {
        return Err(error(
            Problem::Conflict,
            "device_revoked",
            "a revoked device is made active again with POST …/devices/{id}/reinstate and a reason",
        ));
    }
    let mut active = found.clone().into_active_model();
    active.status = Set(to);
    active.decided_at_ms = Set(Some(now_ms()));
    active.decided_by = Set(Some(caller.user_id));
    if to == DeviceStatus::Revoked {
        active.revoke_reason = Set(reason.clone());
    }
    let updated = active
        .update(&transaction)
        .await
        .map_err(database("deciding on the device"))?;
    let mut journal = Journal::new(caller.organisation_id, None);
    let action = if to == DeviceStatus::Revoked {
        AuditAction::DeviceRevoked
    } else {
        AuditAction::DeviceApproved
    };
    journal.audit(
        &Actor::User(caller.user_id),
        action,
        "device",
        &device_id,
        json!({"employee_id": found.employee_id, "from": found.status, "to": to.as_str(), "reason": reason}),
    );
    journal.change(
        Some(found.employee_id),
        &device_id,
        ChangeKind::Device {
            device_id: device_id.clone(),
            status: to.as_str().to_owned(),
        },
    );
    journal
        .flush(&transaction)
        .await
        .map_err(database("deciding on the device"))?;
    transaction
        .commit()
        .await
        .map_err(database("deciding on the device"))?;
    Ok(ok(&device_json(&updated)))
}
