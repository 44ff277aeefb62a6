use crate::api::{ApiResult, Caller, database, limit_param, ok, query_i64, query_text};
use crate::clock::iso;
use crate::entities::audit_entry;
use crate::store::audit;
use host_sdk::abi::{ModuleRequest, ModuleResponse};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::{Value, json};

/// `GET /admin/modules/offline-tracking/audit?subject_kind=&subject_id=&action=&after_seq=&limit=`
pub async fn list(db: &DatabaseConnection, request: &ModuleRequest) -> ApiResult<ModuleResponse> {
    let caller = Caller::new(&request.principal, &request.settings)?;
    let mut query = audit_entry::Entity::find()
        .filter(audit_entry::Column::OrganisationId.eq(caller.organisation_id));
    if let Some(kind) = query_text(request, "subject_kind", 50)? {
        query = query.filter(audit_entry::Column::SubjectKind.eq(kind));
    }
    if let Some(id) = query_text(request, "subject_id", 120)? {
        query = query.filter(audit_entry::Column::SubjectId.eq(id));
    }
    if let Some(action) = query_text(request, "action", 100)? {
        query = query.filter(audit_entry::Column::Action.eq(action));
    }
    if let Some(after) = query_i64(request, "after_seq")? {
        query = query.filter(audit_entry::Column::Seq.gt(after));
    }
    let rows = query
        .order_by_asc(audit_entry::Column::Seq)
        .limit(limit_param(request, 200, 1000)?)
        .all(db)
        .await
        .map_err(database("reading the audit trail"))?;
    let entries: Vec<Value> = rows
        .iter()
        .map(|row| {
            json!({
                "seq": row.seq,
                "at": iso(row.occurred_at_ms),
                "actor": {"kind": row.actor_kind, "id": row.actor_id},
                "action": row.action,
                "subject": {"kind": row.subject_kind, "id": row.subject_id},
                "details": serde_json::from_str::<Value>(&row.details).unwrap_or_else(|_| Value::String(row.details.clone())),
                "hash": row.hash,
            })
        })
        .collect();
    Ok(ok(&json!({"entries": entries})))
}

/// `GET /admin/modules/offline-tracking/audit/verify`: walks the whole chain.
pub async fn verify(db: &DatabaseConnection, request: &ModuleRequest) -> ApiResult<ModuleResponse> {
    let caller = Caller::new(&request.principal, &request.settings)?;
    let verification = audit::verify(db, caller.organisation_id)
        .await
        .map_err(database("verifying the audit trail"))?;
    Ok(ok(&verification))
}
