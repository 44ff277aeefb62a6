//! The audit trail, for everything or for one subject (a record, a device, an
//! employee, …), with the result of verifying the whole chain.

use super::bridge::{PAGES, as_api, read, render};
use super::views::{Audit, Verification};
use crate::OfflineTracking;
use crate::admin;
use askama::Template;
use host_sdk::abi::{ModuleRequest, ModuleResponse};

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage<'a> {
    pages: &'a str,
    zone: chrono_tz::Tz,
    subject_kind: String,
    subject_id: String,
    audit: Audit,
    verification: Verification,
}

/// `GET /modules/offline-tracking/audit?subject_kind=&subject_id=`
pub async fn show(ot: &OfflineTracking, request: &ModuleRequest) -> ModuleResponse {
    let subject_kind = request.query_param("subject_kind").unwrap_or_default();
    let subject_id = request.query_param("subject_id").unwrap_or_default();
    let query = {
        let mut query = form_urlencoded::Serializer::new(String::new());
        if !subject_kind.is_empty() {
            query.append_pair("subject_kind", &subject_kind);
        }
        if !subject_id.is_empty() {
            query.append_pair("subject_id", &subject_id);
        }
        query.append_pair("limit", "1000");
        query.finish()
    };
    let api = as_api(request, &query, None);
    let audit: Audit = match read(ot, request, admin::audit_routes::list(&ot.db, &api).await).await
    {
        Ok(audit) => audit,
        Err(refusal) => return refusal,
    };
    let verification: Verification =
        match read(ot, request, admin::audit_routes::verify(&ot.db, &api).await).await {
            Ok(verification) => verification,
            Err(refusal) => return refusal,
        };
    render(
        "Audit trail",
        &AuditPage {
            pages: PAGES,
            zone: super::bridge::zone(request),
            subject_kind,
            subject_id,
            audit,
            verification,
        },
    )
}
