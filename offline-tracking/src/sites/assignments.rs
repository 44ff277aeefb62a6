//! `PUT /admin/modules/offline-tracking/employees/{employee_id}/sites`: the sites an
//! employee may work at, for the geofence of every GPS record. An empty list means every
//! site of the organisation.

use crate::api::{ApiResult, Caller, Problem, database, error, ok};
use crate::clock::now_ms;
use crate::entities::{site, site_assignment};
use crate::store::audit_action::AuditAction;
use crate::store::journal::{Actor, Journal};
use host_sdk::abi::{ModuleRequest, ModuleResponse};
use host_sdk::module::HostDirectory;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde::Deserialize;
use serde_json::json;
use std::collections::BTreeSet;

/// More sites than any organisation assigns one person; bounds the work a request asks.
const MAX_SITES: usize = 500;

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct AssignmentBody {
    site_ids: Vec<String>,
}

/// Replaces the employee's sites.
pub async fn set(
    db: &DatabaseConnection,
    directory: &HostDirectory,
    request: &ModuleRequest,
) -> ApiResult<ModuleResponse> {
    let caller = Caller::new(&request.principal, &request.settings)?;
    let employee_id = crate::admin::enrollment::employee_param(request)?;
    // Refused before anything is read or written: no act about someone who is not an
    // employee of this organisation.
    crate::people::require_employee(directory, caller.organisation_id, employee_id).await?;
    let body: AssignmentBody = request.json()?;
    if body.site_ids.len() > MAX_SITES {
        return Err(error(
            Problem::Invalid,
            "too_many_sites",
            format!("an employee is assigned at most {MAX_SITES} sites"),
        ));
    }
    let wanted: BTreeSet<String> = body.site_ids.into_iter().collect();
    let fail = || database("assigning sites");
    let transaction = host_sdk::db::begin_write(db).await.map_err(fail())?;
    let known = site::Entity::find()
        .filter(site::Column::OrganisationId.eq(caller.organisation_id))
        .filter(site::Column::Id.is_in(wanted.iter().cloned()))
        .count(&transaction)
        .await
        .map_err(fail())?;
    if known != wanted.len() as u64 {
        return Err(error(
            Problem::Invalid,
            "unknown_site",
            "every site id must be a site of this organisation",
        ));
    }
    site_assignment::Entity::delete_many()
        .filter(site_assignment::Column::OrganisationId.eq(caller.organisation_id))
        .filter(site_assignment::Column::EmployeeId.eq(employee_id))
        .exec(&transaction)
        .await
        .map_err(fail())?;
    if !wanted.is_empty() {
        let now = now_ms();
        site_assignment::Entity::insert_many(wanted.iter().map(|site_id| {
            site_assignment::ActiveModel {
                organisation_id: Set(caller.organisation_id),
                employee_id: Set(employee_id),
                site_id: Set(site_id.clone()),
                assigned_at_ms: Set(now),
                assigned_by: Set(caller.user_id),
            }
        }))
        .exec_without_returning(&transaction)
        .await
        .map_err(fail())?;
    }
    let mut journal = Journal::new(caller.organisation_id, None);
    journal.audit(
        &Actor::User(caller.user_id),
        AuditAction::EmployeeSitesAssigned,
        "employee",
        &employee_id.to_string(),
        json!({"site_ids": wanted}),
    );
    journal.flush(&transaction).await.map_err(fail())?;
    transaction.commit().await.map_err(fail())?;
    Ok(ok(&json!({
        "employee_id": employee_id,
        "site_ids": wanted,
        "every_site": wanted.is_empty(),
    })))
}
