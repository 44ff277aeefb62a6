//! An employee's withdrawals of, and notes on, their own records, applied once each.

use crate::clock::now_ms;
use crate::entities::states::{LeaveStatus, RecordStatus};
use crate::entities::{employee_action, leave_request, record};
use crate::store::audit_action::AuditAction;
use crate::store::journal::{Actor, Journal};
use host_sdk::db::StoredJson;
use offline_tracking_protocol::{ActionOutcome, ActionResult, ConflictAction, EmployeeAction};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter, Set, sea_query::Expr,
};
use serde_json::json;

fn rejected(code: &str, message: &str) -> ActionOutcome {
    ActionOutcome::Rejected {
        code: code.to_owned(),
        message: message.to_owned(),
    }
}

/// Applies the actions of one push.
pub async fn apply(
    db: &impl ConnectionTrait,
    organisation_id: i64,
    employee_id: i64,
    device_id: &str,
    actions: &[EmployeeAction],
    journal: &mut Journal,
) -> Result<Vec<ActionResult>, DbErr> {
    let mut results = Vec::with_capacity(actions.len());
    for action in actions {
        let action_id = action.id.to_string();
        if let Some(done) = employee_action::Entity::find_by_id(action_id.as_str())
            .one(db)
            .await?
        {
            let outcome = done.result.0;
            results.push(ActionResult {
                action_id: action.id,
                record_id: action.record_id,
                outcome,
            });
            continue;
        }
        let outcome = apply_one(db, organisation_id, employee_id, action, journal).await?;
        employee_action::ActiveModel {
            id: Set(action_id),
            organisation_id: Set(organisation_id),
            employee_id: Set(employee_id),
            device_id: Set(device_id.to_owned()),
            record_id: Set(action.record_id.to_string()),
            action: Set(action.action),
            // A refused note is not kept: it may hold what no database should store.
            note: Set(action
                .note
                .clone()
                .filter(|_| outcome == ActionOutcome::Applied)),
            received_at_ms: Set(now_ms()),
            result: Set(StoredJson(outcome.clone())),
        }
        .insert(db)
        .await?;
        results.push(ActionResult {
            action_id: action.id,
            record_id: action.record_id,
            outcome,
        });
    }
    Ok(results)
}

async fn apply_one(
    db: &impl ConnectionTrait,
    organisation_id: i64,
    employee_id: i64,
    action: &EmployeeAction,
    journal: &mut Journal,
) -> Result<ActionOutcome, DbErr> {
    let note = action
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    if note.is_some_and(|n| n.chars().count() > 1000 || crate::text::note_has_control(n)) {
        return Ok(rejected(
            "invalid_note",
            "a note has at most 1000 characters, without control characters",
        ));
    }
    let Some(found) = record::Entity::find_by_id(action.record_id.to_string())
        .filter(record::Column::OrganisationId.eq(organisation_id))
        .filter(record::Column::EmployeeId.eq(employee_id))
        .one(db)
        .await?
    else {
        return Ok(rejected("unknown_record", "no record of yours has this id"));
    };
    let record_id = found.id.clone();
    let status = found.status;
    // Through update_many, never ActiveModel::update: a record has REAL columns, which
    // SQLite before 3.41 hands back through RETURNING as INTEGERs when whole.
    let mut update =
        record::Entity::update_many().filter(record::Column::Id.eq(record_id.as_str()));
    if let Some(note) = note {
        update = update.col_expr(record::Column::EmployeeNote, Expr::value(note.to_owned()));
    }
    match action.action {
        ConflictAction::Annotate => {
            let Some(note) = note else {
                return Ok(rejected("invalid_note", "a note needs some text"));
            };
            update.exec(db).await?;
            journal.audit(
                &Actor::User(employee_id),
                AuditAction::RecordAnnotated,
                "record",
                &record_id,
                json!({"note": note}),
            );
        }
        ConflictAction::Withdraw => {
            if matches!(status, RecordStatus::Withdrawn | RecordStatus::Rejected) {
                return Ok(rejected(
                    "not_withdrawable",
                    "this record is already withdrawn or was rejected",
                ));
            }
            update
                .col_expr(record::Column::Status, Expr::value(RecordStatus::Withdrawn))
                .col_expr(record::Column::StatusCode, Expr::value("withdrawn"))
                .col_expr(
                    record::Column::StatusMessage,
                    Expr::value("withdrawn by the employee"),
                )
                .col_expr(record::Column::UpdatedAtMs, Expr::value(now_ms()))
                .exec(db)
                .await?;
            journal.audit(
                &Actor::User(employee_id),
                AuditAction::RecordWithdrawn,
                "record",
                &record_id,
                json!({"previous_status": status, "note": note}),
            );
            if let Some(request) = leave_request::Entity::find_by_id(record_id.as_str())
                .one(db)
                .await?
                && request.status == LeaveStatus::Pending
            {
                let mut pending = request.into_active_model();
                pending.status = Set(LeaveStatus::Withdrawn);
                let updated = pending.update(db).await?;
                journal.change(
                    Some(employee_id),
                    &updated.id,
                    crate::leave::change(&updated),
                );
            }
        }
    }
    Ok(ActionOutcome::Applied)
}
