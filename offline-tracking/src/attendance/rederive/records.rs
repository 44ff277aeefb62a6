//! Stores each record's derived status (and, for a record this push stored, its first
//! answer in the same write).

use crate::attendance::derive::{self, Derivation, Verdict};
use crate::attendance::outcome::{RecordState, ServerSides, outcome};
use crate::clock::now_ms;
use crate::entities::states::RecordStatus;
use crate::entities::{conflict, manual_entry, record};
use crate::store::audit_action::AuditAction;
use crate::store::journal::{Actor, Journal};
use host_sdk::db::StoredJson;
use offline_tracking_protocol::{ChangeKind, RecordResult};
use sea_orm::sea_query::{Expr, IntoColumnRef, SimpleExpr};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use serde_json::json;
use std::collections::BTreeMap;

/// Stores each record's derived status; a record already answered before (not one this
/// push stored) gets a `record_outcome` change and an audit entry when its status moves.
#[allow(clippy::too_many_arguments)]
pub(super) async fn persist_records(
    db: &impl ConnectionTrait,
    employee_id: i64,
    derived: &Derivation,
    conflict_ids: &BTreeMap<String, String>,
    conflicts: &BTreeMap<String, conflict::Model>,
    entries: &BTreeMap<String, manual_entry::Model>,
    records: &mut BTreeMap<String, RecordState>,
    journal: &mut Journal,
) -> Result<(), DbErr> {
    // Server sides are described as they were before this derivation moved anything.
    let before = records.clone();
    let sides = ServerSides {
        records: &before,
        entries,
    };
    let mut settled = Vec::new();
    for (record_id, verdict) in &derived.verdicts {
        let Some(state) = records.get(record_id).cloned() else {
            continue;
        };
        let (status, conflict_key) = match verdict {
            Verdict::Accepted => (RecordStatus::Accepted, None),
            Verdict::Duplicate { .. } => (
                RecordStatus::Duplicate,
                Some(derive::conflict_key(
                    offline_tracking_protocol::ConflictType::Duplicate,
                    record_id,
                )),
            ),
            Verdict::Conflict { key, applied } => {
                let resolution = derived.conflicts.get(key).map(|c| c.resolution);
                let status = if *applied {
                    RecordStatus::Accepted
                } else if resolution == Some(offline_tracking_protocol::Resolution::PendingReview) {
                    RecordStatus::Held
                } else {
                    RecordStatus::Overruled
                };
                (status, Some(key.clone()))
            }
        };
        let conflict_id = conflict_key.and_then(|key| conflict_ids.get(&key).cloned());
        if state.status == status && state.conflict_id == conflict_id {
            continue;
        }
        let updated = RecordState {
            status,
            conflict_id: conflict_id.clone(),
            ..state.clone()
        };
        // A record this push stored gets its first answer in the same write as its
        // status, so the push writes it twice (stored, then settled), not three times.
        let first = (state.status == RecordStatus::Received).then(|| {
            let conflict = conflict_id.as_ref().and_then(|id| conflicts.get(id));
            StoredJson(Some(outcome(&updated, conflict, &sides)))
        });
        settled.push(Settled {
            record_id: record_id.clone(),
            status,
            conflict_id: conflict_id.clone(),
            first,
        });
        // A record's first outcome is the push's answer; later changes reach devices here.
        if state.status != RecordStatus::Received {
            journal.audit(
                &Actor::System,
                AuditAction::RecordStatusChanged,
                "record",
                record_id,
                json!({"from": state.status, "to": status, "conflict_id": conflict_id}),
            );
            if let Ok(id) = uuid::Uuid::parse_str(record_id) {
                journal.change(
                    Some(employee_id),
                    record_id,
                    ChangeKind::RecordOutcome(RecordResult {
                        record_id: id,
                        sequence: state.sequence as u64,
                        outcome: outcome(
                            &updated,
                            updated
                                .conflict_id
                                .as_ref()
                                .and_then(|id| conflicts.get(id)),
                            &sides,
                        ),
                    }),
                );
            }
        }
        records.insert(record_id.clone(), updated);
    }
    for chunk in settled.chunks(RECORDS_PER_UPDATE) {
        write_settled(db, chunk, now_ms()).await?;
    }
    Ok(())
}

/// Records settled by one statement: each `CASE` arm carries two parameters, well under
/// every backend's bound.
const RECORDS_PER_UPDATE: usize = 200;

/// A record's new status, and its first answer when this push stored it.
struct Settled {
    record_id: String,
    status: RecordStatus,
    conflict_id: Option<String>,
    first: Option<StoredJson<Option<offline_tracking_protocol::Outcome>>>,
}

/// Writes the status of many records in one `UPDATE … SET column = CASE id WHEN …`: a
/// push that stored hundreds of records settles them in one statement, not one each.
async fn write_settled(
    db: &impl ConnectionTrait,
    settled: &[Settled],
    now: i64,
) -> Result<(), DbErr> {
    if settled.is_empty() {
        return Ok(());
    }
    let by_id = |value: &dyn Fn(&Settled) -> Option<SimpleExpr>, column: record::Column| {
        let mut arms = settled.iter().filter_map(|row| {
            value(row).map(|expr| (record::Column::Id.eq(row.record_id.as_str()), expr))
        });
        match arms.next() {
            None => SimpleExpr::Column(column.into_column_ref()),
            Some((condition, expr)) => {
                let case = arms.fold(Expr::case(condition, expr), |case, (condition, expr)| {
                    case.case(condition, expr)
                });
                case.finally(Expr::col(column)).into()
            }
        }
    };
    record::Entity::update_many()
        .col_expr(
            record::Column::Status,
            by_id(&|row| Some(Expr::value(row.status)), record::Column::Status),
        )
        .col_expr(
            record::Column::ConflictId,
            by_id(
                &|row| Some(Expr::value(row.conflict_id.clone())),
                record::Column::ConflictId,
            ),
        )
        .col_expr(
            record::Column::FirstResult,
            by_id(
                &|row| row.first.clone().map(Expr::value),
                record::Column::FirstResult,
            ),
        )
        .col_expr(record::Column::UpdatedAtMs, Expr::value(now))
        .filter(record::Column::Id.is_in(settled.iter().map(|row| row.record_id.clone())))
        .exec(db)
        .await?;
    Ok(())
}
