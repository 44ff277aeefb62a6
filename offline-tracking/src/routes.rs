//! Every route OfflineTracking mounts, and the dispatch from route id to handler.

use crate::api::ApiResult;
use crate::permissions::{ADMIN, RECORD};
use crate::{admin, attendance, config_route, conflicts, devices, leave, people, sites};
use host_sdk::Method::{Get, Post, Put};
use host_sdk::abi::{ModuleRequest, ModuleResponse};
use host_sdk::module::HostDirectory;
use host_sdk::module::Route;
use offline_tracking_protocol::DeviceStatus;
use sea_orm::DatabaseConnection;

/// The routes, under `/api/modules/offline-tracking` (employees) and
/// `/admin/modules/offline-tracking` (administrators).
pub fn all() -> Vec<Route> {
    let api = |method, path, id, text| {
        Route::api(method, path, id)
            .permission(RECORD)
            .describe(text)
    };
    let admin = |method, path, id, text| {
        Route::admin(method, path, id)
            .permission(ADMIN)
            .describe(text)
    };
    vec![
        api(
            Get,
            "/config",
            "config.show",
            "The organisation's configuration for devices, with its version",
        ),
        api(
            Post,
            "/devices",
            "devices.register",
            "Register the device the employee holds",
        ),
        api(Get, "/devices", "devices.mine", "The employee's devices"),
        api(
            Post,
            "/devices/health",
            "devices.health",
            "The device's state at the end of a sync, for the sync status",
        ),
        api(
            Get,
            "/records",
            "records.mine",
            "The employee's records and their outcomes",
        ),
        api(
            Get,
            "/attendance",
            "attendance.mine",
            "The employee's attendance sessions",
        ),
        api(
            Get,
            "/leave-requests",
            "leave.mine",
            "The employee's leave requests",
        ),
        admin(
            Get,
            "/devices",
            "admin.devices.list",
            "Devices, by status or employee",
        ),
        admin(
            Post,
            "/devices/{device_id}/approve",
            "admin.devices.approve",
            "Approve a device",
        ),
        admin(
            Post,
            "/devices/{device_id}/revoke",
            "admin.devices.revoke",
            "Revoke a device",
        ),
        admin(
            Post,
            "/devices/{device_id}/reinstate",
            "admin.devices.reinstate",
            "Make a revoked device active again (audited, with a reason)",
        ),
        admin(
            Get,
            "/devices/{device_id}/gaps",
            "admin.devices.gaps",
            "Sequence numbers a device used that never arrived",
        ),
        admin(
            Post,
            "/sites",
            "admin.sites.create",
            "Create a site with its QR code and optional geofence",
        ),
        admin(Get, "/sites", "admin.sites.list", "Sites"),
        admin(
            Get,
            "/sites/{site_id}/qr",
            "admin.sites.qr",
            "The static QR code of a site",
        ),
        admin(
            Put,
            "/employees/{employee_id}/face-enrollment",
            "admin.enrollment.set",
            "Mark an employee enrolled in face recognition",
        ),
        admin(
            Put,
            "/employees/{employee_id}/sites",
            "admin.sites.assign",
            "The sites an employee may work at (none: every site), for the geofence",
        ),
        admin(
            Get,
            "/attendance",
            "admin.attendance.list",
            "Attendance sessions and manual entries",
        ),
        admin(
            Post,
            "/attendance/entries",
            "admin.entries.create",
            "Enter attendance on the server",
        ),
        admin(
            Post,
            "/attendance/entries/{entry_id}/correct",
            "admin.entries.correct",
            "Correct an entry",
        ),
        admin(
            Get,
            "/records",
            "admin.records.list",
            "Offline records and their outcomes",
        ),
        admin(
            Get,
            "/records/{record_id}",
            "admin.records.show",
            "One record with its signed evidence",
        ),
        admin(
            Get,
            "/conflicts",
            "admin.conflicts.list",
            "Conflicts (open by default)",
        ),
        admin(
            Get,
            "/conflicts/{conflict_id}",
            "admin.conflicts.show",
            "A conflict with both sides and its decisions",
        ),
        admin(
            Post,
            "/conflicts/{conflict_id}/resolve",
            "admin.conflicts.resolve",
            "Decide a conflict",
        ),
        admin(
            Post,
            "/conflicts/{conflict_id}/reverse",
            "admin.conflicts.reverse",
            "Reverse the decision in force",
        ),
        admin(
            Post,
            "/conflicts/{conflict_id}/resettle",
            "admin.conflicts.resettle",
            "Settle a conflict again under today's policy (audited, with a reason)",
        ),
        admin(Get, "/leave-requests", "admin.leave.list", "Leave requests"),
        admin(
            Post,
            "/leave-requests/{request_id}/approve",
            "admin.leave.approve",
            "Approve a leave request",
        ),
        admin(
            Post,
            "/leave-requests/{request_id}/reject",
            "admin.leave.reject",
            "Reject a leave request",
        ),
        admin(
            Get,
            "/sync/status",
            "admin.sync.status",
            "Pending records and last syncs per employee and device",
        ),
        admin(
            Get,
            "/sync/rates",
            "admin.sync.rates",
            "Sync success and failure rates over a window",
        ),
        admin(Get, "/audit", "admin.audit.list", "The audit trail"),
        admin(
            Get,
            "/audit/verify",
            "admin.audit.verify",
            "Check the audit trail for edited or deleted entries",
        ),
    ]
}

/// Runs the handler of `request.route_id`; every admin answer names employees (see
/// [`people::with_names`]).
pub async fn dispatch(
    db: &DatabaseConnection,
    directory: &HostDirectory,
    request: &ModuleRequest,
) -> ModuleResponse {
    let response = handle(db, directory, request).await;
    if request.route_id.starts_with("admin.") {
        people::with_names(directory, request.principal.organisation_id, response).await
    } else {
        response
    }
}

async fn handle(
    db: &DatabaseConnection,
    directory: &HostDirectory,
    request: &ModuleRequest,
) -> ModuleResponse {
    let result: ApiResult<ModuleResponse> = match request.route_id.as_str() {
        "config.show" => Ok(config_route::show(request)),
        "devices.register" => devices::routes::register(db, request).await,
        "devices.mine" => devices::routes::mine(db, request).await,
        "devices.health" => devices::health_route::report(db, request).await,
        "records.mine" => admin::records::mine(db, request).await,
        "attendance.mine" => attendance::routes::mine(db, request).await,
        "leave.mine" => leave::routes::mine(db, request).await,
        "admin.devices.list" => devices::routes::list(db, request).await,
        "admin.devices.approve" => devices::routes::decide(db, request, DeviceStatus::Active).await,
        "admin.devices.revoke" => devices::routes::decide(db, request, DeviceStatus::Revoked).await,
        "admin.devices.reinstate" => devices::reinstate::reinstate(db, request).await,
        "admin.devices.gaps" => admin::gaps::gaps(db, request).await,
        "admin.sites.create" => sites::routes::create(db, request).await,
        "admin.sites.list" => sites::routes::list(db, request).await,
        "admin.sites.qr" => sites::routes::qr_code(db, request).await,
        "admin.enrollment.set" => admin::enrollment::set(db, directory, request).await,
        "admin.sites.assign" => sites::assignments::set(db, directory, request).await,
        "admin.attendance.list" => attendance::routes::list(db, request).await,
        "admin.entries.create" => attendance::routes::create_entry(db, directory, request).await,
        "admin.entries.correct" => attendance::routes::correct_entry(db, request).await,
        "admin.records.list" => admin::records::list(db, request).await,
        "admin.records.show" => admin::records::show(db, request).await,
        "admin.conflicts.list" => conflicts::routes::list(db, request).await,
        "admin.conflicts.show" => conflicts::routes::show(db, request).await,
        "admin.conflicts.resolve" => conflicts::routes::resolve(db, request).await,
        "admin.conflicts.reverse" => conflicts::routes::reverse(db, request).await,
        "admin.conflicts.resettle" => conflicts::resettle::resettle(db, request).await,
        "admin.leave.list" => leave::routes::list(db, request).await,
        "admin.leave.approve" => leave::routes::decide(db, request, true).await,
        "admin.leave.reject" => leave::routes::decide(db, request, false).await,
        "admin.sync.status" => admin::sync_status::status(db, request).await,
        "admin.sync.rates" => admin::sync_rates::rates(db, request).await,
        "admin.audit.list" => admin::audit_routes::list(db, request).await,
        "admin.audit.verify" => admin::audit_routes::verify(db, request).await,
        other => Ok(ModuleResponse::error(
            404,
            "unknown_route",
            format!("no route {other}"),
        )),
    };
    result.unwrap_or_else(|answer| answer)
}
