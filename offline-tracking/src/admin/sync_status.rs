//! Attendance > Offline Sync Status: per device and employee, what is still pending on
//! the phones (from their latest health reports: a push's, less what that push answered,
//! and the one the device sends at the end of each sync), when they last synced and how.

use crate::api::{ApiResult, Caller, database, ok, query_i64};
use crate::clock::iso;
use crate::entities::{device, health_report, record, sync_session};
use host_sdk::abi::{ModuleRequest, ModuleResponse};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
    sea_query::{Expr, Func},
};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// `GET /admin/modules/offline-tracking/sync/status?employee_id=`
pub async fn status(db: &DatabaseConnection, request: &ModuleRequest) -> ApiResult<ModuleResponse> {
    let caller = Caller::new(&request.principal, &request.settings)?;
    let fail = || database("reading sync status");
    let mut query =
        device::Entity::find().filter(device::Column::OrganisationId.eq(caller.organisation_id));
    if let Some(employee_id) = query_i64(request, "employee_id")? {
        query = query.filter(device::Column::EmployeeId.eq(employee_id));
    }
    let devices = query
        .order_by_asc(device::Column::EmployeeId)
        .all(db)
        .await
        .map_err(fail())?;
    let highest_received: BTreeMap<String, i64> = record::Entity::find()
        .select_only()
        .column(record::Column::DeviceId)
        .column_as(
            Expr::expr(Func::max(Expr::col(record::Column::Sequence))),
            "highest",
        )
        .filter(record::Column::OrganisationId.eq(caller.organisation_id))
        .group_by(record::Column::DeviceId)
        .into_tuple::<(String, Option<i64>)>()
        .all(db)
        .await
        .map_err(fail())?
        .into_iter()
        .filter_map(|(device, highest)| highest.map(|h| (device, h)))
        .collect();
    let mut rows = Vec::with_capacity(devices.len());
    let mut by_employee: BTreeMap<i64, (u64, i64)> = BTreeMap::new();
    for found in &devices {
        let health = health_report::Entity::find()
            .filter(health_report::Column::DeviceId.eq(found.id.as_str()))
            .order_by_desc(health_report::Column::ReportedAtMs)
            // Ids are UUIDv7: of two reports in one millisecond, the later one.
            .order_by_desc(health_report::Column::Id)
            .one(db)
            .await
            .map_err(fail())?;
        let sessions = || {
            sync_session::Entity::find()
                .filter(sync_session::Column::DeviceId.eq(found.id.as_str()))
        };
        let last = sessions()
            .order_by_desc(sync_session::Column::StartedAtMs)
            .one(db)
            .await
            .map_err(fail())?;
        let last_success = sessions()
            .filter(sync_session::Column::Outcome.eq("succeeded"))
            .order_by_desc(sync_session::Column::StartedAtMs)
            .one(db)
            .await
            .map_err(fail())?;
        let failures_since = sessions()
            .filter(sync_session::Column::Outcome.eq("failed"))
            .filter(
                sync_session::Column::StartedAtMs
                    .gt(last_success.as_ref().map(|s| s.started_at_ms).unwrap_or(0)),
            )
            .count(db)
            .await
            .map_err(fail())?;
        let received = highest_received.get(&found.id).copied().unwrap_or(0);
        let pending = health
            .as_ref()
            .map(|h| i64::from(h.queue_depth))
            .unwrap_or(0);
        let unsent = health
            .as_ref()
            .map(|h| (h.last_recorded_sequence - received).max(0))
            .unwrap_or(0);
        let entry = by_employee.entry(found.employee_id).or_default();
        entry.0 += 1;
        entry.1 += pending;
        rows.push(json!({
            "device_id": found.id,
            "employee_id": found.employee_id,
            "device_status": found.status,
            "platform": found.platform,
            "app_version": health.as_ref().map(|h| h.app_version.clone()).unwrap_or_else(|| found.app_version.clone()),
            "config_version": health.as_ref().map(|h| h.config_version),
            "config_current": health.as_ref().map(|h| h.config_version == caller.config_version),
            "last_sync_at": last.as_ref().map(|s| iso(s.started_at_ms)),
            "last_sync_outcome": last.as_ref().map(|s| s.outcome.clone()),
            "last_error_code": last.as_ref().and_then(|s| s.error_code.clone()),
            "last_success_at": last_success.as_ref().map(|s| iso(s.started_at_ms)),
            "failed_syncs_since_success": failures_since,
            "pending_records": pending,
            "oldest_pending_at": health.as_ref().and_then(|h| h.oldest_pending_ms).map(iso),
            "storage_used_bytes": health.as_ref().map(|h| h.storage_used_bytes),
            "failed_attempts_reported": health.as_ref().map(|h| h.failed_attempts),
            "highest_sequence_received": received,
            "records_not_yet_received": unsent,
            "clock_offset_ms": health.as_ref().and_then(|h| h.clock_offset_ms),
            "network": health.as_ref().and_then(|h| h.network.clone()),
            "reported_at": health.as_ref().map(|h| iso(h.reported_at_ms)),
        }));
    }
    let employees: Vec<Value> = by_employee
        .iter()
        .map(|(employee_id, (devices, pending))| {
            json!({"employee_id": employee_id, "devices": devices, "pending_records": pending})
        })
        .collect();
    let pending_total: i64 = by_employee.values().map(|(_, pending)| pending).sum();
    Ok(ok(&json!({
        "config_version": caller.config_version,
        "pending_records": pending_total,
        "employees": employees,
        "devices": rows,
    })))
}
