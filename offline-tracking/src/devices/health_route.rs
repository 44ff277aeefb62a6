//! `POST /api/modules/offline-tracking/devices/health`: the device's state at the end of a
//! sync, after it applied the answers and the configuration it pulled.
//!
//! The health a push carries was measured before that push was applied; without this
//! report the sync status would stay one sync behind the phone.

use super::credential;
use crate::api::{ApiResult, Caller, Problem, database, error, ok};
use crate::clock::now_ms;
use crate::sync::health;
use host_sdk::abi::{ModuleRequest, ModuleResponse};
use offline_tracking_protocol::HealthReport;
use sea_orm::DatabaseConnection;
use serde_json::json;

/// Stores the report of an employee's own registered, active device.
pub async fn report(db: &DatabaseConnection, request: &ModuleRequest) -> ApiResult<ModuleResponse> {
    let caller = Caller::new(&request.principal, &request.settings)?;
    let employee_id = caller.employee()?;
    let body: HealthReport = request.json()?;
    health::check_envelope(body.protocol_version, &body.sent_at, &body.health)?;
    let device_id = body.device_id.to_string();
    let device =
        credential::authenticate(db, &caller, employee_id, Some(&device_id), &request.headers)
            .await?
            .map_err(|refusal| refusal.error())?;
    if !caller.settings.enabled {
        return Err(error(
            Problem::Forbidden,
            "offline_tracking_disabled",
            "offline tracking is turned off for this organisation",
        ));
    }
    health::store_report(
        db,
        caller.organisation_id,
        employee_id,
        &device.id,
        &body.health,
        &body.sent_at,
        now_ms(),
    )
    .await
    .map_err(database("storing the health report"))?;
    Ok(ok(&json!({
        "stored": true,
        "config_current": body.health.config_version == caller.config_version,
    })))
}
