//! Which employees are enrolled in face recognition (the face match rule applies to them).

use crate::api::{ApiResult, Caller, Problem, database, error, ok};
use crate::clock::now_ms;
use crate::entities::face_enrollment;
use crate::store::audit_action::AuditAction;
use crate::store::journal::{Actor, Journal};
use host_sdk::abi::{ModuleRequest, ModuleResponse};
use host_sdk::module::HostDirectory;
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, IntoActiveModel, Set};
use serde::Deserialize;
use serde_json::json;

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct EnrollmentBody {
    enrolled: bool,
}

/// The `{employee_id}` of an admin path.
pub fn employee_param(request: &ModuleRequest) -> ApiResult<i64> {
    request
        .param("employee_id")
        .and_then(|id| id.parse().ok())
        .filter(|id: &i64| *id > 0)
        .ok_or_else(|| {
            error(
                Problem::NotFound,
                "unknown_employee",
                "employee ids are positive numbers",
            )
        })
}

/// `PUT /admin/modules/offline-tracking/employees/{employee_id}/face-enrollment`
pub async fn set(
    db: &DatabaseConnection,
    directory: &HostDirectory,
    request: &ModuleRequest,
) -> ApiResult<ModuleResponse> {
    let caller = Caller::new(&request.principal, &request.settings)?;
    let employee_id = employee_param(request)?;
    // Refused before anything is read or written: no act about someone who is not an
    // employee of this organisation.
    crate::people::require_employee(directory, caller.organisation_id, employee_id).await?;
    let body: EnrollmentBody = request.json()?;
    let fail = || database("setting face enrollment");
    let transaction = host_sdk::db::begin_write(db).await.map_err(fail())?;
    let existing = face_enrollment::Entity::find_by_id((caller.organisation_id, employee_id))
        .one(&transaction)
        .await
        .map_err(fail())?;
    match existing {
        Some(row) => {
            let mut active = row.into_active_model();
            active.enrolled = Set(body.enrolled);
            active.updated_at_ms = Set(now_ms());
            active.updated_by = Set(caller.user_id);
            active.update(&transaction).await.map_err(fail())?;
        }
        None => {
            face_enrollment::Entity::insert(face_enrollment::ActiveModel {
                organisation_id: Set(caller.organisation_id),
                employee_id: Set(employee_id),
                enrolled: Set(body.enrolled),
                updated_at_ms: Set(now_ms()),
                updated_by: Set(caller.user_id),
            })
            .exec_without_returning(&transaction)
            .await
            .map_err(fail())?;
        }
    }
    let mut journal = Journal::new(caller.organisation_id, None);
    journal.audit(
        &Actor::User(caller.user_id),
        AuditAction::FaceEnrollmentSet,
        "employee",
        &employee_id.to_string(),
        json!({"enrolled": body.enrolled}),
    );
    journal.flush(&transaction).await.map_err(fail())?;
    transaction.commit().await.map_err(fail())?;
    Ok(ok(
        &json!({"employee_id": employee_id, "enrolled": body.enrolled}),
    ))
}
