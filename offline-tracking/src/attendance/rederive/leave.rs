//! Creates the leave requests that new leave records ask for.

use super::IDS_PER_QUERY;
use crate::attendance::derive::{Derivation, Verdict};
use crate::attendance::outcome::RecordState;
use crate::clock::now_ms;
use crate::entities::states::LeaveStatus;
use crate::entities::{leave_request, record};
use crate::store::audit_action::AuditAction;
use crate::store::journal::{Actor, Journal};
use offline_tracking_protocol::RecordKind;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect,
    Set,
};
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};

pub(super) async fn persist_leave(
    db: &impl ConnectionTrait,
    organisation_id: i64,
    employee_id: i64,
    derived: &Derivation,
    records: &BTreeMap<String, RecordState>,
    journal: &mut Journal,
) -> Result<(), DbErr> {
    let accepted: Vec<&String> = derived
        .verdicts
        .iter()
        .filter(|(id, verdict)| {
            **verdict == Verdict::Accepted
                && records
                    .get(*id)
                    .is_some_and(|state| state.kind == RecordKind::LeaveRequest)
        })
        .map(|(id, _)| id)
        .collect();
    if accepted.is_empty() {
        return Ok(());
    }
    // Accepted leave records without their request yet: the request's id is the record's,
    // so one query per chunk finds those that have one.
    let mut created = BTreeSet::new();
    for chunk in accepted.chunks(IDS_PER_QUERY) {
        created.extend(
            leave_request::Entity::find()
                .select_only()
                .column(leave_request::Column::Id)
                .filter(leave_request::Column::Id.is_in(chunk.iter().map(|id| id.as_str())))
                .into_tuple::<String>()
                .all(db)
                .await?,
        );
    }
    let missing: Vec<&str> = accepted
        .iter()
        .map(|id| id.as_str())
        .filter(|id| !created.contains(*id))
        .collect();
    let mut leave_records = Vec::new();
    for chunk in missing.chunks(IDS_PER_QUERY) {
        leave_records.extend(
            record::Entity::find()
                .filter(record::Column::Id.is_in(chunk.iter().copied()))
                .filter(record::Column::Kind.eq(RecordKind::LeaveRequest.as_str()))
                .all(db)
                .await?,
        );
    }
    for leave_record in leave_records {
        let Ok(parsed) =
            serde_json::from_str::<offline_tracking_protocol::OfflineRecord>(&leave_record.payload)
        else {
            continue;
        };
        let Some(leave) = parsed.leave else { continue };
        let row = leave_request::ActiveModel {
            id: Set(leave_record.id.clone()),
            organisation_id: Set(organisation_id),
            employee_id: Set(employee_id),
            leave_type: Set(leave.leave_type.trim().to_owned()),
            starts_on: Set(leave.starts_on.clone()),
            ends_on: Set(leave.ends_on.clone()),
            reason: Set(leave.reason.clone()),
            status: Set(LeaveStatus::Pending),
            decided_by: Set(None),
            decided_at_ms: Set(None),
            decision_note: Set(None),
            created_at_ms: Set(now_ms()),
        }
        .insert(db)
        .await?;
        journal.audit(
            &Actor::Device(leave_record.device_id.clone()),
            AuditAction::LeaveRequested,
            "leave_request",
            &row.id,
            json!({"leave_type": row.leave_type, "starts_on": row.starts_on, "ends_on": row.ends_on}),
        );
        journal.change(Some(employee_id), &row.id, crate::leave::change(&row));
    }
    Ok(())
}
