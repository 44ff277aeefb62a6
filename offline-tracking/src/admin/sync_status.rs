//! Attendance > Offline Sync Status: per device and employee, what is still pending on
//! the phones (from their latest health reports: a push's, less what that push answered,
//! and the one the device sends at the end of each sync), when they last synced and how.
//! Six queries answer it, however many devices the organisation has.

use crate::api::{ApiResult, Caller, database, ok, query_i64};
use crate::clock::iso;
use crate::entities::states::SyncOutcome;
use crate::entities::{device, health_report, record, sync_session};
use host_sdk::abi::{ModuleRequest, ModuleResponse};
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Alias, Expr, ExprTrait, Func, Query, SubQueryStatement},
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
    let health = latest_health(db, caller.organisation_id)
        .await
        .map_err(fail())?;
    let last = latest_sessions(db, caller.organisation_id, None)
        .await
        .map_err(fail())?;
    let last_success = latest_sessions(db, caller.organisation_id, Some(SyncOutcome::Succeeded))
        .await
        .map_err(fail())?;
    let failures = failures_since_success(db, caller.organisation_id)
        .await
        .map_err(fail())?;
    let mut rows = Vec::with_capacity(devices.len());
    let mut by_employee: BTreeMap<i64, (u64, i64)> = BTreeMap::new();
    for found in &devices {
        let health = health.get(&found.id);
        let last = last.get(&found.id);
        let last_success = last_success.get(&found.id);
        let failures_since = failures.get(&found.id).copied().unwrap_or(0);
        let received = highest_received.get(&found.id).copied().unwrap_or(0);
        let pending = health.map(|h| i64::from(h.queue_depth)).unwrap_or(0);
        let unsent = health
            .map(|h| Ord::max(h.last_recorded_sequence - received, 0))
            .unwrap_or(0);
        let entry = by_employee.entry(found.employee_id).or_default();
        entry.0 += 1;
        entry.1 += pending;
        rows.push(json!({
            "device_id": found.id,
            "employee_id": found.employee_id,
            "device_status": found.status,
            "platform": found.platform,
            "app_version": health.map(|h| h.app_version.clone()).unwrap_or_else(|| found.app_version.clone()),
            "config_version": health.map(|h| h.config_version),
            "config_current": health.map(|h| h.config_version == caller.config_version),
            "last_sync_at": last.map(|s| iso(s.started_at_ms)),
            "last_sync_outcome": last.map(|s| s.outcome),
            "last_error_code": last.and_then(|s| s.error_code.clone()),
            "last_success_at": last_success.map(|s| iso(s.started_at_ms)),
            "failed_syncs_since_success": failures_since,
            "pending_records": pending,
            "oldest_pending_at": health.and_then(|h| h.oldest_pending_ms).map(iso),
            "storage_used_bytes": health.map(|h| h.storage_used_bytes),
            "failed_attempts_reported": health.map(|h| h.failed_attempts),
            "highest_sequence_received": received,
            "records_not_yet_received": unsent,
            "clock_offset_ms": health.and_then(|h| h.clock_offset_ms),
            "network": health.and_then(|h| h.network.clone()),
            "reported_at": health.map(|h| iso(h.reported_at_ms)),
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

/// Each device's latest health report: one query for the whole organisation. Report ids
/// are UUIDv7, so the greatest id of a device is its latest report.
async fn latest_health(
    db: &DatabaseConnection,
    organisation_id: i64,
) -> Result<BTreeMap<String, health_report::Model>, DbErr> {
    let latest = Query::select()
        .expr(Func::max(Expr::col(health_report::Column::Id)))
        .from(health_report::Entity)
        .and_where(health_report::Column::OrganisationId.eq(organisation_id))
        .group_by_col(health_report::Column::DeviceId)
        .to_owned();
    Ok(health_report::Entity::find()
        .filter(health_report::Column::Id.in_subquery(latest))
        .all(db)
        .await?
        .into_iter()
        .map(|report| (report.device_id.clone(), report))
        .collect())
}

/// Each device's latest sync session (of `outcome`, when given): one query.
async fn latest_sessions(
    db: &DatabaseConnection,
    organisation_id: i64,
    outcome: Option<SyncOutcome>,
) -> Result<BTreeMap<String, sync_session::Model>, DbErr> {
    let mut latest = Query::select()
        .expr(Func::max(Expr::col(sync_session::Column::Id)))
        .from(sync_session::Entity)
        .and_where(sync_session::Column::OrganisationId.eq(organisation_id))
        .and_where(sync_session::Column::DeviceId.is_not_null())
        .group_by_col(sync_session::Column::DeviceId)
        .to_owned();
    if let Some(outcome) = outcome {
        latest.and_where(sync_session::Column::Outcome.eq(outcome));
    }
    Ok(sync_session::Entity::find()
        .filter(sync_session::Column::Id.in_subquery(latest))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|session| Some((session.device_id.clone()?, session)))
        .collect())
}

/// Failed syncs of each device since its last success: one query, the last success found
/// by a correlated subquery.
async fn failures_since_success(
    db: &DatabaseConnection,
    organisation_id: i64,
) -> Result<BTreeMap<String, i64>, DbErr> {
    let earlier = Alias::new("earlier");
    let last_success = Query::select()
        .expr(Func::max(Expr::col((
            earlier.clone(),
            sync_session::Column::StartedAtMs,
        ))))
        .from_as(sync_session::Entity, earlier.clone())
        .and_where(
            Expr::col((earlier.clone(), sync_session::Column::DeviceId))
                .equals((sync_session::Entity, sync_session::Column::DeviceId)),
        )
        .and_where(Expr::col((earlier, sync_session::Column::Outcome)).eq(SyncOutcome::Succeeded))
        .to_owned();
    let since = Func::coalesce([
        Expr::SubQuery(
            None,
            Box::new(SubQueryStatement::SelectStatement(last_success)),
        ),
        Expr::val(0i64),
    ]);
    let counted: Vec<(Option<String>, i64)> = sync_session::Entity::find()
        .select_only()
        .column(sync_session::Column::DeviceId)
        .column_as(
            Expr::expr(Func::count(Expr::col(sync_session::Column::Id))),
            "failures",
        )
        .filter(sync_session::Column::OrganisationId.eq(organisation_id))
        .filter(sync_session::Column::Outcome.eq(SyncOutcome::Failed))
        .filter(Expr::col((sync_session::Entity, sync_session::Column::StartedAtMs)).gt(since))
        .group_by(sync_session::Column::DeviceId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(counted
        .into_iter()
        .filter_map(|(device, failures)| Some((device?, failures)))
        .collect())
}
