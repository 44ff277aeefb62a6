//! Every route OfflineTracking mounts: method, path, permission, description and the
//! handler, declared together so what is listed is what is served.

use crate::OfflineTracking;
use crate::api::ApiResult;
use crate::permissions::{ADMIN, RECORD};
use crate::{admin, attendance, config_route, conflicts, devices, leave, people, sites};
use host_sdk::Method::{self, Get, Post, Put};
use host_sdk::abi::{ModuleRequest, ModuleResponse};
use host_sdk::module::{IntoModuleResponse, Route};
use offline_tracking_protocol::DeviceStatus;
use std::{future::Future, sync::Arc};

type Ot = Arc<OfflineTracking>;

/// The routes, under `/api/modules/offline-tracking` (employees) and
/// `/admin/modules/offline-tracking` (administrators).
pub fn all() -> Vec<Route<OfflineTracking>> {
    let mut routes = api();
    routes.extend(crate::pages::all());
    routes
}

fn api() -> Vec<Route<OfflineTracking>> {
    vec![
        employee(
            Get,
            "/config",
            "The organisation's configuration for devices, with its version",
            |_: Ot, request: ModuleRequest| async move { config_route::show(&request) },
        ),
        employee(
            Post,
            "/devices",
            "Register the device the employee holds",
            |ot: Ot, request: ModuleRequest| async move {
                devices::routes::register(&ot.db, &request).await
            },
        )
        .request::<offline_tracking_protocol::RegisterDevice>(),
        employee(
            Get,
            "/devices",
            "The employee's devices",
            |ot: Ot, request: ModuleRequest| async move {
                devices::routes::mine(&ot.db, &request).await
            },
        ),
        employee(
            Post,
            "/devices/health",
            "The device's state at the end of a sync, for the sync status",
            |ot: Ot, request: ModuleRequest| async move {
                devices::health_route::report(&ot.db, &request).await
            },
        )
        .request::<offline_tracking_protocol::HealthReport>(),
        employee(
            Get,
            "/records",
            "The employee's records and their outcomes",
            |ot: Ot, request: ModuleRequest| async move { admin::records::mine(&ot.db, &request).await },
        ),
        employee(
            Get,
            "/attendance",
            "The employee's attendance sessions",
            |ot: Ot, request: ModuleRequest| async move {
                attendance::routes::mine(&ot.db, &request).await
            },
        ),
        employee(
            Get,
            "/leave-requests",
            "The employee's leave requests",
            |ot: Ot, request: ModuleRequest| async move { leave::routes::mine(&ot.db, &request).await },
        ),
        admin(
            Get,
            "/devices",
            "Devices, by status or employee",
            |ot: Ot, request: ModuleRequest| async move {
                devices::routes::list(&ot.db, &request).await
            },
        ),
        admin(
            Post,
            "/devices/{device_id}/approve",
            "Approve a device",
            |ot: Ot, request: ModuleRequest| async move {
                devices::routes::decide(&ot.db, &request, DeviceStatus::Active).await
            },
        ),
        admin(
            Post,
            "/devices/{device_id}/revoke",
            "Revoke a device",
            |ot: Ot, request: ModuleRequest| async move {
                devices::routes::decide(&ot.db, &request, DeviceStatus::Revoked).await
            },
        )
        .request::<devices::routes::RevokeBody>(),
        admin(
            Post,
            "/devices/{device_id}/reinstate",
            "Make a revoked device active again (audited, with a reason)",
            |ot: Ot, request: ModuleRequest| async move {
                devices::reinstate::reinstate(&ot.db, &request).await
            },
        )
        .request::<devices::reinstate::ReinstateBody>(),
        admin(
            Get,
            "/devices/{device_id}/gaps",
            "Sequence numbers a device used that never arrived",
            |ot: Ot, request: ModuleRequest| async move { admin::gaps::gaps(&ot.db, &request).await },
        ),
        admin(
            Post,
            "/sites",
            "Create a site with its QR code and optional geofence",
            |ot: Ot, request: ModuleRequest| async move {
                sites::routes::create(&ot.db, &request).await
            },
        )
        .request::<sites::routes::NewSite>(),
        admin(
            Put,
            "/sites/{site_id}",
            "Rename a site or change its geofence (its QR code stays the same)",
            |ot: Ot, request: ModuleRequest| async move {
                sites::routes::update(&ot.db, &request).await
            },
        )
        .request::<sites::routes::NewSite>(),
        admin(
            Get,
            "/sites",
            "Sites",
            |ot: Ot, request: ModuleRequest| async move { sites::routes::list(&ot.db, &request).await },
        ),
        admin(
            Get,
            "/sites/{site_id}/qr",
            "The static QR code of a site",
            |ot: Ot, request: ModuleRequest| async move {
                sites::routes::qr_code(&ot.db, &request).await
            },
        ),
        admin(
            Get,
            "/employees",
            "A page of the organisation's employees with their devices, face enrollment and sites",
            |ot: Ot, request: ModuleRequest| async move {
                admin::employees::list(&ot.db, &ot.directory, &request).await
            },
        ),
        admin(
            Put,
            "/employees/{employee_id}/face-enrollment",
            "Mark an employee enrolled in face recognition",
            |ot: Ot, request: ModuleRequest| async move {
                admin::enrollment::set(&ot.db, &ot.directory, &request).await
            },
        )
        .request::<admin::enrollment::EnrollmentBody>(),
        admin(
            Put,
            "/employees/{employee_id}/sites",
            "The sites an employee may work at (none: every site), for the geofence",
            |ot: Ot, request: ModuleRequest| async move {
                sites::assignments::set(&ot.db, &ot.directory, &request).await
            },
        )
        .request::<sites::assignments::AssignmentBody>(),
        admin(
            Get,
            "/attendance",
            "Attendance sessions and manual entries",
            |ot: Ot, request: ModuleRequest| async move {
                attendance::routes::list(&ot.db, &request).await
            },
        ),
        admin(
            Post,
            "/attendance/entries",
            "Enter attendance on the server",
            |ot: Ot, request: ModuleRequest| async move {
                attendance::routes::create_entry(&ot.db, &ot.directory, &request).await
            },
        )
        .request::<attendance::routes::EntryBody>(),
        admin(
            Post,
            "/attendance/entries/{entry_id}/correct",
            "Correct an entry",
            |ot: Ot, request: ModuleRequest| async move {
                attendance::routes::correct_entry(&ot.db, &request).await
            },
        )
        .request::<attendance::routes::EntryBody>(),
        admin(
            Get,
            "/records",
            "Offline records and their outcomes",
            |ot: Ot, request: ModuleRequest| async move { admin::records::list(&ot.db, &request).await },
        ),
        admin(
            Get,
            "/records/{record_id}",
            "One record with its signed evidence",
            |ot: Ot, request: ModuleRequest| async move { admin::records::show(&ot.db, &request).await },
        ),
        admin(
            Get,
            "/conflicts",
            "Conflicts (open by default)",
            |ot: Ot, request: ModuleRequest| async move {
                conflicts::routes::list(&ot.db, &request).await
            },
        ),
        admin(
            Get,
            "/conflicts/{conflict_id}",
            "A conflict with both sides and its decisions",
            |ot: Ot, request: ModuleRequest| async move {
                conflicts::routes::show(&ot.db, &request).await
            },
        ),
        admin(
            Post,
            "/conflicts/{conflict_id}/resolve",
            "Decide a conflict",
            |ot: Ot, request: ModuleRequest| async move {
                conflicts::routes::resolve(&ot.db, &request).await
            },
        )
        .request::<conflicts::routes::ResolveBody>(),
        admin(
            Post,
            "/conflicts/{conflict_id}/reverse",
            "Reverse the decision in force",
            |ot: Ot, request: ModuleRequest| async move {
                conflicts::routes::reverse(&ot.db, &request).await
            },
        )
        .request::<conflicts::routes::NoteBody>(),
        admin(
            Post,
            "/conflicts/{conflict_id}/resettle",
            "Settle a conflict again under today's policy (audited, with a reason)",
            |ot: Ot, request: ModuleRequest| async move {
                conflicts::resettle::resettle(&ot.db, &request).await
            },
        )
        .request::<conflicts::routes::NoteBody>(),
        admin(
            Get,
            "/leave-requests",
            "Leave requests",
            |ot: Ot, request: ModuleRequest| async move { leave::routes::list(&ot.db, &request).await },
        ),
        admin(
            Post,
            "/leave-requests/{request_id}/approve",
            "Approve a leave request",
            |ot: Ot, request: ModuleRequest| async move {
                leave::routes::decide(&ot.db, &request, true).await
            },
        )
        .request::<leave::routes::DecisionBody>(),
        admin(
            Post,
            "/leave-requests/{request_id}/reject",
            "Reject a leave request",
            |ot: Ot, request: ModuleRequest| async move {
                leave::routes::decide(&ot.db, &request, false).await
            },
        )
        .request::<leave::routes::DecisionBody>(),
        admin(
            Get,
            "/sync/status",
            "Pending records and last syncs per employee and device",
            |ot: Ot, request: ModuleRequest| async move {
                admin::sync_status::status(&ot.db, &request).await
            },
        ),
        admin(
            Get,
            "/sync/rates",
            "Sync success and failure rates over a window",
            |ot: Ot, request: ModuleRequest| async move {
                admin::sync_rates::rates(&ot.db, &request).await
            },
        ),
        admin(
            Get,
            "/audit",
            "The audit trail",
            |ot: Ot, request: ModuleRequest| async move {
                admin::audit_routes::list(&ot.db, &request).await
            },
        ),
        admin(
            Get,
            "/audit/verify",
            "Check the audit trail for edited or deleted entries",
            |ot: Ot, request: ModuleRequest| async move {
                admin::audit_routes::verify(&ot.db, &request).await
            },
        ),
    ]
}

/// An employee's route: needs the recording permission.
fn employee<F, Fut>(method: Method, path: &str, text: &str, handler: F) -> Route<OfflineTracking>
where
    F: Fn(Ot, ModuleRequest) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ApiResult<ModuleResponse>> + Send + 'static,
{
    Route::api(method, path, handler)
        .permission(RECORD)
        .describe(text)
}

/// An administrator's route: needs the admin permission, and every answer names the
/// employees it mentions (see [`people::with_names`]).
fn admin<F, Fut>(method: Method, path: &str, text: &str, handler: F) -> Route<OfflineTracking>
where
    F: Fn(Ot, ModuleRequest) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ApiResult<ModuleResponse>> + Send + 'static,
{
    Route::admin(method, path, move |ot: Ot, request: ModuleRequest| {
        let organisation_id = request.principal.organisation_id;
        let answer = handler(Arc::clone(&ot), request);
        async move {
            let answer = answer.await.into_module_response();
            people::with_names(&ot.directory, organisation_id, answer).await
        }
    })
    .permission(ADMIN)
    .describe(text)
}
