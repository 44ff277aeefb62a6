use crate::api::{
    ApiResult, Caller, Problem, database, error, limit_param, not_found, ok, path_uuid, query_i64,
};
use crate::clock::{iso, now_ms};
use crate::entities::leave_request;
use crate::entities::states::LeaveStatus;
use crate::store::audit_action::AuditAction;
use crate::store::journal::{Actor, Journal};
use host_sdk::abi::{ModuleRequest, ModuleResponse};
use sea_orm::{ActiveEnum, Iterable};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde::Deserialize;
use serde_json::{Value, json};

fn leave_json(row: &leave_request::Model) -> Value {
    json!({
        "request_id": row.id,
        "employee_id": row.employee_id,
        "leave_type": row.leave_type,
        "starts_on": row.starts_on,
        "ends_on": row.ends_on,
        "reason": row.reason,
        "status": row.status,
        "decided_by": row.decided_by,
        "decided_at": row.decided_at_ms.map(iso),
        "decision_note": row.decision_note,
        "requested_at": iso(row.created_at_ms),
    })
}

async fn list_for(
    db: &DatabaseConnection,
    request: &ModuleRequest,
    organisation_id: i64,
    employee_id: Option<i64>,
) -> ApiResult<ModuleResponse> {
    let mut query = leave_request::Entity::find()
        .filter(leave_request::Column::OrganisationId.eq(organisation_id));
    if let Some(employee_id) = employee_id {
        query = query.filter(leave_request::Column::EmployeeId.eq(employee_id));
    }
    if let Some(name) = request.query_param("status") {
        let Some(status) = LeaveStatus::iter().find(|status| status.to_value() == name) else {
            let names: Vec<String> = LeaveStatus::iter()
                .map(|status| status.to_value())
                .collect();
            return Err(error(
                Problem::Invalid,
                "invalid_parameter",
                format!("status is one of {}", names.join(", ")),
            ));
        };
        query = query.filter(leave_request::Column::Status.eq(status));
    }
    let rows = query
        .order_by_desc(leave_request::Column::CreatedAtMs)
        .limit(limit_param(request, 100, 1000)?)
        .all(db)
        .await
        .map_err(database("listing leave requests"))?;
    Ok(ok(
        &json!({"leave_requests": rows.iter().map(leave_json).collect::<Vec<_>>()}),
    ))
}

/// `GET /api/modules/offline-tracking/leave-requests`: the caller's own.
pub async fn mine(db: &DatabaseConnection, request: &ModuleRequest) -> ApiResult<ModuleResponse> {
    let caller = Caller::new(&request.principal, &request.settings)?;
    let employee_id = caller.employee()?;
    list_for(db, request, caller.organisation_id, Some(employee_id)).await
}

/// `GET /admin/modules/offline-tracking/leave-requests?status=&employee_id=`
pub async fn list(db: &DatabaseConnection, request: &ModuleRequest) -> ApiResult<ModuleResponse> {
    let caller = Caller::new(&request.principal, &request.settings)?;
    list_for(
        db,
        request,
        caller.organisation_id,
        query_i64(request, "employee_id")?,
    )
    .await
}

#[derive(Deserialize, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct DecisionBody {
    #[serde(default)]
    note: Option<String>,
}

/// `POST /admin/modules/offline-tracking/leave-requests/{request_id}/approve` or `…/reject`
pub async fn decide(
    db: &DatabaseConnection,
    request: &ModuleRequest,
    approve: bool,
) -> ApiResult<ModuleResponse> {
    let caller = Caller::new(&request.principal, &request.settings)?;
    let request_id = path_uuid(request, "request_id", "leave_request")?;
    let body: DecisionBody = if request.body.is_empty() {
        DecisionBody::default()
    } else {
        request.json()?
    };
    if body
        .note
        .as_ref()
        .is_some_and(|n| n.chars().count() > 1000 || crate::text::note_has_control(n))
    {
        return Err(error(
            Problem::Invalid,
            "invalid_note",
            "a note has at most 1000 characters, without control characters",
        ));
    }
    let fail = || database("deciding the leave request");
    let transaction = host_sdk::db::begin_write(db).await.map_err(fail())?;
    let row = leave_request::Entity::find_by_id(request_id.as_str())
        .filter(leave_request::Column::OrganisationId.eq(caller.organisation_id))
        .one(&transaction)
        .await
        .map_err(fail())?
        .ok_or_else(|| not_found("leave_request", &request_id))?;
    if row.status != LeaveStatus::Pending {
        return Err(error(
            Problem::Conflict,
            "leave_request_decided",
            format!("this request is already {}", row.status),
        ));
    }
    let status = if approve {
        LeaveStatus::Approved
    } else {
        LeaveStatus::Rejected
    };
    let mut active = row.clone().into_active_model();
    active.status = Set(status);
    active.decided_by = Set(Some(caller.user_id));
    active.decided_at_ms = Set(Some(now_ms()));
    active.decision_note = Set(body.note.clone());
    let updated = active.update(&transaction).await.map_err(fail())?;
    let mut journal = Journal::new(caller.organisation_id, None);
    journal.audit(
        &Actor::User(caller.user_id),
        if approve {
            AuditAction::LeaveApproved
        } else {
            AuditAction::LeaveRejected
        },
        "leave_request",
        &updated.id,
        json!({"employee_id": updated.employee_id, "note": body.note}),
    );
    journal.change(
        Some(updated.employee_id),
        &updated.id,
        crate::leave::change(&updated),
    );
    journal.flush(&transaction).await.map_err(fail())?;
    transaction.commit().await.map_err(fail())?;
    Ok(ok(&leave_json(&updated)))
}
