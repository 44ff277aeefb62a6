//! A device: the sequence numbers it used that never arrived, as ranges, and its audit
//! trail.

use super::bridge::{PAGES, as_api, read, render};
use super::views::{Audit, Gaps};
use crate::OfflineTracking;
use crate::admin;
use askama::Template;
use host_sdk::abi::{ModuleRequest, ModuleResponse};

#[derive(Template)]
#[template(path = "device.html")]
struct DevicePage<'a> {
    pages: &'a str,
    zone: chrono_tz::Tz,
    device_id: &'a str,
    gaps: Gaps,
    audit: Audit,
}

/// `GET /modules/offline-tracking/devices/{device_id}`
pub async fn show(ot: &OfflineTracking, request: &ModuleRequest) -> ModuleResponse {
    let device_id = request.param("device_id").unwrap_or_default();
    let api = as_api(request, "", None);
    let gaps: Gaps = match read(ot, request, admin::gaps::gaps(&ot.db, &api).await).await {
        Ok(gaps) => gaps,
        Err(refusal) => return refusal,
    };
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("subject_kind", "device")
        .append_pair("subject_id", device_id)
        .finish();
    let audit_request = as_api(request, &query, None);
    let audit: Audit = match read(
        ot,
        request,
        admin::audit_routes::list(&ot.db, &audit_request).await,
    )
    .await
    {
        Ok(audit) => audit,
        Err(refusal) => return refusal,
    };
    render(
        "Device",
        &DevicePage {
            pages: PAGES,
            zone: super::bridge::zone(request),
            device_id,
            gaps,
            audit,
        },
    )
}
