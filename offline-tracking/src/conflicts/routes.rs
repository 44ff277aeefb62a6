use crate::api::{
    ApiResult, Caller, Problem, database, error, limit_param, not_found, ok, path_uuid, query_i64,
};
use crate::attendance::rederive::{rederive, window::Reach};
use crate::attendance::views::{entry_json, record_json};
use crate::clock::{iso, now_ms, parse_time};
use crate::entities::states::ServerKind;
use crate::entities::{conflict, conflict_decision, manual_entry, record};
use crate::store::audit_action::AuditAction;
use crate::store::employee_lock;
use crate::store::journal::{Actor, Journal};
use host_sdk::abi::{ModuleRequest, ModuleResponse};
use offline_tracking_protocol::{ChangeKind, ConflictType, Decision, Resolution};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::Deserialize;
use serde_json::{Value, json};

fn summary(row: &conflict::Model) -> Value {
    json!({
        "conflict_id": row.id,
        "type": row.conflict_type,
        "resolution": row.resolution,
        "policy": row.policy,
        "dissolved": row.dissolved,
        "employee_id": row.employee_id,
        "record_id": row.record_id,
        "server_side": row.server_kind.as_ref().map(|kind| json!({"kind": kind, "id": row.server_id})),
        "detected_at": iso(row.detected_at_ms),
        "updated_at": iso(row.updated_at_ms),
    })
}

fn decision_json(row: &conflict_decision::Model) -> Value {
    json!({
        "decision_id": row.id,
        "decision": row.decision,
        "corrected_time_ms": row.corrected_time_ms,
        "note": row.note,
        "decided_by": row.decided_by,
        "decided_at": iso(row.decided_at_ms),
        "reversed_at": row.reversed_at_ms.map(iso),
        "reversed_by": row.reversed_by,
        "reverse_note": row.reverse_note,
    })
}

/// `GET /admin/modules/offline-tracking/conflicts?status=open|settled|dissolved|all&type=&employee_id=`
pub async fn list(db: &DatabaseConnection, request: &ModuleRequest) -> ApiResult<ModuleResponse> {
    let caller = Caller::new(&request.principal, &request.settings)?;
    let mut query = conflict::Entity::find()
        .filter(conflict::Column::OrganisationId.eq(caller.organisation_id));
    match request.query_param("status").as_deref().unwrap_or("open") {
        "open" => {
            query = query
                .filter(conflict::Column::Resolution.eq(Resolution::PendingReview.as_str()))
                .filter(conflict::Column::Dissolved.eq(false));
        }
        "settled" => {
            query = query
                .filter(conflict::Column::Resolution.ne(Resolution::PendingReview.as_str()))
                .filter(conflict::Column::Dissolved.eq(false));
        }
        "dissolved" => query = query.filter(conflict::Column::Dissolved.eq(true)),
        "all" => {}
        other => {
            return Err(error(
                Problem::Invalid,
                "invalid_parameter",
                format!("status is open, settled, dissolved or all, not {other:?}"),
            ));
        }
    }
    if let Some(kind) = request.query_param("type") {
        let kind = ConflictType::parse(&kind).ok_or_else(|| {
            error(
                Problem::Invalid,
                "invalid_parameter",
                format!("{kind:?} is not a conflict type"),
            )
        })?;
        query = query.filter(conflict::Column::ConflictType.eq(kind.as_str()));
    }
    if let Some(employee_id) = query_i64(request, "employee_id")? {
        query = query.filter(conflict::Column::EmployeeId.eq(employee_id));
    }
    let rows = query
        .order_by_desc(conflict::Column::DetectedAtMs)
        .limit(limit_param(request, 100, 1000)?)
        .all(db)
        .await
        .map_err(database("listing conflicts"))?;
    Ok(ok(
        &json!({"conflicts": rows.iter().map(summary).collect::<Vec<_>>()}),
    ))
}

pub(super) async fn load(
    db: &impl ConnectionTrait,
    organisation_id: i64,
    conflict_id: &str,
) -> ApiResult<conflict::Model> {
    conflict::Entity::find_by_id(conflict_id)
        .filter(conflict::Column::OrganisationId.eq(organisation_id))
        .one(db)
        .await
        .map_err(database("loading the conflict"))?
        .ok_or_else(|| not_found("conflict", conflict_id))
}

pub(super) async fn detail(db: &impl ConnectionTrait, row: &conflict::Model) -> ApiResult<Value> {
    let fail = || database("loading the conflict");
    let offline = record::Entity::find_by_id(row.record_id.as_str())
        .one(db)
        .await
        .map_err(fail())?;
    let server = match (row.server_kind, row.server_id.as_deref()) {
        (Some(ServerKind::ManualEntry), Some(id)) => manual_entry::Entity::find_by_id(id)
            .one(db)
            .await
            .map_err(fail())?
            .map(|entry| json!({"kind": ServerKind::ManualEntry, "entry": entry_json(&entry)})),
        (Some(ServerKind::Record), Some(id)) => record::Entity::find_by_id(id)
            .one(db)
            .await
            .map_err(fail())?
            .map(|other| json!({"kind": ServerKind::Record, "record": record_json(&other, false)})),
        _ => None,
    };
    let decisions = conflict_decision::Entity::find()
        .filter(conflict_decision::Column::ConflictId.eq(row.id.as_str()))
        .order_by_asc(conflict_decision::Column::DecidedAtMs)
        .all(db)
        .await
        .map_err(fail())?;
    let mut value = summary(row);
    value["offline_record"] = offline
        .map(|r| record_json(&r, true))
        .unwrap_or(Value::Null);
    value["server_side"] = server.unwrap_or(Value::Null);
    value["decisions"] = json!(decisions.iter().map(decision_json).collect::<Vec<_>>());
    Ok(value)
}

/// `GET /admin/modules/offline-tracking/conflicts/{conflict_id}`: both sides and every
/// decision.
pub async fn show(db: &DatabaseConnection, request: &ModuleRequest) -> ApiResult<ModuleResponse> {
    let caller = Caller::new(&request.principal, &request.settings)?;
    let conflict_id = path_uuid(request, "conflict_id", "conflict")?;
    let row = load(db, caller.organisation_id, &conflict_id).await?;
    Ok(ok(&detail(db, &row).await?))
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ResolveBody {
    decision: Decision,
    note: String,
    #[serde(default)]
    corrected_time: Option<Value>,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NoteBody {
    pub(super) note: String,
}

pub(super) fn check_note(note: &str) -> ApiResult<String> {
    let note = note.trim();
    if note.is_empty() || note.chars().count() > 1000 || crate::text::note_has_control(note) {
        return Err(error(
            Problem::Invalid,
            "invalid_note",
            "a note of 1 to 1000 characters, without control characters, explains the decision",
        ));
    }
    Ok(note.to_owned())
}

/// `POST /admin/modules/offline-tracking/conflicts/{conflict_id}/resolve`
pub async fn resolve(
    db: &DatabaseConnection,
    request: &ModuleRequest,
) -> ApiResult<ModuleResponse> {
    let caller = Caller::new(&request.principal, &request.settings)?;
    let conflict_id = path_uuid(request, "conflict_id", "conflict")?;
    let body: ResolveBody = request.json()?;
    let note = check_note(&body.note)?;
    let corrected = match (body.decision, &body.corrected_time) {
        (Decision::CorrectTimes, Some(value)) => Some(
            match value {
                Value::Number(n) => n.as_i64(),
                Value::String(text) => parse_time(text),
                _ => None,
            }
            .ok_or_else(|| {
                error(
                    Problem::Invalid,
                    "invalid_corrected_time",
                    "corrected_time is milliseconds or an RFC 3339 time",
                )
            })?,
        ),
        (Decision::CorrectTimes, None) => {
            return Err(error(
                Problem::Invalid,
                "invalid_corrected_time",
                "correct_times needs corrected_time",
            ));
        }
        (_, Some(_)) => {
            return Err(error(
                Problem::Invalid,
                "invalid_corrected_time",
                "only correct_times takes corrected_time",
            ));
        }
        (_, None) => None,
    };
    let fail = || database("deciding the conflict");
    let transaction = host_sdk::db::begin_write(db).await.map_err(fail())?;
    let row = load(&transaction, caller.organisation_id, &conflict_id).await?;
    if row.dissolved {
        return Err(error(
            Problem::Conflict,
            "conflict_dissolved",
            "this conflict no longer applies: the data that caused it changed",
        ));
    }
    employee_lock::lock(&transaction, caller.organisation_id, row.employee_id)
        .await
        .map_err(fail())?;
    let decision = conflict_decision::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        organisation_id: Set(caller.organisation_id),
        conflict_id: Set(row.id.clone()),
        decision: Set(body.decision),
        corrected_time_ms: Set(corrected),
        note: Set(note.clone()),
        decided_by: Set(caller.user_id),
        decided_at_ms: Set(now_ms()),
        reversed_at_ms: Set(None),
        reversed_by: Set(None),
        reverse_note: Set(None),
    }
    .insert(&transaction)
    .await
    .map_err(fail())?;
    let mut journal = Journal::new(caller.organisation_id, None);
    journal.audit(
        &Actor::User(caller.user_id),
        AuditAction::ConflictDecided,
        "conflict",
        &row.id,
        json!({"decision": decision.decision, "corrected_time_ms": corrected, "note": note, "resolution_before": row.resolution}),
    );
    finish(
        &transaction,
        &caller,
        &row,
        Some(body.decision),
        Some(note),
        journal,
    )
    .await?;
    transaction.commit().await.map_err(fail())?;
    let row = load(db, caller.organisation_id, &conflict_id).await?;
    Ok(ok(&detail(db, &row).await?))
}

/// `POST /admin/modules/offline-tracking/conflicts/{conflict_id}/reverse`: withdraws the
/// decision in force; the policy (or the next decision) settles the conflict again.
pub async fn reverse(
    db: &DatabaseConnection,
    request: &ModuleRequest,
) -> ApiResult<ModuleResponse> {
    let caller = Caller::new(&request.principal, &request.settings)?;
    let conflict_id = path_uuid(request, "conflict_id", "conflict")?;
    let body: NoteBody = request.json()?;
    let note = check_note(&body.note)?;
    let fail = || database("reversing the decision");
    let transaction = host_sdk::db::begin_write(db).await.map_err(fail())?;
    let row = load(&transaction, caller.organisation_id, &conflict_id).await?;
    employee_lock::lock(&transaction, caller.organisation_id, row.employee_id)
        .await
        .map_err(fail())?;
    let in_force = conflict_decision::Entity::find()
        .filter(conflict_decision::Column::ConflictId.eq(row.id.as_str()))
        .filter(conflict_decision::Column::ReversedAtMs.is_null())
        .order_by_desc(conflict_decision::Column::DecidedAtMs)
        .one(&transaction)
        .await
        .map_err(fail())?
        .ok_or_else(|| {
            error(
                Problem::Conflict,
                "nothing_to_reverse",
                "no decision on this conflict is in force",
            )
        })?;
    let mut reversed = in_force.clone().into_active_model();
    reversed.reversed_at_ms = Set(Some(now_ms()));
    reversed.reversed_by = Set(Some(caller.user_id));
    reversed.reverse_note = Set(Some(note.clone()));
    reversed.update(&transaction).await.map_err(fail())?;
    let mut journal = Journal::new(caller.organisation_id, None);
    journal.audit(
        &Actor::User(caller.user_id),
        AuditAction::ConflictDecisionReversed,
        "conflict",
        &row.id,
        json!({"decision": in_force.decision, "decided_by": in_force.decided_by, "note": note}),
    );
    finish(&transaction, &caller, &row, None, Some(note), journal).await?;
    transaction.commit().await.map_err(fail())?;
    let row = load(db, caller.organisation_id, &conflict_id).await?;
    Ok(ok(&detail(db, &row).await?))
}

/// Re-derives the employee and tells their devices how the conflict now stands.
pub(super) async fn finish(
    db: &impl ConnectionTrait,
    caller: &Caller,
    row: &conflict::Model,
    decision: Option<Decision>,
    note: Option<String>,
    mut journal: Journal,
) -> ApiResult<()> {
    let fail = || database("applying the decision");
    rederive(
        db,
        caller.organisation_id,
        row.employee_id,
        &caller.settings,
        Reach::Everything,
        &mut journal,
    )
    .await
    .map_err(fail())?;
    let now = load(db, caller.organisation_id, &row.id).await?;
    journal.change(
        Some(row.employee_id),
        &row.id,
        ChangeKind::Conflict {
            conflict_id: now.id.clone(),
            conflict_type: now.conflict_type,
            resolution: now.resolution,
            record_id: now.record_id.clone(),
            decision,
            note,
            dissolved: now.dissolved,
        },
    );
    journal.flush(db).await.map_err(fail())?;
    Ok(())
}
