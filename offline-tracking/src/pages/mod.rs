//! The administrator's pages under `/modules/offline-tracking`, drawn inside the suite's
//! shell: Attendance > Offline Sync Status, Sites and Records, and the pages they link to
//! (a conflict, a device, the audit trail). The host has checked the session, the admin
//! permission and, on every post, the CSRF token before any of these runs.

mod actions;
mod audit;
mod bridge;
mod chart;
mod conflict;
mod device;
mod employees;
mod records;
mod sites;
mod sync_status;
mod views;

use crate::OfflineTracking;
use crate::permissions::ADMIN;
use host_sdk::Method::{self, Get, Post};
use host_sdk::NavSection::Attendance;
use host_sdk::abi::{ModuleRequest, ModuleResponse};
use host_sdk::module::Route;
use offline_tracking_protocol::DeviceStatus;
use std::{future::Future, sync::Arc};

type Ot = Arc<OfflineTracking>;

/// Every page and page action.
pub fn all() -> Vec<Route<OfflineTracking>> {
    vec![
        page(
            Get,
            "/sync-status",
            "Pending records, sync rates, devices, conflicts, leave and the audit check",
            |ot, r| async move { sync_status::show(&ot, &r).await },
        )
        .in_navigation(Attendance, "Offline Sync Status"),
        page(
            Get,
            "/sites",
            "Sites, their geofences and QR codes",
            |ot, r| async move { sites::show(&ot, &r).await },
        )
        .in_navigation(Attendance, "Sites"),
        page(
            Get,
            "/records",
            "Offline records with their evidence, and derived sessions",
            |ot, r| async move { records::show(&ot, &r).await },
        )
        .in_navigation(Attendance, "Records"),
        page(
            Get,
            "/employees",
            "Employees with their devices, face enrollment and sites",
            |ot, r| async move { employees::show(&ot, &r).await },
        )
        .in_navigation(Attendance, "Employees"),
        page(
            Post,
            "/employees/{employee_id}/face-enrollment",
            "Enroll an employee in face recognition, or not",
            |ot, r| async move { employees::set_enrollment(&ot, &r).await },
        ),
        page(
            Post,
            "/employees/{employee_id}/sites",
            "The sites an employee may work at",
            |ot, r| async move { employees::set_sites(&ot, &r).await },
        ),
        page(
            Post,
            "/records/entries",
            "Enter attendance on the server",
            |ot, r| async move { records::enter(&ot, &r).await },
        ),
        page(Post, "/sites", "Add a site", |ot, r| async move {
            sites::create(&ot, &r).await
        }),
        page(
            Post,
            "/sites/{site_id}",
            "Rename a site or change its geofence",
            |ot, r| async move { sites::update(&ot, &r).await },
        ),
        page(
            Get,
            "/sites/{site_id}/qr.svg",
            "A site's QR code as an SVG image",
            |ot, r| async move { sites::qr_image(&ot, &r).await },
        ),
        page(
            Get,
            "/conflicts/{conflict_id}",
            "A conflict with both sides and its decisions",
            |ot, r| async move { conflict::show(&ot, &r).await },
        ),
        page(
            Post,
            "/conflicts/{conflict_id}/resolve",
            "Decide a conflict",
            |ot, r| async move { actions::resolve_conflict(&ot, &r).await },
        ),
        page(
            Post,
            "/conflicts/{conflict_id}/reverse",
            "Reverse the decision in force",
            |ot, r| async move { actions::reverse_conflict(&ot, &r).await },
        ),
        page(
            Post,
            "/conflicts/{conflict_id}/resettle",
            "Settle a conflict again under today's policy",
            |ot, r| async move { actions::resettle_conflict(&ot, &r).await },
        ),
        page(
            Get,
            "/devices/{device_id}",
            "A device's sequence gaps and audit trail",
            |ot, r| async move { device::show(&ot, &r).await },
        ),
        page(
            Post,
            "/devices/{device_id}/approve",
            "Approve a device",
            |ot, r| async move { actions::decide_device(&ot, &r, DeviceStatus::Active).await },
        ),
        page(
            Post,
            "/devices/{device_id}/revoke",
            "Revoke a device",
            |ot, r| async move { actions::decide_device(&ot, &r, DeviceStatus::Revoked).await },
        ),
        page(
            Post,
            "/devices/{device_id}/reinstate",
            "Reinstate a revoked device",
            |ot, r| async move { actions::reinstate_device(&ot, &r).await },
        ),
        page(
            Post,
            "/leave-requests/{request_id}/approve",
            "Approve a leave request",
            |ot, r| async move { actions::decide_leave(&ot, &r, true).await },
        ),
        page(
            Post,
            "/leave-requests/{request_id}/reject",
            "Reject a leave request",
            |ot, r| async move { actions::decide_leave(&ot, &r, false).await },
        ),
        page(
            Get,
            "/audit",
            "The audit trail and its verification",
            |ot, r| async move { audit::show(&ot, &r).await },
        ),
    ]
}

/// An administrator's page.
fn page<F, Fut>(method: Method, path: &str, text: &str, handler: F) -> Route<OfflineTracking>
where
    F: Fn(Ot, ModuleRequest) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ModuleResponse> + Send + 'static,
{
    Route::page(method, path, handler)
        .permission(ADMIN)
        .describe(text)
}
