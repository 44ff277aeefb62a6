//! `POST /admin/modules/offline-tracking/conflicts/{conflict_id}/resettle`: settles one
//! conflict again under the organisation's policy of today.
//!
//! A conflict keeps the policy it was first settled by, so changing the policy never
//! rewrites history by itself. Applying a new policy to an old conflict is this explicit,
//! audited act, with the administrator's reason.

use super::routes::{NoteBody, check_note, detail, finish, load};
use crate::api::{ApiResult, Caller, Problem, database, error, ok, path_uuid};
use crate::clock::now_ms;
use crate::store::audit_action::AuditAction;
use crate::store::employee_lock;
use crate::store::journal::{Actor, Journal};
use host_sdk::abi::{ModuleRequest, ModuleResponse};
use sea_orm::{ActiveModelTrait, DatabaseConnection, IntoActiveModel, Set};
use serde_json::json;

/// Pins the conflict to today's policy and re-derives the employee.
pub async fn resettle(
    db: &DatabaseConnection,
    request: &ModuleRequest,
) -> ApiResult<ModuleResponse> {
    let caller = Caller::new(&request.principal, &request.settings)?;
    let conflict_id = path_uuid(request, "conflict_id", "conflict")?;
    let body: NoteBody = request.json()?;
    let note = check_note(&body.note)?;
    let policy_now = caller.settings.conflict_resolution;
    let fail = || database("re-settling the conflict");
    let transaction = host_sdk::db::begin_write(db).await.map_err(fail())?;
    let row = load(&transaction, caller.organisation_id, &conflict_id).await?;
    if row.dissolved {
        return Err(error(
            Problem::Conflict,
            "conflict_dissolved",
            "this conflict no longer applies: the data that caused it changed",
        ));
    }
    let Some(policy_before) = row.policy else {
        return Err(error(
            Problem::Conflict,
            "not_settled_by_policy",
            format!(
                "a {} conflict is settled the same way under every policy; decide it instead",
                row.conflict_type
            ),
        ));
    };
    if policy_before == policy_now {
        return Err(error(
            Problem::Conflict,
            "policy_unchanged",
            format!("this conflict is already settled by {policy_now}, the policy in force"),
        ));
    }
    employee_lock::lock(&transaction, caller.organisation_id, row.employee_id)
        .await
        .map_err(fail())?;
    let mut pinned = row.clone().into_active_model();
    pinned.policy = Set(Some(policy_now));
    pinned.updated_at_ms = Set(now_ms());
    pinned.update(&transaction).await.map_err(fail())?;
    let mut journal = Journal::new(caller.organisation_id, None);
    journal.audit(
        &Actor::User(caller.user_id),
        AuditAction::ConflictResettled,
        "conflict",
        &row.id,
        json!({
            "policy_before": policy_before,
            "policy_after": policy_now,
            "resolution_before": row.resolution,
            "note": note,
        }),
    );
    finish(&transaction, &caller, &row, None, Some(note), journal).await?;
    transaction.commit().await.map_err(fail())?;
    let row = load(db, caller.organisation_id, &conflict_id).await?;
    Ok(ok(&detail(db, &row).await?))
}
