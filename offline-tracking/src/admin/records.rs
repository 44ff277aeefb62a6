use crate::api::{
    ApiResult, Caller, Problem, database, error, limit_param, not_found, ok, path_uuid, query_i64,
};
use crate::attendance::views::record_json;
use crate::entities::record;
use crate::entities::states::RecordStatus;
use host_sdk::abi::{ModuleRequest, ModuleResponse};
use sea_orm::{
    ActiveEnum, ColumnTrait, DatabaseConnection, EntityTrait, Iterable, QueryFilter, QueryOrder,
    QuerySelect, Select,
};
use serde_json::json;

/// The statuses a record is found in outside the transaction that stores it.
fn listed_statuses() -> impl Iterator<Item = RecordStatus> {
    RecordStatus::iter().filter(|status| *status != RecordStatus::Received)
}

fn filtered(
    request: &ModuleRequest,
    mut query: Select<record::Entity>,
) -> ApiResult<Select<record::Entity>> {
    if let Some(name) = request.query_param("status") {
        let Some(status) = listed_statuses().find(|status| status.to_value() == name) else {
            let names: Vec<String> = listed_statuses().map(|status| status.to_value()).collect();
            return Err(error(
                Problem::Invalid,
                "invalid_parameter",
                format!("status is one of {}", names.join(", ")),
            ));
        };
        query = query.filter(record::Column::Status.eq(status));
    }
    if let Some(device_id) = request.query_param("device_id") {
        query = query.filter(record::Column::DeviceId.eq(device_id));
    }
    if let Some(before) = query_i64(request, "before_time")? {
        query = query.filter(record::Column::TrustedTimeMs.lt(before));
    }
    Ok(query
        .order_by_desc(record::Column::TrustedTimeMs)
        .limit(limit_param(request, 100, 1000)?))
}

/// `GET /admin/modules/offline-tracking/records?employee_id=&device_id=&status=&before_time=&limit=&evidence=`
pub async fn list(db: &DatabaseConnection, request: &ModuleRequest) -> ApiResult<ModuleResponse> {
    let caller = Caller::new(&request.principal, &request.settings)?;
    let mut query =
        record::Entity::find().filter(record::Column::OrganisationId.eq(caller.organisation_id));
    if let Some(employee_id) = query_i64(request, "employee_id")? {
        query = query.filter(record::Column::EmployeeId.eq(employee_id));
    }
    let rows = filtered(request, query)?
        .all(db)
        .await
        .map_err(database("listing records"))?;
    // `evidence=true` adds each record's signed payload and signature, as one record's
    // answer has them.
    let evidence = request.query_param("evidence").as_deref() == Some("true");
    Ok(ok(
        &json!({"records": rows.iter().map(|r| record_json(r, evidence)).collect::<Vec<_>>()}),
    ))
}

/// `GET /api/modules/offline-tracking/records`: the caller's own records and outcomes.
pub async fn mine(db: &DatabaseConnection, request: &ModuleRequest) -> ApiResult<ModuleResponse> {
    let caller = Caller::new(&request.principal, &request.settings)?;
    let employee_id = caller.employee()?;
    let query = record::Entity::find()
        .filter(record::Column::OrganisationId.eq(caller.organisation_id))
        .filter(record::Column::EmployeeId.eq(employee_id));
    let rows = filtered(request, query)?
        .all(db)
        .await
        .map_err(database("listing records"))?;
    Ok(ok(
        &json!({"records": rows.iter().map(|r| record_json(r, false)).collect::<Vec<_>>()}),
    ))
}

/// `GET /admin/modules/offline-tracking/records/{record_id}`: with the signed evidence.
pub async fn show(db: &DatabaseConnection, request: &ModuleRequest) -> ApiResult<ModuleResponse> {
    let caller = Caller::new(&request.principal, &request.settings)?;
    let record_id = path_uuid(request, "record_id", "record")?;
    let row = record::Entity::find_by_id(record_id.as_str())
        .filter(record::Column::OrganisationId.eq(caller.organisation_id))
        .one(db)
        .await
        .map_err(database("loading the record"))?
        .ok_or_else(|| not_found("record", &record_id))?;
    Ok(ok(&record_json(&row, true)))
}
