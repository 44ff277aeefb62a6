//! Attendance > Employees: everyone in the organisation's directory, with their devices,
//! whether they are enrolled in face recognition (then their records need a face match,
//! when the organisation requires it) and the sites they may work at.

use super::bridge::{PAGES, after, as_api, read, render};
use super::views::{Employees, SiteRow, Sites};
use crate::OfflineTracking;
use crate::{admin, sites};
use askama::Template;
use host_sdk::abi::{ModuleRequest, ModuleResponse};
use serde_json::json;

#[derive(Template)]
#[template(path = "employees.html")]
struct EmployeesPage<'a> {
    pages: &'a str,
    csrf: &'a str,
    employees: Employees,
    sites: Vec<SiteRow>,
}

/// `GET /modules/offline-tracking/employees?after_id=`
pub async fn show(ot: &OfflineTracking, request: &ModuleRequest) -> ModuleResponse {
    let after_id = request
        .query_param("after_id")
        .and_then(|id| id.parse::<i64>().ok())
        .unwrap_or(0);
    let api = as_api(request, &format!("after_id={after_id}&limit=100"), None);
    let employees: Employees = match read(
        ot,
        request,
        admin::employees::list(&ot.db, &ot.directory, &api).await,
    )
    .await
    {
        Ok(employees) => employees,
        Err(refusal) => return refusal,
    };
    let sites_request = as_api(request, "", None);
    let sites: Sites = match read(
        ot,
        request,
        sites::routes::list(&ot.db, &sites_request).await,
    )
    .await
    {
        Ok(sites) => sites,
        Err(refusal) => return refusal,
    };
    render(
        "Employees",
        &EmployeesPage {
            pages: PAGES,
            csrf: request.csrf_token(),
            employees,
            sites: sites.sites,
        },
    )
}

/// `POST …/employees/{employee_id}/face-enrollment` with `enrolled` = `true` or `false`.
pub async fn set_enrollment(ot: &OfflineTracking, request: &ModuleRequest) -> ModuleResponse {
    let enrolled = request.form_value("enrolled").as_deref() == Some("true");
    let api = as_api(request, "", Some(&json!({"enrolled": enrolled})));
    after(
        admin::enrollment::set(&ot.db, &ot.directory, &api).await,
        &format!("{PAGES}/employees"),
    )
}

/// `POST …/employees/{employee_id}/sites` with one `site_id` per ticked site (none: every
/// site).
pub async fn set_sites(ot: &OfflineTracking, request: &ModuleRequest) -> ModuleResponse {
    let site_ids: Vec<String> = request
        .form()
        .into_iter()
        .filter(|(name, _)| name == "site_id")
        .map(|(_, id)| id)
        .collect();
    let api = as_api(request, "", Some(&json!({"site_ids": site_ids})));
    after(
        sites::assignments::set(&ot.db, &ot.directory, &api).await,
        &format!("{PAGES}/employees"),
    )
}
