//! Attendance routes: what employees and administrators see, and the entries
//! administrators make on the server (the side offline records conflict with).

use super::rederive::{rederive, window::Reach};
use super::views::{entry_json, session_json};
use crate::api::{
    ApiResult, Caller, Problem, created, database, error, not_found, ok, path_uuid, query_i64,
    query_time,
};
use crate::clock::{now_ms, parse_time};
use crate::entities::states::EntryStatus;
use crate::entities::{manual_entry, session};
use crate::people;
use crate::store::audit_action::AuditAction;
use crate::store::employee_lock;
use crate::store::journal::{Actor, Journal};
use host_sdk::abi::{ModuleRequest, ModuleResponse};
use host_sdk::module::HostDirectory;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::Deserialize;
use serde_json::{Value, json};

const MAX_SESSIONS: u64 = 1000;

async fn sessions(
    db: &DatabaseConnection,
    organisation_id: i64,
    employee_id: Option<i64>,
    from: Option<i64>,
    to: Option<i64>,
) -> ApiResult<Vec<Value>> {
    let mut query =
        session::Entity::find().filter(session::Column::OrganisationId.eq(organisation_id));
    if let Some(employee_id) = employee_id {
        query = query.filter(session::Column::EmployeeId.eq(employee_id));
    }
    if let Some(from) = from {
        // A session still open, or one with no known start, may reach into the window.
        query = query.filter(
            Condition::any()
                .add(session::Column::EndedAtMs.gte(from))
                .add(session::Column::EndedAtMs.is_null()),
        );
    }
    if let Some(to) = to {
        query = query.filter(
            Condition::any()
                .add(session::Column::StartedAtMs.lt(to))
                .add(session::Column::StartedAtMs.is_null()),
        );
    }
    let rows = query
        .order_by_asc(session::Column::StartedAtMs)
        .limit(MAX_SESSIONS)
        .all(db)
        .await
        .map_err(database("listing attendance"))?;
    Ok(rows.iter().map(session_json).collect())
}

/// `GET /api/modules/offline-tracking/attendance?from=&to=`: the caller's own.
pub async fn mine(db: &DatabaseConnection, request: &ModuleRequest) -> ApiResult<ModuleResponse> {
    let caller = Caller::new(&request.principal, &request.settings)?;
    let employee_id = caller.employee()?;
    let list = sessions(
        db,
        caller.organisation_id,
        Some(employee_id),
        query_time(request, "from")?,
        query_time(request, "to")?,
    )
    .await?;
    Ok(ok(&json!({"sessions": list})))
}

/// `GET /admin/modules/offline-tracking/attendance?employee_id=&from=&to=`
pub async fn list(db: &DatabaseConnection, request: &ModuleRequest) -> ApiResult<ModuleResponse> {
    let caller = Caller::new(&request.principal, &request.settings)?;
    let employee_id = query_i64(request, "employee_id")?;
    let from = query_time(request, "from")?;
    let to = query_time(request, "to")?;
    let list = sessions(db, caller.organisation_id, employee_id, from, to).await?;
    let mut entries = manual_entry::Entity::find()
        .filter(manual_entry::Column::OrganisationId.eq(caller.organisation_id));
    if let Some(employee_id) = employee_id {
        entries = entries.filter(manual_entry::Column::EmployeeId.eq(employee_id));
    }
    let entries = entries
        .order_by_asc(manual_entry::Column::StartedAtMs)
        .limit(MAX_SESSIONS)
        .all(db)
        .await
        .map_err(database("listing manual entries"))?;
    Ok(ok(&json!({
        "sessions": list,
        "manual_entries": entries.iter().map(entry_json).collect::<Vec<_>>(),
    })))
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct EntryBody {
    #[serde(default)]
    employee_id: Option<i64>,
    started_at: Value,
    #[serde(default)]
    ended_at: Option<Value>,
    note: String,
}

fn time_field(value: &Value, name: &str) -> ApiResult<i64> {
    let parsed = match value {
        Value::Number(n) => n.as_i64(),
        Value::String(text) => parse_time(text),
        _ => None,
    };
    parsed.ok_or_else(|| {
        error(
            Problem::Invalid,
            "invalid_entry",
            format!("{name} must be milliseconds or an RFC 3339 time"),
        )
    })
}

fn entry_times(body: &EntryBody) -> ApiResult<(i64, Option<i64>, String)> {
    let started = time_field(&body.started_at, "started_at")?;
    let ended = body
        .ended_at
        .as_ref()
        .map(|v| time_field(v, "ended_at"))
        .transpose()?;
    if ended.is_some_and(|end| end <= started) {
        return Err(error(
            Problem::Invalid,
            "invalid_entry",
            "ended_at must be after started_at",
        ));
    }
    let note = body.note.trim();
    if note.is_empty() || note.chars().count() > 1000 || crate::text::note_has_control(note) {
        return Err(error(
            Problem::Invalid,
            "invalid_entry",
            "a note of 1 to 1000 characters, without control characters, says why the entry was made",
        ));
    }
    Ok((started, ended, note.to_owned()))
}

/// `POST /admin/modules/offline-tracking/attendance/entries`
pub async fn create_entry(
    db: &DatabaseConnection,
    directory: &HostDirectory,
    request: &ModuleRequest,
) -> ApiResult<ModuleResponse> {
    let caller = Caller::new(&request.principal, &request.settings)?;
    let body: EntryBody = request.json()?;
    let employee_id = body
        .employee_id
        .ok_or_else(|| error(Problem::Invalid, "invalid_entry", "employee_id is required"))?;
    let (started, ended, note) = entry_times(&body)?;
    people::require_employee(directory, caller.organisation_id, employee_id).await?;
    let fail = database("creating the entry");
    let transaction = host_sdk::db::begin_write(db)
        .await
        .map_err(database("creating the entry"))?;
    employee_lock::lock(&transaction, caller.organisation_id, employee_id)
        .await
        .map_err(database("creating the entry"))?;
    let entry = store_entry(
        &transaction,
        &caller,
        employee_id,
        started,
        ended,
        &note,
        None,
    )
    .await
    .map_err(database("creating the entry"))?;
    let mut journal = Journal::new(caller.organisation_id, None);
    journal.audit(
        &Actor::User(caller.user_id),
        AuditAction::ManualEntryCreated,
        "manual_entry",
        &entry.id,
        entry_json(&entry),
    );
    rederive(
        &transaction,
        caller.organisation_id,
        employee_id,
        &caller.settings,
        Reach::Everything,
        &mut journal,
    )
    .await
    .map_err(database("creating the entry"))?;
    journal
        .flush(&transaction)
        .await
        .map_err(database("creating the entry"))?;
    transaction.commit().await.map_err(fail)?;
    let entry = manual_entry::Entity::find_by_id(entry.id.as_str())
        .one(db)
        .await
        .map_err(database("creating the entry"))?
        .unwrap_or(entry);
    Ok(created(&entry_json(&entry)))
}

async fn store_entry(
    db: &impl ConnectionTrait,
    caller: &Caller,
    employee_id: i64,
    started: i64,
    ended: Option<i64>,
    note: &str,
    replaces: Option<String>,
) -> Result<manual_entry::Model, sea_orm::DbErr> {
    manual_entry::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        organisation_id: Set(caller.organisation_id),
        employee_id: Set(employee_id),
        started_at_ms: Set(started),
        ended_at_ms: Set(ended),
        note: Set(note.to_owned()),
        recorded_at_ms: Set(now_ms()),
        recorded_by: Set(caller.user_id),
        status: Set(EntryStatus::Active),
        replaces_id: Set(replaces),
        superseded: Set(false),
    }
    .insert(db)
    .await
}

/// `POST /admin/modules/offline-tracking/attendance/entries/{entry_id}/correct`: a new
/// entry replaces the old one, which is kept, marked corrected.
pub async fn correct_entry(
    db: &DatabaseConnection,
    request: &ModuleRequest,
) -> ApiResult<ModuleResponse> {
    let caller = Caller::new(&request.principal, &request.settings)?;
    let entry_id = path_uuid(request, "entry_id", "entry")?;
    let body: EntryBody = request.json()?;
    let (started, ended, note) = entry_times(&body)?;
    let transaction = host_sdk::db::begin_write(db)
        .await
        .map_err(database("correcting the entry"))?;
    let old = manual_entry::Entity::find_by_id(entry_id.as_str())
        .filter(manual_entry::Column::OrganisationId.eq(caller.organisation_id))
        .one(&transaction)
        .await
        .map_err(database("correcting the entry"))?
        .ok_or_else(|| not_found("entry", &entry_id))?;
    if old.status != EntryStatus::Active {
        return Err(error(
            Problem::Conflict,
            "entry_already_corrected",
            "this entry was already corrected: correct its replacement",
        ));
    }
    if body.employee_id.is_some_and(|id| id != old.employee_id) {
        return Err(error(
            Problem::Invalid,
            "invalid_entry",
            "a correction keeps the entry's employee",
        ));
    }
    employee_lock::lock(&transaction, caller.organisation_id, old.employee_id)
        .await
        .map_err(database("correcting the entry"))?;
    let mut retired = old.clone().into_active_model();
    retired.status = Set(EntryStatus::Corrected);
    retired
        .update(&transaction)
        .await
        .map_err(database("correcting the entry"))?;
    let replacement = store_entry(
        &transaction,
        &caller,
        old.employee_id,
        started,
        ended,
        &note,
        Some(old.id.clone()),
    )
    .await
    .map_err(database("correcting the entry"))?;
    let mut journal = Journal::new(caller.organisation_id, None);
    journal.audit(
        &Actor::User(caller.user_id),
        AuditAction::ManualEntryCorrected,
        "manual_entry",
        &old.id,
        json!({"before": entry_json(&old), "after": entry_json(&replacement)}),
    );
    rederive(
        &transaction,
        caller.organisation_id,
        old.employee_id,
        &caller.settings,
        Reach::Everything,
        &mut journal,
    )
    .await
    .map_err(database("correcting the entry"))?;
    journal
        .flush(&transaction)
        .await
        .map_err(database("correcting the entry"))?;
    transaction
        .commit()
        .await
        .map_err(database("correcting the entry"))?;
    Ok(created(&entry_json(&replacement)))
}
