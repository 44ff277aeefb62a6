//! `GET /admin/modules/offline-tracking/employees?after_id=&limit=`: a page of the
//! organisation's employees from the suite's directory (so people with no device yet are
//! listed too), each with their devices, face enrollment and assigned sites.

use crate::api::{ApiResult, Caller, Problem, database, error, limit_param, ok, query_i64};
use crate::entities::{device, face_enrollment, site_assignment};
use host_sdk::abi::{ModuleRequest, ModuleResponse};
use host_sdk::module::HostDirectory;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};
use serde_json::json;
use std::collections::BTreeMap;

/// Lists one page; `next_after_id` continues it.
pub async fn list(
    db: &DatabaseConnection,
    directory: &HostDirectory,
    request: &ModuleRequest,
) -> ApiResult<ModuleResponse> {
    let caller = Caller::new(&request.principal, &request.settings)?;
    let after = query_i64(request, "after_id")?.unwrap_or(0).max(0);
    let limit = u32::try_from(limit_param(request, 200, 1000)?).unwrap_or(1000);
    let people = directory
        .roster(caller.organisation_id, after, limit)
        .await
        .map_err(|problem| {
            tracing::warn!("the directory did not answer: {problem}");
            error(
                Problem::Unavailable,
                "directory_unavailable",
                "the suite's directory did not answer; try again",
            )
        })?;
    let ids: Vec<i64> = people.iter().map(|(id, _)| *id).collect();
    let fail = || database("listing employees");
    let enrolled: BTreeMap<i64, bool> = face_enrollment::Entity::find()
        .filter(face_enrollment::Column::OrganisationId.eq(caller.organisation_id))
        .filter(face_enrollment::Column::EmployeeId.is_in(ids.clone()))
        .all(db)
        .await
        .map_err(fail())?
        .into_iter()
        .map(|row| (row.employee_id, row.enrolled))
        .collect();
    let mut sites: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for row in site_assignment::Entity::find()
        .filter(site_assignment::Column::OrganisationId.eq(caller.organisation_id))
        .filter(site_assignment::Column::EmployeeId.is_in(ids.clone()))
        .all(db)
        .await
        .map_err(fail())?
    {
        sites.entry(row.employee_id).or_default().push(row.site_id);
    }
    let devices: BTreeMap<i64, i64> = device::Entity::find()
        .select_only()
        .column(device::Column::EmployeeId)
        .column_as(device::Column::Id.count(), "devices")
        .filter(device::Column::OrganisationId.eq(caller.organisation_id))
        .filter(device::Column::EmployeeId.is_in(ids))
        .group_by(device::Column::EmployeeId)
        .into_tuple::<(i64, i64)>()
        .all(db)
        .await
        .map_err(fail())?
        .into_iter()
        .collect();
    let next = people.last().map(|(id, _)| *id);
    let rows: Vec<_> = people
        .into_iter()
        .map(|(id, name)| {
            json!({
                "employee_id": id,
                "name": name,
                "devices": devices.get(&id).copied().unwrap_or(0),
                "face_enrolled": enrolled.get(&id).copied().unwrap_or(false),
                "site_ids": sites.remove(&id).unwrap_or_default(),
            })
        })
        .collect();
    let full_page = u32::try_from(rows.len()).unwrap_or(u32::MAX) >= limit;
    Ok(ok(&json!({
        "employees": rows,
        "next_after_id": if full_page { next } else { None },
    })))
}
