//! Attendance > Offline Sync Status: what the phones still hold, how syncs went over a
//! window, the devices (approve, revoke, reinstate), open conflicts, leave requests
//! waiting for a decision and whether the audit trail is intact.

use super::bridge::{PAGES, as_api, read, render};
use super::chart::{self, Bar};
use super::views::{
    ConflictRow, Conflicts, DeviceStatusRow, LeaveRequests, LeaveRow, SyncRates, SyncStatus,
    Verification,
};
use crate::OfflineTracking;
use crate::api::Caller;
use crate::clock::now_ms;
use crate::{admin, conflicts, leave};
use askama::Template;
use host_sdk::abi::{ModuleRequest, ModuleResponse};
use host_sdk::module::IntoModuleResponse;

/// The windows the rates can be shown over, in days.
const WINDOWS: [u32; 4] = [1, 7, 30, 90];
const DAY_MS: i64 = 86_400_000;

/// A device row with what the page works out from it.
struct DeviceLine {
    row: DeviceStatusRow,
    /// Whole days the oldest pending record has waited.
    oldest_pending_days: Option<i64>,
    /// The oldest pending record has waited as long as the organisation allows, or longer.
    over_limit: bool,
}

#[derive(Template)]
#[template(path = "sync_status.html")]
struct SyncStatusPage<'a> {
    pages: &'a str,
    zone: chrono_tz::Tz,
    csrf: &'a str,
    max_offline_days: u32,
    config_version: i64,
    pending_total: i64,
    devices: Vec<DeviceLine>,
    window_days: u32,
    windows: [u32; 4],
    rates: SyncRates,
    success_percent: Option<String>,
    bars: Vec<Bar>,
    chart_width: u32,
    chart_height: u32,
    conflicts: Vec<ConflictRow>,
    leave: Vec<LeaveRow>,
    audit: Verification,
}

/// `GET /modules/offline-tracking/sync-status?days=`
pub async fn show(ot: &OfflineTracking, request: &ModuleRequest) -> ModuleResponse {
    match build(ot, request).await {
        Ok(answer) | Err(answer) => answer,
    }
}

async fn build(
    ot: &OfflineTracking,
    request: &ModuleRequest,
) -> Result<ModuleResponse, ModuleResponse> {
    let caller =
        Caller::new(&request.principal, &request.settings).map_err(|e| e.into_module_response())?;
    let window_days = request
        .query_param("days")
        .and_then(|days| days.parse::<u32>().ok())
        .filter(|days| WINDOWS.contains(days))
        .unwrap_or(7);
    let db = &ot.db;
    let status_request = as_api(request, "", None);
    let status: SyncStatus = read(
        ot,
        request,
        admin::sync_status::status(db, &status_request).await,
    )
    .await?;
    let now = now_ms();
    let from = now - i64::from(window_days) * DAY_MS;
    let rates_request = as_api(request, &format!("from={from}&to={now}"), None);
    let rates: SyncRates = read(
        ot,
        request,
        admin::sync_rates::rates(db, &rates_request).await,
    )
    .await?;
    let conflicts_request = as_api(request, "status=open&limit=200", None);
    let conflicts: Conflicts = read(
        ot,
        request,
        conflicts::routes::list(db, &conflicts_request).await,
    )
    .await?;
    let leave_request = as_api(request, "status=pending", None);
    let leave: LeaveRequests =
        read(ot, request, leave::routes::list(db, &leave_request).await).await?;
    let audit: Verification = read(
        ot,
        request,
        admin::audit_routes::verify(db, &status_request).await,
    )
    .await?;
    let max_offline_days = caller.settings.max_offline_days;
    let devices = status
        .devices
        .into_iter()
        .map(|row| {
            let oldest_pending_days = row
                .oldest_pending_at
                .map(|oldest| (now - oldest.0.timestamp_millis()).max(0) / DAY_MS);
            DeviceLine {
                over_limit: oldest_pending_days.is_some_and(|d| d >= i64::from(max_offline_days)),
                oldest_pending_days,
                row,
            }
        })
        .collect();
    let page = SyncStatusPage {
        pages: PAGES,
        zone: super::bridge::zone(request),
        csrf: request.csrf_token(),
        max_offline_days,
        config_version: status.config_version,
        pending_total: status.pending_records,
        devices,
        window_days,
        windows: WINDOWS,
        success_percent: rates
            .success_rate
            .map(|rate| format!("{:.1}", rate * 100.0)),
        bars: chart::bars(&rates.days),
        chart_width: chart::WIDTH,
        chart_height: chart::HEIGHT,
        rates,
        conflicts: conflicts.conflicts,
        leave: leave.leave_requests,
        audit,
    };
    Ok(render("Offline Sync Status", &page))
}
